"""Where each statement's sentences start (``sentence_starts``, schema v5): what co-occurrence "in the same
sentence" counts by (issue 12; the triggers that keep the counts are in ``schema._V5_CORPUS``).

The sentences are those of :func:`annotator.core.suggest.segment.sentences` (the units suggestions cover), so a
sentence means one thing across the app. The first sentence of a statement starts its text and is not stored (most
short statements need no row). A span belongs to the last sentence starting at or before its start
(:func:`sentence_of`).

Only a statement that holds spans needs its starts, so they are written when it gets its first span, by every
writer of spans, before the insert (whose triggers read them): :func:`ensure`. An import of statements without
spans (most of one) cuts nothing: cutting every statement and storing ~48 rows each tripled an import's time. A
statement's text never changes, so its starts, once written, stay right (also when its spans are all deleted).
:func:`fill` writes them for a project made before v5, in batches. ``annotator check`` finds a statement with spans
whose starts were never written (:func:`uncut`).
"""

from __future__ import annotations

import bisect
import sqlite3
from collections.abc import Iterable, Mapping

import orjson

from annotator.core.suggest.segment import sentences

#: statements read and written per batch by :func:`fill` (their texts are in memory at once)
BATCH = 500


def starts(text: str) -> list[int]:
    """The starts of ``text``'s sentences after the first, in order."""
    return [start for start, _end in sentences(text)[1:]]


def sentence_of(text_starts: list[int], start: int) -> int:
    """The key of the sentence a span starting at ``start`` is in: its sentence's start (0 for the first)."""
    i = bisect.bisect_right(text_starts, start)
    return text_starts[i - 1] if i else 0


def index_new(conn: sqlite3.Connection, docs: Iterable[tuple[int, str]]) -> None:
    """Write the sentence starts of statements that have none stored, given as (id, text)."""
    conn.executemany("INSERT INTO sentence_starts (doc_id, start) VALUES (?, ?)",
                     ((doc_id, s) for doc_id, text in docs for s in starts(text)))


#: of the given statements, those without spans and without stored starts: never cut (or of one sentence, which
#: stores nothing: cut again, for nothing, when their first span comes)
_UNCUT = """SELECT d.id FROM documents d WHERE d.id IN (SELECT value FROM json_each(?))
    AND NOT EXISTS (SELECT 1 FROM spans s INDEXED BY spans_by_doc WHERE s.doc_id = d.id)
    AND NOT EXISTS (SELECT 1 FROM sentence_starts t WHERE t.doc_id = d.id)"""


def ensure(conn: sqlite3.Connection, doc_ids: Iterable[int], texts: Mapping[int, str] | None = None) -> None:
    """Write the sentence starts of those of ``doc_ids`` about to get their first span (call before inserting the
    spans, in the same transaction). ``texts`` may give some statements' texts (an import has them in memory); the
    others are read."""
    ids = sorted(set(doc_ids))
    if not ids:
        return
    first = [i for (i,) in conn.execute(_UNCUT, (orjson.dumps(ids).decode(),))]
    if not first:
        return
    known = texts or {}
    missing = [i for i in first if i not in known]
    read = dict(conn.execute("SELECT id, text FROM documents WHERE id IN (SELECT value FROM json_each(?))",
                             (orjson.dumps(missing).decode(),))) if missing else {}
    index_new(conn, ((i, known[i] if i in known else read[i]) for i in first))


def fill(conn: sqlite3.Connection) -> None:
    """Write the sentence starts of every statement with spans already in the project (the v5 migration; the
    caller holds the transaction): :data:`BATCH` statements at a time, by id, so memory stays flat whatever the
    project's size."""
    after = 0
    while True:
        batch = conn.execute("SELECT id, text FROM documents d WHERE id > ? AND EXISTS (SELECT 1 FROM spans s"
                             " WHERE s.doc_id = d.id) ORDER BY id LIMIT ?", (after, BATCH)).fetchall()
        if not batch:
            return
        index_new(conn, batch)
        after = batch[-1][0]


#: statements with spans but no stored starts: of one sentence, or cut by no one (a writer that skipped ensure)
_SPANNED_UNCUT = """SELECT d.id, d.text FROM documents d
    WHERE EXISTS (SELECT 1 FROM spans s INDEXED BY spans_by_doc WHERE s.doc_id = d.id)
    AND NOT EXISTS (SELECT 1 FROM sentence_starts t WHERE t.doc_id = d.id)"""


def uncut(conn: sqlite3.Connection) -> int:
    """How many statements hold spans but not their sentence starts (``annotator check``; read-only): those of
    one sentence are cut again to tell."""
    return sum(1 for _doc_id, text in conn.execute(_SPANNED_UNCUT) if starts(text))
