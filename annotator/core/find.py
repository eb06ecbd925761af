"""Find in a statement (the window's Ctrl+F): where a typed phrase occurs, in code points of the statement's text.

Text pasted from macOS or from PDFs often writes "é" as ``e`` + U+0301, while a keyboard types the precomposed
U+00E9; both are the same text (canonically equivalent, Unicode's NFC/NFD), and the corpus search finds either
way. So the find compares *canonical caseless* keys (Unicode's ``NFD(casefold(NFD(x)))``): case is ignored, as
the corpus search ignores it, and how an accent is written is ignored, but not the accent itself ("cafe" does not
find "café"; the corpus search folds accents only while *Exact diacritics* is off, a find in one statement is for
the words the analyst sees).

A match starts and ends on grapheme-cluster boundaries of the statement (UAX #29), so a selection never splits a
letter from its combining marks, a flag, an emoji sequence or a CRLF; ``text[start:end]`` is the statement's own
text and folds to the same key as the phrase.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from functools import lru_cache

import regex

_CLUSTER = regex.compile(r"\X")


def fold(text: str) -> str:
    """The canonical caseless key of ``text``: two texts with the same key are equal but for case and for how their
    accents are written."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).casefold())


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    return fold(ch)


class Finder:
    """The find's index of one statement's text: its folded key and where each grapheme cluster starts in both
    (built once per text, then every phrase typed is looked for in C)."""

    def __init__(self, text: str) -> None:
        self.text = text
        parts: list[str] = []
        #: key offset -> code point offset, for every cluster boundary (the text's end too)
        self._at: dict[int, int] = {}
        k = 0
        if text.isascii() and "\r\n" not in text:  # one cluster per code point: the common case, fast
            key = text.lower()
            self._at = dict(zip(range(len(text) + 1), range(len(text) + 1), strict=True))
        else:
            for m in _CLUSTER.finditer(text):
                cluster = m.group()
                part = _fold_char(cluster) if len(cluster) == 1 else fold(cluster)
                self._at[k] = m.start()
                parts.append(part)
                k += len(part)
            self._at[k] = len(text)
            key = "".join(parts)
        self.key = key

    def matches(self, needle: str) -> list[tuple[int, int]]:
        """Every (start, end) in code points where ``needle`` occurs (overlapping ones too), in order."""
        want = fold(needle)
        if not want:
            return []
        out: list[tuple[int, int]] = []
        at, key = self._at, self.key
        i = key.find(want)
        while i >= 0:
            start, end = at.get(i), at.get(i + len(want))
            if start is not None and end is not None:
                out.append((start, end))
            i = key.find(want, i + 1)
        return out

    def next_match(self, needle: str, pos: int) -> tuple[int, int] | None:
        """The first match starting at ``pos`` or after, else the first of the text (wrapping around)."""
        found = self.matches(needle)
        i = bisect_left(found, (pos, -1))
        return found[i] if i < len(found) else (found[0] if found else None)

    def previous_match(self, needle: str, pos: int) -> tuple[int, int] | None:
        """The last match ending at ``pos`` or before, else the last of the text (wrapping around)."""
        found = self.matches(needle)
        before = [m for m in found[: bisect_right(found, (pos, pos))] if m[1] <= pos]
        return before[-1] if before else (found[-1] if found else None)
