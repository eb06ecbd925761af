"""An outside trial: Labels ▸ Edit Codebook threw the edits away on Cancel, Escape or closing the window, without
asking. With edits it now asks "Discard changes?" (Discard / Keep editing); without any it closes at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QMessageBox, QPushButton

from annotator.store import suggest as cue_store
from annotator.ui.codebook.dialog import CodebookDialog
from tests.ui.conftest import on_dialog

CTRL = Qt.KeyboardModifier.ControlModifier


def _click(qtbot, box: QMessageBox, text: str, asked: list[str]) -> None:
    asked.append(box.text())
    button = next(b for b in box.findChildren(QPushButton) if b.text().replace("&", "") == text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _answer(qtbot, text: str, asked: list[str]):
    return lambda box: _click(qtbot, box, text, asked)


def _rename_first(qtbot, dialog, name: str) -> None:
    """F2 on the first label's name, a new name typed, Enter: as a user renames a label."""
    table = dialog.table
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = next(e for e in table.viewport().findChildren(QLineEdit) if e.isVisible())
    editor.selectAll()
    qtbot.keyClicks(editor, name)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.item(0, 0).text() == name)


def _cancel(qtbot, dialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)


def test_cancel_escape_and_close_ask_before_discarding_edits(window, project, qtbot):
    before_labels, before_cues = project.labels(), cue_store.cues(project)
    asked: list[str] = []
    seen: dict[str, object] = {}
    # the questions, in order: Keep editing (Cancel), Keep editing (Escape), Keep editing (closing), Discard
    boxes = on_dialog(QMessageBox, *(_answer(qtbot, t, asked) for t in  # noqa: F841 - alive while it runs
                                     ("Keep editing", "Keep editing", "Keep editing", "Discard")))

    def drive(dialog):
        qtbot.waitUntil(dialog.isActiveWindow)
        _rename_first(qtbot, dialog, "Menace")
        _cancel(qtbot, dialog)
        seen["after_cancel"] = (dialog.isVisible(), dialog.table.item(0, 0).text())
        dialog.table.setFocus()
        qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
        seen["after_escape"] = dialog.isVisible()
        dialog.close()  # the window's close button
        seen["after_close"] = dialog.isVisible()
        _cancel(qtbot, dialog)  # and now Discard
        seen["after_discard"] = dialog.isVisible()

    timer = on_dialog(CodebookDialog, drive)  # noqa: F841 - kept alive while the dialog runs
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    assert seen["after_cancel"] == (True, "Menace"), "Keep editing keeps the dialog and the edit"
    assert seen["after_escape"] is True and seen["after_close"] is True
    assert seen["after_discard"] is False
    assert len(asked) == 4 and all("Discard changes?" in text for text in asked)
    assert project.labels() == before_labels and cue_store.cues(project) == before_cues  # nothing saved


def test_a_cue_pattern_typed_counts_as_an_edit(window, project, qtbot):
    asked: list[str] = []
    boxes = on_dialog(QMessageBox, _answer(qtbot, "Discard", asked))  # noqa: F841
    seen: list[bool] = []

    def drive(dialog):
        qtbot.waitUntil(dialog.isActiveWindow)
        dialog.table.setCurrentCell(1, 0)
        dialog.cue_editor.setFocus()
        qtbot.keyClicks(dialog.cue_editor, "x  phrase  we pledge")
        qtbot.keyClick(dialog.cue_editor, Qt.Key.Key_Return)
        qtbot.keyClick(dialog.cue_editor, Qt.Key.Key_Escape)
        seen.append(dialog.isVisible())

    timer = on_dialog(CodebookDialog, drive)  # noqa: F841
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    assert seen == [False] and len(asked) == 1


def test_without_edits_cancel_and_escape_close_at_once(window, project, qtbot):
    asked: list[str] = []
    boxes = on_dialog(QMessageBox, _answer(qtbot, "Discard", asked), timeout_ms=2000)  # noqa: F841
    closed: list[bool] = []

    def by_escape(dialog):
        qtbot.waitUntil(dialog.isActiveWindow)
        dialog.table.setCurrentCell(2, 0)  # looking is not editing
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        closed.append(not dialog.isVisible())

    def by_cancel(dialog):
        qtbot.waitUntil(dialog.isActiveWindow)
        _cancel(qtbot, dialog)
        closed.append(not dialog.isVisible())

    timer = on_dialog(CodebookDialog, by_escape, by_cancel)  # noqa: F841
    for _ in range(2):
        qtbot.waitUntil(lambda: window.isActiveWindow() and QApplication.focusWidget() is window.view)
        qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    assert closed == [True, True] and asked == []


def test_the_discard_question_explains_itself_on_one_line(window, qtbot):
    """A newcomer's finding: the box was so narrow that its one-line explanation wrapped into three short lines."""
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QLabel

    seen: dict[str, object] = {}

    def look(box):
        label = box.findChild(QLabel, "qt_msgbox_informativelabel")
        seen["fits"] = QFontMetrics(label.font()).horizontalAdvance(label.text()) <= label.width()
        seen["sizes"] = (QFontMetrics(label.font()).horizontalAdvance(label.text()), label.width(), box.width())
        seen["text"] = label.text()
        next(b for b in box.buttons() if b.text() == "Discard").click()

    boxes = on_dialog(QMessageBox, look)  # noqa: F841 - alive while it runs

    def drive(dialog):
        qtbot.waitUntil(dialog.isActiveWindow)
        _rename_first(qtbot, dialog, "Menace")
        _cancel(qtbot, dialog)

    timer = on_dialog(CodebookDialog, drive)  # noqa: F841 - kept alive while the dialog runs
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    assert seen.get("fits") is True, seen
