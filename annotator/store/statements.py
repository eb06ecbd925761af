"""A statement's title changed, and a statement deleted and brought back (trial 10, D7).

Each is one transaction with its history row, like every change (``project.py``). The history itself is
append-only and never loses a statement's rows: a statement brought back under its id has its history whole.

What a deleted statement takes with it is what holds its id: its spans, variables' values, provenance, review
decisions, rejected suggestions and sentence starts (kept in :class:`Removed` to bring back), and what the triggers
and the store keep from those (its span and label counts, co-occurring pairs, ``span_reach``, its full-text index
rows), which are made again as the rows come back. ``span_revisions`` keeps its row: revisions only grow
(``schema._V6_REPORT``), so a statement brought back is newer than any share a report kept of it.

Its id and its spans' ids are never given again (``ids.py``): a statement imported after the delete gets new ones,
so the undo always finds them free.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core.titles import parse_title
from annotator.errors import AnnotatorError
from annotator.store import conflicts, connection, ids, pair_counts, search_index
from annotator.store.project import Project
from annotator.store.writing import now

#: the tables whose rows belong to one statement and are kept to bring it back, in the order they are written back
#: (sentence starts before the spans, whose triggers read them; the spans last, their pairs counted once)
KEPT_TABLES = ("sentence_starts", "imports", "document_values", "review_decisions", "suggest_rejections", "spans")


@dataclass(slots=True)
class Removed:
    """All a deleted statement held, to bring it back as it was (the undo of :func:`delete_statement`)."""

    doc_id: int
    title: str
    sha256: str
    spans: int
    document: dict[str, Any]
    rows: dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]] = field(default_factory=dict)


def check_title(raw: Any) -> str:
    """``raw`` as a title (``core/titles.py``); AnnotatorError saying why it cannot be one."""
    try:
        return parse_title(raw)
    except ValueError as exc:
        raise AnnotatorError(str(exc)) from None


def title_of(project: Project, doc_id: int) -> str:
    """A statement's title, read without its text; AnnotatorError if there is no such statement."""
    with connection.translated("read", project.path):
        row = project.conn.execute("SELECT title FROM documents INDEXED BY documents_listing WHERE id = ?",
                                   (doc_id,)).fetchone()
    if row is None:
        raise AnnotatorError(f"no statement {doc_id} in {project.path}")
    return str(row[0])


def set_title(project: Project, doc_id: int, raw: Any, expect: str | None = None,
              undoing: bool = True) -> tuple[str, str]:
    """Give a statement a new title; returns (before, after). The full-text index follows (titles are searched).
    ``expect`` (an undo's or redo's): the title it must find, else ``conflicts.Conflict`` and nothing written."""
    title = check_title(raw)
    with project._write("change the title"):
        before = title_of(project, doc_id)
        if expect is not None:
            conflicts.check_fields(project, doc_id, {"title": expect}, {"title": before}, undoing)
        if before != title:
            write_title(project, doc_id, title)
            project._log("set_title", doc_id, None, {"title": before}, {"title": title})
    return before, title


def write_title(project: Project, doc_id: int, title: str) -> None:
    """The title written and indexed, inside the caller's transaction (no history row: the caller writes it)."""
    conn = project.conn
    search_index.forget(conn, [doc_id])
    conn.execute("UPDATE documents SET title = ?, updated = ? WHERE id = ?", (title, now(), doc_id))
    search_index.remember(conn, [doc_id])


def _our_table(table: str) -> str:
    if table not in KEPT_TABLES:  # the SQL below names only these (tests/reliability/test_security.py)
        raise ValueError(f"not a statement's table: {table!r}")
    return table


def _rows(project: Project, table: str, doc_id: int) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    cursor = project.conn.execute(f"SELECT * FROM {_our_table(table)} WHERE doc_id = ?", (doc_id,))  # noqa: S608
    return tuple(d[0] for d in cursor.description), cursor.fetchall()


