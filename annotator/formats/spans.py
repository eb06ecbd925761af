"""``spans`` (JSONL, one line per span) and ``csv`` (the same rows): for pandas and spreadsheets.

Read back, a file of these rows carries no texts, only each document's ``doc_sha256``: its spans are attached to the
project's documents with that hash (:func:`resolve`), and a file naming a document the project lacks is refused
whole, naming those documents. Each row is validated against the project's text like any span, and its ``text``
column, when present, must equal ``text[start:end]``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from annotator.core.json_kind import json_kind
from annotator.core.model import Document, IncomingDocument, ReadResult, Span
from annotator.core.neutral import csv_cell_original, csv_row
from annotator.errors import FormatError
from annotator.formats.common import Problems, check_span, consequence, dumps_line, json_entries, read_bytes

_SHA = re.compile(r"[0-9a-f]{64}")
#: the columns a row needs to be attached to a document
REQUIRED = ("doc_sha256", "start", "end", "label")

COLUMNS = (
    "doc_id",
    "doc_sha256",
    "title",
    "start",
    "end",
    "label",
    "text",
    "annotator",
    "note",
    "created",
    "updated",
    "date",
    "issuer",
    "origin",  # "" for the analyst's own span, "name@file" for a colleague's span accepted in review
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
                "origin": s.origin,
            }


def _fast_rows(items: Iterable[tuple[Document, list[Span]]]) -> Iterator[tuple[Any, ...]] | None:
    """The rows as tuples in :data:`COLUMNS` order, straight from the store's span rows when ``items`` offers
    them (``Project.iter_documents``: ``export_rows()``, already sorted by (start, end, label, id))."""
    fast = getattr(items, "export_rows", None)
    if fast is None:
        return None
    return (
        (doc.id, doc.sha256, doc.title, a, b, lb, doc.text[a:b], who, note, created, updated, doc.date, doc.issuer,
         origin)
        for doc, span_rows in fast(
            ("start", "end", "label", "annotator", "note", "created", "updated", "origin", "doc_id")  # see jsonl
        )
        for a, b, lb, who, note, created, updated, origin, _ in span_rows
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


# ---------------------------------------------------------------------------------------------- read
def _row_problem(row: dict[str, Any]) -> str | None:
    missing = [c for c in REQUIRED if row.get(c) in (None, "")]
    if missing:
        return f"no {', '.join(missing)} (a spans row needs {', '.join(REQUIRED)})"
    if not isinstance(row["doc_sha256"], str) or not _SHA.fullmatch(row["doc_sha256"]):
        return f"doc_sha256 must be 64 lowercase hex digits, got {row['doc_sha256']!r}"
    return None


def read_jsonl(path: Path) -> ReadResult:
    """Our ``spans`` export: one object per span, attached by ``doc_sha256``."""
    problems = Problems(path)
    rows: list[tuple[str, Any]] = []
    for where, _, obj in json_entries(read_bytes(path), path, problems):
        if not isinstance(obj, dict):
            problems.add(where, f"expected a JSON object, got {json_kind(obj)}")
            continue
        rows.append((where, obj))
    return _attached(rows, problems, "no spans (the file is empty)")


def _attached(rows: Iterable[tuple[str, dict[str, Any]]], problems: Problems, empty: str) -> ReadResult:
    """The rows that name a document and a span (each bad one named in ``problems``); the whole file refused if any
    is bad, or if there are none."""
    attached: list[tuple[str, dict[str, Any]]] = []
    for where, row in rows:
        problem = _row_problem(row)
        if problem:
            problems.add(where, problem)
            continue
        attached.append((where, row))
    if not attached and not problems.count:
        problems.add("file", empty)
    problems.raise_if_any()
    return ReadResult([], attached=attached)  # type: ignore[arg-type]


def _csv_problem(exc: csv.Error) -> str:
    if "end of data" in str(exc):
        return "a quoted cell is not closed: its \" runs to the end of the file"
    return f"{exc} (a \" inside a cell must be doubled, and the cell quoted)"


def _strictly(reader: csv.DictReader, path: Path) -> Iterator[dict[str, Any]]:
    """``reader``'s rows; a row that is not RFC 4180 refuses the file, naming the line it starts on."""
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FormatError(f"{path}: line {start}: {_csv_problem(exc)}; {consequence()}") from None
        yield row


