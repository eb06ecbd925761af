"""How large a dialog starts: the size asked for, cut to the screen it opens on."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget

#: the most of the screen's free area a dialog starts at
SCREEN_SHARE = 0.9


def within_screen(widget: QWidget, size: QSize) -> QSize:
    """``size``, cut to :data:`SCREEN_SHARE` of the free area of the screen ``widget`` (its parent, if it has one)
    is on."""
    screen = (widget.parentWidget() or widget).screen().availableGeometry().size() * SCREEN_SHARE
    return size.boundedTo(screen)
