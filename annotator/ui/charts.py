"""Charts: grouped bars and lines over periods drawn with pyqtgraph (MIT, pure Python on Qt; Qt Charts is in
PySide6-Addons, ~200 MB, not installed): the corpus window's. The agreement report's chart, and the colours and
exports every chart shares, are in ``annotator/ui/bars.py``, which does not load pyqtgraph.

Each chart keeps the figures it shows (``values()``, the CSV export) and saves itself as PNG (``save_png``, the
widget as drawn). Text is set as plain text.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from annotator.ui.bars import PALETTE, colour, text_colour, write_csv, write_png

#: the part of a line chart's height below 0, so a marker at 0 shows whole
ZERO_ROOM = 0.08
#: the least of a category's name under a chart worth showing (else fewer are shown), and the px between two names
TICK_LEAST = "Abc…"
TICK_GAP = 10
#: names this short are shown whole or not at all: periods and codes, whose both ends say which ("2021-Q4" and
#: "2023-Q4" both read "20…Q4" cut in the middle, a corpus analyst's trial)
TICK_WHOLE = 10
#: the widest a legend's name is shown, in characters "n" wide
LEGEND_NAME = 18


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
        pen = pg.mkPen(text_colour())
        for name in ("left", "bottom"):
            axis = self.plotItem.getAxis(name)
            axis.setPen(pen)
            axis.setTextPen(pen)
        self.plotItem.vb.sigResized.connect(lambda _box: self._fit_bottom_ticks())  # the room per name changed
        self.plotItem.vb.sigXRangeChanged.connect(lambda _box, _range: self._fit_bottom_ticks())
        self.set_margins()

    def set_margins(self, right: float = 0) -> None:
        """The plot's margins: ``right`` px beside it (a legend's), and above it half a line of the axis's text, so
        a tick at the top of the range shows its number whole (the "6" over bars of 5 was cut in half, a lead
        analyst's trial)."""
        top = QFontMetrics(self.plotItem.getAxis("left").style.get("tickFont") or self.font()).height() // 2 + 2
        self.plotItem.layout.setContentsMargins(0, top, right, 0)

    def values(self) -> list[tuple[str, list[float | None]]]:
        return [(name, list(vals)) for name, vals in self.series]

    def _reset(self, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]) -> None:
        self.plotItem.clear()
        if self.plotItem.legend is not None:
            self.plotItem.legend.scene().removeItem(self.plotItem.legend)
            self.plotItem.legend = None
        self.categories = [str(c) for c in categories]
        self.series = [(str(n), list(v)) for n, v in series]

    def legend_name(self, name: str) -> str:
        """A series' name as its legend shows it: cut in the middle past :data:`LEGEND_NAME` characters' width, so
        ten issuers' names took two thirds of the chart in two columns and left the bars 300 px (a corpus analyst's
        trial); the CSV export keeps the whole names."""
        metrics = QFontMetrics(self.font())
        return html.escape(metrics.elidedText(name, Qt.TextElideMode.ElideMiddle,
                                              metrics.horizontalAdvance("n" * LEGEND_NAME)))

    def _legend(self) -> pg.LegendItem:
        legend = self.plotItem.addLegend(offset=(-10, 10), labelTextColor=text_colour())
        legend.setBrush(pg.mkBrush(QApplication.palette().color(QPalette.ColorRole.Base)))
        return legend

    def _legend_beside(self, legend: pg.LegendItem) -> None:
        """The legend to the right of the plotting area, in a margin of its width: drawn over the plot (its box
        filled) it hid the top of the bars and lines under it (a bar of 1 showed as 0.72)."""
        legend.setParentItem(self.plotItem)
        legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-4, 4))
        self.set_margins(legend.boundingRect().width() + 8)

    def _category_axis(self, axis: str, every: int = 1) -> None:
        self._ticks = (axis, every)
        if axis == "bottom":
            self._fit_bottom_ticks()
            return
        ticks = [(i, c if len(c) <= 24 else c[:23] + "…") for i, c in enumerate(self.categories) if i % every == 0]
        item = self.plotItem.getAxis(axis)
        item.setTicks([ticks, []])
        # wide enough for the names at once (pyqtgraph widens it only after a first paint)
        metrics = QFontMetrics(item.style.get("tickFont") or self.font())
        item.setWidth(max([metrics.horizontalAdvance(t) for _, t in ticks] + [20]) + 16)

    def _fit_bottom_ticks(self) -> None:
        """The categories under the plot, each elided in the middle to the room between two shown (both ends of a
        name show: "Ministry…of Japan"), every second or third shown where even a few letters would not fit; again
        as the plot is resized. Cut at a fixed 24 characters, ten issuers' names ran into each other in unreadable text,
        and pyqtgraph dropped the first, wider than its room at the edge (a newcomer's trial)."""
        axis_name, every = getattr(self, "_ticks", ("", 1))
        if axis_name != "bottom":
            return
        item = self.plotItem.getAxis("bottom")
        metrics = QFontMetrics(item.style.get("tickFont") or self.font())
        (low, high), px = self.plotItem.vb.viewRange()[0], self.plotItem.vb.width()
        per = px / (high - low) if px > 0 and high > low else 0.0  # px from one category to the next
        if per > 0:
            least = max([metrics.horizontalAdvance(TICK_LEAST)]
                        + [metrics.horizontalAdvance(c) for c in self.categories if len(c) <= TICK_WHOLE])
            every = max(every, math.ceil((least + TICK_GAP) / per))
        room = int(per * every) - TICK_GAP if per > 0 else metrics.horizontalAdvance("x" * 24)

        def fits(i: int) -> int:  # a name centred under its category, no wider than twice its way to an edge
            return min(room, int(2 * per * min(i - low, high - i))) if per > 0 else room

        # (pyqtgraph drops a name that runs past the plot's edge: with every second name shown, the first was)
        ticks = [(i, metrics.elidedText(c, Qt.TextElideMode.ElideMiddle, fits(i)))
                 for i, c in enumerate(self.categories) if i % every == 0]
        item.setTicks([ticks, []])

    def _count_axis(self, top: float) -> None:
        """Whole ticks on the value axis when the figures are counts under 10 (pyqtgraph's own put a tick at 0.5
        and 1.5 between two spans, a newcomer's finding); its own choice otherwise."""
        axis = self.plotItem.getAxis("left")
        counts = all(v is None or float(v).is_integer() for _, vs in self.series for v in vs)
        if counts and top < 10:
            axis.setTickSpacing(major=1, minor=1)
        else:
            axis.setTickSpacing()

    def save_png(self, target: str | Path) -> None:
        """The chart as drawn, written through a temporary file renamed into place."""
        write_png(self, target)

    def save_csv(self, target: str | Path) -> None:
        """The figures: one row per category, one column per series."""
        write_csv(target, self.category_title, self.categories, self.series)


