"""Trial 11, D1: the project file copied over in place (``cp other.sqlite project.sqlite``: the same inode) while the
window edits it. It was not noticed: the window went on acknowledging labels that landed on the other project's
statements, and its close checkpointed its ``-wal`` into the other file (a mix every tool took as sound).

Each test does what the analyst and the other program do -- the real window, label keys on a selection, ``cp``
from another process -- and reads the files after. Each fails on the code before the fix.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from annotator.core.model import IncomingDocument
from annotator.errors import ProjectFileError
from annotator.store import Project, backups, overwrite
from annotator.store.editlock import open_for_editing
from tests.reliability.test_trust import run_cli
from tests.ui.conftest import key_select, on_dialog

OURS = ["We strongly condemn the launches and urge restraint by every party in the region today.",
        "The allies reaffirm their ironclad commitment to deterrence and to peace on the peninsula."]
THEIRS = ["Partners call on Russia to cease its attacks and to respect sovereignty without delay."]


def make(path: Path, texts: list[str]) -> Path:
    Project.open(path, create=True, populate=[IncomingDocument(t, f"{path.stem}{i}") for i, t in enumerate(texts)],
                 ).close()
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cp(source: Path, target: Path) -> None:
    """As the analyst's shell does: another process, the target rewritten in place (same inode)."""
    inode = os.stat(target).st_ino
    subprocess.run(["cp", str(source), str(target)], check=True)
    assert os.stat(target).st_ino == inode


def rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def open_window(qtbot, path: Path):  # type: ignore[no-untyped-def]
    from annotator.ui import app as app_module
    from tests.ui.conftest import show_window

    window = app_module.create_window(path, ask_name=False)
    window.resize(1100, 700)
    return show_window(qtbot, window)


def test_window_refuses_every_label_once_another_project_is_copied_over_it(qtbot, tmp_path):
    ours, theirs = make(tmp_path / "c.sqlite", OURS), make(tmp_path / "b.sqlite", THEIRS)
    theirs_bytes = digest(theirs)
    window = open_window(qtbot, ours)
    watcher = None
    told: list[str] = []
    try:
        qtbot.waitUntil(lambda: bool(backups.list_backups(ours)), timeout=10_000)  # the backup on open
        view = window.view
        key_select(qtbot, view, 3, 8)  # "strongly"
        qtbot.keyClick(view, Qt.Key.Key_1)
        assert rows(ours, "SELECT doc_id, start, \"end\" FROM spans") == [(1, 3, 11)]

        cp(theirs, ours)
        key_select(qtbot, view, 12, 7)  # "condemn"

        def read_and_close(box: QMessageBox) -> None:
            told.append(box.text())
            qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

        watcher = on_dialog(QMessageBox, read_and_close, read_and_close)
        qtbot.keyClick(view, Qt.Key.Key_2)  # refused: not acknowledged, and said why
        qtbot.waitUntil(lambda: len(told) == 1, timeout=10_000)
        window.focus_statement()  # back in the text, as after any message
        qtbot.waitUntil(window.isActiveWindow)
        key_select(qtbot, view, 38, 4)
        qtbot.keyClick(view, Qt.Key.Key_3)  # and again
        qtbot.waitUntil(lambda: len(told) == 2, timeout=10_000)
        assert sum(window.session.counts.values()) == 1  # the window shows only what was saved
        assert window.file_watch.check() is not None  # the two-second look says nothing more (no second box)
        assert window.file_watch.box is None
    finally:
        if watcher is not None:
            watcher.stop()  # (tests/ui's fixture that stops them does not reach this folder)
        window.close()
    message = told[0]
    assert "c.sqlite was overwritten by another program" in message and "another project" in message
    assert "newest backup" in message and "File ▸ Restore from Backup" in message and "annotator restore" in message
    assert "Traceback" not in message and "Error:" not in message
    # the other program's file is left exactly as it wrote it: no label, no checkpoint of the window's -wal
    assert digest(ours) == theirs_bytes
    assert not Path(f"{ours}-wal").exists()
    assert [p.name for p in backups.folder_for(ours).iterdir() if p.name.endswith("-wal")]  # kept, not applied
    # and the newest backup holds the project as the analyst had it on open
    newest = backups.list_backups(ours)[0].path
    assert [r[0] for r in rows(newest, "SELECT text FROM documents ORDER BY id")] == OURS


def test_an_older_copy_of_this_project_copied_over_it_is_noticed(tmp_path):
    ours = make(tmp_path / "c.sqlite", OURS)
    window = open_for_editing(ours, "ana")
    try:
        window.add_span(1, 3, 11, "threat")
        window.conn.execute("PRAGMA wal_checkpoint")  # as the checkpoint thread does once the analyst pauses
        old = tmp_path / "yesterday.sqlite"
        subprocess.run(["cp", str(ours), str(old)], check=True)  # the file alone: a copy a sync tool keeps
        window.add_span(1, 12, 19, "commitment")
        window.add_span(2, 4, 10, "threat")
        window.conn.execute("PRAGMA wal_checkpoint")
        assert window.check_files() is None  # our own checkpoints move the count forward: nothing to say
        old_bytes = digest(old)
        cp(old, ours)
        with pytest.raises(ProjectFileError, match="an older copy of this project"):
            window.add_span(2, 15, 22, "threat")
        with pytest.raises(ProjectFileError, match="overwritten by another program"):
            window.set_status(1, "done")  # every later write too
    finally:
        window.close()
    assert digest(ours) == old_bytes


