"""The statement view's screen side (:class:`~annotator.ui.statement.view.StatementView` mixes it in): the
laid-out lines on screen, kept between the several asks of one key press; where a span's rectangles fall on them;
which spans and lanes are on screen; and the painting: bands and underlines before Qt's text, the selected span's
outline after it. It speaks Qt positions through the view's ``_map`` and code points outside."""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen, QTextLine

from annotator.core.intervals import assign_lanes
from annotator.core.model import Span
from annotator.ui.statement.span_layer import (
    MAX_LANES,
    Line,
    lane_metrics,
    lines_on_screen,
    right_to_left,
    span_fills,
    x_ranges,
)

if TYPE_CHECKING:
    _Base = Any
else:
    _Base = object


class ScreenMixin(_Base):
    """For a ``QPlainTextEdit`` that has ``_text``, ``_map``, ``_index``, ``_layout``, ``_glyphs``, ``_selected``,
    ``_color``, the kept-lines fields and the kept lanes' (``_lanes_kept``, ``_spans_version``): the statement
    view."""

    # ------------------------------------------------------------------ geometry
    def _visible_lines(self) -> list[Line]:
        """The laid-out lines intersecting the viewport, top to bottom. Changes no scroll position.

        Kept while the scroll bars' values (the top line, in lines), the viewport size and the document revision
        stay the same (one key press asks for them several times: lanes before and after, the span's lines, its
        visibility, the paint); scrolling, resizing, a font change, room made for lanes and a new document drop
        them. The key leaves out ``contentOffset()``: Qt asks the spaced layout (Python) for the top paragraph's
        rectangle to give it, which made each look at the kept lines cost a few dozen microseconds.
        """
        size = self.viewport().size()
        key = (self.verticalScrollBar().value(), self.horizontalScrollBar().value(), size.width(), size.height(),
               self.document().revision())
        if key == self._lines_key:
            return self._lines
        self._lines_key = None
        first = self.firstVisibleBlock()
        out = self._lines = lines_on_screen(first, self.contentOffset(), size.height(), self.blockBoundingRect)
        blocks, last = [], out[-1].block_pos if out else -1
        while first.isValid() and first.position() <= last:
            blocks.append(first)
            first = first.next()
        self._glyphs.keep(blocks)  # the paragraphs on screen keep their shaped glyphs for the next repaint
        self._lines_key = key
        return out

    def _find_directions(self, lines: list[Line]) -> None:
        """Mark the lines holding right-to-left text (:func:`x_ranges` places their spans by glyph runs); only
        before placing spans on them, as the lines themselves are asked for several times per key press."""
        if self._text.isascii() or not lines:
            return
        to_cp, text = self._map.to_cp, self._text
        if not right_to_left(text, to_cp(lines[0].qa), to_cp(lines[-1].qb, ceil=True)):
            for line in lines:  # none on these lines (one search, not two position lookups and one per line)
                line.rtl = False
            return
        for line in lines:
            if line.rtl is None:
                line.rtl = right_to_left(text, to_cp(line.qa), to_cp(line.qb, ceil=True))

    def _forget_lines(self) -> None:
        self._lines_key = None
        self._lines = []
        self._fills_kept = None

    def _span_rects(self, span: Span, lines: list[Line]) -> list[QRectF]:
        qs, qe = self._map.to_qt(span.start), self._map.to_qt(span.end)
        lines = [line for line in lines if line.qa <= qe and qs <= line.qb + 1]
        self._find_directions(lines)
        rects = []
        for line in lines:
            for x1, x2 in x_ranges(line, qs, qe):
                rects.append(QRectF(x1, line.top, x2 - x1, line.height))
        return rects

    def cp_rects(self, start: int, end: int) -> list[QRectF]:
        """Viewport rectangles of ``text[start:end]`` on screen, one per line (for layers drawn over the view)."""
        return self._span_rects(Span(0, 0, start, end, ""), self._visible_lines())

    def visible_qt_range(self) -> tuple[int, int] | None:
        """Qt positions of the first and last character on screen (None: nothing laid out on screen)."""
        lines = self._visible_lines()
        return (lines[0].qa, lines[-1].qb) if lines else None

    def _is_visible(self, q: int) -> bool:
        height = self.viewport().height()
        return any(
            ln.qa <= q <= ln.qb and ln.top >= 0 and ln.top + ln.height <= height
            for ln in self._visible_lines()
        )

    def _update_span(self, span: Span, lines: list[Line] | None = None) -> None:
        """Repaint only the lines ``span`` is on (asked twice in a row for the same span on the same lines, as a
        new span is drawn and then outlined, the rectangles are asked for once)."""
        if not self.isVisible():
            return
        lines = self._visible_lines() if lines is None else lines
        if self._updated[0] is span and self._updated[1] is lines:
            return  # its lines are already scheduled for a repaint
        self._updated = (span, lines)
        rects = self._span_rects(span, lines)
        if rects:
            top = min(r.top() for r in rects)
            bottom = max(r.bottom() for r in rects) + self._layout.gap  # with the lanes below the lines
            self.viewport().update(QRect(0, int(top) - 2, self.viewport().width(), int(bottom - top) + 5))

    def _visible_spans(self, lines: list[Line]) -> list[Span]:
        if not lines:
            return []
        to_cp = self._map.to_cp
        return self._index.overlapping(to_cp(lines[0].qa), to_cp(lines[-1].qb + 1, ceil=True))

    def _visible_lanes(self, lines: list[Line]) -> tuple[list[Span], list[int]]:
        """The spans on those lines, in order, and the underline lane of each: a function of the lines and the
        spans alone. Kept for the same list of lines (kept lines are one list until the view scrolls, resizes or
        lays out again) and the same spans (:meth:`_spans_changed` after every change): a label key press asked
        for them three times, before and after its change and in the paint that follows, each a lane assignment
        over the screen's spans."""
        kept = self._lanes_kept
        if kept is not None and kept[0] is lines and kept[1] is self._index and kept[2] == self._spans_version:
            return kept[3], kept[4]
        visible = self._visible_spans(lines)
        lanes = assign_lanes(visible, MAX_LANES)
        self._lanes_kept = (lines, self._index, self._spans_version, visible, lanes)
        return visible, lanes

    def _spans_changed(self) -> None:
        """The spans shown changed (one added, removed or replaced): lanes kept for the old ones are void."""
        self._spans_version += 1

    def _lanes_for(self, lines: list[Line]) -> dict[int, int]:
        """Underline lane of each span on those lines."""
        visible, lanes = self._visible_lanes(lines)
        return dict(zip([s.id for s in visible], lanes, strict=True))

    def _qt_at(self, point: QPoint) -> int | None:
        """Qt position of the character under ``point`` (viewport coordinates), None off the text."""
        x, y = point.x(), point.y()
        for line in self._visible_lines():
            if line.top <= y < line.top + line.height:
                left = line.left + line.line.x()
                if not left <= x < left + line.line.naturalTextWidth():
                    return None
                pos = line.line.xToCursor(x - line.left, QTextLine.CursorPosition.CursorOnCharacter)
                return min(line.block_pos + pos, max(line.qb - 1, line.qa))
        return None

    def spans_at_point(self, point: QPoint) -> list[Span]:
        """Spans under ``point`` (viewport coordinates), innermost first; on an underline lane, its span."""
        q = self._qt_at(point)
        if q is None:
            return self._span_in_lane(point)
        return self._index.at(self._map.to_cp(q))

    # ------------------------------------------------------------------ painting
    def paintEvent(self, event: QPaintEvent) -> None:
        if self._painting:  # never expected; if Qt ever nests a paint, draw just the text
            super().paintEvent(event)
            return
        self._painting = True
        self._updated = (None, None)  # what was scheduled is painted now: the next change schedules again
        try:
            rect = event.rect()
            lines = self._visible_lines() if len(self._index) else []
            if lines:
                self._paint_spans(lines, rect)
            super().paintEvent(event)
            if self._selected is not None and lines:
                self._paint_outline(lines, rect)
        finally:
            self._painting = False

    def _paint_spans(self, lines: list[Line], rect: QRect) -> None:
        """Bands and underlines of the spans on screen (:func:`span_fills`), drawn before the text; lanes are
        assigned over the whole screen, not just ``rect``, so partial repaints agree with full ones."""
        visible, lanes = self._visible_lanes(lines)
        if not visible:
            return
        top, bottom = rect.top() - 1, rect.bottom() + 1
        gap = self._layout.gap
        first = bisect_right([ln.top + ln.height + gap for ln in lines], top)
        shown = [ln for ln in lines[first:] if ln.top <= bottom]
        if not shown:
            return
        shade = QColor(self.palette().color(QPalette.ColorRole.Text))
        shade.setAlpha(150)
        self._find_directions(shown)
        kept = self._fills_kept
        if kept is None or kept[0] is not lines:
            kept = self._fills_kept = (lines, {})
        placed = kept[1].setdefault((first, len(shown)), {})  # a full paint and a span's lines keep apart
        fills = span_fills(shown, visible, lanes, self._map.to_qt_many, self._color, shade,
                           lane_metrics(shown[0].height), placed)
        painter = QPainter(self.viewport())
        painter.setClipRect(rect)
        painter.setPen(Qt.PenStyle.NoPen)
        for colour, rects in fills:
            if rects:
                painter.setBrush(colour)
                painter.drawRects(rects)
        painter.end()

    def _paint_outline(self, lines: list[Line], rect: QRect) -> None:
        span = self._index.get(self._selected) if self._selected is not None else None
        if span is None:
            return
        rects = self._span_rects(span, lines)
        if not rects:
            return
        painter = QPainter(self.viewport())
        painter.setClipRect(rect)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Text), 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for r in rects:
            # the 2-px pen stays inside the line box: nothing bleeds into the neighbouring lines
            painter.drawRect(r.adjusted(-1, 1, 1, -1))
        painter.end()
