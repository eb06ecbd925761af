"""A full disk and a read-only disk, under the project, the export target and the backup folder.

Each gets one clear message, loses nothing, and work goes on once the disk is fixed. The disks are small tmpfs
mounts (``mount -t tmpfs -o size=1m``; skipped where mounting is not permitted), remounted read-only where
needed (``chmod`` does not stop root); injected ``ENOSPC`` and read-only errors cover the rest.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import QSettings, Qt

from annotator import cli
from annotator.errors import AnnotatorError, ProjectFileError
from annotator.store import Project, backups, restoring
from annotator.store.transfer import export_project, import_paths
from tests.reliability.common import dump, make_project, settled
from tests.reliability.faults import FaultyConnection
from tests.ui.conftest import record_messages, show_window


class Disk:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.filler = root / ".filler"

    def fill(self) -> None:
        """Take every free byte."""
        chunk = b"\0" * 4096
        with open(self.filler, "ab", buffering=0) as fh:
            while True:
                try:
                    fh.write(chunk)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
                    break
        with pytest.raises(OSError):
            (self.root / ".probe").write_bytes(b"x" * 8192)
        (self.root / ".probe").unlink()

    def free(self) -> None:
        self.filler.unlink()

    def _remount(self, mode: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{mode}", str(self.root)], check=True, capture_output=True)

    def read_only(self) -> None:
        self._remount("ro")
        assert not os.access(self.root, os.W_OK)

    def writable(self) -> None:
        self._remount("rw")


@contextlib.contextmanager
def small_disk(root: Path, size: str):
    root.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(root)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield Disk(root)
    finally:
        subprocess.run(["umount", "-l", str(root)], capture_output=True)


@pytest.fixture
def disk(tmp_path):
    with small_disk(tmp_path / "disk", "1m") as mounted:
        yield mounted


@pytest.fixture
def roomier_disk(tmp_path):
    """Room for a log of a few megabytes (an afternoon's notes) before it fills up."""
    with small_disk(tmp_path / "disk", "8m") as mounted:
        yield mounted


@pytest.fixture
def messages(monkeypatch):
    import annotator.ui.app as app
    import annotator.ui.files as files
    import annotator.ui.mainwindow as mainwindow

    return record_messages(monkeypatch, app, files, mainwindow)


def big_jsonl(path: Path, documents: int = 6, size: int = 60_000) -> Path:
    with open(path, "wb") as out:
        for i in range(documents):
            text = f"Statement {i}. " + ("The allies condemn the launches. " * (size // 33))
            out.write(orjson.dumps({"text": text, "spans": [{"start": 0, "end": 9, "label": "threat"}]}) + b"\n")
    return path


def stored(path: Path) -> dict:
    with Project.open(path, readonly=True, trusted=True) as p:
        return p.stats()


# -- a full disk ----------------------------------------------------------------------------------------------------


def test_import_on_a_full_disk_is_refused_whole_and_works_once_freed(disk, tmp_path):
    project = make_project(disk.root / "p.sqlite")
    incoming = big_jsonl(tmp_path / "big.jsonl")
    with Project.open(project) as p:
        before = dump(project)
        disk.fill()
        with pytest.raises(ProjectFileError, match=f"^cannot import {project}: the disk is full$"):
            import_paths(p, [incoming])
        assert not p.conn.in_transaction
        assert dump(project) == before
        disk.free()
        report = import_paths(p, [incoming])
        assert len(report.imported) == 6
    assert stored(project)["documents"] == 12
    with Project.open(project) as p:
        assert p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_cli_import_on_a_full_disk_says_so_in_one_line(disk, tmp_path, capsys):
    project = make_project(disk.root / "p.sqlite")
    incoming = big_jsonl(tmp_path / "big.jsonl")
    before = dump(project)
    disk.fill()
    assert cli.main(["import", str(project), str(incoming)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"annotator: cannot import {project}: the disk is full"]
    disk.free()
    assert dump(project) == before
    assert cli.main(["import", str(project), str(incoming)]) == 0


def test_labelling_in_the_window_on_a_full_disk(disk, qtbot, tmp_path, messages):
    from annotator.ui.mainwindow import MainWindow

    project = make_project(disk.root / "p.sqlite", docs=3)
    window = show_window(qtbot, MainWindow(Project.open(project, user="t"),
                                           QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    disk.fill()
    # the write-ahead log still has room for a few changes; each one is saved or refused whole
    text = window.session.document.text
    refused = 0
    for i in range(200):
        start = (i * 7) % (len(text) - 10)
        window.view.select_cp(start, start + 5)
        qtbot.keyClick(window.view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
        shown = {(s.id, s.start, s.end, s.label) for s in window.view.spans_in_order()}
        saved = {(s.id, s.start, s.end, s.label) for s in window.session.project.spans(window.session.document.id)}
        assert shown == saved, "the window shows what is saved"
        if messages:
            refused += 1
            assert messages[-1][0] == "Not saved" and "the disk is full" in messages[-1][1], messages[-1]
            break
    assert refused, "the disk never filled up"
    messages.clear()
    disk.free()
    window.view.select_cp(0, 4)
    qtbot.keyClick(window.view, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert not messages
    assert any(s.label == "commitment" and (s.start, s.end) == (0, 4) for s in window.view.spans_in_order())
    window.close()


def whole_alone(path: Path) -> bool:
    """Whether the project file read without its ``-wal`` is a whole database."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?immutable=1", uri=True)) as alone:
            return alone.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:
        return False


def test_a_checkpoint_the_full_disk_stops_halfway_is_not_taken_for_an_overwrite(roomier_disk, qtbot, monkeypatch,
                                                                                 messages):
    """Trial 17, F1: the window's checkpoint thread copied part of the log into the project file and then found the
    disk full. The file alone was then no whole project; the next key press read it alone, took it for another
    program's copy, refused every change from then on, and the window's close moved the log (all the work since the
    open) into the backup folder, leaving a malformed project."""
    from annotator.store import checkpoints
    from annotator.ui.app import create_window

    monkeypatch.setattr(checkpoints, "LOOK_EVERY_S", 0.05)
    project = make_project(roomier_disk.root / "p.sqlite", docs=3)
    window = show_window(qtbot, create_window(project, ask_name=False))
    settled(qtbot, window)
    opened = window.session.project
    assert opened.checkpoints is not None and opened.checkpoints.working
    doc = window.session.document.id
    # an afternoon's work in the log (notes make it grow past the file's end), then the disk fills up before the
    # thread's next checkpoint (held back meanwhile by its lock, so the disk is full when it starts)
    with opened.checkpoints._lock:
        for i in range(40):
            opened.add_span(doc, i * 3, i * 3 + 2, "threat", note="n" * 8000)
        before = os.stat(project)
        roomier_disk.fill()
    qtbot.waitUntil(lambda: os.stat(project).st_mtime_ns != before.st_mtime_ns, timeout=10_000)
    assert not whole_alone(project), "the file alone is torn (the log holds the rest)"
    text = window.session.document.text
    for i in range(200):  # the log's last page may have room for a change or two; then they are refused
        start = 200 + (i * 7) % (len(text) - 210)
        window.view.select_cp(start, start + 5)
        qtbot.keyClick(window.view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
        assert opened.overwritten() is None
        if messages:
            break
    assert messages, "the disk is full: a change is refused"
    assert messages[-1][0] == "Not saved" and "the disk is full" in messages[-1][1], messages[-1]
    assert "overwritten" not in messages[-1][1]
    messages.clear()
    saved = {(s.start, s.end, s.label) for s in opened.spans(doc)}
    roomier_disk.free()
    window.view.select_cp(len(text) - 12, len(text) - 8)
    qtbot.keyClick(window.view, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert not messages
    saved.add((len(text) - 12, len(text) - 8, "commitment"))
    window.close()
    with Project.open(project, readonly=True, trusted=True) as p:
        assert p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert {(s.start, s.end, s.label) for s in p.spans(doc)} == saved, "every change is in the project"
        noted = p.conn.execute("SELECT count(*) FROM spans WHERE note = ?", ("n" * 8000,)).fetchone()[0]
    assert noted == 40
    kept = backups.folder_for(project)
    assert not list(kept.glob("*overwritten*")), "no log moved away"


def test_an_input_output_error_on_a_full_disk_is_called_a_full_disk(disk, tmp_path):
    """Trial 17, F2: at 0 bytes free SQLite says "disk I/O error" when it cannot grow the ``-shm`` (or a write into
    the file); the analyst was told of an input/output error, as if the disk were failing."""
    from annotator.store.connection import user_problem

    said = sqlite3.OperationalError("disk I/O error")
    project = disk.root / "p.sqlite"
    assert user_problem(said, project) == "the disk reported an input/output error"
    disk.fill()
    assert user_problem(said, project) == "the disk is full"
    assert user_problem(said, tmp_path / "elsewhere.sqlite") == "the disk reported an input/output error"
    assert user_problem(sqlite3.OperationalError("database or disk is full"), project) == "the disk is full"


def test_a_failed_backup_stays_shown_until_one_is_made(disk, tmp_path, monkeypatch, qtbot):
    """Trial 17, F5: a backup that failed said so for 15 seconds in the status bar, and File ▸ Restore from Backup
    then said "Annotator makes one each time it opens a project", as if all were well."""
    from annotator.ui import restore
    from annotator.ui.app import create_window

    told = record_messages(monkeypatch, restore)
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(disk.root / "data"))
    project = make_project(tmp_path / "p.sqlite", docs=5)
    disk.fill()
    window = show_window(qtbot, create_window(project, ask_name=False))
    settled(qtbot, window)
    label = window.backups.failed_label
    assert label.isVisible() and label.text() == "No backup" and "the disk is full" in label.toolTip()
    restore.install(window).trigger()
    assert told == [("Restore from Backup", "There are no backups of p.sqlite yet. Annotator tried to make one and "
                     f"could not: {window.backups.last_error}")]
    assert "the disk is full" in told[0][1]
    disk.free()
    window.session.project.add_span(window.session.document.id, 0, 3, "threat")
    assert window.backups.backup("periodic", wait=True) is not None
    assert not label.isVisible()
    window.close()


def test_export_to_a_full_disk_keeps_the_old_file(disk, tmp_path, capsys):
    project = make_project(tmp_path / "p.sqlite", docs=40)
    target = disk.root / "out.jsonl"
    target.write_bytes(b"the old export\n")
    disk.fill()
    with Project.open(project) as p, pytest.raises(AnnotatorError, match="No space left on device"):
        export_project(p, "jsonl", target)
    assert target.read_bytes() == b"the old export\n"
    assert sorted(f.name for f in disk.root.iterdir()) == [".filler", "out.jsonl"], "no temporary file left"
    assert cli.main(["export", str(project), "-o", str(target)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"annotator: cannot write {target}: No space left on device")
    disk.free()
    assert cli.main(["export", str(project), "-o", str(target)]) == 0
    assert target.read_bytes().count(b"\n") == 40


def test_backups_to_a_full_disk(disk, tmp_path, monkeypatch, qtbot, messages):
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(disk.root / "data"))
    project = make_project(tmp_path / "p.sqlite", docs=20)
    first = backups.backup_file(project)
    disk.fill()
    with pytest.raises(backups.BackupError, match=r"^cannot back up p.sqlite to .*: the disk is full$"):
        backups.backup_file(project)
    assert [i.path for i in backups.list_backups(project)] == [first]
    left = sorted(f.name for f in first.parent.iterdir())
    assert left == sorted([first.name, backups.MANIFEST]), "no temporary file left"
    # a restore needs a backup of the project as it is: refused, the project untouched
    before = project.read_bytes()
    with pytest.raises(AnnotatorError, match="the disk is full"):
        restoring.restore(project, first)
    assert project.read_bytes() == before
    # the window: a backup on open fails, says so in the status bar, and labelling goes on
    # (after a change: a backup on open of a project unchanged since its last backup is skipped, needing no disk)
    with Project.open(project, user="tester") as p:
        p.add_span(p.documents()[0].id, 0, 2, "threat")
    from annotator.ui.app import create_window

    window = create_window(project, ask_name=False)
    qtbot.addWidget(window)
    settled(qtbot, window)
    assert window.backups.last_error and "the disk is full" in window.backups.last_error
    assert "Backup failed" in window.statusBar().currentMessage()
    window.session.project.add_span(window.session.document.id, 0, 3, "threat")
    disk.free()
    assert window.backups.backup("periodic", wait=True) is not None
    assert len(backups.list_backups(project)) == 2
    window.close()


# -- a read-only disk -----------------------------------------------------------------------------------------------


def test_project_on_a_read_only_disk(disk, tmp_path, qtbot, capsys, messages):
    project = make_project(disk.root / "p.sqlite")
    before = project.read_bytes()
    disk.read_only()
    try:
        with pytest.raises(ProjectFileError, match=f"^cannot open {project} for editing: the file or its folder "
                                                   "is read-only$"):
            Project.open(project)
        assert cli.main(["import", str(project), str(big_jsonl(tmp_path / "x.jsonl", 1, 100))]) == 1
        assert capsys.readouterr().err.splitlines() == [
            f"annotator: cannot open {project} for editing: the file or its folder is read-only"
        ]
        assert cli.main(["stats", str(project)]) == 0, "reading it works"
        capsys.readouterr()
        # the window opens it read-only and says why
        from annotator.ui.app import create_window

        window = create_window(project, ask_name=False)
        qtbot.addWidget(window)
        assert window.session.project.readonly
        assert "read-only disk" in window.session.project.readonly_reason
        assert window.readonly_label.text() == "Read-only: on a read-only disk"
        window.session.project.close()
        window.close()
        assert project.read_bytes() == before and sorted(p.name for p in disk.root.iterdir()) == ["p.sqlite"]
    finally:
        disk.writable()
    with Project.open(project) as p:  # fixed: it opens for editing again
        p.add_span(p.documents()[0].id, 0, 2, "threat")


def test_export_backup_and_restore_into_a_read_only_folder(disk, tmp_path, monkeypatch, capsys):
    project = make_project(tmp_path / "p.sqlite")
    (disk.root / "data").mkdir()
    target = disk.root / "out.jsonl"
    target.write_bytes(b"old\n")
    restored = disk.root / "restored.sqlite"
    shutil.copyfile(project, restored)
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(disk.root / "data"))
    good = tmp_path / "good-backup.sqlite"
    shutil.copyfile(project, good)
    disk.read_only()
    try:
        assert cli.main(["export", str(project), "-o", str(target)]) == 1
        assert capsys.readouterr().err.splitlines() == [f"annotator: cannot write {target}: Read-only file system"]
        with pytest.raises(backups.BackupError, match="Read-only file system"):
            backups.backup_file(project)
        with pytest.raises(AnnotatorError, match="read-only|Read-only"):
            restoring.restore(restored, good)
        assert target.read_bytes() == b"old\n" and restored.read_bytes() == project.read_bytes()
    finally:
        disk.writable()
    assert cli.main(["export", str(project), "-o", str(target)]) == 0
    assert backups.backup_file(project).exists()


# -- injected errors ------------------------------------------------------------------------------------------------


def test_injected_enospc_when_syncing_an_export_or_a_backup(tmp_path, monkeypatch):
    import annotator.formats.common as common

    project = make_project(tmp_path / "p.sqlite")
    target = tmp_path / "out.jsonl"
    target.write_bytes(b"old\n")

    def no_space(*_args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as m:
        m.setattr(common.os, "fsync", no_space)
        with Project.open(project) as p, pytest.raises(AnnotatorError, match="No space left on device"):
            export_project(p, "jsonl", target)
        m.setattr(backups, "_fsync_file", no_space)
        with pytest.raises(backups.BackupError, match="No space left on device"):
            backups.backup_file(project)
    assert target.read_bytes() == b"old\n"
    assert sorted(f.name for f in tmp_path.iterdir()) == ["out.jsonl", "p.sqlite"]
    assert backups.list_backups(project) == []
    assert list(backups.folder_for(project).iterdir()) == []


def test_injected_read_only_error_in_the_window(qtbot, tmp_path, messages):
    import sqlite3

    from annotator.ui.mainwindow import MainWindow

    project = make_project(tmp_path / "p.sqlite", docs=2)
    window = show_window(qtbot, MainWindow(Project.open(project, user="t"),
                                           QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    store = window.session.project
    before = dump(project)
    spans_before = window.view.spans_in_order()
    store.conn = FaultyConnection(store.conn, when=lambda sql: sql.startswith("INSERT"),
                                  error=lambda: sqlite3.OperationalError("attempt to write a readonly database"))
    window.view.select_cp(0, 4)
    qtbot.keyClick(window.view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert messages == [("Not saved", f"cannot add the span in {project}: the project file or its folder is read-only")]
    assert dump(project) == before and window.view.spans_in_order() == spans_before
    assert window.session.undo_stack.count() == 0, "the undo stack never claims a change that did not happen"
    store.conn = store.conn.real
    qtbot.keyClick(window.view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert len(window.view.spans_in_order()) == len(spans_before) + 1
    window.close()
