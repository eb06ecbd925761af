"""The reading side of the statement view: font, line spacing, line width, and the room below each line where
the spans' underline lanes go (:class:`~annotator.ui.statement.view.StatementView` mixes it in).

The room below a paragraph's lines is what the line spacing asks for, and at least what the deepest overlap
of spans in that paragraph needs for one underline lane per span (:func:`~annotator.ui.statement.span_layer.lane_room`),
counted lazily per paragraph as Qt lays it out and grown when a new span overlaps deeper. It never shrinks
while a statement is open, so deleting a span does not make the text jump.

Above the first line there is room for a suggestion's tag (a tag sits above its line; the first line has no line
before it), whether or not suggestions are shown, so the text does not jump when they come. Between the lines, the
room for a row of tags (:func:`tag_row`) is kept below the lanes only in the paragraphs where suggestions start and
the paragraph before each (:meth:`ReadingMixin.keep_tag_rows`), until another statement opens: a tag there covers no
lane and no descender of the line above it, and the other paragraphs, and a statement without suggestions, read as
densely as before.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QTextBlock, QTextDocument, QTextLine, QWheelEvent

from annotator.core.model import Span
from annotator.ui.statement.layout import SpacedLayout
from annotator.ui.statement.overview import STRIP_WIDTH
from annotator.ui.statement.span_layer import LANE_TOP, MAX_LANES, MIN_LANES, lane_metrics, lane_room

if TYPE_CHECKING:
    _Base = Any
else:
    _Base = object

MARGIN = 8  # px around the text (Qt's document margin)
TAG_SCALE = 0.72  # a suggestion's tag ("Label 0.73", drawn above its line) in this fraction of the text's size
FAR = 200  # paragraphs from the first one on screen beyond which the lanes are not counted yet
WALK_BACK = 4  # paragraphs looked back at for spans running on into one (beyond: room for every lane)


def tag_font(font: QFont) -> QFont:
    """The font of the suggestions' tags over a statement shown in ``font``."""
    small = QFont(font)
    small.setPointSizeF(max(6.0, font.pointSizeF() * TAG_SCALE))
    return small


def tag_height(font: QFont) -> float:
    """px of a tag's box over a statement shown in ``font``: its text's height less 1 px (the tag's top where it
    always was, its bottom meets its line's top edge instead of crossing into the line)."""
    return QFontMetricsF(tag_font(font)).height() - 1


def tag_row(font: QFont) -> int:
    """px of room for a row of suggestions' tags between two lines of a statement shown in ``font`` (below the
    upper line's lanes): a tag's height and at least 1 px clear of those lanes and of a ghost's outline around them
    (:mod:`annotator.ui.suggest.ghosts`)."""
    return math.ceil(tag_height(font) + 1)


