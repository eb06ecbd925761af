"""File formats: one module per format, each with its reader and/or writer (DESIGN.md §2.4).

This module only dispatches: which reader takes a file (by its extension and what its first record looks like),
which writer makes an export format.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any, TypeVar

import orjson

from annotator import inuse, sources
from annotator.core.model import Document, ReadResult, Span
from annotator.core.text import natural_key
from annotator.errors import AnnotatorError, FormatError
from annotator.format_names import EXPORT_FORMATS, IMPORT_FORMATS  # noqa: F401 - re-exported
from annotator.formats import (
    brat,
    brat_write,
    conll,
    doccano,
    jsonl,
    labelstudio,
    plaintext,
    prodigy,
    spacy_docbin,
    spans,
)
from annotator.formats.common import ExportOptions, open_input

Items = Iterable[tuple[Document, list[Span]]]
Reader = Callable[..., ReadResult]

#: export formats written to one stream: ``writer(items, out)``, or ``writer(items, out, options)`` for those
#: in :data:`TAKE_OPTIONS`
STREAM_WRITERS: dict[str, Callable[..., int]] = {
    "jsonl": jsonl.write,
    "spans": spans.write_jsonl,
    "csv": spans.write_csv,
    "doccano": doccano.write,
    "conll": conll.write,
    "labelstudio": labelstudio.write,
    "spacy": spacy_docbin.write,
    "prodigy": prodigy.write,
}
TAKE_OPTIONS = {"doccano", "conll", "labelstudio", "spacy", "prodigy"}
#: export formats that are a folder of files: ``writer(items, folder, options)``
FOLDER_WRITERS: dict[str, Callable[..., int]] = {"brat": brat_write.write_folder}
EXTENSIONS = {
    "jsonl": ".jsonl",
    "spans": ".jsonl",
    "csv": ".csv",
    "doccano": ".jsonl",
    "brat": "",
    "conll": ".conll",
    "labelstudio": ".json",
    "spacy": ".spacy",
    "prodigy": ".jsonl",
}
#: formats whose reader / writer counts offsets in a unit ``--offsets`` can choose
OFFSET_READERS = {"doccano", "labelstudio"}
OFFSET_WRITERS = {"doccano", "labelstudio"}

JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")


def first_record(path: Path) -> Any:
    """The first JSON value of a JSON Lines file, or the first item of a JSON array (pretty-printed or not), or a
    whole JSON object; None when the file holds none of these."""
    try:
        with open_input(path) as fh:  # a pipe or device is refused here, never waited on
            head = fh.read(1 << 16)
            if b"\n" not in head.lstrip():  # a first line past 64 KB (one long statement): read on to its end,
                head += fh.readline(1 << 28)  # never the whole file (a large import parsed it all to say "jsonl")
    except OSError:
        return None
    head = head.removeprefix(b"\xef\xbb\xbf")
    for raw in head.split(b"\n"):
        line = raw.strip()
        if not line:
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError:
            break  # not one record per line: maybe pretty-printed JSON
        return obj[0] if isinstance(obj, list) and obj else obj
    try:
        with open_input(path) as fh:
            whole = orjson.loads(fh.read().removeprefix(b"\xef\xbb\xbf"))
    except (orjson.JSONDecodeError, OSError):
        return None
    return whole[0] if isinstance(whole, list) and whole else whole


def kind_of_record(obj: Any) -> str | None:
    """Which tool's record ``obj`` looks like: ``labelstudio``, ``doccano``, ``spans`` (ours, one per span),
    ``jsonl`` (ours, spaCy, Prodigy), ``doccano-columns`` (doccano with renamed columns) or None."""
    if not isinstance(obj, dict):
        return None
    if (
        isinstance(obj.get("annotations"), list)
        or isinstance(obj.get("predictions"), list)
        or (isinstance(obj.get("data"), dict))
    ):
        return "labelstudio"
    if any(
        isinstance(v, list) and v and isinstance(v[0], dict) and "labels" in v[0] and "start" in v[0]
        for v in obj.values()
    ):
        return "labelstudio"  # JSON-min: the control's name holds [{"start", "end", "text", "labels"}]
    if "doc_sha256" in obj and "start" in obj:
        return "spans"
    if "spans" not in obj and any(isinstance(obj.get(k), list) for k in doccano.SPAN_KEYS):
        return "doccano"
    if (
        "text" not in obj
        and "data" not in obj
        and any(isinstance(v, list) and v and isinstance(v[0], list) and len(v[0]) == 3 for v in obj.values())
    ):
        return "doccano-columns"
    return "jsonl"


def _refuse_foreign(path: Path, kind: str | None, obj: Any) -> None:
    """One clear line for a file recognised as another tool's, in a shape we do not read."""
    if kind == "doccano-columns":
        text_key = next((k for k, v in obj.items() if isinstance(v, str)), "?")
        label_key = next((k for k, v in obj.items() if isinstance(v, list)), "?")
        raise FormatError(
            f"{path}: this looks like a doccano file whose columns are named {text_key!r} and {label_key!r}; "
            "rename them to 'text' and 'label' (doccano's defaults), then import it again"
        )


