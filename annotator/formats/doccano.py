"""``doccano``: doccano's sequence-labelling JSONL (DESIGN.md §2.4).

Write, one line per document, nothing but doccano's own keys::

    {"id": 7, "text": "...", "label": [[start, end, "label"], ...]}

``id`` is our document id and the spans are sorted by (start, end, label). doccano has no place for a span's
note or annotator, nor for the title or status: export ``jsonl`` when those matter.

Read, one object per line (``.jsonl``) or a JSON array of the same objects (doccano's ``.json`` export; a ``.json``
file holding one object is read as one document):

- spans under ``"label"`` (doccano ≥ 1.0), ``"labels"`` (doccano 0.x) or ``"entities"`` (the relation-extraction
  export), each either ``[start, end, "label"]`` or ``{"start_offset", "end_offset", "label"}``; ``relations`` are
  not spans and are counted in the import report instead;
- the text under ``"text"`` (or ``"data"``, which some doccano 1.x exports used).

Offsets are code points and the text is stored verbatim, so they stay valid. Every line (or array item) is
validated like ``jsonl`` (integer start and end, ``0 <= start < end <= len(text)``, a non-empty string label,
text SQLite can store); a file with any bad line is rejected whole, naming every bad line (or item).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from annotator.core.model import Document, IncomingDocument, IncomingSpan, ReadResult, Span
from annotator.formats.common import Problems, check_span, dumps_line, read_bytes, text_problem
from annotator.formats.jsonl import split_lines

#: where doccano puts the spans, newest first
SPAN_KEYS = ("label", "labels", "entities")


def record(doc: Document, spans: list[Span]) -> dict[str, Any]:
    """One doccano line; the key order matches doccano's own export so diffs against it stay small."""
    ordered = sorted(spans, key=lambda s: (s.start, s.end, s.label, s.id))
    return {"id": doc.id, "text": doc.text, "label": [[s.start, s.end, s.label] for s in ordered]}


def write(items: Iterable[tuple[Document, list[Span]]], out: IO[bytes]) -> int:
    """Stream one line per document; returns the number of documents written."""
    n = 0
    for doc, spans in items:
        out.write(dumps_line(record(doc, spans)))
        n += 1
    return n


def read(path: Path) -> ReadResult:
    """A doccano JSONL file, or a ``.json`` array of the same objects; rejected whole on any bad line or item."""
    data = read_bytes(path)
    problems = Problems(path)
    entries = list(_entries(data, path, problems))
    docs: list[IncomingDocument] = []
    relations = 0
    for where, number, obj in entries:
        if not isinstance(obj, dict):
            problems.add(where, f"expected a JSON object, got {_kind(obj)}")
            continue
        try:
            docs.append(document_from(obj, path, number))
        except ValueError as exc:
            problems.add(where, str(exc))
            continue
        if isinstance(obj.get("relations"), list):
            relations += len(obj["relations"])
    if not entries and not problems.count:
        problems.add("file", "no documents (the file is empty)")
    problems.raise_if_any()
    notes = [f"{path.name}: {relations} doccano relation(s) not imported (only spans are)"] if relations else []
    return ReadResult(docs, notes=notes)


def _entries(data: bytes, path: Path, problems: Problems) -> Iterator[tuple[str, int, Any]]:
    """(where, number, parsed object) for each line of JSONL, or for each item of a JSON array.

    Invalid JSON is added to ``problems`` and skipped, so every bad line is still reported. ``number`` is the
    line number (JSONL) or the 1-based item number (array), used for titles of documents without an id.
    """
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    first = body.lstrip()[:1]
    is_json = path.suffix.lower() == ".json"
    if first == b"[" or (is_json and first == b"{"):
        try:
            whole = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            if is_json and first == b"[":
                problems.add(f"line {exc.lineno}, column {exc.colno}", f"not valid JSON ({exc.msg})")
                return
            whole = None  # JSONL after all (a .json file of lines, or a .jsonl whose first line is bad)
        if isinstance(whole, list):
            for i, item in enumerate(whole):
                yield f"item {i + 1} (index {i})", i + 1, item
            return
        if isinstance(whole, dict) and is_json:
            yield "item 1", 1, whole
            return
    for number, line in split_lines(data):
        try:
            yield f"line {number}", number, orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            problems.add(f"line {number}", f"not valid JSON ({exc.msg})")


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def document_from(obj: dict[str, Any], path: Path, number: int) -> IncomingDocument:
    """One doccano object → a validated document; raises ValueError naming the first problem."""
    text = obj["text"] if "text" in obj else obj.get("data")
    problem = text_problem(text)
    if problem:
        raise ValueError(problem)
    assert isinstance(text, str)
    spans = [_span(text, raw, key, i) for key, raw_spans in _span_lists(obj) for i, raw in enumerate(raw_spans, 1)]
    doc_id = obj.get("id")
    name = (
        doc_id
        if (isinstance(doc_id, int) and not isinstance(doc_id, bool)) or (isinstance(doc_id, str) and doc_id.strip())
        else number
    )
    return IncomingDocument(text=text, title=f"{path.stem} #{name}", source=path.name, spans=spans)


def _span_lists(obj: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    """The span lists of one object. Two keys both holding spans is ambiguous (the same spans twice, or two
    annotators?), so it is an error rather than a guess."""
    found: list[tuple[str, list[Any]]] = []
    for key in SPAN_KEYS:
        value = obj.get(key)
        if value is None:
            continue
        if not isinstance(value, list):
            raise ValueError(f"{key!r} must be a list of spans, got {_kind(value)}")
        if value:
            found.append((key, value))
    if len(found) > 1:
        raise ValueError(f"both {found[0][0]!r} and {found[1][0]!r} hold spans; keep one of them")
    return found


def _span(text: str, raw: Any, key: str, i: int) -> IncomingSpan:
    where = f"{key}[{i - 1}]"
    if isinstance(raw, dict):
        start, end, label = raw.get("start_offset"), raw.get("end_offset"), raw.get("label")
        if start is None and end is None:
            start, end = raw.get("start"), raw.get("end")
    elif isinstance(raw, list) and len(raw) == 3:
        start, end, label = raw
    elif isinstance(raw, str):
        raise ValueError(
            f"{where}: {raw!r} is a document label (text classification); only sequence-labelling (span) "
            "exports can be imported"
        )
    else:
        raise ValueError(f"{where}: expected [start, end, label] or an object with start_offset, end_offset, label")
    try:
        return check_span(text, start, end, label)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
