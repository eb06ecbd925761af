"""A newcomer's finding: in Labels ▸ Edit Codebook the cue-pattern box had no column headings, and a long name such as
"commitment-will-continue" pushed its kind and pattern a tab stop to the right of the other lines'. Now "Name",
"Kind" and "Pattern" head the box and every line's fields start under them: with the longest name, with lines typed
(separated by a tab or by spaces), at a larger font. The text typed stays as typed, and typing still counts as an
edit (Cancel asks "Discard changes?") while only looking does not. Through the real window and dialog."""

from __future__ import annotations

import contextlib
import re

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QFontDatabase, QTextCursor
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QMessageBox, QPushButton

from annotator.store import suggest as cue_store
from annotator.ui.codebook.dialog import CodebookDialog
from tests.ui.conftest import on_dialog

CTRL = Qt.KeyboardModifier.ControlModifier
TITLES = ("Name", "Kind", "Pattern")
#: how the codebook reads a line: NAME, KIND and PATTERN separated by tabs or two spaces or more
SEPARATOR = re.compile(r"\t+| {2,}")


def _headings(dialog) -> list[QLabel]:
    """The visible "Name", "Kind" and "Pattern" labels, in that order (an assertion error when one is missing)."""
    labels = [w for w in dialog.findChildren(QLabel) if w.isVisible()]
    found = [next((w for w in labels if w.text() == t), None) for t in TITLES]
    assert all(found), [w.text() for w in labels]
    return found


def _heading_x(dialog, label: QLabel) -> int:
    """Where the heading's text starts, in the dialog (left-aligned in its contents)."""
    return label.mapTo(dialog, QPoint(label.contentsRect().x(), 0)).x()


def _field_starts(dialog) -> list[tuple[str, tuple[int, ...]]]:
    """For each cue line in the editor (not blank, not a comment): (line, the x in the dialog where its NAME, KIND
    and PATTERN start), from the editor's own cursor rectangles."""
    editor = dialog.cue_editor
    out = []
    block = editor.document().firstBlock()
    while block.isValid():
        line = block.text()
        if line.strip() and not line.lstrip().startswith("#"):
            starts = [len(line) - len(line.lstrip())] + [m.end() for m in SEPARATOR.finditer(line.rstrip())][:2]
            xs = []
            for at in starts:
                cursor = QTextCursor(block)
                cursor.setPosition(block.position() + at)
                xs.append(editor.viewport().mapTo(dialog, editor.cursorRect(cursor).topLeft()).x())
            out.append((line, tuple(xs)))
        block = block.next()
    return out


def _misplaced(dialog) -> list[tuple[str, tuple[int, ...], tuple[int, ...]]]:
    """The lines whose fields do not start under the headings (within a pixel): (line, where, headings' x)."""
    heads = tuple(_heading_x(dialog, h) for h in _headings(dialog))
    return [(line, xs, heads) for line, xs in _field_starts(dialog)
            if len(xs) != 3 or any(abs(x - h) > 1 for x, h in zip(xs, heads, strict=True))]


def _settled(qtbot, dialog) -> list[tuple[str, tuple[int, ...], tuple[int, ...]]]:
    """:func:`_misplaced` once the lines are in place (the columns may be fit on the next turn of the event loop),
    or as they are after 3 s."""
    with contextlib.suppress(qtbot.TimeoutError):
        qtbot.waitUntil(lambda: _misplaced(dialog) == [], timeout=3000)
    return _misplaced(dialog)


def _row(dialog, name: str) -> int:
    return next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text() == name)


def _cancel(qtbot, dialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)


def _close(dialog) -> None:
    """Close the dialog if a failed look left it open (not waiting a minute for the modal watchdog)."""
    if dialog.isVisible():
        dialog.done(0)


def _answer(qtbot, text: str, asked: list[str]):
    def click(box: QMessageBox) -> None:
        asked.append(box.text())
        button = next(b for b in box.findChildren(QPushButton) if b.text().replace("&", "") == text)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return click


