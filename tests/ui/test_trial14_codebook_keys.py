"""Trial 14, F6: a digit with no label says so.

Driven through the real window: Ctrl+K, the Delete… button, the question's keys; then the database read."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QInputDialog, QPushButton

from annotator.ui.codebook.dialog import CodebookDialog
from tests.ui.conftest import HOSTILE, key_select, on_dialog, spans_in_db

CTRL = Qt.KeyboardModifier.ControlModifier


def _back_in_the_statement(qtbot, window):
    """The codebook closed: the window active again with the keyboard in the statement (its keys work)."""
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window and QApplication.focusWidget() is window.view)


def _delete_row(qtbot, row: int, answer):
    """Ctrl+K's editor: row ``row`` selected, Delete… clicked, ``answer(question)`` run on the question asked,
    then the codebook's OK clicked."""
    def drive(dialog):
        dialog.table.selectRow(row)
        delete = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Delete…")
        asked = on_dialog(QInputDialog, answer)  # noqa: F841 - kept alive while the question runs
        qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
        box = next(b for b in dialog.findChildren(QDialogButtonBox) if b.parent() is dialog)
        qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    return drive


def test_a_digit_whose_label_was_deleted_says_so_in_the_status_bar(qtbot, window, project):
    """Commitment (key 2, no span) deleted in the codebook: 2 and Ctrl+2 over words say no label has the key."""
    timer = on_dialog(CodebookDialog, _delete_row(qtbot, 1, lambda q: q.reject()))  # noqa: F841 - not asked
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    assert [lb.key for lb in project.labels()] == ["threat", "call_to_action"]
    doc = window.session.document.id
    _back_in_the_statement(qtbot, window)
    for modifier in (Qt.KeyboardModifier.NoModifier, CTRL):
        window.statusBar().clearMessage()
        key_select(qtbot, window.view, HOSTILE.index("peace"), 5)
        qtbot.keyClick(window.view, Qt.Key.Key_2, modifier)
        assert window.statusBar().currentMessage() == (
            "No label on key 2 — Labels ▸ Edit Codebook… (Ctrl+K) to give it one")
        assert spans_in_db(project, doc) == []
    qtbot.keyClick(window.view, Qt.Key.Key_3)  # a key with a label still labels
    assert [s[2] for s in spans_in_db(project, doc)] == ["call_to_action"]
