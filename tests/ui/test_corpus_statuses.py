"""A newcomer's trial, D15: after Document ▸ Mark Skipped the Corpus window (and ``annotator report --by date:year
--documents``) still counted the statement in "(no date)" and in the statement totals its percentages divide by.
Every tab now counts the statements the *Statements* chooser keeps (all but the skipped ones as it opens), says how
many it left out, and shows what ``annotator report --status`` prints for the same choice."""

from __future__ import annotations

import orjson
import pytest
from PySide6.QtCore import Qt

from annotator.store import Project
from tests.helpers import run_cli
from tests.ui.conftest import show_window
from tests.ui.test_corpus_views import _pick, _wait_idle, statements

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
TEXT = "We commit to peace and we will defend our allies.\nThey threaten the region."
#: (date, issuer, commitments, threats) per statement; statement 4 is the only one without a date
STATEMENTS = (
    ("2023-01-10", "Japan", 2, 1),
    ("2023-02-11", "Japan", 1, 0),
    ("2024-04-02", "Korea", 1, 1),
    ("2024-07-30", "Japan", 0, 1),
    ("", "Korea", 1, 1),
)
#: the chooser's entries and the command line's spelling of each
CHOICES = {"All but skipped": "not_skipped", "All": "all", "To do": "todo", "In progress": "in_progress",
           "Done": "done", "Skipped": "skipped"}


