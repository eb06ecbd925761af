"""Keeping the full-text index (``search_fts``, schema v4) in step with the statements, inside the caller's
transaction: every write that adds a statement or changes its title, text or memo calls here.

Not triggers: with ``trusted_schema=OFF`` (every connection, ``store/connection.py``) SQLite refuses a trigger that
writes to an FTS5 table. ``annotator check`` runs FTS5's ``integrity-check`` against the statements, so an index
that fell out of step is found, and :func:`rebuild` puts it right.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

TABLE = "search_fts"


def has_index(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)).fetchone() is not None


def index_new(conn: sqlite3.Connection, first_id: int) -> None:
    """Index the statements with id >= ``first_id`` (just inserted; ids grow)."""
    conn.execute(
        "INSERT INTO search_fts(rowid, title, text, note) SELECT id, title, text, note FROM documents WHERE id >= ?",
        (first_id,),
    )


def forget(conn: sqlite3.Connection, doc_ids: Sequence[int]) -> None:
    """Take statements out of the index as they are now (before their title, text or memo changes): an external
    content index is told the old values, which are still in ``documents`` at this point."""
    conn.executemany(
        "INSERT INTO search_fts(search_fts, rowid, title, text, note)"
        " SELECT 'delete', id, title, text, note FROM documents WHERE id = ?",
        [(i,) for i in doc_ids],
    )


def remember(conn: sqlite3.Connection, doc_ids: Sequence[int]) -> None:
    """Index statements as they are now (after the change :func:`forget` came before)."""
    conn.executemany(
        "INSERT INTO search_fts(rowid, title, text, note) SELECT id, title, text, note FROM documents WHERE id = ?",
        [(i,) for i in doc_ids],
    )


def check(conn: sqlite3.Connection) -> str | None:
    """FTS5's own check of the index against the statements; None if sound, else one line."""
    try:
        conn.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError as exc:
        return (f"the search index does not match the statements ({' '.join(str(exc).split())}); "
                "open the project in Annotator and choose Search ▸ Rebuild Index, or restore a backup")
    return None


def rebuild(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
