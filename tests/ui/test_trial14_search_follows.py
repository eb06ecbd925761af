"""Trial 14, F8: the Search dock's hits follow the project. ``annotator import`` run beside the window added a
statement saying "peace" twice; the dock kept its hits of before, and Ctrl+A then a label key labelled those alone
("Labelled 3 hit(s)") while ``annotator search … --unlabelled`` still listed the new ones. Now the dock says its
hits are out of date and refuses a label key until it has read them again, then shows them all (Ctrl+A kept over
them), so one more key press labels every hit the search finds. Spans labelled elsewhere show in the hits and their
filter; File ▸ Import's statements are found too. Driven with the real keys and the real ``annotator`` command;
what was labelled is read back from the database."""

from __future__ import annotations

import json
import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from annotator.core.model import IncomingDocument
from annotator.ui import filedialogs
from tests.helpers import run_cli
from tests.ui.conftest import on_dialog, window_over
from tests.ui.test_trial3_import_offsets import _trigger_import

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
DOCS = [IncomingDocument("We commit to peace. Peace is our aim.", "first statement"),
        IncomingDocument("We urge restraint and a lasting peace.", "second statement")]
LATE = "A late statement: peace in the region, and peace at sea."


def _threat_spans(path) -> list[tuple[int, int, int]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute('SELECT doc_id, start, "end" FROM spans WHERE label = ? ORDER BY doc_id, start',
                            ("threat",)).fetchall()
    finally:
        conn.close()


def _search(qtbot, window, text):
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL | SHIFT)
    controller = window.search
    box = controller.panel.query
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)  # the keyboard goes to the hits once they are there
    qtbot.waitUntil(lambda: controller.running is None and controller.panel.table.hasFocus(), timeout=10000)
    return controller


def _counts(controller) -> str:
    return controller.panel.counts.text()


def test_hits_of_statements_annotator_import_adds_beside_the_window_are_found_and_labelled(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        controller = _search(qtbot, window, "peace")
        table = controller.panel.table
        assert _counts(controller).startswith("3 hit(s) in 2 statement(s)")
        late = tmp_path / "late.txt"
        late.write_text(LATE, encoding="utf-8")
        result = run_cli("import", project.path, late)
        assert result.returncode == 0, result.stderr

        # the window sees the change (its poll, once a second): the dock says its hits are out of date
        qtbot.waitUntil(lambda: "project changed" in _counts(controller), timeout=5000)
        qtbot.keyClick(table, Qt.Key.Key_A, CTRL)
        qtbot.keyClick(table, Qt.Key.Key_1)  # Threat: refused, nothing labelled from the hits of before
        assert "hits are being read again" in window.statusBar().currentMessage()
        assert _threat_spans(project.path) == []

        # read again: all five, the new statement's two among them, and Ctrl+A's selection over them all
        qtbot.waitUntil(lambda: _counts(controller).startswith("5 hit(s) in 3 statement(s)") and
                        "changed" not in _counts(controller), timeout=10000)
        assert len(controller.selected_rows()) == 5
        qtbot.keyClick(table, Qt.Key.Key_1)
        assert "Labelled 5 hit(s)" in window.statusBar().currentMessage()
        spans = _threat_spans(project.path)
        assert len(spans) == 5
        late_id = max(doc for doc, _s, _e in spans)
        assert [(s, e) for doc, s, e in spans if doc == late_id] == [(LATE.index("peace"), LATE.index("peace") + 5),
                                                                      (LATE.rindex("peace"), LATE.rindex("peace") + 5)]
        listed = run_cli("search", project.path, "peace", "--unlabelled", "--json")
        assert listed.returncode == 0, listed.stderr
        assert json.loads(listed.stdout)["hits"] == []


def test_spans_labelled_elsewhere_show_in_the_hits_and_their_filter_the_selected_hit_kept(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        controller = _search(qtbot, window, "peace")
        table, model = controller.panel.table, controller.model
        qtbot.keyClick(table, Qt.Key.Key_Down)  # the second hit: "Peace is our aim"
        qtbot.keyClick(table, Qt.Key.Key_Down)  # the third: "a lasting peace"
        assert [h.title for h in (model.hit(r) for r in controller.selected_rows())] == ["second statement"]
        # another program labels the first statement's first "peace" (a JSONL of the same statement, with a span)
        start = DOCS[0].text.index("peace")
        spans = tmp_path / "spans.jsonl"
        spans.write_text(json.dumps({"text": DOCS[0].text, "title": DOCS[0].title,
                                     "spans": [{"start": start, "end": start + 5, "label": "threat"}]}) + "\n",
                         encoding="utf-8")
        result = run_cli("import", project.path, spans)
        assert result.returncode == 0, result.stderr
        qtbot.waitUntil(lambda: model.hit(0).labels == ("threat",), timeout=10000)
        assert [h.labels for h in model.rows] == [("threat",), (), ()]
        assert [h.title for h in (model.hit(r) for r in controller.selected_rows())] == ["second statement"]
        assert model.hit(table.currentIndex().row()).title == "second statement"

        # Show: Not yet labelled -- the two hits no span covers; Ctrl+A, 1 labels them, the first stays as it was
        controller.panel.filter.setFocus()
        qtbot.keyClick(controller.panel.filter, Qt.Key.Key_Down)
        qtbot.waitUntil(lambda: model.rowCount() == 2)
        assert "(1 more hidden by the filter)" in _counts(controller)
        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_A, CTRL)
        qtbot.keyClick(table, Qt.Key.Key_1)
        assert "Labelled 2 hit(s)" in window.statusBar().currentMessage()
        assert len(_threat_spans(project.path)) == 3


def test_statements_file_import_adds_in_the_window_are_searched_again(qtbot, tmp_path, monkeypatch):
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        controller = _search(qtbot, window, "peace")
        assert _counts(controller).startswith("3 hit(s) in 2 statement(s)")
        late = tmp_path / "late.txt"
        late.write_text(LATE, encoding="utf-8")
        monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: [str(late)])
        boxes = on_dialog(QMessageBox, lambda box: box.accept())  # the import's summary, closed
        _trigger_import(window)
        qtbot.waitUntil(lambda: _counts(controller).startswith("5 hit(s) in 3 statement(s)") and
                        "changed" not in _counts(controller), timeout=10000)
        boxes.stop()
        table = controller.panel.table
        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_A, CTRL)
        qtbot.keyClick(table, Qt.Key.Key_1)
        assert len(_threat_spans(project.path)) == 5


def test_a_hidden_dock_searches_again_when_shown(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        controller = _search(qtbot, window, "peace")
        controller.dock.toggleViewAction().trigger()  # View ▸ Search: hidden
        assert not controller.dock.isVisible()
        late = tmp_path / "late.txt"
        late.write_text(LATE, encoding="utf-8")
        assert run_cli("import", project.path, late).returncode == 0
        qtbot.waitUntil(lambda: window.documents.model.rowCount() == 3, timeout=5000)  # the window saw it
        qtbot.wait(500)
        assert controller.running is None and controller.model.rowCount() == 3  # nothing read for a hidden dock
        window.view.setFocus()
        qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL | SHIFT)
        qtbot.waitUntil(lambda: _counts(controller).startswith("5 hit(s) in 3 statement(s)") and
                        "changed" not in _counts(controller), timeout=10000)
