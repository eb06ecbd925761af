"""An id once given to a statement or a span is never given to another one, so an undo can always put a deleted one
back under its own id (and every step of the undo stack that names it still names it).

SQLite gives a new row of a table declared ``INTEGER PRIMARY KEY`` (without ``AUTOINCREMENT``, which would need a
migration of every project file) the largest id in the table plus one: delete the statement with the largest id,
import another, and the new one had the deleted one's id, the undo of the delete was refused (and a span labelled
then undone, or deleted, gave its id to the next imported span, and its redo or undo was refused the same way).

So a delete that takes the largest ids of ``documents`` or ``spans`` remembers the largest it took, in a row of
``settings`` (``ids_given:documents``, ``ids_given:spans``), in the delete's transaction; an import (the command
line's beside the window, or File ▸ Import, which are no steps of the undo stack) gives ids above it. The window's
own steps are undone last-first, so they may take such an id: theirs is undone before the delete is.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

#: per table, the row of ``settings`` that holds the largest id given to a row deleted since
KEYS = {"documents": "ids_given:documents", "spans": "ids_given:spans"}


def _largest(conn: sqlite3.Connection, table: str) -> int:
    if table == "documents":  # (constant SQL per table: tests/reliability/test_security.py)
        row = conn.execute("SELECT max(id) FROM documents").fetchone()
    elif table == "spans":
        row = conn.execute("SELECT max(id) FROM spans").fetchone()
    else:
        raise ValueError(f"no ids kept for {table!r}")
    return int(row[0] or 0)


def _given(conn: sqlite3.Connection, table: str) -> int:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (KEYS[table],)).fetchone()
    try:
        return int(row[0]) if row else 0
    except (TypeError, ValueError):  # a hand-edited value that is no number: as if none
        return 0


def next_id(conn: sqlite3.Connection, table: str) -> int:
    """The id the next new row of ``table`` (``documents`` or ``spans``) is to have: above every row's, and above
    every id a delete took that an undo may put back."""
    return max(_largest(conn, table), _given(conn, table)) + 1


def deleted(conn: sqlite3.Connection, table: str, ids: Iterable[int]) -> None:
    """Rows of ``table`` with ``ids`` were just deleted (call inside the delete's transaction): if they held the
    largest ids, the largest is remembered so that no new row is given it."""
    highest = max(ids, default=0)
    if not highest:
        return
    if highest > _largest(conn, table) and highest > _given(conn, table):
        conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)"
                     " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (KEYS[table], str(highest)))
