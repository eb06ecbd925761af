"""Deterministic benchmark data: English-like official statements (with some emoji, non-ASCII and CRLF) and spans.

Everything is seeded, so two runs measure the same bytes. Text is built from a pool of generated sentences, which
keeps 20 MB of statements cheap to make while every document stays unique (each has its own heading).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from annotator.core.model import IncomingDocument, IncomingSpan

LABELS = ("threat", "commitment", "call_to_action")
ANNOTATORS = ("kim", "sato")

_ACTORS = (
    "The United States",
    "Japan",
    "The Republic of Korea",
    "The DPRK",
    "The Government of Japan",
    "Our three nations",
    "The Ministers",
    "The Secretary",
    "Allies and partners",
    "The international community",
    "The Security Council",
    "Seoul",
    "Tokyo",
    "Washington",
    "The ROK–Japan–U.S. partnership",
    "Minister Kamikawa Yōko",
    "Park Jin",
)
_VERBS = (
    "strongly condemn",
    "reaffirm",
    "urge",
    "call on",
    "remain committed to",
    "will continue to",
    "pledge to",
    "express grave concern over",
    "reiterate",
    "welcome",
    "stand ready to",
    "demand",
    "will strengthen",
    "threatens",
    "undermines",
    "seeks to advance",
    "continues to pose",
    "decided to expand",
    "intend to deepen",
)
_OBJECTS = (
    "ballistic missile launches",
    "the global non-proliferation regime",
    "peace and stability in the region",
    "the rules-based international order",
    "trilateral security cooperation",
    "the safety of civil aviation",
    "maritime traffic",
    "all relevant UN Security Council resolutions",
    "the complete denuclearization",
    "unlawful weapons programs",
    "humanitarian assistance",
    "extended deterrence",
    "cyber activities",
    "the abductions issue",
    "freedom of navigation",
    "economic coercion",
    "supply chain resilience",
    "the Indo-Pacific",
    "provocations",
    "a grave threat",
    "international peace and security",
    "dialogue",
)
_TAILS = (
    "without preconditions",
    "in the strongest terms",
    "at the earliest possible date",
    "as a matter of urgency",
    "in close coordination",
    "including an intercontinental ballistic missile",
    "that violate them",
    "backed by the full range of capabilities",
    "for the benefit of all",
    "across the region",
    "in accordance with international law",
    "together with our partners",
)
_EXTRAS = ("🚀", "🇺🇸", "🇯🇵", "🇰🇷", "😀", "𝐃𝐏𝐑𝐊", "한국어", "café", "naïve", "Zürich", "—", "“quoted”", "ROK’s")
_CONNECT = (", and ", "; ", ", while ", ", which ", ". Moreover, ", ", as ")


def _sentence(rng: random.Random) -> str:
    parts = [f"{rng.choice(_ACTORS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"]
    for _ in range(rng.randint(0, 2)):
        parts.append(f"{rng.choice(_CONNECT)}{rng.choice(_VERBS)} {rng.choice(_OBJECTS)}")
    if rng.random() < 0.6:
        parts.append(f" {rng.choice(_TAILS)}")
    if rng.random() < 0.08:
        parts.append(f" {rng.choice(_EXTRAS)}")
    return "".join(parts) + rng.choice((".", ".", ".", "!", "?"))


@dataclass(frozen=True)
class SentencePool:
    """Pre-made sentences; documents are drawn from them."""

    sentences: tuple[str, ...]

    @classmethod
    def make(cls, seed: int = 1, size: int = 4000) -> SentencePool:
        rng = random.Random(seed)
        return cls(tuple(_sentence(rng) for _ in range(size)))

    def paragraph(self, rng: random.Random) -> str:
        return " ".join(rng.choices(self.sentences, k=rng.randint(2, 7)))


_POOL: SentencePool | None = None


def pool() -> SentencePool:
    global _POOL
    if _POOL is None:
        _POOL = SentencePool.make()
    return _POOL


def statement(rng: random.Random, size: int, number: int = 0, crlf: bool | None = None) -> str:
    """One statement of about ``size`` characters: a dated heading, then paragraphs (CRLF in some documents)."""
    newline = ("\r\n" if rng.random() < 0.3 else "\n") if crlf is None else ("\r\n" if crlf else "\n")
    heading = f"Joint Statement No. {number} — {2000 + number % 25}-{1 + number % 12:02d}-{1 + number % 28:02d}"
    parts = [heading]
    length = len(heading)
    p = pool()
    while length < size:
        para = p.paragraph(rng)
        parts.append(para)
        length += len(para) + 2 * len(newline)
    return (newline * 2).join(parts)[: max(size, len(heading))].rstrip()


def paragraph_text(rng: random.Random, size: int) -> str:
    """One paragraph of ``size`` characters: no line break at all."""
    p = pool()
    parts: list[str] = []
    length = 0
    while length < size:
        para = p.paragraph(rng)
        parts.append(para)
        length += len(para) + 1
    return " ".join(parts)[:size]


_WORD = re.compile(r"\w+")


def word_bounds(text: str) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    for m in _WORD.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def spans_for(text: str, count: int, rng: random.Random, max_words: int = 8, annotator: str = "") -> list[IncomingSpan]:
    """``count`` word-aligned spans of 1..``max_words`` words, sorted; some overlap by chance, a few are nested."""
    starts, ends = word_bounds(text)
    n = len(starts)
    spans: list[IncomingSpan] = []
    for i in sorted(rng.choices(range(n), k=count)):
        j = min(n - 1, i + rng.randint(0, max_words - 1))
        spans.append(IncomingSpan(starts[i], ends[j], rng.choice(LABELS), annotator))
    spans.sort(key=lambda s: (s.start, s.end, s.label))
    return spans


def dense_spans(text: str, count: int, rng: random.Random) -> list[IncomingSpan]:
    """Heavily overlapping spans: lengths from one word to a few hundred, so hundreds cover any screenful."""
    starts, ends = word_bounds(text)
    n = len(starts)
    spans = []
    for i in sorted(rng.choices(range(n), k=count)):
        words = int(rng.paretovariate(0.8)) if rng.random() < 0.7 else rng.randint(1, 400)
        j = min(n - 1, i + words - 1)
        spans.append(IncomingSpan(starts[i], ends[j], rng.choice(LABELS)))
    spans.sort(key=lambda s: (s.start, s.end, s.label))
    return spans


def selections(text: str, count: int, rng: random.Random, words: int = 3) -> list[tuple[int, int]]:
    """Word-aligned selections spread over the whole text, for key presses."""
    starts, ends = word_bounds(text)
    n = len(starts)
    out = []
    for k in range(count):
        lo = (n - words) * k // max(1, count)
        hi = max(lo + 1, (n - words) * (k + 1) // max(1, count))
        i = rng.randrange(lo, hi)
        out.append((starts[i], ends[i + words - 1]))
    return out


def statements(count: int, size: int = 2000, seed: int = 7, spans_each: int = 0) -> Iterator[IncomingDocument]:
    """``count`` distinct statements of about ``size`` characters, optionally with ``spans_each`` spans each."""
    rng = random.Random(seed)
    for i in range(count):
        text = statement(rng, size, i)
        spans = spans_for(text, spans_each, rng, annotator=ANNOTATORS[0]) if spans_each else []
        yield IncomingDocument(text=text, title=f"statement {i:05d}", source="bench", spans=spans)


def second_annotator(text: str, spans: list[IncomingSpan], rng: random.Random) -> list[IncomingSpan]:
    """A colleague's spans for the same text: most agree, some shift a word, some relabel, some miss or add."""
    starts, ends = word_bounds(text)
    out: list[IncomingSpan] = []
    for s in spans:
        r = rng.random()
        if r < 0.6:
            out.append(IncomingSpan(s.start, s.end, s.label, ANNOTATORS[1]))
        elif r < 0.75:
            i = max(0, _index_at_or_after(ends, s.end) - 1)
            end = ends[min(len(ends) - 1, i + 1)] if rng.random() < 0.5 else s.end
            start = s.start if end != s.end else starts[min(_index_at_or_after(starts, s.start) + 1, len(starts) - 1)]
            if start < end:
                out.append(IncomingSpan(start, end, s.label, ANNOTATORS[1]))
        elif r < 0.87:
            out.append(IncomingSpan(s.start, s.end, rng.choice([x for x in LABELS if x != s.label]), ANNOTATORS[1]))
        # else: missed
    out += spans_for(text, max(1, len(spans) // 10), rng, annotator=ANNOTATORS[1])
    out.sort(key=lambda s: (s.start, s.end, s.label))
    return out


def _index_at_or_after(values: list[int], x: int) -> int:
    from bisect import bisect_left

    return min(bisect_left(values, x), len(values) - 1)
