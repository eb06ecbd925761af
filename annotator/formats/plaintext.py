"""Plain ``.txt``/``.md`` statements: decoded, BOM dropped, line endings normalised to ``\\n`` (DESIGN.md §2.1)."""

from __future__ import annotations

from pathlib import Path

from annotator.core.model import IncomingDocument, ReadResult
from annotator.core.text import MAX_TEXT_BYTES, decode_bytes, normalise_newlines
from annotator.errors import FormatError
from annotator.formats.common import read_bytes
from annotator.sources import webtext

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
    notes += from_web_page(doc, path.name)
    return ReadResult([doc], notes=notes)


def from_web_page(doc: IncomingDocument, name: str) -> list[str]:
    """Text copied from a web page: its chrome lines dropped and its date, title and issuer read from the header
    (``sources/webtext.py``); returns the summary's lines naming what was removed and read."""
    cleaned = webtext.clean(doc.text)
    notes = []
    if cleaned.removed:
        doc.text = cleaned.text
        quoted = "; ".join(repr(line[:60] + ("…" if len(line) > 60 else "")) for line in cleaned.removed)
        notes.append(f"{name}: removed {len(cleaned.removed)} line(s) of page chrome: {quoted}")
    # a title only from what looks like a page's header: a date, chrome, or an issuer's line under the title (trial
    # 15, F2: "Statement on Nuclear Safety" over "Federal Foreign Office" gave neither without a date)
    if cleaned.date or cleaned.removed or cleaned.issuer:
        doc.title = cleaned.title or doc.title
        doc.date, doc.issuer = cleaned.date, cleaned.issuer
        read = [f"{k} {v!r}" for k, v in (("date", doc.date), ("title", cleaned.title), ("issuer", doc.issuer)) if v]
        if read:
            notes.append(f"{name}: read from the header: " + ", ".join(read))
    return notes
