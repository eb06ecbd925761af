"""Writing a brat folder: ``NAME.txt`` + ``NAME.ann`` per document and an ``annotation.conf``, filled in a temporary
sibling folder renamed into place. What each limit of the format becomes is described in :mod:`brat`, which holds
the encodings this shares with the reader.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from annotator import leftovers
from annotator.core.model import Document, Span
from annotator.errors import AnnotatorError
from annotator.formats.brat import encode_label, escape_note, fragments
from annotator.formats.common import ExportOptions
from annotator.formats.losses import Losses

#: characters that cannot be in a file name on some system (``/`` and ``\\`` separate paths)
_FORBIDDEN_IN_NAMES = set('<>:"/\\|?*')
_BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME_BYTES = 100
#: brat's declaration that any entity may overlap any other in any way (contain, equal, cross)
OVERLAP_RULE = "<OVERLAP> Arg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>"
_BRAT_CONFIG_TYPE = re.compile(r"[A-Za-z0-9_-]+")


def safe_name(title: str, used: set[str]) -> str:
    """A readable file name (without extension) for ``title``, unique among ``used`` (casefolded; updated)."""
    chars = []
    for ch in unicodedata.normalize("NFC", title):
        bad = ch in _FORBIDDEN_IN_NAMES or ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs")
        chars.append(" " if bad or ch.isspace() else ch)
    name = " ".join("".join(chars).split()).strip(" .")
    name = name.encode("utf-8")[:MAX_NAME_BYTES].decode("utf-8", "ignore")  # cut at a character boundary
    name = name.rstrip(" .") or "document"
    if name.split(".")[0].upper() in _WINDOWS_DEVICES:
        name = f"_{name}"
    candidate, n = name, 1
    while candidate.casefold() in used:
        n += 1
        candidate = f"{name}_{n}"
    used.add(candidate.casefold())
    return candidate


def blank(text: str, span: Span) -> bool:
    """Whether the span holds only line breaks and spaces, which brat cannot hold: its text field would be blank,
    which brat's parser reports as "missing text" and fills from the text, rewriting the ``.ann``."""
    return text[span.start : span.end].isspace()


def ann_text(text: str, spans: list[Span]) -> str:
    """The ``.ann`` file for one document: T lines in (start, end, label) order, each followed by its note; spans
    that are :func:`blank` are left out (the export counts them)."""
    lines = []
    notes = 0
    t = 0
    for s in sorted(spans, key=lambda s: (s.start, s.end, s.label, s.id)):
        if blank(text, s):
            continue
        t += 1
        frags = fragments(text, s.start, s.end)
        offsets = ";".join(f"{a} {b}" for a, b in frags)
        quoted = " ".join(text[a:b] for a, b in frags)
        lines.append(f"T{t}\t{encode_label(s.label)} {offsets}\t{quoted}\n")
        if s.note:
            notes += 1
            lines.append(f"#{notes}\tAnnotatorNotes T{t}\t{escape_note(s.note)}\n")
    return "".join(lines)


def annotation_conf(types: Iterable[str]) -> str:
    """brat's collection configuration, so the exported folder opens in brat without "unknown type" warnings."""
    listed = sorted(t for t in set(types) if _BRAT_CONFIG_TYPE.fullmatch(t))
    others = sorted(t for t in set(types) if not _BRAT_CONFIG_TYPE.fullmatch(t))
    head = ["# brat configuration written by Annotator: the labels of this export."]
    if others:
        head.append(
            "# Not listed, as brat's configuration allows only [A-Za-z0-9_-] in type names: " + " ".join(others)
        )
    return "\n".join(
        [
            *head,
            "[entities]",
            *listed,
            "",
            "[relations]",
            "# spans may nest and cross (brat's validator would report each one otherwise)",
            OVERLAP_RULE,
            "",
            "[events]",
            "",
            "[attributes]",
            "",
        ]
    )


def write_folder(
    items: Iterable[tuple[Document, list[Span]]], folder: Path, options: ExportOptions | None = None
) -> int:
    """Write each document as ``NAME.txt`` + ``NAME.ann`` (plus ``annotation.conf``) into ``folder``, which must
    not exist or be empty; returns the number of documents written. The texts whose line ends were normalised
    for brat are named in ``options.notes``."""
    folder = Path(os.path.abspath(folder))
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise AnnotatorError(f"cannot export to {folder}: it exists and is not a folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise AnnotatorError(
            f"cannot export to {folder}: the folder is not empty (a brat export is written into a new or empty "
            "folder, never mixed with other files)"
        )
    if not folder.parent.is_dir():
        raise AnnotatorError(f"cannot export to {folder}: the folder {folder.parent} does not exist")
    leftovers.clean_beside(folder)  # hidden folders of killed exports to the same folder
    tmp = _make_temp_sibling(folder)
    try:
        n = _write_files(items, tmp, options if options is not None else ExportOptions())
        if hasattr(os, "sync"):
            os.sync()  # one flush for every file instead of an fsync each: the rename must not outrun the data
        if folder.exists():
            folder.rmdir()  # empty (checked above); fails, and we stop, if something was put there meanwhile
        os.rename(tmp, folder)
        _fsync_dir(folder.parent)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise AnnotatorError(f"cannot write {folder}: {exc.strerror or exc}") from None
        raise
    return n


def _make_temp_sibling(folder: Path) -> Path:
    """A new hidden folder beside ``folder`` (same file system, so the final rename is atomic); made with
    ``os.mkdir`` rather than ``mkdtemp`` so it gets the user's usual permissions, not 0700."""
    for _ in range(100):
        tmp = folder.parent / f"{leftovers.temp_prefix(folder)}{secrets.token_hex(4)}.part"
        try:
            os.mkdir(tmp)
        except FileExistsError:
            continue
        except OSError as exc:
            raise AnnotatorError(f"cannot write {folder}: {exc.strerror or exc}") from None
        return tmp
    raise AnnotatorError(f"cannot write {folder}: no free temporary name beside it")


def _write_files(items: Iterable[tuple[Document, list[Span]]], tmp: Path, options: ExportOptions) -> int:
    used: set[str] = set()
    types: set[str] = set()
    left_out: list[str] = []
    losses = Losses("brat", keeps=("span note",))
    n = 0
    for doc, spans in items:
        name = safe_name(doc.title, used)
        losses.add(doc, spans, title_as=name)
        text = doc.text
        (tmp / f"{name}.txt").write_bytes(text.encode("utf-8"))  # byte for byte: brat counts every character
        (tmp / f"{name}.ann").write_bytes(ann_text(text, spans).encode("utf-8"))
        left_out += [f"{name}.txt {s.label} {s.start}-{s.end}" for s in spans if blank(text, s)]
        types.update(encode_label(s.label) for s in spans if not blank(text, s))
        n += 1
    (tmp / "annotation.conf").write_bytes(annotation_conf(types).encode("utf-8"))
    if left_out:
        shown = "; ".join(left_out[:20]) + (f" and {len(left_out) - 20} more" if len(left_out) > 20 else "")
        options.notes.append(
            f"{len(left_out)} span(s) holding only line breaks or spaces left out of the brat export (brat cannot "
            f"hold a span without a visible character; the jsonl export keeps them): {shown}"
        )
    if (lost := losses.note()) is not None:
        options.notes.append(lost)
    return n


def _fsync_dir(path: Path) -> None:
    """Make the rename durable where the platform allows opening a directory (not on Windows)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
