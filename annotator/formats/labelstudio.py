"""``labelstudio``: Label Studio's JSON export (and JSON-min), read and written.

Write: a JSON array of tasks for the standard named-entity configuration
(``<Labels name="label" toName="text">`` + ``<Text name="text" value="$text"/>``)::

    [{"id": 7, "data": {"text": "...", "title": "...", "sha256": "..."},
      "annotations": [{"completed_by": {"email": "kim"}, "was_cancelled": false, "ground_truth": false,
                       "result": [{"id": "s12", "from_name": "label", "to_name": "text", "type": "labels",
                                   "origin": "manual",
                                   "value": {"start": 3, "end": 7, "text": "urge", "labels": ["call"]}}]}],
      "predictions": []}]

one annotation per annotator of the document. A span's note is its region's ``"meta": {"text": [note]}`` (the
region's Meta field in Label Studio). ``data`` also holds the statement's source, status, date, issuer, url, memo
(``note``) and ``variables`` (:mod:`annotator.formats.docfields`), read back on import, so a round trip keeps them.

Read: the full export (``annotations[].result[]`` with ``type: "labels"``; each annotation's spans get its
annotator: ``completed_by``'s email, else ``user N``, else the file's name without extension; cancelled
annotations are skipped and counted; a region's ``meta.text`` and its per-region TextArea answers (a ``textarea``
result with the region's ``id``) are the span's note, joined by line breaks). The task's text is the ``data`` field
the ``labels`` results point at (``to_name``), else ``data.text``, else its one string that no image, audio or other
non-text region points at: a task with no such string (an image task) is refused as having no text to label.
Also JSON-min (``{"text", "<control name>": [{"start", "end", "text", "labels"}], "annotator"}``).
``choices`` results are document-level labels (counted and named, a project holds spans); ``predictions`` and
other result types are counted. Offsets: Label Studio stores code points since its 1.x frontend fix for emoji
(label-studio-frontend #308); ``offsets="utf16"`` reads older exports that counted UTF-16 code units. Every span's
``value.text``, when present, must equal the text at its offsets, so a wrong unit is caught, not imported.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from annotator.core.json_kind import json_kind
from annotator.core.model import Document, IncomingDocument, IncomingSpan, ReadResult, Span
from annotator.formats.common import (
    ExportOptions,
    Problems,
    Utf16Offsets,
    check_span,
    dumps_line,
    json_entries,
    read_bytes,
    text_problem,
)
from annotator.formats.docfields import fields, taken_fields


def task(doc: Document, spans: list[Span], offsets: str = "codepoints") -> dict[str, Any]:
    units = Utf16Offsets(doc.text) if offsets == "utf16" else None
    by_annotator: dict[str, list[Span]] = {}
    for s in sorted(spans, key=lambda s: (s.start, s.end, s.label, s.id)):
        by_annotator.setdefault(s.annotator, []).append(s)
    annotations = []
    for who, group in by_annotator.items():
        result = []
        for s in group:
            start, end = (units.to_utf16(s.start), units.to_utf16(s.end)) if units else (s.start, s.end)
            result.append(
                {
                    "id": f"s{s.id}",
                    "from_name": "label",
                    "to_name": "text",
                    "type": "labels",
                    "origin": "manual",
                    "value": {"start": start, "end": end, "text": doc.text[s.start : s.end], "labels": [s.label]},
                    **({"meta": {"text": [s.note]}} if s.note else {}),
                }
            )
        annotation: dict[str, Any] = {"was_cancelled": False, "ground_truth": False, "result": result}
        if who:
            annotation["completed_by"] = {"email": who}
        annotations.append(annotation)
    return {
        "id": doc.id,
        "data": {"text": doc.text, "title": doc.title, "sha256": doc.sha256, **fields(doc)},
        "annotations": annotations,
        "predictions": [],
    }


def write(items: Iterable[tuple[Document, list[Span]]], out: IO[bytes], options: ExportOptions | None = None) -> int:
    """A JSON array, one task per line so a large export stays diffable and streamable."""
    offsets = (options.offsets if options else None) or "codepoints"
    n = 0
    out.write(b"[")
    for doc, spans in items:
        # dumps_line escapes U+2028/U+2029/U+0085, which some readers split lines at
        out.write((b",\n" if n else b"\n") + dumps_line(task(doc, spans, offsets))[:-1])
        n += 1
    out.write(b"\n]\n")
    return n


# ---------------------------------------------------------------------------------------------- read
class _Counts:
    def __init__(self) -> None:
        self.cancelled = 0
        self.predictions = 0
        self.other: dict[str, int] = {}
        self.doc_labels: dict[str, int] = {}
        self.fields_left: list[str] = []


def read(path: Path, offsets: str = "codepoints") -> ReadResult:
    problems = Problems(path)
    counts = _Counts()
    docs: list[IncomingDocument] = []
    for where, number, obj in json_entries(read_bytes(path), path, problems):
        if not isinstance(obj, dict):
            problems.add(where, f"expected a Label Studio task (a JSON object), got {json_kind(obj)}")
            continue
        try:
            docs.append(_document(obj, path, number, offsets, counts))
        except ValueError as exc:
            problems.add(where, str(exc))
    if not docs and not problems.count:
        problems.add("file", "no tasks (the file is empty)")
    problems.raise_if_any()
    notes = []
    if counts.cancelled:
        notes.append(f"{path.name}: {counts.cancelled} cancelled Label Studio annotation(s) skipped")
    if counts.predictions:
        notes.append(f"{path.name}: {counts.predictions} prediction(s) not imported (only annotations are)")
    if counts.other:
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.other.items()))
        notes.append(f"{path.name}: Label Studio results that are not spans, not imported: {kinds}")
    if counts.fields_left:
        notes.append(f"{path.name}: task data not taken as the statement's fields: {'; '.join(counts.fields_left)}")
    return ReadResult(docs, notes=notes, doc_labels=counts.doc_labels)


#: the result types that are spans of a text (``<Labels>`` on a ``<Text>``)
SPAN_TYPES = ("labels",)
#: data keys Label Studio's media objects read by default (``<Image value="$image"/>``...): never a text to label
MEDIA_KEYS = frozenset({"image", "audio", "video", "pdf", "timeseries"})
#: region types of objects other than a text (an image's shapes); so are ``rectanglelabels``, ``polygonlabels``,
#: ``hypertextlabels`` (an HTML page's XPath ranges) and every ``*labels`` but ``labels``
_OTHER_REGIONS = frozenset({"rectangle", "polygon", "keypoint", "ellipse", "brush", "videorectangle", "cuboid"})


def _other_region(kind: Any) -> bool:
    return isinstance(kind, str) and (kind in _OTHER_REGIONS or (kind.endswith("labels") and kind not in SPAN_TYPES))


def _results(obj: dict[str, Any]) -> list[dict[str, Any]]:
    """Every result of the task's annotations and predictions (the predictions too say which field is the text)."""
    found = []
    for key in ("annotations", "completions", "predictions"):
        items = obj.get(key)
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("result"), list):
                found += [r for r in item["result"] if isinstance(r, dict)]
    return found


