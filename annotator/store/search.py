"""Searching the statements (issue 12): the full-text index (``search_fts``, schema v4) for words, phrases,
prefixes, OR/NOT/NEAR, and a scan for regular expressions; both give :class:`~annotator.core.search.hits.Hit`
batches in statement (id) order, so the first page is ready long before the last.

Offsets are found in the statements themselves: FTS5 marks each matched token run with ``highlight()`` (its own
tokenizer and folding, so the hits are exactly what the index matched) and the marks are read back as code points.
Each hit carries the labels of the spans that cover it (for "not yet labelled" / "labelled with L").
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from annotator import pacing
from annotator.core.search import hits as core_hits
from annotator.core.search.hits import Hit
from annotator.core.search.query import REGEX_TIMEOUT_S, Query, locate
from annotator.errors import AnnotatorError
from annotator.store import connection

#: statements read in the first batch (a first page of hits), then twice as many each batch up to :data:`BATCH`
FIRST_BATCH = 16
BATCH = 64
_OPEN, _CLOSE = "\ufdd0", "\ufdd1"  # noncharacters: a statement holding one is highlighted again with others
_FTS_PROBLEMS = ("fts5:", "syntax error", "unterminated string", "no such column", "unknown special query")

Progress = Callable[[int, int], None]
#: a hit as a plain tuple of :class:`Hit`'s fields
Row = tuple[Any, ...]


def _malformed(exc: sqlite3.Error) -> AnnotatorError | None:
    text = " ".join(str(exc).split())
    if isinstance(exc, sqlite3.OperationalError) and any(p in text.lower() for p in _FTS_PROBLEMS):
        return AnnotatorError(f"the search is malformed ({text.removeprefix('fts5: ')}); put words with "
                              "punctuation in quotes, e.g. \"U.S.-Japan\"")
    return None


class _Stopped(Exception):
    """``cancelled`` said stop while rows were read (:func:`_run`)."""


def _run(conn: sqlite3.Connection, sql: str, params: Sequence[object],  # type: ignore[type-arg]
         cancelled: Callable[[], bool] | None = None) -> list[tuple]:
    """The rows of ``sql``; with ``cancelled``, read one by one and it is asked between any two (raises
    :class:`_Stopped` when it says stop). Each row is a step of SQLite, which lets go of the GIL and takes it back a
    few microseconds later: a waiting thread (the window's) is woken but finds it taken again, and waits on; CPython
    asks the holder to let go only after a switch interval *without* a switch, which such a read never gives. So a
    batch of 64 statements read at once held the window 8-14 ms (traced, issue 12); ``cancelled`` is where the
    Search dock's thread gives the window its turn."""
    try:
        if cancelled is None:  # paced in a paced thread (a label step's, reading its hits' labels again)
            return list(pacing.rows(conn.execute(sql, params)))
        read = []
        for row in conn.execute(sql, params):
            read.append(row)
            if cancelled():
                raise _Stopped
        return read
    except sqlite3.Error as exc:
        problem = _malformed(exc)
        if problem is not None:
            raise problem from None
        if any(w in str(exc).lower() for w in ("malformed", "corrupt")):
            raise AnnotatorError(f"the search index is damaged ({' '.join(str(exc).split())}); choose Edit ▸ "
                                 "Rebuild Search Index in the window, or restore a backup") from None
        raise


def statements_matching(conn: sqlite3.Connection, query: Query) -> int:
    """How many statements the index finds (before the exact-diacritics filter, if any)."""
    return int(_run(conn, "SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (query.fts,))[0][0])


def hits(conn: sqlite3.Connection, query: Query, context: int = core_hits.CONTEXT,
         cancelled: Callable[[], bool] | None = None, progress: Progress | None = None,
         batch: int = BATCH) -> Iterator[list[Hit]]:
    """Batches of hits, in statement order, each hit with its covering labels."""
    for found in rows(conn, query, context, cancelled, progress, batch):
        yield [Hit._make(t) for t in found]


def rows(conn: sqlite3.Connection, query: Query, context: int = core_hits.CONTEXT,
         cancelled: Callable[[], bool] | None = None, progress: Progress | None = None,
         batch: int = BATCH) -> Iterator[list[Row]]:
    """:func:`hits` as plain tuples of :class:`Hit`'s fields (what the Search dock keeps): made without a NamedTuple
    each, and ``cancelled`` asked between any two statements and any two rows read (the dock's thread takes turns
    with the window there)."""
    if query.regex:
        return _regex_batches(conn, query, context, cancelled, progress, batch)
    return _fts_batches(conn, query, context, cancelled, progress, batch)


def check(conn: sqlite3.Connection, query: Query) -> None:
    """Raise the clear line for a malformed query, as typed (before it is restricted to text and memo)."""
    if not query.regex:
        _run(conn, "SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ? LIMIT 1)", (query.text,))
        _run(conn, "SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ? LIMIT 1)", (query.fts,))


def _fts_batches(conn: sqlite3.Connection, query: Query, context: int, cancelled: Callable[[], bool] | None,
                 progress: Progress | None, batch: int) -> Iterator[list[Row]]:
    check(conn, query)
    total = statements_matching(conn, query) if progress is not None else 0
    after, done, size = 0, 0, min(FIRST_BATCH, batch)
    sql = ("SELECT f.rowid, d.sha256, d.title, d.date, d.text, d.note, highlight(search_fts, 1, ?, ?),"
           " highlight(search_fts, 2, ?, ?) FROM search_fts f JOIN documents d ON d.id = f.rowid"
           " WHERE search_fts MATCH ? AND f.rowid > ? ORDER BY f.rowid LIMIT ?")
    filtered = query.exact_diacritics  # only then does a region FTS5 marked need a second look
    while True:
        if cancelled is not None and cancelled():
            return
        try:
            read = _run(conn, sql, (_OPEN, _CLOSE, _OPEN, _CLOSE, query.fts, after, size), cancelled)
            size = min(size * 2, batch)
            if not read:
                return
            spans = _spans(conn, [r[0] for r in read], cancelled)
        except _Stopped:
            return
        found: list[Row] = []
        for doc_id, sha, title, date, text, note, marked_text, marked_note in read:
            if cancelled is not None and cancelled():  # asked once a statement (a window may take its turn there)
                return
            opener, closer = _OPEN, _CLOSE
            if _OPEN in text or _CLOSE in text or (note and (_OPEN in note or _CLOSE in note)):
                opener, closer = core_hits.free_markers(text, note)
                marked_text, marked_note = _run(
                    conn, "SELECT highlight(search_fts, 1, ?, ?), highlight(search_fts, 2, ?, ?) FROM search_fts"
                    " WHERE search_fts MATCH ? AND rowid = ?", (opener, closer, opener, closer, query.fts, doc_id))[0]
            for field_name, value, marked in ((core_hits.TEXT, text, marked_text), (core_hits.MEMO, note, marked_note)):
                if marked is not None and core_hits.unmark(marked, opener, closer) == value:
                    regions = core_hits.marked_regions(marked, opener, closer)
                    if filtered:
                        regions = [r for r in regions if query.keeps(value[r[0] : r[1]])]
                else:  # highlight() cannot give this text back whole (a NUL in it): found here instead
                    regions = locate(value or "", query)
                if regions:
                    found += _labelled(core_hits.cut(doc_id, sha, title, date, value, regions, context, field_name),
                                       regions, spans.get(doc_id) if field_name == core_hits.TEXT else None)
        after = read[-1][0]
        done += len(read)
        if progress is not None:
            progress(done, total)
        yield found


def _regex_batches(conn: sqlite3.Connection, query: Query, context: int, cancelled: Callable[[], bool] | None,
                   progress: Progress | None, batch: int) -> Iterator[list[Row]]:
    total = int(conn.execute("SELECT count(*) FROM documents").fetchone()[0]) if progress is not None else 0
    after, done = 0, 0
    batch = max(batch, 256)
    while True:
        try:
            read = _run(conn, "SELECT id, sha256, title, date, text, note FROM documents WHERE id > ? ORDER BY id"
                        " LIMIT ?", (after, batch), cancelled)
        except _Stopped:
            return
        if not read:
            return
        spans: dict[int, list[tuple[int, int, str]]] | None = None
        found: list[Row] = []
        for doc_id, sha, title, date, text, note in read:
            if cancelled is not None and cancelled():
                return
            for field_name, value in ((core_hits.TEXT, text), (core_hits.MEMO, note)):
                if not value:
                    continue
                try:
                    regions = [m.span() for m in query.pattern.finditer(value, timeout=REGEX_TIMEOUT_S)
                               if m.end() > m.start()]  # an empty match marks nothing that could be labelled
                except TimeoutError:
                    raise AnnotatorError(
                        f"the regular expression takes too long on statement {doc_id} ({title[:60]!r}); "
                        "make it more specific (nested repeats such as (a+)+ can run for ever)") from None
                if not regions:
                    continue
                if spans is None:  # the batch's spans, once it has a hit in a text
                    try:
                        spans = _spans(conn, [r[0] for r in read], cancelled)
                    except _Stopped:
                        return
                found += _labelled(core_hits.cut(doc_id, sha, title, date, value, regions, context, field_name),
                                   regions, spans.get(doc_id) if field_name == core_hits.TEXT else None)
        after = read[-1][0]
        done += len(read)
        if progress is not None:
            progress(done, total)
        yield found


def _spans(conn: sqlite3.Connection, doc_ids: Sequence[int],
           cancelled: Callable[[], bool] | None = None) -> dict[int, list[tuple[int, int, str]]]:
    """The spans (start, end, label) of each of these statements that has any (``cancelled`` as in :func:`_run`)."""
    spans: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    sql = 'SELECT doc_id, start, "end", label FROM spans WHERE doc_id IN (SELECT value FROM json_each(?))'
    params = (orjson.dumps(sorted(doc_ids)).decode(),)
    # without ``cancelled`` (a label step's thread) the rows are taken as read, each freed as the next comes: a
    # list of a million of them, freed at once once read, held the GIL 10 ms in C (traced, issue #14)
    read = pacing.rows(conn.execute(sql, params)) if cancelled is None else _run(conn, sql, params, cancelled)
    for doc_id, start, end, label in read:
        spans[doc_id].append((start, end, label))
    return spans


def _labelled(cut: list[Row], regions: Sequence[tuple[int, int]],
              spans: list[tuple[int, int, str]] | None) -> list[Row]:
    """The hits ``cut`` from ``regions`` of one text with the labels of the ``spans`` that cover them (None: a memo,
    or a text without spans)."""
    if spans:
        for i, labels in core_hits.covered(spans, regions).items():
            cut[i] = (*cut[i][:-1], labels)
    return cut


def add_labels(conn: sqlite3.Connection, found: list[Hit]) -> list[Hit]:
    """The hits with the labels of the spans that cover them now (memo hits have none)."""
    return [Hit._make(row) for row in add_labels_rows(conn, [tuple(h) for h in found])]


_DOC_ID, _START, _END, _FIELD = (Hit._fields.index(f) for f in ("doc_id", "start", "end", "field"))


def add_labels_rows(conn: sqlite3.Connection, rows: list[Row]) -> list[Row]:
    """:func:`add_labels` on hits as plain tuples (what the Search dock keeps), each statement's hits at once
    (``core_hits.covered``): after a label key over 100 000 hits, a :class:`Hit` made and replaced for each, and
    each asked of every span of its statement, took 1.1 of the dock's 1.6 s on the window's thread."""
    out = [(*row[:-1], ()) for row in rows]
    by_doc: dict[int, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        if row[_FIELD] != core_hits.MEMO:
            by_doc[row[_DOC_ID]].append(i)
    spans = _spans(conn, list(by_doc))
    for doc_id, where in by_doc.items():
        found = spans.get(doc_id)
        if not found:
            continue
        where.sort(key=lambda i: rows[i][_START])
        for j, labels in core_hits.covered(found, [(rows[i][_START], rows[i][_END]) for i in where]).items():
            out[where[j]] = (*out[where[j]][:-1], labels)
    # freed a slice at a time in a paced thread: 300 000 span rows freed as the function returns held the GIL
    # 30-50 ms in C (a label step's thread at 100 000 hits, issue #14)
    pacing.drop(spans, by_doc)
    return out


def relabelled(conn: sqlite3.Connection, rows: Sequence[Row], doc_ids: Iterable[int]) -> list[Row]:
    """These hits (plain tuples), those in the texts of these statements with their labels read now: what a step
    labelling many hits reads in its own thread for the Search dock (at 100 000 hits, 1 s the dock's refresh no
    longer takes of the window's thread)."""
    out = list(rows)
    where = core_hits.in_texts(rows, set(doc_ids))
    for i, row in zip(where, add_labels_rows(conn, [rows[i] for i in where]), strict=True):
        out[i] = row
    return out


def keep(hit: Hit, labelled: str | None) -> bool:
    """The results filter (``core.search.hits.kept``) on a hit."""
    return core_hits.kept(hit.labels, hit.field, labelled)


def search_all(conn: sqlite3.Connection, query: Query, context: int = core_hits.CONTEXT,
               labelled: str | None = None) -> list[Hit]:
    return [h for found in hits(conn, query, context) for h in found if keep(h, labelled)]


def reader(path: Path) -> sqlite3.Connection:
    """A read-only connection to the user's own project for a search off the GUI thread (any thread may use it)."""
    return connection.beside_window(path, write=False)
