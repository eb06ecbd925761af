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

Fast on the 1 M-character statement (DESIGN.md §5): the key is folded in C, a block at a time, and a block's key
offsets are the text's but for the characters whose fold is longer than one (``é`` → ``e`` + U+0301, ``ß`` →
``ss``), found in C from the set of the block's characters when a match is first in that block; a find walks the key
from where it is asked and checks only the boundaries of the matches it meets, each from the nearest point before
it where a cluster surely begins. Built a cluster at a time, the index took 0.7-1.0 s at the first key in a
1 M-character statement with accents, 180 ms in plain ASCII.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import accumulate

import regex

_CLUSTER = regex.compile(r"\X")

#: a character a grapheme cluster surely begins at, found looking back from a position: one no rule joins to what
#: precedes it (an ordinary letter, a control; not a mark, a joiner, a regional indicator, a Hangul jamo, an emoji
#: after a joiner, an Indic consonant after a virama) with no Prepend character, nor a CR before a LF, before it
_CLUSTER_STARTS = regex.compile(
    r"(?<![\p{GCB=Prepend}\r])(?![\p{Extended_Pictographic}\p{InCB=Consonant}])"
    r"[\p{GCB=Other}\p{GCB=Control}\p{GCB=CR}\p{GCB=LF}]",
    regex.REVERSE,
)

#: how far back a boundary's check looks for such a character before it walks the clusters from the text's start
_LOOK_BACK = 4096


def fold(text: str) -> str:
    """The canonical caseless key of ``text``: two texts with the same key are equal but for case and for how their
    accents are written."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).casefold())


@lru_cache(maxsize=4096)
def _fold_length(ch: str) -> int:
    return len(fold(ch))


#: characters per block of the key (:class:`Finder`): the offsets of a block are worked out when a match is in it
BLOCK = 16384
#: a block ends before an ASCII character or a letter: canonical reordering of marks never crosses one, so the
#: blocks' keys joined are the whole text's
_BLOCK_ENDS = regex.compile(r"[\x00-\x7f\p{L}]")


class _Block:
    """One stretch of the text and its key: where each begins, and (worked out when first asked) the text offsets
    of the characters folded to more than one, their key offsets, and the key's extra length up to each."""

    __slots__ = ("at", "extra", "key_at", "key_start", "longer", "start", "text")

    def __init__(self, text: str, start: int, key_start: int, longer: bool) -> None:
        self.text, self.start, self.key_start, self.longer = text, start, key_start, longer
        self.at: list[int] | None = None
        self.key_at: list[int] = []
        self.extra: list[int] = []

    def _offsets(self) -> None:
        lengths = {ch: n - 1 for ch in set(self.text) if (n := _fold_length(ch)) != 1}
        found = regex.finditer("[" + "".join(regex.escape(ch) for ch in lengths) + "]", self.text)
        self.at = [m.start() for m in found]
        self.extra = list(accumulate(lengths[self.text[t]] for t in self.at))
        self.key_at = [t + extra - lengths[self.text[t]] for t, extra in zip(self.at, self.extra, strict=True)]

    def key_offset(self, t: int) -> int:
        """The key offset of text offset ``t`` (both within the block)."""
        if not self.longer:  # folding never shortens: equal lengths, equal offsets
            return t
        if self.at is None:
            self._offsets()
        j = bisect_left(self.at, t)  # type: ignore[arg-type]  # the characters folded longer before t
        return t + (self.extra[j - 1] if j else 0)

    def text_offset(self, k: int) -> int | None:
        """The text offset key offset ``k`` stands for (both within the block); None inside a character's fold."""
        if not self.longer:
            return k
        if self.at is None:
            self._offsets()
        j = bisect_right(self.key_at, k) - 1  # the last character folded longer at or before k
        if j < 0:
            return k
        begins = self.key_at[j]
        if k == begins:
            return self.at[j]  # type: ignore[index]
        if k <= begins + self.extra[j] - (self.extra[j - 1] if j else 0):  # within its fold
            return None
        return k - self.extra[j]


