"""File formats: one module per format, each with its reader and/or writer (DESIGN.md §2.4).

This module only dispatches: which reader takes a file, which writer makes an export format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

import orjson

from annotator import inuse, sources
from annotator.core.model import Document, ReadResult, Span
from annotator.errors import AnnotatorError, FormatError
from annotator.formats import jsonl, plaintext, spans
from annotator.formats.common import open_input

Items = Iterable[tuple[Document, list[Span]]]
Reader = Callable[[Path], ReadResult]

#: export formats written to one stream
STREAM_WRITERS: dict[str, Callable[[Items, IO[bytes]], int]] = {
    "jsonl": jsonl.write,
    "spans": spans.write_jsonl,
    "csv": spans.write_csv,
}
EXPORT_FORMATS: tuple[str, ...] = ("jsonl", "spans", "csv")
EXTENSIONS = {"jsonl": ".jsonl", "spans": ".jsonl", "csv": ".csv"}


def _optional(name: str) -> object | None:
    """Formats added by later modules (doccano, brat) register themselves when present."""
    try:
        return __import__(f"annotator.formats.{name}", fromlist=[name])
    except ModuleNotFoundError as exc:
        if exc.name != f"annotator.formats.{name}":
            raise
        return None


_doccano = _optional("doccano")
_brat = _optional("brat")
if _doccano is not None:
    STREAM_WRITERS["doccano"] = _doccano.write  # type: ignore[attr-defined]
    EXPORT_FORMATS += ("doccano",)
    EXTENSIONS["doccano"] = ".jsonl"
if _brat is not None:
    EXPORT_FORMATS += ("brat",)
    EXTENSIONS["brat"] = ""


def _looks_like_doccano(path: Path) -> bool:
    """A JSONL file whose first object has a ``label``/``labels``/``entities`` list and no ``spans`` is doccano's."""
    try:
        with open_input(path) as fh:  # a pipe or device is refused here, never waited on
            for raw in fh:
                line = raw.strip().lstrip(b"\xef\xbb\xbf")
                if not line:
                    continue
                try:
                    obj = orjson.loads(line)
                except orjson.JSONDecodeError:
                    return False
                return (isinstance(obj, dict) and "spans" not in obj
                        and any(isinstance(obj.get(k), list) for k in ("label", "labels", "entities")))
    except OSError:
        return False
    return False


def reader_for(path: Path) -> Reader:
    """The reader for one file, by its extension (and, for JSONL, its first line)."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        if _doccano is not None and _looks_like_doccano(path):
            return _doccano.read  # type: ignore[attr-defined,no-any-return]
        if suffix == ".json" and _doccano is not None:
            return _doccano.read  # type: ignore[attr-defined,no-any-return]
        return jsonl.read
    if suffix == ".ann" and _brat is not None:
        return _brat.read  # type: ignore[attr-defined,no-any-return]
    if suffix in sources.EXTENSIONS:  # saved web pages, PDFs, Word files (annotator/sources)
        return sources.reader(suffix)
    if suffix in plaintext.EXTENSIONS:
        if _brat is not None and path.with_suffix(".ann").exists():
            return _brat.read  # type: ignore[attr-defined,no-any-return]
        return plaintext.read
    raise FormatError(
        f"{path}: unknown file type {suffix or '(no extension)'}; "
        "expected .txt, .md, .html, .pdf, .docx, .jsonl"
        + (", .json (doccano)" if _doccano else "") + (", .ann (brat)" if _brat else "")
    )


def collect(paths: Iterable[str | Path]) -> list[Path]:
    """Files to import: each file given, and the importable files inside each folder (recursively, sorted).

    A brat pair ``NAME.txt`` + ``NAME.ann`` counts once (as the ``.txt``). Hidden files are skipped.
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(p.startswith(".") for p in child.relative_to(path).parts):
                    suffix = child.suffix.lower()
                    if suffix == ".ann" and child.with_suffix(".txt").exists():
                        continue
                    if suffix in (*plaintext.EXTENSIONS, *sources.EXTENSIONS, ".jsonl", ".ndjson", ".json", ".ann"):
                        files.append(child)
        elif path.exists():
            files.append(path)
        else:
            raise AnnotatorError(f"no such file or folder: {path}")
    return files


def read(path: Path) -> ReadResult:
    """Read one file; each document keeps its provenance (the file, its SHA-256, the reader; DESIGN.md §2.6)."""
    from annotator import __version__
    from annotator.sources.provenance import stamp

    inuse.refuse_if_open_here(path)  # reading our own project's files would drop our locks on them
    reader = reader_for(path)
    result = reader(path)
    return stamp(path, result, reader.__module__.rsplit(".", 1)[-1], __version__)


def write_folder(fmt: str, items: Items, folder: Path) -> int:
    """Formats that are folders of files (brat)."""
    if fmt == "brat" and _brat is not None:
        return int(_brat.write_folder(items, folder))  # type: ignore[attr-defined]
    raise AnnotatorError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
