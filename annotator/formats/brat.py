"""``brat``: brat standoff, a folder of ``NAME.txt`` + ``NAME.ann`` per document (DESIGN.md §2.4).

A ``.ann`` file holds ``T1<TAB>label start end<TAB>text`` per span and ``#1<TAB>AnnotatorNotes T1<TAB>note`` per
note. Offsets are code points into the ``.txt`` exactly as stored (``\\r\\n`` kept, written in binary), so
``txt[start:end]`` is always the phrase. brat's format cannot hold everything a span can; what we do about each
limit, chosen so that export → import gives back the same spans (start, end, label, note) exactly:

- **Line breaks inside a span.** A ``.ann`` line cannot hold one (brat splits lines on every Unicode line boundary:
  ``\\n``, ``\\r``, VT, FF, FS/GS/RS, NEL, U+2028, U+2029). Like brat itself we write the span as discontinuous
  fragments ``start end;start end`` that leave the line breaks out, with the text field the fragments joined by a
  space. A span that begins or ends with a line break gets a zero-length fragment at that end (brat's parser
  accepts ``start == end``, its text check passes as the text field keeps the joining space, and its client makes
  such fragments itself when it splits a span at line breaks), so the first fragment's start and the last
  fragment's end are always the span's. A span holding only line breaks and spaces cannot be written: its text
  field would be blank, which brat's parser reports as "missing text" and rewrites; it is left out, and the
  export summary counts and names it.
- **Reading fragments.** When the gaps between fragments hold only whitespace (which is what brat and we write for
  a span across lines), the fragments are one span from the first start to the last end. Fragments with words
  between them are a genuinely discontinuous annotation, which a span cannot be: each fragment is imported as its
  own span with the same label and note, and the import report counts them.
- **Labels.** A brat type cannot contain whitespace (the type ends at the first space). Rather than replace it
  (``a b`` and ``a_b`` would merge) or refuse the export, the label is percent-encoded as in URLs: whitespace,
  control characters and ``%`` itself become ``%XX`` of their UTF-8 bytes (``call to action`` →
  ``call%20to%20action``), and reading decodes ``%XX`` again. Labels made of letters, digits, ``_`` and ``-``
  (the default codebook) are written unchanged. ``annotation.conf`` lists the types brat's configuration accepts
  (``[A-Za-z0-9_-]``), so the folder opens in brat as is.
- **Notes.** A note may hold line breaks, which are escaped: ``\\n``, ``\\r``, the other line boundaries as
  ``\\uXXXX``, and a backslash as ``\\\\``; reading undoes exactly these escapes (so a foreign note with a literal
  ``\\n`` in it reads as a line break). Several ``AnnotatorNotes`` on one span are joined by a line break.
- **File names** come from titles: path separators, characters Windows forbids, control and bidirectional-override
  characters become spaces; runs of whitespace collapse; leading dots (hidden files) and trailing dots go; the
  name is cut to 100 UTF-8 bytes; Windows device names get a ``_`` prefix; duplicates (compared case-insensitively,
  as macOS and Windows do) get ``_2``, ``_3``, ... A title, an annotator, a status, a date, issuer, URL, memo or
  variables have no place in brat, so those do not survive the round trip (export ``jsonl`` for them); the
  imported title is ``NAME``. The export's summary names them (:mod:`annotator.formats.losses`: the titles the
  file names changed, with examples, and how many of each other one), never silently.
- **CRLF.** brat counts every character of the ``.txt`` as it is: its server opens it with ``codecs.open(path,
  'rU', 'utf8')``, which drops the ``U`` and reads in binary mode, without newline translation (its client treats
  ``\\r`` as a line break inside spans). So the ``.txt`` is the text byte for byte, ``\\r\\n`` counted as two
  characters, and export → import gives back the same text (same SHA-256) and spans.
- **Overlaps.** ``annotation.conf`` declares ``<OVERLAP> Arg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>``, so brat's
  validator accepts nested and crossing spans, which a project may hold.

Read: ``NAME.ann`` or ``NAME.txt`` with its sibling. The text is decoded strictly as UTF-8 and kept as is (a BOM
stays a character: brat's offsets count it), unless its ``.ann`` fits only the text as a text-mode reader sees it
(``\\r\\n`` as one ``\\n``: made by a tool that read the ``.txt`` so): then the text is read that way and the
report says so; when it fits neither, the refusal says what is left the other way.
Every ``T`` line's offsets must lie in the text, in order, and its text field must equal the text at those offsets
(fragments joined by a space; as in brat, trailing whitespace is tolerated and a blank or missing text field is
taken from the text). ``R``/``E``/``A``/``M``/``N``/``*`` lines and
comments other than ``AnnotatorNotes`` are not spans: they are counted in the import report. Any problem rejects
the pair whole, naming every bad ``.ann`` line.

Write: ``brat_write.write_folder`` fills a temporary sibling folder and renames it into place, so the target is
either absent (or the empty folder it was) or complete. A non-empty target is refused rather than mixed with other
files. This module holds the encodings both directions share and the reader.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from annotator.core.model import IncomingDocument, IncomingSpan, ReadResult
from annotator.core.text import MAX_TEXT_BYTES
from annotator.errors import FormatError
from annotator.formats.common import Problems, check_span, consequence, read_bytes

#: the characters ``str.splitlines`` (and so brat) breaks lines at; none may appear inside a ``.ann`` line
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_RUN = re.compile(f"[^{re.escape(LINE_BREAKS)}]+")
_NOTE_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r"} | {
    ch: f"\\u{ord(ch):04x}" for ch in LINE_BREAKS if ch not in "\n\r"
}
_NOTE_UNESCAPE = re.compile(r"\\(\\|n|r|u(?:000[bBcC]|001[cCdDeE]|0085|202[89]))")
_PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_OFFSET = re.compile(r"[0-9]+")
#: kinds of .ann line that are not spans, by id prefix, for the import report
_IGNORED_KINDS = {
    "R": "relation",
    "E": "event",
    "A": "attribute",
    "M": "attribute",
    "N": "normalization",
    "*": "equivalence",
}


# ---------------------------------------------------------------------------------------------- encodings
def encode_label(label: str) -> str:
    """The brat type for a label: whitespace, control characters and ``%`` percent-encoded (UTF-8)."""
    if not any(ch == "%" or ch.isspace() or unicodedata.category(ch) == "Cc" for ch in label):
        return label
    return "".join(
        "".join(f"%{b:02X}" for b in ch.encode("utf-8"))
        if ch == "%" or ch.isspace() or unicodedata.category(ch) == "Cc"
        else ch
        for ch in label
    )


def decode_label(brat_type: str) -> str:
    """Undo :func:`encode_label`; a ``%XX`` run that is not UTF-8 is kept as written (a foreign type)."""
    if "%" not in brat_type:
        return brat_type

    def decode(match: re.Match[str]) -> str:
        try:
            return bytes.fromhex(match.group().replace("%", "")).decode("utf-8")
        except UnicodeDecodeError:
            return match.group()

    return _PERCENT_RUN.sub(decode, brat_type)


def escape_note(note: str) -> str:
    """A note on one ``.ann`` line: backslash and line breaks escaped."""
    if not any(ch in _NOTE_ESCAPES for ch in note):
        return note
    return "".join(_NOTE_ESCAPES.get(ch, ch) for ch in note)


def unescape_note(text: str) -> str:
    def undo(match: re.Match[str]) -> str:
        code = match.group(1)
        if code == "\\":
            return "\\"
        if code == "n":
            return "\n"
        if code == "r":
            return "\r"
        return chr(int(code[1:], 16))

    return _NOTE_UNESCAPE.sub(undo, text) if "\\" in text else text


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``text[start:end]`` as brat fragments without line breaks; zero-length fragments pin a span that begins or
    ends with a line break, so ``(fragments[0][0], fragments[-1][1]) == (start, end)`` always."""
    frags = [m.span() for m in _RUN.finditer(text, start, end)]
    if not frags or frags[0][0] != start:
        frags.insert(0, (start, start))
    if frags[-1][1] != end:
        frags.append((end, end))
    return frags


