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

Fast on the 1 M-character statement (DESIGN.md §5): the key is folded in C a block at a time, when a find first
reaches the block, and a block's key offsets are the text's but for the characters whose fold is longer than one
(``é`` → ``e`` + U+0301, ``ß`` → ``ss``), found in C from the set of the block's characters when a match is first
in it; a find walks the blocks from where it is asked and checks only the boundaries of the matches it meets, each
from the nearest point before it where a cluster surely begins. Built a cluster at a time, the index took
0.7-1.0 s at the first key in a 1 M-character statement with accents, 180 ms in plain ASCII.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
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


#: characters per block of the key (:class:`Finder`): a block is folded when a find first reaches it
BLOCK = 16384
#: a block ends before an ASCII character or a letter: canonical reordering of marks never crosses one, so the
#: blocks' keys joined are the whole text's
_BLOCK_ENDS = regex.compile(r"[\x00-\x7f\p{L}]")


class _Block:
    """One stretch of the text: its key, folded when first asked, and (worked out when a match is first in it) the
    block's offsets of the characters folded to more than one, their key offsets, and the key's extra length up to
    each."""

    __slots__ = ("_key", "at", "end", "extra", "key_at", "start", "text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.start, self.end = text, start, end
        self._key: str | None = None
        self.at: list[int] | None = None
        self.key_at: list[int] = []
        self.extra: list[int] = []

    @property
    def key(self) -> str:
        if self._key is None:
            piece = self.text[self.start : self.end]
            self._key = piece.lower() if piece.isascii() else fold(piece)
        return self._key

    def _offsets(self) -> list[int]:
        if self.at is None:
            if len(self.key) == self.end - self.start:  # folding never shortens: equal lengths, equal offsets
                self.at = []
            else:
                piece = self.text[self.start : self.end]
                lengths = {ch: n - 1 for ch in set(piece) if (n := _fold_length(ch)) != 1}
                found = regex.finditer("[" + "".join(regex.escape(ch) for ch in lengths) + "]", piece)
                self.at = [m.start() for m in found]
                self.extra = list(accumulate(lengths[piece[t]] for t in self.at))
                self.key_at = [t + x - lengths[piece[t]] for t, x in zip(self.at, self.extra, strict=True)]
        return self.at

    def key_offset(self, t: int) -> int:
        """The key offset of text offset ``t`` (both within the block)."""
        j = bisect_left(self._offsets(), t)  # the characters folded longer before t
        return t + (self.extra[j - 1] if j else 0)

    def text_offset(self, k: int) -> int | None:
        """The text offset key offset ``k`` stands for (both within the block); None inside a character's fold."""
        at = self._offsets()
        j = bisect_right(self.key_at, k) - 1  # the last character folded longer at or before k
        if j < 0:
            return k
        begins = self.key_at[j]
        if k == begins:
            return at[j]
        if k <= begins + self.extra[j] - (self.extra[j - 1] if j else 0):  # within its fold
            return None
        return k - self.extra[j]


class Finder:
    """The find's index of one statement's text: its folded key in blocks, each folded when a find first reaches it
    (a find from the middle of a 1 M-character statement folds a block or two, not the text: folding all of it took
    27-37 ms, more than a frame, at the first key typed), then looked for in C."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._blocks: list[_Block] = []
        start = 0
        while True:
            cut = _BLOCK_ENDS.search(text, start + BLOCK) if start + BLOCK < len(text) else None
            end = cut.start() if cut is not None else len(text)
            self._blocks.append(_Block(text, start, end))
            if end >= len(text):
                break
            start = end
        self._starts = [b.start for b in self._blocks]

    # ------------------------------------------------------------------ offsets
    def _where(self, t: int) -> tuple[int, int]:
        """(block, key offset in it) of text offset ``t``."""
        j = bisect_right(self._starts, t) - 1
        block = self._blocks[j]
        return j, block.key_offset(t - block.start)

    def _text_offset(self, j: int, k: int) -> int | None:
        """The text offset of key offset ``k`` counted from block ``j``'s start (it may run into the blocks after);
        None inside a character's longer fold."""
        while k > len(self._blocks[j].key) and j + 1 < len(self._blocks):
            k -= len(self._blocks[j].key)
            j += 1
        local = self._blocks[j].text_offset(k)
        return None if local is None else self._blocks[j].start + local

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

    def _match_at(self, j: int, k: int, length: int) -> tuple[int, int] | None:
        """The text's (start, end) of the key's occurrence at ``k`` of block ``j``, if it begins and ends on cluster
        boundaries."""
        start, end = self._text_offset(j, k), self._text_offset(j, k + length)
        if start is None or end is None or not self._boundary(start) or not self._boundary(end):
            return None
        return start, end

    # ------------------------------------------------------------------ finding
    def _window(self, j: int, want: str) -> str:
        """Block ``j``'s key and as much of the next blocks' as a match beginning in it can reach."""
        key, more = self._blocks[j].key, len(want) - 1
        while more > 0 and (j := j + 1) < len(self._blocks):
            key += self._blocks[j].key[:more]
            more -= len(self._blocks[j].key)
        return key

    def _found(self, j: int, want: str, lo: int, hi: int | None = None, backwards: bool = False
               ) -> Iterator[tuple[int, int]]:
        """The matches of ``want`` beginning in block ``j`` at key offsets ``lo`` to ``hi`` (its end if None), in
        order or ``backwards``."""
        window = self._window(j, want)
        hi = len(self._blocks[j].key) if hi is None else hi
        stop = min(len(window), hi + len(want) - 1)  # no match begins at hi or after
        k = window.rfind(want, lo, stop) if backwards else window.find(want, lo, stop)
        while k >= 0:
            if (found := self._match_at(j, k, len(want))) is not None:
                yield found
            k = window.rfind(want, lo, k + len(want) - 1) if backwards else window.find(want, k + 1, stop)

    def matches(self, needle: str) -> list[tuple[int, int]]:
        """Every (start, end) in code points where ``needle`` occurs (overlapping ones too), in order."""
        want = fold(needle)
        if not want:
            return []
        return [m for j in range(len(self._blocks)) for m in self._found(j, want, 0)]

    def next_match(self, needle: str, pos: int) -> tuple[int, int] | None:
        """The first match starting at ``pos`` or after, else the first of the text (wrapping around)."""
        want = fold(needle)
        if not want:
            return None
        b, kb = self._where(pos)
        for j in range(b, len(self._blocks)):
            for found in self._found(j, want, kb if j == b else 0):
                return found
        for j in range(b + 1):
            for found in self._found(j, want, 0, kb if j == b else None):
                return found
        return None

    def previous_match(self, needle: str, pos: int) -> tuple[int, int] | None:
        """The last match ending at ``pos`` or before, else the last of the text (wrapping around)."""
        want = fold(needle)
        if not want:
            return None
        b, kb = self._where(pos)
        for j in range(b, -1, -1):
            for found in self._found(j, want, 0, kb if j == b else None, backwards=True):
                if found[1] <= pos:
                    return found
        for j in range(len(self._blocks) - 1, -1, -1):
            for found in self._found(j, want, 0, backwards=True):
                return found
        return None
