"""Ghost spans: the current statement's suggestions drawn over the statement view as dashed outlines in their
label's colour, each with a small tag "Label 0.73" (issue 13) just above the ghost's first line, never over the text:
in the row the view keeps for tags below the lanes of the line before, in the paragraphs where suggestions start
(:meth:`~annotator.ui.statement.spacing.ReadingMixin.keep_tag_rows`), or, on the statement's first line, in the
room the view keeps above it (:func:`~annotator.ui.statement.spacing.tag_height`). An outline runs around its text
and the underline lanes below it, never through a lane. A layer of its own above the view's viewport, so the view's
painting is untouched; it is transparent to the mouse and repaints whenever the view's text does."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from annotator.core.suggest.suggester import Suggestion
from annotator.ui.palette import ink_on
from annotator.ui.statement.spacing import tag_font, tag_height, tag_row


class GhostLayer(QWidget):
    def __init__(self, view) -> None:  # type: ignore[no-untyped-def]
        super().__init__(view)
        self.view = view
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.suggestions: list[Suggestion] = []
        self.current: Suggestion | None = None
        self.names: dict[str, str] = {}
        self.colors: dict[str, str] = {}
        view.viewport().installEventFilter(self)
        view.updateRequest.connect(self._text_updated)
        self._place()
        self.raise_()
        # hidden while it has nothing to draw: shown, this transparent layer over the whole viewport is painted with
        # every repaint of the statement (each label key press): ~0.25 ms CPU of a 2 ms repaint, loaded machine
        self.hide()

    def _place(self) -> None:
        self.setGeometry(self.view.viewport().geometry())

    def _text_updated(self, rect: QRect, dy: int) -> None:
        """The view repaints ``rect`` of its text (viewport coordinates, which are this layer's): the ghosts over it
        with it; all of them when the text scrolled. Not the whole layer for a caret's blink or one line's change:
        over the whole viewport, it repainted the statement under it too (a Next Suggested Statement's opened
        statement painted twice, the second time in the Documents list's turn; issue #14)."""
        if dy or rect.contains(self.rect()):
            self.update()
        else:
            self.update(rect)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move, QEvent.Type.Show):
            self._place()
        return False

    def show_suggestions(self, suggestions: list[Suggestion], current: Suggestion | None,
                         names: dict[str, str], colors: dict[str, str]) -> None:
        self.suggestions, self.current, self.names, self.colors = suggestions, current, names, colors
        self.view.keep_tag_rows(sg.start for sg in suggestions)  # room for their tags (nothing if kept already)
        if suggestions and self.isHidden():
            self._place()
            self.raise_()
        self.setVisible(bool(suggestions))
        self.update()

    def tag(self, sg: Suggestion) -> str:
        return f"{self.names.get(sg.label, sg.label)} {sg.confidence:.2f}"

    def _layout(self) -> list[tuple[Suggestion, list[QRectF], QRectF]]:
        """Each ghost on screen (in the ghosts' order) with the rectangles of its outline and its tag's box: what
        :meth:`paintEvent` draws and the tests ask of :meth:`tag_boxes` and :meth:`outline_rects`."""
        metrics = QFontMetricsF(tag_font(self.view.font()))
        height, row, rooms = tag_height(self.view.font()), tag_row(self.view.font()), self.view.lane_rooms()
        drawn: list[tuple[Suggestion, list[QRectF], int]] = []
        extents: dict[tuple[int, int], int] = {}
        for sg in self.suggestions:
            rects = self.view.cp_rects(sg.start, sg.end)
            if rects:
                nth = extents.get((sg.start, sg.end), 0)  # ghosts of one clause, nested so each outline shows
                extents[(sg.start, sg.end)] = nth + 1
                drawn.append((sg, rects, nth))
        boxes = place_tags([(tag_anchor(rects, height, row, rooms), metrics.horizontalAdvance(self.tag(sg)) + 6)
                            for sg, rects, _n in drawn], height, self.width())
        return [(sg, outlines(rects, nth, rooms), box) for (sg, rects, nth), box in zip(drawn, boxes, strict=True)]

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.suggestions:
            return
        laid = self._layout()
        painter = QPainter(self)
        painter.setClipRect(event.rect())
        painter.setFont(tag_font(self.view.font()))
        for sg, outline, _box in laid:
            colour = QColor(self.colors.get(sg.label, "#888888"))
            current = sg == self.current
            # the one Enter or Backspace acts on: a solid line; the others dashed. Each outline lies around the
            # text and its lanes, on neither (drawn on the glyphs' edges it cut their last letters and descenders;
            # 2 px below the line it ran along its first lane), and a second ghost of one clause lies around the first
            pen = QPen(colour, 2.0 if current else 1.2, Qt.PenStyle.SolidLine if current else Qt.PenStyle.DashLine)
            if not current:
                pen.setDashPattern([3, 3])
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for r in outline:
                painter.drawRect(r)
        for sg, _outline, box in laid:  # the tags over every outline
            colour = QColor(self.colors.get(sg.label, "#888888"))
            current = sg == self.current
            painter.setPen(Qt.PenStyle.NoPen)
            fill = QColor(colour)
            fill.setAlpha(255 if current else 215)
            painter.setBrush(fill)
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(ink_on(colour))
            painter.drawText(box.adjusted(3, 0, -3, 0), Qt.AlignmentFlag.AlignVCenter, self.tag(sg))
        painter.end()

    def tag_boxes(self) -> list[QRectF]:
        """Where the tags of the ghosts on screen are drawn now (in the layer's coordinates), in the ghosts' order;
        for tests."""
        return [box for _sg, _outline, box in self._layout()]

    def outline_rects(self, sg: Suggestion) -> list[QRectF]:
        """The rectangles of ``sg``'s outline as drawn now (the pen runs along their edges); for tests."""
        return next((outline for other, outline, _box in self._layout() if other == sg), [])

    def rect_of(self, sg: Suggestion) -> QRect | None:
        rects = self.view.cp_rects(sg.start, sg.end)
        return rects[0].toRect() if rects else None


GAP = 3.0
#: px between a ghost's outline and its text, and between two ghosts of one clause
OUTSET = 2.0
NEST = 2.5


def outlines(rects: list[QRectF], nth: int, rooms: dict[float, int]) -> list[QRectF]:
    """The outline around a ghost's line ``rects``, the ``nth`` ghost of its clause (0: the first): ``OUTSET`` px
    out from the text at the sides, its top edge 1 px above the line (in the room kept for tags), its bottom edge in
    the last px of the room its line's lanes take (``rooms``: by line top, :meth:`lane_rooms`), below every lane;
    a later ghost of the clause ``NEST`` px further out on each side."""
    out = OUTSET + NEST * nth
    boxes = []
    for r in rects:
        top = r.top() - out + 1
        bottom = r.bottom() + max(rooms.get(r.top(), 0) - 1, OUTSET) + NEST * nth
        boxes.append(QRectF(r.left() - out, top, r.width() + 2 * out, bottom - top))
    return boxes


def tag_anchor(rects: list[QRectF], height: float, row: int, rooms: dict[float, int]) -> QRectF:
    """Where a ghost's tag goes: above the first of its line ``rects`` whose row of tags (``height`` px above the
    line) is on screen, as :func:`place_tags` takes it (the tag's bottom on the rectangle's top). A ghost whose
    lines all lie at the top edge of the view, their rows above it (scrolled), hangs its tag below its first
    line's lanes (``rooms``), in the ``row`` px kept for tags there, rather than over its text or out of sight."""
    for r in rects:
        if r.top() - height >= 0:
            return r
    r = rects[0]
    below = r.bottom() + rooms.get(r.top(), 0) + row
    return QRectF(r.left(), below, r.width(), 0.0)


def place_tags(anchors: list[tuple[QRectF, float]], height: float, width: float) -> list[QRectF]:
    """A tag box for each (line rectangle of a ghost, tag width), none overlapping another: each sits just above
    the line (its bottom on the line's top edge, where the ghost's outline runs, in the row the view keeps for tags
    there), at the ghost's start; one that would cover a tag placed before moves right past it, or, with no room
    left on the right, to the nearest free place on its left (over another ghost's text, in the same row); only when
    the row has no room left at all, a row up (over the line above: the last resort of a line with more tags than its
    width holds); none runs off the right edge (``width``).

    A line at the top edge of the view (its row above out of sight) has its tag over its top, seen rather than out
    of sight (:func:`tag_anchor` gives such a line only when no other is on screen; the view keeps room above the
    statement's first line for one row of tags, so scrolled to the top it is over no text)."""
    placed: list[QRectF] = []
    for anchor, tag_width in anchors:
        top = anchor.top() - height
        if top < 0 <= anchor.bottom():  # the line at the top edge, no room above it on screen: over its top
            top = 0.0
        limit = max(0.0, width - tag_width - 2)
        want = min(max(0.0, anchor.left()), limit)
        box = QRectF(want, top, tag_width, height)
        for row in range(8):
            y = top - row * (height + 1)
            near = [p.adjusted(-GAP, 0, GAP, 0) for p in placed if p.top() < y + height and y < p.bottom()]
            xs = {want, *(p.right() for p in near), *(p.left() - tag_width for p in near)}
            free = [x for x in xs if 0.0 <= x <= limit
                    and not any(p.intersects(QRectF(x, y, tag_width, height)) for p in near)]
            box = QRectF(min(free, key=lambda x: (x < want, abs(x - want))) if free else want, y, tag_width, height)
            if free:
                break
        placed.append(box)
    return placed
