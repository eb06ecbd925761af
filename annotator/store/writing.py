"""How the project's rows are written: timestamps, the JSON cells of the history, label rows, and the bulk
import of documents with their spans (:meth:`Project.import_documents` and project creation hold the transaction).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import orjson

from annotator.core import codebook
from annotator.core.model import STATUSES, IncomingDocument, Label
from annotator.core.text import storable_problem
from annotator.errors import AnnotatorError
from annotator.store import ids, pair_counts, search_index, sentences
from annotator.store.docvars import write_document_variables
from annotator.store.label_matching import LabelMatcher, distinct_name, fold_label
from annotator.store.reconcile import reconcile


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def json_cell(obj: Any) -> str | None:
    """A history ``before``/``after`` cell: the object (a dataclass as its fields) as JSON text; None stays NULL.
    orjson writes a dataclass's fields itself, in their order, as ``dataclasses.asdict`` then ``dumps`` did, without
    the deep copy (1.5 % of a label key press on a 1 M-character statement)."""
    if obj is None:
        return None
    return orjson.dumps(obj).decode()


def write_labels(conn: sqlite3.Connection, labels: Iterable[Label], first_position: int = 0) -> None:
    """Insert or update labels, in codebook order from ``first_position``."""
    conn.executemany(
        "INSERT INTO labels (key, name, shortcut, color, description, position) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(key) DO UPDATE SET name = excluded.name, shortcut = excluded.shortcut,"
        " color = excluded.color, description = excluded.description, position = excluded.position",
        [(lb.key, lb.name, lb.shortcut, lb.color, lb.description, i) for i, lb in enumerate(labels, first_position)],
    )


def populate(conn: sqlite3.Connection, docs: list[IncomingDocument], user: str, source: str = "") -> dict[str, Any]:
    """Insert documents, their spans and any new labels; the caller holds the transaction.

    Records with the same text are one document (DESIGN.md §2.4): the first makes it (title, status), every
    record's spans go onto it. A text already in the project is not stored again, but the spans it brings are
    added to the document there. Spans are a multiset keyed by (start, end, label, annotator): a record's span is
    added unless the document already holds as many copies of it (from the project or an earlier record of the
    same text), in which case it is counted in ``present``. So importing a file twice adds nothing, the same span
    from two tasks is held once, and a record that itself holds a span twice keeps both.

    Returns ``{"imported": [titles], "duplicates": [titles of texts already here], "duplicate_of": [the titles
    they have here, in the same order], "extended": [those of them that
    received spans], "merged": records folded into an earlier record's document, "spans": n added,
    "extended_spans": n of them added to documents already here, "present": n, "by_annotator": {name: n added},
    "new_labels": [keys], "doc_ids": [ids of new documents]}``.
    """
    if conn.execute("SELECT 1 FROM labels LIMIT 1").fetchone() is None and conn.execute(
            "SELECT count(*) FROM documents").fetchone()[0] == 0:
        write_labels(conn, codebook.DEFAULT_LABELS)
    labels = LabelMatcher(conn)  # which label each span's is: store/label_matching.py
    stamp = now()
    result: dict[str, Any] = {
        "imported": [],
        "duplicates": [],
        "duplicate_of": [],
        "extended": [],
        "merged": 0,
        "spans": 0,
        "extended_spans": 0,
        "present": 0,
        "by_annotator": {},
        "new_labels": [],
        "label_read_as": {},
        "label_renamed": {},
        "filled_values": [],
        "differing_values": [],
        "doc_ids": [],
    }
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
    # one query per 500 texts for the documents already in the project
    known: dict[str, int] = {}
    known_titles: dict[int, str] = {}  # the title of each document already here, for the summary to name it
    distinct = list(dict.fromkeys(shas))
    for i in range(0, len(distinct), 500):
        chunk = distinct[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        for sha, found_id, found_title in conn.execute(
            f"SELECT sha256, id, title FROM documents WHERE sha256 IN ({marks})", chunk
        ):
            known[sha] = found_id
            known_titles[found_id] = found_title
    # ids as SQLite would give them one INSERT at a time (max + 1), but never one a deleted statement had: its undo
    # puts it back under it (``store/ids.py``); the caller holds the transaction
    next_id = ids.next_id(conn, "documents")
    doc_rows: list[tuple[Any, ...]] = []
    span_rows: list[tuple[Any, ...]] = []
    history_rows: list[tuple[Any, ...]] = []
    stored: list[tuple[int, IncomingDocument]] = []  # new documents, for their variables
    #: per document this import touches: the (start, end, label, annotator) it holds
    held: dict[int, Counter[tuple[int, int, str, str]]] = {}
    new_ids: set[int] = set()
    added_to: dict[int, int] = {}  # existing document id -> spans added to it
    titles: dict[int, str] = {}
    by_annotator: dict[str, int] = result["by_annotator"]
    repeated = {sha for sha, n in Counter(shas).items() if n > 1}
    existing: list[tuple[int, IncomingDocument]] = []  # records of statements already here, for reconcile
    for doc, sha in zip(docs, shas, strict=True):
        doc_id = known.get(sha)
        if doc_id is not None and doc_id not in new_ids:
            existing.append((doc_id, doc))
        if doc_id is None:
            doc_id = next_id
            next_id += 1
            known[sha] = doc_id
            new_ids.add(doc_id)
            status = doc.status if doc.status in STATUSES else ("in_progress" if doc.spans else "todo")
            doc_rows.append((doc_id, doc.title, doc.source or source, doc.text, len(doc.text), sha, status, stamp,
                             stamp, doc.date, doc.issuer.strip(), doc.url, doc.note))  # cv.parse_fixed's issuer
            stored.append((doc_id, doc))
            result["imported"].append(doc.title)
            result["doc_ids"].append(doc_id)
            history_rows.append(
                (
                    stamp,
                    user,
                    "import_document",
                    doc_id,
                    None,
                    None,
                    json_cell(
                        {"title": doc.title, "sha256": sha, "spans": len(doc.spans), "source": doc.source or source}
                    ),
                )
            )
            if sha not in repeated:  # the usual case: a text read once, new here: every span goes in as is
                for sp in doc.spans:
                    span_rows.append((doc_id, sp.start, sp.end, labels.key(sp.label), sp.annotator, sp.note, "",
                                      stamp, stamp))
                    by_annotator[sp.annotator] = by_annotator.get(sp.annotator, 0) + 1
                continue
            held[doc_id] = Counter()
        elif doc_id in new_ids:
            result["merged"] += 1
        elif doc_id not in held:
            held[doc_id] = Counter(
                conn.execute('SELECT start, "end", label, annotator FROM spans WHERE doc_id = ?', (doc_id,))
            )
            titles[doc_id] = doc.title
            result["duplicates"].append(doc.title)
            result["duplicate_of"].append(known_titles.get(doc_id, doc.title))
        else:
            result["merged"] += 1
        keys = held.setdefault(doc_id, Counter())
        used: Counter[tuple[int, int, str, str]] = Counter()
        for sp in doc.spans:
            label = labels.key(sp.label)
            key = (sp.start, sp.end, label, sp.annotator)
            used[key] += 1
            if used[key] <= keys[key]:
                result["present"] += 1
                continue
            keys[key] += 1
            span_rows.append((doc_id, sp.start, sp.end, label, sp.annotator, sp.note, "", stamp, stamp))
            by_annotator[sp.annotator] = by_annotator.get(sp.annotator, 0) + 1
            if doc_id not in new_ids:
                added_to[doc_id] = added_to.get(doc_id, 0) + 1
    # before the new spans go in: a span note is compared with the spans the statement held before this import
    values = reconcile(conn, existing, labels.key, stamp)
    result["filled_values"], result["differing_values"] = values["filled"], values["differs"]
    for doc_id, n in values["filled_in"].items():  # values the statement lacked, taken from the file
        history_rows.append((stamp, user, "import_values", doc_id, None, None,
                             json_cell({"filled": n, "source": source})))
    for doc_id, n in added_to.items():
        result["extended"].append(titles[doc_id])
        result["extended_spans"] += n
        history_rows.append(
            (stamp, user, "import_spans", doc_id, None, None, json_cell({"spans": n, "source": source}))
        )
    conn.executemany(
        "INSERT INTO documents (id, title, source, text, length, sha256, status, created, updated,"
        " date, issuer, url, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        doc_rows,
    )
    if doc_rows:
        search_index.index_new(conn, doc_rows[0][0])  # the full-text index, in the same transaction
    spanned = {row[0] for row in span_rows}
    # sentence starts of the statements getting their first spans (most imported ones have none: nothing to cut)
    sentences.ensure(conn, spanned, {row[0]: row[3] for row in doc_rows if row[0] in spanned})
    result["new_variables"] = write_document_variables(conn, stored, stamp)
    del doc_rows
    if added_to:  # a statement given spans is at least in progress, as a label in the window makes it
        conn.executemany("UPDATE documents SET updated = ?, status = CASE status WHEN 'todo' THEN 'in_progress'"
                         " ELSE status END WHERE id = ?", [(stamp, i) for i in added_to])
    result["new_labels"] = list(labels.new)
    result["label_read_as"] = labels.read_as_names()
    if result["new_labels"]:
        rows = conn.execute("SELECT key, name, shortcut, color, description FROM labels ORDER BY position")
        existing = [Label(*r) for r in rows]
        taken = {fold_label(lb.name) for lb in existing}
        added: list[Label] = []
        for key in result["new_labels"]:
            everything = existing + added
            name = distinct_name(key, key, taken)
            if name != key:
                result["label_renamed"][key] = name
            taken.add(fold_label(name))
            added.append(Label(key, name, codebook.free_shortcut(everything), codebook.next_color(everything), ""))
        write_labels(conn, added, first_position=len(existing))
    pair_counts.defer(conn, spanned)  # pairs counted in bulk below, not span by span
    first_span = ids.next_id(conn, "spans")  # never a deleted span's id: its undo puts it back under it
    conn.executemany(
        'INSERT INTO spans (id, doc_id, start, "end", label, annotator, note, origin, created, updated)'
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((first_span + i, *row) for i, row in enumerate(span_rows)),
    )
    pair_counts.recount_deferred(conn)
    result["spans"] = len(span_rows)
    conn.executemany(
        "INSERT INTO history (at, actor, action, doc_id, span_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
        history_rows,
    )
    return result


def merge_outcomes(total: dict[str, Any], more: dict[str, Any]) -> dict[str, Any]:
    """Two :func:`populate` results of one file read in batches, as one (``total`` is extended and returned)."""
    for key, value in more.items():
        if key == "by_annotator":
            for who, n in value.items():
                total[key][who] = total[key].get(who, 0) + n
        elif key == "new_labels":
            total[key] += [k for k in value if k not in total[key]]
        elif key in ("label_read_as", "label_renamed"):
            total[key].update(value)
        else:
            total[key] += value
    return total
