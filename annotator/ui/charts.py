"""Charts: grouped bars and lines over periods drawn with pyqtgraph (MIT, pure Python on Qt; Qt Charts is in
PySide6-Addons, ~200 MB, not installed), and horizontal bars with their values written beside them drawn with
QPainter (the agreement report's chart, :class:`HorizontalBars`).

Each chart keeps the figures it shows (``values()``, the CSV export) and saves itself as PNG (``save_png``, the
widget as drawn). Colours are the Okabe–Ito palette (colour-blind safe), or the codebook's colours when the series
are labels. Text is set as plain text.
"""

from __future__ import annotations

import csv
import html
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pyqtgraph as pg
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


def _text_colour() -> QColor:
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


class Chart(pg.PlotWidget):
    """A plot that remembers its categories and series: ``values()`` is ``[(series, [value per category])]``."""

    MINIMUM_HEIGHT = 220

    def __init__(self, parent: QWidget | None = None) -> None:
        # no menu made at all (its view box's menu is a third of a plot's making), rather than made and turned off
        super().__init__(parent, background=QApplication.palette().color(QPalette.ColorRole.Base), enableMenu=False)
        self.categories: list[str] = []
        self.series: list[tuple[str, list[float | None]]] = []
        self.category_title = ""
        self.setMinimumHeight(self.MINIMUM_HEIGHT)
        self.plotItem.setMenuEnabled(False)
        self.plotItem.hideButtons()
        self.setMouseEnabled(x=False, y=False)
        pen = pg.mkPen(_text_colour())
        for name in ("left", "bottom"):
            axis = self.plotItem.getAxis(name)
            axis.setPen(pen)
            axis.setTextPen(pen)

    def values(self) -> list[tuple[str, list[float | None]]]:
        return [(name, list(vals)) for name, vals in self.series]

    def _reset(self, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]) -> None:
        self.plotItem.clear()
        if self.plotItem.legend is not None:
            self.plotItem.legend.scene().removeItem(self.plotItem.legend)
            self.plotItem.legend = None
        self.categories = [str(c) for c in categories]
        self.series = [(str(n), list(v)) for n, v in series]

    def _legend(self) -> pg.LegendItem:
        legend = self.plotItem.addLegend(offset=(-10, 10), labelTextColor=_text_colour())
        legend.setBrush(pg.mkBrush(QApplication.palette().color(QPalette.ColorRole.Base)))
        return legend

    def _legend_beside(self, legend: pg.LegendItem) -> None:
        """The legend to the right of the plotting area, in a margin of its width: drawn over the plot (its box
        filled) it hid the top of the bars and lines under it (a bar of 1 showed as 0.72)."""
        legend.setParentItem(self.plotItem)
        legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-4, 4))
        self.plotItem.layout.setContentsMargins(0, 0, legend.boundingRect().width() + 8, 0)

    def _category_axis(self, axis: str, every: int = 1) -> None:
        ticks = [(i, c if len(c) <= 24 else c[:23] + "…") for i, c in enumerate(self.categories) if i % every == 0]
        item = self.plotItem.getAxis(axis)
        item.setTicks([ticks, []])
        if axis == "left":  # wide enough for the names at once (pyqtgraph widens it only after a first paint)
            metrics = QFontMetrics(item.style.get("tickFont") or self.font())
            item.setWidth(max([metrics.horizontalAdvance(t) for _, t in ticks] + [20]) + 16)

    def save_png(self, target: str | Path) -> None:
        """The chart as drawn, written through a temporary file renamed into place."""
        write_png(self, target)

    def save_csv(self, target: str | Path) -> None:
        """The figures: one row per category, one column per series."""
        write_csv(target, self.category_title, self.categories, self.series)


class GroupedBars(Chart):
    """Vertical bars: for each category, one bar per series side by side."""

    def show_data(self, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
                  colours: Sequence[str | None] = (), title: str = "") -> None:
        self._reset(categories, series)
        self.category_title = title
        legend = self._legend()
        n = max(1, len(self.series))
        width = 0.8 / n
        for k, (name, vals) in enumerate(self.series):
            xs = [i - 0.4 + width * (k + 0.5) for i in range(len(self.categories))]
            heights = [v or 0 for v in vals]
            item = pg.BarGraphItem(x=xs, height=heights, width=width * 0.95, brush=colour(k, colours), pen=None)
            self.plotItem.addItem(item)
            legend.addItem(item, html.escape(name))
        every = max(1, len(self.categories) // 12)
        self._category_axis("bottom", every)
        self.plotItem.getAxis("bottom").setLabel(html.escape(title))
        self.plotItem.setXRange(-0.6, max(0, len(self.categories) - 0.4), padding=0)
        top = max([v or 0 for _, vs in self.series for v in vs] + [1])
        self.plotItem.setYRange(0, top * 1.2, padding=0)
        self._legend_beside(legend)


class Lines(Chart):
    """One line per series over ordered categories (periods)."""

    def show_data(self, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
                  colours: Sequence[str | None] = (), title: str = "") -> None:
        self._reset(categories, series)
        self.category_title = title
        legend = self._legend()
        xs = list(range(len(self.categories)))
        for k, (name, vals) in enumerate(self.series):
            pen = pg.mkPen(colour(k, colours), width=2)
            item = self.plotItem.plot(xs, [v or 0 for v in vals], pen=pen, symbol="o", symbolSize=5,
                                      symbolBrush=colour(k, colours), symbolPen=None)
            legend.addItem(item, html.escape(name))
        self._category_axis("bottom", max(1, len(self.categories) // 10))
        self.plotItem.getAxis("bottom").setLabel(html.escape(title))
        top = max([v or 0 for _, vs in self.series for v in vs] + [1])
        self.plotItem.setYRange(0, top * 1.2, padding=0)
        self._legend_beside(legend)
        self.plotItem.setXRange(-0.5, max(0.5, len(self.categories) - 0.5), padding=0)


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
