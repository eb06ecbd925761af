"""Retrieve labelled spans across the corpus (issue 12): by label, annotator, text, note and any document variable,
or the spans of one cell of a label × group table; of the statements a status choice counts (D15); written as CSV.

Text and note match as case-folded substrings (Unicode: "évian" finds "ÉVIAN"; SQLite's own ``lower()`` folds ASCII
only, so the connection gets a ``casefold`` function for the query). A variable filter is an exact value.
"""

from __future__ import annotations

import csv
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core import variables as cv
from annotator.core.neutral import csv_row
from annotator.errors import AnnotatorError
from annotator.formats.common import output_file
from annotator.store import corpus, counting
from annotator.store.docvars import definitions_of

COLUMNS = ("span_id", "doc_id", "title", "date", "issuer", "start", "end", "label", "text", "annotator", "note")


@dataclass(frozen=True)
class SpanQuery:
    """What to retrieve; an empty field does not filter."""

    labels: tuple[str, ...] = ()
    annotator: str = ""
    text: str = ""
    note: str = ""
    variables: dict[str, Any] = field(default_factory=dict)  # name (date, issuer, ..., or own) -> exact value
    groups: tuple[tuple[str, Any], ...] = ()  # (grouping, key): the statements of one group (a table's cell)
    status: str = counting.ALL  # the statements counted by status (a choice of ``counting.CHOICES``)


def _fold(value: Any) -> str | None:
    return value.casefold() if isinstance(value, str) else None


def _where(conn: sqlite3.Connection, q: SpanQuery) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    if q.labels:
        parts.append(f"+s.label IN ({','.join('?' * len(q.labels))})")  # unary +: seek by statement, not label
        params += q.labels
    if q.annotator:
        parts.append("s.annotator = ?")
        params.append(q.annotator)
    if q.text:
        conn.create_function("annotator_fold", 1, _fold, deterministic=True)
        parts.append('instr(annotator_fold(substr(d.text, s.start + 1, s."end" - s.start)), ?) > 0')
        params.append(q.text.casefold())
    if q.note:
        conn.create_function("annotator_fold", 1, _fold, deterministic=True)
        parts.append("instr(annotator_fold(s.note), ?) > 0")
        params.append(q.note.casefold())
    own = {v.name: v for v in definitions_of(conn)}
    for name, value in q.variables.items():
        if name in cv.FIXED:
            parts.append(f"d.{name} = ?")
            params.append(value)
        elif name in own:
            parts.append("s.doc_id IN (SELECT doc_id FROM document_values WHERE variable = ? AND value = ?)")
            params += [name, cv.to_store(own[name].type, value)]
        else:
            raise AnnotatorError(f"no variable {name!r} in this project")
    for by, key in q.groups:
        sql, group_params = corpus.group_filter(conn, by, key)
        parts.append(sql)
        params += group_params
    kept, status_params = counting.counting(conn, q.status).condition("s.doc_id")
    if kept:
        parts.append(kept)
        params += status_params
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


def _select(conn: sqlite3.Connection, q: SpanQuery) -> tuple[str, list[Any]]:
    where, params = _where(conn, q)
    sql = ('SELECT s.id, s.doc_id, d.title, d.date, d.issuer, s.start, s."end", s.label, '
           'substr(d.text, s.start + 1, s."end" - s.start), s.annotator, s.note '
           f"FROM spans s JOIN documents d ON d.id = s.doc_id{where} ORDER BY s.doc_id, s.start, s.\"end\", s.label")
    return sql, params


def spans(conn: sqlite3.Connection, q: SpanQuery, limit: int | None = None) -> list[tuple[Any, ...]]:
    """The spans ``q`` selects, as rows of :data:`COLUMNS`, in statement order; at most ``limit``."""
    sql, params = _select(conn, q)
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return conn.execute(sql, params).fetchall()


def count(conn: sqlite3.Connection, q: SpanQuery) -> int:
    where, params = _where(conn, q)
    return int(conn.execute(f"SELECT count(*) FROM spans s JOIN documents d ON d.id = s.doc_id{where}",
                            params).fetchone()[0])


def write_csv(conn: sqlite3.Connection, q: SpanQuery, target: str | Path | None) -> int:
    """Write every span ``q`` selects as CSV (cells neutralised, temp file renamed into place); rows written."""
    sql, params = _select(conn, q)
    n = 0
    with output_file(target, "w") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for row in conn.execute(sql, params):
            writer.writerow(csv_row(row))
            n += 1
    return n
