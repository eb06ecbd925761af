"""Counting co-occurring pairs of spans in bulk (``overlap_pairs``, ``sentence_pairs``, schema v5; issue 12).

Triggers on ``spans`` keep the counts span by span (``schema._V5_CORPUS``). An import writes many spans at once: it
lists the statements it adds spans to in ``pairs_deferred`` (:func:`defer`), which the triggers skip, and counts
those statements' pairs afresh in one query per kind before it commits (:func:`recount_deferred`): a range join
whose cost follows the pairs, where span by span each insert would scan the spans that might reach it (the square
of a dense statement's spans). The v5 migration counts every statement this way (:func:`recount_all`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

import orjson

_DEFER = "INSERT OR IGNORE INTO pairs_deferred (doc_id) SELECT value FROM json_each(?)"
_DEFER_ALL = "INSERT OR IGNORE INTO pairs_deferred (doc_id) SELECT DISTINCT doc_id FROM spans"
_FORGET_OVERLAP = "DELETE FROM overlap_pairs WHERE doc_id IN (SELECT doc_id FROM pairs_deferred)"
_FORGET_SENTENCE = "DELETE FROM sentence_pairs WHERE doc_id IN (SELECT doc_id FROM pairs_deferred)"
#: each overlapping pair once: b starts inside a (ties of start by id), both from the covering index
_COUNT_OVERLAP = """INSERT INTO overlap_pairs (doc_id, x, y, pairs)
    SELECT a.doc_id, min(a.label, b.label), max(a.label, b.label), count(*)
    FROM pairs_deferred d JOIN spans a INDEXED BY spans_by_doc ON a.doc_id = d.doc_id
    JOIN spans b INDEXED BY spans_by_doc
      ON b.doc_id = a.doc_id AND b.start >= a.start AND b.start < a."end" AND (b.start > a.start OR b.id > a.id)
    GROUP BY 1, 2, 3"""
#: each pair once (by id) of the spans whose starts fall in one sentence (the last sentence start at or before it)
_COUNT_SENTENCE = """INSERT INTO sentence_pairs (doc_id, x, y, pairs)
    WITH keyed AS MATERIALIZED (
        SELECT s.id, s.doc_id, s.label, coalesce((SELECT t.start FROM sentence_starts t WHERE t.doc_id = s.doc_id
            AND t.start <= s.start ORDER BY t.start DESC LIMIT 1), 0) AS sentence
        FROM pairs_deferred d JOIN spans s INDEXED BY spans_by_doc ON s.doc_id = d.doc_id)
    SELECT a.doc_id, min(a.label, b.label), max(a.label, b.label), count(*)
    FROM keyed a JOIN keyed b ON b.doc_id = a.doc_id AND b.sentence = a.sentence AND b.id > a.id
    GROUP BY 1, 2, 3"""
_DONE = "DELETE FROM pairs_deferred"


def defer(conn: sqlite3.Connection, doc_ids: Iterable[int]) -> None:
    """Leave the counting of these statements' pairs to :func:`recount_deferred` (same transaction)."""
    conn.execute(_DEFER, (orjson.dumps(sorted(set(doc_ids))).decode(),))


def recount_deferred(conn: sqlite3.Connection) -> None:
    """Count the pairs of the deferred statements afresh, and end their deferral."""
    if conn.execute("SELECT 1 FROM pairs_deferred LIMIT 1").fetchone() is None:
        return
    conn.execute(_FORGET_OVERLAP)
    conn.execute(_FORGET_SENTENCE)
    conn.execute(_COUNT_OVERLAP)
    conn.execute(_COUNT_SENTENCE)
    conn.execute(_DONE)


def recount_all(conn: sqlite3.Connection) -> None:
    conn.execute(_DEFER_ALL)
    recount_deferred(conn)


def pending(conn: sqlite3.Connection) -> int:
    """Statements left deferred (none, outside a writing transaction: a count that stayed behind is damage)."""
    return int(conn.execute("SELECT count(*) FROM pairs_deferred").fetchone()[0])


#: every statement's counts afresh, as rows (doc_id, x, y, pairs), for :func:`differing` to hold the kept ones to
_ALL = "(SELECT id AS doc_id FROM documents) d"
_RECOUNT_OVERLAP = _COUNT_OVERLAP.split("\n", 1)[1].replace("pairs_deferred d", _ALL)
_RECOUNT_SENTENCE = _COUNT_SENTENCE.split("\n", 1)[1].replace("pairs_deferred d", _ALL)
_DIFFER_OVERLAP = ("SELECT count(DISTINCT doc_id) FROM (SELECT * FROM (" + _RECOUNT_OVERLAP
                   + ") EXCEPT SELECT doc_id, x, y, pairs FROM overlap_pairs UNION ALL SELECT * FROM ("
                   + "SELECT doc_id, x, y, pairs FROM overlap_pairs EXCEPT SELECT * FROM (" + _RECOUNT_OVERLAP + ")))")
_DIFFER_SENTENCE = ("SELECT count(DISTINCT doc_id) FROM (SELECT * FROM (" + _RECOUNT_SENTENCE
                    + ") EXCEPT SELECT doc_id, x, y, pairs FROM sentence_pairs UNION ALL SELECT * FROM ("
                    + "SELECT doc_id, x, y, pairs FROM sentence_pairs EXCEPT SELECT * FROM (" + _RECOUNT_SENTENCE
                    + ")))")


def differing(conn: sqlite3.Connection) -> dict[str, int]:
    """How many statements' kept pair counts differ from a recount, per kind (``annotator check``; read-only)."""
    return {"overlap": int(conn.execute(_DIFFER_OVERLAP).fetchone()[0]),
            "sentence": int(conn.execute(_DIFFER_SENTENCE).fetchone()[0])}
