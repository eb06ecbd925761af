"""An outside trial: in Labels ▸ Edit Codebook, renaming a label left the heading above its cue patterns
("Cue patterns of “Threat”") on the old name until OK. The heading now follows the name as it is typed, keeps the
committed name after Enter, goes back to the old one when the edit is abandoned with Escape, and Cancel ▸ Discard
still saves nothing."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QMessageBox, QPushButton

from annotator.store import suggest as cue_store
from annotator.ui.codebook.dialog import CodebookDialog
from tests.ui.conftest import on_dialog

CTRL = Qt.KeyboardModifier.ControlModifier


def _discard(qtbot, asked: list[str]):
    def click(box: QMessageBox) -> None:
        asked.append(box.text())
        button = next(b for b in box.findChildren(QPushButton) if b.text().replace("&", "") == "Discard")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return click


class _Questions(QObject):
    """The texts of the message boxes shown while it is installed (whoever answers them: a poller left running by
    an earlier test may click first)."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Show and isinstance(obj, QMessageBox):
            self.texts.append(obj.text())
        return False


def _editor(table) -> QLineEdit:
    return next(e for e in table.viewport().findChildren(QLineEdit) if e.isVisible())


def _type_name(qtbot, table, name: str) -> QLineEdit:
    """F2 on the current label's name, and ``name`` typed over it (not committed): the name's editor."""
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = _editor(table)
    editor.selectAll()
    qtbot.keyClicks(editor, name)
    return editor


def test_the_cue_heading_follows_a_rename_as_it_is_typed_and_cancel_saves_nothing(window, project, qtbot):
    before_labels, before_cues = project.labels(), cue_store.cues(project)
    old = before_labels[0].name
    asked: list[str] = []
    boxes = on_dialog(QMessageBox, _discard(qtbot, asked))  # alive while it runs
    seen: dict[str, object] = {}

    def drive(dialog):
        qtbot.waitUntil(dialog.isActiveWindow)
        table = dialog.table
        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_Home, CTRL)  # the first label's name, as a user gets there
        seen["start"] = dialog.cue_title.text()
        # Escape abandons a rename: the heading shows the name kept
        editor = _type_name(qtbot, table, "Nope")
        seen["typing_abandoned"] = dialog.cue_title.text()
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not any(e.isVisible() for e in table.viewport().findChildren(QLineEdit)))
        seen["escaped"] = (dialog.isVisible(), table.item(0, 0).text(), dialog.cue_title.text())
        # typed: the heading follows each key
        editor = _type_name(qtbot, table, "Menace")
        seen["typing"] = dialog.cue_title.text()
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: table.item(0, 0).text() == "Menace")
        seen["committed"] = dialog.cue_title.text()
        # another label and back: still the new name
        qtbot.keyClick(table, Qt.Key.Key_Down)
        seen["second"] = dialog.cue_title.text()
        qtbot.keyClick(table, Qt.Key.Key_Up)
        seen["back"] = dialog.cue_title.text()
        box = dialog.findChild(QDialogButtonBox)
        qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
        seen["closed"] = not dialog.isVisible()

    timer = on_dialog(CodebookDialog, drive)  # noqa: F841 - kept alive while the dialog runs
    questions = _Questions()
    QApplication.instance().installEventFilter(questions)
    try:
        qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    finally:
        QApplication.instance().removeEventFilter(questions)
        boxes.stop()  # not left answering the next test's questions
    assert seen["start"] == f"Cue patterns of “{old}”"
    assert seen["typing_abandoned"] == "Cue patterns of “Nope”"
    assert seen["escaped"] == (True, old, f"Cue patterns of “{old}”")
    assert seen["typing"] == "Cue patterns of “Menace”", seen
    assert seen["committed"] == "Cue patterns of “Menace”", seen
    assert seen["second"] == f"Cue patterns of “{before_labels[1].name}”"
    assert seen["back"] == "Cue patterns of “Menace”"
    assert seen["closed"] and questions.texts == ["Discard changes?"]  # asked, and answered Discard
    assert project.labels() == before_labels and cue_store.cues(project) == before_cues  # nothing saved


def test_the_heading_follows_a_rename_committed_by_clicking_another_row(window, project, qtbot):
    """A rename committed by moving on with the mouse (not Enter) shows the new name when the row is back."""
    seen: dict[str, object] = {}
    asked: list[str] = []
    boxes = on_dialog(QMessageBox, _discard(qtbot, asked))

    def drive(dialog):
        qtbot.waitUntil(dialog.isActiveWindow)
        table = dialog.table
        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_Home, CTRL)
        _type_name(qtbot, table, "  Danger ")
        seen["typing"] = dialog.cue_title.text()
        rect = table.visualItemRect(table.item(1, 4))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.waitUntil(lambda: table.currentRow() == 1)
        seen["names"] = table.item(0, 0).text().strip()
        rect = table.visualItemRect(table.item(0, 4))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.waitUntil(lambda: table.currentRow() == 0)
        seen["back"] = dialog.cue_title.text()
        dialog.reject()

    timer = on_dialog(CodebookDialog, drive)  # noqa: F841
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    boxes.stop()
    assert seen == {"typing": "Cue patterns of “Danger”", "names": "Danger", "back": "Cue patterns of “Danger”"}
    assert project.labels()[0].name != "Danger"