# ---------------------------------------------------------------------------------------------- read
@dataclass
class _Textbound:
    line: int
    label: str
    frags: list[tuple[int, int]]
    notes: list[str] = field(default_factory=list)


def pair(path: Path) -> tuple[Path, Path]:
    """(text file, annotation file) for ``NAME.ann`` or ``NAME.txt``."""
    if path.suffix.lower() == ".ann":
        return path.with_suffix(".txt"), path
    return path, path.with_suffix(".ann")


def read(path: Path) -> ReadResult:
    """One brat document; rejected whole on any problem, naming every bad ``.ann`` line."""
    txt, ann = pair(path)
    for missing, other in ((txt, ann), (ann, txt)):
        if not missing.exists():
            raise FormatError(
                f"{other}: its brat partner {missing.name} is missing (brat keeps NAME.txt beside "
                f"NAME.ann); {consequence()}"
            )
    text = _read_text(txt)
    ann_data = read_bytes(ann)
    problems, spans, split, ignored = _parse(text, ann_data, ann)
    report = []
    if problems.count and "\r" in text:
        # brat counts every character of the .txt as it is (its server opens it with codecs.open, which drops the
        # 'U' of 'rU': binary, no newline translation); a tool that read it in text mode counts \r\n as one
        newlines = text.replace("\r\n", "\n").replace("\r", "\n")
        again = _parse(newlines, ann_data, ann)
        if not again[0].count:
            problems, spans, split, ignored = again
            text = newlines
            report.append(
                f"{txt.name}: its offsets count a \\r\\n line end as one character (as a text-mode reader does, "
                "not brat), so the text was read so too, with \\n line ends"
            )
        else:  # which lines fit neither way
            problems.afterwords.append(
                f"(counting each \\r\\n as one character instead, {again[0].count} problem(s) remain: "
                + "; ".join(item.split(" (offsets must")[0] for item in again[0].items[:3]) + ")"
            )
    problems.raise_if_any()
    if split:
        report.append(f"{ann.name}: {split} discontinuous brat annotation(s) imported as one span per fragment")
    if ignored:
        kinds = ", ".join(f"{n} {kind}(s)" for kind, n in sorted(ignored.items()))
        report.append(f"{ann.name}: not imported (not spans): {kinds}")
    doc = IncomingDocument(text=text, title=txt.stem, source=txt.name, spans=spans)
    return ReadResult([doc], notes=report)


