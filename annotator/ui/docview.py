"""The statement view: read-only plain text with every span painted in its label's colour (DESIGN.md §3, §7).

Why it paints spans itself: ExtraSelections hold a live QTextCursor each and slow every repaint, a
QSyntaxHighlighter keeps one format per character (no overlaps), and char-format edits change the document and
re-lay out whole paragraphs. Instead ``paintEvent`` asks the interval index for the spans on the visible
lines only and draws them: translucent bands under the text (so glyphs stay opaque and legible, overlaps
blend), a 2-px underline per span stacked by overlap lane, then Qt draws the text, then the selected span
gets an outline.

All Qt positions go through :class:`~annotator.ui.positions.PositionMap`; everything outside this module
speaks code points.
"""

from __future__ import annotations

import html
import re
import struct
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import repeat
from operator import floordiv, mul

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QTextCursor,
    QTextLine,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from annotator.core.intervals import IntervalIndex, assign_lanes
from annotator.core.model import Label, Span
from annotator.ui.positions import PositionMap, set_plain_text

#: paragraphs longer than this keep their shaped glyphs between paints (a 1 M-char paragraph: 20 ms -> 1-2 ms)
LONG_BLOCK = 20_000
BAND_ALPHA = 56  # translucent enough that three overlapping bands still leave black text legible
UNDERLINE = 2  # px
LANE_PITCH = 3  # px between stacked underlines
MAX_LANES = 3  # deeper overlaps share the top lane (their bands still blend)
SEPARATOR_STUB = 5.0  # px shown after a line's text when a span runs on over the line break
STRIP_WIDTH = 10
UNKNOWN_COLOR = "#888888"


@dataclass(slots=True)
class _Line:
    """One laid-out line on screen: viewport geometry and its Qt position range."""

    top: float
    height: float
    left: float  # viewport x of the block's layout origin; x of a position = left + line.cursorToX(pos)
    line: QTextLine
    block_pos: int
    qa: int
    qb: int  # end of the line's text (the block separator, for the last line of a block)
    block_end: bool


def _cursor_x(line: QTextLine, pos: int) -> float:
    """``QTextLine.cursorToX``: PySide6 returns ``(x, pos)`` for the C++ in/out argument."""
    x = line.cursorToX(pos)
    return float(x[0] if isinstance(x, tuple) else x)  # type: ignore[arg-type]


