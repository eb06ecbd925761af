"""Ghost spans: the current statement's suggestions drawn over the statement view as dashed outlines in their
label's colour, each with a small tag "Label 0.73" (issue 13) just above the ghost's first line, never over the text:
in the room below the line before, or, on the statement's first line, in the room the view keeps above it
(:func:`~annotator.ui.statement.spacing.tag_height`). A layer of its own above the view's viewport, so the view's
painting is untouched; it is transparent to the mouse and repaints whenever the view's text does."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from annotator.core.suggest.suggester import Suggestion
from annotator.ui.statement.spacing import tag_font, tag_height


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
        if suggestions and self.isHidden():
            self._place()
            self.raise_()
        self.setVisible(bool(suggestions))
        self.update()

    def tag(self, sg: Suggestion) -> str:
        return f"{self.names.get(sg.label, sg.label)} {sg.confidence:.2f}"

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.suggestions:
            return
        painter = QPainter(self)
        painter.setClipRect(event.rect())
        font = tag_font(self.view.font())
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        drawn: list[tuple[Suggestion, list[QRectF], int]] = []
        extents: dict[tuple[int, int], int] = {}
        for sg in self.suggestions:
            rects = self.view.cp_rects(sg.start, sg.end)
            if rects:
                nth = extents.get((sg.start, sg.end), 0)  # ghosts of one clause, nested so each outline shows
                extents[(sg.start, sg.end)] = nth + 1
                drawn.append((sg, rects, nth))
        boxes = place_tags([(rects[0], metrics.horizontalAdvance(self.tag(sg)) + 6) for sg, rects, _n in drawn],
                           tag_height(self.view.font()), self.width())
        for sg, rects, nth in drawn:
            colour = QColor(self.colors.get(sg.label, "#888888"))
            current = sg == self.current
            # the one Enter or Backspace acts on: a solid line; the others dashed. Each outline lies around the
            # text, never on it (drawn on the glyphs' edges it cut their last letters and descenders), and a second
            # ghost of one clause lies around the first
            pen = QPen(colour, 2.0 if current else 1.2, Qt.PenStyle.SolidLine if current else Qt.PenStyle.DashLine)
            if not current:
                pen.setDashPattern([3, 3])
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            out = OUTSET + NEST * nth
            for r in rects:
                painter.drawRect(r.adjusted(-out, -out + 1, out, out))
        for (sg, _rects, _nth), box in zip(drawn, boxes, strict=True):  # the tags over every outline
            colour = QColor(self.colors.get(sg.label, "#888888"))
            current = sg == self.current
            painter.setPen(Qt.PenStyle.NoPen)
            fill = QColor(colour)
            fill.setAlpha(255 if current else 215)
            painter.setBrush(fill)
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(QColor("#ffffff") if colour.lightnessF() < 0.6 else QColor("#000000"))
            painter.drawText(box.adjusted(3, 0, -3, 0), Qt.AlignmentFlag.AlignVCenter, self.tag(sg))
        painter.end()

    def tag_boxes(self) -> list[QRectF]:
        """Where the tags of the ghosts are drawn now (in the layer's coordinates), in the ghosts' order; for tests."""
        metrics = QFontMetricsF(tag_font(self.view.font()))
        anchors = []
        for sg in self.suggestions:
            rects = self.view.cp_rects(sg.start, sg.end)
            if rects:
                anchors.append((rects[0], metrics.horizontalAdvance(self.tag(sg)) + 6))
        return place_tags(anchors, tag_height(self.view.font()), self.width())

    def rect_of(self, sg: Suggestion) -> QRect | None:
        rects = self.view.cp_rects(sg.start, sg.end)
        return rects[0].toRect() if rects else None


GAP = 3.0
#: px between a ghost's outline and its text, and between two ghosts of one clause
OUTSET = 2.0
NEST = 2.5


def place_tags(anchors: list[tuple[QRectF, float]], height: float, width: float) -> list[QRectF]:
    """A tag box for each (first line rectangle of a ghost, tag width), none overlapping another: each sits just
    above its ghost's first line (its bottom on the line's top edge, where the ghost's outline runs), at its start;
    one that would cover a tag placed before moves right past it, and when the line has no room left, a row up;
    none runs off the right edge (``width``).

    Never over the line's text but where the line is scrolled to the top edge of the view: there the tag is drawn
    over the line's top, seen rather than out of sight (the view keeps room above the statement's first line for
    one row of tags, so scrolled to the top it is over no text)."""
    placed: list[QRectF] = []
    for anchor, tag_width in anchors:
        top = anchor.top() - height
        if top < 0 <= anchor.bottom():  # the line at the top edge, no room above it on screen: over its top
            top = 0.0
        box = QRectF(0, top, tag_width, height)
        for row in range(8):
            box.moveTop(top - row * (height + 1))
            x = min(anchor.left(), max(0.0, width - tag_width - 2))
            for _ in range(len(placed) + 1):
                box.moveLeft(x)
                hit = [p for p in placed if p.adjusted(-GAP, 0, GAP, 0).intersects(box)]
                if not hit:
                    break
                x = max(p.right() for p in hit) + GAP
            else:
                continue
            if not hit and box.right() <= max(width, tag_width + 2):
                break
        placed.append(QRectF(box))
    return placed
