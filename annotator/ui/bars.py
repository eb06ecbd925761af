"""The agreement report's chart: horizontal bars with their values written beside them, drawn with QPainter
(:class:`HorizontalBars`), and what every chart of the app shares: its colours (the Okabe–Ito palette, colour-blind
safe, or the codebook's colours when the series are labels) and its PNG and CSV exports (the widget as drawn; the
figures it shows).

No pyqtgraph here (``annotator/ui/charts.py`` draws the corpus window's charts with it): the report loaded it, and
numpy, for a chart it does not draw with them, 0.56 s of imports in the report's thread holding the GIL 40-50 ms at
a time against the window's (issue #14). Text is set as plain text.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, Qt
from PySide6.QtGui import QColor, QFontMetrics, QHelpEvent, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QSizePolicy, QToolTip, QWidget

from annotator.core.neutral import csv_row
from annotator.formats.common import output_file
from annotator.ui.text import plain_tooltip, to_qt

ELIDE = Qt.TextElideMode.ElideRight
ACTIVATION = (QEvent.Type.WindowActivate, QEvent.Type.WindowDeactivate)
ACTIVE, INACTIVE = QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive
#: the palette's colours :class:`HorizontalBars` draws with
DRAWN_WITH = (QPalette.ColorRole.Base, QPalette.ColorRole.Text, QPalette.ColorRole.AlternateBase)

#: Okabe & Ito (2008): distinct to every common colour vision
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")


def colour(i: int, given: Sequence[str | None] = ()) -> str:
    if i < len(given) and given[i]:
        return str(given[i])
    return PALETTE[i % len(PALETTE)]


def text_colour() -> QColor:
    return QApplication.palette().color(QPalette.ColorRole.WindowText)


def write_png(widget: QWidget, target: str | Path) -> None:
    """``widget`` as drawn, written through a temporary file renamed into place."""
    image = widget.grab()
    with output_file(target) as out:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        out.write(bytes(data.data()))


def write_csv(target: str | Path, title: str, categories: Sequence[str],
              series: Sequence[tuple[str, Sequence[float | None]]]) -> None:
    """The figures: one row per category, one column per series (an empty cell where a value is undefined)."""
    with output_file(target, "w") as out:
        writer = csv.writer(out)
        writer.writerow(csv_row([title or "category", *(n for n, _ in series)]))
        for i, cat in enumerate(categories):
            writer.writerow(csv_row([cat, *("" if v[i] is None else v[i] for _, v in series)]))


def two_places(value: float) -> str:
    """A figure as :class:`HorizontalBars` writes it unless told otherwise."""
    return f"{value:.2f}"


class _Frame(NamedTuple):
    """Where :class:`HorizontalBars` draws, in pixels: the names' column, the scale, the rows and the bars."""

    names: int  # the names' column's width (it starts at PAD)
    low: float  # the scale's ends and its ticks' step
    high: float
    step: float
    left: int  # x of ``low`` and of ``high``
    right: int
    top: int  # y of the first row
    row: int  # a category's height, and a bar's
    bar: int


