"""Reading a project without changing it: in place (``immutable``, or with SQLite's shared locks beside a window
that edits it) or through a private copy when its ``-wal`` must be applied or its schema is older (DESIGN.md §2.2:
a file opened for reading is never migrated, written or checkpointed, and nothing is left beside it)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

from annotator import leftovers
from annotator.errors import ProjectFileError
from annotator.store import schema
from annotator.store.connection import (
    _connect,
    _open_here,
    budget_for,
    check_contents,
    check_header,
    check_identity,
    check_if_small,
    validate,
    validate_on_open,
    wal_pending,
    writable,
)
from annotator.store.walcheck import check_wal


def file_stamp(path: Path) -> tuple[object, ...]:
    """What changes when anyone writes the project: the file's identity, size and time, and its ``-wal``'s."""
    out: list[object] = []
    for name in (str(path), f"{path}-wal"):
        try:
            st = os.stat(name)
            out.append((st.st_ino, st.st_size, st.st_mtime_ns))
        except OSError:
            out.append(None)
    return tuple(out)


def open_readonly(path: Path, trusted: bool = False,
                  cancelled: Callable[[], bool] | None = None) -> tuple[sqlite3.Connection, Path | None, bool]:
    """Open a project for reading only; it is never migrated, written or checkpointed.

    ``trusted`` (the user's own project, read by a command while a window may edit it): opened in place with
    SQLite's locking (``mode=ro``), so the read is one consistent snapshot beside the window's writes.
    Otherwise (a colleague's file) nothing may be left beside it: opened ``immutable`` (no locks, no ``-shm``)
    and checked with bounded work. A file that needs its ``-wal`` applied, or an older schema, is read through a
    private copy instead (copied ``-wal`` included), never changed in place.

    The user's own project is read in place with SQLite's locks only when a connection already made its ``-wal``
    and ``-shm`` (a window has it open); otherwise ``immutable`` too, so a command leaves nothing beside a file it
    reads, and the caller checks :func:`file_stamp` afterwards (a window that opened and wrote meanwhile makes the
    read void, see ``Project.changed_while_reading``). Returns the connection, the private folder to remove on
    close (or None), and whether the read is immutable. The check of a colleague's file stops
    (``errors.Cancelled``) once ``cancelled()``.
    """
    check_header(path)
    here = _open_here(path)
    if here and not trusted:
        raise ProjectFileError(f"{path} is your own project, open in this window; open a colleague's file")
    # a colleague's -wal too: read with another project's, their file would be that mix. The pair checked is
    # kept, and read if a private copy is needed: copied once
    checked = None if here else check_wal(path, cancelled, keep=True, colleague=not trusted)
    try:
        # immutable: no locks and nothing created beside the file. For the user's own project only when nobody
        # can be writing it (a read-only folder, where SQLite could not make its -shm anyway)
        immutable = not here and (not trusted or not writable(path) or not (
            os.path.exists(f"{path}-wal") and os.path.exists(f"{path}-shm")))
        if not here and ((immutable and wal_pending(path)) or _version_of(path) < schema.SCHEMA_VERSION):
            conn, workdir = _open_private_copy(path, trusted, cancelled, checked)
            checked = None  # the copy's now
            return conn, workdir, False
    finally:
        if checked is not None:
            shutil.rmtree(checked, ignore_errors=True)
    uri = path.resolve().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")
    conn = _connect(uri, uri=True)
    try:
        if trusted:  # the user's own project: as when opened for editing
            validate_on_open(conn, path)
        else:  # a colleague's file: checked whole before any read, with bounded work
            validate(conn, path, budget_for(path), cancelled)
        conn.execute("PRAGMA query_only = ON")
    except BaseException:
        conn.close()
        raise
    return conn, None, immutable


def _version_of(path: Path) -> int:
    """The schema version in the header (``user_version``, bytes 60-63), read without SQLite."""
    try:
        with open(path, "rb") as fh:
            fh.seek(60)
            return int.from_bytes(fh.read(4), "big", signed=True)
    except OSError as exc:
        raise ProjectFileError(f"cannot read {path}: {exc.strerror or exc}") from None


def _open_private_copy(path: Path, trusted: bool, cancelled: Callable[[], bool] | None = None,
                       checked: Path | None = None) -> tuple[sqlite3.Connection, Path]:
    """``checked``: a private folder ``check_wal`` left, whose copy of the pair is read instead of a new one."""
    workdir = checked or Path(tempfile.mkdtemp(prefix=leftovers.readonly_prefix()))  # named for leftovers
    try:
        copy = workdir / "project.sqlite"
        if checked is None:
            shutil.copyfile(path, copy)
            if wal_pending(path):
                shutil.copyfile(Path(f"{path}-wal"), Path(f"{copy}-wal"))
        conn = _connect(copy)
        try:
            try:
                version = check_identity(conn, path)
            except ProjectFileError:
                if not wal_pending(path):
                    raise
                conn.close()
                check_wal(path, cancelled, colleague=not trusted)  # says whether the -wal is the problem
                raise
            if trusted:
                check_if_small(conn, path)
            else:
                check_contents(conn, path, budget_for(path), cancelled, checked_whole=checked is not None)
            if version < schema.SCHEMA_VERSION:  # migrate the private copy, never the colleague's file
                conn.execute("BEGIN IMMEDIATE")
                schema.migrate(conn, version)
                conn.execute("COMMIT")
            conn.execute("PRAGMA query_only = ON")
        except BaseException:
            conn.close()
            raise
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    return conn, workdir


def open_readonly_copy(path: Path, cancelled: Callable[[], bool] | None = None) -> tuple[sqlite3.Connection, Path]:
    """A colleague's file (or a backup) read through a private copy; see :func:`open_readonly`. Its check stops
    (``errors.Cancelled``) once ``cancelled()``."""
    return _open_private_copy(path, trusted=False, cancelled=cancelled)
