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
