"""A PDF with a text layer: its text in reading order without the pages' running heads, feet and page numbers
(listed in the import summary), lines joined into paragraphs, runs of spaces and tabs made one space (Qt's PDF writer
maps its spaces to tabs), words split by an end-of-line hyphen rejoined. A scanned PDF (no text layer), an encrypted
one or a damaged one gets one clear line.

The library is pypdf (BSD-3-Clause; the project is MIT, so an AGPL one such as PyMuPDF is not an option). Its
plain extraction follows the page's content order, which for statements (one column) is the reading order.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

from annotator.core.model import ReadResult
from annotator.errors import FormatError
from annotator.sources import MAX_FILE_BYTES, webtext
from annotator.sources.common import (
    best_title,
    document,
    file_bytes,
    meaningful_author,
    meaningful_title,
    wrong_type,
)
from annotator.sources.pdf_layout import join_pages

#: pypdf reports what it repairs through logging ("EOF marker not found"): the import's one line says what matters,
#: so nothing reaches a terminal through logging's last-resort handler
logging.getLogger("pypdf").addHandler(logging.NullHandler())

EXTRACTOR = "pypdf"
ENCRYPTED = "the PDF is encrypted (password-protected); save an unprotected copy first"
#: more pages than this is a book, not a statement
MAX_PAGES = 2000



def read(path: Path) -> ReadResult:
    data = file_bytes(path, MAX_FILE_BYTES)
    if b"%PDF-" not in data[:1024]:
        raise wrong_type(path, data, "a PDF")
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _opens_without_password(reader):
            raise FormatError(f"{path}: {ENCRYPTED}")
        if len(reader.pages) > MAX_PAGES:
            raise FormatError(f"{path}: the PDF has {len(reader.pages)} pages (at most {MAX_PAGES})")
        pages = [page.extract_text(extraction_mode="plain") or "" for page in reader.pages]
        title = _title(reader)
        author = _author(reader)
    except FormatError:
        raise
    except (FileNotDecryptedError, DependencyError):
        raise FormatError(f"{path}: {ENCRYPTED}") from None
    except Exception as exc:  # pypdf on a damaged file raises many kinds: one line, not a traceback
        raise FormatError(f"{path}: the PDF is damaged and cannot be read ({type(exc).__name__}: {exc})") from None
    removed: list[str] = []
    text = join_pages(pages, removed)
    if not text.strip():
        raise FormatError(f"{path}: the PDF has no text layer (a scanned image?); run OCR on it first")
    header = webtext.clean(text)
    title = best_title(title, header.title if header.date else "")
    # the issuer a header line names, else the file's /Author when it names one: never the title (trial 10, D3)
    issuer = next((i for i in (header.issuer, author) if i and i.casefold() != title.casefold()), "")
    result = document(path, data, text, EXTRACTOR, pypdf.__version__, title=title, date=header.date, issuer=issuer)
    if removed:  # listed as every removed line is (a long document's first ten, then how many more)
        shown = list(dict.fromkeys(removed))
        quoted = "; ".join(map(repr, shown[:10])) + (f"; and {len(shown) - 10} more" if len(shown) > 10 else "")
        result.notes.append(f"{path.name}: removed {len(removed)} running head, foot or page number line(s): "
                            f"{quoted}")
    return result


def _title(reader: Any) -> str:
    """The title the file's properties state: the document information's /Title, else the XMP metadata's
    ``dc:title`` (PDF 2.0 keeps only that), when it names something (:func:`common.meaningful_title`)."""
    try:
        info = reader.metadata
        raw = info.title if info is not None else None  # resolved when indirect; None when absent
    except Exception:  # damaged properties state no title; the text is still read
        raw = None
    title = meaningful_title(raw) if isinstance(raw, str) else ""
    if not title:
        try:
            xmp = reader.xmp_metadata
            titles = (xmp.dc_title or {}) if xmp is not None else {}
        except Exception:  # a damaged XMP packet states nothing
            titles = {}
        if isinstance(titles, dict):
            found = [titles.get("x-default"), *titles.values()]
            title = next((t for t in (meaningful_title(v) for v in found if isinstance(v, str)) if t), "")
    return title


def _author(reader: Any) -> str:
    """The author the document information states (``/Author``), when it may name an issuer
    (:func:`common.meaningful_author`)."""
    try:
        info = reader.metadata
        raw = info.author if info is not None else None
    except Exception:  # damaged properties state no author
        raw = None
    return meaningful_author(raw) if isinstance(raw, str) else ""


def _opens_without_password(reader) -> bool:  # type: ignore[no-untyped-def]
    """An encrypted PDF with an empty user password (restrictions only) opens as is."""
    try:
        return bool(reader.decrypt(""))
    except Exception:
        return False
