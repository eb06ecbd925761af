"""Keeping the full-text index (``search_fts``, schema v4) in step with the statements, inside the caller's
transaction: every write that adds a statement or changes its title, text or memo calls here.

Not triggers: with ``trusted_schema=OFF`` (every connection, ``store/connection.py``) SQLite refuses a trigger that
writes to an FTS5 table. ``annotator check`` runs FTS5's ``integrity-check`` against the statements, so an index
that fell out of step is found, and :func:`rebuild` puts it right.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path

from annotator import leftovers

TABLE = "search_fts"

#: the bytes of new postings FTS5 holds in memory before it writes them out as a segment (FTS5's ``hashsize``). Its
#: default, 1 MB, cuts an import of 10 000 statements of 4 500 characters into a segment per MB, which its automerge
#: then merges again and again (8 segments left); with 16 MB they go out once, as one segment. Measured on that
#: import (``tests/benchmarks/bench_search.py``'s, perf and CPU seconds): 10-16 % less CPU, the merges and their
#: page writes gone; memory at most this much more during one large statement (18 MB more peak RSS measured; a
#: streamed import writes each batch in a statement of its own, so no more there). The hits are the same: only the
#: number of segments differs. Kept in the index's own ``search_fts_config`` table (no change to ``sqlite_master``:
#: v4-v6 stay as they are), set by the first import or rebuild that finds it otherwise.
HASH_BYTES = 16 * 1024 * 1024


def tune(conn: sqlite3.Connection) -> None:
    """Give the index :data:`HASH_BYTES` before a large write (inside the caller's transaction), once per file."""
    found = conn.execute(f"SELECT v FROM {TABLE}_config WHERE k = 'hashsize'").fetchone()
    if found is None or found[0] != HASH_BYTES:
        conn.execute(f"INSERT INTO {TABLE}({TABLE}, rank) VALUES ('hashsize', ?)", (HASH_BYTES,))


def has_index(conn: sqlite3.Connection) -> bool:
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)).fetchone()
    return found is not None


def index_new(conn: sqlite3.Connection, first_id: int) -> None:
    """Index the statements with id >= ``first_id`` (just inserted; ids grow), in one statement: FTS5 writes out
    what it holds at every statement's start (its savepoint), so an INSERT per statement or per batch of a few
    hundred would make a segment each."""
    tune(conn)
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


def filter_ids(conn: sqlite3.Connection, typed: str) -> str | None:
    """The Documents filter box through the index: the ids (a JSON array) of the statements whose title, text or
    memo holds what was typed as a phrase, its last word a prefix. None when the index cannot answer (nothing to
    match in what was typed, no index in an old file read as it is, or a damaged index): the caller scans."""
    from annotator.core.search.query import filter_query

    match = filter_query(typed)
    if match is None or not has_index(conn):
        return None
    try:
        return str(conn.execute("SELECT json_group_array(rowid) FROM search_fts WHERE search_fts MATCH ?",
                                (match,)).fetchone()[0])
    except sqlite3.DatabaseError:
        return None


def filter_page(conn: sqlite3.Connection, typed: str, status: str | None, limit: int) -> list[int] | None:
    """A first page for the Documents filter: the first ``limit`` ids (ascending), with ``status`` if one is chosen,
    of the statements holding what was typed as a phrase with its last word whole -- most often the start of the
    list :func:`filter_ids` gives, which takes the last word as a prefix too ("with" also finds "within").

    Not the prefix query with a LIMIT: FTS5 merges the lists of every term that begins with the last word before it
    yields one row (with "with", a list of every statement), 70 ms of the 71 the whole list takes at 100 000
    statements; a whole word is walked lazily in rowid order, so this stops after ``limit`` matches (under a
    millisecond). The whole list, read off the GUI thread, puts a page that missed a longer word right.
    None when the index cannot answer."""
    from annotator.core.search.query import filter_query

    match = filter_query(typed)
    if match is None or not has_index(conn):
        return None
    whole = match.removesuffix("*")
    params: tuple[str | int, ...]
    if status:  # the index outside (rowid order), each match looked up in (status, id): never the text's row
        sql, params = ("SELECT f.rowid FROM search_fts f CROSS JOIN documents d INDEXED BY documents_by_status"
                       " WHERE search_fts MATCH ? AND d.status = ? AND d.id = f.rowid ORDER BY f.rowid LIMIT ?",
                       (whole, status, limit))
    else:
        sql, params = "SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid LIMIT ?", (whole, limit)
    try:
        return [row[0] for row in conn.execute(sql, params)]
    except sqlite3.DatabaseError:
        return None


class Scratch:
    """An FTS5 table in memory tokenized as the project's index, to mark one piece of a long statement at a time
    (``store/search.py``: one ``highlight()`` of a long statement costs its hits × its length)."""

    def __init__(self) -> None:
        self.conn = sqlite3.connect(":memory:", isolation_level=None)
        # the project index's own tokenizer (schema.py's ``_V4_SEARCH``, the only one a project's index is made
        # with): written here, never read from the file, whose schema a hostile project could make say anything
        self.conn.execute("CREATE VIRTUAL TABLE piece USING fts5(text, tokenize='unicode61 remove_diacritics 2')")

    def mark(self, text: str, match: str, opener: str, closer: str) -> str | None:
        """``text`` with the regions of ``match`` (an FTS5 query) marked, or None if it holds none."""
        self.conn.execute("INSERT INTO piece(rowid, text) VALUES (1, ?)", (text,))
        try:
            found = self.conn.execute("SELECT highlight(piece, 0, ?, ?) FROM piece WHERE piece MATCH ? AND rowid = 1",
                                      (opener, closer, match)).fetchone()
        finally:
            self.conn.execute("DELETE FROM piece")
        return None if found is None else str(found[0])


def check(conn: sqlite3.Connection) -> str | None:
    """FTS5's own check of the index against the statements; None if sound, else one line."""
    try:
        conn.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError as exc:
        return (f"the search index does not match the statements ({' '.join(str(exc).split())}); "
                "open the project in Annotator and choose Edit ▸ Rebuild Search Index")
    return None


def rebuild(conn: sqlite3.Connection) -> None:
    tune(conn)
    conn.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def check_readonly(conn: sqlite3.Connection) -> str | None:
    """:func:`check` for a project opened read-only (FTS5 runs its check as a write, which a read-only connection
    refuses): on a private copy made with SQLite's backup API, removed afterwards. None if sound or no index."""
    if not has_index(conn):
        return None
    workdir = Path(tempfile.mkdtemp(prefix=leftovers.readonly_prefix()))  # named for leftovers.clean_temp_folder
    try:
        copy = sqlite3.connect(workdir / "check.sqlite", isolation_level=None)
        try:
            copy.execute("PRAGMA trusted_schema = OFF")
            conn.backup(copy)
            return check(copy)
        finally:
            copy.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