@pytest.fixture
def window(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from annotator.ui.mainwindow import MainWindow

    docs = statements(TEXT, STATEMENTS)
    with Project.open(tmp_path / "c.sqlite", create=True, user="kim") as p:
        p.import_documents(docs)
        p.set_status(p.documents().ids[1], "done")
    project = Project.open(tmp_path / "c.sqlite", user="kim")
    yield show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    project.close()


def _report(window, *args: str) -> dict:
    proc = run_cli("report", window.session.project.path, *args, "--json")
    assert proc.returncode == 0, proc.stderr
    return orjson.loads(proc.stdout)


def _skip(qtbot, window, title: str) -> None:
    """Open the statement titled ``title`` and mark it skipped with Document ▸ Mark Skipped."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    doc_id = next(r.id for r in window.documents.model.rows if r.title == title)
    window.open_document(doc_id)
    window.actions_["mark_skipped"].trigger()
    assert window.session.project.document(doc_id).status == "skipped"


def _shown(corpus) -> dict:
    """The table as the window shows it: columns, cells, row and column totals."""
    m = corpus.table_model
    return {"groups": m.column_names, "cells": m.counts, "row_totals": m.totals, "column_totals": m.column_totals}


def _printed(data: dict) -> dict:
    return {"groups": data["group_names"], "cells": data["cells"], "row_totals": data["row_totals"],
            "column_totals": data["column_totals"]}


def test_a_skipped_statement_leaves_the_table_and_the_window_agrees_with_the_report(qtbot, window):
    _skip(qtbot, window, "statement 4")  # the only statement without a date
    qtbot.keyClick(window.view, Qt.Key.Key_C, CTRL_SHIFT)  # Corpus ▸ Label × Group Table
    corpus = window.corpus_views.corpus_window
    _pick(qtbot, corpus.columns_by, "Date by year")
    _pick(qtbot, corpus.count_by, "Statements with at least one")
    _pick(qtbot, corpus.percent_by, "Column percentages")
    _wait_idle(qtbot, corpus)
    model = corpus.table_model
    assert corpus.statuses.currentText() == "All but skipped"
    assert model.headers() == ["2023", "2024", "Total (count)"]  # no "(no date)": its one statement is skipped
    assert model.column_totals == [2, 2]  # what the percentages divide by: the statements counted
    threat = model.row_names.index("Threat")
    assert [model.text(threat, c) for c in range(2)] == ["50.0%", "100.0%"]
    assert corpus.counted_note.text() == "Counting 4 statements; 1 skipped statement left out"
    printed = _report(window, "--by", "date:year", "--documents")
    assert _shown(corpus) == _printed(printed) and printed["left_out"] == {"skipped": 1}

    # every choice of the chooser, picked with the keyboard (Alt+E), counts what --status prints
    qtbot.waitUntil(corpus.isActiveWindow)
    for text, choice in CHOICES.items():
        qtbot.keyClick(corpus.focusWidget(), Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(corpus.statuses.hasFocus)
        _pick(qtbot, corpus.statuses, text)
        _wait_idle(qtbot, corpus)
        printed = _report(window, "--by", "date:year", "--documents", "--status", choice)
        assert _shown(corpus) == _printed(printed), text
        assert printed["status"] == choice
    _pick(qtbot, corpus.statuses, "All")
    _wait_idle(qtbot, corpus)
    assert model.headers() == ["2023", "2024", "(no date)", "Total (count)"] and model.column_totals == [2, 2, 1]
    assert corpus.counted_note.text() == "Counting 5 statements"

    # one label's crosstab, spans: the same as the command's
    _pick(qtbot, corpus.statuses, "All but skipped")
    _pick(qtbot, corpus.count_by, "Spans")
    _pick(qtbot, corpus.rows_by, "Issuer")
    _pick(qtbot, corpus.table_label, "Commitment")
    _wait_idle(qtbot, corpus)
    printed = _report(window, "--rows", "issuer", "--label", "commitment", "--by", "date:year")
    assert _shown(corpus) == _printed(printed) and model.row_names == ["Japan", "Korea"]
    assert model.counts == [[3, 0], [0, 1]]


def test_a_total_lists_the_spans_it_counts_and_the_other_tabs_leave_the_skipped_out(qtbot, window):
    _skip(qtbot, window, "statement 4")
    corpus = window.corpus_views.show("table")
    _pick(qtbot, corpus.columns_by, "Date by year")
    _wait_idle(qtbot, corpus)
    model = corpus.table_model
    last_row, last_column = model.rowCount() - 1, model.columnCount() - 1
    assert model.text(last_row, last_column) == "7"  # every span but statement 4's two
    corpus.table_view.setFocus()
    corpus.table_view.setCurrentIndex(model.index(last_row, last_column))
    qtbot.keyClick(corpus.table_view, Qt.Key.Key_Return)  # the grand total's spans
    _wait_idle(qtbot, corpus)
    assert len(corpus.spans_model.rows) == 7 and corpus.spans_note.text() == "7 span(s)"
    assert "statement 4" not in {r[2] for r in corpus.spans_model.rows}
    corpus.find_text.setFocus()  # the Spans tab's own search counts the same statements
    qtbot.keyClick(corpus.find_text, Qt.Key.Key_Return)
    _wait_idle(qtbot, corpus)
    assert corpus.spans_note.text() == "7 span(s)"

    corpus.tabs.setCurrentIndex(corpus.TABS.index("timeline"))
    _wait_idle(qtbot, corpus)
    assert corpus.timeline_note.text() == ""  # the undated spans were statement 4's
    assert dict(corpus.timeline_chart.values())["Threat"][0] == 1
    corpus.tabs.setCurrentIndex(corpus.TABS.index("codeline"))
    _wait_idle(qtbot, corpus)
    assert [r.title for r in corpus.codeline_chart.rows] == [f"statement {i}" for i in range(4)]
    assert corpus.code_from.maximum() == 4

    _pick(qtbot, corpus.statuses, "Skipped")  # the shown tab counts again at once, the others when shown
    _wait_idle(qtbot, corpus)
    assert [r.title for r in corpus.codeline_chart.rows] == ["statement 4"]
    assert corpus.counted_note.text() == "Counting 1 statement; 3 in progress and 1 done statements left out"
    corpus.tabs.setCurrentIndex(corpus.TABS.index("timeline"))
    _wait_idle(qtbot, corpus)
    assert corpus.timeline_note.text() == "2 span(s) in statements without a date are not shown"


def test_cooccurrence_counts_the_statements_chosen(qtbot, window):
    """Statement 0's "commit" and "defend" start in one sentence: once it is skipped, no pair is counted by default
    (nor listed), as ``annotator report --cooccurrence --same-sentence`` prints."""
    _skip(qtbot, window, "statement 0")
    corpus = window.corpus_views.show("cooccurrence")
    _pick(qtbot, corpus.co_mode, "Spans that start in the same sentence")
    _wait_idle(qtbot, corpus)
    c = corpus.co_model.row_names.index("Commitment")
    assert corpus.co_model.counts[c][c] == 0
    assert corpus.co_model.counts == _report(window, "--cooccurrence", "--same-sentence")["cells"]
    _pick(qtbot, corpus.statuses, "All")
    _wait_idle(qtbot, corpus)
    assert corpus.co_model.counts[c][c] == 1
    assert corpus.co_model.counts == _report(window, "--cooccurrence", "--same-sentence", "--status", "all")["cells"]
    corpus.co_view.setFocus()
    corpus.co_view.setCurrentIndex(corpus.co_model.index(c, c))
    qtbot.keyClick(corpus.co_view, Qt.Key.Key_Return)
    _wait_idle(qtbot, corpus)
    assert corpus.co_docs_model.row_names == ["statement 0"]


def test_an_open_table_leaves_out_a_statement_skipped_meanwhile(qtbot, window):
    """D15 in the window: the table is open when the statement is marked skipped in the main window."""
    corpus = window.corpus_views.show("table")
    _pick(qtbot, corpus.columns_by, "Date by year")
    _wait_idle(qtbot, corpus)
    assert corpus.table_model.column_names == ["2023", "2024", "(no date)"]
    assert corpus.counted_note.text() == "Counting 5 statements"
    _skip(qtbot, window, "statement 4")
    qtbot.waitUntil(lambda: corpus.table_model.column_names == ["2023", "2024"], timeout=5000)
    qtbot.waitUntil(lambda: corpus.counted_note.text().endswith("1 skipped statement left out"), timeout=5000)
