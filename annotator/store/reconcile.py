"""What an import says of a statement already in the project whose file disagrees with it (trial 13, F10).

A record whose text is already in the project adds its new spans (``writing.populate``); its date, issuer, URL,
memo, variables and the notes of spans the statement already holds are compared with the project's here, inside
the import's transaction:

- the project's values are never overwritten: a value the file states that differs from a non-empty one in the
  project is not taken, and the summary names it (statement, field, the file's value, the project's);
- a value the project lacks (empty date, issuer, URL or memo, a variable without a value, a span's empty note) is
  taken from our own ``jsonl`` (and Prodigy's ``db-out``, which our export also is), as README promises ("an
  import of our jsonl restores meta.date, issuer, url, note and variables"), and the summary says what was filled.
  From other files (a saved page read again, a brat folder) it is named as not taken: an extractor's guess would
  otherwise undo a value the analyst cleared by hand.

A file's empty value says nothing (most readers leave what they do not know empty), so it is never a difference.
Titles and statuses are left alone: the "skipped … (there as …)" line names a title that differs, and a file's status
is the exporter's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from annotator.core import variables as cv
from annotator.core.model import IncomingDocument
from annotator.store.docvars import definitions_of, values_of, write_document_variables

#: the readers whose values are the project's own data, restored where the project has none
RESTORING = frozenset({"jsonl", "prodigy"})
FIELDS = (("date", "date"), ("issuer", "issuer"), ("url", "URL"), ("note", "memo"))


def reconcile(conn: sqlite3.Connection, pairs: list[tuple[int, IncomingDocument]], label_of: Callable[[str], str],
              stamp: str) -> dict[str, Any]:
    """Compare each (existing document id, record) and fill what may be filled; returns ``{"filled": [(title,
    field, value)], "differs": [(title, field, file's value, project's value)], "filled_in": {doc id: n}}`` (title:
    the project's)."""
    filled: list[tuple[str, ...]] = []
    differs: list[tuple[str, ...]] = []
    filled_in: dict[int, int] = {}
    if not pairs:
        return {"filled": filled, "differs": differs, "filled_in": filled_in}
    types = {v.name: v.type for v in definitions_of(conn)}
    lowered = {n.lower(): n for n in types}
    new_variables: list[tuple[int, IncomingDocument]] = []
    for doc_id, doc in pairs:
        before = len(filled)
        row = conn.execute("SELECT title, date, issuer, url, note FROM documents WHERE id = ?", (doc_id,)).fetchone()
        title, own = row[0], dict(zip(("date", "issuer", "url", "note"), row[1:], strict=True))
        restores = doc.provenance is not None and doc.provenance.extractor in RESTORING
        updates: dict[str, str] = {}
        for column, shown in FIELDS:
            theirs, ours = getattr(doc, column) or "", own[column] or ""
            if not theirs or theirs == ours:
                continue
            if not ours and restores:
                updates[column] = theirs
                filled.append((title, shown, theirs))
            else:
                differs.append((title, shown, theirs, ours))
        if updates:  # one constant statement: a field not filled is given None, which keeps its value
            conn.execute(
                "UPDATE documents SET date = coalesce(?, date), issuer = coalesce(?, issuer), url = coalesce(?, url),"
                " note = coalesce(?, note), updated = ? WHERE id = ?",
                (*(updates.get(c) for c in ("date", "issuer", "url", "note")), stamp, doc_id),
            )
        values = values_of(conn, [doc_id]).get(doc_id, {})
        missing: dict[str, object] = {}
        for raw_name, raw in doc.variables.items():
            name = lowered.get(raw_name.lower(), raw_name)
            if raw is None or raw == "":
                continue
            try:
                theirs_value: Any = cv.parse_value(types[name], raw) if name in types else raw
            except ValueError:
                theirs_value = raw
            ours_value = values.get(name)
            if ours_value is None:
                if restores:
                    missing[name] = raw
                    filled.append((title, f"variable {name}", _shown(raw)))
                else:
                    differs.append((title, f"variable {name}", _shown(raw), ""))
            elif theirs_value != ours_value:
                differs.append((title, f"variable {name}", _shown(raw), _shown(ours_value)))
        if missing:
            new_variables.append((doc_id, IncomingDocument("", title, variables=missing)))
        _span_notes(conn, doc_id, title, doc, label_of, restores, stamp, filled, differs)
        if len(filled) > before:
            filled_in[doc_id] = filled_in.get(doc_id, 0) + len(filled) - before
    if new_variables:  # a variable the project lacks is added with its values' type, as for a new statement
        write_document_variables(conn, new_variables, stamp)
    return {"filled": filled, "differs": differs, "filled_in": filled_in}


def _span_notes(conn: sqlite3.Connection, doc_id: int, title: str, doc: IncomingDocument,
                label_of: Callable[[str], str], restores: bool, stamp: str,
                filled: list[tuple[str, ...]], differs: list[tuple[str, ...]]) -> None:
    """The notes of the record's spans the statement already holds (same start, end, label, annotator)."""
    if not any(sp.note for sp in doc.spans):
        return
    held: dict[tuple[int, int, str, str], list[list[Any]]] = {}
    for span_id, start, end, label, annotator, note in conn.execute(
            'SELECT id, start, "end", label, annotator, note FROM spans WHERE doc_id = ? ORDER BY id', (doc_id,)):
        held.setdefault((start, end, label, annotator), []).append([span_id, note or ""])
    for sp in doc.spans:
        copies = held.get((sp.start, sp.end, label_of(sp.label), sp.annotator))
        if not sp.note or not copies or any(note == sp.note for _, note in copies):
            continue
        where = f"note of the {label_of(sp.label)} span {doc.text[sp.start:sp.end][:40]!r}"
        empty = next((copy for copy in copies if not copy[1]), None)
        if empty is not None and restores:
            conn.execute("UPDATE spans SET note = ?, updated = ? WHERE id = ?", (sp.note, stamp, empty[0]))
            empty[1] = sp.note
            filled.append((title, where, sp.note))
        else:
            differs.append((title, where, sp.note, copies[0][1]))


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


#: how many differing values the summary lists (the rest counted)
LISTED = 10


def summary_notes(source: str, outcome: dict[str, Any]) -> list[str]:
    """The summary's lines for one file: values filled (counted, first few named) and values not taken (each named,
    up to :data:`LISTED`, then a count)."""
    notes = []
    filled = outcome.get("filled_values") or []
    if filled:
        named = "; ".join(f"{title!r}: {field} set to {value!r}" for title, field, value in filled[:LISTED])
        more = f" and {len(filled) - LISTED} more" if len(filled) > LISTED else ""
        notes.append(f"{source}: filled {len(filled)} value(s) the project's statements lacked: {named}{more}")
    differs = outcome.get("differing_values") or []
    for title, field, theirs, ours in differs[:LISTED]:
        there = f"the project's {ours!r}" if ours else "the project has none"
        notes.append(f"{source}: {title!r}: {field} in the file {theirs!r} not taken ({there}; kept)")
    if len(differs) > LISTED:
        notes.append(f"{source}: and {len(differs) - LISTED} more value(s) that differ from the project's, not taken")
    return notes
