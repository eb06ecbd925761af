"""Issue #15, item 7: a memo per statement (the analyst's own note on the whole statement), through the real
Document Properties panel: typed there, saved at once, undone and redone like every property edit, and exported in
``jsonl`` ``meta.note`` and ``prodigy`` ``meta.note`` (read back by import)."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from annotator.store import Project
from annotator.store import variables as sv
from annotator.store.transfer import export_project, import_paths

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
MEMO_LINES = ("Check the date 😀 against the", "ministry’s page; 𝐃𝐏𝐑𝐊 wording é")  # astral, combining mark


def open_memo(qtbot, window):
    """Ctrl+Shift+P, then Tab from the title over date, issuer and URL to the memo, as the analyst does."""
    qtbot.keyClick(window.view, Qt.Key.Key_P, CTRL | SHIFT)
    panel = window.properties.panel
    qtbot.waitUntil(panel.editors["title"].hasFocus)
    for _ in range(4):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
    memo = panel.editors["note"]
    assert memo.hasFocus()
    return memo


def type_text(memo, text):
    """Key presses carrying each character as its text, as a keyboard or input method sends them (QTest's
    keyClicks cannot send a character outside the BMP)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(memo, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def type_memo(qtbot, memo, lines):
    for i, line in enumerate(lines):
        if i:
            qtbot.keyClick(memo, Qt.Key.Key_Return)  # a new line in the memo, not "save"
        type_text(memo, line)


def test_the_memo_is_typed_in_the_panel_saved_at_once_undone_and_redone(qtbot, window, project):
    doc = window.session.document.id
    memo = open_memo(qtbot, window)
    type_memo(qtbot, memo, MEMO_LINES)
    assert sv.fields(project, doc).note == ""  # not saved while typing
    qtbot.keyClick(memo, Qt.Key.Key_Return, CTRL)  # Ctrl+Enter saves it, at once
    memo_text = "\n".join(MEMO_LINES)
    assert sv.fields(project, doc).note == memo_text
    assert project.document(doc).note == memo_text
    assert project.history(1)[0]["action"] == "set_variable"
    assert window.session.document.id == doc and project.document(doc).status == "todo"  # not "done and next"

    qtbot.keyClick(memo, Qt.Key.Key_Tab)  # leaving it unchanged saves nothing more
    assert [h["action"] for h in project.history(10)].count("set_variable") == 1
    window.view.setFocus()
    assert window.undo_group.undoText().startswith("Set Memo to “Check the date 😀")
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # undo, from the statement
    assert sv.fields(project, doc).note == "" and memo.toPlainText() == ""
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL | SHIFT)  # redo
    assert sv.fields(project, doc).note == memo_text and memo.toPlainText() == memo_text

    # a second edit, left with Tab (focus out saves), is its own undo step
    memo = open_memo(qtbot, window)
    memo.moveCursor(memo.textCursor().MoveOperation.End)
    type_text(memo, " (done)")
    qtbot.keyClick(memo, Qt.Key.Key_Tab)
    assert sv.fields(project, doc).note == memo_text + " (done)"
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert sv.fields(project, doc).note == memo_text


def test_a_memo_being_typed_when_another_statement_opens_is_saved_for_its_own(qtbot, window, project):
    first = window.session.document.id
    memo = open_memo(qtbot, window)
    type_memo(qtbot, memo, ["about the first one"])
    second = next(d.id for d in project.documents() if d.id != first)
    window.open_document(second)
    assert window.session.document.id == second  # the window goes on to the statement opened
    assert window.properties.panel.doc_id == second
    assert sv.fields(project, first).note == "about the first one"
    assert sv.fields(project, second).note == "" and memo.toPlainText() == ""
    window.open_document(first)
    assert memo.toPlainText() == "about the first one"
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # undo brings the memo's statement into view, as any undo
    assert sv.fields(project, first).note == "" and window.session.document.id == first


@pytest.mark.parametrize("fmt", ["jsonl", "prodigy"])
def test_the_memo_typed_in_the_panel_is_exported_in_meta_note_and_read_back(qtbot, window, project, tmp_path, fmt):
    if fmt == "prodigy":
        pytest.importorskip("spacy")
    doc = window.session.document.id
    memo = open_memo(qtbot, window)
    type_memo(qtbot, memo, MEMO_LINES)
    qtbot.keyClick(memo, Qt.Key.Key_Tab)
    memo_text = "\n".join(MEMO_LINES)
    out = tmp_path / f"out.{fmt}.jsonl"
    export_project(project, fmt, out)
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    by_doc = {r["meta"]["doc_id"]: r["meta"] for r in records}
    assert by_doc[doc]["note"] == memo_text
    assert all(m["note"] == "" for d, m in by_doc.items() if d != doc)
    with Project.open(tmp_path / "again.sqlite", create=True, user="someone") as again:
        import_paths(again, [out])
        notes = {d.title: again.document(d.id).note for d in again.documents()}
    assert notes[project.document(doc).title] == memo_text
