"""Where spans go on screen: the laid-out lines of the statement view, the x range of a Qt position range on a
line, and the rectangles a paint fills for the spans on screen (:mod:`annotator.ui.statement.view` draws them).

Everything here is in Qt positions; the view converts code points with its PositionMap.
"""

from __future__ import annotations

import heapq
import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from operator import attrgetter

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QTextBlock, QTextLine

from annotator.core.model import Span

TOOLTIP_SPANS = 12  # innermost first; a tooltip taller than the screen helps nobody

#: paragraphs longer than this keep their shaped glyphs between paints (a 1 M-char paragraph: 20 ms -> 1-2 ms)
LONG_BLOCK = 20_000
#: right-to-left letters (Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic, their presentation forms and
#: the astral RTL blocks) and the marks and embeddings that make text run right to left
_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff"
    "\u200f\u202b\u202e\u2067]"
)
MAX_LANES = 8  # underline lanes below a line; spans deeper than this share a thin line below the last lane
MIN_LANES = 2  # lanes of room kept below every line, so the first overlaps do not move the text
LANE_TOP = 1  # px between a line's text box and its first lane
INNERMOST_BANDS = 600  # up to this many spans on screen, bands take the innermost span's colour; beyond, a union
SEPARATOR_STUB = 5.0  # px shown after a line's text when a span runs on over the line break
_START, _END = attrgetter("start"), attrgetter("end")


@dataclass(slots=True)
class Line:
    """One laid-out line on screen: viewport geometry and its Qt position range."""

    top: float
    height: float
    left: float  # viewport x of the block's layout origin; x of a position = left + line.cursorToX(pos)
    line: QTextLine
    block_pos: int
    qa: int
    qb: int  # end of the line's text (the block separator, for the last line of a block)
    block_end: bool
    rtl: bool | None = None  # holds right-to-left text (None: not yet looked): x ranges from Qt's glyph runs
    extent: tuple[float, float] | None = None  # viewport x range of all its text, once asked for
    xs: dict[int, float] = field(default_factory=dict)  # x of Qt positions, asked for in this paint


def cursor_x(line: QTextLine, pos: int) -> float:
    """``QTextLine.cursorToX``: PySide6 returns ``(x, pos)`` for the C++ in/out argument."""
    x = line.cursorToX(pos)
    return float(x[0] if isinstance(x, tuple) else x)  # type: ignore[arg-type]


def lines_on_screen(
    block: QTextBlock, offset: QPointF, height: int, bounding_rect: Callable[[QTextBlock], QRectF]
) -> list[Line]:
    """The laid-out lines from ``block`` (the first visible one) down to ``height`` px, placed from the view's
    content ``offset``; ``bounding_rect`` is the view's ``blockBoundingRect``."""
    out: list[Line] = []
    while block.isValid():
        # as QPlainTextEdit.paintEvent walks: each block's own rect (laid out on demand), stacked from the
        # content offset (blockBoundingGeometry would re-add every block from the top one on each call)
        geo = bounding_rect(block).translated(offset)
        offset.setY(offset.y() + geo.height())
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
                out.append(Line(y, line.height(), geo.left(), line, pos, start, end, i == n - 1))
        block = block.next()
    return out


