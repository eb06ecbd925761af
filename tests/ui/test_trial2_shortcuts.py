"""An outside trial: in Help ▸ Keyboard Shortcuts (F1) the End key, Home, PageUp and PageDown did not scroll the
list (End went to the row's last column, PageDown only moved the current row to the foot of the page)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from annotator.ui.dialogs import ShortcutsDialog
from tests.ui.conftest import on_dialog


def test_end_home_and_page_keys_scroll_the_shortcuts_list(window, qtbot):
    seen: dict[str, object] = {}

    def read_and_close(dialog):
        table, bar = dialog.table, dialog.table.verticalScrollBar()
        qtbot.waitUntil(lambda: dialog.isActiveWindow() and QApplication.focusWidget() is table)  # as it opens
        seen["max"], seen["top"] = bar.maximum(), bar.value()

        def press(key, widget=None):
            qtbot.keyClick(widget or QApplication.focusWidget(), key)
            return bar.value()

        seen["end"] = press(Qt.Key.Key_End)
        seen["end_row"] = table.currentRow()
        seen["home"] = press(Qt.Key.Key_Home)
        seen["home_row"] = table.currentRow()
        seen["down1"] = press(Qt.Key.Key_PageDown)  # a page each press, from the first
        seen["down2"] = press(Qt.Key.Key_PageDown)
        seen["up1"] = press(Qt.Key.Key_PageUp)
        seen["up2"] = press(Qt.Key.Key_PageUp)
        # the same with the keyboard on the Close button (after a Tab)
        close = next(b for b in dialog.findChildren(QPushButton) if b.isVisible())
        close.setFocus()
        seen["end_from_button"] = press(Qt.Key.Key_End, close)
        seen["home_from_button"] = press(Qt.Key.Key_Home, close)
        seen["home_again"] = press(Qt.Key.Key_Home, close)  # at the top already: the list leaves it to the dialog
        seen["page"] = bar.pageStep()
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)

    timer = on_dialog(ShortcutsDialog, read_and_close)  # noqa: F841 - kept alive while the dialog runs
    qtbot.keyClick(window.view, Qt.Key.Key_F1)
    assert seen["max"] > 0 and seen["top"] == 0, "the list is longer than the dialog"
    assert seen["end"] == seen["max"], "End shows the end of the list"
    assert seen["end_row"] > 0, "End goes to the last row, not to the row's last column"
    assert seen["home"] == 0 and seen["home_row"] == 0
    page = seen["page"]
    assert seen["down1"] >= min(page - 1, seen["max"]) and seen["down1"] > 0, "PageDown scrolls a page"
    assert seen["down2"] >= min(seen["down1"] + page - 1, seen["max"])
    assert seen["down2"] > seen["down1"] or seen["down1"] == seen["max"], "a second page, unless the first ended it"
    assert seen["up1"] < seen["down2"] and seen["up2"] == 0, "PageUp scrolls back a page"
    assert seen["end_from_button"] == seen["max"] and seen["home_from_button"] == 0 and seen["home_again"] == 0