class Finder:
    """The find's index of one statement's text: its folded key, in blocks whose offsets are worked out when a match
    is in them (built once per text, then every phrase typed is looked for in C)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._blocks: list[_Block] = []
        if text.isascii():
            self.key = text.lower()
            self._blocks.append(_Block(text, 0, 0, False))
        else:
            keys: list[str] = []
            start = k = 0
            while start < len(text):
                end = len(text)
                if start + BLOCK < len(text) and (cut := _BLOCK_ENDS.search(text, start + BLOCK)) is not None:
                    end = cut.start()
                piece = text[start:end]
                key = fold(piece)
                self._blocks.append(_Block(piece, start, k, len(key) != len(piece)))
                keys.append(key)
                start, k = end, k + len(key)
            self.key = "".join(keys)
        self._starts = [b.start for b in self._blocks]
        self._key_starts = [b.key_start for b in self._blocks]

    # ------------------------------------------------------------------ offsets
    def _key_offset(self, t: int) -> int:
        if not self._blocks:
            return 0
        block = self._blocks[bisect_right(self._starts, t) - 1]
        return block.key_start + block.key_offset(t - block.start)

    def _text_offset(self, k: int) -> int | None:
        """The text offset key offset ``k`` stands for; None inside a character's longer fold."""
        if not self._blocks:
            return 0
        block = self._blocks[bisect_right(self._key_starts, k) - 1]
        local = block.text_offset(k - block.key_start)
        return None if local is None else block.start + local

    def _boundary(self, t: int) -> bool:
        """Whether a grapheme cluster of the text begins (or the text ends) at ``t``."""
        text = self.text
        if t <= 0 or t >= len(text):
            return True
        before, after = text[t - 1], text[t]
        if before < "\x80" and after < "\x80":  # two ASCII characters: only CR LF is one cluster
            return not (before == "\r" and after == "\n")
        begins = _CLUSTER_STARTS.search(text, max(0, t - _LOOK_BACK), t + 1)
        walk = begins.start() if begins is not None else 0
        if walk == t:
            return True
        for m in _CLUSTER.finditer(text, walk):
            if m.end() >= t:
                return m.end() == t
        return True

    def _match_at(self, k: int, length: int) -> tuple[int, int] | None:
        """The text's (start, end) of the key's occurrence at ``k``, if it begins and ends on cluster boundaries."""
        start, end = self._text_offset(k), self._text_offset(k + length)
        if start is None or end is None or not self._boundary(start) or not self._boundary(end):
            return None
        return start, end

    # ------------------------------------------------------------------ finding
    def matches(self, needle: str) -> list[tuple[int, int]]:
        """Every (start, end) in code points where ``needle`` occurs (overlapping ones too), in order."""
        want = fold(needle)
        out: list[tuple[int, int]] = []
        if not want:
            return out
        k = self.key.find(want)
        while k >= 0:
            if (found := self._match_at(k, len(want))) is not None:
                out.append(found)
            k = self.key.find(want, k + 1)
        return out

    def next_match(self, needle: str, pos: int) -> tuple[int, int] | None:
        """The first match starting at ``pos`` or after, else the first of the text (wrapping around)."""
        want = fold(needle)
        if not want:
            return None
        key, from_key = self.key, self._key_offset(pos)
        for lo, hi in ((from_key, len(key)), (0, from_key + len(want) - 1)):
            k = key.find(want, lo, hi)
            while k >= 0:
                if (found := self._match_at(k, len(want))) is not None:
                    return found
                k = key.find(want, k + 1, hi)
        return None

    def previous_match(self, needle: str, pos: int) -> tuple[int, int] | None:
        """The last match ending at ``pos`` or before, else the last of the text (wrapping around)."""
        want = fold(needle)
        if not want:
            return None
        key, to_key = self.key, self._key_offset(pos)
        for lo, hi in ((0, to_key), (max(0, to_key - len(want) + 1), len(key))):
            k = key.rfind(want, lo, hi)
            while k >= 0:
                if (found := self._match_at(k, len(want))) is not None:
                    return found
                k = key.rfind(want, lo, k + len(want) - 1)
        return None