def x_ranges(line: Line, qs: int, qe: int) -> list[tuple[float, float]]:
    """Viewport x ranges of Qt range [qs, qe) on ``line``, left to right; none if they do not meet.

    A line of left-to-right text needs the x of the two ends (``cursorToX``). A line holding right-to-left
    text (``line.rtl``) asks Qt for the glyph runs of the range, as a logical range of mixed-direction text may
    be several pieces on screen. A range that runs on over the line break covers the rest of the line, plus a
    short stub past the text's right edge when it reaches it; one covering the whole line is its whole width,
    found without asking Qt.
    """
    qa, qb = line.qa, line.qb
    if qs <= qa and qe >= qb and qe > qa:  # all of the line's text: its whole width, in either direction
        extent = line.extent
        if extent is None:
            x = line.line.x()
            extent = line.extent = (line.left + x, line.left + x + line.line.naturalTextWidth())
        if qe > qb and line.block_end:
            return [(extent[0], extent[1] + SEPARATOR_STUB)]
        return [extent]
    end = qb + 1 if line.block_end else qb
    qs, qe = max(qs, qa), min(qe, end)
    if qe <= qs:
        return []
    text_line, left = line.line, line.left
    right: float | None = None
    if qe > qb:  # runs on over the line break
        right = text_line.x() + text_line.naturalTextWidth()
        qe = qb
    pieces = _glyph_pieces(line, qs, qe) if line.rtl else None
    if not pieces:
        memo = line.xs
        x1 = memo.get(qs)
        if x1 is None:
            x1 = memo[qs] = cursor_x(text_line, qs - line.block_pos)
        x2 = memo.get(qe)
        if x2 is None:
            x2 = memo[qe] = cursor_x(text_line, qe - line.block_pos)
        pieces = [(x1, x2) if x1 <= x2 else (x2, x1)]
    if right is not None and pieces[-1][1] >= right - 0.5:  # reaches the text's right edge: show the run-on
        pieces[-1] = (pieces[-1][0], right + SEPARATOR_STUB)
    return [(left + a, left + b) for a, b in pieces]


