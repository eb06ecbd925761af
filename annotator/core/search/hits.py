"""A hit: where a query matched a statement's text (or its memo), in code points, with its context.

``text[start:end] == match`` always (DESIGN.md §2.1): offsets come from the stored text itself -- FTS5 marks the
matched tokens with ``highlight()`` and :func:`marked_regions` reads the marks back into offsets -- never from a
count in another unit.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple

#: characters of context each side of a hit, unless asked otherwise
CONTEXT = 40
#: the fields a hit can be in
TEXT, MEMO = "text", "note"


class Hit(NamedTuple):
    """One hit: strings and numbers only. CPython's collector never stops tracking a NamedTuple (only a plain
    tuple), so a list that holds many keeps them as plain tuples (``ui/search/model.HitList``): 100 000 tracked hits
    made every full collection walk them."""

    doc_id: int
    sha256: str
    title: str
    date: str
    start: int
    end: int
    left: str
    match: str
    right: str
    field: str = TEXT  # "text", or "note" for the statement's memo
    labels: tuple[str, ...] = ()  # labels of the spans that cover the hit, sorted

    @property
    def in_memo(self) -> bool:
        return self.field == MEMO

    @property
    def key(self) -> tuple[int, str, int, int]:
        """What identifies a hit across searches and label changes."""
        return (self.doc_id, self.field, self.start, self.end)

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"doc_id": self.doc_id, "sha256": self.sha256, "title": self.title,
                                  "start": self.start, "end": self.end, "left": self.left, "match": self.match,
                                  "right": self.right}
        if self.in_memo:
            out["field"] = MEMO
        return out


#: a hit's key (:attr:`Hit.key`) read from its plain tuple (what a search makes by the hundred thousand)
row_key = itemgetter(*(Hit._fields.index(f) for f in ("doc_id", "field", "start", "end")))
_DOC_ID_AT, _FIELD_AT = Hit._fields.index("doc_id"), Hit._fields.index("field")


def in_texts(rows: Sequence[tuple[Any, ...]], doc_ids: set[int], start: int = 0) -> list[int]:
    """Where (from ``start`` on) the hits, as plain tuples, in the texts (not the memos) of these statements are."""
    return [i for i in range(start, len(rows)) if rows[i][_DOC_ID_AT] in doc_ids and rows[i][_FIELD_AT] != MEMO]


def marked_regions(marked: str, opener: str, closer: str) -> list[tuple[int, int]]:
    """(start, end) in code points of the original text of each region ``marked`` holds between ``opener`` and
    ``closer`` (single characters the original does not contain), in order. Found by one regular expression (in C:
    a statement holding a common word has hundreds), each region's offsets less the two marks of each before it."""
    found = []
    for k, m in enumerate(_marks(opener, closer).finditer(marked)):
        start, end = m.start() - 2 * k, m.end() - 2 * k - 2
        if end > start:
            found.append((start, end))
    return found


@lru_cache(maxsize=8)
def _marks(opener: str, closer: str) -> re.Pattern[str]:
    """An opener, then anything up to the first closer after it, then that closer."""
    return re.compile(f"{re.escape(opener)}[^{re.escape(closer)}]*{re.escape(closer)}")


def unmark(marked: str, opener: str, closer: str) -> str:
    return marked.replace(opener, "").replace(closer, "")


def free_markers(*texts: str) -> tuple[str, str]:
    """Two characters none of ``texts`` holds: noncharacters first, then private-use ones."""
    candidates = (chr(c) for c in (*range(0xFDD0, 0xFDF0), *range(0xF0000, 0xFFFFE)))
    chosen: list[str] = []
    for ch in candidates:
        if not any(ch in t for t in texts):
            chosen.append(ch)
            if len(chosen) == 2:
                return chosen[0], chosen[1]
    raise ValueError("no free marker characters")  # a text holding 65 000 private-use characters: not a statement


def make_hit(doc_id: int, sha256: str, title: str, date: str, text: str, start: int, end: int,
             context: int = CONTEXT, field_name: str = TEXT) -> Hit:
    return Hit._make(cut(doc_id, sha256, title, date, text, [(start, end)], context, field_name)[0])


def cut(doc_id: int, sha256: str, title: str, date: str, text: str, regions: Iterable[tuple[int, int]],
        context: int = CONTEXT, field_name: str = TEXT) -> list[tuple[Any, ...]]:
    """The hits of ``regions`` (start, end) of ``text`` as plain tuples of :class:`Hit`'s fields, labels empty: what
    a search makes by the hundred thousand, without a NamedTuple each (``Hit._make`` gives one back)."""
    return [(doc_id, sha256, title, date, start, end, text[start - context if start > context else 0 : start],
             text[start:end], text[end : end + context], field_name, ()) for start, end in regions]


def covered(spans: Iterable[tuple[int, int, str]], regions: Sequence[tuple[int, int]]) -> dict[int, tuple[str, ...]]:
    """The labels of the spans (start, end, label) that cover each of many regions of one text whole, the regions
    sorted by start: {index of a region: its labels, sorted, each once} for the regions a span covers (most are
    covered by none). Each span looks only at the regions that start inside it (a bisection), not every region at
    every span."""
    starts = [r[0] for r in regions]
    found: dict[int, set[str]] = {}
    for s, e, label in spans:
        i = bisect_left(starts, s)
        while i < len(starts) and starts[i] <= e:
            if regions[i][1] <= e:
                found.setdefault(i, set()).add(label)
            i += 1
    return {i: tuple(sorted(labels)) for i, labels in found.items()}


def shown(context: str) -> str:
    """A context as one line (line breaks and tabs as spaces) for a table cell; offsets are not taken from it."""
    return context.translate(_ONE_LINE)


_ONE_LINE = str.maketrans(dict.fromkeys("\r\n\t\u2028\u2029\x0b\x0c\x85", " "))


def kept(labels: tuple[str, ...], field: str, labelled: str | None) -> bool:
    """The results filter, on a hit's covering labels and field: None keeps every hit, "" those no span covers
    yet (memos are never labelled), a label key those it covers."""
    if labelled is None:
        return True
    if labelled == "":
        return not labels and field != MEMO
    return labelled in labels
