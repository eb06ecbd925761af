"""Sentences and clauses of a statement, in code points: the units a suggestion covers (issue 13).

A sentence ends at ``.``, ``!`` or ``?`` (with any closing quotes or brackets) followed by whitespace and a
capital, digit or opening quote, or at a line break; a period after an abbreviation ("U.S.", "Mr.", "Oct.",
a single capital) ends nothing, nor does the period of an ordinal date ("Am 2. Dezember", "am 3. März": a number
before the month's name, German and English). A sentence is cut into clauses at ``;`` and ``:`` and before
", and", ", but", ", while" and ", whereas" (not after a comma of the same clause: "A, B, and C" is a list); a
clause shorter than three words joins its neighbour. Each unit is trimmed to whole words: leading conjunctions,
surrounding spaces and the final punctuation are left out, and a bracket or quotation is never cut in half (a cut
inside one is not made).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.core.text import is_word_char
from annotator.core.wordstep import CLOSERS, OPENERS, STRAIGHT, is_balanced

# one character class first, so the engine skips to candidates fast (twice the speed of the plain alternation
# ``[.!?]closers(?=...)|\n\s*``, the same matches): the import cuts every statement (store/sentences.py)
_END = re.compile(r"[.!?\n](?:(?<=\n)\s*|(?<=[.!?])[\"'”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9]))")
_CUT = re.compile(r"\s*[;:](?=\s)|,\s+(?=(?:and|but|while|whereas)\b)", re.IGNORECASE)
_LEAD = re.compile(r"^(?:(?:and|but|while|whereas|or|as well as)\b[\s,]*)+", re.IGNORECASE)
_ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "dr", "st", "no", "vs", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "gen", "col", "lt", "sgt", "adm", "gov", "sen", "rep", "jr", "sr", "inc", "corp", "co", "dept",
))
MIN_WORDS = 3
#: month names a German ordinal date's period stands before ("am 2. Dezember"): no sentence ends there (trial 10,
#: D9: "Am 2" and "Dezember wird ..." were two sentences); English ones too ("the 2. December" is rare, and never an
#: end)
_MONTHS = frozenset((
    "januar", "jänner", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober",
    "november", "dezember",
    "january", "february", "march", "may", "june", "july", "october", "december",
))
_ORDINAL = re.compile(r"(?<![\w.])\d{1,2}$")
_NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")
_PAIRED = re.compile("[" + re.escape("".join(OPENERS) + "".join(CLOSERS) + STRAIGHT) + "]")


def _balanced(text: str, start: int, end: int) -> bool:
    """:func:`is_balanced`, without its character-by-character walk when no bracket or quote is there."""
    return _PAIRED.search(text, start, end) is None or is_balanced(text, start, end)


@dataclass(frozen=True, slots=True)
class Unit:
    """A clause: ``text[start:end]``, inside the sentence ``text[sentence_start:sentence_end]``."""

    start: int
    end: int
    sentence: int  # index of its sentence in the statement


def _abbreviation_before(text: str, dot: int) -> bool:
    i = dot
    while i > 0 and (is_word_char(text[i - 1]) or text[i - 1] == "."):
        i -= 1
    word = text[i:dot]
    return "." in word or word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _ordinal_date(text: str, dot: int) -> bool:
    """Whether the period at ``dot`` follows a day's number and precedes a month's name ("2. Dezember")."""
    if not _ORDINAL.search(text, max(dot - 3, 0), dot):
        return False
    m = _NEXT_WORD.match(text, dot + 1)
    return m is not None and m.group(1).lower() in _MONTHS


def sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` as (start, end), untrimmed, covering the text in order."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        if text[m.start()] == "." and (_abbreviation_before(text, m.start()) or _ordinal_date(text, m.start())):
            continue
        end = m.end() if text[m.start()] != "\n" else m.start()
        if end > start:
            out.append((start, end))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``text[start:end]`` without surrounding spaces, leading conjunctions and final punctuation; None if no
    word is left."""
    while start < end and not is_word_char(text[start]) and text[start] not in "(\"“‘[":
        start += 1
    m = _LEAD.match(text, start, end)
    if m and m.end() < end:
        start = m.end()
    while end > start and not is_word_char(text[end - 1]) and text[end - 1] not in ")\"”’]%":
        end -= 1
    if start >= end or not any(is_word_char(c) for c in text[start:end]):
        return None
    if not _balanced(text, start, end):  # an outer quote or bracket taken half: leave it out
        if text[start] in "(\"“‘[" and _balanced(text, start + 1, end):
            start += 1
        elif text[end - 1] in ")\"”’]" and _balanced(text, start, end - 1):
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
    return (start, end) if start < end else None


#: a line this short, standing alone and not ending as a sentence does, is a title or heading ("NEWS | Oct. 26,
#: 2023", "U.S.-Japan-ROK Joint Statement Condemning ...", "Background"): never suggested over
HEADING_WORDS = 25
_SENTENCE_END = frozenset(".!?:;\"”’)]…")


def is_heading(text: str, unit: Unit) -> bool:
    """Whether ``unit`` is a whole line of its own that reads as a title or heading, not a sentence: at most
    :data:`HEADING_WORDS` words (or more, a third of them numbers: a table of contents, "Contents 1 Foo 2 2 Bar 2
    ...", trial 10), not ending in sentence punctuation, with a line break (or the text's edge) on both sides."""
    line_start = text.rfind("\n", 0, unit.start) + 1
    line_end = text.find("\n", unit.end)
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:line_end].strip()
    if not line or line[-1] in _SENTENCE_END:
        return False
    words = line.split()
    if len(words) > HEADING_WORDS and sum(1 for w in words if w.strip(".,").isdigit()) * 3 < len(words):
        return False  # a long line: a heading only when a third of it is numbers (a table of contents)
    return not text[line_start : unit.start].strip() and not text[unit.end : line_end].strip()


def _words(text: str, start: int, end: int) -> int:
    return len(text[start:end].split())


#: clauses of the texts seen last (a retrain and its cross-validation cut the same statements again and again)
_CACHE: dict[str, tuple[Unit, ...]] = {}
CACHE_SIZE = 5000


def clauses(text: str) -> list[Unit]:
    """The clauses of ``text``, trimmed (see the module's docstring), in order."""
    cached = _CACHE.get(text)
    if cached is None:
        if len(_CACHE) >= CACHE_SIZE:
            _CACHE.clear()
        cached = _CACHE[text] = tuple(_clauses(text))
    return list(cached)


def clear_cache() -> None:
    _CACHE.clear()


def _clauses(text: str) -> list[Unit]:
    units: list[Unit] = []
    for index, (s_start, s_end) in enumerate(sentences(text)):
        cuts = [s_start]
        for m in _CUT.finditer(text, s_start, s_end):
            if not _balanced(text, s_start, m.start()):  # never cut inside brackets or quotes
                continue
            if text[m.start()] == "," and "," in text[cuts[-1] : m.start()]:  # the end of a list
                continue
            cuts.append(m.start())
        cuts.append(s_end)
        pieces = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]
        merged: list[list[int]] = []
        for a, b in pieces:
            if merged and (_words(text, a, b) < MIN_WORDS or _words(text, *merged[-1]) < MIN_WORDS):
                merged[-1][1] = b
            else:
                merged.append([a, b])
        for a, b in merged:
            trimmed = trim(text, a, b)
            if trimmed is not None:
                units.append(Unit(trimmed[0], trimmed[1], index))
    return units
