"""Second connections to a project this process edits, onto the very files its window has open.

Work off the window's thread reads the project through connections of its own (a search, the agreement report,
a backup, the whole-file check, the checkpoints), each opened by the project's name. Within one process SQLite
shares a database's lock and shared-memory bookkeeping by the file's inode, so a connection that opened *other*
files under those names, put there by another program (a sync client restoring a copy, a foreign ``-wal``), is
not a harmless stranger: a foreign ``-wal`` is read by the window's shared index (and a checkpoint copies its
pages into the project), and another database under the project's name maps the window's ``-shm`` afresh as if
it were first (truncating it under the window) and drops the window's locks on it when it closes (os_unix.c,
wal.c; DESIGN.md §2.2 "Lock hygiene", "A -wal ... that is not the project's is never applied").

So the files' identities, as the window's connection opened them, are remembered (``inuse.remember_files``:
``recovery.FileWatch`` records them at open and after a recovery; closing the project forgets them), and
:func:`connect` opens a second connection only onto those same files: checked before connecting and again after
its first read (which opens the log). Files that differ are refused with one line; the window's own watch
notices them at its next write (or within two seconds) and recovers. A path this process does not edit (a
command, a colleague's file) is opened as asked.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from annotator import inuse
from annotator.errors import ProjectFileError

#: (st_dev, st_ino) of a project's file, its ``-wal`` and its ``-shm``, in that order (None: absent)
Ids = tuple[tuple[int, int] | None, ...]


def ids(path: str | os.PathLike[str]) -> Ids:
    return tuple(inuse.identity(f"{os.fspath(path)}{suffix}") for suffix in ("", "-wal", "-shm"))


def replaced(path: Path) -> ProjectFileError:
    return ProjectFileError(f"{path.name}'s files were replaced by another program while it is open here; the "
                            "window writes every saved change back and this can be done again then")


def connect(path: Path, uri: str, opener: Callable[[str], sqlite3.Connection] | None = None,
            **kwargs: Any) -> sqlite3.Connection:
    """``sqlite3.connect(uri, uri=True, **kwargs)`` (or ``opener(uri)``), refused (:class:`ProjectFileError`,
    nothing left open) when this process edits ``path`` and the files under its names are no longer the ones the
    window has open."""
    if (why := inuse.refusal(path)) is not None:  # overwritten in place: nothing reads the mix (overwrite.py)
        raise ProjectFileError(why)
    want = inuse.files_of(path)
    if want is not None and ids(path) != want:
        raise replaced(path)
    conn = opener(uri) if opener is not None else sqlite3.connect(uri, uri=True, **kwargs)
    if want is None:
        return conn
    try:
        conn.execute("PRAGMA schema_version").fetchone()  # the log opened now, as the window's has it
        if ids(path) == want:
            return conn
    except sqlite3.Error:
        conn.close()
        raise
    conn.close()  # never the last connection on the window's files: nothing checkpointed or removed
    raise replaced(path)
