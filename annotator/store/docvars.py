"""Writing an import's document variables and provenance (schema v3), inside the import's transaction.

Values come validated by the readers (``core.variables``); a variable the project lacks is added with the type its
values suggest, as an import adds an unknown label, and the import reports it.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from typing import Any

from annotator.core import variables as cv
from annotator.core.model import Document, IncomingDocument
from annotator.core.variables import Variable
from annotator.errors import AnnotatorError

_WHOLE = re.compile(r"\s*[+-]?\d+\s*")


def _beyond_int64(value: Any) -> bool:
    """Whether ``value`` is (a JSON integer or a text cell spelling) a whole number SQLite cannot store."""
    if isinstance(value, str) and _WHOLE.fullmatch(value):
        if len(value.strip().lstrip("+-")) > 19:  # int() of 4 301 digits or more raises: longer than 19 is beyond
            return True
        value = int(value)
    return isinstance(value, int) and not isinstance(value, bool) and not -cv.MAX_WHOLE - 1 <= value <= cv.MAX_WHOLE


def guess_type(values: list[Any], cells: bool = True) -> str:
    """``core.variables.guess_type``, except that a column holding a whole number beyond 64 bits (an identifier
    such as 12345678901234567890, which no number variable can hold exactly) is text, kept digit for digit."""
    if any(_beyond_int64(v) for v in values):
        return "text"
    return cv.guess_type(values, cells=cells)


def document_of(row: tuple[Any, ...], variables: dict[str, Any]) -> Document:
    """A document from a row of ``project._DOC_COLUMNS`` (id, title, source, text, sha256, status, date, issuer,
    url, note) and its own variables."""
    return Document(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9], variables)


def definitions_of(conn: sqlite3.Connection) -> list[Variable]:
    return [Variable(n, t) for n, t in conn.execute("SELECT name, type FROM variables ORDER BY position, name")]


def values_of(conn: sqlite3.Connection, doc_ids: Sequence[int] | None = None) -> dict[int, dict[str, Any]]:
    """Each document's own-variable values (in their type), by document id; only those of ``doc_ids`` when given
    (one statement, or a screen of the Documents list: one query)."""
    types = {v.name: v.type for v in definitions_of(conn)}
    if not types:
        return {}
    sql = "SELECT v.doc_id, v.variable, v.value FROM document_values v JOIN variables d ON d.name = v.variable"
    params: list[int] = []
    if doc_ids is not None:
        sql, params = sql + f" WHERE v.doc_id IN ({', '.join('?' * len(doc_ids))})", list(doc_ids)
    out: dict[int, dict[str, Any]] = {}
    for doc, name, value in conn.execute(sql + " ORDER BY v.doc_id, d.position", params):
        out.setdefault(doc, {})[name] = cv.from_store(types[name], value)
    return out


def write_document_variables(
    conn: sqlite3.Connection, stored: list[tuple[int, IncomingDocument]], stamp: str
) -> list[str]:
    """The project variables' values and the provenance of the documents just inserted; returns the names of the
    variables added to the project."""
    provenance = [
        (doc_id, p.file_name, p.file_sha256, p.extractor, p.extractor_version, stamp)
        for doc_id, doc in stored
        if (p := doc.provenance) is not None
    ]
    if provenance:
        conn.executemany(
            "INSERT INTO imports (doc_id, file_name, file_sha256, extractor, extractor_version, imported)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            provenance,
        )
    if not any(doc.variables for _, doc in stored):
        return []
    existing = {n: t for n, t in conn.execute("SELECT name, type FROM variables")}
    lowered = {n.lower(): n for n in existing}
    seen: dict[str, list[Any]] = {}
    for _, doc in stored:
        for name, value in doc.variables.items():
            seen.setdefault(lowered.get(name.lower(), name), []).append(value)
    added = [n for n in seen if n not in existing]
    if added:
        position = conn.execute("SELECT coalesce(max(position) + 1, 0) FROM variables").fetchone()[0]
        new = [cv.Variable(n, guess_type(seen[n], cells=False)) for n in added]
        problems = cv.definition_problems([cv.Variable(n, t) for n, t in existing.items()] + new)
        if problems:
            raise AnnotatorError("cannot add the document variables", problems)
        conn.executemany(
            "INSERT INTO variables (name, type, position) VALUES (?, ?, ?)",
            [(v.name, v.type, position + i) for i, v in enumerate(new)],
        )
        existing.update((v.name, v.type) for v in new)
    rows = []
    for doc_id, doc in stored:
        for raw_name, raw in doc.variables.items():
            name = lowered.get(raw_name.lower(), raw_name)
            try:
                value = cv.parse_value(existing[name], raw)
            except ValueError as exc:
                raise AnnotatorError(f"cannot store {doc.title!r}: variable {name!r}: {exc}") from None
            if value is not None:
                rows.append((doc_id, name, cv.to_store(existing[name], value)))
    conn.executemany("INSERT INTO document_values (doc_id, variable, value) VALUES (?, ?, ?)", rows)
    return added
