"""Text as copied from a web page (the sample statements): the page's chrome lines dropped, and the date, title and
issuer read from the header lines when the page states them (DESIGN.md §2.6).

Only the header is looked at (the lines before the statement's first long paragraph), so a sentence of the
statement is never dropped; every line removed is returned so the import summary can list it.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from annotator.sources.common import names_institution
from annotator.sources.dates import MONTH_NAMES, MONTHS

#: lines a government web page puts above its content (U.S. .gov/.mil banners, skip links, share bars);
#: matched whole, case-insensitively, after collapsing spaces and straightening quotes
CHROME = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"an official website of the (united states|u\.s\.) government",
        r"here's how you know\.?",
        r"official websites use \.(gov|mil)",
        r"a \.(gov|mil) website belongs to an official .*(organization|agency).*",
        r"secure \.(gov|mil) websites use https",
        r"a lock \(.*\) or https:// means you.ve safely connected to the \.(gov|mil) website\..*",
        r"share sensitive information only on official, secure websites\.?",
        r"skip to (main )?content",
        r"(share|print|email|tweet|facebook|linkedin|subscribe|menu|search|close)( this( page)?)?",
        r"(you are here|breadcrumb)s?:?.*",
        r"back to top",
        r"official websites use \.gov\s*a \.gov website belongs to .*",
    )
)

#: a header line holding the date: "NEWS | Oct. 26, 2023", "December 21, 2023", "26 October 2023", "2023-10-26", in
#: any language of :data:`dates.MONTH_NAMES` ("Berlin, 3. Juni 2024", "12 mars 2024")
_MONTH = r"(?P<month>[^\W\d_]{3,10})\.?"
_DATE_FORMS = (
    re.compile(rf"{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})"),
    re.compile(rf"(?P<day>\d{{1,2}})\.?\s+{_MONTH}\s+(?P<year>\d{{4}})"),
    re.compile(r"(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})"),
    re.compile(r"(?P<day>\d{1,2})\.\s?(?P<mon>\d{1,2})\.\s?(?P<year>\d{4})"),  # 14.03.2024: day first
    re.compile(rf"{_MONTH}\s+(?P<year>\d{{4}})"),  # "March 2024": the month, no day (stored as 2024-03)
)
#: a date line may carry a short section name before a bar ("NEWS |", "Press Release |"), or be a dateline: a
#: place, a comma, the date ("Brussels, 27 May 2024", "Washington, D.C., December 19, 2023", "Berlin, 14.03.2024";
#: a weekday takes the place's: "Monday, 3 June 2024")
_DATE_LINE = re.compile(
    r"(?:(?P<section>[^|]{1,40}?)(?:\s*\|\s*|\s+[•·–-]\s+)"
    r"|(?P<place>[^\W\d_][^\d|,]{0,40}(?:,\s*[^\W\d_][^\d|,]{0,20})?),\s+)?(?P<date>.+?)\s*"
)
#: A short header line naming who issued the statement: a line shaped as an organisation's name (:func:`_names_issuer`)
#: that holds an institution's word anywhere (:func:`common.names_institution`: "ASEAN Secretariat", "Nordic Council
#: of Ministers", "Global Affairs Canada", "Ministère de l'Europe et des Affaires étrangères", "Auswärtiges Amt") or
#: one of these, which that list (made for a PDF's /Author) lacks, in the date reader's languages
_ISSUER_WORDS = re.compile(
    r"\b(?:white\s+house|state\s+department|élysée|elysee|secr[ée]tariat|secretar[íi]a|segreteria|sekretariat|"
    r"d[ée]partement|departamento|dipartimento|minist[ée]rio|oficina|ufficio|büro|kommission|comiss[ãa]o|conselho|"
    r"raad|embaixada|bundesamt|ministerrat)\b",
    re.IGNORECASE,
)
#: words that name a statement, not its issuer: such a line is a title ("Joint Statement on …", "Council
#: Conclusions on …", "… - Press Release", "Déclaration conjointe …"), in the date reader's languages
_DOCUMENT_WORDS_TEXT = """
    statement statements declaration communiqué communique release remarks readout speech briefing conclusions
    resolution report letter message note notice announcement transcript interview factsheet
    erklärung pressemitteilung mitteilung rede schlussfolgerungen
    déclaration discours lettre
    declaración comunicado discurso conclusiones
    dichiarazione comunicato discorso
    declaração
    verklaring persbericht
