"""The reference agreement of one document (the oracle of tests/core/test_agreement_lean.py): the figures of
:func:`annotator.core.agreement.lean.measure` computed the plain way, each by the definition it implements.

It was the product's ``tally.measure`` until the lean path replaced it in ``compare`` and the review report
(issue 14); nothing in the product calls it, so it lives here, with the pieces only it used (a per-interval
non-whitespace count, the exact multiset intersection by Counter, coverage by depth histogram, the general
overlap matching of :mod:`annotator.core.agreement.pairing`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from annotator.core.agreement import characters, pairing
from annotator.core.agreement.sets import SpanTuple
from annotator.core.agreement.tally import DocTally
from annotator.core.agreement.unitizing import observed as unitizing_observed
from annotator.core.agreement.unitizing import sections, units


def exact_matches(a: Sequence[SpanTuple], b: Sequence[SpanTuple]) -> int:
    """Multiset intersection size: a span duplicated twice on one side matches at most twice."""
    if not a or not b:
        return 0
    return sum((Counter(a) & Counter(b)).values())


def covered(intervals: Iterable[tuple[int, int]], prefix: Mapping[int, int]) -> int:
    return sum(prefix[e] - prefix[s] for s, e in intervals)


def _disjoint(spans: Sequence[SpanTuple]) -> list[tuple[int, int]] | None:
    """One label's spans as sorted (start, end), if none overlaps another (the usual case); else None."""
    intervals = sorted([(s, e) for s, e, _ in spans])
    last = -1
    for s, e in intervals:
        if s < last:
            return None
        last = e
    return intervals


class _NonSpace(dict[tuple[int, int], int]):
    """Non-whitespace characters of ``text[s:e]`` by ``(s, e)``, each counted once: the two annotators share most
    spans, so a document's coverage costs a few short splits besides the one of the whole text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def __missing__(self, key: tuple[int, int]) -> int:
        found = self[key] = sum(map(len, self.text[key[0]:key[1]].split()))
        return found


def _sweep(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]], nonspace: _NonSpace) -> list[int]:
    """[exact, overlap, characters both cover, α_u observed distance] of two disjoint sorted interval lists, in
    one pass over their intersecting pairs.

    The overlap count is a maximum matching: pairs are met in sweep order and matched when both are free; the
    pair's earlier-ending span can meet no later span of the other side, so it is a leaf and matching it loses
    nothing. (Which pairs, among maximum matchings, does not change the count; the review's
    :func:`~annotator.core.agreement.pairing.overlap_pairs` picks them by total overlap.)
    """
    exact = overlap = both = observed = 0
    used_a, used_b = bytearray(len(a)), bytearray(len(b))
    hit_a, hit_b = bytearray(len(a)), bytearray(len(b))
    i = j = 0
    n_a, n_b = len(a), len(b)
    while i < n_a and j < n_b:
        sa, ea = a[i]
        sb, eb = b[j]
        if ea <= sb:
            i += 1
            continue
        if eb <= sa:
            j += 1
            continue
        observed += (sa - sb) ** 2 + (ea - eb) ** 2
        hit_a[i] = hit_b[j] = 1
        both += nonspace[(sa if sa > sb else sb, ea if ea < eb else eb)]
        if not used_a[i] and not used_b[j]:
            used_a[i] = used_b[j] = 1
            overlap += 1
            if sa == sb and ea == eb:
                exact += 1
        if ea < eb:
            i += 1
        elif eb < ea:
            j += 1
        else:
            i += 1
            j += 1
    for (s, e), hit in zip(a, hit_a, strict=True):
        if not hit:
            observed += (e - s) ** 2
    for (s, e), hit in zip(b, hit_b, strict=True):
        if not hit:
            observed += (e - s) ** 2
    return [exact, overlap, both, observed]


def measure(text: str, spans_a: Sequence[SpanTuple], spans_b: Sequence[SpanTuple]) -> DocTally:
    """One document's :class:`DocTally`. Per label: the same spans on both sides (often) are counted at once; a
    sweep when neither side's spans overlap each other (usually); the general matching and coverage otherwise.
    All three give the same figures. The reference of :func:`annotator.core.agreement.lean.measure`, which
    ``compare`` and the review report use (tests/core/test_agreement_lean.py holds them equal)."""
    length = len(text)
    chars = characters.nonspace(text)
    nonspace = _NonSpace(text)
    prefix: dict[int, int] | None = None
    group_a, group_b = pairing.by_label(spans_a), pairing.by_label(spans_b)
    counts: dict[str, list[int]] = {}
    all_lengths: dict[str, list[int]] = {}
    all_gaps: dict[str, list[int]] = {}
    for label in group_a.keys() | group_b.keys():
        sa, sb = group_a.get(label, []), group_b.get(label, [])
        lengths: list[int] = []
        gaps: list[int] = []
        ia = _disjoint(sa)
        if ia is not None and sa == sb:
            cov = sum([nonspace[iv] for iv in ia])
            sections(ia, length, lengths, gaps)
            lengths += lengths
            gaps += gaps
            counts[label] = [len(sa), len(sa), len(sa), len(sa), cov, cov, cov, 0]
            all_lengths[label] = lengths
            all_gaps[label] = gaps
            continue
        ib = _disjoint(sb)
        if ia is not None and ib is not None:
            exact, overlap, both, observed = _sweep(ia, ib, nonspace)
            cov_a = sum([nonspace[iv] for iv in ia])
            cov_b = sum([nonspace[iv] for iv in ib])
        else:
            if prefix is None:
                prefix, _ = characters.boundary_prefix(text, (*spans_a, *spans_b))
            ma, mb = characters.merge(sa), characters.merge(sb)
            hist = [0, 0, 0]
            characters.depth_hist((ma, mb), prefix, hist)
            cov_a = covered(ma, prefix)
            cov_b, both = hist[1] + 2 * hist[2] - cov_a, hist[2]
            exact, overlap = exact_matches(sa, sb), len(pairing.label_overlap_pairs(sa, sb))
            ia, ib = units((s, e) for s, e, _ in sa), units((s, e) for s, e, _ in sb)
            observed = unitizing_observed(ia, ib)
        sections(ia, length, lengths, gaps)
        sections(ib, length, lengths, gaps)
        counts[label] = [len(sa), len(sb), exact, overlap, cov_a, cov_b, both, observed]
        all_lengths[label] = lengths
        all_gaps[label] = gaps
    return DocTally(length, chars, counts, all_lengths, all_gaps)
