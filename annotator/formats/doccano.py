"""``doccano``: doccano's sequence-labelling JSONL (DESIGN.md §2.4).

Write, one line per document, doccano's own keys first::

    {"id": 7, "text": "...", "label": [[start, end, "label"], ...], "offsets": "utf16", "title": "...",
     "sha256": "...", "source", "status", "date", "issuer", "url", "note", "variables",
     "label_annotators": ["kim", ...], "label_notes": ["", ...]}

``id`` is our document id and the spans are sorted by (start, end, label). doccano keeps any key but its text and
label columns as the example's metadata, so the rest is what a statement holds beyond its spans
(:mod:`annotator.formats.docfields`), its spans' annotators and notes parallel to ``label``, and ``offsets``, how
they count: all read back, so a round trip gives back the same statements. A line's ``offsets`` (``utf16`` or
``codepoints``, the same on every line) is the counting it is read in; a line with ``sha256`` is ours, and a field
there that no statement can hold refuses the file; another tool's key of those names is named and not imported.

Read, one object per line (``.jsonl``) or a JSON array of the same objects (doccano's ``.json`` export; a ``.json``
file holding one object is read as one document):

- spans under ``"label"`` (doccano ≥ 1.0), ``"labels"`` (doccano 0.x) or ``"entities"`` (the relation-extraction
  export), each either ``[start, end, "label"]`` or ``{"start_offset", "end_offset", "label"}`` (with a span's
  ``"text"``, when given, checked against the text it marks); ``relations`` are
  not spans and are counted in the import report instead;
- the text under ``"text"`` (or ``"data"``, which some doccano 1.x exports used).

The export writes offsets in UTF-16 code units, as doccano's editor counts them (JavaScript string indices;
doccano issue #2290): a character beyond U+FFFF such as an emoji counts two. ``offsets="codepoints"``
(``--offsets codepoints``) writes Python ``str`` indices instead. The import reads a file in the counting the file
shows (UTF-16 code units, code points or grapheme clusters; :mod:`annotator.formats.counting`), and says so when
it is not UTF-16 units; ``offsets`` given reads it in that counting only. Where another counting reads the file as
plausibly and marks other text, File ▸ Import asks which before it imports it (:func:`doubt`), and reads it with
the counting chosen as ``offsets``. The text is stored verbatim, so the offsets stay valid.

Document-level labels (a text-classification project's ``"label": ["positive"]``, or ``cats``) cannot be held by
a project, which holds spans: they are counted and named in the import report, never dropped silently.

Every line (or array item) is validated like ``jsonl`` (integer start and end, ``0 <= start < end <= len(text)``,
a non-empty string label, text SQLite can store); a file with any bad line is rejected whole, naming every bad
line (or item).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from annotator.core.json_kind import json_kind, keys_found
from annotator.core.model import Document, IncomingDocument, ReadResult, Span
from annotator.core.text import storable_problem
from annotator.formats.common import (
    ExportOptions,
    Problems,
    Utf16Offsets,
    check_span,
    dumps_line,
    has_overlap,
    is_int,
    json_entries,
    read_bytes,
    text_problem,
)
from annotator.formats.counting import Doubt, Entry, RawSpan, choose
from annotator.formats.docfields import fields, taken_fields

#: where doccano puts the spans, newest first
SPAN_KEYS = ("label", "labels", "entities")


def record(doc: Document, spans: list[Span], offsets: str = "utf16") -> dict[str, Any]:
    """One doccano line; the key order matches doccano's own export so diffs against it stay small."""
    ordered = sorted(spans, key=lambda s: (s.start, s.end, s.label, s.id))
    if offsets == "utf16":
        units = Utf16Offsets(doc.text)
        label = [[units.to_utf16(s.start), units.to_utf16(s.end), s.label] for s in ordered]
    else:
        label = [[s.start, s.end, s.label] for s in ordered]
    return {
        "id": doc.id,
        "text": doc.text,
        "label": label,
        "offsets": offsets,  # how they count, so the import never has to guess
        # doccano keeps any other key as the example's metadata: what a statement holds beyond its spans
        "title": doc.title,
        "sha256": doc.sha256,
        **fields(doc),
        "label_annotators": [s.annotator for s in ordered],
        "label_notes": [s.note for s in ordered],
    }


