"""Importing into an open project (:meth:`Project.import_documents` and :meth:`Project.import_batches` call here):
the writing transaction around :func:`annotator.store.writing.populate`, for one batch or a file streamed in
batches."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from annotator.core.model import IncomingDocument
from annotator.store import writing

if TYPE_CHECKING:
    from annotator.store.project import Project


#: the page cache an import's transaction is given (SQLite's unit: negative is KiB, so 64 MB), then the
#: connection's own again. With SQLite's 2 MB the statements spill to the WAL as they are inserted and are read back
#: from it, page by page, by the full-text index's insert and the b-trees: 10 000 statements of 4 500 characters
#: read 110 MB back (48 MB without the index); with 64 MB, none (counted in ``/proc/self/io``), 12-18 % less CPU
#: with the index, 8-12 % without (loaded machine, interleaved). At most this much more memory while an import
#: runs, given back after it.
IMPORT_CACHE_SIZE = -65536


@contextlib.contextmanager
def _import_cache(conn: sqlite3.Connection) -> Iterator[None]:
    """Inside the import's transaction (a failing PRAGMA is the import's failure, rolled back and reported as it)."""
    own = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    conn.execute(f"PRAGMA cache_size = {IMPORT_CACHE_SIZE}")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):  # the import's own error is the one to report
            conn.execute(f"PRAGMA cache_size = {own}")
        raise
    conn.execute(f"PRAGMA cache_size = {own}")


def import_documents(project: Project, docs: Iterable[IncomingDocument], source: str = "") -> dict[str, Any]:
    """Add documents and their spans in one transaction; documents whose text is already here are skipped."""
    with project._write("import"), _import_cache(project.conn):
        return writing.populate(project.conn, list(docs), project.user, source)


def import_batches(project: Project, batches: Iterable[list[IncomingDocument]], source: str = "") -> dict[str, Any]:
    """:func:`import_documents` for one file read in batches: one transaction for all of them (the file goes in
    whole or not at all: an error from the reader after any batch rolls every batch back), a few batches in memory
    at a time. Returns what :func:`import_documents` returns, for the whole file."""
    total: dict[str, Any] | None = None
    each = iter(batches)
    try:
        with project._write("import"), _import_cache(project.conn):
            for docs in each:
                outcome = writing.populate(project.conn, docs, project.user, source)
                total = outcome if total is None else writing.merge_outcomes(total, outcome)
    finally:
        close = getattr(each, "close", None)
        if close is not None:  # however this ends, the reader's file is closed now, not when its traceback goes
            close()
    return total if total is not None else writing.populate(project.conn, [], project.user, source)
