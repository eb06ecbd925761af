"""Restoring a project from one of its backups (File ▸ Restore from Backup…, ``annotator restore``), atomically.

The backup is read and checked, copied into a temporary file beside the project, and renamed
over it; the project as it was is backed up first ("before-restore"). The old file's ``-wal`` is folded into it and
removed before the rename (by leaving WAL mode), which needs the project closed everywhere: when another window or
process still has it open, the restore is refused with a message saying so, because a stale ``-wal`` beside the
restored file would be replayed into it.

In two parts, so that a window can do the long one in a thread while the project stays open in it (at 100 000
statements the two copies of an 893 MB file and their checks take about 15 s, issue #14: the window never freezes):

- :func:`prepare` does everything that takes time and leaves the project as it is: the backup read and checked,
  copied beside the project, and the project as it is now backed up, with its fingerprint noted. It reports its
  steps and stops (``errors.Cancelled``, nothing left behind) once ``cancelled()``.
- :meth:`Prepared.finish`, with the project closed in this process, takes the project over (no other connection
  can write to it from then on) and renames the copy over it. The before-restore backup is made again there, under
  that lock, only if the project changed since :func:`prepare` (its fingerprint differs), and replaces the one
  :func:`prepare` made: one "before a restore" backup per restore, holding the project exactly as it was replaced,
  so no acknowledged work is ever replaced without a copy of it kept, and the list never shows two to choose from.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sqlite3
import stat
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotator import leftovers, paths
from annotator.errors import ProjectFileError
from annotator.store import backups, connection, readonly
from annotator.store.backup_policy import fingerprint
from annotator.store.backups import (
    _TEMP_PREFIX,
    BackupError,
    _fsync_dir,
    _fsync_file,
    _remove,
    _stamp,
    _translated,
    backup_connection,
    copy_into,
    folder_for,
    own_connection,
)

#: what :func:`prepare` tells of its progress: (what it is doing, done, of how many; 0 of 0: cannot tell)
Progress = Callable[[str, int, int], None]
STEPS = 4
#: how long a restore waits for other connections to let go of the project, asking again every so often
RESTORE_WAIT_SECONDS = 2.0
RETRY_S = 0.05


@dataclass(frozen=True, slots=True)
class Restored:
    project: Path
    backup: Path
    #: the project as it was just before, itself kept as a backup (None when there was no file, or it was
    #: unreadable and was kept as raw bytes instead: see ``damaged_copy``)
    previous: Path | None
    damaged_copy: Path | None = None
    #: the replaced file, kept by a second name so that closing it does not free its blocks there and then (0.6 s
    #: for 0.9 GB on a file system that discards them); :meth:`let_go` removes it, in a thread if need be
    aside: Path | None = None

    def let_go(self) -> None:
        """Remove the replaced file (its space is freed now)."""
        if self.aside is not None:
            _remove(self.aside)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A backup copied and checked beside the project, and the project as it was then, backed up."""

    project: Path
    backup: Path
    tmp: Path  # the copy, beside the project: renamed over it by :meth:`finish`, removed by :meth:`discard`
    previous: Path | None  # the before-restore backup made, or None (no project, or an unreadable one)
    mark: str | None  # the fingerprint of the project ``previous`` holds
    keep: int | None

    def finish(self) -> Restored:
        """Replace the project with the copy (the project must be closed in this process)."""
        return _replace(self)

    def discard(self) -> None:
        """Remove the copy if it is still there (after :meth:`finish`, or instead of it)."""
        _remove(self.tmp, Path(f"{self.tmp}-journal"))


def restore(project_path: str | Path, backup_path: str | Path, keep: int | None = None,
            progress: Progress | None = None) -> Restored:
    """Replace the project file with a backup, atomically (see the module docstring); ``progress``: as
    :func:`prepare` tells it.

    Raises :class:`~annotator.errors.ProjectFileError` / :class:`BackupError` with a clear message, leaving the
    project as it was, when the backup is not a readable project, when the project is open elsewhere, or when
    the disk refuses.
    """
    from annotator.store.editlock import window_holding  # (editlock imports the project, which imports much)

    holding = window_holding(project_path)
    if holding is not None:  # refused before anything is written, a before-restore backup included
        raise ProjectFileError(f"cannot restore {Path(project_path).name}: it is open for editing in {holding[1]}; "
                               "close it there (or use File ▸ Restore from Backup… in that window), then restore")
    prepared = prepare(project_path, backup_path, keep, progress)
    try:
        done = prepared.finish()
    except BaseException:
        # the project is as it was: the copy of it made for this restore is one of it unchanged, not a restore
        # point (each refused attempt listed another "before a restore" backup, a newcomer's finding)
        if prepared.previous is not None:
            backups.discard(prepared.previous)
        raise
    finally:
        prepared.discard()
    done.let_go()
    return done


