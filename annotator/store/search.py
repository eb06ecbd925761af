"""Searching the statements (issue 12): the full-text index (``search_fts``, schema v4) for words, phrases,
prefixes, OR/NOT/NEAR, and a scan for regular expressions; both give :class:`~annotator.core.search.hits.Hit`
batches in statement (id) order, so the first page is ready long before the last.

Offsets are found in the statements themselves: FTS5 marks each matched token run with ``highlight()`` (its own
tokenizer and folding, so the hits are exactly what the index matched) and the marks are read back as code points.
Each hit carries the labels of the spans that cover it (for "not yet labelled" / "labelled with L").

A long statement is marked a piece at a time (:func:`_long_regions`): SQLite's ``highlight()`` builds its answer by
copying all it has written so far at every mark, so its cost grows with hits × length -- one statement of 1.4 MB
with 30 000 hits took 1.5 s, of 2.8 MB with 60 000 5.8 s, of 28.5 MB with 300 000 7 min (measured, SQLite 3.40).
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from annotator import pacing
from annotator.core import intervals
from annotator.core.search import hits as core_hits
from annotator.core.search.hits import Hit
from annotator.core.search.query import REGEX_TIMEOUT_S, Query, fts_text, fts_tree, locate
from annotator.core.search.reach import most_tokens, near_phrases, reach, reach_end, sure_terms
from annotator.errors import AnnotatorError
from annotator.store import connection, search_index

#: statements read in the first batch (a first page of hits), then twice as many each batch up to :data:`BATCH`
FIRST_BATCH = 16
BATCH = 64
_OPEN, _CLOSE = "\ufdd0", "\ufdd1"  # noncharacters: a statement holding one is highlighted again with others
#: a text longer than this (characters) is marked :data:`PIECE` characters at a time, not by one ``highlight()``
LONG = 32_768
PIECE = 16_384
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


def _marked() -> str:
    """The marked text and memo of a statement, neither marked when long (:func:`_long_regions` marks it)."""
    return (f"CASE WHEN length(d.text) > {LONG} THEN NULL ELSE highlight(search_fts, 1, ?, ?) END,"
            f" CASE WHEN length(d.note) > {LONG} THEN NULL ELSE highlight(search_fts, 2, ?, ?) END")


def _fts_batches(conn: sqlite3.Connection, query: Query, context: int, cancelled: Callable[[], bool] | None,
                 progress: Progress | None, batch: int) -> Iterator[list[Row]]:
    check(conn, query)
    total = statements_matching(conn, query) if progress is not None else 0
    after, done, size = 0, 0, min(FIRST_BATCH, batch)
    sql = (f"SELECT f.rowid, d.sha256, d.title, d.date, d.text, d.note, {_marked()} FROM search_fts f"
           " JOIN documents d ON d.id = f.rowid WHERE search_fts MATCH ? AND f.rowid > ? ORDER BY f.rowid LIMIT ?")
    pieces: search_index.Scratch | None = None
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
                marked_text, marked_note = _run(conn, f"SELECT {_marked()} FROM search_fts f JOIN documents d ON"
                                                " d.id = f.rowid WHERE search_fts MATCH ? AND f.rowid = ?",
                                                (opener, closer, opener, closer, query.fts, doc_id))[0]
            for field_name, value, marked in ((core_hits.TEXT, text, marked_text), (core_hits.MEMO, note, marked_note)):
                doc_spans = spans.get(doc_id) if field_name == core_hits.TEXT else None
                if value and len(value) > LONG:
                    if found:  # the hits before it show now, not after the whole of a long statement
                        yield found
                        found = []
                    if pieces is None:
                        pieces = search_index.Scratch()
                    try:
                        for regions in _long_regions(conn, pieces, query, doc_id, value, field_name, cancelled):
                            yield _labelled(core_hits.cut(doc_id, sha, title, date, value, regions, context,
                                                          field_name), regions, doc_spans)
                    except _Stopped:
                        return
                    continue
                regions = _regions(value, marked, opener, closer, query)
                if regions:
                    found += _labelled(core_hits.cut(doc_id, sha, title, date, value, regions, context, field_name),
                                       regions, doc_spans)
        after = read[-1][0]
        done += len(read)
        if progress is not None:
            progress(done, total)
        yield found


def _regions(value: str | None, marked: str | None, opener: str, closer: str, query: Query) -> list[tuple[int, int]]:
    """The hits' regions in a text (or memo) from ``highlight()``'s marks."""
    if marked is not None and core_hits.unmark(marked, opener, closer) == value:
        regions = core_hits.marked_regions(marked, opener, closer)
        if query.exact_diacritics:  # only then does a region FTS5 marked need a second look
            regions = [r for r in regions if query.keeps(value[r[0] : r[1]])]
        return regions
    return locate(value or "", query)  # highlight() cannot give this text back whole (a NUL in it): found here


# -- a long statement, a piece at a time ---------------------------------------------------------------------------

_SPACE = re.compile(r"\s")


def _long_regions(conn: sqlite3.Connection, pieces: search_index.Scratch, query: Query, doc_id: int, value: str,
                  field_name: str, cancelled: Callable[[], bool] | None) -> Iterator[list[tuple[int, int]]]:
    """The regions ``highlight()`` marks in a long text or memo, in order, a growing batch at a time (the first
    page of a statement of 300 000 hits shows at once). Each piece of :data:`PIECE` characters, ended at a space and
    reaching as many tokens into the next as the longest match of its phrases and NEAR groups may have after its
    first (``core.search.reach``), is marked alone with the phrases and NEAR groups FTS5 marks in this statement
    (:func:`_live`), and what overlaps is joined, as ``highlight()`` joins overlapping hits: linear in the hits
    (``annotator search`` of 60 000 hits in 2.8 MB: 5.8 s by one ``highlight()``, 0.56 s so; 600 000 in 28 MB:
    5.5 s). A match lies whole in the piece it starts in, and FTS5 marks a NEAR group's phrases wherever they are near
    (each starts at most its length and the distance before the last one), so the pieces mark what the whole text
    would. A piece is longer for a long reach (a NEAR group of distance 5 000), so that it is not mostly its reach. A
    query read otherwise than FTS5 reads it, or a text holding a NUL, is marked whole."""
    live = None if "\x00" in value else _live(conn, query, doc_id)
    if live is None:
        opener, closer = core_hits.free_markers(value)
        column = 1 if field_name == core_hits.TEXT else 2
        marked = _run(conn, f"SELECT highlight(search_fts, {column}, ?, ?) FROM search_fts WHERE search_fts MATCH ?"
                      " AND rowid = ?", (opener, closer, query.fts, doc_id))
        yield _regions(value, marked[0][0] if marked else None, opener, closer, query)
        return
    if not live:
        return
    # a NEAR group with a phrase of several words alone: beside others, FTS5 may mark its phrases in a piece where
    # it does not hold (see _live; a one-word phrase it takes as found wherever the piece has the word)
    alone = [p for p in live if any(most_tokens(q) != 1 for q in near_phrases(p))]
    matches = [m for m in (" OR ".join(p for p in live if p not in alone), *alone) if m]
    tokens = reach(live)
    size = max(PIECE, 16 * tokens)  # a piece mostly its own, not its reach into the next
    opener, closer = (_OPEN, _CLOSE) if _OPEN not in value and _CLOSE not in value else core_hits.free_markers(value)
    done: list[tuple[int, int]] = []
    pending: list[tuple[int, int]] = []  # regions a later piece may still join
    start, want = 0, FIRST_BATCH * 4
    while start < len(value):
        if cancelled is not None and cancelled():
            raise _Stopped
        end = _piece_end(value, start, size)
        stop = reach_end(value, end, tokens)
        for match in matches:
            marked = pieces.mark(value[start:stop], match, opener, closer)
            if marked is not None:
                pending = intervals.joined(pending + [(start + s, start + e) for s, e in
                                             core_hits.marked_regions(marked, opener, closer)])
        kept = next((k for k, r in enumerate(pending) if r[1] > end), len(pending))  # those ending before the
        done += pending[:kept]  # next piece's start are final
        del pending[:kept]
        start = end
        if len(done) >= want:
            yield _kept(done, value, query)
            done, want = [], min(want * 2, BATCH * 64)
    done += pending
    if done:
        yield _kept(done, value, query)


def _piece_end(value: str, start: int, size: int = 0) -> int:
    """Where a piece from ``start`` ends: at a space about :data:`PIECE` (or ``size``, if more) characters on (no
    token crosses a space)."""
    size = max(size, PIECE)
    end = start + size
    if end >= len(value):
        return len(value)
    at = max(value.rfind(" ", start + size // 2, end), value.rfind("\n", start + size // 2, end))
    if at > start:
        return at
    space = _SPACE.search(value, end)  # no space for half a piece: the next one
    return space.start() if space else len(value)


def _kept(regions: list[tuple[int, int]], value: str, query: Query) -> list[tuple[int, int]]:
    return [r for r in regions if query.keeps(value[r[0] : r[1]])] if query.exact_diacritics else regions


def _live(conn: sqlite3.Connection, query: Query, doc_id: int) -> list[str] | None:
    """The phrases and NEAR groups (as FTS5 strings) whose hits ``highlight()`` marks in this statement: FTS5 marks
    a phrase only where every operator above it holds ("(a AND w) OR c" marks only c in a statement without w; "a NOT
    b" never b), and a NEAR group's phrases only where they are near. Read from the query's tree (a NEAR group one
    leaf, as a phrase), each leaf asked of the index for this statement. None for a query read otherwise than FTS5
    reads it, or where FTS5 may mark otherwise (SQLite 3.40, tried; the text is then marked whole):

    - a NEAR group that does not hold, where the statement has all its words: FTS5 tests its phrases in turn, stops
      at the first the statement does not hold, and leaves the others as they were, which ``highlight()`` marks
      beside a branch that holds ("NEAR(korea "nuclear test") OR sanctions" marks every korea in a statement saying
      nuclear and test apart; a phrase after the one it stopped at, where it was in an earlier statement);
    - "a NOT b" whose a no statement from this one on holds: FTS5 never moves b on, and marks it ("sanctions OR
      (typo NOT korea)" marks korea).
    """
    tree = fts_tree(query.text)
    if tree is None:
        return None
    asked: dict[tuple[str, str], bool] = {}
    stray = False

    def has(match: str, rows: str = "=") -> bool:
        if (match, rows) not in asked:
            asked[match, rows] = bool(_run(conn, "SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts"
                                           f" MATCH ? AND rowid {rows} ? LIMIT 1)", (match, doc_id))[0][0])
        return asked[match, rows]

    def holds(node: Any) -> tuple[bool, list[str]]:
        nonlocal stray
        if isinstance(node, str):
            found, phrases = has(f"{{text note}} : ({node})"), near_phrases(node)
            if not found and len(phrases) > 1 and not stray:
                # FTS5 tests the phrases where the statement has all the group's words: asked in any column, and
                # only those sure to be one word each, so that a statement where it may is never taken for one it is not
                held, words = [has(f"{{text note}} : ({p})") for p in phrases], sure_terms(node)
                stray = not all(held) and (not words or has(" AND ".join(words)))
            return found, [node] if found else []
        results = [holds(child) for child in node[1:]]
        if node[0] == "OR":
            return any(r[0] for r in results), [p for r in results for p in r[1]]
        if node[0] == "NOT" and not results[0][0] and not stray:
            stray = not has(f"{{text note}} : ({fts_text(node[1])})", ">=")
        true = all(r[0] for r in results) if node[0] == "AND" else results[0][0] and not results[1][0]
        return true, ([p for r in (results if node[0] == "AND" else results[:1]) for p in r[1]] if true else [])

    true, live = holds(tree)
    return live if true and not stray else None


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
