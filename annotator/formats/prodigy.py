"""``prodigy``: our ``jsonl`` with Prodigy's tokens, so ``prodigy db-in`` and ``spans.manual``/``ner.manual`` take it.

One line per document and annotator (``_annotator_id``; a document without spans gets one line)::

    {"text": "...", "tokens": [{"text": "We", "start": 0, "end": 2, "id": 0, "ws": true}, ...],
     "spans": [{"start": 3, "end": 7, "token_start": 1, "token_end": 1, "label": "call", "text": "urge",
                "note": ""}],
     "answer": "accept", "_annotator_id": "kim", "meta": {"doc_id", "title", "source", "sha256", "status",
     "date", "issuer", "url", "note", "variables"}}

``meta`` is the ``jsonl`` export's (the document's variables and memo travel with it, DESIGN.md §2.4).

``token_end`` is inclusive, as Prodigy counts. The tokens are a blank spaCy tokenizer's (``spacy.blank("xx")``),
split further at span boundaries so every span is whole tokens. Read back by the ``jsonl`` reader: the lines of one
text become one document again, each annotator's spans with them. Needs spaCy (``annotator[spacy]``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from annotator.core.model import Document, Span
from annotator.formats import jsonl
from annotator.formats.common import ExportOptions, dumps_line
from annotator.formats.spacy_docbin import LANGUAGE, _spacy, words_for


def tokens_of(words: list[str], spaces: list[bool]) -> tuple[list[dict[str, Any]], dict[int, int], dict[int, int]]:
    """Prodigy's token dicts (whitespace-only words are kept, as spaCy keeps them), and token index by start and by
    end character."""
    tokens: list[dict[str, Any]] = []
    by_start: dict[int, int] = {}
    by_end: dict[int, int] = {}
    pos = 0
    for word, space in zip(words, spaces, strict=True):
        i = len(tokens)
        tokens.append({"text": word, "start": pos, "end": pos + len(word), "id": i, "ws": space})
        by_start[pos] = i
        by_end[pos + len(word)] = i
        pos += len(word) + space
    return tokens, by_start, by_end


def records(nlp: Any, doc: Document, spans: list[Span]) -> list[dict[str, Any]]:
    ordered = sorted(spans, key=lambda s: (s.start, s.end, s.label, s.id))
    words, spaces = words_for(nlp, doc.text, ((s.start, s.end) for s in ordered))
    tokens, by_start, by_end = tokens_of(words, spaces)
    meta = jsonl.meta(doc)
    groups: dict[str, list[Span]] = {}
    for s in ordered:
        groups.setdefault(s.annotator, []).append(s)
    out = []
    for who, group in (groups or {"": []}).items():
        line: dict[str, Any] = {
            "text": doc.text,
            "tokens": tokens,
            "spans": [
                {
                    "start": s.start,
                    "end": s.end,
                    "token_start": by_start[s.start],
                    "token_end": by_end[s.end],
                    "label": s.label,
                    "text": doc.text[s.start : s.end],
                    "note": s.note,
                }
                for s in group
            ],
            "answer": "accept",
            "meta": meta,
        }
        if who:
            line["_annotator_id"] = who
        out.append(line)
    return out


def write(items: Iterable[tuple[Document, list[Span]]], out: IO[bytes], options: ExportOptions | None = None) -> int:
    """Returns the number of lines (one per document and annotator)."""
    nlp = _spacy().blank(LANGUAGE)
    n = 0
    for doc, spans in items:
        for line in records(nlp, doc, spans):
            out.write(dumps_line(line))
            n += 1
    return n