def prepare(project_path: str | Path, backup_path: str | Path, keep: int | None = None,
            progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> Prepared:
    """The long part of a restore, which leaves the project as it is (see the module docstring)."""
    project = Path(project_path)
    backup = Path(backup_path)
    if not backup.is_file():
        raise BackupError(f"no such backup: {backup}")
    if project.is_dir():
        raise ProjectFileError(f"{project} is a folder, not a project file")
    if project.exists() and os.path.samefile(project, backup):
        raise BackupError(f"{backup} is the project itself, not a backup of it")

    def tell(n: int, what: str) -> Callable[[int, int], None]:
        said = f"{what} (step {n} of {STEPS})…"
        if progress is not None:
            progress(said, 0, 0)
        return lambda done, total: progress(said, done, total) if progress is not None else None

    # 1. the backup must be a project this version can open, checked whole; it is never changed: read in place
    # (immutable), or through a private copy when it has a -wal to apply or an older schema to migrate
    tell(1, f"Checking the backup {backup.name}")
    with connection.translated("read the backup", backup):
        source, workdir, _immutable = readonly.open_readonly(backup, cancelled=cancelled)
    tmp: Path | None = None
    try:
        # 2. the new file, complete and synced, beside the project (so the rename is atomic)
        step = tell(2, f"Copying the backup beside {project.name}")
        with _translated(f"cannot restore {project.name}"):
            project.parent.mkdir(parents=True, exist_ok=True)
            leftovers.clean_beside(project, leftovers.RESTORE_SUFFIXES)  # of restores killed before they ended
            fd, tmp_name = tempfile.mkstemp(prefix=leftovers.temp_prefix(project), suffix=".restoring",
                                            dir=project.parent)
            os.close(fd)
            tmp = Path(tmp_name)
            copy_into(source, tmp, step, cancelled)
            os.chmod(tmp, paths.new_file_mode(project))  # the restored project keeps the project's permissions
        # 3. and 4. keep the project as it is now
        previous, mark = _back_up_as_it_is(project, keep, tell, cancelled) if project.exists() else (None, None)
        return Prepared(project, backup, tmp, previous, mark, keep)
    except BaseException:
        if tmp is not None:
            _remove(tmp, Path(f"{tmp}-journal"))
        raise
    finally:
        source.close()
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)


def _back_up_as_it_is(project: Path, keep: int | None, tell, cancelled) -> tuple[Path | None, str | None]:  # type: ignore[no-untyped-def]
    """The before-restore backup and the fingerprint of what it holds; (None, None) for an unreadable project
    (:meth:`Prepared.finish` keeps its raw bytes instead)."""
    tell(3, f"Checking {project.name} as it is now")
    conn = own_connection(project)
    try:
        try:
            connection.validate(conn, project, cancelled=cancelled)
        except (ProjectFileError, sqlite3.DatabaseError, UnicodeDecodeError):
            return None, None
        step = tell(4, f"Backing up {project.name} as it is now")
        with _translated(f"cannot read {project.name}"):
            mark = fingerprint(conn)  # read before the copy: a change meanwhile makes finish() back up again
        # one more than usual kept until the next backup, so the one being restored is not rotated away
        previous = backup_connection(conn, project, "before-restore", None if keep is None else keep + 1, step,
                                     cancelled, mark)
        return previous, mark
    finally:
        conn.close()


def _replace(prepared: Prepared) -> Restored:
    project, tmp, backup, keep = prepared.project, prepared.tmp, prepared.backup, prepared.keep
    wal, shm = Path(f"{project}-wal"), Path(f"{project}-shm")
    if not project.exists():
        if wal.exists() and wal.stat().st_size:
            raise ProjectFileError(f"{project} is missing but its {wal.name} is there; move {wal.name} away first")
        _remove(wal, shm)
        with _translated(f"cannot restore {project.name}"):
            os.replace(tmp, project)
            _fsync_dir(project.parent)
        return Restored(project, backup, None)

    with contextlib.suppress(OSError):  # the restored file keeps the permissions the project had
        os.chmod(tmp, stat.S_IMODE(project.stat().st_mode))
    previous: Path | None = None
    damaged: Path | None = None
    aside: Path | None = None
    opened = sqlite3.connect(str(project), isolation_level=None, timeout=RESTORE_WAIT_SECONDS)
    conn: sqlite3.Connection | None = opened
    try:
        readable = _unchanged_since(prepared, opened) or _readable(opened, project)
        if readable:
            _take_over(opened, project)
            # from here on no other connection can write: what is kept is exactly what is replaced. (Backed up
            # before the take-over, as it was, a write that ended in between -- `annotator import` beside the
            # window -- was replaced without a copy.)
            if _unchanged_since(prepared, opened):
                previous = prepared.previous
            else:
                previous = backup_connection(opened, project, "before-restore", None if keep is None else keep + 1)
                if prepared.previous is not None and prepared.previous != previous:
                    # one "before a restore" backup per restore: the project as it was replaced, everything saved
                    # up to then; the earlier one, of the project as it was when the restore began, would be listed
                    # beside it with nothing to tell which to choose (trial 11, L1)
                    backups.discard(prepared.previous)
        else:
            opened.close()
            conn = None
            damaged = _keep_damaged(project)
            _remove(wal, shm)
        aside = _link_aside(project)
        with _translated(f"cannot restore {project.name}"):
            os.replace(tmp, project)
            _fsync_dir(project.parent)
    except BaseException:
        if aside is not None:
            _remove(aside)
        raise
    finally:
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            conn.close()
    return Restored(project, backup, previous, damaged, aside)