def write(items: Iterable[tuple[Document, list[Span]]], out: IO[bytes], options: ExportOptions | None = None) -> int:
    """Stream one line per document; returns the number of documents written. Documents with overlapping spans
    are counted in the options' notes: doccano refuses them unless its project allows overlapping spans."""
    offsets = (options.offsets if options else None) or "utf16"
    n = overlapping = 0
    for doc, spans in items:
        out.write(dumps_line(record(doc, spans, offsets)))
        overlapping += has_overlap(spans)
        n += 1
    if options is not None and overlapping:
        options.notes.append(
            f"{overlapping} statement(s) hold overlapping spans: doccano imports them only into a project whose "
            "settings allow overlapping spans ('Allow overlapping spans' when creating the project)"
        )
    return n


def read(path: Path, offsets: str | None = None) -> ReadResult:
    """A doccano JSONL file, or a ``.json`` array of the same objects; rejected whole on any bad line or item.
    ``offsets`` (``utf16``/``codepoints``/``graphemes``) is the counting of the file's offsets; None: the one the
    file shows."""
    problems, parsed, relations, doc_labels = _parse_file(path)
    choice = choose([entry for _, entry in parsed], path.name, offsets or declared([e for _, e in parsed]))
    for where, message in choice.problems:
        problems.add(where, message)
    problems.raise_if_any()
    docs = []
    left = []
    for (title, entry), pairs in zip(parsed, choice.spans, strict=True):
        who, notes_of = _parallel(entry.extra, len(entry.spans))
        spans = [check_span(entry.text, s, e, raw.label, who[i], notes_of[i])
                 for i, (raw, (s, e)) in enumerate(zip(entry.spans, pairs, strict=True))]
        # our own export (its sha256 beside the text): a wrong field is a damaged file; another tool's: named
        found, wrong = taken_fields(entry.extra, entry.where, ours=entry.extra.get("sha256") is not None)
        if wrong:
            left.append(wrong)
        found = {"source": path.name, **found}
        docs.append(IncomingDocument(text=entry.text, title=title, spans=spans, **found))
    notes = list(choice.notes)
    if left:
        notes.append(f"{path.name}: keys not taken as the statement's fields: {'; '.join(left[:5])}"
                     + (f" and {len(left) - 5} more" if len(left) > 5 else ""))
    if relations:
        notes.append(f"{path.name}: {relations} doccano relation(s) not imported (only spans are)")
    return ReadResult(docs, notes=notes, doc_labels=doc_labels)


def doubt(path: Path) -> Doubt | None:
    """What :func:`read` would warn of: another counting reads the file's offsets as plausibly as the one it would
    take, marking other text (File ▸ Import asks which before it imports the file). None when no other counting
    does, or when the file is refused anyway (the import says why).

    A file of ASCII text without a CRLF cannot be in doubt (every counting reads it alike) and is not parsed: the
    window's import reads it once, not twice."""
    if alike_in_every_counting(read_bytes(path)):
        return None
    problems, parsed, _, _ = _parse_file(path)
    if problems.count or declared([e for _, e in parsed]):
        return None
    return choose([entry for _, entry in parsed], path.name).doubt


def declared(entries: list[Entry]) -> str | None:
    """The counting every line says its offsets are in (our export writes ``"offsets": "utf16"`` beside its
    spans), when all say the same; else None (the file decides)."""
    said = {e.extra.get("offsets") for e in entries}
    unit = said.pop() if len(said) == 1 else None
    return unit if unit in ("utf16", "codepoints") else None


def alike_in_every_counting(data: bytes) -> bool:
    """Whether a JSON file's strings read alike in UTF-16 units, code points and grapheme clusters, from its bytes
    alone: ASCII (JSON escapes every control character, so a CR LF shows as ``\\r\\n``) without ``\\u`` escapes
    (which may stand for any character) and without a CR LF (one grapheme cluster, two code points)."""
    return data.isascii() and b"\\u" not in data and b"\\r\\n" not in data


def _parse_file(path: Path) -> tuple[Problems, list[tuple[str, Entry]], int, dict[str, int]]:
    """The file's lines checked and parsed: (its problems, (title, entry) per good line, relations, document-level
    labels), the counting of the offsets still to choose."""
    data = read_bytes(path)
    problems = Problems(path)
    entries = list(json_entries(data, path, problems))
    parsed: list[tuple[str, Entry]] = []  # (title, the line's text and raw spans)
    relations = 0
    doc_labels: dict[str, int] = {}
    for where, number, obj in entries:
        if not isinstance(obj, dict):
            problems.add(where, f"expected a JSON object, got {json_kind(obj)}")
            continue
        try:
            parsed.append(parse(obj, path, where, number, doc_labels))
        except ValueError as exc:
            problems.add(where, str(exc))
            continue
        if isinstance(obj.get("relations"), list):
            relations += len(obj["relations"])
    if not entries and not problems.count:
        problems.add("file", "no documents (the file is empty)")
    return problems, parsed, relations, doc_labels


