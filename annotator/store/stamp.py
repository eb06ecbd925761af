"""The project's stamp: who it is and how many writes it has seen, in two rows of ``settings``, so a ``-wal`` found
beside it can be told to be its own (``store/walcheck.py``).

SQLite applies any ``-wal`` whose header and checksums are valid, whatever database wrote it: nothing in the pair
says they belong together. So every project has an identity (``project_id``, random, set when it is made, or at its
first write by this version), and every write transaction counts itself (``write_seq``) in the same page. A journal
left by a crash continues the file: applied, it shows the same identity and a count at least the file's. Another
project's journal shows another identity (or none: it replaced the page with its own), an older journal of this
project a smaller count.

A copy keeps its identity, so the stamp also holds where the project is written (``project_place``: its path,
hashed, :func:`claim` at every open for editing): a journal written by a copy at another path names that path, not
this one. (A project moved with a journal its crash left is refused too: the journal is kept, and the project
opened where it was reads it. Left open: a journal of the file a restore replaced, brought back beside it later,
continues the restored file's identity with more writes.)
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from typing import NamedTuple

#: at the end of every write transaction that changed a row (``connection.write_transaction``, a migration): one
#: page more per commit, 35-60 us more per label key (measured, interleaved, on the 1 M-character statement); a
#: project made before the stamp gets its identity at its first write
BUMP = ("INSERT INTO settings (key, value) VALUES ('write_seq', '1'), ('project_id', lower(hex(randomblob(16)))) "
        "ON CONFLICT (key) DO UPDATE SET value = CASE key WHEN 'write_seq' THEN CAST(value AS INTEGER) + 1 "
        "ELSE value END")


class Stamp(NamedTuple):
    project_id: str
    writes: int
    place: str | None = None  # where it was last opened for editing (:func:`place_of`)


def place_of(path: str | Path) -> str:
    """The project's place: its real path, hashed (a path names the user; the project keeps only this)."""
    return hashlib.sha256(os.path.realpath(path).encode("utf-8", "surrogateescape")).hexdigest()[:32]


def claim(conn: sqlite3.Connection, path: str | Path) -> None:
    """Record that the project at ``path`` is written there (once per new place: a copy, a move), in a transaction
    of its own (``conn`` in autocommit, opened for editing)."""
    here = place_of(path)
    row = conn.execute("SELECT value FROM settings WHERE key = 'project_place'").fetchone()
    if row is not None and row[0] == here:
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("INSERT INTO settings (key, value) VALUES ('project_place', ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (here,))
            bump(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.OperationalError:  # a full disk, a busy file: the project opens all the same (its first write
        return  # will say what is wrong); a journal its crash leaves then names the place it had before


def bump(conn: sqlite3.Connection) -> None:
    """Count this write transaction (call inside it)."""
    conn.execute(BUMP)


def read(conn: sqlite3.Connection) -> Stamp | None:
    """The stamp, or None for a project no version with the stamp has written (then nothing can be told by it)."""
    rows = dict(conn.execute(
        "SELECT key, value FROM settings WHERE key IN ('project_id', 'write_seq', 'project_place')").fetchall())
    project_id = rows.get("project_id")
    if not isinstance(project_id, str):
        return None
    try:
        writes = int(rows.get("write_seq", 0))
    except (TypeError, ValueError):
        writes = -1  # a count that is not one: no journal can be told to continue it
    place = rows.get("project_place")
    return Stamp(project_id, writes, place if isinstance(place, str) else None)


def continues(before: Stamp | None, after: Stamp | None, place: str | None = None) -> bool:
    """Whether the project as the file holds it (``before``) and with the ``-wal`` applied (``after``) can be one
    project's past and present: same identity, no fewer writes, and written at ``place`` (the file's
    :func:`place_of`) if the journal says where. A file without a stamp cannot tell by identity (True)."""
    if after is not None and place is not None and after.place is not None and after.place != place:
        return False
    if before is None:
        return True
    return after is not None and after.project_id == before.project_id and after.writes >= before.writes >= 0
