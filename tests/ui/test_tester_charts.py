"""A newcomer's findings on the Corpus window's charts: the timeline's axis read "Spans per quarter (x0.001)"
(pyqtgraph's SI prefix), a label counting the same as another was hidden under it, and legends covered the data
(Codeline) or ran off the chart (the Table's, with many labels)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage

from annotator.core.model import IncomingDocument, IncomingSpan, Label
from annotator.store import Project
from tests.ui.conftest import show_window, window_over

TEXT = "They threaten the region. We commit to peace and we will defend our allies. We urge calm."
WORDS = {"threat": ["threaten", "region"], "commitment": ["commit", "defend"], "call_to_action": ["urge"]}
MORE = [
    Label(f"extra_{i}", f"Extra label number {i}", "", f"#{40 + 13 * i:02x}{90 + 9 * i:02x}{200 - 9 * i:02x}", "")
    for i in range(11)
]


@pytest.fixture
def window(qtbot, tmp_path):
    """Two statements of one quarter, one issuer: Threat and Commitment 4 spans each, Call to action 2."""
    from annotator.ui.mainwindow import MainWindow

    docs = []
    for i, date in enumerate(("2023-10-26", "2023-12-21")):
        spans = [
            IncomingSpan(TEXT.index(w), TEXT.index(w) + len(w), label, "kim")
            for label, words in WORDS.items()
            for w in words
        ]
        docs.append(IncomingDocument(TEXT + f" #{i}", f"statement {i}", "t", spans, date=date, issuer="MOFA"))
    project = Project.open(tmp_path / "c.sqlite", create=True, user="kim", populate=docs)
    win = MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    yield show_window(qtbot, win)
    win.close()
    project.close()


def _shown(qtbot, window, tab: str):
    corpus = window.corpus_views.show(tab)  # Corpus ▸ Timeline… (or the tab's own menu entry)
    qtbot.waitUntil(lambda: not corpus.jobs.busy(), timeout=10_000)
    qtbot.waitExposed(corpus)
    qtbot.wait(20)
    return corpus


def _plot_area(chart) -> QRect:
    """The plotting area (the view box, inside the axes and margins) in the chart's pixels."""
    return chart.mapFromScene(chart.plotItem.vb.sceneBoundingRect()).boundingRect()


def _near(image: QImage, area: QRect, colour: str, within: int = 60) -> int:
    """How many pixels of ``area`` are within ``within`` (RGB distance) of ``colour``."""
    want = QColor(colour)
    n = 0
    for y in range(max(0, area.top()), min(image.height(), area.bottom() + 1)):
        for x in range(max(0, area.left()), min(image.width(), area.right() + 1)):
            c = image.pixelColor(x, y)
            if (c.red() - want.red()) ** 2 + (c.green() - want.green()) ** 2 + (
                c.blue() - want.blue()
            ) ** 2 < within**2:
                n += 1
    return n


def _labels(chart) -> list[str]:
    return [chart.plotItem.getAxis(name).labelString() for name in ("left", "bottom")]


def test_timeline_axis_plain_and_equal_counts_both_visible(qtbot, window):
    corpus = _shown(qtbot, window, "timeline")
    chart = corpus.timeline_chart
    series = dict(chart.values())
    assert chart.categories == ["2023-Q4"]
    assert series["Threat"] == series["Commitment"] == [4]
    image = chart.grab().toImage()
    bottom = _labels(chart)[1]
    assert "Spans per quarter" in bottom
    assert all("(x" not in label for label in _labels(chart)), _labels(chart)
    # the point of Threat (drawn first) is not hidden under Commitment's: both colours show in the plot
    area = _plot_area(chart)
    colours = {lb.key: lb.color for lb in window.session.labels}
    assert _near(image, area, colours["commitment"]) >= 8
    assert _near(image, area, colours["threat"]) >= 8, "the Threat point is hidden under Commitment's"
    # and the legend is beside the plot, not over it
    assert not chart.plotItem.legend.sceneBoundingRect().intersects(chart.plotItem.vb.sceneBoundingRect())


def test_codeline_legend_beside_the_strips(qtbot, window):
    corpus = _shown(qtbot, window, "codeline")
    chart = corpus.codeline_chart
    assert len(chart.rows) == 2
    legend = chart.plotItem.legend
    assert legend is not None and len(legend.items) == 3
    assert not legend.sceneBoundingRect().intersects(chart.plotItem.vb.sceneBoundingRect()), (
        "the legend covers the codeline's strips"
    )
    assert all("(x" not in label for label in _labels(chart))


