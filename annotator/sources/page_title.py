"""A saved page's title when the extractor took it from the ``<title>`` element cut at a separator.

The extractor (trafilatura) splits "A - B - C" at its last separator and keeps the part before it unless that holds
a dot: "BBC - 606 - A Forum Conversation" became "BBC - 606", the site and its section, the page's own name cut off
(trial 13, F9). One separator is the common "Statement title - Site" and its choice stands, and so does a choice of
one part; with more, the part (or run of parts) the page's own heading (an ``<h1>``, its ``og:title``) names is the
title, else the whole less the site's name when the page states it at one end, else the whole: a title too long is
better than the site's name in its place.
"""

from __future__ import annotations

import re
from html import unescape

#: the separators the extractor splits a ``<title>`` at (trafilatura's ``HTMLTITLE_REGEX``)
_SEPARATOR = re.compile(r"\s+[–•·—|⁄*⋆~‹«<›»>:-]\s+")
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^<>]*>")
#: the title a page states for sharing (``og:title``, ``twitter:title``): its own name, without the site's
_OWN_TITLE = re.compile(r"""<meta\b[^<>]*?(?:property|name)\s*=\s*["']?(?:og|twitter):title["']?[^<>]*?"""
                        r"""\bcontent\s*=\s*["']([^"'<>]*)""", re.IGNORECASE)
#: the markup looked at: the head and the page's headings come first
_LOOK = 1 << 20


def _plain(fragment: str) -> str:
    return " ".join(unescape(_TAG.sub(" ", fragment)).split())


def chosen(extracted: str, markup: str, site: str = "") -> str:
    """The page's title: ``extracted`` unless it is a part of the ``<title>`` cut at one of two separators or more
    (then as the module says). ``markup`` is the page as text, ``site`` its name when it states one."""
    head = markup[:_LOOK]
    found = _TITLE.search(head)
    if not found or not extracted:
        return extracted
    whole = _plain(found.group(1))
    cuts = list(_SEPARATOR.finditer(whole))
    if (extracted == whole or len(cuts) < 2 or not _SEPARATOR.search(extracted)
            or not (whole.startswith(extracted) or whole.endswith(extracted))):
        return extracted  # one part ("Erinnerung an die Opfer", as the page's og:title says): the extractor's choice
    bounds = [0, *(c for cut in cuts for c in (cut.start(), cut.end())), len(whole)]
    starts, ends = bounds[0::2], bounds[1::2]  # each part's start and end in ``whole``
    runs = {whole[starts[i] : ends[j]] for i in range(len(starts)) for j in range(i, len(ends))}
    headings = {_plain(h).casefold() for h in _H1.findall(head)} | {
        _plain(t).casefold() for t in _OWN_TITLE.findall(head)}
    named = [run for run in runs if run.casefold() in headings]
    if named:
        return max(named, key=len)
    first, last = whole[: ends[0]], whole[starts[-1] :]
    if site and site.casefold() == first.casefold():
        return whole[starts[1] :]
    if site and site.casefold() == last.casefold():
        return whole[: ends[-2]]
    return whole
