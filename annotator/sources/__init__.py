"""Statements from where they are published (DESIGN.md §2.6): saved web pages, PDFs and Word files, each read into
clean text with its title, date, issuer and source filled when the file states them, and its provenance kept.

No Qt. Each reader checks that the file is what its name says and gives one clear line (a FormatError) for a file
that is empty, of another type, scanned, encrypted, damaged or a ZIP bomb; the text a reader returns is what the
project stores (cleaning happens here, at import, never later).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annotator.core.model import ReadResult

#: the published forms read here, by extension
EXTENSIONS: tuple[str, ...] = (".html", ".htm", ".pdf", ".docx")
#: a published statement larger than this is refused before it is parsed
MAX_FILE_BYTES = 64 * 1024 * 1024


def reader(suffix: str) -> Callable[[Path], ReadResult]:
    """The reader for a file extension in :data:`EXTENSIONS` (its library imported only when needed)."""
    suffix = suffix.lower()
    if suffix in (".html", ".htm"):
        from annotator.sources import html

        return html.read
    if suffix == ".pdf":
        from annotator.sources import pdf

        return pdf.read
    if suffix == ".docx":
        from annotator.sources import docx

        return docx.read
    raise ValueError(f"not a published form: {suffix}")


def read(path: Path) -> ReadResult:
    return reader(path.suffix)(path)