def bar_style(k: int, given: Sequence[str | None] = ()) -> dict[str, object]:
    """Series ``k``'s bars: filled in its colour, or, past the palette's eight colours where no colour is given,
    hatched in a colour already used and outlined in it, so the ninth series is not the first's twin (ten issuers
    drew "Council of the EU" and "(no issuer)" in one orange, a corpus analyst's trial)."""
    fill = colour(k, given)
    if (k < len(given) and given[k]) or k < len(PALETTE):
        return {"brush": fill, "pen": None}
    return {"brush": QBrush(QColor(fill), Qt.BrushStyle.BDiagPattern), "pen": pg.mkPen(fill, width=1.5)}


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
            item = pg.BarGraphItem(x=xs, height=heights, width=width * 0.95, **bar_style(k, colours))
            self.plotItem.addItem(item)
            legend.addItem(item, self.legend_name(name))
        every = max(1, len(self.categories) // 12)
        self._category_axis("bottom", every)
        self.plotItem.getAxis("bottom").setLabel(html.escape(title))
        self.plotItem.setXRange(-0.6, max(0, len(self.categories) - 0.4), padding=0)
        top = max([v or 0 for _, vs in self.series for v in vs] + [1])
        self.plotItem.setYRange(0, top * 1.2, padding=0)
        self._count_axis(top)
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
            legend.addItem(item, self.legend_name(name))
        self._category_axis("bottom", max(1, len(self.categories) // 10))
        self.plotItem.getAxis("bottom").setLabel(html.escape(title))
        top = max([v or 0 for _, vs in self.series for v in vs] + [1])
        # a little room below 0: a period's markers at 0 sat on the plot's bottom edge, their lower half cut off
        self.plotItem.setYRange(-top * ZERO_ROOM, top * 1.2, padding=0)
        self._count_axis(top)
        self._legend_beside(legend)
        # half a period of room at each end, and at least 2 % of the width: over 100 quarters half a period was
        # 3 px, and the last period's marker was cut in half at the edge (a newcomer's finding)
        room = max(0.5, 0.02 * len(self.categories))
        self.plotItem.setXRange(-room, max(0.5, len(self.categories) - 1 + room), padding=0)
