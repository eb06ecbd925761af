"""Reading a project whole for export and stats: each document with its spans, one document in memory at a time
(:meth:`Project.iter_documents` and :meth:`Project.export_rows`, which call here)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from itertools import groupby, starmap
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar

from annotator.core.model import Document, Span
from annotator.core.text import sha256_text
from annotator.errors import ProjectFileError
from annotator.store import docvars

if TYPE_CHECKING:
    from annotator.store.project import Project

#: the fields of :class:`Span`, in order: the columns of a span row
SPAN_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Span))
#: the same, quoted, for a SELECT or an INSERT of whole spans
SPAN_COLUMNS = ", ".join(f'"{f}"' for f in SPAN_FIELDS)


def span_row(s: Span) -> tuple[int, int, int, int, str, str, str, str, str, str]:
    """A span as its row, in :data:`SPAN_FIELDS`' order, without ``dataclasses.astuple``'s deep copy of every field
    (undoing the deletion of a label's 331 500 spans spent 20 s of its 35 in it)."""
    return (s.id, s.doc_id, s.start, s.end, s.label, s.annotator, s.note, s.origin, s.created, s.updated)
T = TypeVar("T")
_DOC_COLUMNS = "id, title, source, text, sha256, status, date, issuer, url, note"


def rows(
    project: Project, status: str | None = None, fields: Sequence[str] = SPAN_FIELDS
) -> Iterator[tuple[Document, list[tuple[Any, ...]]]]:
    """The export's fast read: each document (by id) with its spans as rows of the :class:`Span` ``fields``
    (all of them by default, in order) -- tuples straight from SQLite -- sorted by (start, end, label, id).

    One cursor over the documents and one over all their spans, walked side by side: a query per document
    costs more than its rows, and every column read costs time (reading the rows is most of an export), so
    a writer asks only for the fields it writes. One document's rows are in memory at a time.
    """
    unknown = [f for f in fields if f not in SPAN_FIELDS]
    if unknown:
        raise ValueError(f"not span fields: {unknown}")
    where, params = (" WHERE status = ?", (status,)) if status else ("", ())
    # a writer that asks for doc_id itself gets the rows as SQLite gives them; otherwise doc_id is read first
    # and cut off each row (a tuple copy per span: a tenth of an export)
    own = "doc_id" in fields
    columns = ", ".join([*([] if own else ["doc_id"]), *(f'"{f}"' for f in fields)])
    key = itemgetter(list(fields).index("doc_id") if own else 0)
    docs = project.conn.execute(f"SELECT {_DOC_COLUMNS} FROM documents{where} ORDER BY id", params)
    spans = project.conn.execute(
        f'SELECT {columns} FROM spans WHERE doc_id IN (SELECT id FROM documents{where})'
        ' ORDER BY doc_id, start, "end", label, id',
        params,
    )
    groups = groupby(spans, key)
    pending = next(groups, None)
    values = docvars.values_of(project.conn)
    for row in docs:
        doc = checked(project, docvars.document_of(row, values.get(row[0], {})))
        while pending is not None and pending[0] < doc.id:  # a document deleted between the two reads
            pending = next(groups, None)
        if pending is not None and pending[0] == doc.id:
            yield doc, list(pending[1]) if own else [r[1:] for r in pending[1]]
            pending = next(groups, None)
        else:
            yield doc, []

def checked(project: Project, doc: Document) -> Document:
    """A document whose stored SHA-256 is checked against its text: a colleague's file gets the hash
    recomputed (a forged one must not align their spans with a different text of mine); in my own project a
    mismatch is damage (a flipped byte in a statement), refused with a clear message."""
    real = sha256_text(doc.text)
    if real == doc.sha256:
        return doc
    if project.untrusted:
        return dataclasses.replace(doc, sha256=real)
    raise ProjectFileError(
        f"{project.path} is damaged: the text of statement {doc.id} ({doc.title[:60]!r}) no longer matches its "
        "stored SHA-256; run `annotator check` and restore a backup"
    )


class DocumentWalk:
    """What :meth:`Project.iter_documents` returns: an iterator of (document, [Span]) that also offers the
    export's fast read of the same documents (``export_rows()``)."""

    __slots__ = ("_project", "_status", "_step", "_walk")

    def __init__(self, project: Project, status: str | None, step: Callable[[int], None] | None = None) -> None:
        self._project = project
        self._status = status
        self._step = step  # told after each document: how many so far
        self._walk: Iterator[tuple[Document, list[Span]]] | None = None

    def __iter__(self) -> DocumentWalk:
        return self

    def __next__(self) -> tuple[Document, list[Span]]:
        if self._walk is None:
            self._walk = ((doc, list(starmap(Span, rows))) for doc, rows in self.export_rows())
        return next(self._walk)

    def export_rows(self, fields: Sequence[str] = SPAN_FIELDS) -> Iterator[tuple[Document, list[tuple[Any, ...]]]]:
        walk = rows(self._project, self._status, fields)
        return walk if self._step is None else _stepped(walk, self._step)


def _stepped(walk: Iterator[T], step: Callable[[int], None]) -> Iterator[T]:
    for n, item in enumerate(walk, 1):
        step(n)
        yield item
