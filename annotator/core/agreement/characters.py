"""Character coverage for Cohen's and Fleiss' κ: every non-whitespace character of the compared documents is an
item, rated "covered by the label" or not by each annotator.

Characters are counted through a per-document prefix of non-whitespace counts taken only at span boundaries, so
the cost is a few C-level passes over each text plus Python work per span, never per character.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from annotator.core.agreement.sets import SpanTuple


def nonspace(text: str) -> int:
    # str.split() with no argument splits on exactly the str.isspace characters, at C speed.
    return sum(map(len, text.split()))


#: the whitespace ``str.split()`` splits on (``str.isspace``): these ASCII bytes, and the wide characters below
#: as UTF-8 (written out: finding them takes 0.1 s; tests/core/test_agreement_lean.py holds them to ``isspace``)
_ASCII_SPACE = b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "
_WIDE_SPACE = tuple(c.encode() for c in "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                                        "\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
#: every byte but those of :data:`_WIDE_SPACE` (deleted: what is left is a short string to look for them in)
_NOT_WIDE = bytes(sorted(set(range(256)) - {b for seq in _WIDE_SPACE for b in seq}))


def nonspace_text(text: str) -> int:
    """:func:`nonspace` of a whole text at a third less work: on its UTF-8 bytes, where every whitespace
    character is one ASCII byte unless the text holds one of the rarer wide ones (then :func:`nonspace`), so the
    count is ``len(text)`` less the ASCII whitespace bytes, with no word objects. The wide ones are looked for among
    the few bytes that can belong to them (a candidate is then confirmed in the whole text)."""
    data = text.encode("utf-8", "surrogatepass")
    rest = data.translate(None, _NOT_WIDE)
    if rest:
        for seq in _WIDE_SPACE:
            if seq in rest and seq in data:
                return nonspace(text)
    return len(text) - len(data) + len(data.translate(None, _ASCII_SPACE))


def boundary_prefix(text: str, spans: Iterable[SpanTuple]) -> tuple[dict[int, int], int]:
    """Non-whitespace characters before each span boundary, and in the whole text."""
    prefix: dict[int, int] = {}
    count = prev = 0
    for pos in sorted({p for s, e, _ in spans for p in (s, e)}):
        count += nonspace(text[prev:pos])
        prefix[pos] = count
        prev = pos
    return prefix, count + nonspace(text[prev:])


def merge(spans: Iterable[SpanTuple]) -> list[tuple[int, int]]:
    """Coverage of one annotator's spans as sorted disjoint intervals (their own overlaps count once)."""
    merged: list[tuple[int, int]] = []
    for s, e, _ in sorted(spans):
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def depth_hist(layers: Sequence[list[tuple[int, int]]], prefix: Mapping[int, int], hist: list[int]) -> None:
    """Add to ``hist[k]`` the non-whitespace characters covered by exactly ``k`` of the layers (k ≥ 1)."""
    delta: dict[int, int] = defaultdict(int)
    for layer in layers:
        for s, e in layer:
            delta[s] += 1
            delta[e] -= 1
    depth = prev = 0
    for pos in sorted(delta):
        if depth:
            hist[depth] += prefix[pos] - prefix[prev]
        depth += delta[pos]
        prev = pos


def cohen(total: int, cov_a: int, cov_b: int, both: int) -> float | None:
    """Cohen's κ from counts, in exact integer arithmetic (po·N² and pe·N² are integers)."""
    if total == 0:
        return None
    agree = both + (total - cov_a - cov_b + both)
    chance = cov_a * cov_b + (total - cov_a) * (total - cov_b)
    denominator = total * total - chance
    if denominator == 0:  # both constant and equal: pe == po == 1
        return 1.0
    return (total * agree - chance) / denominator


def fleiss(total: int, raters: int, hist: Sequence[int]) -> float | None:
    """Fleiss' κ for two categories (covered / not) from ``hist[k]`` = items covered by exactly k raters."""
    if total == 0:
        return None
    pairs = sum(n * (k * (k - 1) + (raters - k) * (raters - k - 1)) for k, n in enumerate(hist))
    p_bar = Fraction(pairs, total * raters * (raters - 1))
    p_covered = Fraction(sum(k * n for k, n in enumerate(hist)), total * raters)
    p_e = p_covered**2 + (1 - p_covered) ** 2
    if p_e == 1:
        return 1.0
    return float((p_bar - p_e) / (1 - p_e))
