"""Importing into an open project (:meth:`Project.import_documents` and :meth:`Project.import_batches` call here):
the writing transaction around :func:`annotator.store.writing.populate`, for one batch or a file streamed in
batches."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from annotator.core.model import IncomingDocument
from annotator.store import writing

if TYPE_CHECKING:
    from annotator.store.project import Project


def import_documents(project: Project, docs: Iterable[IncomingDocument], source: str = "") -> dict[str, Any]:
    """Add documents and their spans in one transaction; documents whose text is already here are skipped."""
    with project._write("import"):
        return writing.populate(project.conn, list(docs), project.user, source)


def import_batches(project: Project, batches: Iterable[list[IncomingDocument]], source: str = "") -> dict[str, Any]:
    """:func:`import_documents` for one file read in batches: one transaction for all of them (the file goes in
    whole or not at all: an error from the reader after any batch rolls every batch back), one batch in memory at
    a time. Returns what :func:`import_documents` returns, for the whole file."""
    total: dict[str, Any] | None = None
    with project._write("import"):
        for docs in batches:
            outcome = writing.populate(project.conn, docs, project.user, source)
            total = outcome if total is None else writing.merge_outcomes(total, outcome)
    return total if total is not None else writing.populate(project.conn, [], project.user, source)
