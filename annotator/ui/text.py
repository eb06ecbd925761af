"""Showing text from files safely: nothing from a document, label, note or file name is ever rich text."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

#: first characters PySide6 takes for a byte-order mark when it converts a ``str`` for Qt (measured with 6.11.3):
#: a leading U+FEFF is dropped, a leading U+FFFE byte-swaps the whole string
BOM_LIKE = ("\ufeff", "\ufffe")
_SHIELD = "\u2060"  # WORD JOINER: invisible, and not a byte-order mark


def to_qt(value: Any) -> Any:
    """``value`` as it can be handed to Qt: a string starting like a byte-order mark gets an invisible word
    joiner in front, so Qt receives it intact; anything else is returned as is."""
    if isinstance(value, str) and value.startswith(BOM_LIKE):
        return _SHIELD + value
    return value


def from_qt(text: str) -> str:
    """A string back from a Qt editor that was given :func:`to_qt`'s form: without the word joiner."""
    if text.startswith(_SHIELD) and text[1:].startswith(BOM_LIKE):
        return text[1:]
    return text


def plain(widget: QLabel) -> QLabel:
    """Labels never interpret their text as rich text (DESIGN.md §6)."""
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def plain_tooltip(text: str) -> str:
    """Text Qt shows literally where it would guess rich text (tooltips, dialog prompts): escaped inside a
    rich-text wrapper we control, so ``<b>`` or ``<img onerror=...>`` from a file appears as typed."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


def sentence(text: str) -> str:
    """``text`` as a sentence of its own: its first letter a capital (a core message, "cue pattern(s) ... stopped",
    shown after another sentence or alone)."""
    return text[:1].upper() + text[1:]
