"""A saved web page (``.html``/``.htm``): its main text without navigation, banners and footers, and its title,
date, issuer (the author, else the site) and canonical URL when the page states them. The author is the
extractor's, else the one the page's ``<meta>`` tags state (``author``, ``article:author``, ``dc.creator``, ...),
which also stands for an extractor's author made of its words ("U S Department" for "U.S. Department of State":
the extractor drops or cuts names that read like an organisation's, which statements' authors are). A candidate that
is only a date, a time or a number is none (the extractor takes a title's last part, "... | 02.11.2021", for the
site's name): the next one is the issuer.

The extractor is trafilatura (Apache-2.0; first among open extractors in its authors' published evaluation,
F 0.91 against readability's 0.80). Paragraphs stay paragraphs: one blank line between them.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from annotator.core.model import ReadResult
from annotator.core.variables import parse_date
from annotator.errors import FormatError
from annotator.sources import MAX_FILE_BYTES, dates, embeds, page_title
from annotator.sources.common import document, file_bytes, sniff, tidy, wide_unicode, wrong_type
from annotator.sources.webtext import names_no_one

EXTRACTOR = "trafilatura"


def read(path: Path) -> ReadResult:
    raw = data = file_bytes(path, MAX_FILE_BYTES)
    try:
        wide = wide_unicode(data)
    except FormatError as exc:
        raise FormatError(f"{path}: {exc.message}") from None
    if wide:  # UTF-16/32: read on as UTF-8, the declaration saying so (the extractor and the meta readers use it)
        data = _DECLARED.sub(b"\\1utf-8", wide[0].encode("utf-8"))
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
    site = _named((found.sitename or "").strip())
    markup = _markup(data)
    title = page_title.chosen((found.title or "").strip(), markup, site)
    issuer = _author(_byline(found.author or "", markup), page_author(data)) or (
        site if site and site != title else "")
    issuer = issuer or _named((found.hostname or "").strip())
    try:
        date = parse_date(found.date or "")
    except ValueError:
        date = ""
    day = dates.check(markup, date, found.text) if date else dates.Check("")
    url = (found.url or "").strip()
    cut = _inline_authors(data)
    lines = [line.strip() for line in found.text.split("\n") if line.strip()]
    lines = [cut.get(" ".join(line.split()), line) for line in lines] if cut else lines
    pieces = embeds.player_texts(data)
    players = [line for line in lines if embeds.is_player_line(line, pieces)]
    lines = [line for line in lines if not embeds.is_player_line(line, pieces)] if players else lines
    credits = [line for line in lines if _CREDIT.fullmatch(line)]
    text = tidy("\n\n".join(line for line in lines if not _CREDIT.fullmatch(line)))
    result = document(path, raw, text, EXTRACTOR, trafilatura.__version__,
                      title=title, date=day.date, issuer=issuer,
                      url=url if url.startswith(("http://", "https://")) else "")
    if wide:
        result.notes.append(f"{path.name}: not UTF-8; decoded as {wide[1]}")
    if day.note:
        result.notes.append(f"{path.name}: {day.note}")
    if credits:
        quoted = "; ".join(repr(line) for line in credits)
        result.notes.append(f"{path.name}: removed {len(credits)} picture credit line(s): {quoted}")
    if players:
        quoted = "; ".join(repr(line) for line in dict.fromkeys(players))
        result.notes.append(f"{path.name}: removed {len(players)} line(s) of embedded video players (skip links, "
                            f"consent notices): {quoted}")
    return result


#: a picture's credit line that the extractor keeps with the text ("© Bundesrat | Frank Bräuer", "Photo: AP")
_CREDIT = re.compile(r"(©|\(c\)|photo:|foto:|bild:|image:|credit:)\s*\S.{0,80}", re.IGNORECASE)


#: the ``<meta>`` tags (``name`` or ``property``) that state a page's author, in order of trust
AUTHOR_META = (
    "author",
    "article:author",
    "og:article:author",
    "dc.creator",
    "dcterms.creator",
    "parsely-author",
    "sailthru.author",
)
#: the head is read up to this many bytes (the ``<meta>`` tags come first)
_HEAD_BYTES = 1 << 20
#: a charset declaration's value, to be made ``utf-8`` when the page was UTF-16/32
_DECLARED = re.compile(rb"""(<meta[^>]*?charset\s*=\s*["']?\s*)[A-Za-z0-9_.:-]+""", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


#: the accounts a CMS names as a page's author when no one is: never a statement's issuer (the site is, then)
_NO_ONE = re.compile(
    r"(?:site[ _-]?|web[ _-]?)?(?:admin(?:istrator)?|master|team|editor|staff|user|root|guest|author|owner|"
    r"content(?:[ _-]?team)?|webmaster|wordpress|drupal|joomla|unknown|anonymous|none|null|n/?a)[ _-]?\d*",
    re.IGNORECASE,
)


def _author(extracted: str, stated: str) -> str:
    """The extractor's author, or the page's own when the extractor found none or a cut of it (only its words);
    a CMS account ("admin", "Webmaster") is no one's name."""
    extracted = _named(" ".join(extracted.split()))
    extracted = "" if _NO_ONE.fullmatch(extracted) else extracted
    stated = "" if _NO_ONE.fullmatch(stated) else stated
    if stated and (not extracted or _words(extracted) <= _words(stated)):
        return stated
    return extracted


#: the words a byline puts before its author: "Press Statement by", "Remarks by", "Posted by", "By:"
_BY = re.compile(r"(?:(?:press|media|joint)\s+)?(?:(?:statement|remarks|readout|release|note|briefing|posted|written|"
                 r"published|issued)\s+)?by:?\s+(?=\S)", re.IGNORECASE)


def _byline(extracted: str, markup: str) -> str:
    """The extractor's author as the page writes it: without the words a byline puts before it ("Press Statement
    by Matthew Miller, Department Spokesperson" is "Matthew Miller, Department Spokesperson"), and with its commas
    where the extractor made them "; " (it takes a comma for a list of authors) but the page writes the name so."""
    author = " ".join(extracted.split())
    if "; " in author and author.replace("; ", ", ") in " ".join(markup.split()):
        author = author.replace("; ", ", ")
    return author[_BY.match(author).end():] if _BY.match(author) else author


#: an inline element naming an author (``<span class="author">``): the extractor drops it as page furniture, also
#: from the middle of a sentence ("Posted on 2024-05-01 by <span class="author">Ministry ...</span>"). Linear in the
#: page (DESIGN.md §2.2, bounded work): a tag's scan stops at the next ``<`` or ``>``, a quoted value's at its
#: closing quote, an unquoted one's at a space or ``=``, so no stretch is scanned again from each attribute in it
#: (``[^"'>]*author`` was: a 150 KB tag of ``id=x id=x ...`` took 37 s to import)
_INLINE_AUTHOR = re.compile(
    rb"""<(?:span|a|em|strong|b|i|cite)\b[^<>]*?\b(?:class|id|rel|itemprop)\s*=\s*"""
    rb"""(?:"[^"<>]*author|'[^'<>]*author|[^\s"'<>=]*author)""",
    re.IGNORECASE,
)


def _inline_authors(data: bytes) -> dict[str, str]:
    """{a paragraph as the extractor leaves it without an author element inside it: the paragraph whole}, for the
    author elements that stand inside a sentence (after some text of their paragraph); a byline that is only the
    author stays dropped."""
    if not _INLINE_AUTHOR.search(data):
        return {}
    from trafilatura.utils import load_html

    tree = load_html(data)
    if tree is None:
        return {}
    found: dict[str, str] = {}
    for element in tree.iter("span", "a", "em", "strong", "b", "i", "cite"):
        marks = " ".join(element.get(key) or "" for key in ("class", "id", "rel", "itemprop"))
        parent = element.getparent()
        if "author" not in marks.lower() or parent is None:
            continue
        before, after, seen = [parent.text or ""], [element.tail or ""], False
        for child in parent:
            if child is element:
                seen = True
            elif not isinstance(child.tag, str):  # a comment
                (after if seen else before).append(child.tail or "")
            else:
                (after if seen else before).extend((child.text_content(), child.tail or ""))
        head, tail = " ".join("".join(before).split()), " ".join("".join(after).split())
        if head:
            whole = " ".join(parent.text_content().split())
            found[head] = found[f"{head} {tail}".strip()] = whole
    return found


def _named(candidate: str) -> str:
    """``candidate``, or "" when it names no one (a date, a time, a number: "02.11.2021", an address "10.0.0.5")."""
    return "" if names_no_one(candidate) else candidate


def _words(name: str) -> set[str]:
    return set(re.findall(r"\w+", name.casefold()))


def _markup(data: bytes) -> str:
    """The page's markup as text, its entities resolved (``June&nbsp;7``), in the charset its ``<meta>`` names."""
    found = _CHARSET.search(data[:_HEAD_BYTES])
    charset = found.group(1).decode("ascii") if found else "utf-8"
    try:
        markup = data.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know
        markup = data.decode("utf-8", errors="replace")
    return unescape(markup)


def page_author(data: bytes) -> str:
    """The author the page's ``<meta>`` tags state (:data:`AUTHOR_META`), or "": never a URL (``article:author``
    is often a profile's address), a value without two letters nor a date (the next tag's value is, then)."""
    head = data[:_HEAD_BYTES]
    body = re.search(rb"<body[\s>]", head, re.IGNORECASE)
    head = head[: body.start()] if body else head
    found = _CHARSET.search(head)
    charset = found.group(1).decode("ascii") if found else "utf-8"
    try:
        markup = head.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know
        markup = head.decode("utf-8", errors="replace")
    reader = _MetaReader()
    try:
        reader.feed(markup)
        reader.close()
    except Exception:  # html.parser gives up on some broken markup: the page then states no author
        return ""
    for key in AUTHOR_META:
        for value in reader.found.get(key, []):
            value = " ".join(value.split())
            if (sum(ch.isalpha() for ch in value) >= 2 and not re.match(r"(?i)(https?:|www\.)", value)
                    and not names_no_one(value)):
                return value[:300]
    return ""


class _MetaReader(HTMLParser):
    """``<meta name|property=... content=...>`` values by lower-cased key."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "meta":
            return
        values = {k.lower(): v or "" for k, v in attrs}
        key = (values.get("name") or values.get("property") or values.get("itemprop") or "").strip().lower()
        if key in AUTHOR_META and values.get("content", "").strip():
            self.found.setdefault(key, []).append(values["content"])