def _parse(text: str, data: bytes, ann: Path) -> tuple[Problems, list[IncomingSpan], int, Counter[str]]:
    """The ``.ann`` lines against ``text``: (problems, spans, fragments split apart, kinds not imported)."""
    problems = Problems(ann)
    ignored: Counter[str] = Counter()
    textbounds: dict[str, _Textbound | None] = {}  # None: defined on a bad line (reported there)
    notes: list[tuple[int, str, str]] = []
    seen_comments: set[str] = set()
    for number, line in _ann_lines(data, problems):
        ident, tab, rest = line.partition("\t")
        where = f"line {number}"
        if not tab:
            problems.add(where, "expected ID<TAB>..., found no tab")
        elif ident.startswith("T"):
            if ident in textbounds:
                problems.add(where, f"{ident} is defined twice")
                continue
            try:
                textbounds[ident] = _parse_textbound(text, rest, number)
            except ValueError as exc:
                textbounds[ident] = None
                problems.add(where, f"{ident}: {exc}")
        elif ident.startswith("#"):
            if ident in seen_comments:
                problems.add(where, f"{ident} is defined twice")
                continue
            seen_comments.add(ident)
            data, _, body = rest.partition("\t")
            parts = data.split()
            if len(parts) != 2:
                problems.add(where, f"{ident}: expected 'AnnotatorNotes TARGET', got {data!r}")
            elif parts[0] == "AnnotatorNotes" and parts[1].startswith("T"):
                notes.append((number, parts[1], unescape_note(body)))
            else:
                ignored["comment"] += 1
        elif ident[:1] in _IGNORED_KINDS:
            ignored[_IGNORED_KINDS[ident[:1]]] += 1
        else:
            problems.add(where, f"unknown annotation id {ident!r} (brat ids start with T, R, E, A, M, N, * or #)")
    for number, target, note in notes:
        if target not in textbounds:
            problems.add(f"line {number}", f"the note is on {target}, which is not defined")
        elif (tb := textbounds[target]) is not None:
            tb.notes.append(note)
    spans, split = _spans(text, textbounds, problems)
    return problems, spans, split, ignored