def read_csv(path: Path) -> ReadResult:
    """Our ``csv`` export (RFC 4180, UTF-8): the same rows as ``spans``; ``start``/``end`` are read as integers."""
    data = read_bytes(path)
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{path}: not valid UTF-8 (byte {exc.start}); {consequence()}") from None
    # a cell may be as long as the file (a span's text or note over Python's 128 KiB default had refused our own
    # export); the limit is the process's, and only ever raised
    csv.field_size_limit(max(csv.field_size_limit(), len(decoded) + 1))
    # strict: a quote left open ran to the end of the file as one cell, reported as a row without start or end
    reader = csv.DictReader(io.StringIO(decoded, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise FormatError(f"{path}: line 1: {_csv_problem(exc)}; {consequence()}") from None
    if not all(c in header for c in REQUIRED):
        raise FormatError(
            f"{path}: a CSV file is imported as our csv export, which has the columns {', '.join(COLUMNS)}; "
            f"this one has {', '.join(header[:12]) or 'none'} (import texts as .txt or .jsonl instead)"
        )
    def rows() -> Iterator[tuple[str, dict[str, Any]]]:
        for row in _strictly(reader, path):
            # a cell the export neutralised against formulas ('=...) comes back as it was written
            values: dict[str, Any] = {k: csv_cell_original(v) if isinstance(v, str) else v for k, v in row.items()}
            for key in ("start", "end"):
                raw = values.get(key)
                if isinstance(raw, str) and raw.strip().isdigit():
                    values[key] = int(raw)
            yield f"line {reader.line_num}", values

    return _attached(rows(), Problems(path), "no spans (the file has only its header)")


def resolve(
    path: Path | str, attached: list[tuple[str, dict[str, Any]]], texts: dict[str, tuple[str, str]]
) -> list[IncomingDocument]:
    """The rows as documents of the project: ``texts`` maps a SHA-256 to the project's (title, text). A file
    naming a document the project does not hold, or holding a row that does not fit its text, is refused whole."""
    missing: dict[str, str] = {}
    for _, row in attached:
        sha = row["doc_sha256"]
        if sha not in texts and sha not in missing:
            title = row.get("title")
            missing[sha] = f"{title!r} (sha256 {sha[:12]}…)" if isinstance(title, str) and title else f"sha256 {sha}"
    if missing:
        raise FormatError(
            f"{path}: {len(missing)} statement(s) it names are not in this project (a spans/csv export is re-imported"
            f" onto the documents it came from: import their texts first); {consequence()}",
            list(missing.values())[:50],
        )
    problems = Problems(path)
    docs: dict[str, IncomingDocument] = {}
    for where, row in attached:
        sha = row["doc_sha256"]
        title, text = texts[sha]
        note = row.get("note")
        who = row.get("annotator")
        try:
            span = check_span(
                text,
                row["start"],
                row["end"],
                row["label"],
                "" if who is None else who,
                "" if note is None else note,
            )
        except ValueError as exc:
            problems.add(where, str(exc))
            continue
        quoted = row.get("text")
        if quoted is not None and quoted != text[span.start : span.end]:
            problems.add(
                where,
                f"its text {quoted!r} is not text[{span.start}:{span.end}] {text[span.start : span.end]!r} of "
                f"{title!r}",
            )
            continue
        docs.setdefault(sha, IncomingDocument(text=text, title=title)).spans.append(span)
    problems.raise_if_any()
    return list(docs.values())
