"""The corpus window's charts as an analyst reads them: axes in plain numbers, the legend beside the plot, and a
timeline whose lines stay apart where two labels count the same.

pyqtgraph scales an axis by an SI prefix of its own accord (an axis of no units, whose ends lie within 1, or
beyond 1e9): a timeline of one quarter (x from -0.5 to 0.5) read "Spans per quarter (x0.001)", its tick at 0 the
same. Points of two labels with equal counts were drawn one over the other, the first hidden; and the codeline's
legend, inside the plot, covered the strips' ends (the Table's, with many labels, ran off the chart's foot). The
shared drawing is ``annotator/ui/charts.py``; these are the corpus window's own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QWidget

from annotator.ui import charts

#: each series of a timeline its own hollow marker, of one of three sizes, and line style: equal counts draw the
#: markers one inside the other, every one seen
MARKERS = ("o", "s", "t", "d", "t1", "p", "h", "star", "t2", "t3", "+", "x")
MARKER_SIZES = (15, 10, 6)
#: dash patterns (in pen widths; None: solid) with gaps as long as the dashes, so a line drawn over another of the
#: same counts leaves half of it in sight (Qt's DashLine left a quarter)
DASHES: tuple[list[float] | None, ...] = (None, [4, 4], [1, 3], [6, 3, 1, 3], [2, 2])
#: px between the legend and the chart's edges
LEGEND_GAP = 4


def plain_axes(chart: pg.PlotWidget) -> None:
    """Both axes in the numbers they show: no SI prefix scaling (pyqtgraph's "(x0.001)")."""
    for name in ("left", "bottom"):
        chart.plotItem.getAxis(name).enableAutoSIPrefix(False)


def legend_outside(chart: charts.Chart) -> None:
    """The chart's legend at the top right, in a margin of its own beside the plot (never over the data), in as
    many columns as it needs to fit the chart's height."""
    plot = getattr(chart, "plotItem", None)
    if plot is None:  # a resize while pyqtgraph makes the widget, before its plot
        return
    legend = plot.legend
    if legend is None or not legend.items:
        chart.set_margins()
        return
    n = len(legend.items)
    legend.setColumnCount(1)
    row = max(1.0, legend.boundingRect().height() / n)
    fit = max(1, int((chart.height() - 2 * LEGEND_GAP) // row))
    legend.setColumnCount(math.ceil(n / fit))
    legend.updateSize()
    legend.setParentItem(plot)
    legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-LEGEND_GAP, LEGEND_GAP))
    chart.set_margins(legend.boundingRect().width() + 2 * LEGEND_GAP)


class _LegendBeside:
    """A chart with plain axes and its legend beside the plot, placed again as the chart is resized (mixed in before
    a :class:`charts.Chart`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)  # type: ignore[call-arg]
        plain_axes(self)  # type: ignore[arg-type]

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)  # type: ignore[misc]
        legend_outside(self)  # type: ignore[arg-type]


class TableChart(_LegendBeside, charts.GroupedBars):
    """The Table tab's bars: plain axes, the legend beside them."""

    def show_data(
        self,
        categories: Sequence[str],
        series: Sequence[tuple[str, Sequence[float | None]]],
        colours: Sequence[str | None] = (),
        title: str = "",
    ) -> None:
        super().show_data(categories, series, colours, title)
        legend_outside(self)


#: the most periods whose points the timeline marks: over more (100 quarters since 1998), the markers of every
#: label at 0 merged into a thick band along the axis (a newcomer's finding), and the lines say it alone
MARKED_PERIODS = 40


class TimelineChart(_LegendBeside, charts.Lines):
    """The Timeline tab's lines: plain axes, the legend beside them, and each label its own hollow marker (shape and
    size) and line style, so a label counting the same as another shows through it."""

    def show_data(
        self,
        categories: Sequence[str],
        series: Sequence[tuple[str, Sequence[float | None]]],
        colours: Sequence[str | None] = (),
        title: str = "",
    ) -> None:
        super().show_data(categories, series, colours, title)
        for k, item in enumerate(self.plotItem.listDataItems()):
            colour = charts.colour(k, colours)
            item.setPen(pg.mkPen(colour, width=2, dash=DASHES[k % len(DASHES)]))
            item.setSymbol(MARKERS[k % len(MARKERS)])
            item.setSymbolSize(MARKER_SIZES[k % len(MARKER_SIZES)])
            item.setSymbolPen(pg.mkPen(colour, width=2))
            item.setSymbolBrush(pg.mkBrush(None))  # hollow: a marker over another leaves it seen
            if len(self.categories) > MARKED_PERIODS:  # lines alone: a marker per period made a band along 0
                item.setSymbol(None)
        legend_outside(self)