"""
_DOCUMENT_WORDS = frozenset(_DOCUMENT_WORDS_TEXT.split())
#: a sentence's verbs a statement's first lines begin with: "The Council condemns Russia" is no issuer's name
_VERBS_TEXT = """
    condemn condemns condemned urge urges urged welcome welcomes welcomed call calls called reaffirm reaffirms
    express expresses expressed announce announces announced adopt adopts adopted agree agrees agreed is are was were
    will has have met meet meets stands supports deplore deplores notes
    verurteilt verurteilen begrüßt fordert condamne condamnent salue appelle condena condenan condanna
    condannano veroordeelt veroordelen
"""
_VERBS = frozenset(_VERBS_TEXT.split())
#: the small words inside an organisation's name, written in lower case ("of", "de l'", "für", "degli")
_NAME_LINKS_TEXT = """
    of the and for on to in at a an de des du la le les l d et à au aux en pour für und der die das dem den von
    zu vom zur van het voor y del los las e da do dos das di della degli dei delle per
"""
_NAME_LINKS = frozenset(_NAME_LINKS_TEXT.split())
#: the longest header line read as an issuer's name, and its most words
_ISSUER_CHARS = 80
_ISSUER_WORDS_MAX = 12

#: the words a date or a time is written with, besides its digits and punctuation: month names and their short
#: forms (:data:`dates.MONTH_NAMES`), weekday names and theirs (English, German, French, Spanish), ordinal endings,
#: a.m./p.m., zones, ISO's T and Z, "Uhr", the small words between ("2 de noviembre de 2021", "the 2nd of
#: November"), the labels put before a date ("Published:", "Stand:") and CJK's 年月日
_DATE_WORDS_TEXT = """
    monday mon tuesday tue tues wednesday wed thursday thu thur thurs friday fri saturday sat sunday sun
    montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag
    lundi mardi mercredi jeudi vendredi samedi dimanche
    lunes martes miércoles jueves viernes sábado domingo
    st nd rd th er ème º ª am pm h hrs uhr t z utc gmt cet cest est edt cst cdt mst mdt pst pdt bst ist
    jst kst mez mesz
    of the on at de del di du le la el um à y et and to bis
    published updated posted date dated last modified veröffentlicht aktualisiert stand vom publié mis jour
    年 月 日 時 分 秒 년 월 일 시 분 초
"""
_DATE_WORDS = frozenset(_DATE_WORDS_TEXT.split()) | frozenset(" ".join(MONTH_NAMES).split())
_LETTERS = re.compile(r"[^\W\d_]+")
_AM_PM = re.compile(r"\b[ap]\.\s?m\.")


def names_no_one(value: str) -> bool:
    """True when ``value`` is only a date, a time, a number or punctuation ("02.11.2021", "2 November 2021",
    "11/02/2021 10:30 Uhr", "2021", "–"): an extractor's "author" or "site name" that is such a value (a page's
    title ending in "| 02.11.2021" gives one) is no issuer. Month names alone ("May", "June") may be a name."""
    words = _LETTERS.findall(_AM_PM.sub(" ", value.casefold()))
    if not words:
        return True
    return any(ch.isdigit() for ch in value) and all(word in _DATE_WORDS for word in words)


#: the header is the lines before the statement's first paragraph this long
_LONG = 200
_HEADER_LINES = 15


@dataclass(slots=True)
class Cleaned:
    text: str
    title: str = ""
    date: str = ""
    issuer: str = ""
    removed: list[str] = field(default_factory=list)


def parse_header_date(line: str) -> str:
    """The ISO date a header line states (the whole line is the date, maybe after "SECTION |" or a dateline's "Place, ";
    "March 2024" is the month, 2024-03), or "". One function for every reader's header: a ``.txt`` file's, a PDF's, a
    Word file's."""
    match = _DATE_LINE.fullmatch(line.strip())
    if not match:
        return ""
    candidate = match.group("date")
    for form in _DATE_FORMS:
        found = form.fullmatch(candidate)
        if not found:
            continue
        parts = found.groupdict()
        month = int(parts["mon"]) if parts.get("mon") else MONTHS.get(parts["month"].lower())
        if month is None:
            return ""
        try:
            day = _dt.date(int(parts["year"]), month, int(parts.get("day") or 1))
        except ValueError:
            return ""
        return day.isoformat() if parts.get("day") else day.isoformat()[:7]
    return ""


