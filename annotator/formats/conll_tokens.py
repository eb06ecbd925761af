"""The tokens of the CoNLL export: never a character cut in two.

A *character* here is what a reader sees as one: a grapheme cluster (UAX #29, the ``regex`` module's ``\\X``, as
:mod:`annotator.formats.counting` counts them): ``é`` written as ``e`` + U+0301, ``👩‍👩‍👧`` (three emoji joined by
U+200D), ``🇰🇷`` (two regional indicators), ``👍🏽`` (a skin-tone modifier), ``❤️`` (a variation selector), a
Devanagari conjunct with its virama and vowel signs, Hangul jamo with a tone mark. A token is whole characters:

- a *word* is a run of characters whose base (the first code point that is not a prepended mark such as U+0600)
  belongs to words (:func:`annotator.core.text.is_word_char`, the rule of word snapping and word steps);
- any other character is a token of its own (a punctuation mark, an emoji, a flag);
- white space separates tokens; but a mark on a space (``" \\u0301"``, a spacing accent as Unicode spells it) is
  a character, not white space, and is a token with its space;
- a number stays one token with the marks inside it: a digit, one of ``. , : / -`` and a digit, nothing between
  them, join (``9.087``, ``1,000``, ``0,5``, ``2024-01-05``, ``05.01.2024``, ``10:30``; ``1st`` and ``3º`` are words
  already), as spaCy's tokenizer keeps them, so a value is never read back as ``9 . 087``;
- a mark or U+200D that stands on nothing a reader sees (after U+200B, U+FEFF or another control) stays in the
  token before it; only one with nothing before it on its line, or after a tab, starts a token (it is a character
  of its own there, and read back it is where it was).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from annotator.core.text import is_word_char

#: a sentence: a line of the text (CRLF, CR, LF, U+2028, U+2029 and NEL end one)
LINE = re.compile(r"[^\n\r\u2028\u2029\x85]+")
#: a line without a character of several code points, nor a word character ``re``'s ``\w`` does not know: there a
#: character is a code point and :func:`is_word_char` is ``\w``, and this finds the same tokens at C speed
_PLAIN = re.compile(r"\w+|[^\w\s]")


@cache
def _patterns() -> tuple[Any, Any, Any]:
    """``regex`` patterns, compiled on the first export (importing ``regex`` costs ~25 ms of every command's start):
    a character (``\\X``); prepended marks; and what may make a line not plain (UAX #29: marks, U+200D, regional
    indicators, prepended marks, conjoining jamo; marks, U+200C and connector punctuation other than ``_``)."""
    import regex

    not_plain = (
        r"[\p{GCB=Extend}\p{GCB=SpacingMark}\p{GCB=ZWJ}\p{GCB=Regional_Indicator}\p{GCB=Prepend}\p{GCB=L}"
        r"\p{GCB=V}\p{GCB=T}\p{M}\p{Pc}\u200c\u200d--_]"
    )
    return regex.compile(r"\X"), regex.compile(r"\p{GCB=Prepend}*"), regex.compile(not_plain, regex.V1)


def _base(character: str) -> str:
    """The code point a character is built on: its first, after any prepended marks."""
    skip = _patterns()[1].match(character).end()  # ``*`` always matches
    return character[skip] if skip < len(character) else character[0]


def _leans_back(ch: str) -> bool:
    """A mark or joiner that belongs to the character before it (here: one with no base of its own)."""
    return ch == "\u200d" or unicodedata.category(ch)[0] == "M"


def tokens(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of each token of ``text[start:end]`` (one line), in order; each is whole characters."""
    end = len(text) if end is None else end
    character_pattern, _, not_plain = _patterns()
    if not_plain.search(text, start, end) is None:
        found = [m.span() for m in _PLAIN.finditer(text, start, end)]
    else:
        found = _characters(text, start, end, character_pattern)
    return _numbers_joined(text, found) if _NUMBER.search(text, start, end) else found


#: a digit, a mark that may stand inside a number, a digit
_NUMBER = re.compile(r"\d[.,:/\-]\d")
_INSIDE_NUMBERS = frozenset(".,:/-")


def _numbers_joined(text: str, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``found`` with each token ending in a digit, a one-character ``. , : / -`` right after it and a token
    starting with a digit right after that made one token (again and again: ``2024-01-05``)."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(found):
        a, b = found[i]
        while (i + 2 < len(found) and text[b - 1].isdigit() and found[i + 1] == (b, b + 1)
               and text[b] in _INSIDE_NUMBERS and found[i + 2][0] == b + 1 and text[b + 1].isdigit()):
            b = found[i + 2][1]
            i += 2
        out.append((a, b))
        i += 1
    return out


def _characters(text: str, start: int, end: int, character_pattern: Any) -> list[tuple[int, int]]:
    """The tokens of a line holding characters of several code points, a character at a time."""
    out: list[tuple[int, int]] = []
    word: bool | None = None  # whether the open token is a word; None: no token open (start, or white space)
    for match in character_pattern.finditer(text, start, end):
        character = match.group()
        if character.isspace():
            word = None
            continue
        first = character[0]
        wordy = is_word_char(first if len(character) == 1 else _base(character))
        if word is not None and ((word and wordy) or _leans_back(first)):
            out[-1] = (out[-1][0], match.end())
            continue
        out.append(match.span())
        word = wordy
    return out


def lines(text: str) -> list[list[tuple[int, int]]]:
    """The tokens of each line of ``text`` that has any."""
    return [found for line in LINE.finditer(text) if (found := tokens(text, *line.span()))]
