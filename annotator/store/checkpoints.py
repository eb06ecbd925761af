"""A window's checkpoints, run by a thread of their own rather than by the window's commits.

In WAL mode SQLite copies the ``-wal`` back into the project file (a checkpoint) from inside a commit, once the log
holds 1 000 pages: the commit that crosses the mark copies them and syncs both files before it returns. In a window
that commit is a label key press; at 100 000 statements about one press in a hundred took 10-25 ms and some over
200 ms (measured; the disk's flush of the big file's dirty pages). SQLite's documentation suggests the way out:
turn the automatic checkpoint off on the writing connection and run checkpoints from another thread.

So the window's connection has ``wal_autocheckpoint = 0`` and :class:`Checkpointer` looks at the ``-wal`` once a
second. When it has changed since the last checkpoint and has then been still for a look (the analyst paused), or
:data:`LONGEST_S` have passed, it runs a ``PASSIVE`` checkpoint through a connection of its own:
``PASSIVE`` never waits for or blocks a writer, so a key press is never held up by it. A checkpoint that reached
the end of the log lets the window's next commit start the log afresh (that commit syncs only the log's header).

The connection is SQLite's (the same library, the same process): SQLite's own descriptor bookkeeping keeps the
process's POSIX locks when it closes (DESIGN.md §2.2 "Lock hygiene"; ``backups.backup_in_own_connection`` does the
same). It opens the file with ``mode=rw``, so a project deleted meanwhile is never made again as an empty file.
Killed mid-checkpoint, SQLite recovers as from any checkpoint: the log is applied again on the next open.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sqlite3
import threading
import time
import urllib.parse
import weakref
from pathlib import Path

#: seconds between looks at the ``-wal``
LOOK_EVERY_S = 1.0
#: a log that keeps changing (a long run of writes) is checkpointed at least this often
LONGEST_S = 30.0


def writes_only(conn: sqlite3.Connection) -> None:
    """The writing connection never checkpoints in its commits (set again on every new connection)."""
    conn.execute("PRAGMA wal_autocheckpoint = 0")


def _connect(path: Path) -> sqlite3.Connection:
    """A connection with the project's log open now, as the window's is (SQLite opens it at the first read)."""
    uri = f"file:{urllib.parse.quote(os.fspath(path))}?mode=rw"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=0.2, check_same_thread=False)
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


class Checkpointer:
    """The background thread that checkpoints one project's log; :meth:`stop` before the project closes.

    Its connection is opened once, with the log, just after the window's, and kept: a ``-wal`` put in the log's place
    later (deleted, replaced by a foreign one: DESIGN.md §2.2) is never read by it; it goes on with the files the
    window has open until the window's next write notices and recovers (``recovery.py``); :meth:`reopen` then
    follows the window to the new files.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.look_every, self.longest = LOOK_EVERY_S, LONGEST_S
        #: the checkpoints run so far, each SQLite's (busy, log frames, frames checkpointed): for tests and figures
        self.done: list[tuple[int, int, int]] = []
        try:
            self._conn: sqlite3.Connection | None = _connect(self.path)
        except sqlite3.Error:
            self._conn = None  # see :attr:`working`
        #: whether it could open the file: if not, the window keeps SQLite's own checkpoints in its commits
        self.working = self._conn is not None
        self._reopen = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="checkpoints", daemon=True)
        self._thread.start()
        _RUNNING.add(self)

    def reopen(self) -> None:
        """The window recovered its project into new files: checkpoint those from now on."""
        self._reopen = True

    def _log_state(self) -> tuple[int, int] | None:
        try:
            st = os.stat(f"{self.path}-wal")
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _checkpoint(self) -> None:
        if self._reopen:
            self._reopen = False
            self._close()
            with contextlib.suppress(sqlite3.Error):
                self._conn = _connect(self.path)
        if self._conn is None:
            return
        try:
            row = self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error:  # busy, or the file went away: the next look tries again
            return
        self.done.append((int(row[0]), int(row[1]), int(row[2])))

    def _run(self) -> None:
        try:
            checkpointed = self._log_state()  # as it was after the last checkpoint (the open's, for a start)
            seen, changed_at = checkpointed, None
            while not self._stop.wait(self.look_every):
                now = self._log_state()
                if now is None or now == checkpointed:
                    seen, changed_at = now, None
                    continue
                changed_at = changed_at or time.monotonic()
                still, seen = now == seen, now
                if still or time.monotonic() - changed_at >= self.longest:
                    self._checkpoint()
                    checkpointed, changed_at = self._log_state(), None
        finally:
            self._close()

    def _close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def stop(self) -> None:
        """End the thread and close its connection (a checkpoint under way finishes first: milliseconds, it never
        waits for a writer), so the window's own close is the last and removes the log."""
        self._stop.set()
        with contextlib.suppress(RuntimeError):
            self._thread.join()
        _RUNNING.discard(self)


_RUNNING: weakref.WeakSet[Checkpointer] = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    """A process that ends with a project still open (a script; a window never closed) lets a checkpoint under way
    finish rather than freeze its thread inside SQLite."""
    for each in list(_RUNNING):
        each.stop()