def parse(
    obj: dict[str, Any], path: Path, where: str, number: int, doc_labels: dict[str, int] | None = None
) -> tuple[str, Entry]:
    """One doccano object → (title, its text and raw spans, checked but for the counting of their offsets);
    raises ValueError naming the first problem. Document-level labels are counted into ``doc_labels``."""
    if "text" not in obj and "data" not in obj:
        raise ValueError(
            f"no 'text' key (doccano's default text column); found keys {keys_found(obj)}"
            ": a doccano export made with other column names needs them renamed to 'text' and 'label'"
        )
    text = obj["text"] if "text" in obj else obj.get("data")
    problem = text_problem(text)
    if problem:
        raise ValueError(problem)
    assert isinstance(text, str)
    spans = []
    labels_here: list[str] = []
    for key, raw_spans in _span_lists(obj):
        for i, raw in enumerate(raw_spans, 1):
            if isinstance(raw, str) and key in ("label", "labels"):
                labels_here.append(raw)  # text classification: a label of the whole document
            else:
                spans.append(_span(raw, key, i))
    cats = obj.get("cats")
    if isinstance(cats, dict):
        labels_here += [str(k) for k, v in cats.items() if isinstance(v, (int, float)) and v >= 0.5]
    if doc_labels is not None:
        for label in labels_here:
            doc_labels[label] = doc_labels.get(label, 0) + 1
    doc_id = obj.get("id")
    name = (
        doc_id
        if (isinstance(doc_id, int) and not isinstance(doc_id, bool)) or (isinstance(doc_id, str) and doc_id.strip())
        else number
    )
    title = obj.get("title")
    title = title if isinstance(title, str) and title.strip() else f"{path.stem} #{name}"
    return title, Entry(where, text, spans, extra=obj)


def _parallel(obj: dict[str, Any], n: int) -> tuple[list[str], list[str]]:
    """The spans' annotators and notes our export writes beside ``label`` (``label_annotators``,
    ``label_notes``: one string per span), else none ("")."""
    def strings(key: str) -> list[str]:
        value = obj.get(key)
        ok = isinstance(value, list) and len(value) == n and all(isinstance(v, str) for v in value)
        return list(value) if ok else [""] * n  # type: ignore[arg-type]

    return strings("label_annotators"), strings("label_notes")


def _span_lists(obj: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    """The span lists of one object. Two keys both holding spans is ambiguous (the same spans twice, or two
    annotators?), so it is an error rather than a guess."""
    found: list[tuple[str, list[Any]]] = []
    for key in SPAN_KEYS:
        value = obj.get(key)
        if value is None:
            continue
        if not isinstance(value, list):
            raise ValueError(f"{key!r} must be a list of spans, got {json_kind(value)}")
        if value:
            found.append((key, value))
    if len(found) > 1:
        raise ValueError(f"both {found[0][0]!r} and {found[1][0]!r} hold spans; keep one of them")
    return found


def _span(raw: Any, key: str, i: int) -> RawSpan:
    """One span with everything checked that does not depend on how its offsets count."""
    where = f"{key}[{i - 1}]"
    span_text = None
    if isinstance(raw, dict):
        start, end, label = raw.get("start_offset"), raw.get("end_offset"), raw.get("label")
        if start is None and end is None:
            start, end = raw.get("start"), raw.get("end")
        span_text = raw.get("text")
        if span_text is not None and not isinstance(span_text, str):
            raise ValueError(f"{where}: the span's 'text' must be a string, got {json_kind(span_text)}")
    elif isinstance(raw, list) and len(raw) == 3:
        start, end, label = raw
    else:
        raise ValueError(f"{where}: expected [start, end, label] or an object with start_offset, end_offset, label")
    if not is_int(start) or not is_int(end):
        raise ValueError(f"{where}: start and end must be integers, got {start!r} and {end!r}")
    if not 0 <= start < end:
        raise ValueError(f"{where}: span {start}-{end} is empty or starts before the text")
    if not isinstance(label, str) or not label.strip():
        raise ValueError(f"{where}: the label must be a non-empty string, got {label!r}")
    bad = storable_problem(label)
    if bad:
        raise ValueError(f"{where}: {bad}")
    return RawSpan(where, start, end, label, span_text)
