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
import collections
import contextlib
import os
import sqlite3
import threading
import time
import urllib.parse
import weakref
from collections.abc import Callable
from pathlib import Path

from annotator import gcpause
from annotator.errors import ProjectFileError
from annotator.store import beside, overwrite

#: seconds between looks at the ``-wal``
LOOK_EVERY_S = 1.0
#: the thread sleeps this long at a time between looks: the longest :meth:`Checkpointer.stop` waits for it
SLICE_S = 0.05
#: a log that keeps changing (a long run of writes) is checkpointed at least this often
LONGEST_S = 30.0


#: SQLite's own automatic checkpoint (pages; the PRAGMA below), given back to a window whose checkpoint thread
#: stopped working
SQLITE_DEFAULT_PAGES = 1000


def writes_only(conn: sqlite3.Connection, background: bool = True) -> None:
    """The writing connection never checkpoints in its commits (set again on every new connection), or, with
    ``background`` False, does again as SQLite does by default."""
    conn.execute("PRAGMA wal_autocheckpoint = 0" if background else "PRAGMA wal_autocheckpoint = 1000")


def _connect(path: Path, files: beside.Ids) -> sqlite3.Connection | None:
    """A connection with the project's log open now (SQLite opens it at the first read) onto the very files the
    window has open (``files``; :func:`beside.connect`), or None."""
    if None in files or beside.ids(path) != files:  # no log yet, or not the window's
        return None
    uri = f"file:{urllib.parse.quote(os.fspath(path))}?mode=rw"
    try:
        return beside.connect(path, uri, isolation_level=None, timeout=0.2, check_same_thread=False)
    except (sqlite3.Error, ProjectFileError):
        return None


