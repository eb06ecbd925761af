"""``spans`` (JSONL, one line per span) and ``csv`` (the same rows): for pandas and spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import IO, Any

from annotator.core.model import Document, Span
from annotator.core.neutral import csv_row
from annotator.formats.common import dumps_line

COLUMNS = (
    "doc_id", "doc_sha256", "title", "start", "end", "label", "text", "annotator", "note", "created", "updated",
    "date", "issuer",
)


def rows(items: Iterable[tuple[Document, list[Span]]]) -> Iterator[dict[str, Any]]:
    for doc, spans in items:
        for s in sorted(spans, key=lambda s: (s.start, s.end, s.label, s.id)):
            yield {
                "doc_id": doc.id,
                "doc_sha256": doc.sha256,
                "title": doc.title,
                "start": s.start,
                "end": s.end,
                "label": s.label,
                "text": doc.text[s.start : s.end],
                "annotator": s.annotator,
                "note": s.note,
                "created": s.created,
                "updated": s.updated,
                "date": doc.date,
                "issuer": doc.issuer,
            }


def _fast_rows(items: Iterable[tuple[Document, list[Span]]]) -> Iterator[tuple[Any, ...]] | None:
    """The rows as tuples in :data:`COLUMNS` order, straight from the store's span rows when ``items`` offers
    them (``Project.iter_documents``: ``export_rows()``, already sorted by (start, end, label, id))."""
    fast = getattr(items, "export_rows", None)
    if fast is None:
        return None
    return (
        (doc.id, doc.sha256, doc.title, a, b, lb, doc.text[a:b], who, note, created, updated, doc.date, doc.issuer)
        for doc, span_rows in fast(("start", "end", "label", "annotator", "note", "created", "updated"))
        for a, b, lb, who, note, created, updated in span_rows
    )


def write_jsonl(items: Iterable[tuple[Document, list[Span]]], out: IO[bytes]) -> int:
    n = 0
    fast = _fast_rows(items)
    if fast is not None:
        write = out.write
        for values in fast:
            write(dumps_line(dict(zip(COLUMNS, values, strict=True))))
            n += 1
        return n
    for row in rows(items):
        out.write(dumps_line(row))
        n += 1
    return n


def write_csv(items: Iterable[tuple[Document, list[Span]]], out: IO[bytes]) -> int:
    """RFC 4180 CSV in UTF-8 without a BOM (so ``csv``/pandas read the header as is); newlines stay inside quoted
    fields. A text cell a spreadsheet would run as a formula gets a ``'`` in front (``core.neutral.csv_cell``)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    n = 0
    fast = _fast_rows(items)
    # the same lines: DictWriter writes each dict's values in COLUMNS order through this very writer
    plain = writer.writer
    values = fast if fast is not None else (tuple(row[c] for c in COLUMNS) for row in rows(items))
    for row in values:
        plain.writerow(csv_row(row))
        n += 1
        if buffer.tell() > 1 << 16:
            out.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
    out.write(buffer.getvalue().encode("utf-8"))
    return n
