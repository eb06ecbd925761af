"""The project's folder moved or renamed while the window edits it (trial 11, D4): found where it went, and followed.

SQLite writes through the descriptors it opened (the file, its ``-wal`` and ``-shm``), never by name again until the
close, so a folder renamed under the window changes nothing for its writes: they go on into the very files, now
under another name. Only the names are stale: second connections (a backup, a search), the checkpoint thread's
look at the log, and the close's removal of the log. Linux shows where each open file is now
(``/proc/self/fd/N``); when the project's three files are found together at a new place, the window takes their
new names (``Project.check_files``) and says so; nothing is written or copied for it. Where they cannot be found
(another system, a file deleted), the window says so plainly instead of trying to recover into a folder that is
gone.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from annotator.errors import ProjectFileError
from annotator.store import beside, locks

FD_DIR = "/proc/self/fd"


def descriptors(ident: tuple[int, int] | None) -> list[int]:
    """This process's descriptors open on the file ``ident`` ((st_dev, st_ino)); read once, when it is opened."""
    found: list[int] = []
    if ident is None:
        return found
    try:
        names = os.listdir(FD_DIR)
    except OSError:
        return found
    for name in names:
        with contextlib.suppress(OSError, ValueError):
            st = os.fstat(int(name))
            if (st.st_dev, st.st_ino) == ident:
                found.append(int(name))
    return found


def where_now(ident: tuple[int, int] | None, fds: list[int]) -> Path | None:
    """Where the open file ``ident`` is now, by name (``/proc/self/fd``); None when it was deleted, or cannot be
    told."""
    for fd in [*fds, *descriptors(ident)]:
        try:
            st = os.fstat(fd)
            if (st.st_dev, st.st_ino) != ident:
                continue
            target = os.readlink(f"{FD_DIR}/{fd}")
        except OSError:
            continue
        if target.endswith(" (deleted)") or not target.startswith("/"):
            return None
        return Path(target)
    return None


def new_place(path: Path, ids: beside.Ids, fds: list[int]) -> Path | None:
    """Where the project's file is now, when its ``-wal`` and ``-shm`` are beside it there too (a folder moved or
    renamed, or the three moved together); None when it is not found so (deleted, or moved alone)."""
    there = where_now(ids[0], fds)
    if there is not None and there != path and beside.ids(there) == ids:
        return there
    return None


def message(old: Path, new: Path) -> str:
    renamed = old.parent.parent == new.parent.parent and old.name == new.name
    where = "folder was renamed" if renamed else "files were moved"
    return (f"the project's {where}: {old.name} is now {new}. This window follows it and saves every change there, "
            "as before; nothing was lost")


def lost(path: Path) -> ProjectFileError:
    """The project's folder is gone and the file was found nowhere (moved to another disk, or deleted)."""
    return ProjectFileError(
        f"The folder of {path.name} ({path.parent}) was moved, renamed or deleted while the project was open here, "
        "and the file cannot be found anywhere, so nothing more can be saved. Your work saved up to now is in the "
        "file wherever it was moved to, and in this project's backups (File ▸ Restore from Backup…). Put the folder "
        f"back as {path.parent} and this window goes on saving; or close it and open the file at its new place "
        "(File ▸ Open Project…)")


def checkpoint_before_close(conn: sqlite3.Connection) -> None:
    """The project was followed to a new place: SQLite would remove the log at close by its old name (in vain), so
    the log is emptied now, and :func:`tidy` removes it by its new name once the connection is closed."""
    with contextlib.suppress(sqlite3.Error):
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def tidy(path: Path) -> None:
    """After the close: an empty ``-wal`` and the ``-shm`` left at the new place go, when no other process has
    the project open (its ``-wal`` keeps what it still has to checkpoint otherwise)."""
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    if locks.others(path) or locks.others(shm):
        return
    with contextlib.suppress(OSError):
        if wal.stat().st_size == 0:
            wal.unlink()
            shm.unlink()
