"""Shaped glyphs kept for the paragraphs on screen, so a repaint draws them instead of shaping them again.

A ``QTextLayout`` drops its shaped glyphs after each draw unless its cache is enabled, so every repaint of the
statement view (each label key press repaints the lines it touched) ran the text shaper again over every line it
drew: about half of Qt's share of a repaint (0.7 of 1.5 ms CPU a full screen, 2026-11 measurement). Keeping them
for every paragraph ever shown would hold ≈ 36 MB per million characters scrolled through, so only the
paragraphs on screen keep theirs: one leaving the screen has its cache turned off and its glyphs freed at once
(a draw that paints nothing: ``QTextLayout::draw`` frees an uncached layout's glyphs when it returns). Paragraphs
longer than ``LONG_BLOCK`` keep theirs for good, as before (shaping a 1 M-character paragraph again costs 20 ms).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QPainter, QTextBlock

from annotator.ui.statement.span_layer import LONG_BLOCK

_NOWHERE = QRectF(0, -1e9, 1, 1)  # a clip above every line of a paragraph: its draw paints nothing


class GlyphCache:
    """Which paragraphs keep their shaped glyphs: those on screen (:meth:`keep`)."""

    def __init__(self) -> None:
        self._kept: dict[int, QTextBlock] = {}  # block number -> block whose layout caches its glyphs
        self._scratch: QImage | None = None

    def keep(self, blocks: list[QTextBlock]) -> None:
        """Cache the glyphs of ``blocks`` (the paragraphs on screen now); free those of the ones kept before."""
        kept = {}
        for block in blocks:
            number = block.blockNumber()
            if number not in kept:
                kept[number] = block
                if self._kept.pop(number, None) is None:
                    block.layout().setCacheEnabled(True)
        for block in self._kept.values():
            if block.isValid() and block.length() <= LONG_BLOCK:
                self._free(block)
        self._kept = kept

    def forget(self) -> None:
        """The document's blocks are gone or renumbered (a new text): drop them without touching them."""
        self._kept = {}

    def __len__(self) -> int:
        return len(self._kept)

    def _free(self, block: QTextBlock) -> None:
        layout = block.layout()
        layout.setCacheEnabled(False)
        if self._scratch is None:
            self._scratch = QImage(1, 1, QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(self._scratch)
        try:
            layout.draw(painter, QPointF(0, 0), [], _NOWHERE)
        finally:
            painter.end()