def _glyph_pieces(line: Line, qs: int, qe: int) -> list[tuple[float, float]]:
    """Layout x ranges of the glyphs of [qs, qe) on a line holding right-to-left text, merged where they touch."""
    if qe <= qs:
        return []
    spans = sorted(
        (r.left(), r.right())
        for r in (run.boundingRect() for run in line.line.glyphRuns(qs - line.block_pos, qe - qs))
        if r.width() > 0
    )
    out: list[tuple[float, float]] = []
    for a, b in spans:
        if out and a <= out[-1][1] + 0.5:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def right_to_left(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds a right-to-left letter or direction mark."""
    return _RTL.search(text, start, end) is not None


def lane_metrics(line_height: float) -> tuple[int, int]:
    """(thickness, pitch) of the underline lanes for lines ``line_height`` px tall: 2/3 px at reading sizes,
    thicker as the text is zoomed."""
    thickness = max(2, round(line_height / 8))
    return thickness, thickness + max(1, thickness // 2)


def lane_room(lanes: int, line_height: float) -> int:
    """px of room below a line for ``lanes`` underline lanes (one more slot for the shared deep line)."""
    _thickness, pitch = lane_metrics(line_height)
    slots = min(lanes, MAX_LANES) + (1 if lanes > MAX_LANES else 0)
    return LANE_TOP + slots * pitch + 1


def max_depth(spans: list[Span], cap: int) -> int:
    """The greatest number of ``spans`` (in start order) covering one character, counted up to ``cap``."""
    ends = sorted(s.end for s in spans)
    depth, j = 0, 0
    for i, span in enumerate(spans):
        while ends[j] <= span.start:
            j += 1
        if i + 1 - j > depth:
            depth = i + 1 - j
            if depth >= cap:
                return cap
    return depth


def span_fills(
    shown: list[Line],
    visible: list[Span],
    lanes: list[int],
    to_qt_many: Callable[[list[int]], list[int]],
    color_of: Callable[[str], tuple[QColor, QColor]],
    shade: QColor,
    lane: tuple[int, int] = (2, 3),
    kept: dict[tuple[int, int, float | None, float, int], list[QRectF]] | None = None,
) -> list[tuple[QColor, list[QRectF]]]:
    """The rectangles to fill, per colour, for the ``visible`` spans (in start order, with their underline
    ``lanes``) on the ``shown`` lines: bands, then underlines, then the deep-overlap line.

    Bands: each stretch of text in the colour of the innermost span over it (:func:`innermost_stretches`),
    never a blend of labels; on a screen of more than :data:`INNERMOST_BANDS` spans, one band per label per
    stretch its spans cover (the union, in one pass). Bands never pile up, so the text stays legible.

    Underlines: one per span, in the room *below* the line's text (the view's line spacing keeps it free),
    lane 0 nearest the text, each ``lane`` = (thickness, pitch) px: every span stays identifiable by its own
    coloured line however many overlap, and nothing is drawn through the glyphs. Spans deeper than
    :data:`MAX_LANES` share a thin line (``shade``) below the last lane. A screenful of the densest statement
    (hundreds of spans per line) thus costs a few primitives per line. ``color_of(label)``: (band, underline).

    ``kept``: the rectangles of each range found in earlier paints of the same ``shown`` lines (the caller drops
    it when the lines change), filled in here: a label key repaints a screen whose ranges are nearly all known.
    """
    starts = [ln.qa for ln in shown]
    thickness, pitch = lane
    # rectangles per colour, colours in first-use order (all bands, then underlines, then the deep shade):
    # one drawRects call per colour paints the same pixels as a fillRect per rectangle, in a few calls
    fills: dict[int, tuple[QColor, list[QRectF]]] = {}

    def put(qs: int, qe: int, colour: QColor, below: float | None, height: float, trim: int = 0) -> None:
        """Fill [qs, qe) on each line it is on: the line's text box (``below`` None), or a ``height`` px
        stripe ``below`` px under it; ``trim`` px short at the end."""
        key = (qs, qe, below, height, trim)
        rects = kept.get(key) if kept is not None else None
        if rects is None:
            rects = place(qs, qe, below, height, trim)
            if kept is not None:
                kept[key] = rects
        found = fills.get(id(colour))
        (found[1] if found is not None else fills.setdefault(id(colour), (colour, []))[1]).extend(rects)

    def place(qs: int, qe: int, below: float | None, height: float, trim: int) -> list[QRectF]:
        """The rectangles of :func:`put`. (A dense screen makes hundreds of these per first paint: the lines a
        range covers whole take their kept extent, and a range inside one line its two kept x, without a call.)"""
        out: list[QRectF] = []
        append = out.append
        first = bisect_right(starts, qs) - 1
        for i in range(first if first > 0 else 0, bisect_left(starts, qe)):
            line = shown[i]
            qa, qb = line.qa, line.qb
            top = line.top if below is None else line.top + line.height + below
            tall = line.height if below is None else height
            if qs <= qa and qb <= qe and qa < qe and (qe == qb or not line.block_end):
                extent = line.extent  # all of the line's text, no run-on stub: x_ranges' first case
                if extent is None:
                    x = line.line.x()
                    extent = line.extent = (line.left + x, line.left + x + line.line.naturalTextWidth())
                x1, x2 = extent
            elif qa <= qs < qe <= qb and not line.rtl:  # inside one line of left-to-right text: x_ranges inlined
                memo = line.xs
                x1 = memo.get(qs)
                if x1 is None:
                    x1 = memo[qs] = cursor_x(line.line, qs - line.block_pos)
                x2 = memo.get(qe)
                if x2 is None:
                    x2 = memo[qe] = cursor_x(line.line, qe - line.block_pos)
                if x2 < x1:
                    x1, x2 = x2, x1
                x1 += line.left
                x2 += line.left
            else:
                for x1, x2 in x_ranges(line, qs, qe):
                    width = x2 - x1 - trim
                    append(QRectF(x1, top, width if width > 1.0 else 1.0, tall))
                continue
            width = x2 - x1 - trim
            append(QRectF(x1, top, width if width > 1.0 else 1.0, tall))
        return out

    unions: dict[str, list[list[int]]] = {}
    innermost = len(visible) <= INNERMOST_BANDS
    if innermost:
        for start, end, label in innermost_stretches(visible):
            unions.setdefault(label, []).append([start, end])
    deep: list[list[int]] = []
    last_deep: list[int] = [-1, -1]
    for span, depth in zip(visible, lanes, strict=True):
        start, end = span.start, span.end
        if not innermost:
            segments = unions.get(span.label)
            if segments is None:
                unions[span.label] = [[start, end]]
            else:
                last = segments[-1]
                if start > last[1]:
                    segments.append([start, end])
                elif end > last[1]:
                    last[1] = end
        if depth >= MAX_LANES:
            if not deep or start > last_deep[1]:
                last_deep = [start, end]
                deep.append(last_deep)
            elif end > last_deep[1]:
                last_deep[1] = end
    for label, segments in unions.items():
        band = color_of(label)[0]
        qt = to_qt_many([p for segment in segments for p in segment])
        for i in range(0, len(qt), 2):
            put(qt[i], qt[i + 1], band, None, 0)
    lined = [(span, depth) for span, depth in zip(visible, lanes, strict=True) if depth < MAX_LANES]
    qt = to_qt_many([p for span, _depth in lined for p in (span.start, span.end)])
    for i, (span, depth) in enumerate(lined):  # 1 px short: two abutting spans show a break between them
        colour = color_of(span.label)[1]
        put(qt[2 * i], qt[2 * i + 1], colour, LANE_TOP + depth * pitch, thickness, 1)
    if deep:
        qt = to_qt_many([p for segment in deep for p in segment])
        for i in range(0, len(qt), 2):
            put(qt[i], qt[i + 1], shade, LANE_TOP + MAX_LANES * pitch, 1)
    return list(fills.values())


def innermost_stretches(spans: list[Span]) -> list[tuple[int, int, str]]:
    """(start, end, label) of each stretch of text covered by ``spans`` (in start order), coloured by the
    innermost span over it (the one that started last; of those, the one ending first): bands of one colour
    each, never a blend of several labels into grey."""
    out: list[tuple[int, int, str]] = []
    if not spans:
        return out
    bounds = sorted(set(map(_START, spans)).union(map(_END, spans)))
    active: list[tuple[int, int, int, str]] = []  # (-start, end, order, label): the innermost on top
    push, pop = heapq.heappush, heapq.heappop
    i, n = 0, len(spans)
    next_start = spans[0].start
    last_start, last_end, last_label = -1, -1, ""  # the stretch made last, kept apart to extend it cheaply
    pos = bounds[0]
    for following in islice(bounds, 1, None):
        if next_start <= pos:
            while i < n:
                span = spans[i]
                if span.start > pos:
                    next_start = span.start
                    break
                push(active, (-span.start, span.end, i, span.label))
                i += 1
            else:
                next_start = bounds[-1] + 1  # none left to start
        while active and active[0][1] <= pos:
            pop(active)
        if active:
            label = active[0][3]
            if last_end == pos and last_label == label:
                last_end = following
            else:
                if last_end >= 0:
                    out.append((last_start, last_end, last_label))
                last_start, last_end, last_label = pos, following, label
        pos = following
    if last_end >= 0:
        out.append((last_start, last_end, last_label))
    return out


def tooltip_html(spans: list[Span], names: dict[str, str]) -> str:
    """Label, annotator and note of each of ``spans`` (innermost first): rich text with every part escaped."""
    parts = []
    for span in spans[:TOOLTIP_SPANS]:
        head = html.escape(names.get(span.label, span.label))
        if span.annotator:
            head += " — " + html.escape(span.annotator)
        note = f"<br>{html.escape(span.note)}" if span.note else ""
        parts.append(f"<p style='white-space:pre-wrap'><b>{head}</b>{note}</p>")
    if len(spans) > TOOLTIP_SPANS:
        parts.append(f"<p>… and {len(spans) - TOOLTIP_SPANS} more overlapping spans</p>")
    return "".join(parts)