def _text_of(obj: dict[str, Any]) -> Any:
    """The text the task's spans index: in JSON-min its ``text``; in the full export the ``data`` field its
    ``labels`` results point at (``to_name``, the ``<Text>`` tag's name, which is the data key in Label Studio's
    templates), else ``data.text``, else the one string in ``data`` that no other kind of result (an image's
    polygons, an audio's regions) points at, else the one whose field every span's ``value.text`` fits."""
    data = obj.get("data")
    if not isinstance(data, dict):
        return obj.get("text")  # JSON-min
    results = _results(obj)
    targets = [(r.get("type"), r.get("to_name")) for r in results if isinstance(r.get("to_name"), str)]
    media = {name for kind, name in targets if _other_region(kind)}
    media.update(k for k in data if k.lower() in MEDIA_KEYS)
    for kind, name in targets:
        if kind in SPAN_TYPES and name not in media and isinstance(data.get(name), str):
            return data[name]
    strings = [k for k, v in data.items() if isinstance(v, str) and k not in media]
    if "text" in data and "text" not in media:
        return data["text"]
    if len(strings) > 1:  # the one field every span's quoted text fits
        strings = [k for k in strings if _fits(data[k], results)] or strings
    if len(strings) == 1:
        return data[strings[0]]
    keys = ", ".join(repr(k) for k in list(data)[:8])
    if not strings:
        kinds = sorted({str(kind) for kind, name in targets if name in media})
        what = f" (its results are {', '.join(kinds)}, not text spans)" if kinds else ""
        raise ValueError(f"the task has no text to label: its data holds {keys or 'nothing'}{what}")
    raise ValueError(
        f"the task's data has no 'text' and not exactly one string to label (keys: {keys}), and its spans do not "
        "say which (their to_name is no data key)"
    )


def _fits(text: str, results: list[dict[str, Any]]) -> bool:
    """Whether every span result's quoted ``value.text`` is ``text`` at its offsets (and there is one)."""
    spans = [r["value"] for r in results if r.get("type") in SPAN_TYPES and isinstance(r.get("value"), dict)]
    return bool(spans) and all(
        isinstance(v.get("start"), int) and isinstance(v.get("end"), int) and isinstance(v.get("text"), str)
        and text[v["start"] : v["end"]] == v["text"] for v in spans
    )


def _annotator(value: Any, fallback: str) -> str:
    if isinstance(value, dict):
        value = value.get("email") or value.get("id")
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return f"user {value}"
    return fallback