def _read_text(txt: Path) -> str:
    data = read_bytes(txt, MAX_TEXT_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FormatError(
            f"{txt}: not valid UTF-8 (line {line}, byte {exc.start}); brat offsets count the characters of a UTF-8 "
            f"text, so it cannot be read; {consequence()}"
        ) from None
    if not text:
        raise FormatError(f"{txt}: the file is empty; {consequence()}")
    return text


def _ann_lines(data: bytes, problems: Problems) -> Iterator[tuple[int, str]]:
    """(line number, line) for each non-blank line of a ``.ann`` file; a BOM and CRLF terminators are tolerated,
    and a line that is not UTF-8 is a problem on that line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for number, raw in enumerate(data.split(b"\n"), 1):
        raw = raw.removesuffix(b"\r")
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.add(f"line {number}", f"not valid UTF-8 (byte {exc.start} of the line)")
            continue
        if line.strip():
            yield number, line


def _parse_textbound(text: str, rest: str, number: int) -> _Textbound:
    """``label start end[;start end...][<TAB>text]`` → a textbound; ValueError with the reason."""
    data, _, quoted = rest.partition("\t")
    brat_type, _, offsets = data.partition(" ")
    if not brat_type or not offsets.strip():
        raise ValueError(f"expected 'TYPE START END', got {data!r}")
    frags: list[tuple[int, int]] = []
    for frag in offsets.split(";"):
        parts = frag.split()
        if len(parts) != 2 or not all(_OFFSET.fullmatch(p) for p in parts):
            raise ValueError(f"offsets must be 'START END' integers separated by ';', got {offsets!r}")
        start, end = int(parts[0]), int(parts[1])
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"fragment {start}-{end} is outside the text (length {len(text)}) or reversed")
        if frags and start < frags[-1][1]:
            raise ValueError(f"fragments {offsets.strip()!r} overlap or are out of order")
        frags.append((start, end))
    if frags[0][0] == frags[-1][1]:
        raise ValueError(f"the annotation {offsets.strip()!r} is empty")
    if quoted.strip():  # a blank or missing text field is filled from the text, as brat does
        expected = " ".join(text[a:b] for a, b in frags)
        if not (quoted == expected or (quoted.startswith(expected) and not quoted[len(expected) :].strip())):
            raise ValueError(
                f"its text {quoted!r} is not the text at {offsets.strip()} {expected!r} "
                "(offsets must be in code points of the .txt as is)"
            )
    return _Textbound(number, decode_label(brat_type), frags)


def _spans(text: str, textbounds: dict[str, _Textbound | None], problems: Problems) -> tuple[list[IncomingSpan], int]:
    """Textbounds → validated spans (see the module docstring for fragments); also the number split apart."""
    spans: list[IncomingSpan] = []
    split = 0
    for ident, tb in textbounds.items():
        if tb is None:
            continue
        gaps = (text[a[1] : b[0]] for a, b in pairwise(tb.frags))
        if all(not gap or gap.isspace() for gap in gaps):
            ranges = [(tb.frags[0][0], tb.frags[-1][1])]
        else:
            ranges = [(a, b) for a, b in tb.frags if a < b]
            split += 1
        note = "\n".join(tb.notes)
        for start, end in ranges:
            try:
                spans.append(check_span(text, start, end, tb.label, "", note))
            except ValueError as exc:
                problems.add(f"line {tb.line}", f"{ident}: {exc}")
                break
    return spans, split