def _link_aside(project: Path) -> Path | None:
    """A second name for the project file about to be replaced (see :attr:`Restored.aside`); None where the file
    system has no hard links (then the old file's space is freed as its connection closes, as before)."""
    aside = project.with_name(f"{leftovers.temp_prefix(project)}{secrets.token_hex(4)}.replaced")
    try:
        os.link(project, aside)
    except OSError:
        return None
    return aside


def _readable(conn: sqlite3.Connection, project: Path) -> bool:
    try:
        connection.validate(conn, project)
    except (ProjectFileError, sqlite3.DatabaseError, UnicodeDecodeError):
        return False
    return True


def _unchanged_since(prepared: Prepared, conn: sqlite3.Connection) -> bool:
    """Whether the project still holds what the before-restore backup of :func:`prepare` holds."""
    if prepared.mark is None or prepared.previous is None or not prepared.previous.is_file():
        return False
    try:
        connection.check_identity(conn, prepared.project)
        return fingerprint(conn) == prepared.mark
    except (ProjectFileError, sqlite3.DatabaseError, UnicodeDecodeError):
        return False


def _take_over(conn: sqlite3.Connection, project: Path) -> None:
    """Leave WAL mode (which folds the ``-wal`` into the file and removes it, and is only possible when no other
    connection has the project open), then hold the file exclusively until it has been replaced (until ``conn``
    closes; ``conn`` can still read it, and back it up).

    SQLite refuses at once while another connection is open, without its busy wait: asked again every
    :data:`RETRY_S` for :data:`RESTORE_WAIT_SECONDS`, so a reader that is just ending (a window's background
    search or check, a command's read) is waited for, and a window or process that keeps the project open is
    named in the refusal."""
    busy = ProjectFileError(
        f"cannot restore {project.name}: it is open in another window or process; close it there, then restore"
    )
    deadline = time.monotonic() + RESTORE_WAIT_SECONDS
    try:
        while True:
            try:
                mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc).lower() and "busy" not in str(exc).lower():
                    raise
                mode = None
            if str(mode).lower() == "delete":
                break
            if time.monotonic() >= deadline:
                raise busy
            time.sleep(RETRY_S)
        # the exclusive lock kept past its (empty) transaction, until the connection closes: the project is then
        # read and backed up through this connection (SQLite's backup refuses a source in a write transaction)
        # while no other one can read or write it
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
        # its page cache is dropped: kept from WAL mode (which leaves the file's change counter as it is), it still
        # showed the project as this connection last read it, without what another process wrote and checkpointed
        # since -- a backup made now would have left that out
        conn.execute("PRAGMA shrink_memory")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise busy from exc
        problem = connection.user_problem(exc)
        if problem is None:
            raise
        raise ProjectFileError(f"cannot restore {project.name}: {problem}") from exc


def _keep_damaged(project: Path) -> Path:
    """An unreadable project cannot go through SQLite: keep its raw bytes (and its -wal) before replacing it."""
    folder = folder_for(project)
    base = f"{_stamp()}-damaged"
    with _translated(f"cannot keep a copy of {project.name} in {folder}"):
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{base}.bin"
        tmp = folder / f"{_TEMP_PREFIX}{base}.part"
        try:
            shutil.copyfile(project, tmp)
            _fsync_file(tmp)
            os.replace(tmp, target)
        except BaseException:
            _remove(tmp)
            raise
        wal = Path(f"{project}-wal")
        if wal.exists():
            shutil.copyfile(wal, folder / f"{base}.bin-wal")
        _fsync_dir(folder)
    return target