def _document(obj: dict[str, Any], path: Path, number: int, offsets: str, counts: _Counts) -> IncomingDocument:
    text = _text_of(obj)
    problem = text_problem(text)
    if problem:
        raise ValueError(problem)
    assert isinstance(text, str)
    units = Utf16Offsets(text) if offsets == "utf16" else None
    spans: list[IncomingSpan] = []
    if "annotations" in obj or "data" in obj:
        annotations = obj.get("annotations") or obj.get("completions") or []
        if not isinstance(annotations, list):
            raise ValueError("'annotations' must be a list")
        ours = isinstance(obj.get("data"), dict) and "sha256" in obj["data"]
        predictions = obj.get("predictions")
        counts.predictions += len(predictions) if isinstance(predictions, list) else 0
        for k, annotation in enumerate(annotations):
            if not isinstance(annotation, dict):
                raise ValueError(f"annotations[{k}]: expected an object")
            if annotation.get("was_cancelled"):
                counts.cancelled += 1
                continue
            # our own export (data.sha256) writes no completed_by for spans without an annotator: none, not the file
            who = _annotator(annotation.get("completed_by"), "" if ours else path.stem)
            results = annotation.get("result") or []
            if not isinstance(results, list):
                raise ValueError(f"annotations[{k}].result must be a list")
            comments = _region_comments(results)
            for r, item in enumerate(results):
                where = f"annotations[{k}].result[{r}]"
                if not isinstance(item, dict) or not isinstance(item.get("value"), dict):
                    raise ValueError(f"{where}: expected an object with a 'value'")
                kind = item.get("type")
                if kind == "choices":
                    for choice in item["value"].get("choices") or []:
                        counts.doc_labels[str(choice)] = counts.doc_labels.get(str(choice), 0) + 1
                elif kind == "labels" or (kind is None and "labels" in item["value"]):
                    rid = item.get("id")
                    notes = [*_meta_text(item, where), *(comments.get(rid, []) if isinstance(rid, str) else [])]
                    spans += _spans(text, item["value"], who, where, units, "\n".join(notes))
                elif not (kind == "textarea" and isinstance(item.get("id"), str) and item["id"] in comments):
                    counts.other[str(kind)] = counts.other.get(str(kind), 0) + 1
    else:  # JSON-min: the control's name holds the regions
        who = _annotator(obj.get("annotator"), path.stem)
        for key, regions in obj.items():
            if isinstance(regions, list) and regions and isinstance(regions[0], dict) and "labels" in regions[0]:
                for r, region in enumerate(regions):
                    if not isinstance(region, dict):
                        raise ValueError(f"{key}[{r}]: expected an object")
                    spans += _spans(text, region, who, f"{key}[{r}]", units)
    task_id = obj.get("id")
    name = task_id if isinstance(task_id, (int, str)) and not isinstance(task_id, bool) else number
    data = obj.get("data") if isinstance(obj.get("data"), dict) else {}
    title = data.get("title") if isinstance(data.get("title"), str) and data.get("title") else f"{path.stem} #{name}"
    # our own export (its sha256 beside the text): a wrong field is a damaged file; another project's: named
    found, left = taken_fields(data, "data", ours="sha256" in data)
    if left:
        counts.fields_left.append(f"task {name}: {left}")
    return IncomingDocument(text=text, title=title, spans=spans, **{"source": path.name, **found})


def _texts(value: Any) -> list[str] | None:
    """A Label Studio text value (a string or a list of strings) as a list; None when it is neither."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def _meta_text(item: dict[str, Any], where: str) -> list[str]:
    """A region's own note: ``meta.text`` (the region's "Meta" field in Label Studio), a list of strings."""
    meta = item.get("meta")
    if meta is None:
        return []
    texts = _texts(meta.get("text")) if isinstance(meta, dict) else None
    if texts is None and not (isinstance(meta, dict) and meta.get("text") is None):
        raise ValueError(f"{where}: 'meta' must be an object whose 'text' is a list of strings")
    return [t for t in texts or [] if t]


def _region_comments(results: list[Any]) -> dict[str, list[str]]:
    """Per-region TextArea answers (``<TextArea perRegion="true">``: a ``textarea`` result with its region's
    ``id``), by region id; they become the span's note with its ``meta.text``."""
    regions = {r.get("id") for r in results if isinstance(r, dict) and r.get("type") in SPAN_TYPES
               and isinstance(r.get("id"), str)}
    found: dict[str, list[str]] = {}
    for r in results:
        if isinstance(r, dict) and r.get("type") == "textarea" and r.get("id") in regions:
            value = r.get("value")
            texts = _texts(value.get("text")) if isinstance(value, dict) else None
            if texts is not None:
                found.setdefault(r["id"], []).extend(t for t in texts if t)
    return found


def _spans(text: str, value: dict[str, Any], who: str, where: str, units: Utf16Offsets | None,
           note: str = "") -> list[IncomingSpan]:
    labels = value.get("labels")
    if not isinstance(labels, list) or not labels:
        raise ValueError(f"{where}: 'labels' must be a non-empty list")
    start, end = value.get("start"), value.get("end")
    try:
        if units is not None:
            start, end = units.to_codepoints(start), units.to_codepoints(end)
        spans = [check_span(text, start, end, label, who, note) for label in labels]
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    quoted = value.get("text")
    if isinstance(quoted, str) and quoted != text[spans[0].start : spans[0].end]:
        hint = "--offsets codepoints" if units is not None else "--offsets utf16 (an export from before 2022?)"
        raise ValueError(
            f"{where}: its text {quoted!r} is not the text at {start}-{end} "
            f"{text[spans[0].start : spans[0].end]!r}; if the offsets count another unit, import with {hint}"
        )
    return spans
