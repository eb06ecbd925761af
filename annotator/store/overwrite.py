"""Noticing the project file overwritten in place while a window edits it (``cp other.sqlite project.sqlite``: the
same inode, other bytes), and leaving it as the other program wrote it (DESIGN.md §2.2 "Lock hygiene", §7).

A copy made over the file keeps its inode, so the watch's ``stat`` of identities sees nothing; the window's
connection goes on reading the other file's pages wherever its own ``-wal`` and cache do not hold the page, and
writes labels onto statements of the other project (trial 11, D1). Every project carries a stamp
(``store/stamp.py``: an identity and a count of write transactions); the main file's own stamp, read with
``immutable=1`` (the file alone, the ``-wal`` ignored, no locks taken nor dropped), must always be this project's
identity with a count that never goes down: only checkpoints write the file, and each moves it forward. It is read
only when the file's size or modification time changed since the last look (a checkpoint, ours or a command's,
changes them too), so a write that finds nothing changed pays one ``stat``.

Once the file is not this project's, nothing more is written to it: every write is refused, no checkpoint copies
the window's ``-wal`` into it (the checkpoint thread waits for the file's change to be looked at first, see
``checkpoints.Checkpointer``), second connections are refused (a backup would copy the mix), and the window's
close takes no checkpoint: its ``-wal`` goes into the project's backup folder. The connection's view is a mix of
the two files, so the work since the newest backup cannot be written out safely; the analyst is told so, and where
the newest backup is.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

from annotator import inuse
from annotator.errors import ProjectFileError
from annotator.store import stamp as stamps

#: (st_size, st_mtime_ns) of the main file
State = tuple[int, int]

#: a bad stamp is believed only when read this many times, the file unchanged across each read and between them
CONFIRM_READS = 2
#: seconds between two reads of a bad stamp (a checkpoint writing meanwhile changes the file's time)
CONFIRM_GAP_S = 0.05


def state_of(st: os.stat_result) -> State:
    return (st.st_size, st.st_mtime_ns)


def main_state(path: Path) -> State | None:
    try:
        return state_of(os.stat(path))
    except OSError:
        return None


class BeingWritten(ProjectFileError):
    """The main file kept changing while its stamp was read (a copy onto it under way): this write is refused, and
    the file looked at again at the next write or the window's next look."""


class Unreadable(Exception):
    """The main file alone is not a project we can read a stamp from (emptied, half-written, another format)."""


def main_stamp(path: Path) -> stamps.Stamp | None:
    """The stamp of the project file alone, without its ``-wal`` (``immutable``: no locks, no ``-shm``).

    Opened only onto the very file the window has open (``beside``; immutable opens no ``-wal`` nor ``-shm``):
    within this process SQLite shares a file's locks by inode, so closing this connection keeps the window's locks;
    a plain ``open()`` would drop them.
    Raises :class:`Unreadable` when the file is no project (or not yet, or no longer, a whole one)."""
    uri = f"file:{urllib.parse.quote(os.fspath(path.resolve()))}?mode=ro&immutable=1"
    want = inuse.files_of(path)
    if want is not None and inuse.identity(path) != want[0]:  # (immutable: the -wal and -shm are not opened)
        raise Unreadable("not the file the window has open")
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise Unreadable(str(exc)) from None
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        return stamps.read(conn)
    except sqlite3.Error as exc:
        raise Unreadable(str(exc)) from None
    finally:
        conn.close()


def verdict(found: stamps.Stamp | None, project_id: str | None, least: int) -> str | None:
    """What the main file's stamp ``found`` says against this project's identity and the count last seen in the
    file (``least``): None when it can be this project's file now, else what it holds instead."""
    if project_id is None:  # a project no version with the stamp wrote yet: its first write gives it one
        return None if found is None else "another project"
    if found is None:
        return "another project (one without Annotator's identity stamp)"
    if found.project_id != project_id:
        return "another project"
    if found.writes < least:
        return f"an older copy of this project ({least - found.writes} change(s) behind what it held)"
    return None


class Look:
    """The result of looking inside the main file: ``problem`` (what it holds instead, or None), ``writes`` (its
    count when it is this project's), ``state`` (the file's size and time the look is valid for; None: the file
    changed while it was read: a good look is not kept, a bad one is not believed -- look again)."""

    def __init__(self, problem: str | None, writes: int, state: State | None) -> None:
        self.problem, self.writes, self.state = problem, writes, state