def test_table_chart_axis_plain_and_every_legend_entry_on_the_chart(qtbot, window):
    window.session.project.set_codebook(window.session.project.labels() + MORE)  # a codebook of 14 labels
    window.session.labels_set()
    corpus = _shown(qtbot, window, "table")
    chart = corpus.table_chart
    assert [name for name, _ in chart.values()][:3] == ["Threat", "Commitment", "Call to action"]
    assert len(chart.values()) == 14
    chart.grab()
    assert all("(x" not in label for label in _labels(chart)), _labels(chart)  # one issuer: x from -0.6 to 0.4
    legend = chart.plotItem.legend
    assert len(legend.items) == 14
    box = legend.sceneBoundingRect()
    view = chart.mapToScene(chart.viewport().rect()).boundingRect()
    assert box.bottom() <= view.bottom() and box.right() <= view.right(), "legend entries run off the chart"
    assert not box.intersects(chart.plotItem.vb.sceneBoundingRect())
    # a taller chart gives the legend back one column
    corpus.resize(corpus.width(), corpus.height() + 400)
    qtbot.waitUntil(lambda: chart.plotItem.legend.columnCount == 1 or chart.height() < 14 * 22)
    assert not chart.plotItem.legend.sceneBoundingRect().intersects(chart.plotItem.vb.sceneBoundingRect())


def test_a_long_title_in_the_status_line_does_not_widen_the_window(qtbot, tmp_path):
    """The codeline's status line names the statement under its cursor: a 300-character title made the Corpus
    window 1 700 px wide, its legend and buttons off the screen."""
    from annotator.ui.mainwindow import MainWindow

    title = "Joint Statement by the Secretary of State and the Ministers for Foreign Affairs " * 4
    docs = [IncomingDocument(TEXT, title, "t", [IncomingSpan(5, 13, "threat", "kim")], date="2023-11-01")]
    project = Project.open(tmp_path / "t.sqlite", create=True, user="kim", populate=docs)
    win = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    try:
        corpus = _shown(qtbot, win, "codeline")
        width = 1000  # as the window opens (it said the first statement's title already: 2 329 px)
        chart = corpus.codeline_chart
        chart.setFocus()
        qtbot.keyClick(chart, Qt.Key.Key_End)  # the cursor on the statement's last span: its title in the status line
        status = corpus.findChild(type(corpus.status), "corpus_status")
        qtbot.waitUntil(lambda: title.strip()[:40] in status.text())
        qtbot.wait(50)
        assert corpus.width() <= width
        assert corpus.minimumSizeHint().width() < width
    finally:
        win.close()
        project.close()


def test_a_timeline_marker_at_zero_shows_whole(qtbot, tmp_path):
    """A label counting 0 in a period had its marker on the plot's bottom edge, its lower half cut off (Xvfb)."""
    from PySide6.QtCore import QPointF

    from annotator.ui.corpus.plots import MARKER_SIZES

    threat = [IncomingSpan(TEXT.index("threaten"), TEXT.index("threaten") + 8, "threat", "kim")]
    commit = [IncomingSpan(TEXT.index("commit"), TEXT.index("commit") + 6, "commitment", "kim")]
    docs = [IncomingDocument(TEXT, "autumn", "t", threat + commit, date="2023-10-26", issuer="MOFA"),
            IncomingDocument(TEXT + " #2", "winter", "t", commit, date="2024-01-15", issuer="MOFA")]
    with window_over(qtbot, tmp_path, docs) as (window, _project):
        chart = _shown(qtbot, window, "timeline").timeline_chart
        assert dict(chart.values())["Threat"] == [1, 0]
        vb = chart.plotItem.vb
        zero = vb.mapViewToScene(QPointF(1, 0)).y()
        # the largest marker, centred on 0, lies inside the plot: below 0 there is room for its lower half
        assert vb.sceneBoundingRect().bottom() - zero >= max(MARKER_SIZES) / 2