class HorizontalBars(QWidget):
    """Per category (top to bottom), one horizontal bar per series, its value written at its end ("n/a" when it
    has none), on a scale from min(0, lowest value) to 1 with the names on the left and a legend above: the agreement
    report's chart. ``values()`` is ``[(category, [value per series])]``.

    Drawn with QPainter rather than pyqtgraph: a pyqtgraph plot builds its settings form (dozens of widgets) even
    with no menu, 12-25 ms in one step on the window's thread; at 100 000 statements the report held the window
    28-37 ms (issue #14). This one is made at once and paints in about a millisecond."""

    MINIMUM_HEIGHT = 120
    PAD = 8
    #: between two categories' bars, px (at the least: :data:`TIGHT`)
    GAP = 10
    TIGHT = 4
    #: rows grow to share the height they are given, up to this many times their own
    STRETCH = 1.5

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.categories: list[str] = []
        self.series: list[tuple[str, list[float | None]]] = []
        self.colours: list[str] = []
        self.category_title = ""
        self.fmt: Callable[[float], str] = two_places
        self.painted = False  # painted on screen at least once
        self.setMinimumHeight(self.MINIMUM_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # every pixel painted: no background fill first

    def values(self) -> list[tuple[str, list[float | None]]]:
        """By category (a row of the report's table): ``[(category, [value of each series])]``."""
        return [(c, [vals[i] for _, vals in self.series]) for i, c in enumerate(self.categories)]

    def show_data(self, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
                  colours: Sequence[str | None] = (), fmt: Callable[[float], str] = two_places) -> None:
        self.categories = [str(c) for c in categories]
        self.series = [(str(n), list(v)) for n, v in series]
        self.colours = [colour(k, colours) for k in range(len(self.series))]
        self.fmt = fmt
        # tall enough for every bar at its thinnest: a scroll area around it scrolls a long codebook
        self.setMinimumHeight(max(self.MINIMUM_HEIGHT, self._height(QFontMetrics(self.font()), tight=True)))
        self.updateGeometry()
        self.update()

    def save_png(self, target: str | Path) -> None:
        """The chart as drawn, written through a temporary file renamed into place."""
        write_png(self, target)

    def save_csv(self, target: str | Path) -> None:
        """The figures: one row per category, one column per series."""
        write_csv(target, self.category_title, self.categories, self.series)

    def _text(self, value: float | None) -> str:
        return "n/a" if value is None else self.fmt(value)

    def _bar(self, metrics: QFontMetrics, tight: bool = False) -> int:
        """A bar's height: a line of text, so the figures of one category's bars never overlap; ``tight``, when the
        chart is short of room, the height of a figure's digits (they have no descenders)."""
        return metrics.capHeight() + 4 if tight else metrics.height() + 2

    def _row(self, metrics: QFontMetrics, tight: bool = False) -> int:
        """A category's height: its bars and the gap to the next."""
        return max(1, len(self.series)) * self._bar(metrics, tight) + (self.TIGHT if tight else self.GAP)

    def _height(self, metrics: QFontMetrics, tight: bool = False) -> int:
        """The legend, the rows and the scale's figures under them."""
        return 2 * metrics.height() + 4 * self.PAD + len(self.categories) * self._row(metrics, tight)

    def sizeHint(self) -> Any:  # noqa: N802 - Qt's name
        size = super().sizeHint()
        size.setHeight(self._height(QFontMetrics(self.font())))
        size.setWidth(480)
        return size

    def _scale(self) -> tuple[float, float, float]:
        """(low, high, step of the ticks): min(0, lowest value) to max(1, highest), ends on ticks."""
        values = [v for _, vals in self.series for v in vals if v is not None]
        low, high = min([0.0, *values]), max([1.0, *values])
        step = 0.25 if high - low <= 1.5 else 0.5
        return math.floor(round(low / step, 6)) * step, math.ceil(round(high / step, 6)) * step, step

    def _frame(self, metrics: QFontMetrics) -> _Frame:
        low, high, step = self._scale()
        widest = max([metrics.horizontalAdvance(self._text(v)) for _, vals in self.series for v in vals] + [0])
        names = min(max([metrics.horizontalAdvance(to_qt(c)) for c in self.categories] + [0]), self.width() // 3)
        left = self.PAD + names + 2 * self.PAD
        if low < 0:  # room for the figure beside the lowest bar, written on its left
            left += widest + 4
        right = max(left + 1, self.width() - self.PAD - widest - 4)  # room for the figure of a bar reaching 1
        top = metrics.height() + 2 * self.PAD  # under the legend
        own = self._row(metrics)
        room = (self.height() - top - metrics.height() - 2 * self.PAD) // max(1, len(self.categories))
        if room >= own:  # each category its own room, or a little more to fill the chart
            return _Frame(names, low, high, step, left, right, top, min(room, int(own * self.STRETCH)),
                          self._bar(metrics))
        row = max(room, self._row(metrics, tight=True))  # short of room: thinner bars, down to the digits' height
        bar = max(self._bar(metrics, tight=True), (row - self.TIGHT) // max(1, len(self.series)))
        return _Frame(names, low, high, step, left, right, top, row, min(bar, self._bar(metrics)))

    @staticmethod
    def _x(frame: _Frame, value: float) -> int:
        return frame.left + round((value - frame.low) / (frame.high - frame.low) * (frame.right - frame.left))

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)  # the theme's, on its Base: legible in a dark palette too
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        painter.setPen(text)
        if not self.categories:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No labels to compare")
        else:
            self._paint(painter, QFontMetrics(self.font()), text, palette.color(QPalette.ColorRole.AlternateBase))
        painter.end()
        self.painted = True

    def _paint(self, painter: QPainter, metrics: QFontMetrics, text: QColor, band: QColor) -> None:
        f = self._frame(metrics)
        line, pad = metrics.height(), self.PAD
        bottom = f.top + len(self.categories) * f.row
        lift = (metrics.ascent() - metrics.descent()) // 2  # a text's baseline below the middle of its line

        def write(x: int, middle: int, words: str, align: int = 0) -> None:
            """``words`` starting at ``x`` (``align`` 1: ending there; 2: centred on it) on a line through
            ``middle``: text drawn at a point, the fast way (drawText in a box lays its text out, twice the time)."""
            if align:
                x -= metrics.horizontalAdvance(words) // align
            painter.drawText(x, middle + lift, words)

        # the legend, above the bars (beside them or over them it hid the ends of the longest)
        x, middle = f.left, pad + line // 2
        for (name, _), fill in zip(self.series, self.colours, strict=True):
            painter.fillRect(x, middle - 6, 12, 12, QColor(fill))
            write(x + 16, middle, to_qt(name))
            x += 16 + metrics.horizontalAdvance(to_qt(name)) + 2 * pad
        # every other category's band shaded, so each name reads with its bars
        for i in range(1, len(self.categories), 2):
            painter.fillRect(pad, f.top + i * f.row, self.width() - 2 * pad, f.row, band)
        # the scale: a line per tick (0 stronger, the bars' start), its figure under the rows; lines filled as
        # one-pixel rectangles (a translucent pen's line took 0.1 ms each)
        faint, strong = QColor(text), QColor(text)
        faint.setAlpha(45)
        strong.setAlpha(150)
        for k in range(round((f.high - f.low) / f.step) + 1):
            tick = f.low + k * f.step
            x = self._x(f, tick)
            painter.fillRect(x, f.top, 1, bottom - f.top, strong if abs(tick) < 1e-9 else faint)
            write(x, bottom + pad // 2 + line // 2, f"{tick:g}", 2)
        # the bars, each with its figure at its end (on the left of a negative bar's)
        zero = self._x(f, 0.0)
        for i, name in enumerate(self.categories):
            row = f.top + i * f.row
            first = row + (f.row - len(self.series) * f.bar) // 2
            write(pad + f.names, row + f.row // 2, metrics.elidedText(to_qt(name), ELIDE, f.names), 1)
            for k, (_, vals) in enumerate(self.series):
                value, y = vals[i], first + k * f.bar
                end = zero if value is None else self._x(f, value)
                if end != zero:
                    painter.fillRect(min(zero, end), y + 1, abs(end - zero), f.bar - 2, QColor(self.colours[k]))
                if value is not None and value < 0:
                    write(end - 4, y + f.bar // 2, self._text(value), 1)
                else:
                    write(end + 4, y + f.bar // 2, self._text(value))

    def event(self, event: QEvent) -> bool:
        """A category's tooltip: its whole name (the column elides a long one) and its figures. No repaint as the
        window gains or loses the activation when the colours drawn stay the same (Qt repaints a widget whenever
        any of its palette's colours differs, e.g. the selection's: 1-2 ms of the report's first turns)."""
        if event.type() in ACTIVATION and all(self.palette().color(ACTIVE, role) == self.palette().color(INACTIVE, role)
                                              for role in DRAWN_WITH):
            return True
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent) and self.categories:
            f = self._frame(QFontMetrics(self.font()))
            i = (event.pos().y() - f.top) // f.row
            if 0 <= i < len(self.categories) and event.pos().y() >= f.top:
                figures = " · ".join(f"{name} {self._text(vals[i])}" for name, vals in self.series)
                QToolTip.showText(event.globalPos(), plain_tooltip(f"{self.categories[i]}\n{figures}"), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)