def look(path: Path, project_id: str | None, least: int) -> Look:
    """Read the main file's stamp. A good one is good for that moment (a copy over the file truncates it first: a
    read that finds this project's pages read them before); a bad one is believed only when read
    :data:`CONFIRM_READS` times with the file unchanged across each read and between them (a checkpoint under way
    writes pages meanwhile)."""
    bad: tuple[str, State] | None = None
    for attempt in range(CONFIRM_READS + 2):
        if attempt:
            time.sleep(CONFIRM_GAP_S)
        before = main_state(path)
        try:
            found = main_stamp(path)
            problem = verdict(found, project_id, least)
        except Unreadable:
            found, problem = None, "a file that is not a whole Annotator project"
        after = main_state(path)
        stable = before is not None and before == after
        if problem is None:
            return Look(None, found.writes if found is not None else least, after if stable else None)
        if not stable:
            bad = None
            continue
        if bad is not None and bad == (problem, after):
            return Look(problem, least, after)
        bad = (problem, after)
    return Look("a file being written now", least, None)  # bad, but unsettled: refused now, looked at again


def message(path: Path, holds: str, newest: tuple[str, str] | None) -> str:
    """What the analyst is told, once and on every refused write after: what happened, which work is safe where,
    and what to do."""
    if newest is None:
        safe = ("This project has no backup, so nothing of it is kept elsewhere; this window still shows it "
                "(read what you need from it, nothing in it can be saved).")
        todo = f"Close this window; {path.name} stays as the other program wrote it."
    else:
        when, backup = newest
        safe = (f"Your work up to {when} is safe in the newest backup ({backup}). The changes made after it "
                "cannot be saved: this window now reads a mix of the two files, so nothing it writes out would be "
                "your project.")
        todo = (f"Close this window. If {path.name} was overwritten by mistake, put your project back with "
                f"File ▸ Restore from Backup… once you open it again (or: annotator restore \"{path}\" 1); the file "
                "the other program wrote is kept as a backup \"before a restore\". Then redo the changes made "
                f"after {when}.")
    return (f"{path.name} was overwritten by another program while it was open here: it now holds {holds}. "
            "From now on this window saves nothing to it (every change is refused, the one just made too), and the "
            f"file is left as the other program wrote it.\n\n{safe}\n\n{todo}")


def newest_backup(path: Path) -> tuple[str, str] | None:
    """(local time, file name) of the project's newest readable backup, or None."""
    from annotator.store import backups  # (imports this module's neighbours; not needed on the hot path)

    with contextlib.suppress(Exception):
        for info in backups.list_backups(path):
            if info.problem is None:
                return info.local_time(), info.name
    return None


def close_leaving_file(conn: sqlite3.Connection, path: Path) -> Path | None:
    """Close the window's connection without the checkpoint SQLite takes when the last connection closes (it would
    copy the window's ``-wal`` into the other program's file), and move that ``-wal`` into the project's backup
    folder: the file is then exactly what the other program wrote, and opens as such. Returns where the ``-wal``
    went (None: left in place, another process has the files open).

    A second connection, read-only, holds a shared lock while the window's closes (so that close is not the last:
    no checkpoint), and a read-only connection never checkpoints at its own close."""
    from annotator.store import backups, locks

    keeper = None
    with contextlib.suppress(sqlite3.Error):
        keeper = sqlite3.connect(f"file:{urllib.parse.quote(os.fspath(path.resolve()))}?mode=ro", uri=True,
                                 isolation_level=None)
        keeper.execute("BEGIN")
        keeper.execute("SELECT count(*) FROM sqlite_master").fetchone()
    try:
        conn.close()
    finally:
        if keeper is not None:
            with contextlib.suppress(sqlite3.Error):
                keeper.execute("COMMIT")
            keeper.close()
    wal = Path(f"{path}-wal")
    if not wal.exists() or locks.others(path) or locks.others(f"{path}-shm"):
        return None
    folder = backups.folder_for(path)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = folder / f"{stamp}-overwritten-{path.name}-wal"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.move(wal, target)  # a rename where it can, a copy across disks
    except OSError:
        return None
    with contextlib.suppress(OSError):
        os.unlink(f"{path}-shm")
    return target
