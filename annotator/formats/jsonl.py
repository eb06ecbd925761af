"""``jsonl``: one document per line, spaCy / Prodigy compatible (DESIGN.md §2.4).

Write: ``{"text", "spans": [{"start", "end", "label", "text", "annotator", "note", "id", "origin"}], "meta":
{"doc_id", "title", "source", "sha256", "status", "date", "issuer", "url", "note", "variables"}}``, spans sorted by
(start, end, label). ``origin`` is ``""`` for the analyst's own span, ``name@file`` for a colleague's span accepted
in review, ``suggested:pattern:NAME`` or ``suggested:model:VERSION`` for an accepted suggestion, ``search`` for a
search's hits: every span has it, as in the gold export, so a table of spans has one column, never a gap.

Read: our own exports, Prodigy ``db-out`` files (``spans``, ``_annotator_id``; ``answer`` reject/ignore skipped and
counted) and plain ``{"text": ...}`` lines. Text is stored verbatim so the offsets stay valid. A file with any
invalid line is rejected whole, with every bad line number.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from annotator.core.json_kind import json_kind, keys_found
from annotator.core.model import STATUSES, Document, IncomingDocument, ReadResult, Span
from annotator.core.text import sha256_text
from annotator.core.variables import name_problem, parse_date, parse_fixed
from annotator.formats.common import (
    Problems,
    check_span,
    dumps_line,
    json_entries,
    json_problem,
    open_input,
    read_bytes,
    statement_size_problem,
    text_problem,
)
from annotator.pacing import pace

EXTENSIONS = (".jsonl", ".ndjson")


def record(doc: Document, spans: list[Span]) -> dict[str, Any]:
    ordered = sorted(spans, key=lambda s: (s.start, s.end, s.label, s.id))
    return record_of_rows(
        doc, [(s.start, s.end, s.label, s.annotator, s.note, s.id, s.origin, s.doc_id) for s in ordered]
    )


def record_of_rows(doc: Document, rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    """A document's ``jsonl`` record from its spans as rows of :data:`ROW_FIELDS`, in the order given."""
    text = doc.text
    spans = [
        {"start": a, "end": b, "label": lb, "text": text[a:b], "annotator": who, "note": note, "id": i,
         "origin": origin or ""}
        for a, b, lb, who, note, i, origin, _ in rows
    ]
    return {"text": text, "spans": spans, "meta": meta(doc)}


def meta(doc: Document) -> dict[str, Any]:
    """A document's ``meta``: where it is and came from, its status, and its variables (memo in ``note``)."""
    return {
        "doc_id": doc.id,
        "title": doc.title,
        "source": doc.source,
        "sha256": doc.sha256,
        "status": doc.status,
        "date": doc.date,
        "issuer": doc.issuer,
        "url": doc.url,
        "note": doc.note,
        "variables": doc.variables,
    }


#: the span fields a ``jsonl`` line holds, as :func:`write_rows` takes them; doc_id last, unwritten (the
#: store's rows then come as SQLite gives them, see ``store.exporting.rows``)
ROW_FIELDS = ("start", "end", "label", "annotator", "note", "id", "origin", "doc_id")


def write(items: Iterable[tuple[Document, list[Span]]], out: IO[bytes]) -> int:
    """Stream one line per document; returns the number of documents written.

    ``items`` from ``Project.iter_documents`` also offer ``export_rows(fields)``: the same documents with each
    span as a row of just those fields, already in (start, end, label, id) order; the lines are then built
    straight from those rows (the same bytes, without a Span object per span).
    """
    fast = getattr(items, "export_rows", None)
    if fast is not None:
        return write_rows(fast(ROW_FIELDS), out)
    n = 0
    for doc, spans in items:
        out.write(dumps_line(record(doc, spans)))
        n += 1
    return n


def write_rows(items: Iterable[tuple[Document, list[tuple[Any, ...]]]], out: IO[bytes]) -> int:
    """:func:`write` for spans given as rows of :data:`ROW_FIELDS`, sorted by (start, end, label, id)."""
    n = 0
    write = out.write
    for doc, rows in items:
        write(dumps_line(record_of_rows(doc, rows)))
        n += 1
    return n


