"""The Corpus menu through the real widgets (issue 12, "Done when"): a new user sees Commitments per issuer per
quarter as a table and a chart and exports both; a cell lists its spans and Enter opens one in its statement."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from annotator.core.model import IncomingDocument, IncomingSpan
from annotator.store import Project
from annotator.ui import filedialogs
from tests.ui.conftest import key_select, show_window

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
TEXT = "We commit to peace. 👍🏽 We will defend our allies.\r\nThey threaten the region."
#: (date, issuer, commitments, threats) per statement
STATEMENTS = (
    ("2023-01-10", "Japan", 2, 1),
    ("2023-02-11", "Japan", 1, 0),
    ("2023-04-02", "Korea", 1, 1),
    ("2023-07-30", "Japan", 0, 1),
    ("", "Korea", 1, 0),
)


def statements(text: str, rows: tuple[tuple[str, str, int, int], ...]) -> list[IncomingDocument]:
    """One statement of ``text`` per row (date, issuer, how many of "commit" and "defend" are Commitments, how many
    times "threaten" is a Threat), by kim."""
    commit = [(text.index(w), text.index(w) + len(w)) for w in ("commit", "defend")]
    threat = (text.index("threaten"), text.index("threaten") + len("threaten"))
    docs = []
    for i, (date, issuer, n_commit, n_threat) in enumerate(rows):
        spans = [IncomingSpan(s, e, "commitment", "kim") for s, e in commit[:n_commit]]
        spans += [IncomingSpan(*threat, "threat", "kim")] * n_threat
        docs.append(IncomingDocument(f"{text} #{i}", f"statement {i}", "t", spans, date=date, issuer=issuer))
    return docs


@pytest.fixture
def project(tmp_path):
    docs = statements(TEXT, STATEMENTS)
    with Project.open(tmp_path / "c.sqlite", create=True, user="kim") as p:
        p.import_documents(docs)
    project = Project.open(tmp_path / "c.sqlite", user="kim")
    yield project
    project.close()


@pytest.fixture
def window(qtbot, project, tmp_path):
    from PySide6.QtCore import QSettings

    from annotator.ui.mainwindow import MainWindow

    return show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))


def _pick(qtbot, box, text):
    """Choose ``text`` in a combo box with the keyboard (Up to the first item, then Down until it is current)."""
    box.setFocus()
    while box.currentIndex() > 0 and box.currentText() != text:
        qtbot.keyClick(box, Qt.Key.Key_Up)
    for _ in range(box.count()):
        if box.currentText() == text:
            return
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentText() == text


def _wait_idle(qtbot, corpus):
    qtbot.waitUntil(lambda: not corpus.jobs.busy(), timeout=10_000)


def _table_by_quarter(qtbot, window):
    """Corpus ▸ Label × Group Table by its key, columns by quarter, counted: (the corpus window, its table's model,
    the Total row's index)."""
    qtbot.keyClick(window.view, Qt.Key.Key_C, CTRL_SHIFT)
    corpus = window.corpus_views.corpus_window
    _pick(qtbot, corpus.columns_by, "Date by quarter")
    _wait_idle(qtbot, corpus)
    return corpus, corpus.table_model, corpus.table_model.rowCount() - 1


def test_commitments_per_issuer_per_quarter_as_table_and_chart_exported(qtbot, window, tmp_path, monkeypatch):
    qtbot.keyClick(window.view, Qt.Key.Key_C, CTRL_SHIFT)  # Corpus ▸ Label × Group Table
    corpus = window.corpus_views.corpus_window
    assert corpus is not None and corpus.isVisible()
    _wait_idle(qtbot, corpus)
    _pick(qtbot, corpus.rows_by, "Issuer")
    _pick(qtbot, corpus.table_label, "Commitment")
    _pick(qtbot, corpus.columns_by, "Date by quarter")
    _wait_idle(qtbot, corpus)
    model = corpus.table_model
    assert model.headers() == ["2023-Q1", "2023-Q2", "2023-Q3", "(no date)", "Total"]
    assert model.row_names == ["Japan", "Korea"]
    assert model.counts == [[3, 0, 0, 0], [0, 1, 0, 1]]
    chart = dict(corpus.table_chart.values())
    assert chart == {"Japan": [3, 0, 0, 0], "Korea": [0, 1, 0, 1]}
    assert corpus.table_chart.categories == model.column_names
    plot = corpus.table_chart.plotItem  # the legend beside the bars, never over them (it hid a bar's top)
    qtbot.waitUntil(lambda: plot.vb.sceneBoundingRect().width() > 50)
    assert not plot.legend.sceneBoundingRect().intersects(plot.vb.sceneBoundingRect())

    targets = iter([tmp_path / "table.csv", tmp_path / "chart.png", tmp_path / "chart.csv"])
    monkeypatch.setattr(filedialogs, "save_file", lambda *a, **k: str(next(targets)))
    qtbot.waitUntil(corpus.isActiveWindow)
    qtbot.keyClick(corpus.focusWidget(), Qt.Key.Key_V, ALT)  # Table as CS&V… (a mnemonic clicks after 100 ms)
    qtbot.waitUntil((tmp_path / "table.csv").exists)
    qtbot.keyClick(corpus.focusWidget(), Qt.Key.Key_G, ALT)  # Chart as PN&G…
    qtbot.waitUntil((tmp_path / "chart.png").exists)
    corpus.findChild(type(corpus.find_button), "chart_csv").click()
    with open(tmp_path / "table.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows == [
        ["Commitment by Issuer", "2023-Q1", "2023-Q2", "2023-Q3", "(no date)", "Total"],
        ["Japan", "3", "0", "0", "0", "3"],
        ["Korea", "0", "1", "0", "1", "2"],
        ["Total", "3", "1", "0", "1", "5"],
    ]
    image = QImage(str(tmp_path / "chart.png"))
    assert not image.isNull() and image.width() > 200 and image.height() > 150
    with open(tmp_path / "chart.csv", newline="", encoding="utf-8") as fh:
        chart_rows = list(csv.reader(fh))
    assert chart_rows[1] == ["2023-Q1", "3", "0"]
    # the chart and its CSV name the label they count (trial 15, F3: the Threat chart read the same), and the
    # Table as PNG says it above the table, whose corner cannot
    assert chart_rows[0][0] == "Commitment by Issuer × Date by quarter (spans)", chart_rows[0]
    monkeypatch.setattr(filedialogs, "save_file", lambda *a, **k: str(tmp_path / "table.png"))
    corpus.findChild(type(corpus.find_button), "table_png").click()
    qtbot.waitUntil((tmp_path / "table.png").exists)
    assert corpus.table_caption == "Commitment by Issuer × Date by quarter (spans)"
    assert QImage(str(tmp_path / "table.png")).height() > corpus.table_view.grab().height()

    # statements instead of spans, as column percentages
    _pick(qtbot, corpus.count_by, "Statements with at least one")
    _pick(qtbot, corpus.percent_by, "Column percentages")
    assert model.text(0, 0) == "100.0%"  # both Q1 statements are Japan's, each with a commitment
    assert model.text(1, 3) == "100.0%"


def test_a_cell_lists_its_spans_and_enter_opens_one_selected(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_C, CTRL_SHIFT)
    corpus = window.corpus_views.corpus_window
    _pick(qtbot, corpus.columns_by, "Date by quarter")
    _wait_idle(qtbot, corpus)
    table = corpus.table_view
    assert corpus.table_model.row_names[:2] == ["Threat", "Commitment"]
    table.setFocus()
    table.setCurrentIndex(corpus.table_model.index(1, 0))  # Commitment, 2023-Q1
    qtbot.keyClick(table, Qt.Key.Key_Return)
    _wait_idle(qtbot, corpus)
    assert corpus.tabs.currentIndex() == corpus.TABS.index("spans")
    rows = corpus.spans_model.rows
    assert [(r[2], r[7], r[8]) for r in rows] == [
        ("statement 0", "commitment", "commit"), ("statement 0", "commitment", "defend"),
        ("statement 1", "commitment", "commit"),
    ]
    view = corpus.spans_view
    view.setCurrentIndex(corpus.spans_model.index(2, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert window.session.document.title == "statement 1"
    assert window.view.selected_span_id == rows[2][0]


def test_the_total_row_counts_each_statement_once_and_lists_its_columns_spans(qtbot, window, tmp_path, monkeypatch):
    """The table's last row totals its columns (a newcomer's finding: the CSV had a Total column and no total row,
    while ``annotator report`` printed one). Counting statements, statement 0 holds a commitment and a threat: the
    Total row counts it once, the Total column once per label. Enter on a total lists every span it covers."""
    corpus, model, last = _table_by_quarter(qtbot, window)
    assert model.headerData(last, Qt.Orientation.Vertical) == "Total"
    assert [model.text(last, c) for c in range(model.columnCount())] == ["4", "2", "1", "1", "8"]
    assert model.data(model.index(last, 0), Qt.ItemDataRole.FontRole).bold()

    _pick(qtbot, corpus.count_by, "Statements with at least one")
    _pick(qtbot, corpus.percent_by, "Column percentages")
    assert [model.text(last, c) for c in range(model.columnCount())] == ["2", "1", "1", "1", "5"]
    assert model.text(0, 0) == "50.0%"  # one of Q1's two statements has a threat
    assert model.text(0, model.columnCount() - 1) == "3"  # threats: statements 0, 2, 3
    targets = iter([tmp_path / "table.csv"])
    monkeypatch.setattr(filedialogs, "save_file", lambda *a, **k: str(next(targets)))
    corpus.findChild(type(corpus.find_button), "table_csv").click()
    with open(tmp_path / "table.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["Label (column %)", "2023-Q1", "2023-Q2", "2023-Q3", "(no date)", "Total (count)"]
    assert rows[1][1] == "50.0" and rows[-1] == ["Total (count)", "2", "1", "1", "1", "5"]

    table = corpus.table_view
    table.setFocus()
    table.setCurrentIndex(model.index(last, 0))  # Total of 2023-Q1: statements 0 and 1, every label
    qtbot.keyClick(table, Qt.Key.Key_Return)
    _wait_idle(qtbot, corpus)
    rows = corpus.spans_model.rows
    assert sorted((r[2], r[8]) for r in rows) == [
        ("statement 0", "commit"), ("statement 0", "defend"), ("statement 0", "threaten"),
        ("statement 1", "commit"),
    ]


def test_an_open_table_follows_the_project(qtbot, window):
    """An open table kept its old counts after a span was labelled in the main window: its CSV saved them, and Enter
    on a cell listed a span more than the cell said (a newcomer's finding). The shown tab is counted again after a
    change, without touching the corpus window; another tab when it is next shown."""
    corpus, model, last = _table_by_quarter(qtbot, window)
    assert model.text(last, model.columnCount() - 1) == "8"
    timeline_before = dict(corpus.timeline_chart.values())

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.open_document(window.documents.model.rows[0].id)  # statement 0, 2023-Q1
    window.view.setFocus()
    key_select(qtbot, window.view, TEXT.index("peace"), 5)
    qtbot.keyClick(window.view, Qt.Key.Key_1)  # a threat
    qtbot.waitUntil(lambda: model.text(last, model.columnCount() - 1) == "9", timeout=5000)
    assert model.text(0, 0) == "2"  # threats in 2023-Q1: statement 0's two
    corpus.tabs.setCurrentIndex(corpus.TABS.index("timeline"))
    qtbot.waitUntil(lambda: dict(corpus.timeline_chart.values()) != timeline_before, timeout=5000)


def test_retrieve_spans_by_text_and_export_them(qtbot, window, tmp_path, monkeypatch):
    qtbot.keyClick(window.view, Qt.Key.Key_R, CTRL_SHIFT)  # Corpus ▸ Retrieve Spans
    corpus = window.corpus_views.corpus_window
    assert corpus.tabs.currentIndex() == corpus.TABS.index("spans")
    corpus.find_text.setFocus()
    qtbot.keyClicks(corpus.find_text, "THREAT")
    qtbot.keyClick(corpus.find_text, Qt.Key.Key_Return)
    _wait_idle(qtbot, corpus)
    assert len(corpus.spans_model.rows) == 3 and corpus.spans_note.text() == "3 span(s)"
    monkeypatch.setattr(filedialogs, "save_file", lambda *a, **k: str(tmp_path / "spans.csv"))
    corpus.findChild(type(corpus.find_button), "spans_csv").click()
    _wait_idle(qtbot, corpus)
    with open(tmp_path / "spans.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 4 and {r[8] for r in rows[1:]} == {"threaten"}


def test_cooccurrence_timeline_and_codeline(qtbot, window, tmp_path, monkeypatch):
    ctl = window.corpus_views
    corpus = ctl.show("cooccurrence")
    _wait_idle(qtbot, corpus)
    names = corpus.co_model.row_names
    c, t = names.index("Commitment"), names.index("Threat")
    assert corpus.co_model.counts[c][t] == 0  # no commitment overlaps a threat
    _pick(qtbot, corpus.co_mode, "Spans that start in the same sentence")
    _wait_idle(qtbot, corpus)
    # "commit" and "defend" of statement 0 are one sentence as suggestions cut it: a period before an emoji ends none
    assert corpus.co_model.counts[c][c] == 1
    assert corpus.co_model.counts[c][t] == 0  # "threaten" is after the line break
    corpus.co_view.setFocus()
    corpus.co_view.setCurrentIndex(corpus.co_model.index(c, c))
    qtbot.keyClick(corpus.co_view, Qt.Key.Key_Return)
    _wait_idle(qtbot, corpus)
    assert corpus.co_docs_model.row_names == ["statement 0"]

    corpus = ctl.show("timeline")
    _wait_idle(qtbot, corpus)
    series = dict(corpus.timeline_chart.values())
    assert corpus.timeline_chart.categories == ["2023-Q1", "2023-Q2", "2023-Q3"]
    assert series["Commitment"] == [3, 1, 0] and series["Threat"] == [1, 1, 1]
    assert "1 span(s) in statements without a date" in corpus.timeline_note.text()

    corpus = ctl.show("codeline")
    _wait_idle(qtbot, corpus)
    assert [r.title for r in corpus.codeline_chart.rows] == [f"statement {i}" for i in range(5)]
    monkeypatch.setattr(filedialogs, "save_file", lambda *a, **k: str(tmp_path / "codeline.png"))
    corpus.findChild(type(corpus.find_button), "codeline_png").click()
    assert not QImage(str(tmp_path / "codeline.png")).isNull()


def test_a_crosstab_cell_says_which_spans_it_lists(qtbot, window):
    corpus = window.corpus_views.show("table")
    _pick(qtbot, corpus.rows_by, "Issuer")
    _pick(qtbot, corpus.columns_by, "Date by quarter")
    _wait_idle(qtbot, corpus)
    corpus.table_view.setFocus()
    corpus.table_view.setCurrentIndex(corpus.table_model.index(1, 3))  # Korea, (no date)
    qtbot.keyClick(corpus.table_view, Qt.Key.Key_Return)
    _wait_idle(qtbot, corpus)
    assert [r[2] for r in corpus.spans_model.rows] == ["statement 4"]
    assert corpus.spans_note.text() == "1 span(s) in Date by quarter: (no date); Issuer: Korea"


def test_one_column_per_statement_stays_quick_to_show(qtbot, window, monkeypatch):
    from annotator.ui.corpus import table_tab as corpus_window

    monkeypatch.setattr(corpus_window, "CHART_GROUPS", 3)
    corpus = window.corpus_views.show("table")
    _pick(qtbot, corpus.columns_by, "Statement")
    _wait_idle(qtbot, corpus)
    assert corpus.table_model.column_names == [f"statement {i}" for i in range(5)]
    assert corpus.table_chart.categories == ["statement 0", "statement 1", "statement 2"]
    assert "the first 3 of 5" in corpus.table_chart.category_title


def test_the_codeline_works_from_the_keyboard(qtbot, window, monkeypatch):
    """Tab into the strip, arrows between statements and their spans, Page Down/Up (and Down past the last statement)
    turn the page, Enter opens the span in its statement, selected; the status line says where the cursor is."""
    from annotator.ui.corpus.codeline import CodelineChart

    monkeypatch.setattr(CodelineChart, "PAGE", 2)
    corpus = window.corpus_views.show("codeline")
    corpus.code_from.setSingleStep(2)
    _wait_idle(qtbot, corpus)
    chart = corpus.codeline_chart
    assert chart.focusPolicy() & Qt.FocusPolicy.TabFocus
    corpus.code_from.setFocus()
    qtbot.keyClick(corpus.code_from, Qt.Key.Key_Tab)  # from the spin box to the strip
    qtbot.waitUntil(chart.hasFocus, timeout=5000)
    assert [r.title for r in chart.rows] == ["statement 0", "statement 1"] and chart.current == (0, -1)
    assert corpus.status.text().startswith("statement 0: 3 span(s)")
    qtbot.keyClick(chart, Qt.Key.Key_Right)
    qtbot.keyClick(chart, Qt.Key.Key_Right)
    assert chart.current == (0, 1)
    assert corpus.status.text().startswith("statement 0: Commitment")
    qtbot.keyClick(chart, Qt.Key.Key_End)
    assert chart.current == (0, 2) and "Threat" in corpus.status.text()
    qtbot.keyClick(chart, Qt.Key.Key_Right)  # no further
    assert chart.current == (0, 2)
    qtbot.keyClick(chart, Qt.Key.Key_Down)
    assert chart.current == (1, -1)
    qtbot.keyClick(chart, Qt.Key.Key_Down)  # past the page's last statement: the next page
    _wait_idle(qtbot, corpus)
    assert [r.title for r in chart.rows] == ["statement 2", "statement 3"] and chart.current == (0, -1)
    qtbot.keyClick(chart, Qt.Key.Key_Up)  # before its first: the page before, on its last statement
    _wait_idle(qtbot, corpus)
    assert [r.title for r in chart.rows] == ["statement 0", "statement 1"] and chart.current == (1, -1)
    qtbot.keyClick(chart, Qt.Key.Key_PageDown)
    _wait_idle(qtbot, corpus)
    qtbot.keyClick(chart, Qt.Key.Key_PageDown)
    _wait_idle(qtbot, corpus)
    assert [r.title for r in chart.rows] == ["statement 4"]
    qtbot.keyClick(chart, Qt.Key.Key_PageDown)  # the last page: stays
    _wait_idle(qtbot, corpus)
    assert [r.title for r in chart.rows] == ["statement 4"]
    qtbot.keyClick(chart, Qt.Key.Key_PageUp)
    _wait_idle(qtbot, corpus)
    qtbot.keyClick(chart, Qt.Key.Key_Right)  # statement 2's first span: "commit"
    row = chart.rows[0]
    assert row.title == "statement 2"
    span_id = row.span_ids[0]
    qtbot.keyClick(chart, Qt.Key.Key_Return)
    assert window.session.document.title == "statement 2"
    assert window.view.selected_span_id == span_id
    span = window.session.project.span(span_id)
    assert window.session.document.text[span.start:span.end] == "commit"


def test_a_table_counted_in_the_background_leaves_the_codelines_status_alone(qtbot, window):
    """The status line shows what the tab in front says: a table finishing its count while the codeline is shown
    (it raced the codeline's first message in CI) waits until the table's tab is shown again."""
    from annotator.ui.corpus.window import CODELINE_TAB

    corpus = window.corpus_views.show("codeline")
    _wait_idle(qtbot, corpus)
    chart = corpus.codeline_chart
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_Right)
    said = corpus.status.text()
    assert said.startswith("statement 0:")
    box = corpus.columns_by
    box.setCurrentIndex((box.currentIndex() + 1) % box.count())  # the table counts again, in the background
    _wait_idle(qtbot, corpus)
    assert corpus.status.text() == said
    corpus.tabs.setCurrentIndex(0)
    assert "statement(s); Enter on a cell lists its spans" in corpus.status.text()
    corpus.tabs.setCurrentIndex(CODELINE_TAB)
    assert corpus.status.text() == said


def test_retrieved_spans_show_their_text_beside_a_long_statement_title(qtbot, tmp_path):
    """A statement's full title ("U.S.-Japan-ROK Joint Statement Condemning ...") as wide as its text pushed the
    span's own text, the column the analyst looks for, off the list's right edge (seen on Xvfb)."""
    from tests.ui.conftest import window_over

    title = "U.S.-Japan-ROK Joint Statement Condemning DPRK-Russia Arms Transfers and Ballistic Missile Launches"
    spans = [IncomingSpan(TEXT.index(w), TEXT.index(w) + len(w), "commitment", "kim") for w in ("commit", "defend")]
    docs = [IncomingDocument(TEXT, title, "t", spans, date="2023-10-26", issuer="U.S. Department of State")]
    with window_over(qtbot, tmp_path, docs) as (window, _project):
        qtbot.keyClick(window.view, Qt.Key.Key_R, CTRL_SHIFT)  # Corpus ▸ Retrieve Spans
        corpus = window.corpus_views.corpus_window
        corpus.find_text.setFocus()
        qtbot.keyClick(corpus.find_text, Qt.Key.Key_Return)  # Find, every span
        _wait_idle(qtbot, corpus)
        view = corpus.spans_view
        assert corpus.spans_model.rows and view.horizontalScrollBar().value() == 0
        text_column = [view.model().headerData(c, Qt.Orientation.Horizontal) for c in range(7)].index("Text")
        left, shown = view.columnViewportPosition(text_column), view.columnWidth(text_column)
        # the span's text, "commit" and "defend", is on screen whole: the title gave up the room, its tooltip whole
        assert left + view.sizeHintForColumn(text_column) <= view.viewport().width() and shown >= 200
        assert view.columnWidth(0) <= view.viewport().width() * 0.25
        qtbot.waitUntil(lambda: view.horizontalScrollBar().maximum() == 0)  # every column on screen, Note too
        assert view.model().index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == title


def test_a_crosstabs_rows_keep_their_colours_when_one_leaves(qtbot, window, project):
    """Trial 15, F4: colours went by a row's place, so when one issuer's statements were left out every issuer after
    it changed colour between two charts compared side by side. Korea keeps its colour when Japan leaves."""
    import pyqtgraph as pg

    def colours(corpus):
        items = [i for i in corpus.table_chart.plotItem.items if isinstance(i, pg.BarGraphItem)]
        drawn = (pg.mkBrush(i.opts["brush"]).color().name() for i in items)
        return dict(zip(corpus.table_model.row_names, drawn, strict=True))

    korea = [d.id for d in project.documents() if d.title == "statement 2"][0]
    project.set_status(korea, "done")
    qtbot.keyClick(window.view, Qt.Key.Key_C, CTRL_SHIFT)
    corpus = window.corpus_views.corpus_window
    _wait_idle(qtbot, corpus)
    _pick(qtbot, corpus.rows_by, "Issuer")
    _pick(qtbot, corpus.table_label, "Commitment")
    _wait_idle(qtbot, corpus)
    before = colours(corpus)
    assert list(before) == ["Japan", "Korea"] and before["Japan"] != before["Korea"]
    _pick(qtbot, corpus.statuses, "Done")
    _wait_idle(qtbot, corpus)
    qtbot.waitUntil(lambda: corpus.table_model.row_names == ["Korea"])
    assert colours(corpus) == {"Korea": before["Korea"]}
