"""``spans`` (JSONL, one line per span) and ``csv`` (the same rows): for pandas and spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import IO, Any

from annotator.core.model import Document, Span
from annotator.formats.common import dumps_line

COLUMNS = (
    "doc_id", "doc_sha256", "title", "start", "end", "label", "text", "annotator", "note", "created", "updated",
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
            }


def write_jsonl(items: Iterable[tuple[Document, list[Span]]], out: IO[bytes]) -> int:
    n = 0
    for row in rows(items):
        out.write(dumps_line(row))
        n += 1
    return n


def write_csv(items: Iterable[tuple[Document, list[Span]]], out: IO[bytes]) -> int:
    """RFC 4180 CSV in UTF-8 without a BOM (so ``csv``/pandas read the header as is); newlines stay inside quoted
    fields."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    n = 0
    for row in rows(items):
        writer.writerow(row)
        n += 1
        if buffer.tell() > 1 << 16:
            out.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
    out.write(buffer.getvalue().encode("utf-8"))
    return n
