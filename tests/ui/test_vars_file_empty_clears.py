"""File ▸ Set Document Variables…: the file dialog's option *Empty cells clear values* (``annotator vars
--empty-clears`` in the window), unticked by default, and the file applied as one step Edit ▸ Undo takes back.
Driven through the real menu action, Qt's file dialog (the option ticked, the file's name put in, Enter), the
summary's box, and Ctrl+Z / Ctrl+Shift+Z; what they did is read back from the database."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFileDialog, QLineEdit, QMessageBox

from annotator.core.model import IncomingDocument
from annotator.core.variables import Variable
from annotator.store import variables as sv
from annotator.store.check import check_project
from tests.ui.conftest import on_dialog, window_over

CTRL = Qt.KeyboardModifier.ControlModifier
DOCS = [IncomingDocument("We condemn the launch. We commit to peace.", "13_uk_fcdo"),
        IncomingDocument("This is a LaTeX placeholder.", "latex_placeholder"),
        IncomingDocument("We urge restraint.", "07_plain_note")]
#: per statement: (date, issuer, url, memo, wave) as the project holds them before the file
BEFORE = [("2023-07-12", "FCDO", "https://gov.uk/x", "memo one", 3),
          ("1999-01-01", "MOFA", "", "", 5),
          ("2024-05-05", "State", "", "keep me", None)]


def _prepare(project):
    sv.add_variable(project, Variable("wave", "number"))
    for doc, (date, issuer, url, note, wave) in zip(project.documents(), BEFORE, strict=True):
        for name, value in (("date", date), ("issuer", issuer), ("url", url), ("note", note), ("wave", wave)):
            sv.set_value(project, doc.id, name, value)


def _stored(path):
    """(title, date, issuer, url, memo, wave) of each statement, and the project's variables, read from the file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT d.title, d.date, d.issuer, d.url, d.note, v.value FROM documents d"
                            " LEFT JOIN document_values v ON v.doc_id = d.id AND v.variable = 'wave'"
                            " ORDER BY d.id").fetchall()
        names = [r[0] for r in conn.execute("SELECT name FROM variables ORDER BY position")]
    finally:
        conn.close()
    return rows, names


def _choose(qtbot, path, tick: bool, seen: dict):
    """In the file dialog: look at the option, tick it (or not), put in the file's name, Enter."""

    def act(dialog: QFileDialog) -> None:
        qtbot.waitUntil(dialog.isActiveWindow)
        option = dialog.findChild(QCheckBox, "empty_clears")
        seen["option"] = None if option is None else (option.isVisible(), option.isChecked(), option.text(),
                                                      option.toolTip())
        if option is None:
            dialog.reject()
            return
        if tick:
            qtbot.mouseClick(option, Qt.MouseButton.LeftButton)
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        name.setFocus()
        name.setText(str(path))  # (typed, its completer's popup would open: offscreen Qt warns of it)
        qtbot.keyClick(name, Qt.Key.Key_Return)

    return act


def _summary(qtbot, seen: dict):
    def read(box: QMessageBox) -> None:
        qtbot.waitUntil(box.isActiveWindow)
        seen["summary"] = box.text()
        qtbot.keyClick(box, Qt.Key.Key_Return)

    return read


def _undo(qtbot, window, redo: bool = False) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL | (Qt.KeyboardModifier.ShiftModifier if redo else CTRL))


def _run_dialog(qtbot, window, path, tick: bool) -> dict:
    seen: dict = {}
    files = on_dialog(QFileDialog, _choose(qtbot, path, tick, seen))
    boxes = on_dialog(QMessageBox, _summary(qtbot, seen))
    action = window.properties.vars_action
    assert action in window.menus["&File"].actions()
    action.trigger()
    files.stop()
    boxes.stop()
    return seen


def test_ticked_empty_cells_clear_values_said_in_the_summary_and_one_undo_brings_them_back(qtbot, tmp_path):
    table = tmp_path / "fix.csv"
    # a wrong date, issuer, URL, memo and wave taken out of the first; the second keeps its title and gets a date
    table.write_text("title,new_title,date,issuer,url,memo,wave\n13_uk_fcdo,,,,,,\n"
                     "latex_placeholder,,2024-01-02,,,,\n", encoding="utf-8")
    with window_over(qtbot, tmp_path, DOCS, _prepare) as (window, project):
        before = _stored(project.path)
        seen = _run_dialog(qtbot, window, table, tick=True)
        shown, ticked, words, tip = seen["option"]
        assert shown and not ticked  # offered, unticked until the user ticks it
        assert "Empty cells clear values" in words.replace("&", "")
        assert "leaves the value as it is" in words and "Undo" in tip and "never cleared" in tip
        rows, names = _stored(project.path)
        assert rows[0] == ("13_uk_fcdo", "", "", "", "", None)  # every empty cell cleared its value
        assert rows[1] == ("latex_placeholder", "2024-01-02", "", "", "", None)  # (its wave 5 cleared too)
        assert rows[2] == before[0][2] and names == ["wave"]  # a statement the file does not name is untouched
        assert "cleared 7 value(s)" in seen["summary"] and "set 1 value(s) on 2 statement(s)" in seen["summary"]
        assert window.undo_group.undoText() == "Set Document Variables from “fix.csv”"
        assert check_project(project.path)[0] == []

        _undo(qtbot, window)  # one step brings every cleared value back
        assert _stored(project.path) == before
        assert window.properties.panel.editors["issuer"].text() == "FCDO"  # the form shows it at once
        _undo(qtbot, window, redo=True)
        assert _stored(project.path)[0] == rows
        _undo(qtbot, window)
        assert _stored(project.path) == before
        assert check_project(project.path)[0] == []


def test_unticked_an_empty_cell_leaves_the_value_and_the_file_is_undone_whole(qtbot, tmp_path):
    table = tmp_path / "more.csv"
    table.write_text("title,new_title,date,issuer,region\n13_uk_fcdo,UK statement,,,Europe\n"
                     "07_plain_note,,2020-02-02,,\n", encoding="utf-8")
    with window_over(qtbot, tmp_path, DOCS, _prepare) as (window, project):
        before = _stored(project.path)
        seen = _run_dialog(qtbot, window, table, tick=False)
        assert seen["option"][1] is False
        rows, names = _stored(project.path)
        assert rows[0][:3] == ("UK statement", "2023-07-12", "FCDO")  # empty cells left the values
        assert rows[2][:3] == ("07_plain_note", "2020-02-02", "State")
        assert names == ["wave", "region"] and "cleared" not in seen["summary"]
        assert window.windowTitle().startswith("UK statement — ")  # the open statement's new title, at once
        _undo(qtbot, window)  # the new title, the date and the variable the file added go
        assert _stored(project.path) == before
        assert window.windowTitle().startswith("13_uk_fcdo — ")
        assert "region" not in window.properties.panel.editors
        assert check_project(project.path)[0] == []
