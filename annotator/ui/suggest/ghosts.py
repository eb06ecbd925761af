"""Ghost spans: the current statement's suggestions drawn over the statement view as dashed outlines in their
label's colour, each with a small tag "Label 0.73" (issue 13). A layer of its own above the view's viewport, so the
view's painting is untouched; it is transparent to the mouse and repaints whenever the view's text does."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from annotator.core.suggest.suggester import Suggestion


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
        view.updateRequest.connect(lambda *_: self.update())
        self._place()
        self.raise_()

    def _place(self) -> None:
        self.setGeometry(self.view.viewport().geometry())

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move, QEvent.Type.Show):
            self._place()
        return False

    def show_suggestions(self, suggestions: list[Suggestion], current: Suggestion | None,
                         names: dict[str, str], colors: dict[str, str]) -> None:
        self.suggestions, self.current, self.names, self.colors = suggestions, current, names, colors
        self.update()

    def tag(self, sg: Suggestion) -> str:
        return f"{self.names.get(sg.label, sg.label)} {sg.confidence:.2f}"

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.suggestions:
            return
        painter = QPainter(self)
        painter.setClipRect(event.rect())
        font = QFont(self.view.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.72))
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        for sg in self.suggestions:
            rects = self.view.cp_rects(sg.start, sg.end)
            if not rects:
                continue
            colour = QColor(self.colors.get(sg.label, "#888888"))
            current = sg == self.current
            pen = QPen(colour, 2.5 if current else 1.4, Qt.PenStyle.DashLine)
            pen.setDashPattern([4, 3] if current else [3, 3])
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for r in rects:
                painter.drawRect(r.adjusted(0, 1, 0, -1))
            first = rects[0]
            text = self.tag(sg)
            box = QRectF(first.left(), first.top() - metrics.height() + 1, metrics.horizontalAdvance(text) + 6,
                         metrics.height())
            if box.top() < 0:
                box.moveTop(first.top() + 1)
            painter.setPen(Qt.PenStyle.NoPen)
            fill = QColor(colour)
            fill.setAlpha(255 if current else 215)
            painter.setBrush(fill)
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(QColor("#ffffff") if colour.lightnessF() < 0.6 else QColor("#000000"))
            painter.drawText(box.adjusted(3, 0, -3, 0), Qt.AlignmentFlag.AlignVCenter, text)
        painter.end()

    def rect_of(self, sg: Suggestion) -> QRect | None:
        rects = self.view.cp_rects(sg.start, sg.end)
        return rects[0].toRect() if rects else None