def reader_for(path: Path, fmt: str | None = None) -> Reader:
    """The reader for one file: ``fmt`` when given, else by its extension (and, for JSON, its first record)."""
    if getattr(path, "refusal", ""):
        return _skipped
    if fmt is not None:
        if fmt not in READERS:
            raise AnnotatorError(f"unknown import format {fmt!r}; expected one of {', '.join(IMPORT_FORMATS)}")
        return READERS[fmt]
    suffix = path.suffix.lower()
    if suffix in READERS_BY_SUFFIX:
        return READERS_BY_SUFFIX[suffix]
    if suffix in JSON_SUFFIXES:
        obj = first_record(path)
        kind = kind_of_record(obj)
        _refuse_foreign(path, kind, obj)
        if kind in READERS:
            return READERS[kind]
        return doccano.read if suffix == ".json" and kind is None else jsonl.read
    if suffix == ".csv":
        return spans.read_csv
    if suffix == ".ann":
        return brat.read
    if suffix in sources.EXTENSIONS:  # saved web pages, PDFs, Word files (annotator/sources)
        return sources.reader(suffix)
    if suffix in plaintext.EXTENSIONS:
        if path.with_suffix(".ann").exists():
            return brat.read
        return plaintext.read
    raise FormatError(
        f"{path}: unknown file type {suffix or '(no extension)'}; expected .txt, .md, .html, .pdf, .docx, .jsonl, "
        ".json, .csv, .ann (brat)" + "".join(f", {s}" for s in READERS_BY_SUFFIX)
    )


def _skipped(path: Path, **_: Any) -> ReadResult:
    """The "reader" of a :class:`RefusedPath`: nothing read (not a byte of it, nor of a link's target), and the
    import report names it and why."""
    return ReadResult([], notes=[f"skipped {path}: not read: {getattr(path, 'refusal', '')}"])


#: readers by format name, and by an extension only one format uses
READERS: dict[str, Reader] = {
    "jsonl": jsonl.read,
    "doccano": doccano.read,
    "brat": brat.read,
    "spans": spans.read_jsonl,
    "csv": spans.read_csv,
    "conll": conll.read,
    "labelstudio": labelstudio.read,
    "spacy": spacy_docbin.read,
    "prodigy": jsonl.read,  # a Prodigy task file is our jsonl with tokens: read as that
    "text": plaintext.read,
}
READERS_BY_SUFFIX: dict[str, Reader] = {
    ".conll": conll.read,
    ".iob": conll.read,
    ".bio": conll.read,
    ".spacy": spacy_docbin.read,
}
IMPORTABLE_SUFFIXES = {*plaintext.EXTENSIONS, *sources.EXTENSIONS, *JSON_SUFFIXES, ".ann", ".csv"}


class RefusedPath(type(Path())):  # type: ignore[misc]  # the concrete class (PosixPath or WindowsPath)
    """A file found in a folder that is not read, and why (:attr:`refusal`): a named pipe, a device, a socket, a
    link out of the folder or to nothing. :func:`collect` lists it so that the import names it among the files it
    skipped: :func:`reader_for` gives it a reader that reads nothing and says so in the report's notes."""

    refusal = ""


def _refused(path: Path, why: str) -> RefusedPath:
    refused = RefusedPath(path)
    refused.refusal = why
    return refused


