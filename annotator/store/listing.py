"""The documents of a project as a list that costs the same at 10 and at 100 000 statements.

:class:`DocumentList` holds only the ids of the listed documents (read in one aggregate, no Python object per row)
and reads the rows -- :class:`DocumentSummary` -- a page at a time when they are looked at: a list view shows a
screenful, so listing, filtering and clearing a filter never build 100 000 objects. Pages are read from the
``documents_listing`` covering index and ``document_span_counts`` (schema v3), never from a ``documents`` row,
whose text comes before ``status``, ``length`` and ``sha256``. A file of an older schema (a colleague's file is
opened read-only and never migrated) is read the old way: each row, with its spans counted.

A page read later than the ids shows the document as it is then (a status changed meanwhile shows the new one).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import overload

import orjson

from annotator import pacing
from annotator.core.model import DocumentSummary
from annotator.core.text import natural_key
from annotator.store import search_index

PAGE = 256

_PAGE_SQL = {
    True: "SELECT d.id, d.title, d.status, coalesce(c.spans, 0), d.length, d.sha256"
    " FROM documents d INDEXED BY documents_listing LEFT JOIN document_span_counts c ON c.doc_id = d.id"
    " WHERE d.id IN ({})",
    False: "SELECT d.id, d.title, d.status, (SELECT count(*) FROM spans s WHERE s.doc_id = d.id), d.length, d.sha256"
    " FROM documents d WHERE d.id IN ({})",
}


def has_listing(conn: sqlite3.Connection) -> bool:
    """Whether the file holds the v3 listing index and span counts (a read-only old file does not)."""
    return conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name IN ('documents_listing', 'document_span_counts')"
    ).fetchone()[0] == 2


def ids(conn: sqlite3.Connection, status: str | None, search: str | None) -> list[int]:
    """Ids of the documents listed, in import (id) order: one aggregate read (as JSON), not a row per document."""
    where, params = [], []
    if status:
        where.append("status = ?")  # documents_by_status: (status, id), a covering index for this
        params.append(status)
    indexed = search_index.filter_ids(conn, search) if search else None  # the full-text index (schema v4)
    if indexed is not None and not status:
        return sorted(orjson.loads(indexed))
    if indexed is not None:
        where.append("id IN (SELECT value FROM json_each(?))")
        params.append(indexed)
    elif search:  # no word in it, or a file without the index: the scan
        where.append("(instr(lower(text), ?) > 0 OR instr(lower(title), ?) > 0)")
        params += [search.lower(), search.lower()]
    # Without a text search, the small (status, id) index holds every id: read in its order (by status, then id),
    # one aggregate (JSON, no Python object per row), then sorted -- a merge of sorted runs, one pass.
    source = "documents" if search and indexed is None else "documents INDEXED BY documents_by_status"
    sql = f"SELECT json_group_array(id) FROM {source}" + (" WHERE " + " AND ".join(where) if where else "")
    found: list[int] = orjson.loads(conn.execute(sql, params).fetchone()[0])
    found.sort()
    return found


#: the columns a Documents list is sorted by (:func:`order`)
ORDERS = ("title", "status", "spans")


class Ranking(list[int]):
    """Every document's id in a column's order (:func:`order`), with ``ascending``: the same ids in id order, read in
    the same snapshot. A list of these very ids (:attr:`DocumentList.ascending` equal to it) takes the order whole
    after one comparison in C; a set of its 100 000 ids and a superset test took 9-17 ms of the window's thread
    (issue #14)."""

    __slots__ = ("ascending",)

    def __init__(self, ranked: Iterable[int], ascending: list[int]) -> None:
        super().__init__(ranked)
        self.ascending = ascending


def order(conn: sqlite3.Connection, column: str) -> Ranking:
    """Every document's id in the order of a column of the Documents list, ties by id: ``title`` in natural order
    (numbers by value, "s2" before "s10"; letters whatever their case), ``status``, ``spans`` (their count). At
    100 000 statements the titles' keys take a third of a second of Python: the window asks for it off its thread.
    The ids in id order with it (:class:`Ranking`), read in one transaction (begun here unless one is open)."""
    covered = has_listing(conn)
    if column == "title":  # sorted by SQLite (with the interpreter's lock free), by the key Python makes per title
        conn.create_function("natural_key", 1, _paced_key, deterministic=True)
        sql = ("SELECT id FROM documents INDEXED BY documents_listing ORDER BY natural_key(title), title, id"
               if covered else "SELECT id FROM documents ORDER BY natural_key(title), title, id")
    elif column == "status":
        sql = "SELECT id FROM documents INDEXED BY documents_by_status ORDER BY status, id"
    elif column == "spans":
        sql = ("SELECT d.id FROM documents d LEFT JOIN document_span_counts c ON c.doc_id = d.id"
               " ORDER BY coalesce(c.spans, 0), d.id" if covered
               else "SELECT d.id FROM documents d ORDER BY (SELECT count(*) FROM spans s WHERE s.doc_id = d.id), d.id")
    else:
        raise ValueError(f"no order by {column!r}; one of {ORDERS}")
    # a row at a time (an aggregate's order is not SQLite's promise), paced in a paced thread (the list's)
    began = not conn.in_transaction
    if began:  # one snapshot: an id added between the two reads would be in one and not the other
        conn.execute("BEGIN")
    try:
        ranked = [doc_id for (doc_id,) in pacing.rows(conn.execute(sql))]
        return Ranking(ranked, ids(conn, None, None))  # as the window lists them all
    finally:
        if began and conn.in_transaction:
            conn.execute("COMMIT")


def _paced_key(title: str) -> bytes:
    """:func:`natural_key`, with :func:`pacing.pace` (in a paced thread, a pause every few ms): SQLite calls it once
    per title, each call taking the GIL and letting it go."""
    pacing.pace()
    return natural_key(title)


def ids_after(conn: sqlite3.Connection, last: int) -> list[int]:
    """Ids of the documents after ``last``, ascending: what an import added to a list read before it (a range of the
    table's own key: 4 ms for 5 000 new statements, where every id again took 20-45 ms at 100 000)."""
    found: list[int] = orjson.loads(
        conn.execute("SELECT json_group_array(id) FROM documents WHERE id > ?", (last,)).fetchone()[0]
    )
    found.sort()
    return found


class DocumentList(Sequence[DocumentSummary]):
    """A list of :class:`DocumentSummary` whose rows are read a page at a time, when first looked at.

    ``doc_ids`` ascending (the listing order is id order: the window finds a document's row by bisect), unless the
    list was :meth:`reordered` (sorted by a column).

    ``read_page(ids)`` returns the rows of those ids (in any order). Rows can be replaced (``rows[i] = summary``)
    as a list's can, so a view can show a change without reading the list again.
    """

    __slots__ = ("_ascending", "_ids", "_pages", "_read", "in_id_order")

    def __init__(self, doc_ids: list[int], read_page: Callable[[Sequence[int]], Iterable[tuple]],  # type: ignore[type-arg]
                 in_id_order: bool = True, ascending: list[int] | None = None) -> None:
        self._ids = doc_ids
        self._read = read_page
        self._pages: dict[int, list[DocumentSummary]] = {}
        #: ids ascending, as the store lists them (a row is found by bisect); False once :meth:`reordered`
        self.in_id_order = in_id_order
        self._ascending = doc_ids if in_id_order else ascending

    @property
    def ids(self) -> list[int]:
        """The listed ids, in order (no row is read)."""
        return self._ids

    @property
    def ascending(self) -> list[int] | None:
        """The listed ids in id order (the ids themselves unless :meth:`reordered`; None if not known)."""
        return self._ascending

    def __len__(self) -> int:
        return len(self._ids)

    def reordered(self, doc_ids: list[int]) -> DocumentList:
        """The list of ``doc_ids`` (these, or some of them, in another order: sorted by a column), read as this one
        is; rows are read again when looked at."""
        same = len(doc_ids) == len(self._ids)  # these, not some of them: the same ids ascending
        return DocumentList(doc_ids, self._read, in_id_order=False, ascending=self._ascending if same else None)

    def in_import_order(self) -> DocumentList:
        """These rows with their ids ascending, as the store lists them (a list sorted by a column, unsorted)."""
        return DocumentList(self._ascending if self._ascending is not None else sorted(self._ids), self._read)

    def _page(self, number: int) -> list[DocumentSummary]:
        page = self._pages.get(number)
        if page is None:
            wanted = self._ids[number * PAGE : (number + 1) * PAGE]
            found = {row[0]: DocumentSummary(*row) for row in self._read(wanted)}
            # a document deleted since the ids were read is listed as it was known: by its id alone
            page = [found.get(i) or DocumentSummary(i, "", "todo", 0, 0, "") for i in wanted]
            self._pages[number] = page
        return page

    @overload
    def __getitem__(self, index: int) -> DocumentSummary: ...
    @overload
    def __getitem__(self, index: slice) -> list[DocumentSummary]: ...
    def __getitem__(self, index: int | slice) -> DocumentSummary | list[DocumentSummary]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._ids)))]
        if index < 0:
            index += len(self._ids)
        if not 0 <= index < len(self._ids):
            raise IndexError("document list index out of range")
        return self._page(index // PAGE)[index % PAGE]

    def __setitem__(self, index: int, summary: DocumentSummary) -> None:
        if index < 0:
            index += len(self._ids)
        if self._ids[index] != summary.id:
            raise ValueError(f"row {index} lists document {self._ids[index]}, not {summary.id}")
        self._page(index // PAGE)[index % PAGE] = summary

    def __iter__(self) -> Iterator[DocumentSummary]:
        for number in range((len(self._ids) + PAGE - 1) // PAGE):
            kept = number in self._pages
            yield from self._page(number)
            if not kept:  # a walk over the whole list keeps one page in memory (pages looked at stay)
                self._pages.pop(number, None)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DocumentList | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"DocumentList({len(self._ids)} documents)"


def page_reader(conn: sqlite3.Connection, covered: bool) -> Callable[[Sequence[int]], list[tuple]]:  # type: ignore[type-arg]
    template = _PAGE_SQL[covered]

    def read(doc_ids: Sequence[int]) -> list[tuple]:  # type: ignore[type-arg]
        if not doc_ids:
            return []
        return conn.execute(template.format(", ".join("?" * len(doc_ids))), list(doc_ids)).fetchall()

    return read
