"""Undoing the label that started a statement puts it back to "To do" (a newcomer's finding: the span was gone and
the statement stayed "In progress" with no span, where undoing a bulk label from Search did put it back); redo
starts it again. Through the real keys; the database read."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import key_select

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def _status(project, doc_id):
    return project.conn.execute("SELECT status FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]


def _listed(window, doc_id):
    model = window.documents.model
    return model.index(model.row_of(doc_id), 1).data()


def test_undoing_the_first_label_puts_the_statement_back_to_do(qtbot, window, project):
    doc_id = window.session.document.id
    assert _status(project, doc_id) == "todo" and _listed(window, doc_id) == "To do"
    key_select(qtbot, window.view, 0, 4)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert len(project.spans(doc_id)) == 1 and _status(project, doc_id) == "in_progress"
    qtbot.waitUntil(lambda: _listed(window, doc_id) == "In progress")
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert project.spans(doc_id) == [] and _status(project, doc_id) == "todo"
    qtbot.waitUntil(lambda: _listed(window, doc_id) == "To do")
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert len(project.spans(doc_id)) == 1 and _status(project, doc_id) == "in_progress"
    qtbot.waitUntil(lambda: _listed(window, doc_id) == "In progress")


def test_undoing_a_later_label_leaves_the_statement_in_progress(qtbot, window, project):
    doc_id = window.session.document.id
    key_select(qtbot, window.view, 0, 4)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    key_select(qtbot, window.view, 10, 4)
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # the second label: the first still holds it in progress
    assert len(project.spans(doc_id)) == 1 and _status(project, doc_id) == "in_progress"