def test_the_checkpoint_thread_never_copies_the_window_log_into_the_other_file(tmp_path, monkeypatch):
    """Between the copy and the window's next look (its next write, or two seconds), the checkpoint thread found
    the log changed and still, and copied the window's pages into the other project's file: after that the file's
    own stamp was the window's, and nothing could tell."""
    from annotator.store import checkpoints

    monkeypatch.setattr(checkpoints, "LOOK_EVERY_S", 0.05)
    ours, theirs = make(tmp_path / "c.sqlite", OURS), make(tmp_path / "b.sqlite", THEIRS)
    theirs_bytes = digest(theirs)
    window = open_for_editing(ours, "ana")
    try:
        assert window.checkpoints is not None and window.checkpoints.working
        window.add_span(1, 3, 11, "threat")
        cp(theirs, ours)
        deadline = time.monotonic() + 1.0  # twenty looks of the thread, the log still
        while time.monotonic() < deadline:
            time.sleep(0.05)
        assert digest(ours) == theirs_bytes
        with pytest.raises(ProjectFileError, match="overwritten"):
            window.add_span(1, 12, 19, "commitment")
    finally:
        window.close()
    assert digest(ours) == theirs_bytes


def test_a_write_that_finds_nothing_changed_pays_a_stat_not_a_read(tmp_path, monkeypatch):
    """The label key's budget: the look inside the file runs only when its size or time changed (a checkpoint), and
    then once."""
    ours = make(tmp_path / "c.sqlite", OURS)
    window = open_for_editing(ours, "ana")
    reads: list[Path] = []
    real = overwrite.main_stamp
    monkeypatch.setattr(overwrite, "main_stamp", lambda path: reads.append(path) or real(path))
    try:
        window.add_span(1, 3, 11, "threat")
        for start in range(12, 40, 4):
            window.add_span(1, start, start + 2, "commitment")
        assert reads == []
        window.conn.execute("PRAGMA wal_checkpoint")  # the file changes: looked at once, found to be ours
        window.add_span(2, 4, 10, "threat")
        window.add_span(2, 12, 16, "threat")
        assert reads == [ours]
        rounds = 2000
        began = time.perf_counter()
        for _ in range(rounds):
            window.check_files()
        each_us = (time.perf_counter() - began) / rounds * 1e6
        assert each_us < 500, each_us  # (a stat each of three files and the lock's fdinfo; ~30 us here)
    finally:
        window.close()


def test_check_beside_the_window_names_the_mix(tmp_path):
    """``annotator check`` run beside the window after the copy: the file and the window's ``-wal`` are two
    projects, which it says (an older copy cannot be told from the files alone: the window says that one)."""
    ours, theirs = make(tmp_path / "c.sqlite", OURS), make(tmp_path / "b.sqlite", THEIRS)
    window = open_for_editing(ours, "ana")
    try:
        window.add_span(1, 3, 11, "threat")
        cp(theirs, ours)
        result = run_cli("check", str(ours))
        assert result.returncode == 1, (result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        assert "another project" in result.stdout + result.stderr, (result.stdout, result.stderr)
    finally:
        window.close()


def test_a_file_changing_while_it_is_read_is_judged_once_it_settles(tmp_path, monkeypatch):
    """A copy under way (its size and time change while the stamp is read) is not believed yet, either way: a
    write then is refused (not acknowledged) and the file looked at again; a good read while a checkpoint writes is
    taken for that write (no refusal for the window's own checkpoints)."""
    ours, theirs = make(tmp_path / "c.sqlite", OURS), make(tmp_path / "b.sqlite", THEIRS)
    window = open_for_editing(ours, "ana")
    real = overwrite.main_state
    ticks = iter(range(10**6))
    monkeypatch.setattr(overwrite, "CONFIRM_GAP_S", 0.001)
    try:
        window.add_span(1, 3, 11, "threat")
        window.conn.execute("PRAGMA wal_checkpoint")  # the file changes, legitimately
        monkeypatch.setattr(overwrite, "main_state", lambda path: (next(ticks), 0))  # ... while it is read
        window.add_span(1, 12, 19, "commitment")  # good for now: saved
        assert window._watch.main != (0, 0) and window.check_files() is None
        cp(theirs, ours)
        with pytest.raises(overwrite.BeingWritten, match="being changed by another program right now"):
            window.add_span(2, 4, 10, "threat")
        monkeypatch.setattr(overwrite, "main_state", real)  # the copy has ended
        with pytest.raises(ProjectFileError, match="overwritten by another program"):
            window.add_span(2, 4, 10, "threat")
        assert window.overwritten()
    finally:
        window.close()
    assert digest(ours) == digest(theirs)
