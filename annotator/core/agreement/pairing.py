"""Span-level matching of two annotators' spans: exact (a multiset intersection) and overlap (a maximum one-to-one
pairing of same-label spans that share at least one character; ties: the larger total of shared characters)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from annotator.core import matching
from annotator.core.agreement.sets import SpanTuple


def by_label(spans: Iterable[SpanTuple]) -> dict[str, list[SpanTuple]]:
    groups: dict[str, list[SpanTuple]] = defaultdict(list)
    for span in spans:
        groups[span[2]].append(span)
    return groups


def label_overlap_pairs(a: Sequence[SpanTuple], b: Sequence[SpanTuple]) -> list[tuple[int, int]]:
    """A maximum one-to-one pairing of overlapping spans (one label), as indices into ``a`` and ``b``: as many
    pairs as possible, and among those the largest total overlap (characters shared).

    A greedy pairing (longest overlap first) undercounts when spans cross: A = [0,10) [8,12), B = [2,10) [0,3)
    pairs A0-B0 (8 shared) first and leaves A1 and B1 apart, where A0-B1, A1-B0 pairs both.
    """
    if not a or not b:
        return []
    # Sweep by start: a span arriving pairs with every still-open span of the other side, so each overlapping
    # pair is produced once and non-overlapping ones cost nothing (no |A|·|B| scan on long documents).
    events = sorted([(s, 0, i, e) for i, (s, e, _) in enumerate(a)] + [(s, 1, j, e) for j, (s, e, _) in enumerate(b)])
    still_open: list[list[tuple[int, int, int]]] = [[], []]  # (end, start, index) per side
    edges: list[tuple[int, int, int]] = []  # (i in a, j in b, characters shared)
    for start, side, idx, end in events:
        # every open span of the other side started at or before ``start``: the overlap is [start, min(ends))
        others = still_open[1 - side] = [o for o in still_open[1 - side] if o[0] > start]
        if side == 0:
            edges.extend((idx, oi, min(end, oe) - start) for oe, _, oi in others)
        else:
            edges.extend((oi, idx, min(end, oe) - start) for oe, _, oi in others)
        still_open[side].append((end, start, idx))
    # most spans overlap one span of the other side at most: those pairs are their own component, matched as is
    degree_a = Counter(i for i, _, _ in edges)
    degree_b = Counter(j for _, j, _ in edges)
    pairs: list[tuple[int, int]] = [(i, j) for i, j, _ in edges if degree_a[i] == 1 and degree_b[j] == 1]
    crowded = [e for e in edges if degree_a[e[0]] > 1 or degree_b[e[1]] > 1]
    for component in matching.components(crowded):
        if len(component) == 1:
            pairs.append(component[0][:2])
        else:
            pairs.extend(matching.best_matching(component))
    return pairs


def overlap_pairs(a: Sequence[SpanTuple], b: Sequence[SpanTuple]) -> list[tuple[int, int]]:
    """The overlap matching of one document's spans (any labels), as index pairs into ``a`` and ``b``.

    Exposed so the review view can show which colleague span counts as "the same" as one of ours; ``compare``
    counts exactly these pairs.
    """
    index_a: dict[str, list[int]] = defaultdict(list)
    index_b: dict[str, list[int]] = defaultdict(list)
    for i, span in enumerate(a):
        index_a[span[2]].append(i)
    for j, span in enumerate(b):
        index_b[span[2]].append(j)
    pairs: list[tuple[int, int]] = []
    for label, ia in index_a.items():
        ib = index_b.get(label)
        if ib:
            local = label_overlap_pairs([a[i] for i in ia], [b[j] for j in ib])
            pairs.extend((ia[i], ib[j]) for i, j in local)
    return sorted(pairs)
