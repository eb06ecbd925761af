"""Plain ``.txt``/``.md`` statements: decoded, BOM dropped, line endings normalised to ``\\n`` (DESIGN.md §2.1)."""

from __future__ import annotations

from pathlib import Path

from annotator.core.model import IncomingDocument, ReadResult
from annotator.core.text import MAX_TEXT_BYTES, decode_bytes, normalise_newlines
from annotator.errors import FormatError
from annotator.formats.common import read_bytes

EXTENSIONS = (".txt", ".md", ".text")


def title_for(path: Path) -> str:
    return path.stem


def read(path: Path) -> ReadResult:
    data = read_bytes(path, MAX_TEXT_BYTES)  # its errors name the file already
    try:
        decoded = decode_bytes(data)
    except FormatError as exc:
        raise FormatError(f"{path}: {exc.message}", exc.problems) from None
    notes = []
    if decoded.legacy:
        notes.append(f"{path.name}: not UTF-8; decoded as {decoded.encoding}")
    doc = IncomingDocument(text=normalise_newlines(decoded.text), title=title_for(path), source=path.name)
    return ReadResult([doc], notes=notes)
