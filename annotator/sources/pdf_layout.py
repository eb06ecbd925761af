"""A PDF's pages as a statement's text (pure; ``sources/pdf.py`` reads the pages): the pages' running heads, feet
and page numbers left out, lines joined into paragraphs as a reader reads them, runs of spaces (or a tab) made one
space, words split by an end-of-line hyphen rejoined."""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections import Counter
from difflib import SequenceMatcher

from annotator.sources.common import tidy
from annotator.sources.webtext import parse_header_date

_HYPHENATED = re.compile(r"(\w)-$")
#: a sentence's end: Latin, CJK (。！？：；」』）》】), Arabic (؟ ۔) and Devanagari (। ॥) punctuation
_SENTENCE_END = re.compile(r"[.!?:;\"”’)\]。！？：；」』）》】؟۔।॥]$")


def join_pages(pages: list[str], removed: list[str] | None = None) -> str:
    """The pages' lines as paragraphs, runs of spaces in a line and tabs made one space, the pages' furniture left out
    (:func:`drop_furniture`; its lines are appended to ``removed``).

    A line ends its paragraph when it is blank, short and ends a sentence, a short heading before a capital, a
    short line in a script without capitals (Arabic, Thai, CJK: no capital marks what follows as new), a sentence
    whose next line changes from such a script to one with capitals or back ("Chinese (traditional):" over
    "你好世界"), or a short line before a short "Label:" line. A line that begins with a section's number ("1.2.",
    "2.3.4", "(a)"; "A." and "IV." on a short line) or a run-in head in capitals ("JUNE 11TH.—") starts a
    paragraph after a line that ends a sentence (however long) or is short, and a table of contents' line is one of
    its own (trial 13, F2). A line ending in a word no heading ends in ("… camp that") is no heading, and an empty
    line between a line without a sentence's end and one beginning in lower case does not break the sentence. A
    word broken by a hyphen at a line end is joined again (a hyphen before a capital is kept: ``U.S.-Japan``);
    lines of Chinese, Japanese or Thai, written without spaces, join without one."""
    texts = [[_SPACES.sub(" ", line.strip()) for line in tidy(page).split("\n")] for page in pages]
    kept = [list(lines) for lines in texts]
    dropped = drop_furniture(texts)
    if dropped and not any(line for lines in texts for line in lines):
        texts, dropped = kept, []  # pages holding nothing but numbers: they are the text
    if removed is not None:
        removed.extend(dropped)
    paragraphs: list[str] = []
    current: list[str] = []  # the paragraph's pieces, joined once: a paragraph may run over many pages
    ended = False  # whether the last line ended a sentence or was short
    for lines in texts:
        widths = [_width(line) for line in lines if line]
        full = statistics.quantiles(widths, n=10)[-1] if len(widths) >= 2 else sum(widths)
        # with two or three lines the quantile lies past the widest line; the rule that needs no punctuation (a
        # line of Japanese may end a sentence mid-line) measures "short" against the widest line instead
        widest = min(full, max(widths, default=0))
        toc = _contents_lines(lines)
        for i, line in enumerate(lines):
            if not line:
                if current and not _runs_on(lines, i):
                    paragraphs.append("".join(current))
                    current = []
                continue
            if current and ended and (_begins_section(line, full) or _begins_run_in(line) or toc[i]):
                paragraphs.append("".join(current))  # a page's first line, after the sentence the last page ended
                current = []
            _join(current, line)
            following = lines[i + 1] if i + 1 < len(lines) else ""
            width, open_end = _width(line), line.endswith((",", "-"))
            short = width < 0.75 * full
            ends_sentence = short and _SENTENCE_END.search(line)
            heading = (width < 0.6 * full and following[:1].isupper() and not open_end
                       and _last_word(line) not in _OPEN_WORDS)
            # a section's number ("1.2. What is this spec?") or a run-in head ("JUNE 11TH.—") after a sentence's
            # end, however long its line; a line of a table of contents ("1 Foo 2") is a line of its own
            ended = bool(_SENTENCE_END.search(line)) or (short and not open_end)
            section = ended and _begins_section(following, full)
            run_in = ended and _begins_run_in(following)
            contents = toc[i] or (i + 1 < len(lines) and toc[i + 1])
            caseless = width < 0.75 * widest and _caseless(line)
            switch = bool(following and _SENTENCE_END.search(line)) and _caseless(line) != _caseless(following, 0)
            before_label = (short and not open_end and following.endswith((":", "\uff1a"))
                            and _width(following) < 0.6 * full and not following[:1].islower())
            # a date on a line of its own ("15 June 2024", "Brussels, 27 May 2024") is a header's, not a sentence's
            dated = short and (_is_date(line) or (not open_end and _is_date(following)))
            if (ends_sentence or heading or caseless or switch or before_label or dated or section or run_in
                    or contents):
                paragraphs.append("".join(current))
                current = []
    if current:
        paragraphs.append("".join(current))
    return "\n\n".join(paragraphs)


