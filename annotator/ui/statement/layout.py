"""Line spacing for the statement view: room below every line, where the spans' underline lanes are drawn.

``QPlainTextEdit`` lays a paragraph's lines out back to back and ignores ``QTextBlockFormat.lineHeight``. Its
scrolling counts lines, not pixels, so the pixel position of the lines inside a paragraph is free: this layout
lets Qt lay a paragraph out as usual, then moves its lines apart (``QTextLine.setPosition``) by ``gap`` pixels,
or by the room the paragraph's own underline lanes need (``room(block)``) if that is more,
the first time the paragraph's rectangle is asked for, and reports the taller rectangle. Painting, hit-testing
and the caret all read the moved lines, so they agree. A paragraph Qt lays out again (a resize, a font change)
is found with its lines back together (its second line sits right under its first) and moved apart again;
a single-line paragraph only needs the taller rectangle.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTextBlock, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout


class SpacedLayout(QPlainTextDocumentLayout):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.gap = 0  # px of room below each line
        self.room: Callable[[QTextBlock], int] | None = None  # px a paragraph needs below its lines

    def set_gap(self, gap: int) -> bool:
        """Change the room below each line; True if it changed (the view then repaints and rescales)."""
        gap = max(0, int(gap))
        if gap == self.gap:
            return False
        self.gap = gap
        self.documentSizeChanged.emit(self.documentSize())  # the view recomputes its scroll bars
        self.requestUpdate()
        return True

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        rect = super().blockBoundingRect(block)
        gap = self.gap
        if self.room is not None and block.isValid():
            gap = max(gap, self.room(block))
        if not gap or rect.isNull():
            return rect
        layout = block.layout()
        n = layout.lineCount()
        if n == 0:
            return rect
        first = layout.lineAt(0)
        if n > 1:
            second = layout.lineAt(1)
            if abs(second.y() - (first.y() + first.height() + gap)) > 0.01:
                y = first.y()
                for i in range(n):
                    line = layout.lineAt(i)
                    line.setPosition(QPointF(line.x(), y))
                    y += line.height() + gap
        last = layout.lineAt(n - 1)
        bottom = last.y() + last.height() + gap
        if not block.next().isValid():
            bottom += self.document().documentMargin()
        return QRectF(rect.x(), rect.y(), rect.width(), bottom)
