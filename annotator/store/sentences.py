"""Where each statement's sentences start (``sentence_starts``, schema v5): what co-occurrence "in the same
sentence" counts by (issue 12; the triggers that keep the counts are in ``schema._V5_CORPUS``).

The sentences are those of :func:`annotator.core.suggest.segment.sentences` (the units suggestions cover), so a
sentence means one thing across the app. The first sentence of a statement starts its text and is not stored (most
short statements need no row). A span belongs to the last sentence starting at or before its start
(:func:`sentence_of`). A statement's text never changes, so its starts are written once, with it, in the import's
transaction (:func:`index_new`); :func:`fill` writes them for a project made before v5, in batches.
"""

from __future__ import annotations

import bisect
import sqlite3
from collections.abc import Iterable

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
    """Write the sentence starts of new statements, given as (id, text), before any of their spans are written."""
    conn.executemany("INSERT INTO sentence_starts (doc_id, start) VALUES (?, ?)",
                     ((doc_id, s) for doc_id, text in docs for s in starts(text)))


def fill(conn: sqlite3.Connection) -> None:
    """Write the sentence starts of every statement already in the project (the v5 migration; the caller holds the
    transaction): :data:`BATCH` statements at a time, by id, so memory stays flat whatever the project's size."""
    after = 0
    while True:
        batch = conn.execute("SELECT id, text FROM documents WHERE id > ? ORDER BY id LIMIT ?",
                             (after, BATCH)).fetchall()
        if not batch:
            return
        index_new(conn, batch)
        after = batch[-1][0]
