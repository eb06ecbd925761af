"""How a doccano file counts its offsets, decided by what the file shows (README, ``doccano``).

Our spans count code points (DESIGN.md §2.1). doccano's editor counted UTF-16 code units (JavaScript string
indices: an emoji is two), doccano's Python side and the scripts around it count code points, and a few tools count
grapheme clusters (what a reader sees as one character: ``👩‍👩‍👧``, ``é`` written as ``e`` + accent, a CRLF). On
text without characters beyond U+FFFF, combining sequences or CRLF the three agree; where they differ, the file
decides:

1. A counting *fits* a file when every span of every line is valid under it: inside the text, not between the two
   UTF-16 units of one character, and marking exactly the span's own ``text`` where a span carries one.
2. When no counting fits, the file is refused whole, naming each bad line, what is wrong there, and the counting the
   line would fit (a file whose lines fit different countings is named as such).
3. UTF-16 units are kept whenever they fit, so our own export (which counts them) always reads back as written,
   spans cut inside a word included. Where another counting also fits and marks different text, each reading is
   scored by the span edges no annotator makes: an edge inside a word or inside a character (between a letter and
   its accent, inside an emoji sequence, between CR and LF), or a span that begins or ends with white space; if the
   other scores as well or better, the reading warns, naming the line, both texts and the option that reads the
   other way (:attr:`Choice.doubt`: File ▸ Import in the window asks instead, before it imports the file, and
   ``annotator import`` reads it as the question's default or refuses it: ``formats/doubts.py``).
4. Only when UTF-16 units do not fit (a span past the end, an offset inside an emoji, a span's own text that does
   not match) is another counting taken: the one with the fewest odd edges (code points first on a tie), and the
   import summary says so, naming the line that showed it.

An explicit unit (``--offsets utf16|codepoints``, or any of :data:`UNITS` as File ▸ Import's question chose it) is
taken as given: lines that do not fit it are refused, each naming the counting it would fit.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from annotator.formats.common import Utf16Offsets

#: the countings, in the order a tie is broken
UNITS = ("utf16", "codepoints", "graphemes")
NAMES = {"utf16": "UTF-16 code units", "codepoints": "code points", "graphemes": "grapheme clusters"}
#: the option that reads a file in a counting (grapheme clusters are found, never asked for)
OPTIONS = {"utf16": "--offsets utf16", "codepoints": "--offsets codepoints"}

Pairs = list[tuple[int, int]]


@dataclass(slots=True)
class RawSpan:
    """A span as the file gives it: integer offsets ``0 <= start < end`` in a counting not yet known."""

    where: str  # "label[0]"
    start: int
    end: int
    label: str
    text: str | None = None  # the span's own text, when the file gives one


@dataclass(slots=True)
class Entry:
    """One line (or array item) of a file: its text and raw spans."""

    where: str  # "line 3"
    text: str
    spans: list[RawSpan]
    extra: dict[str, Any] = field(default_factory=dict)  # the line's object: its other keys (title, fields)


@dataclass(frozen=True, slots=True)
class Doubt:
    """Another counting reads the file ``name`` as plausibly as the one chosen and marks other text (rule 3): the
    counting it was read in, the others (in :data:`UNITS` order), and what differs (the first such span, how many
    lines), for the warning and for File ▸ Import's question before the file is imported; ``distinct``: the chosen
    counting and those others that each read the file differently (code points and grapheme clusters often read it
    alike: one choice); ``marks``: the text each of those marks at the first place they differ (shown), in
    ``where`` (the line and its span); ``likelier``: the one whose spans look most like an annotator's (the chosen
    one on a tie: File ▸ Import's default answer); ``clear``: whether ``likelier`` looks more like it than every
    other reading does (no tie), the only case the command line reads such a file without being told how it counts
    (``formats/doubts.py``); ``lines``: how many lines they read differently."""

    name: str
    chosen: str
    others: tuple[str, ...]
    difference: str
    distinct: tuple[str, ...] = ()
    marks: tuple[str, ...] = ()
    where: str = ""
    likelier: str = ""
    lines: int = 0
    clear: bool = False


@dataclass
class Choice:
    """The counting chosen for a file, its spans converted to code points (one list per entry), what the import
    summary should say, (where, message) problems that refuse the file, and the doubt about the counting (which
    the notes' warning states) when there is one."""

    unit: str | None
    spans: list[Pairs] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    doubt: Doubt | None = None


def choose(entries: list[Entry], name: str, requested: str | None = None) -> Choice:
    """Read ``entries`` in ``requested`` (``utf16``/``codepoints``), or in the counting the file shows when None."""
    primary = requested or "utf16"
    units = [requested] if requested else list(UNITS)
    readings = {unit: [_convert(e, unit) for e in entries] for unit in units}
    fitting = [u for u in UNITS if u in readings and all(err is None for _, err in readings[u])]
    if not fitting:
        return Choice(None, problems=_refusal(entries, readings, primary, requested))
    chosen, doubts = fitting[0], []
    differing = [u for u in fitting if _pairs(readings[u]) != _pairs(readings[chosen])]
    if differing:
        scores = {u: _score(entries, _pairs(readings[u])) for u in fitting}
        if chosen == primary:  # it fits: kept (our own export always does), doubted where another reads better
            doubts = [u for u in differing if scores[u] <= scores[chosen]]
        else:  # proven not to be the primary counting: the most plausible of the others
            best = min(scores[u] for u in fitting)
            chosen = next(u for u in fitting if scores[u] == best)
            doubts = [u for u in fitting if scores[u] == best and _pairs(readings[u]) != _pairs(readings[chosen])]
    pairs = _pairs(readings[chosen])
    notes = []
    doubt = None
    if chosen != primary:
        notes.append(_why_not(entries, readings, primary, chosen, name))
    if doubts:
        doubt = _doubt(entries, pairs, {u: _pairs(readings[u]) for u in doubts}, chosen, name, scores)
        notes.append(_doubt_warning(doubt))
    return Choice(chosen, pairs, notes, doubt=doubt)


# -- converting ------------------------------------------------------------------------------------------------


def _convert(entry: Entry, unit: str) -> tuple[Pairs, str | None]:
    """The entry's spans in code points under ``unit``, or the first reason they do not fit it."""
    text = entry.text
    if not entry.spans:
        return [], None
    to_cp, length = _converter(text, unit, max(s.end for s in entry.spans))
    out: Pairs = []
    for span in entry.spans:
        if span.end > length:
            past = f"is outside the text, running past its end ({_lengths(text)})"
            return out, f"{span.where}: [{span.start}, {span.end}] {past}"
        try:
            start, end = to_cp(span.start), to_cp(span.end)
        except ValueError as exc:
            return out, f"{span.where}: {exc}"
        if span.text is not None and text[start:end] != span.text:
            return out, (
                f"{span.where}: [{span.start}, {span.end}] marks {_show(text[start:end])}, "
                f"not the span's text {_show(span.text)}"
            )
        out.append((start, end))
    return out, None


def _converter(text: str, unit: str, upto: int) -> tuple[Callable[[int], int], int]:
    """(offset in ``unit`` → code point, the text's length in ``unit``) for offsets up to ``upto``."""
    if unit == "codepoints" or (unit == "utf16" and text.isascii()):
        return int, len(text)
    if unit == "utf16":
        units = Utf16Offsets(text)

        def from_utf16(offset: int) -> int:
            try:
                return int(units.to_codepoints(offset))
            except ValueError:
                ch = text[units.to_codepoints(offset - 1)]
                raise ValueError(
                    f"offset {offset} falls between the two UTF-16 code units of {_show(ch)} (U+{ord(ch):04X})"
                ) from None

        return from_utf16, units.to_utf16(len(text))
    if not _joined(text, upto):
        return int, len(text)
    starts = _cluster_starts(text, upto)
    # all clusters seen (the text has that many), or more than ``upto``: then every offset up to it fits
    length = len(starts) if len(starts) <= upto else upto
    return (lambda k: starts[k] if k < len(starts) else len(text)), length


#: what makes a grapheme cluster of more than one code point (UAX #29): CRLF, accents and other extending marks,
#: spacing marks, ZWJ, regional indicators (flags), prepended marks, conjoining Hangul jamo
_JOINING = (
    r"\r\n|[\p{GCB=Extend}\p{GCB=SpacingMark}\p{GCB=ZWJ}\p{GCB=Regional_Indicator}\p{GCB=Prepend}"
    r"\p{GCB=L}\p{GCB=V}\p{GCB=T}]"
)


def _joined(text: str, upto: int) -> bool:
    """Whether one of the first ``upto`` grapheme clusters of ``text`` may be more than one code point (if not,
    offsets up to ``upto`` count the same in clusters as in code points). A search at C speed, no segmentation."""
    if text.isascii():
        return "\r\n" in text[: upto + 1]
    import regex

    # no further than the text: an offset past 2**63 (a hostile file's) overflowed the regex module's end
    return regex.search(_JOINING, text, pos=0, endpos=min(upto + 1, len(text))) is not None


def _cluster_starts(text: str, upto: int) -> list[int]:
    """Where the first ``upto + 1`` grapheme clusters of ``text`` start (all of them if it has fewer)."""
    import regex

    starts = []
    for match in regex.finditer(r"\X", text):
        starts.append(match.start())
        if len(starts) > upto:
            break
    return starts


def _pairs(reading: list[tuple[Pairs, str | None]]) -> list[Pairs]:
    return [pairs for pairs, _ in reading]


# -- plausibility ----------------------------------------------------------------------------------------------


def _score(entries: list[Entry], pairs: list[Pairs]) -> int:
    """How many span edges of this reading no annotator would make."""
    return sum(_odd_edges(e.text, s, t) for e, spans in zip(entries, pairs, strict=True) for s, t in spans)


def _odd_edges(text: str, start: int, end: int) -> int:
    odd = _splits(text, start) + _splits(text, end)
    return odd + text[start].isspace() + text[end - 1].isspace()


def _splits(text: str, i: int) -> bool:
    """Whether offset ``i`` falls inside a word or inside one character as a reader sees it."""
    if i <= 0 or i >= len(text):
        return False
    before, after = text[i - 1], text[i]
    if before == "\r" and after == "\n":
        return True
    if before == "\u200d" or _joins(after) or (_regional(before) and _regional(after)):
        return True
    return _wordy(before) and _wordy(after)


def _joins(ch: str) -> bool:
    """A character that belongs to the one before it: an accent, a variation selector, a ZWJ, a skin tone."""
    return unicodedata.category(ch) in ("Mn", "Mc", "Me") or ch == "\u200d" or "\U0001f3fb" <= ch <= "\U0001f3ff"


def _regional(ch: str) -> bool:
    return "\U0001f1e6" <= ch <= "\U0001f1ff"


def _wordy(ch: str) -> bool:
    """A letter or digit of a script that separates words with spaces (in Chinese or Thai any edge may be a word's)."""
    if not ch.isalnum():
        return False
    o = ord(ch)
    return not (0x0E00 <= o <= 0x0EFF or 0x1000 <= o <= 0x109F or 0x1780 <= o <= 0x17FF or o >= 0x2E80)


# -- what the summary says -------------------------------------------------------------------------------------


def _refusal(
    entries: list[Entry], readings: dict[str, list[tuple[Pairs, str | None]]], primary: str, requested: str | None
) -> list[tuple[str, str]]:
    """One problem per line that does not fit ``primary``, naming the countings it would fit."""
    if requested is not None:  # what the other countings make of the lines, for the hint
        readings = {**readings, **{u: [_convert(e, u) for e in entries] for u in UNITS if u not in readings}}
    problems = []
    partial: list[tuple[str, list[str]]] = []  # (line, the countings it fits) for lines some counting does not fit
    for i, entry in enumerate(entries):
        fits = [u for u in UNITS if u in readings and readings[u][i][1] is None]
        if fits and len(fits) < len(readings):
            partial.append((entry.where, fits))
        err = readings[primary][i][1]
        if err is None:
            continue
        errors = {readings[u][i][1] for u in UNITS if u in readings}
        if len(errors) == 1 and len(readings) == len(UNITS):  # the same whatever the counting: past the end
            problems.append((entry.where, f"{err}, however its offsets are counted"))
            continue
        counting = f"counting {NAMES[primary]}" + ("" if requested else ", as doccano's editor does")
        if fits:
            hint = next((OPTIONS[u] for u in fits if u in OPTIONS), None)
            also = f"; counting {' or '.join(NAMES[u] for u in fits)} it fits"
            also += f" (import it with {hint})" if requested and hint else ""
        else:
            also = "; it fits no other counting either (" + ", ".join(NAMES[u] for u in UNITS if u != primary) + ")"
        problems.append((entry.where, f"{err} ({counting}){also}"))
    if requested is None and len({tuple(fits) for _, fits in partial}) > 1:
        named = ", ".join(f"{where} only {' or '.join(NAMES[u] for u in fits)}" for where, fits in partial[:4])
        more = f" and {len(partial) - 4} more" if len(partial) > 4 else ""
        problems.append(("file", f"its lines count offsets in different ways ({named}{more}); a file counts one way"))
    return problems


def _why_not(
    entries: list[Entry], readings: dict[str, list[tuple[Pairs, str | None]]], primary: str, chosen: str, name: str
) -> str:
    """Why the file was read in ``chosen`` rather than ``primary``, naming the line that shows it."""
    head = f"{name}: offsets read as {NAMES[chosen]}, not {NAMES[primary]} (as doccano's editor counts)"
    err = next(e for _, e in readings[primary] if e is not None)  # chosen only when the primary does not fit
    where = next(entry.where for entry, (_, e) in zip(entries, readings[primary], strict=True) if e is not None)
    return f"{head}: counted as {NAMES[primary]}, {where}: {err}"


def _doubt(entries: list[Entry], pairs: list[Pairs], others: dict[str, list[Pairs]], chosen: str,
           name: str, scores: dict[str, int]) -> Doubt:
    """The doubt about the file: the first line read one way that another counting reads as plausibly, and how many
    lines differ so."""
    alt = next(iter(others))
    where, span, a, b = _first_difference(entries, pairs, others[alt]) or ("", entries[0].spans[0], "", "")
    lines = sum(any(x != y for x, y in zip(mine, theirs, strict=True))
                for mine, theirs in zip(pairs, others[alt], strict=True))
    more = f" ({lines} lines read differently so)" if lines > 1 else ""
    difference = (f"{where}: {span.where} [{span.start}, {span.end}] marks {a} counted as {NAMES[chosen]}, {b} "
                  f"counted as {NAMES[alt]}{more}")
    distinct: dict[str, list[Pairs]] = {chosen: pairs}
    for unit, read in others.items():
        if read not in distinct.values():
            distinct[unit] = read
    places = [(n, i) for n, entry in enumerate(entries) for i in range(len(entry.spans))]
    first = next((p for p in places if entries[p[0]].spans[p[1]] is span), places[0] if places else None)
    # where the readings first mark text each of its own (code points and grapheme clusters may agree there and
    # differ only after a CRLF): else the first place two differ
    apart = next((p for p in places if len({tuple(read[p[0]][p[1]]) for read in distinct.values()}) == len(distinct)),
                 first)
    marks = tuple(_show(entries[apart[0]].text[slice(*read[apart[0]][apart[1]])]) if apart else ""
                  for read in distinct.values())
    place = f"{entries[apart[0]].where}, span {apart[1] + 1}" if apart else where
    likelier = min(distinct, key=lambda u: (scores.get(u, 0), u != chosen))
    clear = all(scores.get(u, 0) > scores.get(likelier, 0) for u in distinct if u != likelier)
    return Doubt(name, chosen, tuple(others), difference, tuple(distinct), marks, place, likelier, lines, clear)


def _doubt_warning(doubt: Doubt) -> str:
    """One warning for the file: what differs, and what to do (the file's statements are imported already, their
    spans as read; File ▸ Import in the window asks before it imports such a file, so this is the command line's
    warning, and the review's when a colleague's file is read)."""
    names = " or ".join(NAMES[u] for u in doubt.others)
    editor = " as doccano's editor does" if doubt.chosen == "utf16" else ""
    unit = next((u for u in doubt.others if u in OPTIONS), None)
    into = ("into a project that does not hold these statements yet (into one that does, its spans would be added "
            "beside those there)")
    window = "File ▸ Import or Review ▸ Open Colleague File in the window, which ask how the file counts"
    fix = (f"if it counts {NAMES[unit]}, import it with `annotator import NEW_PROJECT FILE {OPTIONS[unit]}` {into}, "
           f"compare it with `annotator agree ... {OPTIONS[unit]}`, or open it with {window}") if unit else (
        f"if it does, open it with {window}, or fix the file's offsets")
    return (
        f"warning: {doubt.name}: its offsets may count {names}, not {NAMES[doubt.chosen]}{editor} (read so): "
        f"{doubt.difference}; the file does not prove which; {fix}"
    )


def _first_difference(entries: list[Entry], a: list[Pairs], b: list[Pairs]) -> tuple[str, RawSpan, str, str] | None:
    """The first span the two readings place differently, preferring one whose first reading looks wrong."""
    first = None
    for entry, xs, ys in zip(entries, a, b, strict=True):
        for span, x, y in zip(entry.spans, xs, ys, strict=True):
            if x == y:
                continue
            found = (entry.where, span, _show(entry.text[x[0] : x[1]]), _show(entry.text[y[0] : y[1]]))
            if _odd_edges(entry.text, *x) > _odd_edges(entry.text, *y):
                return found
            first = first or found
    return first


def _show(part: str, limit: int = 40) -> str:
    return repr(part if len(part) <= limit else part[: limit - 1] + "…")


def _lengths(text: str) -> str:
    cps = len(text)
    u16 = Utf16Offsets(text).to_utf16(cps)
    return f"{u16} UTF-16 code units, {cps} code points" if u16 != cps else f"{cps} characters"