def test_the_codeline_scale_ends_at_100(qtbot, window):
    """pyqtgraph hid the "100" at the position axis's right end (a few px past the axis): the scale stopped at 90."""
    from PySide6.QtGui import QPainter

    chart = _shown(qtbot, window, "codeline").codeline_chart
    axis = chart.plotItem.getAxis("bottom")
    image = QImage(chart.size(), QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        drawn = [text for _rect, _flags, text in axis.generateDrawSpecs(painter)[2]]
    finally:
        painter.end()
    assert "0" in drawn and "100" in drawn, drawn


@pytest.mark.parametrize("tab, name", [("table", "table_chart"), ("timeline", "timeline_chart")])
def test_counts_are_ticked_in_whole_numbers(qtbot, window, tab, name):
    """A newcomer's finding: counts of 2 and 4 were read off ticks at 0.5, 1.5, 2.5 … (pyqtgraph's own spacing)."""
    chart = getattr(_shown(qtbot, window, tab), name)
    chart.grab()
    axis = chart.plotItem.getAxis("left")
    low, high = chart.plotItem.vb.viewRange()[1]
    ticks = [v for _spacing, values in axis.tickValues(low, high, axis.height()) for v in values]
    assert ticks and all(float(v).is_integer() for v in ticks), ticks


def test_a_long_timeline_keeps_its_last_period_whole_and_marks_no_band(qtbot, tmp_path):
    """A statement of 1998 among those of 2023 makes 104 quarters: the markers of every label at 0 merged into a band
    along the axis, and the last quarter's marker was cut in half at the right edge (a newcomer's finding, Xvfb)."""
    from PySide6.QtCore import QPointF

    from annotator.ui.corpus.plots import MARKER_SIZES

    threat = [IncomingSpan(TEXT.index("threaten"), TEXT.index("threaten") + 8, "threat", "kim")]
    docs = [IncomingDocument(TEXT, "old", "t", threat, date="1998-02-01", issuer="MOFA"),
            IncomingDocument(TEXT + " #2", "new", "t", threat, date="2023-12-21", issuer="MOFA")]
    with window_over(qtbot, tmp_path, docs) as (window, _project):
        chart = _shown(qtbot, window, "timeline").timeline_chart
        n = len(chart.categories)
        assert chart.categories[0] == "1998-Q1" and chart.categories[-1] == "2023-Q4" and n == 104
        assert all(item.opts["symbol"] is None for item in chart.plotItem.listDataItems())
        vb = chart.plotItem.vb
        last = vb.mapViewToScene(QPointF(n - 1, 1)).x()
        assert vb.sceneBoundingRect().right() - last >= max(MARKER_SIZES) / 2


def test_cooccurrence_says_what_it_counts_and_what_a_cell_gives(qtbot, window):
    """A newcomer's finding: the tab's lower half, the statements of a cell, was an empty white box with no word."""
    corpus = _shown(qtbot, window, "cooccurrence")
    assert corpus.status.text() == "No two spans overlap"  # these spans never overlap
    corpus.co_mode.setCurrentIndex(corpus.co_mode.findData("sentence"))
    qtbot.waitUntil(lambda: "same sentence" in corpus.status.text(), timeout=10_000)
    assert corpus.status.text().endswith("pair(s) of spans that start in the same sentence; Enter on a count lists "
                                         "the statements"), corpus.status.text()
    corpus.tabs.setCurrentIndex(0)
    corpus.tabs.setCurrentIndex(1)  # said again as the tab is shown again
    assert "same sentence" in corpus.status.text()


def test_the_codeline_cursor_is_no_labels_colour(qtbot, window):
    """A newcomer's finding: the frame round the current span was the palette's highlight blue, Commitment's own."""
    chart = _shown(qtbot, window, "codeline").codeline_chart
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_Right)  # onto the first span
    frame = chart._cursor.opts["pen"].color()
    for label in window.session.labels:
        c = QColor(label.color)
        distance = ((c.red() - frame.red()) ** 2 + (c.green() - frame.green()) ** 2 + (c.blue() - frame.blue()) ** 2)
        assert distance ** 0.5 > 120, (label.name, label.color, frame.name())


ISSUERS = ["Amnesty International", "Apple", "Jill Serjeant", "Ministry of Foreign Affairs of Japan", "Richard Adams",
           "Sarah Hinger; Sylvia Torres-Guillén", "U.S. Department of State", "Wikimedia Foundation",
           "Ministry of Foreign Affairs of the Republic of Korea", "Auswärtiges Amt"]