class StatementView(QPlainTextEdit):
    """Shows one statement and its spans; selection and hit-testing in code points.

    ``spanSelected(span_id | None)`` is emitted whenever the selected span changes, by a click (the innermost
    span under the mouse; plain text clears it), by a new text selection (clears it) or by
    :meth:`set_selected_span` -- only on change, so wiring it to a list that calls back is loop-free.
    """

    spanSelected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        # read-only, but with a caret the keyboard can move and extend (Shift+arrows select)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setUndoRedoEnabled(False)
        self.document().setDocumentMargin(8)
        self._text = ""
        self._map = PositionMap("")
        self._index = IntervalIndex()
        self._labels: list[Label] = []
        self._colors: dict[str, tuple[QColor, QColor]] = {}
        self._selected: int | None = None
        self._painting = False
        self._scrolling = False
        self.overview = OverviewStrip(self)
        self.setViewportMargins(0, 0, STRIP_WIDTH, 0)

    # ------------------------------------------------------------------ content
    def set_document(self, text: str, spans: list[Span], labels: list[Label]) -> None:
        """Show ``text`` with ``spans`` (cheapest when sorted by start, end, id, as the store gives them)."""
        changed = self._selected is not None
        self._selected = None
        self._text = text
        self._map = PositionMap(text)
        self._index = IntervalIndex(spans)
        self._set_colors(labels)
        set_plain_text(self, text)
        self.overview.invalidate()
        if changed:
            self.spanSelected.emit(None)

    def set_labels(self, labels: list[Label]) -> None:
        self._set_colors(labels)
        self.overview.invalidate()
        self.viewport().update()

    def _set_colors(self, labels: list[Label]) -> None:
        self._labels = list(labels)
        self._colors = {}
        for label in labels:
            line = QColor(label.color)
            if not line.isValid():
                line = QColor(UNKNOWN_COLOR)
            band = QColor(line)
            band.setAlpha(BAND_ALPHA)
            self._colors[label.key] = (band, line)

    def _color(self, key: str) -> tuple[QColor, QColor]:
        found = self._colors.get(key)
        if found is None:
            line = QColor(UNKNOWN_COLOR)
            band = QColor(line)
            band.setAlpha(BAND_ALPHA)
            found = self._colors[key] = (band, line)
        return found

    def add_span(self, span: Span) -> None:
        self._change(lambda: self._index.add(span), None, span)

    def remove_span(self, span_id: int) -> None:
        old = self._index.get(span_id)
        if old is None:
            return
        self._change(lambda: self._index.remove(span_id), old, None)
        if self._selected == span_id:
            self._selected = None
            self.spanSelected.emit(None)

    def replace_span(self, span: Span) -> None:
        self._change(lambda: self._index.replace(span), self._index.get(span.id), span)

    def _change(self, mutate: Callable[[], object], old: Span | None, new: Span | None) -> None:
        """Apply one index change and repaint what it touches: the lines of the old and new span, or the whole
        view when the change moves other visible spans to other underline lanes (a nested span shifts the
        spans that overlap it, which may run on over lines far from it)."""
        if not self.isVisible():
            mutate()
            self.overview.span_changed(old, new)
            return
        lines = self._visible_lines()
        before = self._lanes_for(lines)
        mutate()
        self.overview.span_changed(old, new)
        after = self._lanes_for(lines)
        moved = {s.id for s in (old, new) if s is not None}
        if any(after.get(k, lane) != lane for k, lane in before.items() if k not in moved):
            self.viewport().update()
            return
        for span in (old, new):
            if span is not None:
                self._update_span(span, lines)

    @property
    def text(self) -> str:
        return self._text

    @property
    def position_map(self) -> PositionMap:
        return self._map

    @property
    def index(self) -> IntervalIndex:
        """The spans shown, in (start, end, id) order; read it, change spans through add/remove/replace."""
        return self._index

    @property
    def labels(self) -> list[Label]:
        return list(self._labels)

    def spans_in_order(self) -> list[Span]:
        return self._index.spans()

    def span_at_cp(self, pos: int) -> Span | None:
        """The innermost span containing code point ``pos``."""
        return self._index.innermost_at(pos)

    # ------------------------------------------------------------------ selection, in code points
    def selection_cp(self) -> tuple[int, int] | None:
        """The selected text as a code point range (a half-selected astral character counts whole)."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self._map.to_cp_range(cursor.selectionStart(), cursor.selectionEnd())

    def cursor_cp(self) -> int:
        return self._map.to_cp(self.textCursor().position())

    def select_cp(self, start: int, end: int) -> None:
        """Select ``text[start:end]`` (collapsed caret when equal) and bring it into view."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._map.to_qt(start))
        cursor.setPosition(self._map.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    @property
    def selected_span_id(self) -> int | None:
        return self._selected

    def set_selected_span(self, span_id: int | None) -> None:
        """Outline span ``span_id`` (None: no span), put the caret at its start and scroll it into view."""
        span = self._index.get(span_id) if span_id is not None else None
        if span is not None:
            visible = self._is_visible(self._map.to_qt(span.start))
            cursor = QTextCursor(self.document())
            cursor.setPosition(self._map.to_qt(span.start))
            self.setTextCursor(cursor)
            if not visible:
                self.scroll_to_cp(span.start)
        self._select_span(span)

    def _select_span(self, span: Span | None) -> None:
        old = self._index.get(self._selected) if self._selected is not None else None
        new_id = span.id if span is not None else None
        if new_id == self._selected:
            return
        self._selected = new_id
        for s in (old, span):
            if s is not None:
                self._update_span(s)
        self.spanSelected.emit(new_id)

    def scroll_to_cp(self, pos: int) -> None:
        """Scroll so code point ``pos`` is near the middle of the view (the caret stays where it is)."""
        doc = self.document()
        q = self._map.to_qt(pos)
        block = doc.findBlock(q)
        if not block.isValid():
            return
        layout = block.layout()
        if layout.lineCount() == 0:
            self.blockBoundingGeometry(block)  # lays the block out
        line = layout.lineForTextPosition(q - block.position())
        number = block.firstLineNumber() + (line.lineNumber() if line.isValid() else 0)
        bar = self.verticalScrollBar()
        bar.setValue(max(0, number - bar.pageStep() // 2))

    def find_text(self, needle: str, backwards: bool = False) -> bool:
        """Select the next (previous) case-insensitive occurrence of ``needle``, wrapping around."""
        if not needle:
            return False
        pattern = re.compile(re.escape(needle), re.IGNORECASE)  # per-character folding keeps offsets valid
        selection = self.selection_cp()
        here = self.cursor_cp()
        start, end = selection if selection else (here, here)
        if backwards:
            found = [m for m in pattern.finditer(self._text, 0, start)] or list(pattern.finditer(self._text))
            match = found[-1] if found else None
        else:
            match = pattern.search(self._text, end) or pattern.search(self._text)
        if match is None:
            return False
        self._select_span(None)
        self.select_cp(match.start(), match.end())
        return True

    # ------------------------------------------------------------------ geometry
    def _visible_lines(self) -> list[_Line]:
        """The laid-out lines intersecting the viewport, top to bottom. Changes no scroll position."""
        out: list[_Line] = []
        height = self.viewport().height()
        offset = self.contentOffset()
        block = self.firstVisibleBlock()
        while block.isValid():
            geo = self.blockBoundingGeometry(block).translated(offset)  # lays the block out if needed
            if geo.top() > height:
                break
            if block.isVisible():
                layout = block.layout()
                if block.length() > LONG_BLOCK:
                    layout.setCacheEnabled(True)
                top = geo.top()
                n = layout.lineCount()
                # first line whose bottom is below the viewport top (binary search: 1 M-char paragraphs)
                lo, hi = 0, n
                while lo < hi:
                    mid = (lo + hi) // 2
                    line = layout.lineAt(mid)
                    if top + line.y() + line.height() <= 0:
                        lo = mid + 1
                    else:
                        hi = mid
                pos = block.position()
                for i in range(lo, n):
                    line = layout.lineAt(i)
                    y = top + line.y()
                    if y > height:
                        break
                    start = pos + line.textStart()
                    end = start + line.textLength()
                    out.append(_Line(y, line.height(), geo.left(), line, pos, start, end, i == n - 1))
            block = block.next()
        return out

    def _x_range(self, line: _Line, qs: int, qe: int) -> tuple[float, float] | None:
        """Viewport x range of Qt range [qs, qe) on ``line``; None if they do not meet."""
        end = line.qb + 1 if line.block_end else line.qb
        qs, qe = max(qs, line.qa), min(qe, end)
        if qe <= qs:
            return None
        x1 = _cursor_x(line.line, qs - line.block_pos)
        if qe > line.qb:  # runs on over the line break
            x2 = line.line.x() + line.line.naturalTextWidth() + SEPARATOR_STUB
        else:
            x2 = _cursor_x(line.line, qe - line.block_pos)
        if x2 < x1:  # right-to-left run
            x1, x2 = x2, x1
        return line.left + x1, line.left + x2

    def _span_rects(self, span: Span, lines: list[_Line]) -> list[QRectF]:
        qs, qe = self._map.to_qt(span.start), self._map.to_qt(span.end)
        rects = []
        for line in lines:
            xs = self._x_range(line, qs, qe)
            if xs is not None:
                rects.append(QRectF(xs[0], line.top, xs[1] - xs[0], line.height))
        return rects

    def _is_visible(self, q: int) -> bool:
        height = self.viewport().height()
        return any(
            ln.qa <= q <= ln.qb and ln.top >= 0 and ln.top + ln.height <= height
            for ln in self._visible_lines()
        )

    def _update_span(self, span: Span, lines: list[_Line] | None = None) -> None:
        """Repaint only the lines ``span`` is on."""
        if not self.isVisible():
            return
        rects = self._span_rects(span, self._visible_lines() if lines is None else lines)
        if rects:
            top = min(r.top() for r in rects)
            bottom = max(r.bottom() for r in rects)
            self.viewport().update(QRect(0, int(top) - 2, self.viewport().width(), int(bottom - top) + 5))

    def _visible_spans(self, lines: list[_Line]) -> list[Span]:
        if not lines:
            return []
        to_cp = self._map.to_cp
        return self._index.overlapping(to_cp(lines[0].qa), to_cp(lines[-1].qb + 1, ceil=True))

    def _lanes_for(self, lines: list[_Line]) -> dict[int, int]:
        """Underline lane of each span on those lines: a function of what is on screen, never cached, so a
        grab or a partial repaint can never leave stale lanes behind."""
        return assign_lanes(self._visible_spans(lines))

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
        """Spans under ``point`` (viewport coordinates), innermost first."""
        q = self._qt_at(point)
        return self._index.at(self._map.to_cp(q)) if q is not None else []

    # ------------------------------------------------------------------ painting
    def paintEvent(self, event: QPaintEvent) -> None:
        if self._painting:  # never expected; if Qt ever nests a paint, draw just the text
            super().paintEvent(event)
            return
        self._painting = True
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

    def _paint_spans(self, lines: list[_Line], rect: QRect) -> None:
        to_qt = self._map.to_qt
        # Lanes over everything on screen (not just the rect), so partial repaints agree with full ones.
        visible = self._visible_spans(lines)
        lanes = assign_lanes(visible)
        bands: list[tuple[QRectF, QColor]] = []
        underlines: list[tuple[QRectF, QColor]] = []
        top, bottom = rect.top() - 1, rect.bottom() + 1
        line_starts = [line.qa for line in lines]
        for span in visible:
            qs, qe = to_qt(span.start), to_qt(span.end)
            band, colour = self._color(span.label)
            lane = min(lanes[span.id], MAX_LANES - 1)
            # the lines this span is on: from the one holding its start to the last starting before its end
            for i in range(max(0, bisect_right(line_starts, qs) - 1), bisect_left(line_starts, qe)):
                line = lines[i]
                if line.top + line.height < top or line.top > bottom:
                    continue
                xs = self._x_range(line, qs, qe)
                if xs is None:
                    continue
                width = xs[1] - xs[0]
                bands.append((QRectF(xs[0], line.top, width, line.height), band))
                y = line.top + line.height - UNDERLINE - lane * LANE_PITCH
                underlines.append((QRectF(xs[0], y, width, UNDERLINE), colour))
        if not bands:
            return
        painter = QPainter(self.viewport())
        painter.setClipRect(rect)
        for r, colour in bands:
            painter.fillRect(r, colour)
        for r, colour in underlines:
            painter.fillRect(r, colour)
        painter.end()

    def _paint_outline(self, lines: list[_Line], rect: QRect) -> None:
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

    # ------------------------------------------------------------------ events
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        vp = self.viewport().geometry()
        self.overview.setGeometry(vp.right() + 1, vp.top(), STRIP_WIDTH, vp.height())

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        """Qt blits what stays on screen and repaints only what scrolled in; if the spans coming in or going
        out change the lanes of spans that stay, repaint everything. Only reads geometry and schedules paints:
        never moves the scroll position (re-entrant calls just scroll)."""
        if self._scrolling or dy == 0 or not len(self._index):
            super().scrollContentsBy(dx, dy)
        else:
            self._scrolling = True
            try:
                lines = self._visible_lines()
                if abs(dy) >= len(lines):  # dy counts lines: nothing stays, Qt repaints it all anyway
                    super().scrollContentsBy(dx, dy)
                else:
                    before = self._lanes_for(lines)
                    super().scrollContentsBy(dx, dy)
                    after = self._lanes_for(self._visible_lines())
                    if any(after.get(k, lane) != lane for k, lane in before.items()):
                        self.viewport().update()
            finally:
                self._scrolling = False
        self.overview.update()  # only schedules a paint

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self.textCursor().hasSelection():
            self._select_span(None)  # a new text selection: label keys now apply to it
            return
        under = self.spans_at_point(event.position().toPoint())
        self._select_span(under[0] if under else None)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if self._selected is not None and self.textCursor().hasSelection():
            self._select_span(None)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tooltip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def tooltip_at(self, point: QPoint) -> str | None:
        """Label, annotator and note of each span under ``point``: rich text with every part escaped."""
        spans = self.spans_at_point(point)
        if not spans:
            return None
        names = {label.key: label.name for label in self._labels}
        parts = []
        for span in spans:
            head = html.escape(names.get(span.label, span.label))
            if span.annotator:
                head += " — " + html.escape(span.annotator)
            note = f"<br>{html.escape(span.note)}" if span.note else ""
            parts.append(f"<p style='white-space:pre-wrap'><b>{head}</b>{note}</p>")
        return "".join(parts)


class OverviewStrip(QWidget):
    """A thin map beside the scrollbar: one tick per span at its place in the whole statement.

    Each pixel row shows the labels of the spans starting in its share of the text, side by side in codebook
    order. The ticks are written straight into the bytes of a cached image: building it costs C-level passes
    over the index's starts plus a little work per occupied row (not per span), a span change rewrites the
    rows it touches, and a paint is one image blit. A shade marks the part of the statement on screen; a
    click or drag scrolls there.
    """

    def __init__(self, view: StatementView) -> None:
        super().__init__(view)
        self._view = view
        self._buf = bytearray()
        self._image: QImage | None = None
        self._patterns: dict[frozenset[str], bytes] = {}
        self._pending = False
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Where this statement's spans lie; click to go there")

    def invalidate(self) -> None:
        self._image = None
        self.update()

    def _row(self, cp: int) -> int:
        h = max(1, self.height())
        return min(h - 1, cp * h // max(1, len(self._view.text)))

    def _row_start(self, row: int) -> int:
        """First code point whose tick is in ``row`` (rows are ``cp * h // n``)."""
        return -(-row * max(1, len(self._view.text)) // max(1, self.height()))

    def span_changed(self, old: Span | None, new: Span | None) -> None:
        if not self.built:
            self.invalidate()
            return
        for span in (old, new):
            if span is not None:
                row = self._row(span.start)
                self._draw_rows(row, row + 1)
                self.update(0, row - 1, self.width(), 4)
        self._image = self._to_image()

    def _build(self) -> QImage:
        h = max(1, self.height())
        n = max(1, len(self._view.text))
        index = self._view.index
        starts = index.starts
        labels = [s.label for s in index]
        self._patterns = {}
        self._buf = bytearray(self._pattern(frozenset()) * h)
        stride = 4 * STRIP_WIDTH
        buf = self._buf
        for y in sorted(set(map(floordiv, map(mul, starts, repeat(h)), repeat(n)))):  # start < n: y < h
            lo = bisect_left(starts, -(-y * n // h))
            hi = bisect_left(starts, -(-(y + 1) * n // h), lo)
            pattern = self._pattern(frozenset(labels[lo:hi]))
            buf[y * stride : min(y + 2, h) * stride] = pattern if y + 1 == h else pattern * 2
        self._image = self._to_image()
        return self._image

    def _to_image(self) -> QImage:
        h = len(self._buf) // (4 * STRIP_WIDTH)
        return QImage(bytes(self._buf), STRIP_WIDTH, h, 4 * STRIP_WIDTH, QImage.Format.Format_RGB32).copy()

    def _pattern(self, keys: frozenset[str]) -> bytes:
        """One image row (RGB32 as little-endian BGRA) with the ``keys`` side by side in codebook order."""
        found = self._patterns.get(keys)
        if found is None:
            rank = {label.key: i for i, label in enumerate(self._view.labels)}
            ordered = sorted(keys, key=lambda k: (rank.get(k, len(rank)), k))  # unknown labels go last
            pixels = [self.palette().color(QPalette.ColorRole.AlternateBase).rgb()] * STRIP_WIDTH
            for i, key in enumerate(ordered):
                colour = self._view._color(key)[1].rgb()
                lo, hi = i * STRIP_WIDTH // len(ordered), (i + 1) * STRIP_WIDTH // len(ordered)
                pixels[lo:hi] = [colour] * (hi - lo)
            found = self._patterns[keys] = struct.pack(f"<{STRIP_WIDTH}I", *pixels)
        return found

    def _draw_rows(self, first: int, last: int) -> None:
        """Rewrite pixel rows ``first..last``: a tick is 2 px tall, so row y shows in rows y and y + 1."""
        stride = 4 * STRIP_WIDTH
        h = len(self._buf) // stride
        first, last = max(0, first), min(h - 1, last)
        buf, index = self._buf, self._view.index
        buf[first * stride : (last + 1) * stride] = self._pattern(frozenset()) * (last - first + 1)
        for y in range(max(0, first - 1), last + 1):
            keys = frozenset(s.label for s in index.starting_in(self._row_start(y), self._row_start(y + 1)))
            if keys:
                pattern = self._pattern(keys)
                for row in range(max(y, first), min(y + 1, last) + 1):
                    buf[row * stride : (row + 1) * stride] = pattern

    @property
    def built(self) -> bool:
        """Whether the ticks for the current document, codebook and height are drawn."""
        return self._image is not None and self._image.height() == max(1, self.height())

    def _build_later(self) -> None:
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self._build_now)

    def _build_now(self) -> None:
        self._pending = False
        if not self.built:
            self._build()
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        if self.built:
            assert self._image is not None
            painter.drawImage(0, 0, self._image)
        else:
            # Opening a statement shows its text first; the ticks (a few ms for 10 000 spans) follow at once.
            painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.AlternateBase))
            self._build_later()
        view = self._view
        if view.text:
            corner = QPoint(view.viewport().width(), view.viewport().height())
            top = view.cursorForPosition(QPoint(0, 0)).position()
            bottom = view.cursorForPosition(corner).position()
            to_cp = view.position_map.to_cp
            y1, y2 = self._row(to_cp(top)), self._row(to_cp(bottom))
            frame = QColor(self.palette().color(QPalette.ColorRole.Text))
            frame.setAlpha(50)
            box = QRectF(0.5, y1 + 0.5, self.width() - 1, max(3, y2 - y1))
            painter.fillRect(box, frame)
            frame.setAlpha(170)
            painter.setPen(QPen(frame, 1))
            painter.drawRect(box)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._jump(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._jump(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        event.accept()

    def _jump(self, event: QMouseEvent) -> None:
        event.accept()
        if self.height() > 0:
            y = min(max(event.position().y(), 0), self.height())
            self._view.scroll_to_cp(int(y * len(self._view.text) / self.height()))
