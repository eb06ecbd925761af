"""A saved web page (``.html``/``.htm``): its main text without navigation, banners and footers, and its title,
date, issuer (the author, else the site) and canonical URL when the page states them.

The extractor is trafilatura (Apache-2.0; first among open extractors in its authors' published evaluation,
F 0.91 against readability's 0.80). Paragraphs stay paragraphs: one blank line between them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from annotator.core.model import ReadResult
from annotator.core.variables import parse_date
from annotator.errors import FormatError
from annotator.sources import MAX_FILE_BYTES
from annotator.sources.common import document, file_bytes, sniff, tidy, wrong_type

EXTRACTOR = "trafilatura"


def read(path: Path) -> ReadResult:
    data = file_bytes(path, MAX_FILE_BYTES)
    if sniff(data) not in ("a web page (HTML)", "plain text") or b"<" not in data[:65536]:
        raise wrong_type(path, data, "a web page")
    import trafilatura  # 0.3 s to import: only when a page is read

    try:
        found: Any = trafilatura.bare_extraction(
            data, include_comments=False, include_tables=True, with_metadata=True, deduplicate=False
        )
    except Exception as exc:  # lxml/trafilatura on a damaged page: one line, not a traceback
        raise FormatError(f"{path}: the page cannot be read ({type(exc).__name__}: {exc})") from None
    if found is None or not (found.text or "").strip():
        raise FormatError(f"{path}: no main text found in the page")
    title = (found.title or "").strip()
    site = (found.sitename or "").strip()
    issuer = (found.author or "").strip() or (site if site and site != title else "") or (found.hostname or "")
    try:
        date = parse_date(found.date or "")
    except ValueError:
        date = ""
    url = (found.url or "").strip()
    lines = [line.strip() for line in found.text.split("\n") if line.strip()]
    credits = [line for line in lines if _CREDIT.fullmatch(line)]
    text = tidy("\n\n".join(line for line in lines if not _CREDIT.fullmatch(line)))
    result = document(path, data, text, EXTRACTOR, trafilatura.__version__,
                      title=title, date=date, issuer=issuer, url=url if url.startswith(("http://", "https://")) else "")
    if credits:
        quoted = "; ".join(repr(line) for line in credits)
        result.notes.append(f"{path.name}: removed {len(credits)} picture credit line(s): {quoted}")
    return result


#: a picture's credit line that the extractor keeps with the text ("© Bundesrat | Frank Bräuer", "Photo: AP")
_CREDIT = re.compile(r"(©|\(c\)|photo:|foto:|bild:|image:|credit:)\s*\S.{0,80}", re.IGNORECASE)