def test_many_issuers_under_the_table_chart_never_run_into_each_other(qtbot, tmp_path):
    """A newcomer's trial: the Table by issuer (ten issuers) printed their names over each other ("Ministry of
    Foreign Af…Richard AdamsSarah Hinger; Sylvia T…") and left the first out. Each shown name now fits the room
    to the next one, the first is shown, both ends of a cut name show, and a wider window shows more of them."""
    from annotator.ui.mainwindow import MainWindow

    docs = [IncomingDocument(TEXT + f" #{i}", f"statement {i}", "t",
                             [IncomingSpan(TEXT.index("threaten"), TEXT.index("threaten") + 8, "threat", "kim")],
                             date="2024-01-0" + str(i % 9 + 1), issuer=issuer) for i, issuer in enumerate(ISSUERS)]
    project = Project.open(tmp_path / "c.sqlite", create=True, user="kim", populate=docs)
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    try:
        corpus = _shown(qtbot, window, "table")
        corpus.columns_by.setCurrentIndex(corpus.columns_by.findText("Issuer"))
        qtbot.waitUntil(lambda: not corpus.jobs.busy() and len(corpus.table_chart.categories) == len(ISSUERS),
                        timeout=10_000)
        chart = corpus.table_chart

        def shown() -> list[tuple[float, str]]:
            axis = chart.plotItem.getAxis("bottom")
            metrics = QFontMetrics(axis.style.get("tickFont") or chart.font())
            ticks = axis._tickLevels[0]  # what the axis draws (pyqtgraph keeps the ticks it was given here)
            vb = chart.plotItem.vb
            (low, high), px = vb.viewRange()[0], vb.width()
            at = [(x - low) * px / (high - low) for x, _ in ticks]
            texts = [t for _, t in ticks]
            for a, b, t, u in zip(at, at[1:], texts, texts[1:], strict=False):
                assert (metrics.horizontalAdvance(t) + metrics.horizontalAdvance(u)) / 2 < b - a, (t, u)
            assert metrics.horizontalAdvance(ticks[0][1]) / 2 <= at[0], "the first name runs off the plot"
            return ticks

        for width in (900, 1500):
            corpus.resize(width, corpus.height())
            qtbot.wait(50)
            ticks = shown()
            assert ticks[0][0] == 0, "the first issuer is named"
        named = {chart.categories[int(x)]: t for x, t in ticks}
        assert len(named) == len(ISSUERS) and named["Apple"] == "Apple"  # at 1500 px every issuer, short ones whole
        japan = named["Ministry of Foreign Affairs of Japan"]
        assert japan.startswith("Minis") and japan.endswith("Japan") and "…" in japan
    finally:
        window.close()
        project.close()


