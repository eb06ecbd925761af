"""Trial 11, D4 and L6: the project's folder renamed (``mv t5 t5moved``) while the window edits it. Every later
label was refused with "cannot recover …/f.sqlite: the project file cannot be opened", the status bar showed
"Retraining failed: RuntimeError: ProjectFileError: …", and the ``-wal`` was left beside the moved file at quit.

SQLite goes on writing into the very files it opened, so the window follows them to their new names: labels are
saved there and the analyst is told where the project is now. A folder that is gone altogether is said plainly.
Each test drives the real window by keys and fails on the code before the fix.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.reliability.test_overwritten_in_place import OURS, make, open_window
from tests.reliability.test_trust import run_cli
from tests.ui.conftest import key_select, on_dialog


def spans(path: Path) -> list[tuple[int, int, int]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)  # the file alone: what is in it for good
    try:
        return conn.execute('SELECT doc_id, start, "end" FROM spans ORDER BY id').fetchall()
    finally:
        conn.close()


def record_boxes(qtbot, seen: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    def read_and_close(box: QMessageBox) -> None:
        seen.append((box.windowTitle(), box.text()))
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    return on_dialog(QMessageBox, *[read_and_close] * 5)


def test_window_follows_its_renamed_folder_and_saves_every_label_there(qtbot, tmp_path):
    folder = tmp_path / "t5"
    folder.mkdir()
    path = make(folder / "f.sqlite", OURS)
    window = open_window(qtbot, path)
    watcher = None
    errors: list[tuple[str, str]] = []
    try:
        view = window.view
        key_select(qtbot, view, 3, 8)
        qtbot.keyClick(view, Qt.Key.Key_1)
        moved = tmp_path / "t5moved"
        os.rename(folder, moved)
        watcher = record_boxes(qtbot, errors)  # an error box would be read and closed, and fail the test below
        key_select(qtbot, view, 12, 7)
        qtbot.keyClick(view, Qt.Key.Key_2)
        key_select(qtbot, view, 38, 4)
        qtbot.keyClick(view, Qt.Key.Key_3)
        qtbot.wait(200)
        assert errors == []
        said = window.file_watch.check() if window.file_watch.box is None else window.file_watch.box.text()
        assert window.session.project.path == moved / "f.sqlite"
        assert window.file_watch.box is not None and window.file_watch.box.windowTitle() == "The project was moved"
        text = window.file_watch.box.text()
        assert str(moved / "f.sqlite") in text and "saves every change there" in text, (said, text)
        assert "Error" not in text and "cannot" not in text
        assert "t5moved" in window.statusBar().currentMessage()
        window.file_watch.box.close()
        assert "f.sqlite" in window.windowTitle()
        with qtbot.waitSignal(window.suggestions.retrainer.trained, timeout=60_000):
            window.suggestions.retrainer.start_now()  # its own process reads the project by its new name
        assert "Retraining failed" not in window.statusBar().currentMessage()
    finally:
        if watcher is not None:
            watcher.stop()  # (tests/ui's fixture that stops them does not reach this folder)
        window.close()
    assert sorted(os.listdir(moved)) == ["f.sqlite"]  # the log checkpointed and removed at quit, by its new name
    assert spans(moved / "f.sqlite") == [(1, 3, 11), (1, 12, 19), (1, 37, 41)]  # (snapped to "urge")
    result = run_cli("check", str(moved / "f.sqlite"))
    assert result.returncode == 0, (result.stdout, result.stderr)


def test_a_folder_gone_altogether_is_said_plainly_and_no_raw_error_shows(qtbot, tmp_path):
    folder = tmp_path / "t6"
    folder.mkdir()
    path = make(folder / "f.sqlite", OURS)
    window = open_window(qtbot, path)
    watcher = None
    told: list[tuple[str, str]] = []
    try:
        view = window.view
        key_select(qtbot, view, 3, 8)
        qtbot.keyClick(view, Qt.Key.Key_1)
        shutil.rmtree(folder)  # moved to another disk (a copy, then the folder deleted), or deleted
        watcher = record_boxes(qtbot, told)
        key_select(qtbot, view, 12, 7)
        qtbot.keyClick(view, Qt.Key.Key_2)
        qtbot.waitUntil(lambda: len(told) == 1, timeout=10_000)
        window.suggestions.retrainer.start_now()  # the suggestions' process reads the project by its name
        qtbot.waitUntil(lambda: "Retraining failed" in window.statusBar().currentMessage(), timeout=30_000)
        status = window.statusBar().currentMessage()
    finally:
        if watcher is not None:
            watcher.stop()
        window.close()
    title, text = told[0]
    assert "was moved, renamed or deleted while the project was open here" in text, text
    assert "Put the folder back" in text and "cannot recover" not in text
    for shown in (text, status):
        assert "RuntimeError" not in shown and "ProjectFileError" not in shown, shown