#: a line that begins with a section's number: "1.", "1.2.", "2.3.4", "(a)", "(iv)"; not "2018." (a year)
_SECTION_NUMBER = re.compile(r"(?:\d{1,3}\.(?:\d{1,3}\.?)*|\(\w{1,4}\))\s+\S")
#: a section's letter or roman number ("A.", "IV."): only on a short line, as "J. Smith" may begin a line of prose
_LETTER_NUMBER = re.compile(r"(?:[A-Z]|[IVXLC]{1,6})\.\s+\S")
#: a run-in head in capitals closed by a dash, a sentence beginning after it: a diary's "JUNE 11TH.—Stayed", a
#: dateline's "WASHINGTON — The" (not "NATO — and its partners", a sentence's own dash)
_RUN_IN = re.compile(r"[A-Z0-9][A-Z0-9 ,.'\u2019]{2,40}?\s*[\u2014\u2013]\s*[A-Z]")
#: a table of contents' line: its text, then dot leaders and a page number, or a section's number, its text and
#: a page number ("1 Foo 2", "2.1 Directory layout 4")
_DOT_LEADERS = re.compile(r"\S.*?(?:\.\s?){3,}\s*\d{1,4}|\S.*?\u2026+\s*\d{1,4}")
_NUMBERED_ENTRY = re.compile(r"\d{1,3}(?:\.\d{1,3})*\.?\s+[^\W\d].{0,80}?\s\d{1,3}")
#: words that end no heading: a line ending in one runs on ("A report creeps into camp that" beside a picture)
_OPEN_WORDS_TEXT = """
    a an the and or but nor of to in on at by for from with into onto upon as than that which who whom whose
    is are was were be been has have had will would shall should can could may might must not if when while where
    whether because although though so such this these those its their our his her my your
    der die das den dem des und oder aber von zu mit für auf im am aus bei nach über unter dass ein eine einen
    einem einer ist sind wird werden le la les un une du de et ou à au aux pour par sur dans avec que qui est
    sont el los las y o en con para por del es son
"""
_OPEN_WORDS = frozenset(_OPEN_WORDS_TEXT.split())


def _begins_section(line: str, full: float) -> bool:
    if _SECTION_NUMBER.match(line):
        return True
    return bool(_LETTER_NUMBER.match(line)) and _width(line) < 0.75 * full


def _begins_run_in(line: str) -> bool:
    found = _RUN_IN.match(line)
    return bool(found) and sum(ch.isalpha() for ch in found.group()) >= 2


def _contents_lines(lines: list[str]) -> list[bool]:
    """Which lines are a table of contents': a line with dot leaders before its page number, or one of two or more
    numbered lines in a row that end in a page number ("1 Foo 2" over "2 Bar 2": one such line alone may be a
    list's item ending in a number)."""
    numbered = [bool(_NUMBERED_ENTRY.fullmatch(line)) for line in lines]
    return [bool(_DOT_LEADERS.fullmatch(line)) or (numbered[i] and (
        (i > 0 and numbered[i - 1]) or (i + 1 < len(lines) and numbered[i + 1]))) for i, line in enumerate(lines)]


def _runs_on(lines: list[str], blank: int) -> bool:
    """Whether the sentence runs on over the blank line at ``blank`` (an OCR layer's gap): the line before it ends
    without a sentence's punctuation and the next line begins in lower case."""
    before = next((line for line in reversed(lines[:blank]) if line), "")
    after = next((line for line in lines[blank + 1 :] if line), "")
    return bool(before) and not _SENTENCE_END.search(before) and after[:1].islower()


def _last_word(line: str) -> str:
    words = line.split()
    return words[-1] if words else ""


def _is_date(line: str) -> bool:
    return 0 < len(line) <= 60 and bool(parse_header_date(line))


