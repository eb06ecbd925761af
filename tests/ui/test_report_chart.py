"""The agreement report's chart (``ui.bars.HorizontalBars``) as the analyst sees it: bars to scale in the series'
colours, a negative κ to the left of zero, "n/a" where a figure is undefined, the theme's colours, the PNG and CSV
it saves, and the report dialog showing it with its first paint."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QColor, QHelpEvent, QImage, QPalette
from PySide6.QtWidgets import QToolTip, QWidget

from annotator.core import review as core
from annotator.ui.bars import PALETTE, HorizontalBars
from annotator.ui.review.report import SERIES, BarChart, ReportDialog, figure

BLUE, ORANGE = (QColor(c) for _, _, c in SERIES)
LONG = "Condemnation of third-party weapons transfers to the aggressor state and its allies"


def runs(image: QImage, colour: QColor) -> list[tuple[int, int, int]]:
    """Each row of pixels holding ``colour``: (y, first x, last x), one per bar row (bars are solid rectangles)."""
    found = []
    for y in range(image.height()):
        xs = [x for x in range(image.width()) if image.pixelColor(x, y) == colour]
        if xs:
            found.append((y, xs[0], xs[-1]))
    return found


def bars(image: QImage, colour: QColor) -> list[tuple[int, int]]:
    """The (first x, last x) of each bar in ``colour``, top to bottom (consecutive rows with one extent merged)."""
    out: list[tuple[int, int]] = []
    last_y = -2
    for y, x0, x1 in runs(image, colour):
        if y != last_y + 1 or not out or out[-1] != (x0, x1):
            out.append((x0, x1))
        last_y = y
    return out


@pytest.fixture
def chart(qtbot, tmp_path):
    widget = HorizontalBars()
    qtbot.addWidget(widget)
    widget.resize(640, 320)
    widget.show_data(["Threat", "Sanction", "Call to action"],
                     [("Overlap F1", [1.0, None, 0.5]), ("Cohen's κ", [0.25, None, -0.5])],
                     [BLUE.name(), ORANGE.name()], fmt=figure)
    return widget


def saved(widget: QWidget, tmp_path) -> QImage:
    path = tmp_path / "chart.png"
    widget.save_png(path)
    image = QImage(str(path))
    assert not image.isNull()
    return image


def test_bars_to_scale_negative_left_of_zero(chart, tmp_path):
    image = saved(chart, tmp_path)
    (legend, *blue), (legend_too, *orange) = bars(image, BLUE), bars(image, ORANGE)
    assert legend[1] - legend[0] == legend_too[1] - legend_too[0] == 11  # the legend's swatches, above the bars
    assert len(blue) == 2 and len(orange) == 2  # the undefined figures draw no bar
    (zero, one), (zero_b, half) = blue
    assert zero == zero_b  # every bar starts at 0
    assert (half - zero) / (one - zero) == pytest.approx(0.5, abs=0.02)
    (quarter_start, quarter), (negative, negative_end) = orange
    assert quarter_start == zero and (quarter - zero) / (one - zero) == pytest.approx(0.25, abs=0.02)
    assert negative_end < zero and (zero - negative) / (one - zero) == pytest.approx(0.5, abs=0.03)
    # nothing clipped: the bar reaching 1 ends short of the edge, leaving room for its figure
    assert image.width() - one > 30


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the tooltip's window, offscreen
def test_values_csv_and_tooltip(chart, tmp_path, qtbot):
    assert chart.values() == [("Threat", [1.0, 0.25]), ("Sanction", [None, None]), ("Call to action", [0.5, -0.5])]
    out = tmp_path / "chart.csv"
    chart.save_csv(out)
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
    assert rows == [["category", "Overlap F1", "Cohen's κ"], ["Threat", "1.0", "0.25"], ["Sanction", "", ""],
                    ["Call to action", "0.5", "-0.5"]]
    chart.show_data([LONG], [("Overlap F1", [0.9]), ("Cohen's κ", [None])], fmt=figure)
    chart.show()
    qtbot.waitUntil(lambda: chart.painted)
    image = chart.grab().toImage()
    blue = runs(image, QColor(PALETTE[0]))
    assert blue
    at = QPoint(20, blue[len(blue) // 2][0])  # on the name, which the column elides
    chart.event(QHelpEvent(QEvent.Type.ToolTip, at, chart.mapToGlobal(at)))
    assert LONG in QToolTip.text() and "Overlap F1 0.90" in QToolTip.text() and "n/a" in QToolTip.text()


def test_empty_and_dark_palette(qtbot, tmp_path):
    widget = HorizontalBars()
    qtbot.addWidget(widget)
    widget.resize(400, 200)
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#f0f0f0"))
    widget.setPalette(palette)
    widget.show_data([], [("Overlap F1", []), ("Cohen's κ", [])])
    image = saved(widget, tmp_path)
    colours = Counter(image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height()))
    assert colours.most_common(1)[0][0] == "#1e1e1e"  # the theme's background
    assert any(QColor(c).lightness() > 200 for c in colours)  # "No labels to compare", in the theme's text colour
    assert BLUE.name() not in colours


def test_report_dialog_paints_its_chart_with_its_first_paint(qtbot):
    text = "We condemn the transfer. We will act together."
    docs = [core.ReportDoc("0" * 64, "statement", text, [(3, 10, "threat"), (25, 30, "commitment")],
                           [(3, 10, "threat"), (26, 31, "commitment")])]
    report = core.build_report(docs, labels=["threat", "commitment"],
                               label_names={"threat": "Threat", "commitment": "Commitment"})
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = ReportDialog(parent, report)
    qtbot.addWidget(dialog)
    assert isinstance(dialog.chart, BarChart) and dialog.chart.objectName() == "report_chart"
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.ready, timeout=2000)
    assert [name for name, _ in dialog.chart.values()] == ["Threat", "Commitment"]
    image = dialog.chart.grab().toImage()
    assert runs(image, BLUE) and runs(image, ORANGE)


def test_short_of_room_every_bar_still_drawn(qtbot, tmp_path):
    """Squeezed to its least height (a cramped dialog), the bars thin down but every one is drawn, its figure's
    digits still clear of the next bar's."""
    widget = HorizontalBars()
    qtbot.addWidget(widget)
    names = [f"label {i}" for i in range(6)]
    widget.show_data(names, [("Overlap F1", [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]), ("Cohen's κ", [0.5] * 6)],
                     [BLUE.name(), ORANGE.name()], fmt=figure)
    widget.resize(640, widget.minimumHeight())
    assert widget.minimumHeight() < widget.sizeHint().height()
    image = saved(widget, tmp_path)
    _, *blue = bars(image, BLUE)
    assert len(blue) == 6
    rows = [y for y, _, _ in runs(image, BLUE)]
    digits = widget.fontMetrics().capHeight()
    assert len(rows) - 12 >= 6 * (digits + 1)  # each bar at least as tall as a figure's digits (the legend's 12)