def read(path: Path) -> ReadResult:
    data = read_bytes(path)
    problems = Problems(path)
    docs: list[IncomingDocument] = []
    skipped = 0
    doc_labels: dict[str, int] = {}
    names = (path.stem, path.name)
    for where, number, obj in json_entries(data, path, problems):
        if not isinstance(obj, dict):
            problems.add(where, f"expected a JSON object, got {json_kind(obj)}")
            continue
        if obj.get("answer") in ("reject", "ignore"):
            skipped += 1
            continue
        try:
            docs.append(document_from(obj, path, number, parsed=True, names=names))
            for label in document_labels(obj):
                doc_labels[label] = doc_labels.get(label, 0) + 1
        except ValueError as exc:
            problems.add(where, str(exc))
    if not docs and not problems.count and not skipped:
        problems.add("file", "no documents (the file is empty)")
    problems.raise_if_any()
    return ReadResult(docs, skipped_tasks=skipped, doc_labels=doc_labels)


def document_labels(obj: dict[str, Any]) -> list[str]:
    """The document-level (text-classification) labels of a task: Prodigy's ``accept`` list (choice interface),
    a ``label`` on a task without spans (binary ``textcat``), spaCy's ``cats`` scored 0.5 or more."""
    if "accept" not in obj and "label" not in obj and "cats" not in obj:
        return []  # the usual line (our exports, plain texts): one test instead of three lookups
    found: list[str] = []
    accept = obj.get("accept")
    if isinstance(accept, list):
        found += [str(x) for x in accept if isinstance(x, (str, int)) and not isinstance(x, bool)]
    label = obj.get("label")
    if isinstance(label, str) and label.strip() and not obj.get("spans"):
        found.append(label)
    cats = obj.get("cats")
    if isinstance(cats, dict):
        found += [str(k) for k, v in cats.items() if isinstance(v, (int, float)) and v >= 0.5]
    return found