@pytest.mark.parametrize("tab, name", [("table", "table_chart"), ("timeline", "timeline_chart")])
def test_the_count_at_the_top_of_the_scale_is_drawn_whole(qtbot, tmp_path, tab, name):
    """A lead analyst's trial: with 5 spans the scale ran to 6, and the "6" at the chart's top edge was cut in half.
    Every number the count axis draws now lies inside the chart."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPainter

    threat = [IncomingSpan(TEXT.index(w), TEXT.index(w) + len(w), "threat", "kim")
              for w in ("threaten", "region", "commit", "defend", "urge")]
    docs = [IncomingDocument(TEXT, "autumn", "t", threat, date="2023-10-26", issuer="MOFA")]
    with window_over(qtbot, tmp_path, docs) as (window, _project):
        chart = getattr(_shown(qtbot, window, tab), name)
        chart.grab()
        axis = chart.plotItem.getAxis("left")
        assert chart.plotItem.vb.viewRange()[1][1] == pytest.approx(6)  # the scale ends on a whole count
        image = QImage(chart.size(), QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        try:
            specs = axis.generateDrawSpecs(painter)[2]
            drawn = [(axis.mapRectToScene(QRectF(rect)), text) for rect, _flags, text in specs]
        finally:
            painter.end()
        assert "6" in [text for _rect, text in drawn]
        for rect, text in drawn:
            shown = chart.mapFromScene(rect).boundingRect()
            assert chart.rect().contains(shown), (text, shown, chart.rect())


def test_ten_issuers_by_quarter_periods_whole_every_series_its_own_look(qtbot, tmp_path):
    """A corpus analyst's trial (Rows Issuer, Columns Date by quarter, ten issuers): the quarters read "20…Q4" for
    both 2021-Q4 and 2023-Q4, the ninth and tenth issuers were drawn in the first and second ones' colours, and the
    legend's two columns of whole names left the bars a third of the chart."""
    from PySide6.QtCore import Qt as QtEnum

    quarters = ["2021-11-02", "2023-10-26", "2024-02-07", "2024-05-27", ""]
    docs = [IncomingDocument(TEXT + f" #{i}", f"statement {i}", "t",
                             [IncomingSpan(TEXT.index("threaten"), TEXT.index("threaten") + 8, "threat", "kim")],
                             date=quarters[i % len(quarters)], issuer=issuer) for i, issuer in enumerate(ISSUERS)]
    with window_over(qtbot, tmp_path, docs) as (window, _project):
        corpus = _shown(qtbot, window, "table")
        corpus.resize(800, corpus.height())
        corpus.rows_by.setCurrentIndex(corpus.rows_by.findText("Issuer"))
        corpus.columns_by.setCurrentIndex(corpus.columns_by.findText("Date by quarter"))
        qtbot.waitUntil(lambda: not corpus.jobs.busy() and corpus.table_chart.categories[:1] == ["2021-Q4"],
                        timeout=10_000)
        qtbot.wait(50)
        chart = corpus.table_chart
        ticks = chart.plotItem.getAxis("bottom")._tickLevels[0]  # what the axis draws
        assert ticks and all(text == chart.categories[int(x)] for x, text in ticks), ticks  # whole, or not shown
        assert len(ticks) >= 2
        # the first period under its bars, not dropped by pyqtgraph for running past the plot's left edge
        metrics = QFontMetrics(chart.plotItem.getAxis("bottom").style.get("tickFont") or chart.font())
        (low, _high), px = chart.plotItem.vb.viewRange()[0], chart.plotItem.vb.width()
        assert ticks[0][0] == 0 and metrics.horizontalAdvance(ticks[0][1]) / 2 <= (0 - low) * px / (_high - low)
        bars = [item for item in chart.plotItem.items if hasattr(item, "opts") and "brush" in item.opts]
        assert len(bars) == len(ISSUERS)
        looks = {(pg_brush(b).color().name(), pg_brush(b).style()) for b in bars}
        assert len(looks) == len(ISSUERS)  # no two issuers alike
        assert pg_brush(bars[8]).style() != QtEnum.BrushStyle.SolidPattern
        assert _plot_area(chart).width() >= 0.45 * chart.width(), (_plot_area(chart).width(), chart.width())


def pg_brush(bar):
    import pyqtgraph as pg

    return pg.mkBrush(bar.opts["brush"])


@pytest.mark.parametrize("width", [700, 800, 900, 1000, 1100, 1200])
def test_the_first_issuer_is_named_when_every_second_one_is(qtbot, tmp_path, width):
    """Seen on Xvfb (the corpus analyst's project): a ten-character issuer ("amnesty.de") is shown whole or not at
    all, so every second issuer was named, each with twice the room; the first, centred under its bars, then ran
    past the plot's left edge and pyqtgraph dropped it."""
    names = ["Auswärtiges Amt", "Council of the EU", "Foreign, Commonwealth & Development Office",
             "G7 Foreign Ministers", "Ministry of Foreign Affairs of Japan", "Office of the Spokesperson",
             "U.S. Department of State", "amnesty.de", "Ministry of Foreign Affairs, Republic of Korea"]
    docs = [IncomingDocument(TEXT + f" #{i}", f"statement {i}", "t",
                             [IncomingSpan(TEXT.index("threaten"), TEXT.index("threaten") + 8, "threat", "kim")],
                             date="2024-01-02", issuer=issuer) for i, issuer in enumerate(names)]
    with window_over(qtbot, tmp_path, docs) as (window, _project):
        corpus = _shown(qtbot, window, "table")
        corpus.resize(width, corpus.height())
        corpus.columns_by.setCurrentIndex(corpus.columns_by.findText("Issuer"))
        qtbot.waitUntil(lambda: not corpus.jobs.busy() and len(corpus.table_chart.categories) == len(names),
                        timeout=10_000)
        qtbot.wait(50)
        chart = corpus.table_chart
        axis = chart.plotItem.getAxis("bottom")
        ticks = axis._tickLevels[0]  # what the axis draws
        metrics = QFontMetrics(axis.style.get("tickFont") or chart.font())
        (low, high), px = chart.plotItem.vb.viewRange()[0], chart.plotItem.vb.width()
        assert ticks[0][0] == 0 and metrics.horizontalAdvance(ticks[0][1]) / 2 <= (0 - low) * px / (high - low)