def drop_furniture(pages: list[list[str]]) -> list[str]:
    """Takes each page's running head and foot and its page number out of its lines (in place); returns them.

    Only a page's first and last lines are looked at, two deep at each end (a head of two lines: "Data Model –
    Edition 1.0", then "GeoBase® 12"). Such a line goes when it

    - says it is a page number ("Page 3 of 7", "- 3 -", "[3]");
    - is a bare number ("12", "iv") that counts the pages: the page's own place, or the same step from it as on
      another page (a page number; a number left alone by a table or a diagram is not);
    - begins or ends with a number that counts the pages as on at least ``needed`` pages (a running head with its
      page number, whatever the chapter it names);
    - is, its numbers and punctuation aside, the first (last) line of ``needed`` pages: one spelling recurring
      exactly, the others 85 % alike to it (OCR slips: "VICKSBUEG").

    The first page keeps its first line unless it says it is a page number or is a running line with a number:
    there it is the statement's own heading or letterhead ("..., Level 1"), which later pages may repeat. It counts
    among the pages a running line is found on, though: a letterhead repeated at the top of page 2 of 2 is a
    running head there (trial 10, D3).

    ``needed`` is half the pages, at least 2 of 2 or 3 pages and at least 3 of more: a running head most often
    skips the first page, so "every page" would miss it; two pages of a long document may begin alike by chance,
    three hardly do. A document of one page loses only a line that says in words it is a page number ("Page 1 of
    1"; a lone "- 30 -" is a press release's end mark)."""
    removed: list[str] = []
    n = len(pages)
    needed = 2 if n <= 3 else max(3, math.ceil(n / 2))
    numbered = [False] * n  # a page has one page number: once it is found, no other number goes
    for lines in pages:
        _trim(lines)
    kept = 0  # the first page's first lines kept as its letterhead: the next level looks below them
    for end in (0, -1):
        for _level in range(2):
            edge = [lines[end] if lines else "" for lines in pages]
            if end == 0 and pages and kept:
                edge[0] = pages[0][kept] if len(pages[0]) > kept else ""
            numbers = [_numbers(line) if n > 1 and (i or end) and not numbered[i] else []
                       for i, line in enumerate(edge)]
            bare = [bool(numbers[i]) and bool(_BARE_NUMBER.fullmatch(line)) for i, line in enumerate(edge)]
            steps = Counter(step for i, values in enumerate(numbers) for step in {v - i for v in values})
            bare_steps = Counter(numbers[i][0] - i for i in range(n) if bare[i])
            keys = [_key(line) if n > 1 else "" for line in edge]
            letterhead = end == 0 and bool(keys) and not any(ch.isdigit() for ch in edge[0])
            running = _running(keys, needed)
            if letterhead and running[0]:
                running[0] = False
                kept += 1
            for i, line in enumerate(edge):
                step = numbers[i][0] - i if bare[i] else 0
                counts = (step == 1 or bare_steps[step] >= 2) if bare[i] else any(
                    steps[v - i] >= needed for v in numbers[i])
                says = bool(line) and not numbered[i] and bool(_NUMBERED_PAGE.fullmatch(line)) and (
                    n > 1 or line[:1].isalpha())  # one page's "- 30 -" ends a press release; "Page 1 of 1" goes
                if says or counts or running[i]:
                    numbered[i] = numbered[i] or says or counts
                    removed.append(pages[i].pop(kept if end == 0 and i == 0 else end))
                    _trim(pages[i])
    return removed


#: a line that says it is a page number: "Page 3", "Page 3 of 7", "p. 3", "3 of 7", "3/7", "- 3 -", "—4", "[3]"
_NUMBERED_PAGE = re.compile(
    r"(?:page|pg\.?|p\.|seite|p[áa]gina)\s*\d{1,4}(?:\s*(?:of|/|von|sur|de|di)\s*\d{1,4})?"
    r"|\d{1,4}\s*(?:of|/)\s*\d{1,4}|[-\u2013\u2014]+\s*\d{1,4}\s*[-\u2013\u2014]*|\d{1,4}\s*[-\u2013\u2014]+|\[\d{1,4}\]",
    re.IGNORECASE)