def document_from(obj: dict[str, Any], path: Path, number: int, parsed: bool = False,
                  names: tuple[str, str] | None = None) -> IncomingDocument:
    """One JSONL object → a validated document; raises ValueError naming the first problem.

    ``parsed``: ``obj`` was parsed by orjson, whose strings are valid Unicode already (orjson rejects
    lone surrogates), so the text is not encoded again just to check that; the store encodes it once to hash it.
    ``names``: the file's (stem, name), computed once per file by the readers rather than once per line.
    """
    stem, name = names if names is not None else (path.stem, path.name)
    text = obj.get("text")
    if "text" not in obj:
        raise ValueError(f"no 'text' key (found keys {keys_found(obj)}): this does not look like annotations; "
                         "Annotator reads one statement per line, an object with its 'text' (its own JSONL export, "
                         "Prodigy, spaCy)")
    problem = (
        (f"'text' must be a string, got {json_kind(text)}" if not isinstance(text, str) else None)
        or (None if text else "'text' is empty")
        if parsed
        else text_problem(text)
    )
    if problem:
        raise ValueError(problem)
    assert isinstance(text, str)
    if parsed and (problem := statement_size_problem(text)):  # text_problem checks it otherwise
        raise ValueError(problem)
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise ValueError("'meta' must be an object")
    sha = meta.get("sha256")
    if sha is not None and sha != sha256_text(text):
        raise ValueError("meta.sha256 does not match the text: the text was changed after export")
    # whose spans these are: the span's own ``annotator`` (our exports always write it), else the task's
    # ``_annotator_id``, else its ``_session_id`` (Prodigy), else the file's stem (DESIGN.md §2.4)
    for key in ("_annotator_id", "_session_id"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise ValueError(f"{key!r} must be a string")
    line_annotator = obj.get("_annotator_id") or obj.get("_session_id") or stem
    raw_spans = obj.get("spans") or []
    if not isinstance(raw_spans, list):
        raise ValueError("'spans' must be a list")
    spans = []
    for i, sp in enumerate(raw_spans, 1):
        if not isinstance(sp, dict):
            raise ValueError(f"span {i}: expected an object")
        try:
            span = check_span(
                text,
                sp.get("start"),
                sp.get("end"),
                sp.get("label"),
                line_annotator if sp.get("annotator") is None else sp["annotator"],
                sp.get("note") or "",
            )
        except ValueError as exc:
            raise ValueError(f"span {i}: {exc}") from None
        quoted = sp.get("text")
        if quoted is not None and quoted != text[span.start : span.end]:
            raise ValueError(
                f"span {i}: its text {quoted!r} is not text[{span.start}:{span.end}] "
                f"{text[span.start : span.end]!r} (offsets must be in code points)"
            )
        spans.append(span)
    title = meta.get("title")
    status = meta.get("status")
    if status is not None and status not in STATUSES:  # it had become "todo" without a word (a trial's finding)
        raise ValueError(f"meta.status {status!r} is not a status: one of {', '.join(STATUSES)}, or none")
    source = meta.get("source")
    return IncomingDocument(
        text=text,
        title=title if isinstance(title, str) and title else f"{stem} #{number}",
        source=source if isinstance(source, str) and source else name,
        spans=spans,
        status=status,
        **(meta_variables(meta) if _VARIABLE_KEYS & meta.keys() else {}),  # none: the document's defaults
    )


#: the ``meta`` keys :func:`meta_variables` reads; a ``meta`` without any gives the defaults ("" and no variables)
_VARIABLE_KEYS = frozenset(("date", "issuer", "url", "note", "variables"))


def meta_variables(meta: dict[str, Any]) -> dict[str, Any]:
    """``meta.date``/``issuer``/``url``/``note``/``variables`` validated (DESIGN.md §2.6); raises ValueError."""
    out: dict[str, Any] = {}
    try:
        date = meta.get("date")
        if isinstance(date, str) and len(date) > 10 and date[10:11] in ("T", " "):
            date = date[:10]  # an ISO 8601 date and time (other tools' meta): its date
        out["date"] = parse_date(date)
        for name in ("issuer", "url", "note"):
            out[name] = parse_fixed(name, meta.get(name), f"meta.{name}")
    except ValueError as exc:
        raise ValueError(f"meta: {exc}") from None
    found = meta.get("variables")
    found = {} if found is None else found
    if not isinstance(found, dict):
        raise ValueError("meta.variables must be an object")
    for name, value in found.items():
        problem = name_problem(name)
        if problem:
            raise ValueError(f"meta.variables: {problem}")
        if value is not None and not isinstance(value, (str, int, float, bool)):
            raise ValueError(f"meta.variables.{name}: expected text, a number, true/false or null")
    out["variables"] = {k: v for k, v in found.items() if v is not None and v != ""}
    return out


#: documents per batch of a :class:`Stream` (2 000 statements of a few KB: some 10 MB at a time)
STREAM_BATCH = 2000


class Stream:
    """:func:`read` of a large JSON Lines file in batches, the file read line by line and never held whole (100 000
    statements, 450 MB, held 2.35 GB read at once). Iterating gives lists of at most ``size`` documents; the
    problems of every line are collected as :func:`read` collects them and raised (FormatError) after the last
    batch, so a caller writing the batches inside one transaction rolls the file back whole. ``skipped_tasks`` and
    ``doc_labels`` are complete once the iteration ends."""

    def __init__(self, path: Path, size: int | None = None) -> None:
        self.path = path
        self.size = size or STREAM_BATCH
        self.skipped_tasks = 0
        self.doc_labels: dict[str, int] = {}
        #: bytes of the file read when the last batch was handed out (for a progress bar)
        self.position = 0

    @staticmethod
    def takes(path: Path) -> bool:
        """Whether ``path`` is JSON Lines (its first line one whole object), which can be read line by line."""
        with open_input(path) as fh:
            for raw in fh:
                line = raw.removeprefix(b"\xef\xbb\xbf").strip()
                if line:
                    try:
                        return isinstance(orjson.loads(line), dict)
                    except orjson.JSONDecodeError:
                        return False
        return False

    def __iter__(self) -> Iterator[list[IncomingDocument]]:
        path, problems = self.path, Problems(self.path)
        batch: list[IncomingDocument] = []
        found = False
        names = (path.stem, path.name)
        with open_input(path) as fh:
            for number, raw in enumerate(fh, 1):
                pace()  # in a paced thread (an import in the window), the window's thread gets the GIL in between
                line = (raw.removeprefix(b"\xef\xbb\xbf") if number == 1 else raw).rstrip(b"\n").rstrip(b"\r")
                if not line.strip():
                    continue
                where = f"line {number}"
                try:
                    obj = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    problems.add(where, json_problem(line, exc))
                    continue
                if not isinstance(obj, dict):
                    problems.add(where, f"expected a JSON object, got {json_kind(obj)}")
                    continue
                if obj.get("answer") in ("reject", "ignore"):
                    self.skipped_tasks += 1
                    continue
                try:
                    doc = document_from(obj, path, number, parsed=True, names=names)
                    for label in document_labels(obj):
                        self.doc_labels[label] = self.doc_labels.get(label, 0) + 1
                except ValueError as exc:
                    problems.add(where, str(exc))
                    continue
                found = True
                if problems.count:
                    continue  # the file is refused: only its other problems are still looked for
                batch.append(doc)
                if len(batch) >= self.size:
                    self.position = fh.tell()
                    yield batch
                    batch = []
            self.position = fh.tell()
        if not found and not problems.count and not self.skipped_tasks:
            problems.add("file", "no documents (the file is empty)")
        problems.raise_if_any()
        if batch:
            yield batch
