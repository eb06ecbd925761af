"""Noticing another program's hand on an open project's files, and recovering from it without losing work
(DESIGN.md §2.2 "Lock hygiene", §7)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from annotator import inuse
from annotator.errors import AnnotatorError, ProjectFileError
from annotator.store import backups, beside, locks, moved, overwrite
from annotator.store import stamp as stamps
from annotator.store.connection import open_writable


class FileWatch:
    """The identity of an open project's files, to notice when another program deletes or replaces them.

    A cleaning tool or a sync client that deletes ``-wal``/``-shm`` while the window is open leaves SQLite
    committing into the deleted files, lost at close; a file dialog that sniffed the project dropped our locks
    (DESIGN.md §7). :meth:`changed` says what happened, cheaply (three ``stat`` calls, and ``/proc/locks``).
    """

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        # a read first: a connection just switched to WAL mode (a file made in rollback mode, a recovery's new
        # copy) makes its -wal and -shm only then, and the watch (and ``beside``) must know those files
        conn.execute("PRAGMA schema_version").fetchone()
        self.ids = beside.ids(path)
        inuse.remember_files(path, self.ids)  # the files second connections in this process must be onto
        # a WAL-mode connection holds a shared lock on the file for as long as it is open; a rollback journal
        # (a file system without shared memory) holds none between transactions
        self.locks = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal"
        # every write looks at the locks: through fdinfo (steady, ~0.3 ms) where it agrees with /proc/locks
        self.own = locks.OwnLocks(path)
        if self.locks:
            self.own.calibrate()
        # the main file alone must stay this project's, its count never going down (``store/overwrite.py``)
        view = stamps.read(conn)
        self.project_id = view.project_id if view is not None else None
        self.main = overwrite.main_state(path)
        self.main_writes = 0
        with contextlib.suppress(overwrite.Unreadable):
            found = overwrite.main_stamp(path)
            if found is not None and found.project_id == self.project_id:
                self.main_writes = found.writes
        #: whether the main file, not a whole project read alone, is as the window's checkpoint thread left it when
        #: a checkpoint failed partway (``checkpoints.Checkpointer.left_torn``; set by ``EditedProject``)
        self.ours: Callable[[overwrite.State], bool] | None = None
        #: what the file holds now that another program overwrote it in place, told on every write: set once
        self.overwritten: str | None = None
        self.fds = moved.descriptors(self.ids[0])  # where the file went if its folder is renamed (``moved.py``)
        #: where the three files are now, found together after the folder was moved or renamed
        self.moved: Path | None = None

    def changed(self, conn: sqlite3.Connection | None = None) -> str | None:
        """What went wrong with the project's files since they were opened, or None: their identities (three
        ``stat`` calls), our locks on them (``/proc/self/fdinfo``, or ``/proc/locks`` where that cannot tell), and,
        when the main file's size or time changed, its own stamp (:attr:`overwritten` is set then: that one is
        not recovered from, see ``store/overwrite.py``). ``conn``: the window's, for the identity of a project
        that had none when it was opened."""
        if self.overwritten is not None:
            return self.overwritten
        try:
            st = os.stat(self.path)
            main: tuple[int, int] | None = (st.st_dev, st.st_ino)
        except OSError:
            st, main = None, None
        if st is not None and main == self.ids[0] and overwrite.state_of(st) != self.main:
            # first: a -wal deleted or locks dropped as well must not be recovered from a mix of two files
            problem = self._look_inside(conn)
            if problem is not None:
                return problem
        if main is None and self.ids[0] is not None:  # gone from here: moved with its folder, or deleted?
            self.moved = moved.new_place(self.path, self.ids, self.fds)
            if self.moved is not None:
                return moved.message(self.path, self.moved)
        now = (main, inuse.identity(f"{self.path}-wal"), inuse.identity(f"{self.path}-shm"))
        names = (self.path.name, f"{self.path.name}-wal", f"{self.path.name}-shm")
        for name, before, after in zip(names, self.ids, now, strict=True):
            if before is None or after == before:
                continue
            if after is None and name == self.path.name:  # renamed alone (trial 17, F4: it was called deleted)
                there = moved.where_now(before, self.fds)
                if there is not None and there != self.path:
                    return (f"{name} was renamed or moved to {there} by another program (that file may lack the "
                            "latest changes)")
            return f"{name} was {'deleted' if after is None else 'replaced'} by another program"
        if not self.locks:
            return None
        held = self.own.held()
        if held is None:
            held = locks.held_by(self.path, os.getpid())
        if held is False:
            return f"the locks on {self.path.name} were dropped"
        return None

    def _look_inside(self, conn: sqlite3.Connection | None) -> str | None:
        if self.project_id is None and conn is not None:
            view = stamps.read(conn)
            self.project_id = view.project_id if view is not None else None
        seen = overwrite.look(self.path, self.project_id, self.main_writes)
        if seen.problem is None:
            if seen.state is not None:  # (changing as it was read: good now, looked at again next time)
                self.main, self.main_writes = seen.state, seen.writes
            return None
        if seen.state is not None and self.ours is not None and self.ours(seen.state):
            self.main = seen.state  # torn by our own checkpoint failing partway, not overwritten: the count stays
            return None
        if seen.state is None:  # not ours, but still being written as we look: refused, and looked at again
            raise overwrite.BeingWritten(f"{self.path.name} is being changed by another program right now; nothing "
                                         "was saved. Try again in a moment")
        self.overwritten = overwrite.message(self.path, seen.problem, overwrite.newest_backup(self.path))
        inuse.refuse_beside(self.path, self.overwritten)  # no backup, search or check reads the mix
        return self.overwritten

    def main_unchanged(self, state: tuple[int, int] | None) -> bool:
        """Whether the main file is as this watch last found it to be this project's (``state``: its size and time
        now): the checkpoint thread copies the window's ``-wal`` into it only then."""
        return self.overwritten is None and state is not None and state == self.main


def recover(conn: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """Write what ``conn`` sees (every committed change, the ones in a deleted ``-wal`` included) back to
    ``path`` as a complete project, and return a fresh connection on it. The old connection is closed.

    Refused (the work is kept in a file beside the project and named) when another process has the project open:
    replacing the file under it could lose that process's work instead.
    """
    if not path.parent.is_dir():  # the folder is gone (moved where it cannot be found, or deleted)
        raise moved.lost(path)
    others = locks.others(path)
    tmp = path.with_name(f".{path.name}.recovered-{os.getpid()}")
    try:
        backups.copy_into(conn, tmp)  # the backup API, verified and synced, as every backup is made
    except AnnotatorError as exc:
        raise ProjectFileError(f"cannot recover {path}: {exc.message}") from None
    if others:
        kept = path.with_name(f"{path.stem}.recovered-{int(time.time())}{path.suffix}")
        os.replace(tmp, kept)
        raise ProjectFileError(
            f"the files of {path} were changed by another program while it was open here, and another process "
            f"has it open now; your work up to now is saved in {kept}. Close the other programs, then open that file"
        )
    inuse.unregister(path)
    conn.close()
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")
    os.replace(tmp, path)
    fresh = open_writable(path)
    inuse.register(path)
    return fresh