def delete_statement(project: Project, doc_id: int) -> Removed:
    """Delete a statement and all that is its own, in one transaction; returns what :func:`restore_statement`
    needs to bring it back whole."""
    with project._write("delete the statement"):
        conn = project.conn
        cursor = conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,))
        row = cursor.fetchone()
        if row is None:
            raise AnnotatorError(f"no statement {doc_id} in {project.path}")
        document = dict(zip((d[0] for d in cursor.description), row, strict=True))
        removed = Removed(doc_id, document["title"], document["sha256"], 0, document)
        for table in KEPT_TABLES:
            removed.rows[table] = _rows(project, table, doc_id)
        removed.spans = len(removed.rows["spans"][1])
        search_index.forget(conn, [doc_id])  # told the values it indexed, while the row is still there
        pair_counts.defer(conn, [doc_id])  # its pairs go with it: not uncounted span by span
        conn.execute("DELETE FROM spans WHERE doc_id = ?", (doc_id,))
        conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))  # the rest by ON DELETE CASCADE
        pair_counts.recount_deferred(conn)  # (nothing left to count: ends the deferral)
        # its ids are given to no statement or span imported later: the undo puts them back (``store/ids.py``)
        ids.deleted(conn, "documents", [doc_id])
        span_id = removed.rows["spans"][0].index("id")
        ids.deleted(conn, "spans", [row[span_id] for row in removed.rows["spans"][1]])
        project._log("delete_statement", doc_id, None,
                     {"title": removed.title, "sha256": removed.sha256, "status": document["status"],
                      "spans": removed.spans}, None)
    project._lengths.pop(doc_id, None)
    return removed


def restore_statement(project: Project, removed: Removed) -> None:
    """Bring a deleted statement back as it was: its id, text, status, variables, provenance, spans (ids,
    annotators, notes, times), review decisions and rejected suggestions, and its full-text index rows."""
    with project._write("bring the statement back"):
        conn = project.conn
        taken = conn.execute("SELECT title FROM documents WHERE id = ? OR sha256 = ?",
                             (removed.doc_id, removed.sha256)).fetchone()
        if taken is not None:
            raise AnnotatorError(f"cannot bring back {removed.title!r}: the project holds {taken[0]!r} under its id "
                                 "or with its text now")
        _insert(project, "documents", tuple(removed.document), [tuple(removed.document.values())])
        search_index.remember(conn, [removed.doc_id])
        pair_counts.defer(conn, [removed.doc_id])
        for table in KEPT_TABLES:
            columns, rows = removed.rows.get(table, ((), []))
            _insert(project, table, columns, rows)
        pair_counts.recount_deferred(conn)
        project._log("restore_statement", removed.doc_id, None, None,
                     {"title": removed.title, "sha256": removed.sha256, "spans": removed.spans})


def _insert(project: Project, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """``rows`` written back into ``table`` (one of ours), under the columns they were read with (checked against
    the table's own)."""
    if not rows:
        return
    if table != "documents":
        _our_table(table)
    known = {r[1] for r in project.conn.execute(f"PRAGMA table_info({table})")}  # noqa: S608 - checked above
    if not set(columns) <= known:
        raise ValueError(f"columns {sorted(set(columns) - known)} are not {table}'s")
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    project.conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608 - our names


def find(project: Project, title: str | None = None, sha256: str | None = None) -> int:
    """The id of the one statement titled ``title`` (exactly) or whose text has SHA-256 ``sha256`` (or a unique
    prefix of at least 8 hex digits); AnnotatorError naming what was found instead."""
    conn = project.conn
    if sha256 is not None:
        digest = sha256.strip().lower()
        if len(digest) < 8 or any(c not in "0123456789abcdef" for c in digest):
            raise AnnotatorError(f"{sha256!r} is not a SHA-256 (64 hex digits, or a unique start of 8 or more)")
        found = conn.execute("SELECT id, title FROM documents INDEXED BY documents_listing"
                             " WHERE substr(sha256, 1, ?) = ? LIMIT 3", (len(digest), digest)).fetchall()
        what = f"whose text has SHA-256 {digest[:16]}{'…' if len(digest) > 16 else ''}"
    elif title is not None:
        found = conn.execute("SELECT id, title FROM documents INDEXED BY documents_listing WHERE title = ?"
                             " LIMIT 3", (title,)).fetchall()
        what = f"titled {title!r}"
    else:
        raise AnnotatorError("say which statement: by its title or its SHA-256")
    if not found:
        raise AnnotatorError(f"no statement {what} in {project.path}")
    if len(found) > 1:
        raise AnnotatorError(f"more than one statement {what} in {project.path}; name it by its --sha256 "
                             "(meta.sha256 in an export)")
    return int(found[0][0])