#: a bare page number: up to three digits (not a year), or lower-case roman as front matter is numbered
_BARE_NUMBER = re.compile(r"\d{1,3}|(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})")
_ROMAN = re.compile(r"(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})")
_ROMAN_VALUE = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_TOKEN = re.compile(r"\d+|[^\W\d_]+")
#: the spaces between a line's words: a run of two or more, or a tab (a vertical tab, a form feed), made one space. A
#: PDF has no tab stops: a tab character in its text layer is a glyph the writer mapped to U+0009, drawn as a space
#: (Qt's QPdfWriter maps every space so, trial 14, F1), and a table's columns are placed by the page's positioning,
#: which pypdf's plain extraction gives as one space as it does any gap between words
_SPACES = re.compile(r"[^\S\n]{2,}|[\t\x0b\x0c]")


def _numbers(line: str) -> list[int]:
    """The numbers a line begins and ends with (arabic up to 4 digits, lower-case roman), which may be its page's:
    the line's very first or last characters ("on page 3." ends a sentence, not a running head)."""
    tokens = _TOKEN.findall(line)
    found = []
    for token in {t for t in tokens[:1] + tokens[-1:] if line.startswith(t) or line.endswith(t)}:
        if token.isdecimal() and len(token) <= 4:
            found.append(int(token))
        elif token.islower() and _ROMAN.fullmatch(token):
            values = [_ROMAN_VALUE[ch] for ch in token] + [0]
            found.append(sum(-v if v < values[k + 1] else v for k, v in enumerate(values[:-1])))
    return found


def _key(line: str) -> str:
    """A line's words with every number (arabic or roman) as ``#``, those at either end left out: the page number
    stands before the head on one page and after it on the next."""
    tokens = ["#" if t.isdigit() or _ROMAN.fullmatch(t) else t for t in _TOKEN.findall(line.lower())]
    while tokens and tokens[0] == "#":
        del tokens[0]
    while tokens and tokens[-1] == "#":
        tokens.pop()
    return " ".join(tokens)


def _running(keys: list[str], needed: int) -> list[bool]:
    """Which keys are a running line's: alike to a key found on two pages or more, on at least ``needed`` pages.
    The eight commonest such keys are matched loosely, any others exactly (a book's many chapter heads)."""
    hits = [False] * len(keys)
    for rank, (seed, count) in enumerate(Counter(k for k in keys if k).most_common()):
        if count < 2:
            break
        matcher = SequenceMatcher(None, "", seed, autojunk=False)
        alike = []
        for i, key in enumerate(keys):
            if key == seed:
                alike.append(i)
            elif key and rank < 8:
                matcher.set_seq1(key)
                if matcher.real_quick_ratio() >= 0.85 and matcher.quick_ratio() >= 0.85 and matcher.ratio() >= 0.85:
                    alike.append(i)
        if len(alike) >= needed:
            for i in alike:
                hits[i] = True
    return hits


def _trim(lines: list[str]) -> None:
    while lines and not lines[0]:
        del lines[0]
    while lines and not lines[-1]:
        lines.pop()


def _width(line: str) -> int:
    """How wide a line is printed, in Latin letters: a Chinese or Japanese character counts two, a combining mark
    (a Thai vowel above its consonant, an Arabic vowel sign) nothing."""
    if line.isascii():
        return len(line)
    return sum(0 if unicodedata.category(ch) in ("Mn", "Me", "Cf")
               else 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in line)


def _caseless(line: str, at: int = -1) -> bool:
    """Whether the line ends (``at=0``: begins) in a script without capitals (Arabic, Hebrew, Thai, CJK, Indic)."""
    letter = next((ch for ch in (reversed(line) if at else line) if ch.isalpha()), "")
    return bool(letter) and letter.lower() == letter.upper()


def _unspaced(ch: str) -> bool:
    """A character of a script written without spaces between words: Thai, Lao, Myanmar, Khmer, CJK and kana."""
    o = ord(ch)
    return (0x0E00 <= o <= 0x0EFF or 0x1000 <= o <= 0x109F or 0x1780 <= o <= 0x17FF or 0x3000 <= o <= 0x30FF
            or 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF
            or 0x20000 <= o <= 0x3FFFF)


def _join(pieces: list[str], line: str) -> None:
    """Adds a line to a paragraph's pieces: after a space, or none after a hyphen or between unspaced scripts."""
    last = pieces[-1] if pieces else ""
    if not last:
        pieces.append(line)
    elif _HYPHENATED.search(last) and line[:1].islower():
        pieces[-1] = last[:-1]
        pieces.append(line)
    elif (last.endswith("-") and line[:1].isupper()) or (_unspaced(last[-1]) and _unspaced(line[0])):
        pieces.append(line)
    else:
        pieces.append(" " + line)
