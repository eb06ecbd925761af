"""A window's log is checkpointed by a thread of its own, never by the window's commits (a label key press).

SQLite's automatic checkpoint ran inside the commit that filled the log to 1 000 pages: at 100 000 statements one
press in a hundred took 10-25 ms, some over 200 ms. These tests hold the window's project to: no checkpoint in its
commits, the log still checkpointed and started afresh, the data whole after close, and a log put in the real
one's place (deleted, foreign) never read into the project.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from annotator import gcpause
from annotator.store import Project, checkpoints
from annotator.store.editlock import open_for_editing
from annotator.ui.app import sample_documents


@pytest.fixture
def quick_looks(monkeypatch):
    monkeypatch.setattr(checkpoints, "LOOK_EVERY_S", 0.05)


def _wait(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _label_words(project: Project, count: int, note: str = "") -> None:
    doc = project.documents()[0]
    text = project.document(doc.id).text
    starts = [i + 1 for i, ch in enumerate(text) if ch == " "][:count]
    for start in starts:
        project.add_span(doc.id, start, start + 1, "threat", note=note)


@contextlib.contextmanager
def _window_project(path: Path):
    """The project as a window opens it (``open_for_editing``), on a new file of the sample statements."""
    project = open_for_editing(path, "kim", create=True, populate=sample_documents())
    try:
        yield project
    finally:
        project.close()


def _spans(path: Path) -> int:
    with Project.open(path, readonly=True) as p:
        return p.conn.execute("SELECT count(*) FROM spans").fetchone()[0]


def test_the_windows_commits_never_checkpoint_even_past_a_thousand_pages(tmp_path, monkeypatch):
    monkeypatch.setattr(checkpoints, "LOOK_EVERY_S", 3600)  # the thread never looks in this test
    path = tmp_path / "p.sqlite"
    with _window_project(path) as project:
        assert project.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        _label_words(project, 120, note="n" * 40_000)  # ten pages of note a span: past 1 000 pages of log
        with contextlib.closing(sqlite3.connect(path)) as look:
            frames = look.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1]
        assert frames > 1_000  # with SQLite's automatic checkpoint the log would have started over
    assert not Path(f"{path}-wal").exists()  # the window's close is still the last: it removes the log
    assert _spans(path) == 120


def test_the_log_is_checkpointed_in_the_background_and_then_started_afresh(tmp_path, quick_looks):
    path = tmp_path / "p.sqlite"
    with _window_project(path) as project:
        _label_words(project, 40)
        _wait(lambda: project.checkpoints.done)
        busy, frames, done = project.checkpoints.done[0]
        assert busy == 0 and frames == done > 40  # the whole log, while the window waited for nothing
        _label_words(project, 1)  # the log starts afresh with this write: only its own pages are in it
        _wait(lambda: len(project.checkpoints.done) > 1)
        assert project.checkpoints.done[-1][1] < frames
    assert project.checkpoints is None and not Path(f"{path}-wal").exists()
    assert _spans(path) == 41


def test_after_the_window_recovers_deleted_log_files_the_new_ones_are_checkpointed(tmp_path, quick_looks):
    path = tmp_path / "p.sqlite"
    with _window_project(path) as project:
        _label_words(project, 5)
        for suffix in ("-wal", "-shm"):
            os.unlink(f"{path}{suffix}")
        time.sleep(0.2)  # the thread looks a few times meanwhile: no log there, nothing done
        _label_words(project, 1)  # noticed, recovered, then written
        assert project.recovered and "deleted" in project.recovered
        assert project.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        before = len(project.checkpoints.done)
        _label_words(project, 3)
        _wait(lambda: len(project.checkpoints.done) > before and project.checkpoints.done[-1][1] > 0)
    assert _spans(path) == 5 + 1 + 3


def test_a_foreign_log_put_in_place_is_never_checkpointed_into_the_project(tmp_path, quick_looks):
    """A ``-wal`` of another database copied over the window's: SQLite would copy its pages into the project if
    a new connection read it. The checkpoint thread keeps the log it opened with the window."""
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("CREATE TABLE junk (x)")
    conn.executemany("INSERT INTO junk VALUES (?)", [(b"\xff" * 3000,)] * 50)
    path = tmp_path / "p.sqlite"
    with contextlib.closing(conn), _window_project(path) as project:
        _label_words(project, 10)
        shutil.copyfile(f"{other}-wal", f"{path}-wal.new")
        os.replace(f"{path}-wal.new", f"{path}-wal")  # a new file in the log's place
        time.sleep(0.5)  # ten looks: the log "changed"; whatever the thread does, it must not read that file
        _label_words(project, 1)  # the window notices and recovers
        assert project.recovered
    with Project.open(path) as p:  # a full open: schema and contents checked
        assert p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert _spans(path) == 11


def test_files_that_are_not_the_windows_are_never_opened_for_checkpoints(tmp_path):
    """Only the very files the window has open (by inode): a foreign ``-wal`` under the log's name would have its
    pages copied into the project by the window's shared index (SQLite shares it within a process by inode)."""
    path = tmp_path / "p.sqlite"
    with _window_project(path) as project:
        _label_words(project, 3)
        ids = project._watch.ids
        accepted = checkpoints.Checkpointer(path, ids)
        assert accepted.working
        accepted.stop()  # not left running into later tests
        shutil.copyfile(f"{path}-wal", f"{path}-wal.new")
        os.replace(f"{path}-wal.new", f"{path}-wal")  # the same bytes, another file
        refused = checkpoints.Checkpointer(path, ids)
        assert not refused.working and refused.done == collections.deque()
        refused.stop()
        _label_words(project, 1)  # the window notices, recovers, and its checkpoints follow it to the new files
        assert project.recovered and project.checkpoints is not None and project.checkpoints.working
    assert _spans(path) == 4