def test_headings_name_the_columns_and_a_long_name_keeps_its_row_in_line(window, project, qtbot):
    asked: list[str] = []
    boxes = on_dialog(QMessageBox, _answer(qtbot, "Discard", asked), timeout_ms=3000)
    seen: dict[str, object] = {}

    def look(dialog):
        try:
            qtbot.waitUntil(dialog.isActiveWindow)
            editor = dialog.cue_editor
            headings = _headings(dialog)
            seen["above"] = all(h.mapTo(dialog, QPoint(0, h.height())).y() <= editor.mapTo(dialog, QPoint(0, 0)).y()
                                for h in headings)
            xs = [_heading_x(dialog, h) for h in headings]
            seen["in order"] = xs == sorted(set(xs))
            for name in ("Threat", "Commitment", "Call to action"):  # each label's cues, at once as it is selected
                dialog.table.setCurrentCell(_row(dialog, name), 0)
                seen[name] = (len(_field_starts(dialog)), _misplaced(dialog))
            dialog.table.setCurrentCell(_row(dialog, "Commitment"), 0)
            seen["text"] = editor.toPlainText()
            _cancel(qtbot, dialog)  # only looked: closes at once
            seen["closed"] = not dialog.isVisible()
        finally:
            _close(dialog)

    timer = on_dialog(CodebookDialog, look)  # noqa: F841 - kept alive while the dialog runs
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)  # Labels ▸ Edit Codebook
    boxes.stop()  # no question came; its watcher must not answer the next test's
    assert "commitment-will-continue\tregex\t" in str(seen["text"])  # the long name of the default codebook
    assert seen["above"] is True and seen["in order"] is True, seen
    for name in ("Threat", "Commitment", "Call to action"):
        count, misplaced = seen[name]  # type: ignore[misc]
        assert count >= 5 and misplaced == [], (name, misplaced)
    assert seen["closed"] is True and asked == []


def test_lines_typed_line_up_stay_as_typed_and_count_as_an_edit(window, project, qtbot):
    before = cue_store.cues(project)
    asked: list[str] = []
    boxes = on_dialog(QMessageBox, _answer(qtbot, "Discard", asked))
    long_name = "a-name-longer-than-any-in-the-codebook"
    seen: dict[str, object] = {}

    def type_lines(dialog):
        try:
            qtbot.waitUntil(dialog.isActiveWindow)
            editor = dialog.cue_editor
            dialog.table.setCurrentCell(_row(dialog, "Threat"), 0)
            seen["before"] = _heading_x(dialog, _headings(dialog)[1])
            original = editor.toPlainText()
            editor.setFocus()
            editor.moveCursor(QTextCursor.MoveOperation.End)
            qtbot.keyClicks(editor, "sanctions  tokens  sanction*")  # two spaces, as the help allows
            qtbot.keyClick(editor, Qt.Key.Key_Return)
            qtbot.keyClicks(editor, long_name)
            qtbot.keyClick(editor, Qt.Key.Key_Tab)
            qtbot.keyClicks(editor, "phrase")
            qtbot.keyClick(editor, Qt.Key.Key_Tab)
            qtbot.keyClicks(editor, "we pledge")
            seen["typed"] = editor.toPlainText()[len(original):]
            seen["misplaced"] = _settled(qtbot, dialog)
            seen["lines"] = len(_field_starts(dialog))
            seen["after"] = _heading_x(dialog, _headings(dialog)[1])
            seen["stored"] = dialog.cues_text(_row(dialog, "Threat"))[len(original):]
            _cancel(qtbot, dialog)  # typed: asks first (Discard)
            seen["closed"] = not dialog.isVisible()
        finally:
            _close(dialog)

    timer = on_dialog(CodebookDialog, type_lines)  # noqa: F841 - kept alive while the dialog runs
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    boxes.stop()
    typed = f"sanctions  tokens  sanction*\n{long_name}\tphrase\twe pledge"
    assert seen["typed"] == typed and seen["stored"] == typed  # what is read and saved is what was typed
    assert seen["misplaced"] == [] and seen["lines"] == 7, seen
    assert seen["after"] > seen["before"]  # the Kind column moved right of the long name
    assert asked == ["Discard changes?"] and seen["closed"] is True, (asked, seen)
    assert cue_store.cues(project) == before


def test_headings_follow_a_larger_font(window, project, qtbot):
    seen: dict[str, object] = {}
    before = QApplication.font()
    QApplication.setFont(QFont("DejaVu Sans", 11))  # a common system setting

    def larger(dialog):
        try:
            qtbot.waitUntil(dialog.isActiveWindow)
            dialog.table.setCurrentCell(_row(dialog, "Commitment"), 0)
            seen["11 pt"] = _misplaced(dialog)
            fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
            fixed.setPointSize(16)
            dialog.cue_editor.setFont(fixed)
            seen["16 pt"] = (_settled(qtbot, dialog), len(_field_starts(dialog)))
            dialog.reject()
        finally:
            _close(dialog)

    timer = on_dialog(CodebookDialog, larger)  # noqa: F841 - kept alive while the dialog runs
    try:
        qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    finally:
        QApplication.setFont(before)
    assert seen["11 pt"] == [] and seen["16 pt"] == ([], 6), seen
