"""A project's spans read and changed one at a time (a mixin of :class:`annotator.store.project.Project`, which
provides ``conn``, ``path``, ``user``, ``_write``, ``_length``, ``_touch`` and ``_log``). Every change is one
transaction with its history row; a span moved or relabelled by this project's user becomes theirs."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from itertools import starmap
from pathlib import Path
from typing import Any

from annotator.core.model import Span
from annotator.errors import AnnotatorError
from annotator.store import conflicts, connection, ids, sentences
from annotator.store.exporting import SPAN_COLUMNS as _SPAN_COLUMNS
from annotator.store.exporting import span_row
from annotator.store.writing import now


class SpanEdits:
    conn: sqlite3.Connection
    path: Path
    user: str
    _write: Callable[[str], AbstractContextManager[None]]
    _length: Callable[[int], int]
    _touch: Callable[[int], None]
    _log: Callable[[str, int | None, int | None, Any, Any], None]

    @connection.reading
    def spans(self, doc_id: int) -> list[Span]:
        """A document's spans sorted by (start, end, label, id)."""
        rows = self.conn.execute(
            f'SELECT {_SPAN_COLUMNS} FROM spans WHERE doc_id = ? ORDER BY start, "end", label, id', (doc_id,)
        ).fetchall()
        return list(starmap(Span, rows))

    @connection.reading
    def span(self, span_id: int) -> Span:
        row = self.conn.execute(f"SELECT {_SPAN_COLUMNS} FROM spans WHERE id = ?", (span_id,)).fetchone()
        if row is None:
            raise AnnotatorError(f"no span {span_id} in {self.path}")
        return Span(*row)

    def _span_or_none(self, span_id: int) -> Span | None:
        row = self.conn.execute(f"SELECT {_SPAN_COLUMNS} FROM spans WHERE id = ?", (span_id,)).fetchone()
        return None if row is None else Span(*row)

    def _check_span(self, doc_id: int, start: int, end: int, label: str) -> None:
        length = self._length(doc_id)
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length):
            raise AnnotatorError(f"span {start}-{end} is outside the document (0-{length}) or empty")
        if self.conn.execute("SELECT 1 FROM labels WHERE key = ?", (label,)).fetchone() is None:
            raise AnnotatorError(f"unknown label {label!r}: add it to the codebook first")

    def add_span(
        self, doc_id: int, start: int, end: int, label: str, note: str = "", origin: str = "",
        annotator: str | None = None,
    ) -> Span:
        with self._write("add the span"):
            self._check_span(doc_id, start, end, label)
            sentences.ensure(self.conn, [doc_id])  # its first span: where its sentences start, for the triggers
            stamp = now()
            cur = self.conn.execute(
                'INSERT INTO spans (doc_id, start, "end", label, annotator, note, origin, created, updated)'
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (doc_id, start, end, label, annotator or self.user, note, origin, stamp, stamp),
            )
            who = annotator or self.user
            span = Span(cur.lastrowid or 0, doc_id, start, end, label, who, note, origin, stamp, stamp)
            self._touch(doc_id)
            self._log("add_span", doc_id, span.id, None, span)
        return span

    def update_span(self, span_id: int, **changes: Any) -> tuple[Span, Span]:
        """Change a span's ``label``, ``start``, ``end`` and/or ``note``; returns (before, after).

        A span of another annotator whose label or place this project's user changes becomes the user's: the
        judgement it records is theirs now (relabelled in a copy of a colleague's project, it was exported under
        the colleague's name, and a review read the colleague's file as two annotators). A note alone keeps it."""
        unknown = set(changes) - {"label", "start", "end", "note"}
        if unknown:
            raise TypeError(f"cannot change {', '.join(sorted(unknown))} of a span")
        with self._write("change the span"):
            before = self.span(span_id)
            after = dataclasses.replace(before, **changes, updated=now())
            judged = (after.label, after.start, after.end) != (before.label, before.start, before.end)
            if judged and self.user and before.annotator != self.user:
                after = dataclasses.replace(after, annotator=self.user)
            self._check_span(after.doc_id, after.start, after.end, after.label)
            self._set_span(after)
            self._touch(after.doc_id)
            self._log("update_span", after.doc_id, span_id, before, after)
        return before, after

    def delete_span(self, span_id: int, expected: Span | None = None) -> Span:
        """Delete a span; ``expected`` (the undo of a label): refused (``conflicts.Conflict``) unless the span is still
        as that label made it."""
        with self._write("delete the span"):
            if expected is not None:
                conflicts.check_span(self, expected, self._span_or_none(span_id))  # type: ignore[arg-type]
            span = self.span(span_id)
            self.conn.execute("DELETE FROM spans WHERE id = ?", (span_id,))
            ids.deleted(self.conn, "spans", [span_id])  # an import never takes it: the undo puts it back
            self._log("delete_span", span.doc_id, span_id, span, None)
        return span

    def restore_spans(self, spans: Iterable[Span]) -> None:
        """Put back deleted spans exactly as they were, ids included (the undo of a delete)."""
        spans = list(spans)
        with self._write("restore the span"):
            sentences.ensure(self.conn, [span.doc_id for span in spans])
            for span in spans:
                self._check_span(span.doc_id, span.start, span.end, span.label)
                self.conn.execute(
                    f"INSERT INTO spans ({_SPAN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    span_row(span),
                )
                self._log("restore_span", span.doc_id, span.id, None, span)

    def restore_span_state(self, span: Span, expected: Span | None = None, undoing: bool = True) -> None:
        """Put a span back to a previous state (the undo of an update); ``expected``: the state it must be in still,
        else ``conflicts.Conflict`` and nothing written."""
        with self._write("restore the span"):
            if expected is not None:
                conflicts.check_span(self, expected, self._span_or_none(span.id), undoing)  # type: ignore[arg-type]
            before = self.span(span.id)
            self._check_span(span.doc_id, span.start, span.end, span.label)
            self._set_span(span)
            self._log("update_span", span.doc_id, span.id, before, span)

    def _set_span(self, span: Span) -> None:
        """The span's row as ``span`` says (its statement and id unchanged)."""
        self.conn.execute(
            'UPDATE spans SET start = ?, "end" = ?, label = ?, note = ?, annotator = ?, updated = ? WHERE id = ?',
            (span.start, span.end, span.label, span.note, span.annotator, span.updated, span.id),
        )