def test_when_the_checkpoint_thread_cannot_go_on_the_window_checkpoints_as_sqlite_does(tmp_path, monkeypatch):
    path = tmp_path / "p.sqlite"
    with _window_project(path) as project:
        project.checkpoints.stop()  # its thread ended (as if it had died)
        _label_words(project, 1)  # the next write looks
        assert project.checkpoints is None
        assert project.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == checkpoints.SQLITE_DEFAULT_PAGES
    with _window_project(tmp_path / "q.sqlite") as project:
        monkeypatch.setattr(checkpoints, "_connect", lambda *_: None)  # the recovered files cannot be opened
        for suffix in ("-wal", "-shm"):
            os.unlink(f"{project.path}{suffix}")
        _label_words(project, 1)
        assert project.recovered and project.checkpoints is None
        assert project.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == checkpoints.SQLITE_DEFAULT_PAGES


def test_the_checkpoint_thread_never_runs_a_collector_pass_and_stops_at_once(tmp_path, quick_looks):
    """A pass in any thread but the window's may free a closed window's Qt objects there and freeze the app
    (``gcpause.pause``). This thread lives as long as the project, so the collector stays on; the thread allocates
    only with it paused. At a threshold of one, any allocation it made with the collector on would start a pass
    (CI, stop 35: three passes in a thread left running by a test; measured before: about 285 in 3 s)."""
    passes: list[str] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            passes.append(threading.current_thread().name)

    path = tmp_path / "p.sqlite"
    before = gc.get_threshold()
    gc.callbacks.append(record)
    try:
        with _window_project(path) as project:
            gc.set_threshold(1)
            try:
                for _ in range(3):  # writes, then a pause in which the log is still: a checkpoint each time
                    done = len(project.checkpoints.done)
                    _label_words(project, 5)
                    _wait(lambda: len(project.checkpoints.done) > done)  # noqa: B023 (waited for at once)
                started = time.monotonic()
                project.checkpoints.stop()
                stopped = time.monotonic() - started
            finally:
                gc.set_threshold(*before)
    finally:
        gc.callbacks.remove(record)
    assert passes and "checkpoints" not in passes
    assert stopped < 1.0  # asleep in short steps: a window closes without waiting for a look
    assert not gcpause.paused() and gc.isenabled()  # the end's pause let go of once the thread ended


def test_a_checkpoint_thread_ended_by_an_error_leaves_the_collector_on(tmp_path, quick_looks, monkeypatch):
    """Its end's pause is held only for stop() to let go of; ended by an error, nothing would until the window's
    next write, which a read-only session never makes (a reviewer, stop 36)."""
    monkeypatch.setattr(threading, "excepthook", lambda args: None)  # the error is the test's own

    def broken(self):  # type: ignore[no-untyped-def]
        raise RuntimeError("a look that fails")

    monkeypatch.setattr(checkpoints.Checkpointer, "_look", broken)
    with _window_project(tmp_path / "p.sqlite") as project:
        _wait(lambda: not project.checkpoints.working)
        assert not gcpause.paused() and gc.isenabled()
        project.checkpoints.stop()
        assert not gcpause.paused() and gc.isenabled()
