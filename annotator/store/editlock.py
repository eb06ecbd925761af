"""One editing window per project (DESIGN.md §6): a second window on the same project opens it read-only.

SQLite already keeps two writers from corrupting the file (the command line waits for its turn, see
``connection.BUSY_TIMEOUT_MS``), but two *windows* editing one project would each show a stale picture of it and
undo each other's changes by id. So the GUI holds an advisory lock per project while it edits it: an ``flock``
on a small file in the user data directory (``locks/<hash of the absolute path>.lock``), never beside the project
and never on the project file itself (closing another descriptor of the database file would drop SQLite's own
POSIX locks). The kernel releases the lock when the process ends, however it ends (a killed window leaves no
stale lock behind).

Where locking is not available (no ``fcntl``, an unwritable data directory) the project opens for editing as
before: SQLite's locking still keeps the file whole.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from annotator import paths
from annotator.core.model import IncomingDocument
from annotator.errors import ProjectFileError
from annotator.store import checkpoints, connection, locks
from annotator.store.project import Project

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def lock_file(project_path: str | Path) -> Path:
    absolute = os.path.realpath(os.path.abspath(os.fspath(project_path)))
    digest = hashlib.sha256(absolute.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return paths.data_dir() / "locks" / f"{digest}.lock"


class EditorLock:
    """An exclusive, process-lifetime advisory lock on one project. Use :meth:`acquire`."""

    def __init__(self, fd: int | None, path: Path, project: Path | None = None) -> None:
        self._fd = fd
        self.path = path
        self.project = project  # the project's path it was taken for

    @classmethod
    def acquire(cls, project_path: str | Path) -> EditorLock | str:
        """The lock, or (when another window holds it) a description of who holds it."""
        path = lock_file(project_path)
        if fcntl is None:
            return cls(None, path, Path(project_path))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return cls(None, path, Path(project_path))  # cannot lock: edit anyway, SQLite keeps the file whole
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            return holder
        except OSError:
            os.close(fd)
            return cls(None, path, Path(project_path))
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n{os.fspath(project_path)}\n".encode(errors="replace"), 0)
        return cls(fd, path, Path(project_path))

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)  # closing the descriptor releases the flock

    def __del__(self) -> None:
        self.release()


def window_holding(project_path: str | Path) -> tuple[int | None, str] | None:
    """Whether a window edits the project now: (its process id if known, a description), or None."""
    if fcntl is None:
        return None
    path = lock_file(project_path)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None  # no lock file: no window has ever edited it from this user data folder
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            who = _read_holder(fd)
            pid_text = os.pread(fd, 64, 0).decode(errors="replace").split("\n", 1)[0].strip()
            return (int(pid_text) if pid_text.isdigit() else None), who
        except OSError:
            return None
        return None  # we got it: nobody holds it (released when the descriptor closes)
    finally:
        os.close(fd)


def check_command_may_write(project_path: str | Path) -> None:
    """A writing command (``import``, ``restore``) on a project a window edits goes ahead only while that window
    still holds SQLite's locks on it; then SQLite keeps the two apart, and the window sees the change.

    A window that lost its locks (DESIGN.md §7) would go on writing into a ``-wal`` this command would checkpoint
    and delete at its end: refused, with one clear line, and nothing changes.
    """
    path = Path(project_path)
    holding = window_holding(path)
    if holding is None or not path.exists():
        return
    pid, who = holding
    found = locks.holders(path)
    if found is None or pid is None:
        raise ProjectFileError(
            f"{path} is open for editing in {who}; do this from that window (File menu), or close it first"
        )
    if pid not in found:
        raise ProjectFileError(
            f"{path} is open for editing in {who}, which no longer holds the project's file locks; nothing was "
            "changed. Close that window (its work is saved) and run the command again"
        )


def _read_holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 64, 0).decode(errors="replace").split("\n", 1)[0].strip()
    except OSError:
        pid = ""
    return f"another Annotator window (process {pid})" if pid.isdigit() else "another Annotator window"


class EditedProject(Project):
    """A project opened by a window: holds the editing lock until it is closed, and (edited) has its log
    checkpointed by a thread of its own, never by the window's commits (``store/checkpoints.py``).

    ``readonly_reason`` says why it opened read-only (another window edits it, a read-only disk), or is None;
    ``readonly_short`` says it in a few words (the status bar's).
    """

    lock: EditorLock | None = None
    readonly_reason: str | None = None
    readonly_short: str | None = None
    checkpoints: checkpoints.Checkpointer | None = None

    def checkpoint_in_background(self) -> None:
        """Checkpoints by a thread of their own from now on, if the project is in WAL mode and the thread could
        open the window's own files; else SQLite's in the commits, as before."""
        if self._watch is None or not self._watch.locks:  # read-only, or a rollback journal: no log
            return
        done_elsewhere = checkpoints.Checkpointer(self.path, self._watch.ids, self._main_ok)
        if done_elsewhere.working:
            checkpoints.writes_only(self.conn)
            self.checkpoints = done_elsewhere
        else:
            done_elsewhere.stop()

    def _main_ok(self, state: tuple[int, int] | None) -> bool:
        """(The checkpoint thread's question; see ``recovery.FileWatch.main_unchanged``.)"""
        watch = self._watch
        return watch is not None and watch.main_unchanged(state)

    def check_files(self) -> str | None:
        if self._watch is not None and self.checkpoints is not None:  # (a recovery's watch is a new one)
            self._watch.ours = self.checkpoints.left_torn  # a checkpoint failed partway is not an overwrite
        try:
            recovered = super().check_files()
        except ProjectFileError:
            if self._watch is not None and self._watch.overwritten is not None and self.checkpoints is not None:
                self.checkpoints.stop()  # overwritten in place: nothing more is copied into the file
                self.checkpoints = None
            raise
        if recovered is not None and self.lock is not None and self.lock.project != self.path:
            self._lock_new_place()  # followed to a renamed folder (``store/moved.py``)
        if self.checkpoints is None:
            return recovered
        if recovered is not None and self.checkpoints.path != self.path:
            self.checkpoints.path = self.path  # the same files (its connection holds them), by their new names
        if recovered is not None and self._watch is not None:  # the recovery's new connection, on new files
            checkpoints.writes_only(self.conn)
            self.checkpoints.reopen(self._watch.ids)
        if not self.checkpoints.working:  # its files could not be opened, or its thread ended: SQLite's again
            self.checkpoints.stop()
            self.checkpoints = None
            checkpoints.writes_only(self.conn, background=False)
        return recovered

    def _lock_new_place(self) -> None:
        """The editing lock of the project's new name: a second window then opens it read-only there too."""
        lock = EditorLock.acquire(self.path)
        if isinstance(lock, EditorLock):
            if self.lock is not None:
                self.lock.release()
            self.lock = lock

    def close(self) -> None:
        try:
            if self.checkpoints is not None:
                self.checkpoints.stop()  # before the close's own last checkpoint, which removes the log
                self.checkpoints = None
            super().close()
        finally:
            if self.lock is not None:
                self.lock.release()
                self.lock = None


def _read_only(path: Path, user: str | None, short: str, reason: str) -> EditedProject:
    project = EditedProject.open(path, readonly=True, trusted=True, user=user)
    assert isinstance(project, EditedProject)
    project.readonly_short, project.readonly_reason = short, reason
    return project


def open_for_editing(
    path: str | Path,
    user: str | None = None,
    *,
    create: bool = False,
    populate: Iterable[IncomingDocument] | None = None,
) -> EditedProject:
    """Open a project in a window: for editing, or read-only (saying why) when another window edits it."""
    path = Path(path)
    lock = EditorLock.acquire(path)
    if isinstance(lock, str):
        return _read_only(path, user, "open in another window",
                          f"{path.name} is open for editing in {lock}; it is shown here read-only and nothing you do "
                          "here is saved. Close the other window and open it again to edit it.")
    try:
        project = EditedProject.open(path, create=create, user=user, populate=populate)
    except ProjectFileError:
        lock.release()
        if not (path.is_file() and not connection.writable(path)):
            raise
        # a read-only file or folder (a read-only disk, a CD, a share mounted read-only): show it read-only
        return _read_only(path, user, "on a read-only disk",
                          f"{path.name} is on a read-only disk or in a read-only folder; it is shown here read-only "
                          "and nothing you do here is saved. Copy it somewhere writable to edit it.")
    except BaseException:
        lock.release()
        raise
    assert isinstance(project, EditedProject)
    project.lock = lock
    try:
        project.checkpoint_in_background()
    except BaseException:
        project.close()  # the lock with it
        raise
    return project