class ReadingMixin(_Base):
    """Reading settings and lane room for a ``QPlainTextEdit`` that has ``_index``, ``_map``, ``overview``,
    ``zoomRequested`` and ``_forget_lines`` (the statement view); and room above the first line for the tag of a
    suggestion there (:func:`tag_height`)."""

    def _init_reading(self) -> None:
        document = self._document = QTextDocument(self)  # both kept referenced for as long as the view lives
        self._layout = SpacedLayout(document)
        document.setDocumentLayout(self._layout)
        self.setDocument(document)
        document.setDocumentMargin(MARGIN)
        self._spacing = 1.0  # line spacing asked for (1.0: single)
        self._max_chars = 0  # longest line in average characters (0: the view's width)
        self._block_lanes: dict[int, int] = {}  # underline lanes the room below a paragraph's lines holds
        self._counting_off = False
        self._layout.room = self._room_kept
        #: the statement (its PositionMap) whose paragraphs ``_tag_blocks`` keep room for a row of tags below their
        #: lines (keep_tag_rows)
        self._tag_rows_for: object | None = None
        self._tag_blocks: set[int] = set()
        self._tag_row = tag_row(self.font())
        self._layout.set_top(self._tag_room())
        self._line_height = QFontMetricsF(self.font()).height()
        self._side = 0  # px of blank margin on each side when the line width is limited
        self.setViewportMargins(0, 0, STRIP_WIDTH, 0)

    def set_reading(self, font: QFont, spacing: float, max_chars: int) -> None:
        """Show the text in ``font``, lines ``spacing`` apart (1.0: single), at most ``max_chars`` average
        characters wide (0: as wide as the view), centred. Spans, the overview and the caret follow."""
        self._spacing = max(1.0, float(spacing))
        self._max_chars = max(0, int(max_chars))
        if font != self.font():
            self.setFont(font)  # Qt lays the text out again (changeEvent drops our line geometry)
        self._update_gap()
        self._update_margins()
        self.viewport().update()
        self.overview.update()

    @property
    def reading(self) -> tuple[QFont, float, int]:
        return QFont(self.font()), self._spacing, self._max_chars

    def line_gap(self) -> int:
        """px of room below each line (line spacing, and the underline lanes)."""
        return self._layout.gap

    def _update_gap(self) -> None:
        """Room below each line: what the line spacing asks for, and at least the lanes of :data:`MIN_LANES`
        (a paragraph with deeper overlaps gets more: :meth:`_room`)."""
        height = self._line_height = QFontMetricsF(self.font()).height()
        self._tag_row = tag_row(self.font())
        wanted = max(round(height * (self._spacing - 1.0)), lane_room(MIN_LANES, height))
        if self._layout.set_gap(wanted) | self._layout.set_top(self._tag_room()):
            self._forget_lines()
            self.viewport().update()

    def _tag_room(self) -> int:
        """px above the first line for a suggestion's tag (the document margin gives part of it), 1 px to spare."""
        return max(0, math.ceil(tag_height(self.font()) + 1 - MARGIN))

    def _lanes_of(self, block: QTextBlock) -> int:
        """Underline lanes the spans over ``block`` need (at least :data:`MIN_LANES`): the deepest overlap at
        the paragraph's start or at a span starting in it, and at least the lanes of the paragraph before when
        spans run on into this one (their lanes were given there; past :data:`WALK_BACK` paragraphs of such
        spans, room for every lane). Kept until a span there overlaps deeper,
        never fewer while the statement is open (the text does not jump back when a span is deleted).

        Counted by the index (:meth:`~annotator.core.intervals.IntervalIndex.depths`), up to the deepest lane
        only: a paragraph of a dense statement holds hundreds of overlapping spans."""
        number = block.blockNumber()
        lanes = self._block_lanes.get(number)
        if lanes is not None:
            return lanes
        if self._counting_off or not len(self._index):
            return MIN_LANES  # during setPlainText, Qt lays out an emptied document first: not worth keeping
        if abs(number - self.firstVisibleBlock().blockNumber()) > FAR:
            # Qt measures the last paragraphs for its scroll bar: counting there would convert positions
            # across the whole text (a 1 M-character statement: +13 ms to open); counted when scrolled to
            return MIN_LANES
        depths, to_cp, cap = self._index.depths, self._map.to_cp, MAX_LANES + 1
        pending = []  # this paragraph and the ones before it that spans run on from, not yet counted
        before = MIN_LANES
        while True:
            pending.append(block)
            a = to_cp(block.position())
            if block.blockNumber() == 0 or depths(a, a, 1)[0] == 0:
                break
            if len(pending) > WALK_BACK:  # spans run on over many paragraphs (a dense statement): room for all
                before = cap
                break
            block = block.previous()
            known = self._block_lanes.get(block.blockNumber())
            if known is not None:
                before = known
                break
        for block in reversed(pending):
            a, b = to_cp(block.position()), to_cp(block.position() + block.length(), ceil=True)
            at_a, depth = depths(a, b, cap)
            if at_a:
                depth = max(depth, before)
            before = self._block_lanes[block.blockNumber()] = max(MIN_LANES, min(depth, cap))
        return self._block_lanes[number]

    def _room(self, block: QTextBlock) -> int:
        room = lane_room(self._lanes_of(block), self._line_height)
        if self._tag_rows_for is self._map and block.blockNumber() in self._tag_blocks:
            room += self._tag_row  # a suggestion's tag may sit below this paragraph's lines: a row below the lanes
        return room

    def keep_tag_rows(self, starts: Iterable[int]) -> None:
        """Suggestions start at ``starts`` (code points) in the open statement: room for a row of their tags below
        the lines of each paragraph one starts in, and of the paragraph before it (a tag sits above its ghost's first
        line, below the line before: the paragraph before's last when the ghost starts a paragraph), below the
        lanes (:func:`tag_row`; a line spacing that leaves room enough already moves nothing). Kept, once made, until
        another statement opens, so the text does not jump back when a suggestion is accepted or rejected; the other
        paragraphs read as densely as without suggestions. Cheap when nothing changes (each key press repaints the
        suggestions)."""
        if self._tag_rows_for is not self._map:
            self._tag_rows_for, self._tag_blocks = self._map, set()
        doc, to_qt, wanted = self.document(), self._map.to_qt, set()
        for cp in starts:
            number = doc.findBlock(to_qt(cp)).blockNumber()
            if number >= 0:
                wanted.update((number, number - 1) if number else (number,))
        if wanted <= self._tag_blocks:
            return
        self._tag_blocks |= wanted
        self._layout.forget()
        self._forget_lines()
        self.viewport().update()

    def lane_rooms(self) -> dict[float, int]:
        """px below each line on screen (by its viewport top) that its underline lanes take
        (:func:`~annotator.ui.statement.span_layer.lane_room` of its paragraph's lanes): what a layer drawn over
        the view keeps clear of."""
        rooms: dict[float, int] = {}
        doc = self.document()
        last_pos, room = -1, 0
        for line in self._visible_lines():
            if line.block_pos != last_pos:
                last_pos = line.block_pos
                lanes = self._lanes_of(doc.findBlock(line.block_pos))
                room = lane_room(lanes, self._line_height)
            # the lanes are drawn to the metrics of the line's own height (the layout's room: the font's)
            rooms[line.top] = max(room, lane_room(lanes, line.height))
        return rooms

    def _room_kept(self, block: QTextBlock) -> tuple[int, bool]:
        """:meth:`_room`, and whether it is final (the paragraph's lanes are counted and kept): the layout
        remembers the paragraph's rectangle then."""
        return self._room(block), block.blockNumber() in self._block_lanes

    def _make_room(self, span: Span) -> None:
        """A new or moved span: if it overlaps deeper than the lanes of the paragraphs it is on hold, their
        lines move apart (the layout sees it on the next paint) and everything below is repainted. Only the
        depth inside the span changed: counted at its start and at each span starting in it, up to the deepest
        lane (a dense statement's span holds hundreds of others; listing them took milliseconds)."""
        depth = self._index.depths(span.start, span.end, MAX_LANES + 1)[1]
        if depth <= MIN_LANES:
            return
        doc = self.document()
        block, last = doc.findBlock(self._map.to_qt(span.start)), doc.findBlock(self._map.to_qt(span.end))
        grew = False
        while block.isValid():
            number = block.blockNumber()
            before = self._block_lanes.get(number)
            if before is not None and depth > before:
                self._block_lanes[number] = depth
                grew = True
            if block == last:
                break
            block = block.next()
        if grew:
            self._layout.forget()
            self._forget_lines()
            self.viewport().update()

    def _update_margins(self) -> None:
        """Centre a column of at most ``max_chars`` characters; the overview strip stays at the right edge."""
        avail = self.viewport().width() + 2 * self._side  # the width the margins share with the text
        side = 0
        if self._max_chars:
            column = self._max_chars * QFontMetricsF(self.font()).averageCharWidth()
            column += 2 * self.document().documentMargin()
            side = max(0, int((avail - column) / 2))
        if side != self._side:
            self._side = side
            self.setViewportMargins(side, 0, STRIP_WIDTH + side, 0)
        self._place_overview()

    def _place_overview(self) -> None:
        vp = self.viewport().geometry()
        self.overview.setGeometry(vp.right() + 1 + self._side, vp.top(), STRIP_WIDTH, vp.height())

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:  # not Qt's own zoom: the settings' one
            steps = event.angleDelta().y() // 120
            if steps:
                self.zoomRequested.emit(steps)
            event.accept()
            return
        super().wheelEvent(event)

    def _span_in_lane(self, point: QPoint) -> list[Span]:
        """The span whose underline lane is under ``point`` (the room below a line), as a one-item list: a
        hover there shows its tooltip, a click selects it."""
        y, x = point.y(), point.x()
        lines = self._visible_lines()
        for i, line in enumerate(lines):
            below = line.top + line.height + LANE_TOP
            following = lines[i + 1].top if i + 1 < len(lines) else below + self._layout.gap
            if not below <= y < following:
                continue
            _thickness, pitch = lane_metrics(line.height)
            lane = int((y - below) // pitch)
            left = line.left + line.line.x()
            if not left <= x < left + line.line.naturalTextWidth() or lane >= MAX_LANES:
                return []
            q = line.block_pos + line.line.xToCursor(x - line.left, QTextLine.CursorPosition.CursorOnCharacter)
            cp = self._map.to_cp(min(q, max(line.qb - 1, line.qa)))
            lanes = self._lanes_for(lines)
            return [s for s in self._index.at(cp) if lanes.get(s.id) == lane][:1]
        return []
