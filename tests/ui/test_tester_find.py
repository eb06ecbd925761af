"""A newcomer's finding on Find (Ctrl+F): a search that fails left the partial match of its first letters
selected, and a label key then labelled it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.core.model import IncomingDocument
from tests.ui.conftest import spans_in_db, window_over

CTRL = Qt.KeyboardModifier.ControlModifier
TEXT = "Officials met in Pyeongchang on Monday. They said Pyongyang fired two missiles; Pyongyang denied it.\n"


def _find(qtbot, window, text: str) -> None:
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_bar.edit, text)  # searched as typed
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)


def test_failed_find_leaves_no_partial_match_to_label(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, [IncomingDocument(TEXT, "pyongyang")]) as (window, project):
        view = window.view
        qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
        began = view.cursor_cp()
        _find(qtbot, window, "Pyongyangx")
        assert window.find_bar.status.text() == "not found"
        assert view.selection_cp() is None, "a partial match stayed selected"
        assert view.cursor_cp() == began
        qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Escape)
        assert QApplication.focusWidget() is view
        qtbot.keyClick(view, Qt.Key.Key_3)
        assert spans_in_db(project, window.session.document.id) == []

        # the same search, the x taken back: found again, from where it began, and labelled by a key
        qtbot.keyClick(view, Qt.Key.Key_F, CTRL)
        qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_End)
        qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Backspace)
        first = TEXT.index("Pyongyang")
        assert view.selection_cp() == (first, first + 9)
        assert window.find_bar.status.text() == ""
        qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Escape)
        qtbot.keyClick(view, Qt.Key.Key_3)
        assert spans_in_db(project, window.session.document.id) == [(first, first + 9, "call_to_action", "")]


def test_typing_on_extends_the_match_and_enter_finds_the_next(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, [IncomingDocument(TEXT, "pyongyang")]) as (window, _project):
        view = window.view
        qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
        qtbot.keyClick(view, Qt.Key.Key_F, CTRL)
        qtbot.keyClicks(window.find_bar.edit, "Py")
        assert view.selection_cp() == (TEXT.index("Pyeongchang"), TEXT.index("Pyeongchang") + 2)
        qtbot.keyClicks(window.find_bar.edit, "ongyang")  # the first Pyongyang, not the second
        first = TEXT.index("Pyongyang")
        assert view.selection_cp() == (first, first + 9)
        qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)  # Enter: the next one
        second = TEXT.index("Pyongyang", first + 1)
        assert view.selection_cp() == (second, second + 9)
        qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # and back
        assert view.selection_cp() == (first, first + 9)
        # typed on into nothing from the second match: back to where the search began, nothing selected
        qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
        qtbot.keyClicks(window.find_bar.edit, "zz")
        assert window.find_bar.status.text() == "not found"
        assert view.selection_cp() is None and view.cursor_cp() == 0