class Checkpointer:
    """The background thread that checkpoints one project's log; :meth:`stop` before the project closes.

    Its connection is opened on the window's thread, just after the window's, onto the very files the window has
    open (:func:`_connect`), and kept: a ``-wal`` put in the log's place later (deleted, replaced by a foreign one:
    DESIGN.md §2.2) is never read by it; it goes on with the window's files until the window's next write notices
    and recovers (``recovery.py``); :meth:`reopen` then moves it, at once and on the window's thread, to the new
    files. :attr:`working` is False when it has no connection or its thread has ended: the window then gives the
    checkpoints back to SQLite (``EditedProject.check_files``).
    """

    def __init__(self, path: Path, ids: beside.Ids,
                 main_ok: Callable[[overwrite.State | None], bool] | None = None) -> None:
        self.path = Path(path)
        #: whether the project file (its size and time now) is as the window's watch last found it to be this
        #: project's: a file another program copied over it in place is never written into (``overwrite.py``)
        self.main_ok = main_ok
        self._main_after: overwrite.State | None = None  # the file as this thread's last checkpoint left it
        self._torn: overwrite.State | None = None  # ... when that checkpoint failed partway (see left_torn)
        self._failed: tuple[tuple[int, int] | None, float] | None = None  # the log and time a checkpoint failed
        self.look_every, self.longest = LOOK_EVERY_S, LONGEST_S
        #: the latest checkpoints, each SQLite's (busy, log frames, frames checkpointed): for tests and figures
        self.done: collections.deque[tuple[int, int, int]] = collections.deque(maxlen=1000)
        self._lock = threading.Lock()  # the connection: the thread's checkpoint, the window's reopen and stop
        self._conn = _connect(self.path, ids)
        self._stopping = False
        self._ended_paused = False  # the thread's end holds a collector pause that stop() lets go of
        self._thread = threading.Thread(target=self._run, name="checkpoints", daemon=True)
        if self._conn is not None:
            gcpause.pause()  # for the thread's start: let go of by the thread itself (see _run)
            try:
                self._thread.start()
            except BaseException:
                gcpause.resume()
                raise
            _RUNNING.add(self)

    @property
    def working(self) -> bool:
        return self._conn is not None and self._thread.is_alive() and not self._stopping

    def reopen(self, ids: beside.Ids) -> bool:
        """The window recovered its project into new files (``ids``): checkpoint those from now on. False if
        they could not be opened as the window's (then :attr:`working` is False)."""
        with self._lock:
            self._close()
            self._conn = _connect(self.path, ids)
        return self._conn is not None

    def left_torn(self, state: overwrite.State | None) -> bool:
        """Whether the project file (its size and time now: ``state``) is as this thread's last checkpoint left it
        when it failed partway (the disk full, an I/O error, interrupted): some of the log's pages copied, not all.
        The file alone is then no whole project, yet it is this project's: the ``-wal`` still holds every page,
        SQLite reads the two together, and the next checkpoint (or the next open) finishes the copy. The window's
        watch asks before it takes a file it cannot read alone for another program's (``recovery.FileWatch``);
        waits for a checkpoint under way."""
        with self._lock:
            return state is not None and state == self._torn

    def _log_state(self) -> tuple[int, int] | None:
        try:
            st = os.stat(f"{self.path}-wal")
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _checkpoint(self) -> bool:
        """A checkpoint, unless the project file changed since the window last found it to be this project's (or
        this thread last wrote it): then the window's next look (its next write, or two seconds) decides first."""
        with self._lock:
            if self._conn is None or self._stopping:  # stop()'s interrupt may have come before this statement began
                return False
            now = overwrite.main_state(self.path)
            if self.main_ok is not None and now != self._main_after and not self.main_ok(now):
                return False
            try:
                row = self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            except sqlite3.Error:  # interrupted by stop(), the disk full, an I/O error
                self._failed = (self._log_state(), time.monotonic())
                after = overwrite.main_state(self.path)
                if after != now:  # it copied part of the log before it failed: the file alone is torn, and ours
                    self._main_after = self._torn = after
                return False
            self._main_after = overwrite.main_state(self.path)
            self._torn = self._failed = None
        self.done.append((int(row[0]), int(row[1]), int(row[2])))
        return True

    def _run(self) -> None:
        """Look at the log every :attr:`look_every`, asleep in :data:`SLICE_S` steps between looks.

        A cycle-collector pass runs in the thread whose allocation crosses the threshold (CPython 3.11), and a pass
        in any thread but the window's may free a closed window's Qt objects there and freeze the app
        (``gcpause.pause``). This thread lives as long as the project, so the collector cannot be off all that
        time: it is off while the thread does anything that allocates -- its start (paused by ``__init__``), each
        look, its end (let go of by :meth:`stop` once the thread has ended) -- and what runs with it on allocates
        nothing the collector counts: ``time.sleep``, a clock, attribute reads (``Event.wait`` did: measured,
        a pass in this thread about every wait at a threshold of one)."""
        try:
            gcpause.resume()  # the start's pause: from here on, every allocation sits inside pause() ... resume()
            self._loop()
        finally:
            if self._stopping:  # its end: what the thread's exit allocates happens with the collector off
                gcpause.pause()
                self._ended_paused = True
            # (ended by an error instead, the collector stays on: held off until stop(), which only the window's next
            # write would call, it would be off for a whole read-only session)
            with self._lock:
                self._close()

    def _loop(self) -> None:
        step = min(SLICE_S, self.look_every)
        gcpause.pause()
        try:
            self._checkpointed = self._seen = self._log_state()  # as after the last checkpoint (the open's)
            self._changed_at: float | None = None
            next_look = time.monotonic() + self.look_every
        finally:
            gcpause.resume()
        while not self._stopping:
            time.sleep(step)
            if self._stopping or time.monotonic() < next_look:
                continue
            gcpause.pause()
            try:
                self._look()
                next_look = time.monotonic() + self.look_every
            finally:
                gcpause.resume()

    def _look(self) -> None:
        """Checkpoint if the log changed since the last checkpoint and has been still since the last look, or has
        kept changing for :attr:`longest` seconds."""
        now = self._log_state()
        if now is None or now == self._checkpointed:
            self._seen, self._changed_at = now, None
            return
        if self._failed is not None and self._failed[0] == now and time.monotonic() - self._failed[1] < self.longest:
            return  # the last try failed (a full disk): again once a write got through, or after a while
        self._changed_at = self._changed_at or time.monotonic()
        still, self._seen = now == self._seen, now
        if (still or time.monotonic() - self._changed_at >= self.longest) and self._checkpoint():
            self._checkpointed, self._changed_at = self._log_state(), None

    def _close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()  # never the last connection on the window's files: nothing checkpointed or removed

    def stop(self) -> None:
        """End the thread and close its connection, so the window's own close is the last and removes the log. A
        checkpoint under way is interrupted (SQLite's copy loop looks for it; what it copied stays copied)."""
        self._stopping = True
        conn = self._conn
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.interrupt()
        if self._thread.is_alive():
            self._thread.join()  # at most one SLICE_S asleep, or the checkpoint's interrupted step
        if self._ended_paused:  # once, and only after the thread has ended: its exit allocated with it off
            self._ended_paused = False
            gcpause.resume()
        with self._lock:
            self._close()
        _RUNNING.discard(self)


_RUNNING: weakref.WeakSet[Checkpointer] = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    """A process that ends with a project still open (a script; a window never closed) ends its checkpoint thread
    first (a checkpoint under way interrupted) rather than freeze that thread inside SQLite at the exit."""
    for each in list(_RUNNING):
        each.stop()
