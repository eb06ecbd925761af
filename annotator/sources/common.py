"""What the published-form readers share: reading the file within limits, naming its real type, paragraphs."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from annotator.core.model import IncomingDocument, Provenance, ReadResult
from annotator.core.text import storable_problem
from annotator.errors import FormatError


def file_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes; refused when it is not a regular file, empty or larger than ``limit``."""
    from annotator.formats.common import read_at_most  # here: the formats package imports these readers

    try:
        if not path.is_file():
            raise FormatError(f"{path}: not a regular file")
        size = path.stat().st_size
        if size > limit:
            raise FormatError(f"{path}: the file is too large ({size // 2**20} MB; at most {limit // 2**20} MB)")
        with open(path, "rb") as fh:
            data = read_at_most(fh, limit)
    except OSError as exc:
        raise FormatError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not data.strip():
        raise FormatError(f"{path}: the file is empty")
    if len(data) > limit:
        raise FormatError(f"{path}: the file is too large (more than {limit // 2**20} MB)")
    return data


def sniff(data: bytes) -> str:
    """What the bytes really are, for the message when they are not what the name says."""
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        return "a PDF file"
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive (e.g. a .docx)"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "an old Office (.doc) or password-protected Office file"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "an image"
    lowered = head[:512].lower()
    if b"<html" in lowered or b"<!doctype html" in lowered:
        return "a web page (HTML)"
    if b"\x00" in data[:4096]:
        return "a binary file"
    return "plain text"


def wrong_type(path: Path, data: bytes, expected: str) -> FormatError:
    return FormatError(f"{path}: not {expected}: the file is {sniff(data)}")


_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\ufb05": "st", "\ufb06": "st", "\u00ad": None})
_BLANKS = re.compile(r"\n{3,}")


def tidy(text: str) -> str:
    """Typographic ligatures spelled out, soft hyphens dropped, trailing spaces and extra blank lines removed."""
    text = text.translate(_LIGATURES).replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", text).strip("\n")


#: "Microsoft Word - statement.docx": the title a PDF printed from an Office file gets, the file's name after it
_OFFICE_PRINT = re.compile(r"^microsoft\s+(?:office\s+)?(?:word|excel|powerpoint|publisher)\s*-\s*", re.IGNORECASE)
_FILE_EXTENSION = re.compile(r"\.(?:docx?|dotx?|rtf|odt|pdf|txt|pptx?|xlsx?|html?|indd|pages|wpd)$", re.IGNORECASE)
#: titles that authoring tools fill in by themselves: they name no statement
_PLACEHOLDER = re.compile(
    r"^(?:untitled|untitled document|document|new document|doc|microsoft word document|word document|title|"
    r"no title|notitle|print|pdf|slide|powerpoint presentation|presentation|page|blank|template|normal|draft|"
    r"none|null|unknown|n/?a|test|(?:document|title|page|slide)\s*(?:title|name|here)?)"
    r"[\s_\-.#()]*\d*[\s_\-.()]*$",
    re.IGNORECASE,
)


def meaningful_title(raw: str) -> str:
    """The title a file's properties state, or "" when it names nothing: empty, a placeholder an authoring tool
    filled in ("Untitled", "Document1", "PowerPoint Presentation"), or a bare file name such as the "Microsoft
    Word - x.doc" of a PDF printed from Word (whose file name part is kept when it reads as words: "Microsoft Word -
    Joint Statement.docx" is "Joint Statement")."""
    title = " ".join(raw.replace("\x00", " ").split())
    printed = _OFFICE_PRINT.match(title)
    if printed:
        title = title[printed.end() :]
    if printed or _FILE_EXTENSION.search(title):
        title = re.split(r"[\\/]", title)[-1]  # "C:\\Users\\kim\\statement.docx": the file's name only
        title = _FILE_EXTENSION.sub("", title).strip()
        if " " not in title:  # "x", "JS_2023-10-26_final": a file's name, not a title
            return ""
    if sum(ch.isalpha() for ch in title) < 2 or _PLACEHOLDER.match(title):
        return ""
    return title


def document(path: Path, data: bytes, text: str, extractor: str, version: str, **fields: str) -> ReadResult:
    """One statement read from a published form, with its provenance; refused when no text is left."""
    if not text.strip():
        raise FormatError(f"{path}: no text found in the file")
    problem = storable_problem(text)
    if problem:
        raise FormatError(f"{path}: {problem}")
    title = (fields.pop("title", "") or path.stem).strip()[:300] or path.stem
    provenance = Provenance(path.name, hashlib.sha256(data).hexdigest(), extractor, version)
    doc = IncomingDocument(text=text, title=" ".join(title.split()), source=path.name, provenance=provenance,
                           date=fields.get("date", ""), issuer=fields.get("issuer", ""), url=fields.get("url", ""))
    return ReadResult([doc])
