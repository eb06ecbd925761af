"""A statement's title edited in Document Properties, and Document ▸ Delete Statement… (trial 10, D7), through
the real widgets; what they did is read back from the database."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from annotator.core.model import IncomingDocument
from annotator.store import Project
from annotator.store import variables as sv
from annotator.store.check import check_project
from annotator.store.editlock import open_for_editing
from annotator.ui.documents import StatementsController
from tests.ui.conftest import on_dialog, record_messages, show_window, type_into, window_over

CTRL = Qt.KeyboardModifier.ControlModifier
DOCS = [IncomingDocument("We condemn the launch. We commit to peace.", "13_uk_fcdo"),
        IncomingDocument("This is a LaTeX placeholder.", "latex_placeholder"),
        IncomingDocument("We urge restraint.", "07_plain_note")]


def _titles(path):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT title FROM documents ORDER BY id")]
    finally:
        conn.close()


def _listed(window):
    model = window.documents.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def _click(name):
    return lambda box: next(b for b in box.buttons() if b.text().replace("&", "") == name).click()


def test_the_title_field_saves_at_once_shows_everywhere_and_undoes(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        doc = window.session.document.id
        field = window.properties.panel.editors["title"]
        assert field.text() == "13_uk_fcdo"
        type_into(qtbot, field, "UK statement on the launch")
        assert _titles(project.path)[0] == "UK statement on the launch"
        assert _listed(window)[0] == "UK statement on the launch"
        assert window.windowTitle().startswith("UK statement on the launch — ")
        assert window.undo_group.undoText() == "Set Title to “UK statement on the launch”"
        assert project.history(1)[0]["action"] == "set_title"
        ids = [r[0] for r in project.conn.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH 'UK'")]
        assert ids == [doc]
        window.view.setFocus()
        qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
        assert _titles(project.path)[0] == "13_uk_fcdo"
        assert field.text() == "13_uk_fcdo" and _listed(window)[0] == "13_uk_fcdo"
        assert window.windowTitle().startswith("13_uk_fcdo — ")


def test_an_empty_or_unstorable_title_is_refused_with_a_message(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        panel = window.properties.panel
        field = panel.editors["title"]
        type_into(qtbot, field, "   ")
        assert "cannot be empty" in panel.message.text()
        assert field.text() == "13_uk_fcdo"  # the saved title shown again
        field.setText("bad\x07title")
        field.setFocus()
        qtbot.keyClick(field, Qt.Key.Key_Return)
        assert "control character" in panel.message.text()
        assert _titles(project.path)[0] == "13_uk_fcdo"
        assert not window.undo_group.canUndo()


def test_delete_the_open_statement_asks_opens_the_next_and_undo_brings_it_back_whole(qtbot, tmp_path):
    def prepare(project):
        doc = project.documents()[0].id
        project.add_span(doc, 3, 21, "threat", note="the launch")
        project.add_span(doc, 23, 41, "commitment")
        sv.set_value(project, doc, "issuer", "FCDO")
        project.set_status(doc, "done")

    with window_over(qtbot, tmp_path, DOCS, prepare) as (window, project):
        first = project.documents()[0].id
        window.open_document(first)
        before = project.document(first), project.spans(first)
        # Cancel is the default: Enter deletes nothing
        seen = []
        on_dialog(QMessageBox, lambda box: (seen.append((box.text(), box.informativeText())),
                                            qtbot.keyClick(box, Qt.Key.Key_Return)))
        window.statements.delete_action.trigger()
        assert "“13_uk_fcdo” and its 2 spans" in seen[0][0] and "Edit ▸ Undo brings it back" in seen[0][1]
        assert len(_titles(project.path)) == 3
        on_dialog(QMessageBox, _click("Delete"))
        window.statements.delete_action.trigger()
        assert _titles(project.path) == ["latex_placeholder", "07_plain_note"]
        assert window.session.document.title == "latex_placeholder"  # the next one is open
        assert _listed(window) == ["latex_placeholder", "07_plain_note"]
        assert window.undo_group.undoText() == "Delete Statement “13_uk_fcdo”"
        assert check_project(project.path)[0] == []
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
        assert (project.document(first), project.spans(first)) == before
        assert project.document(first).status == "done" and project.document(first).issuer == "FCDO"
        assert window.session.document.id == first and len(window.session.index) == 2
        assert window.statusBar().currentMessage() == "Undone: Delete Statement “13_uk_fcdo”"
        assert _listed(window) == ["13_uk_fcdo", "latex_placeholder", "07_plain_note"]
        assert check_project(project.path)[0] == []
        qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)  # redo
        assert _titles(project.path) == ["latex_placeholder", "07_plain_note"]


def test_delete_key_in_the_list_and_the_last_statement(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, DOCS[:1]) as (window, project):
        table = window.documents.table
        table.setFocus()
        qtbot.waitUntil(table.hasFocus)
        on_dialog(QMessageBox, _click("Delete"))
        qtbot.keyClick(table, Qt.Key.Key_Delete)
        qtbot.waitUntil(lambda: _titles(project.path) == [])
        assert window.session.document is None and _listed(window) == []
        assert window.view.text == "" and window.windowTitle() == "p.sqlite — Annotator"
        assert check_project(project.path)[0] == []
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
        assert _titles(project.path) == ["13_uk_fcdo"] and window.session.document.title == "13_uk_fcdo"


def test_a_read_only_project_refuses_to_delete(qtbot, tmp_path, monkeypatch):
    from annotator.ui.mainwindow import MainWindow

    path = tmp_path / "p.sqlite"
    Project.open(path, create=True, populate=DOCS).close()
    messages = record_messages(monkeypatch, __import__("annotator.ui.documents", fromlist=["x"]))
    with open_for_editing(path) as editing:  # another window edits it: this one opens it read-only
        project = open_for_editing(path)
        assert project.readonly
        from PySide6.QtCore import QSettings

        window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
        window.statements.delete_action.trigger()
        assert messages and "read-only" in messages[0][1]
        assert len(_titles(path)) == 3 and not window.undo_group.canUndo()
        window.close()
        project.close()
        assert editing.documents()


def test_the_controller_is_installed_once(qtbot, window):
    assert isinstance(window.statements, StatementsController)
    assert window.statements.delete_action in window.menus["&Document"].actions()
