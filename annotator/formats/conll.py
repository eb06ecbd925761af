"""``conll``: CoNLL-style IOB2, one token per line (``token<TAB>tag``), a blank line between sentences.

Write: each line of the text is a sentence; tokens are runs of word characters or single other non-space
characters. A token is tagged ``B-label``/``I-label`` when it overlaps a span. IOB cannot hold overlapping spans, so
of spans that overlap the longest is kept (ties: the earlier) and the others are left out and counted in the export
summary; nor can it hold the exact text (spacing), notes or annotators: export ``jsonl`` for those.

Read: IOB2, IOB1 (``I-`` may open a span) and BIOES/BILOU (``S-``/``U-``, ``E-``/``L-``); the text is the tokens
joined by a space, sentences by a line break. Documents are separated by ``-DOCSTART-`` lines (CoNLL 2003); a file
without them is one document. The tag is the last tab- or space-separated column. Any bad line rejects the file
whole, naming every one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from annotator.core.model import Document, IncomingDocument, IncomingSpan, ReadResult, Span
from annotator.errors import FormatError
from annotator.formats.common import ExportOptions, Problems, consequence, read_bytes

_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def kept_spans(spans: Iterable[Span]) -> tuple[list[Span], int]:
    """The spans IOB can hold: of overlapping ones the longest (ties: earlier start); also how many are left out."""
    kept: list[Span] = []
    ordered = sorted(spans, key=lambda s: (-(s.end - s.start), s.start, s.label))
    for s in ordered:
        if all(s.end <= k.start or k.end <= s.start for k in kept):
            kept.append(s)
    return sorted(kept, key=lambda s: s.start), len(ordered) - len(kept)


def lines_of(text: str, spans: list[Span]) -> list[str]:
    out: list[str] = []
    for line_match in re.finditer(r"[^\n\r\u2028\u2029\x85]+", text):
        tokens = list(_TOKEN.finditer(text, line_match.start(), line_match.end()))
        if not tokens:
            continue
        previous: Span | None = None
        for tok in tokens:
            a, b = tok.span()
            span = next((s for s in spans if s.start < b and a < s.end), None)
            tag = "O" if span is None else ("I-" if span is previous else "B-") + span.label.replace(" ", "_")
            previous = span
            out.append(f"{tok.group()}\t{tag}")
        out.append("")
    return out


def write(items: Iterable[tuple[Document, list[Span]]], out: IO[bytes], options: ExportOptions | None = None) -> int:
    n = left_out = 0
    for doc, spans in items:
        kept, dropped = kept_spans(spans)
        left_out += dropped
        out.write(("-DOCSTART-\tO\n\n" + "\n".join(lines_of(doc.text, kept)) + "\n").encode("utf-8"))
        n += 1
    if options is not None and left_out:
        options.notes.append(
            f"{left_out} span(s) left out: they overlap a longer span, and IOB tags cannot hold overlaps "
            "(export jsonl to keep them)"
        )
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
        text = "".join(parts).rstrip("\n ")
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
            if parts and not parts[-1].endswith("\n"):
                parts[-1] = parts[-1].rstrip(" ")
                parts.append("\n")
                length = sum(map(len, parts))
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
        parts.append(token + " ")
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
