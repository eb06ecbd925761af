"""Line spacing for the statement view: room below every line, where the spans' underline lanes are drawn.

``QPlainTextEdit`` lays a paragraph's lines out back to back and ignores ``QTextBlockFormat.lineHeight``. Its
scrolling counts lines, not pixels, so the pixel position of the lines inside a paragraph is free: this layout
lets Qt lay a paragraph out as usual, then moves its lines apart (``QTextLine.setPosition``) by ``gap`` pixels,
or by the room the paragraph's own underline lanes need (``room(block)``) if that is more,
the first time the paragraph's rectangle is asked for, and reports the taller rectangle. Painting, hit-testing
and the caret all read the moved lines, so they agree. A paragraph Qt lays out again (a resize, a font change)
is found with its lines back together (its second line sits right under its first) and moved apart again;
a single-line paragraph only needs the taller rectangle.

The first paragraph's lines also start ``top`` pixels down: room above the statement's first line, where the tag of
a suggestion on that line goes (:mod:`annotator.ui.suggest.ghosts`; every other line has the room below the line
before it). Qt puts a laid-out paragraph's first line at 0, so a first paragraph laid out again is found there.
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
        self.top = 0  # px of room above the first paragraph's first line (below Qt's document margin)
        #: px a paragraph needs below its lines, and whether that is final (False: counted later, not kept)
        self.room: Callable[[QTextBlock], tuple[int, bool]] | None = None
        # block number -> (line count, Qt's height and width of the spaced block, the rectangle reported): Qt asks
        # for the same rectangles dozens of times per key press (moving the caret walks from the top block to it),
        # and this method is Python; a block Qt laid out again has other lines, a shorter or narrower rectangle
        self._known: dict[int, tuple[int, float, float, QRectF]] = {}

    def forget(self) -> None:
        """Drop the remembered rectangles (the room below some paragraphs changed)."""
        self._known.clear()

    def set_gap(self, gap: int) -> bool:
        """Change the room below each line; True if it changed (the view then repaints and rescales)."""
        return self._set_room("gap", gap)

    def set_top(self, top: int) -> bool:
        """Change the room above the first line; True if it changed."""
        return self._set_room("top", top)

    def _set_room(self, name: str, px: int) -> bool:
        px = max(0, int(px))
        if px == getattr(self, name):
            return False
        setattr(self, name, px)
        self._known.clear()
        self.documentSizeChanged.emit(self.documentSize())  # the view recomputes its scroll bars
        self.requestUpdate()
        return True

    def documentChanged(self, position: int, removed: int, added: int) -> None:
        self._known.clear()  # block numbers now name other paragraphs
        super().documentChanged(position, removed, added)

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        rect = super().blockBoundingRect(block)
        layout = block.layout()
        if layout is None:  # a paragraph of a text being replaced: Qt's own rectangle (a null one)
            return rect
        n = layout.lineCount()
        number = block.blockNumber()
        known = self._known.get(number)
        if known is not None and known[0] == n and known[1] == rect.height() and known[2] == rect.width():
            return QRectF(known[3])
        gap, final = self.gap, True
        if self.room is not None and block.isValid():
            room, final = self.room(block)
            gap = max(gap, room)
        lead = self.top if number == 0 else 0
        if not (gap or lead) or rect.isNull():
            return rect
        if n == 0:
            return rect
        first = layout.lineAt(0)
        moved = abs(first.y() - lead) > 0.01
        if not moved and n > 1:
            second = layout.lineAt(1)
            moved = abs(second.y() - (first.y() + first.height() + gap)) > 0.01
        if moved:
            y = float(lead)
            for i in range(n):
                line = layout.lineAt(i)
                line.setPosition(QPointF(line.x(), y))
                y += line.height() + gap
            rect = super().blockBoundingRect(block)  # Qt's rectangle of the lines where they are now
        last = layout.lineAt(n - 1)
        bottom = last.y() + last.height() + gap
        if not block.next().isValid():
            bottom += self.document().documentMargin()
        out = QRectF(rect.x(), rect.y(), rect.width(), bottom)
        if final:
            self._known[number] = (n, rect.height(), rect.width(), QRectF(out))
        return out
