"""Document ▸ Delete Statement… of the statement with the largest id, a statement imported after it (File ▸ Import,
or ``annotator import`` beside the window), then Edit ▸ Undo: the deleted statement comes back whole under its own
id and its spans' ids, the imported one keeps its own. SQLite gave the imported statement (and its spans) the
deleted one's ids, and the undo was refused. Driven through the real action, its question, Qt's file dialog, the
import's summary and Ctrl+Z / Ctrl+Shift+Z; what they did is read back from the database."""

from __future__ import annotations

import sqlite3

import orjson
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.model import IncomingDocument, Provenance
from annotator.core.variables import Variable
from annotator.store import variables as sv
from annotator.store.check import check_project
from tests.helpers import run_cli
from tests.ui.conftest import choose_in_file_dialog, on_dialog, window_over

CTRL = Qt.KeyboardModifier.ControlModifier
LAST = "We condemn the launch. We commit to peace. We urge restraint."
DOCS = [IncomingDocument("This is a LaTeX placeholder.", "latex_placeholder"),
        IncomingDocument(LAST, "13_uk_fcdo", provenance=Provenance("13_uk_fcdo.html", "ab" * 32, "html", "1"))]
TABLES = ("documents", "spans", "document_values", "imports", "sentence_starts", "review_decisions",
          "suggest_rejections", "document_span_counts", "label_doc_counts", "overlap_pairs", "span_reach")


def _prepare(project):
    doc = project.documents()[-1].id  # the largest id, and its spans the largest span ids
    project.add_span(doc, 3, 21, "threat", note="the launch")
    project.add_span(doc, 10, 41, "commitment", annotator="ben")
    project.add_span(doc, 43, 61, "call_to_action")
    sv.add_variable(project, Variable("wave", "number"))
    for name, value in (("issuer", "FCDO"), ("date", "2023-07-12"), ("note", "memo words"), ("wave", 2)):
        sv.set_value(project, doc, name, value)
    project.set_status(doc, "done")
    project.conn.execute("INSERT INTO review_decisions (doc_id, item_key, decision, origin, at, actor)"
                         " VALUES (?, 'k', 'reject', 'bob@b.jsonl', 'now', 'ana')", (doc,))
    project.conn.execute('INSERT INTO suggest_rejections (doc_id, start, "end", label, source, at, actor)'
                         " VALUES (?, 0, 2, 'threat', 'cue', 'now', 'ana')", (doc,))


def _rows(path, doc_id):
    """Everything the project holds of statement ``doc_id`` (its spans with their ids), read from the file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        held = {t: conn.execute(f"SELECT * FROM {t} WHERE {'id' if t == 'documents' else 'doc_id'} = ?"  # noqa: S608
                                " ORDER BY 1, 2", (doc_id,)).fetchall() for t in TABLES}
        held["search"] = conn.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH 'memo'").fetchall()
        return held
    finally:
        conn.close()


def _ids(path):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return ({r[0]: r[1] for r in conn.execute("SELECT id, title FROM documents")},
                {r[0]: r[1] for r in conn.execute("SELECT id, doc_id FROM spans")})
    finally:
        conn.close()


def _delete(qtbot, window, doc):
    """Document ▸ Delete Statement… on statement ``doc``, opened first; Delete in its question."""
    window.open_document(doc)
    asked: list[str] = []

    def delete(box: QMessageBox) -> None:
        qtbot.waitUntil(box.isActiveWindow)
        asked.append(box.text())
        next(b for b in box.buttons() if b.text().replace("&", "") == "Delete").click()

    timer = on_dialog(QMessageBox, delete)
    window.statements.delete_action.trigger()
    timer.stop()
    assert asked and "“13_uk_fcdo” and its 3 spans" in asked[0]


def _keys(qtbot, window, redo: bool = False) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL | (Qt.KeyboardModifier.ShiftModifier if redo else CTRL))


def _undone_whole(qtbot, window, project, doc, before, imported):
    _keys(qtbot, window)  # Edit ▸ Undo
    assert _rows(project.path, doc) == before
    assert window.session.document.id == doc and len(window.session.index) == 3
    assert window.statusBar().currentMessage() == "Undone: Delete Statement “13_uk_fcdo”"
    titles, spans = _ids(project.path)
    assert titles[doc] == "13_uk_fcdo" and imported in titles.values()
    assert sorted(i for i, d in spans.items() if d == doc) == [r[0] for r in before["spans"]]
    assert check_project(project.path)[0] == []
    _keys(qtbot, window, redo=True)  # and the delete again
    assert doc not in _ids(project.path)[0] and imported in _ids(project.path)[0].values()
    assert check_project(project.path)[0] == []
    _keys(qtbot, window)
    assert _rows(project.path, doc) == before
    assert check_project(project.path)[0] == []


def test_undo_brings_the_statement_back_after_file_import_took_the_next_id(qtbot, tmp_path):
    source = tmp_path / "new.jsonl"
    source.write_bytes(orjson.dumps({"text": "A new statement: we warn them and we commit.",
                                     "meta": {"title": "imported later"},
                                     "spans": [{"start": 3, "end": 16, "label": "threat"},
                                               {"start": 30, "end": 39, "label": "commitment"}]}) + b"\n")
    with window_over(qtbot, tmp_path, DOCS, _prepare) as (window, project):
        doc = project.documents()[-1].id
        before = _rows(project.path, doc)
        assert len(before["spans"]) == 3 and before["review_decisions"] and before["imports"]
        _delete(qtbot, window, doc)
        assert doc not in _ids(project.path)[0]
        summary = on_dialog(QMessageBox, lambda box: box.accept())
        choose_in_file_dialog(source)
        next(a for a in window.menus["&File"].actions() if a.text().replace("&", "") == "Import Files…").trigger()
        qtbot.waitUntil(lambda: "imported later" in _ids(project.path)[0].values())
        qtbot.waitUntil(lambda: not [w for w in QApplication.topLevelWidgets()
                                     if isinstance(w, QMessageBox) and w.isVisible()])
        summary.stop()
        titles, spans = _ids(project.path)
        new = next(i for i, t in titles.items() if t == "imported later")
        assert new != doc and not {i for i, d in spans.items() if d == new} & {r[0] for r in before["spans"]}
        _undone_whole(qtbot, window, project, doc, before, "imported later")


def test_undo_brings_the_statement_back_after_annotator_import_beside_the_window(qtbot, tmp_path):
    source = tmp_path / "beside.jsonl"
    source.write_bytes(orjson.dumps({"text": "Imported from the command line: we urge calm.",
                                     "meta": {"title": "from the command line"},
                                     "spans": [{"start": 35, "end": 42, "label": "call_to_action"}]}) + b"\n")
    with window_over(qtbot, tmp_path, DOCS, _prepare) as (window, project):
        doc = project.documents()[-1].id
        before = _rows(project.path, doc)
        _delete(qtbot, window, doc)
        done = run_cli("import", project.path, source)
        assert done.returncode == 0, done.stderr
        qtbot.waitUntil(lambda: "from the command line" in [window.documents.model.index(r, 0).data()
                                                            for r in range(window.documents.model.rowCount())])
        assert doc not in _ids(project.path)[0]
        _undone_whole(qtbot, window, project, doc, before, "from the command line")
