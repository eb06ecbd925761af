"""``conll``: CoNLL-style IOB2, one token per line (``token<TAB>tag``), a blank line between sentences.

Write: each line of the text is a sentence; tokens are words, numbers (``9.087``, ``2024-01-05``) or single other
characters, and never cut a character as a reader sees it in two (an accent, an emoji sequence, a flag:
:mod:`annotator.formats.conll_tokens`). A token is tagged ``B-label``/``I-label`` when it overlaps a span. IOB cannot
hold overlapping spans, so of spans that overlap the longest is kept (ties: the earlier) and the others are left out and
counted in the export summary; nor can it hold the exact text (spacing), notes or annotators: export ``jsonl`` for
those. A span that IOB cannot give back as it is (an edge inside a token, white space at an edge, a line break inside,
no token of its own) is named in the summary with what it reads back as; none is moved silently.

Read: IOB2, IOB1 (``I-`` may open a span) and BIOES/BILOU (``S-``/``U-``, ``E-``/``L-``); the text is the tokens
joined by a space, sentences by a line break. Documents are separated by ``-DOCSTART-`` lines (CoNLL 2003); a file
without them is one document. The tag is the last tab- or space-separated column. Any bad line rejects the file
whole, naming every one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from annotator.core.model import Document, IncomingDocument, IncomingSpan, ReadResult, Span
from annotator.errors import FormatError
from annotator.formats import conll_tokens
from annotator.formats.common import ExportOptions, Problems, consequence, read_bytes
from annotator.formats.losses import Losses


def kept_spans(spans: Iterable[Span]) -> tuple[list[Span], int]:
    """The spans IOB can hold: of overlapping ones the longest (ties: earlier start); also how many are left out."""
    starts: list[int] = []  # the kept spans, which never overlap, by start: a new one is checked against its two
    kept: list[Span] = []  # neighbours only (every kept one against each span took minutes on a dense statement)
    ordered = sorted(spans, key=lambda s: (-(s.end - s.start), s.start, s.label))
    for s in ordered:
        at = bisect.bisect_left(starts, s.start)
        if (at == 0 or kept[at - 1].end <= s.start) and (at == len(kept) or s.end <= kept[at].start):
            starts.insert(at, s.start)
            kept.insert(at, s)
    return kept, len(ordered) - len(kept)


def lines_of(text: str, spans: list[Span], moved: Moved | None = None) -> list[str]:
    """The token lines of ``text``, a blank line after each sentence; ``spans`` (sorted, not overlapping) tag the
    tokens they overlap. ``moved`` collects the spans that do not read back as they are."""
    out: list[str] = []
    covered: list[list[tuple[int, int, int]]] = [[] for _ in spans]  # per span: (sentence, token start, end)
    i = 0  # the first span that may overlap the token at hand (spans and tokens both go left to right)
    for sentence, found in enumerate(conll_tokens.lines(text)):
        previous = -1
        for a, b in found:
            while i < len(spans) and spans[i].end <= a:
                i += 1
            if i < len(spans) and spans[i].start < b:
                covered[i].append((sentence, a, b))
                tag = ("I-" if i == previous else "B-") + spans[i].label.replace(" ", "_")
                previous = i
            else:
                tag, previous = "O", -1
            out.append(f"{text[a:b]}\t{tag}")
        out.append("")
    if moved is not None:
        moved.add(text, spans, covered)
    return out


class Moved:
    """The spans an export cannot write as they are, for its summary: left out (no token of their own), read back
    over other characters (an edge inside a token, white space at an edge), or cut at a line break. Each list holds
    the first :data:`SHOWN` of them, named; the counts are all of them."""

    SHOWN = 20

    def __init__(self) -> None:
        self.title = ""  # of the document at hand
        self.counts = {"left_out": 0, "shifted": 0, "cut": 0}
        self.shown: dict[str, list[str]] = {kind: [] for kind in self.counts}

    def add(self, text: str, spans: list[Span], covered: list[list[tuple[int, int, int]]]) -> None:
        for span, tokens in zip(spans, covered, strict=True):
            if not tokens:
                self._note("left_out", span, "")
                continue
            start, end = tokens[0][1], tokens[-1][2]
            if (start, end) != (span.start, span.end):
                self._note("shifted", span, f" read as {start}-{end} {_quoted(text[start:end])}")
            if tokens[0][0] != tokens[-1][0]:
                self._note("cut", span, f" ({tokens[-1][0] - tokens[0][0] + 1} lines)")

    def _note(self, kind: str, span: Span, how: str) -> None:
        self.counts[kind] += 1
        if len(self.shown[kind]) < self.SHOWN:
            self.shown[kind].append(f"{self.title!r}: {span.label} {span.start}-{span.end}{how}")

    def notes(self) -> list[str]:
        why = {
            "left_out": "left out: they tag no token of their own (only white space, or a part of a token a span "
            "before them tags), and IOB tags whole tokens (export jsonl to keep them)",
            "shifted": "read back over other characters than they hold: IOB tags whole tokens, so an edge inside a "
            "word or inside one character (an accent, an emoji sequence, a flag) moves to the token's edge, and "
            "white space at an edge is left out (export jsonl to keep them exact)",
            "cut": "cross a line break: each line is a sentence and a span ends with its sentence, so each reads "
            "back as one span per line",
        }
        out = []
        for kind, n in self.counts.items():
            if n:
                more = f" and {n - len(self.shown[kind])} more" if n > len(self.shown[kind]) else ""
                out.append(f"{n} span(s) {why[kind]}: " + "; ".join(self.shown[kind]) + more)
        return out


def _quoted(part: str, most: int = 40) -> str:
    return repr(part if len(part) <= most else part[: most // 2] + "…" + part[-most // 2 :])


def write(items: Iterable[tuple[Document, list[Span]]], out: IO[bytes], options: ExportOptions | None = None) -> int:
    n = left_out = 0
    moved = Moved()
    losses = Losses("conll")
    for doc, spans in items:
        losses.add(doc, spans)
        kept, dropped = kept_spans(spans)
        left_out += dropped
        moved.title = doc.title
        lines = lines_of(doc.text, kept, moved)
        out.write(("-DOCSTART-\tO\n\n" + "\n".join(lines) + "\n").encode("utf-8"))
        n += 1
    if options is not None:
        if left_out:
            options.notes.append(
                f"{left_out} span(s) left out: they overlap a longer span, and IOB tags cannot hold overlaps "
                "(export jsonl to keep them)"
            )
        options.notes += moved.notes()
        if (lost := losses.note()) is not None:
            options.notes.append(lost)
    return n


def read(path: Path) -> ReadResult:
    problems = Problems(path)
    try:
        data = read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{path}: not valid UTF-8 (byte {exc.start}); {consequence()}") from None
    docs: list[IncomingDocument] = []
    parts: list[str] = []  # text pieces of the current document
    spans: list[IncomingSpan] = []
    length = 0
    open_span: tuple[int, str] | None = None  # (start, label)
    last_end = 0

    def close() -> None:
        nonlocal open_span
        if open_span is not None:
            spans.append(IncomingSpan(open_span[0], last_end, open_span[1]))
            open_span = None

    def finish() -> None:
        nonlocal parts, spans, length
        close()
        while parts and parts[-1] in (" ", "\n"):  # the separators after the last token (not a token's own space)
            parts.pop()
        text = "".join(parts)
        if text:
            docs.append(
                IncomingDocument(
                    text=text,
                    title=f"{path.stem} #{len(docs) + 1}",
                    source=path.name,
                    spans=[s for s in spans if s.end <= len(text)],
                )
            )
        parts, spans, length = [], [], 0

    for number, raw in enumerate(data.split("\n"), 1):
        line = raw.rstrip("\r")
        if not line.strip():
            close()
            if parts and parts[-1] != "\n":
                parts[-1] = "\n"  # in place of the space after the sentence's last token
            continue
        fields = line.split("\t") if "\t" in line else line.split()
        token, tag = fields[0], fields[-1].strip()
        if token == "-DOCSTART-":
            finish()
            continue
        if len(fields) < 2 or not (tag == "O" or re.fullmatch(r"[BIESLU]-.+", tag)):
            problems.add(f"line {number}", f"expected TOKEN<TAB>TAG with an IOB/BIOES tag, got {line!r}")
            continue
        start = length
        parts += (token, " ")
        length += len(token) + 1
        end = start + len(token)
        kind, label = (tag[0], tag[2:]) if tag != "O" else ("O", "")
        if kind == "O":
            close()
        elif kind in "BSU" or open_span is None or open_span[1] != label:
            close()
            open_span = (start, label)
        last_end = end
        if kind in "SUEL":
            close()
    finish()
    if not docs and not problems.count:
        problems.add("file", "no tokens (the file is empty)")
    problems.raise_if_any()
    return ReadResult(docs)
