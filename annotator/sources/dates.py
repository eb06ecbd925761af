"""Whether a page states the day an extractor dated it (DESIGN.md §2.6: a statement's date is one its page states).

htmldate, which trafilatura asks for a page's date, falls back on a footer's "© 2024" (as 2024-01-01), a year-month
("2024-05" as 2024-05-01) or a lone year: a day no one wrote, which then counts the statement in January of that
year in every report (trial 10, D1). It also reads "06/07/2024" day first without a word, though June 7 is as
likely (D14). :func:`check` looks for the day in the page's markup, written in any common way.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

#: month names and their short forms: English, German, French, Spanish, Italian, Portuguese, Dutch. The one table of
#: them in the readers: a page's date check here, a header's date line (:func:`webtext.parse_header_date`, for .txt,
#: PDF and Word files alike) and the words a date is written with (:func:`webtext.names_no_one`)
MONTH_NAMES = (
    "january jan januar jänner jän janvier janv enero ene gennaio gen janeiro januari",
    "february feb februar février févr fevrier febrero febbraio fevereiro fev februari",
    "march mar märz mär maerz mars marzo março maart mrt",
    "april apr avril avr abril aprile",
    "may mai mayo maggio maio mei",
    "june jun juni juin junio giugno junho",
    "july jul juli juillet juil julio luglio julho",
    "august aug août aout agosto ago augustus",
    "september sep sept septembre septiembre setiembre settembre setembro set",
    "october oct oktober okt octobre octubre ottobre outubro out",
    "november nov novembre noviembre novembro",
    "december dec dezember dez décembre decembre diciembre dic dicembre dezembro",
)

#: {a month's name or short form, lower case: its number}
MONTHS = {name: i for i, names in enumerate(MONTH_NAMES, 1) for name in names.split()}


@dataclass(frozen=True, slots=True)
class Check:
    """What a page states about a date: ``date`` is the one to keep ("" when none), ``note`` why it differs."""

    date: str
    note: str = ""


def _ymd(iso: str) -> tuple[int, int, int] | None:
    try:
        day = _dt.date.fromisoformat(iso)
    except ValueError:
        return None
    return day.year, day.month, day.day


def _years(y: int) -> str:
    return rf"(?:{y}|{y % 100:02d})"


def _unambiguous(text: str, y: int, m: int, d: int) -> bool:
    """The day is written year first, with its month's name, day first with dots (as German and most of Europe
    write it), as eight digits or in CJK."""
    names = "|".join(re.escape(n) for n in MONTH_NAMES[m - 1].split())
    day = rf"0?{d}(?:st|nd|rd|th|er|º|\.)?"
    month = rf"(?:{names})\.?"
    forms = (
        rf"(?<![\d.]){y}\s?[-/.]\s?0?{m}\s?[-/.]\s?0?{d}(?!\d)",
        rf"(?<!\d){y}{m:02d}{d:02d}(?!\d)",
        rf"(?<![\d.])0?{d}\.\s?0?{m}\.\s?{_years(y)}(?!\d)",
        rf"(?<![\w.]){day}\s*(?:de\s+|of\s+)?{month},?\s*(?:de\s+)?{y}(?!\d)",
        rf"(?<!\w){month}\s+{day},?\s+{y}(?!\d)",
        rf"{y}\s*[年년]\s*0?{m}\s*[月월]\s*0?{d}\s*[日일]",
    )
    return any(re.search(form, text, re.IGNORECASE) for form in forms)


def _near(markup: str, y: int) -> str:
    """The stretches of the markup around each place it writes the year ("2024", or "24" after a dot or slash as
    in 07.06.24, 06/07/24), one a line: every form looked for holds the year, and searching these rather than a
    whole page takes a tenth of the time."""
    at: list[int] = []
    for year in (str(y), f"{y % 100:02d}"):  # str.find: a tenth of the time of one pattern for both
        i = markup.find(year)
        while i >= 0 and len(at) < 10_000:
            if len(year) == 4 or (i and markup[i - 1] in "./-"):
                at.append(i)
            i = markup.find(year, i + len(year))
    return "\n".join(markup[max(0, i - 40) : i + 24] for i in sorted(at))


def _numeric(text: str, first: int, second: int, y: int) -> re.Match[str] | None:
    """``first/second/year`` (or with dashes) written in the page."""
    return re.search(rf"(?<![\d/.-])0?{first}([/-])0?{second}\1{_years(y)}(?![\d/])", text)


def check(markup: str, iso: str, text: str = "") -> Check:
    """The date to keep for a page its extractor dated ``iso``; ``text`` is the page's text as extracted.

    - The page writes that day unambiguously (2024-06-07, 7 June 2024, June 7, 2024, 07.06.2024, 20240607, ...):
      kept.
    - It writes it only as ``06/07/2024`` (or with dashes), both numbers 12 or less and different: which is the
      month, the page does not say. Left empty, with a note naming both readings, unless the page also writes one
      of them unambiguously (that one is kept).
    - It does not write the day at all and the day is the 1st: the extractor's guess from a year (a footer's "©
      2024") or a month alone: left empty, with a note.
    - Otherwise kept: the extractor read a form not listed here (it makes up no day but the 1st).

    The markup is searched first (a ``<time datetime>`` or a ``<meta>`` holds the day only there); before the date is
    left empty, the page's words are searched too: the markup without its tags and with its spaces collapsed, and
    ``text``, where "June 1<sup>st</sup>, 2024", "<span>1</span> <span>June</span> <span>2024</span>" and a day and
    year on two indented lines read as written (only then: a page's markup holds its day in most pages, and it is
    a tenth of the time).
    """
    parts = _ymd(iso)
    if parts is None:
        return Check("")
    near = _near(markup, parts[0])
    found = _decide(near, iso, *parts)
    if found.date:
        return found
    words = _near(_words(markup), parts[0]) + "\n" + _near(" ".join(text.split()), parts[0])
    return _decide(f"{near}\n{words}", iso, *parts)  # what the markup writes still counts ("06/07/2024")


#: the elements that stand inside a word or a date ("1<sup>st</sup>", "<b>1</b>"): dropped with nothing in their place
_INLINE_TAG = re.compile(r"</?(?:sup|sub|span|a|b|i|u|em|strong|small|abbr|time|font|mark|s)\b[^<>]*>", re.IGNORECASE)
#: any other tag (one scan to the next < or >: linear in a page of unclosed tags)
_TAG = re.compile(r"<[^<>]*>")


def _words(markup: str) -> str:
    """The markup's words: inline tags dropped, the others a space, every run of spaces one space."""
    return " ".join(_TAG.sub(" ", _INLINE_TAG.sub("", markup)).split())


