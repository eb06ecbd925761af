"""Charts drawn with pyqtgraph (MIT, pure Python on Qt; Qt Charts is in PySide6-Addons, ~200 MB, not installed):
grouped bars, lines over periods, and horizontal bars with their values written beside them.

Each chart is a :class:`Chart` (a ``pyqtgraph.PlotWidget``) that keeps the figures it shows (``values()``, the
CSV export) and saves itself as PNG (``save_png``, the widget as drawn). Colours are the Okabe–Ito palette
(colour-blind safe), or the codebook's colours when the series are labels. Text is set as plain text.
"""

from __future__ import annotations

import csv
import html
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from annotator.core.neutral import csv_row
from annotator.formats.common import output_file

#: Okabe & Ito (2008): distinct to every common colour vision
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")


def colour(i: int, given: Sequence[str | None] = ()) -> str:
    if i < len(given) and given[i]:
        return str(given[i])
    return PALETTE[i % len(PALETTE)]


def _text_colour() -> QColor:
    return QApplication.palette().color(QPalette.ColorRole.WindowText)


def plot_item_steps() -> Iterator[pg.PlotItem | None]:
    """A chart's plot item made in three steps of a few milliseconds each, ``None`` yielded between them and the item
    last, for a caller that takes one step per turn of the event loop: made at once (with the widget around it) a
    plot held the window 15-40 ms, two thirds of it the context-menu form pyqtgraph builds even with no menu
    (measured with the agreement report at 100 000 statements, issue #14)."""
    axes = {name: pg.AxisItem(name) for name in ("left", "bottom")}  # the two shown (a plot given one shows it)
    yield None
    view = pg.ViewBox(enableMenu=False)
    yield None
    yield pg.PlotItem(viewBox=view, axisItems=axes, enableMenu=False)


class Chart(pg.PlotWidget):
    """A plot that remembers its categories and series: ``values()`` is ``[(series, [value per category])]``."""

    MINIMUM_HEIGHT = 220

    def __init__(self, parent: QWidget | None = None, plot_item: pg.PlotItem | None = None) -> None:
        # no menu made at all (its view box's menu is a third of a plot's making), rather than made and turned off;
        # ``plot_item`` made beforehand in steps (:func:`plot_item_steps`), or here at once
        super().__init__(parent, background=QApplication.palette().color(QPalette.ColorRole.Base),
                         plotItem=plot_item, enableMenu=False)
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
        image = self.grab()
        with output_file(target) as out:
            data = QByteArray()
            buffer = QBuffer(data)
            buffer.open(QIODevice.OpenModeFlag.WriteOnly)
            image.save(buffer, "PNG")
            buffer.close()
            out.write(bytes(data.data()))

    def save_csv(self, target: str | Path) -> None:
        """The figures: one row per category, one column per series."""
        with output_file(target, "w") as out:
            writer = csv.writer(out)
            writer.writerow(csv_row([self.category_title or "category", *(n for n, _ in self.series)]))
            for i, cat in enumerate(self.categories):
                writer.writerow(csv_row([cat, *("" if v[i] is None else v[i] for _, v in self.series)]))


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


class HorizontalBars(Chart):
    """Per category (top to bottom), one horizontal bar per series, its value written at its end ("n/a" when it
    has none): the agreement report's chart, on a scale from min(0, lowest value) to 1."""

    BAR = 16

    def values(self) -> list[tuple[str, list[float | None]]]:
        """By category (a row of the report's table): ``[(category, [value of each series])]``."""
        return [(c, [vals[i] for _, vals in self.series]) for i, c in enumerate(self.categories)]

    def show_data(self, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
                  colours: Sequence[str | None] = (), fmt=lambda v: f"{v:.2f}") -> None:  # type: ignore[no-untyped-def]
        for _ in self.show_data_steps(categories, series, colours, fmt):
            pass

    def show_data_steps(self, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
                        colours: Sequence[str | None] = (),
                        fmt=lambda v: f"{v:.2f}") -> Iterator[None]:  # type: ignore[no-untyped-def]
        """:meth:`show_data` a series per step (its bars, then its figures), then the axes: the report's chart drawn
        at once held the window 15-20 ms (issue #14)."""
        self._reset(categories, series)
        self.plotItem.disableAutoRange()  # the ranges are set at the end; each item added re-fitted them
        legend = self._legend()
        n = max(1, len(self.series))
        height = 0.8 / n
        low = min([0.0, *(v for _, vs in self.series for v in vs if v is not None)])
        font = QFont(self.font())
        for k, (name, vals) in enumerate(self.series):
            ys = [i - 0.4 + height * (k + 0.5) for i in range(len(self.categories))]
            item = pg.BarGraphItem(x0=[0] * len(vals), y=ys, height=height * 0.9, width=[v or 0 for v in vals],
                                   brush=colour(k, colours), pen=None)
            self.plotItem.addItem(item)
            legend.addItem(item, html.escape(name))
            yield
            for y, v in zip(ys, vals, strict=True):
                text = pg.TextItem("n/a" if v is None else fmt(v), color=_text_colour(),
                                   anchor=(0, 0.5) if (v or 0) >= 0 else (1, 0.5))
                text.setFont(font)
                text.setPos(v or 0, y)
                self.plotItem.addItem(text)
            yield
        self._category_axis("left")
        self.plotItem.invertY(True)
        # room on the left for a negative value's figure, on the right for the legend (figures here are ≤ 1)
        self.plotItem.setXRange(low - 0.2 if low < 0 else 0, 1.45, padding=0.02)
        self.plotItem.setYRange(-0.6, max(0.6, len(self.categories) - 0.4), padding=0)
        self.setMinimumHeight(max(160, 60 + len(self.categories) * n * self.BAR))
        if not self.categories:
            self.plotItem.setTitle("No labels to compare", color=_text_colour())
