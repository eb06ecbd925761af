"""Showing text from files safely: nothing from a document, label, note or file name is ever rich text."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def plain(widget: QLabel) -> QLabel:
    """Labels never interpret their text as rich text (DESIGN.md §6)."""
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def plain_tooltip(text: str) -> str:
    """Text Qt shows literally where it would guess rich text (tooltips, dialog prompts): escaped inside a
    rich-text wrapper we control, so ``<b>`` or ``<img onerror=...>`` from a file appears as typed."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"