def _decide(markup: str, iso: str, y: int, m: int, d: int) -> Check:
    """:func:`check` over the stretches ``markup`` holds around the year."""
    if _unambiguous(markup, y, m, d):
        return Check(iso)
    if d != m and d <= 12:
        other = _dt.date(y, d, m).isoformat()  # the same numbers, the other way round
        if _unambiguous(markup, y, d, m):
            return Check(other)
        written = _numeric(markup, d, m, y)  # day first, it reads as ``iso``
        day_first, month_first = iso, other
        if written is None:
            written = _numeric(markup, m, d, y)
            day_first, month_first = other, iso
        if written is not None:
            return Check("", f"date left empty: the page writes it {written.group(0)!r}, which reads as {day_first}"
                             f" (day first) or {month_first} (month first); set the right one in the statement's"
                             " properties or with `annotator vars`")
    elif _numeric(markup, d, m, y) or _numeric(markup, m, d, y):
        return Check(iso)  # 13/06/2024, 06/13/2024, 06/06/2024: one reading only
    if d == 1:
        copyright = re.search(rf"(?:©|\(c\)|copyright)\s*(?:\d{{4}}\s*[-–]\s*)?{y}(?!\d)", markup, re.IGNORECASE)
        source = f"its '{copyright.group(0)}' line" if copyright else "a year or a month alone"
        return Check("", f"date left empty: the page states no day ({iso} was the extractor's guess from {source})")
    return Check(iso)
