"""Document ▸ Document Variables…: after Add the name box is empty for the next name (trial 13, F14: it kept the
added name, selected in the list for Rename, and the next name typed was appended to it: "source_langwave"), and
Enter in it adds the name without closing the dialog (Close was the default button and took the Enter too)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core.variables import Variable
from annotator.store import variables as sv
from annotator.ui.properties.variables_dialog import VariablesDialog
from tests.ui.conftest import on_dialog


def test_each_name_typed_after_add_is_a_name_of_its_own(qtbot, window, project):
    seen: list[str] = []

    def work(dialog):
        qtbot.keyClicks(dialog.name, "source_lang")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)  # Enter in the name field adds it
        seen.append(dialog.name.text())
        seen.append("open" if dialog.isVisible() else "closed by Enter")
        qtbot.keyClicks(dialog.name, "wave")
        dialog.type.setCurrentIndex(dialog.type.findData("number"))
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        seen.append(dialog.name.text())
        seen.append(dialog.list.currentItem().text())
        dialog.reject()

    timer = on_dialog(VariablesDialog, work)
    window.properties.manage_action.trigger()
    timer.stop()
    assert sv.definitions(project) == [Variable("source_lang", "text"), Variable("wave", "number")]
    assert seen[:3] == ["", "open", ""] and seen[3].startswith("wave"), seen  # the new one selected, the box empty