def _refusal(child: Path, root: Path) -> str | None:
    """Why a file inside the folder ``root`` (resolved) is not read, or None: it must be a regular file, or a link
    to one inside the folder. Only ``lstat``/``stat`` are called: a named pipe is never opened, so never waited on."""
    try:
        if child.is_symlink():
            try:
                target = child.resolve(strict=True)
            except (OSError, RuntimeError):
                return "a link to nothing (its target does not exist or links in a loop)"
            if not target.is_relative_to(root):
                return f"a link to {target}, outside the folder; links out of a folder are never followed"
        mode = child.stat().st_mode
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if stat.S_ISREG(mode):
        return None
    kind = ("a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
    return f"{kind}, not a regular file; only regular files are read"


P = TypeVar("P", str, Path)
def natural_order(paths: Iterable[P]) -> list[P]:
    """``paths`` in natural order: numbers by value (``s2`` before ``s10``), letters whatever their case, folder by
    folder; the same on every machine (no locale; names differing only in case or zeros keep code point order).
    100 000 paths in 1.4 s on a loaded 2-core machine (natsort took 4.7 s)."""
    given = list(paths)
    named = sorted((os.fspath(p), n) for n, p in enumerate(given))  # code point order first: ties keep it
    parts: dict[str, bytes] = {}  # a folder's name is in many paths: made once

    def key(item: tuple[str, int]) -> tuple[bytes, ...]:
        return tuple(parts.get(part) or parts.setdefault(part, natural_key(part)) for part in item[0].split(os.sep))

    return [given[n] for _, n in sorted(named, key=key)]


def _may_import(child: Path, folder: Path) -> bool:
    """Whether a path found in ``folder`` is of a kind an import reads there (not hidden, not a ``.csv``)."""
    if any(p.startswith(".") for p in child.relative_to(folder).parts):
        return False
    suffix = child.suffix.lower()
    # a .csv in a folder is more often a table of its own (sample_docs/sources.csv: the samples' issuers) than our
    # csv export: read only when given by name
    return suffix != ".csv" and (suffix in IMPORTABLE_SUFFIXES or suffix in READERS_BY_SUFFIX)


def collect(paths: Iterable[str | Path]) -> list[Path]:
    """Files to import: each file given, and the importable files inside each folder (recursively, in natural order:
    ``s2`` before ``s10``, so the statements are listed in the order the files were numbered).

    A brat pair ``NAME.txt`` + ``NAME.ann`` counts once (as the ``.txt``). Hidden files are skipped, and so are
    ``.csv`` files inside folders (named one by one, they are read as our csv export), and links to folders
    (never followed). A file of an importable kind that is not a regular file inside the folder (a named pipe, a
    device, a link out of the folder or to nothing; a brat pair whose ``.ann`` is one) is listed as a
    :class:`RefusedPath`, which is not read and which the import report names, with why: nothing of an importable
    kind inside a folder is skipped unsaid.
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            root = path.resolve()
            for child in natural_order(c for c in path.rglob("*") if _may_import(c, path)):
                if child.is_dir():  # a folder named like a file (its files are listed on their own)
                    continue
                suffix = child.suffix.lower()
                partner = child.with_suffix(".txt" if suffix == ".ann" else ".ann")
                if suffix == ".ann" and (partner.exists() or partner.is_symlink()):
                    continue  # the pair counts once, as its .txt
                why = _refusal(child, root)
                if why is None and suffix in plaintext.EXTENSIONS and (partner.exists() or partner.is_symlink()):
                    partner_why = _refusal(partner, root)  # a brat pair: its .ann is read too
                    if partner_why is not None:
                        why = f"its brat partner {partner.name} is {partner_why}"
                files.append(child if why is None else _refused(child, why))
        elif path.exists():
            files.append(path)
        else:
            raise AnnotatorError(f"no such file or folder: {path}")
    return files


def read(path: Path, fmt: str | None = None, offsets: str | None = None) -> ReadResult:
    """Read one file; ``offsets`` (``codepoints``/``utf16``) overrides the unit of formats that count in one.
    Each document keeps its provenance (the file, its SHA-256, the reader; DESIGN.md §2.6)."""
    from annotator import __version__
    from annotator.sources.provenance import stamp

    inuse.refuse_if_open_here(path)  # reading our own project's files would drop our locks on them
    reader = reader_for(path, fmt)
    if offsets is not None and reader in (READERS[f] for f in OFFSET_READERS):
        result = reader(path, offsets=offsets)
    else:
        result = reader(path)
    return stamp(path, result, reader.__module__.rsplit(".", 1)[-1], __version__)


def write_stream(fmt: str, items: Items, out: IO[bytes], options: ExportOptions) -> int:
    writer = STREAM_WRITERS[fmt]
    return writer(items, out, options) if fmt in TAKE_OPTIONS else writer(items, out)


def write_folder(fmt: str, items: Items, folder: Path, options: ExportOptions | None = None) -> int:
    """Formats that are folders of files (brat)."""
    if fmt in FOLDER_WRITERS:
        return FOLDER_WRITERS[fmt](items, folder, options or ExportOptions())
    raise AnnotatorError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
