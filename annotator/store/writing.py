"""How the project's rows are written: timestamps, the JSON cells of the history, label rows, and the bulk
import of documents with their spans (:meth:`Project.import_documents` and project creation hold the transaction).
"""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import orjson

from annotator.core import codebook
from annotator.core.model import STATUSES, IncomingDocument, Label
from annotator.core.text import storable_problem
from annotator.errors import AnnotatorError
from annotator.store.docvars import write_document_variables


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def json_cell(obj: Any) -> str | None:
    """A history ``before``/``after`` cell: the object (a dataclass as its fields) as JSON text; None stays NULL."""
    if obj is None:
        return None
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        obj = dataclasses.asdict(obj)
    return orjson.dumps(obj).decode()


def write_labels(conn: sqlite3.Connection, labels: Iterable[Label], first_position: int = 0) -> None:
    """Insert or update labels, in codebook order from ``first_position``."""
    conn.executemany(
        "INSERT INTO labels (key, name, shortcut, color, description, position) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(key) DO UPDATE SET name = excluded.name, shortcut = excluded.shortcut,"
        " color = excluded.color, description = excluded.description, position = excluded.position",
        [(lb.key, lb.name, lb.shortcut, lb.color, lb.description, i) for i, lb in enumerate(labels, first_position)],
    )


def populate(
    conn: sqlite3.Connection, docs: list[IncomingDocument], user: str, source: str = ""
) -> dict[str, Any]:
    """Insert documents, their spans and any new labels; the caller holds the transaction."""
    labels = {r[0] for r in conn.execute("SELECT key FROM labels")}
    if not labels and conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0:
        write_labels(conn, codebook.DEFAULT_LABELS)
        labels = {lb.key for lb in codebook.DEFAULT_LABELS}
    stamp = now()
    result: dict[str, Any] = {"imported": [], "duplicates": [], "spans": 0, "new_labels": [], "doc_ids": []}
    # Every text is encoded once: the UTF-8 bytes both prove it storable (no lone surrogate) and give its hash.
    shas: list[str] = []
    for doc in docs:
        try:
            data = doc.text.encode("utf-8")
        except UnicodeEncodeError:
            data = None
        problem = (storable_problem(doc.text) if data is None else None) or storable_problem(doc.title)
        if problem or data is None:
            raise AnnotatorError(f"cannot store {doc.title!r}: {problem}")
        shas.append(hashlib.sha256(data).hexdigest())
    # one query per 500 texts for the duplicates already in the project
    known: set[str] = set()
    distinct = list(dict.fromkeys(shas))
    for i in range(0, len(distinct), 500):
        chunk = distinct[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        known.update(r[0] for r in conn.execute(f"SELECT sha256 FROM documents WHERE sha256 IN ({marks})", chunk))
    # ids as SQLite would give them one INSERT at a time (max + 1): the caller holds the transaction
    next_id = conn.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0] + 1
    doc_rows: list[tuple[Any, ...]] = []
    span_rows: list[tuple[Any, ...]] = []
    history_rows: list[tuple[Any, ...]] = []
    stored: list[tuple[int, IncomingDocument]] = []
    for doc, sha in zip(docs, shas, strict=True):
        if sha in known:
            result["duplicates"].append(doc.title)
            continue
        known.add(sha)
        status = doc.status if doc.status in STATUSES else ("in_progress" if doc.spans else "todo")
        doc_id = next_id
        next_id += 1
        doc_rows.append((doc_id, doc.title, doc.source or source, doc.text, len(doc.text), sha, status, stamp, stamp,
                         doc.date, doc.issuer, doc.url, doc.note))
        stored.append((doc_id, doc))
        result["imported"].append(doc.title)
        result["doc_ids"].append(doc_id)
        for sp in doc.spans:
            if sp.label not in labels:
                labels.add(sp.label)
                result["new_labels"].append(sp.label)
            span_rows.append((doc_id, sp.start, sp.end, sp.label, sp.annotator, sp.note, "", stamp, stamp))
        history_rows.append(
            (stamp, user, "import_document", doc_id, None, None,
             json_cell({"title": doc.title, "sha256": sha, "spans": len(doc.spans), "source": doc.source or source}))
        )
    conn.executemany(
        "INSERT INTO documents (id, title, source, text, length, sha256, status, created, updated,"
        " date, issuer, url, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        doc_rows,
    )
    result["new_variables"] = write_document_variables(conn, stored, stamp)
    del doc_rows
    if result["new_labels"]:
        rows = conn.execute("SELECT key, name, shortcut, color, description FROM labels ORDER BY position")
        existing = [Label(*r) for r in rows]
        added: list[Label] = []
        for key in result["new_labels"]:
            everything = existing + added
            added.append(Label(key, key, codebook.free_shortcut(everything), codebook.next_color(everything), ""))
        write_labels(conn, added, first_position=len(existing))
    conn.executemany(
        'INSERT INTO spans (doc_id, start, "end", label, annotator, note, origin, created, updated)'
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        span_rows,
    )
    result["spans"] = len(span_rows)
    conn.executemany(
        "INSERT INTO history (at, actor, action, doc_id, span_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
        history_rows,
    )
    return result