def _normal(line: str) -> str:
    return " ".join(line.replace("\u2019", "'").replace("\u2018", "'").split())


def is_chrome(line: str) -> bool:
    text = _normal(line)
    return bool(text) and any(p.fullmatch(text) for p in CHROME)


def clean(text: str) -> Cleaned:
    """Drop the header's chrome lines and read its date, title and issuer. ``text`` has ``\\n`` line ends."""
    lines = text.split("\n")
    header_end = next((i for i, line in enumerate(lines) if len(line.strip()) >= _LONG), len(lines))
    kept: list[str] = []
    removed: list[str] = []
    for i, line in enumerate(lines):
        if i < header_end and is_chrome(line):
            removed.append(line.strip())
            continue
        kept.append(line)
    result = Cleaned(text, removed=removed)
    if removed:  # the blank lines the chrome stood between collapse to one, and none is left at the top
        while kept and not kept[0].strip():
            kept.pop(0)
        result.text = _collapse_blank_runs("\n".join(kept), header_end)
    header = [line.strip() for line in result.text.split("\n")[: header_end + 1] if line.strip()][:_HEADER_LINES]
    header = [line for line in header if len(line) < _LONG]
    before: list[str] = []
    for i, line in enumerate(header):
        date = parse_header_date(line)
        if date:
            result.date = date
            before, rest = header[i - 1 : i] if i else [], header[i + 1 :]
            break
    else:
        rest = header
    if rest and _title_like(rest[0]):
        result.title = rest[0]
        rest = rest[1:]
    elif before and _title_like(before[0]):  # the title above the date ("The Crazy Ones / October 14, 1998")
        result.title = before[0]
    # the two lines after the title, else the letterhead line above the date ("Foreign, Commonwealth & Development
    # Office" over "15 June 2024"); never the title
    for line in [*rest[:2], *before]:
        if line != result.title and _names_issuer(line):
            result.issuer = line
            break
    return result


def _names_issuer(line: str) -> bool:
    """Whether a header line is an organisation's name: short, no sentence (no closing punctuation, no verb a
    statement begins with, its words capitalised but for the small words of a name, an institution's words and at
    most one more: "Ministère de l'Europe et des Affaires étrangères", "Ministry of foreign affairs"), no date, no
    title (a word naming a statement: "Joint Statement on …"), no address, and an institution's word in it
    (:data:`_ISSUER_WORDS`)."""
    if (len(line) > _ISSUER_CHARS or line.endswith((".", "!", "?", ":", ";", ",", "\u2026")) or "@" in line
            or "http" in line.casefold() or "www." in line.casefold() or parse_header_date(line) or names_no_one(line)):
        return False
    words = _LETTERS.findall(line.replace("\u2019", "'"))
    folded = [word.casefold() for word in words]
    if not words or len(words) > _ISSUER_WORDS_MAX or any(w in _DOCUMENT_WORDS or w in _VERBS for w in folded):
        return False
    # an institution's own word in lower case is part of its name ("Ministry of foreign affairs": trial 15, F2)
    lower = [word for word, f in zip(words, folded, strict=True)
             if f not in _NAME_LINKS and word.islower() and not names_institution(word)]
    if len(lower) > 1 or (words[0].islower() and folded[0] not in _NAME_LINKS):
        return False
    return names_institution(line) or bool(_ISSUER_WORDS.search(line))


def _title_like(line: str) -> bool:
    return not line.endswith((".", ":", ",")) and not parse_header_date(line) and not is_chrome(line)


def _collapse_blank_runs(text: str, within: int) -> str:
    """Where dropped chrome left several blank lines in a row in the header, keep one."""
    out: list[str] = []
    for i, line in enumerate(text.split("\n")):
        if i < within and not line.strip() and out and not out[-1].strip():
            continue
        out.append(line)
    return "\n".join(out)
