"""The lean path of agreement over a whole corpus (issue 14): the same figures as the reference ``measure`` and the
review's item counts (:func:`annotator.core.review.classify`), with fewer Python operations per span.

- :func:`measure` makes one document's :class:`~.tally.DocTally` from ``(start, end, label)`` tuples. The text
  inside spans is cut at every span boundary (the ends of two spans' intersection are span boundaries too), so
  each non-whitespace count is a difference of two prefix counts, and the whole text is split once; per
  label, identical span sets are counted at once, disjoint ones in one sweep, and only a label whose spans
  overlap each other takes the general matching.
- :func:`item_counts` counts a document's review items per kind (agreed, conflict, mine only, theirs only) by a
  multiset merge and, for what is left, the overlaps between the two sides: where each left-over span overlaps
  at most one span of the other side, or a group of overlapping ones shares one label, every stage of
  ``classify`` has one possible count and it follows; otherwise it answers ``None`` and the caller classifies.
- :func:`document_overall` is :func:`.tally.document_figures`' overall row without the entries of unused labels.

The reference functions (tests/core/agreement_oracle.py, ``review.classify``) are what tests/core/test_agreement_lean.py
holds these to, on hostile text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.core.agreement import characters, pairing
from annotator.core.agreement.sets import SpanTuple
from annotator.core.agreement.tally import DocTally, _prf
from annotator.core.agreement.unitizing import observed as unitizing_observed
from annotator.core.agreement.unitizing import sections, units

Interval = tuple[int, int]

#: beyond this many left-over pairs to test, :func:`item_counts` leaves the document to ``classify`` (a sweep)
_MAX_PAIRS = 1024


def prefix_counts(text: str, spans: Sequence[SpanTuple], other: Sequence[SpanTuple]) -> tuple[dict[int, int], int]:
    """Non-whitespace characters in the whole text, and a count at each boundary of ``spans`` and ``other`` whose
    differences give the characters between two boundaries covered by a span (``str.split`` splits on exactly
    the ``str.isspace`` characters): the pieces inside spans are split, the whole text counted on its bytes
    (:func:`.characters.nonspace_text`); the text between spans is never counted piece by piece (no difference
    spans it)."""
    delta: dict[int, int] = {}
    get = delta.get
    for s, e, _ in spans:
        delta[s] = get(s, 0) + 1
        delta[e] = get(e, 0) - 1
    for s, e, _ in other:
        delta[s] = get(s, 0) + 1
        delta[e] = get(e, 0) - 1
    prefix: dict[int, int] = {}
    count = depth = prev = 0
    for p in sorted(delta):
        if depth:  # [prev, p) lies inside a span
            count += len("".join(text[prev:p].split()))
        prefix[p] = count
        depth += delta[p]
        prev = p
    return prefix, characters.nonspace_text(text)


def _grouped(spans: Sequence[SpanTuple]) -> dict[str, list[Interval]]:
    groups: dict[str, list[Interval]] = {}
    for s, e, label in spans:
        found = groups.get(label)
        if found is None:
            groups[label] = [(s, e)]
        else:
            found.append((s, e))
    return groups


def _covered(intervals: Sequence[Interval], prefix: dict[int, int]) -> int:
    return sum([prefix[e] - prefix[s] for s, e in intervals])


def _sweep(a: Sequence[Interval], b: Sequence[Interval], prefix: dict[int, int]) -> tuple[int, int, int, int]:
    """(exact, overlap, both, observed) of two disjoint sorted interval lists: the reference's ``_sweep`` on
    prefix counts."""
    exact = overlap = both = observed = 0
    n_a, n_b = len(a), len(b)
    used_a, used_b = bytearray(n_a), bytearray(n_b)
    hit_a, hit_b = bytearray(n_a), bytearray(n_b)
    i = j = 0
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
        both += prefix[ea if ea < eb else eb] - prefix[sa if sa > sb else sb]
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
    if hit_a.count(0):
        observed += sum([(e - s) ** 2 for (s, e), hit in zip(a, hit_a, strict=True) if not hit])
    if hit_b.count(0):
        observed += sum([(e - s) ** 2 for (s, e), hit in zip(b, hit_b, strict=True) if not hit])
    return exact, overlap, both, observed


def _both(a: Sequence[Interval], b: Sequence[Interval], prefix: dict[int, int]) -> int:
    """Non-whitespace characters inside both of two disjoint sorted interval lists."""
    both = i = j = 0
    n_a, n_b = len(a), len(b)
    while i < n_a and j < n_b:
        sa, ea = a[i]
        sb, eb = b[j]
        lo, hi = (sa if sa > sb else sb), (ea if ea < eb else eb)
        if lo < hi:
            both += prefix[hi] - prefix[lo]
        if ea < eb:
            i += 1
        else:
            j += 1
    return both


def _common(a: Sequence[Interval], b: Sequence[Interval]) -> int:
    """The size of the multiset intersection of two sorted interval lists (a merge: no Counter per label)."""
    common = i = j = 0
    n_a, n_b = len(a), len(b)
    while i < n_a and j < n_b:
        x, y = a[i], b[j]
        if x == y:
            common += 1
            i += 1
            j += 1
        elif x < y:
            i += 1
        else:
            j += 1
    return common


#: beyond this many pairs of spans to test, :func:`_matching_size` asks :func:`.pairing.label_overlap_pairs` (a
#: sweep) instead of testing every pair
_MAX_MATCHING_PAIRS = 4096


def _matching_size(a: Sequence[Interval], b: Sequence[Interval], label: str) -> int:
    """The size of a maximum one-to-one pairing of overlapping intervals (one label) where spans of a side overlap
    each other: augmenting paths (Kuhn) over the overlapping pairs. Every maximum matching has this size, so it
    is ``len(pairing.label_overlap_pairs(...))`` without its choice among them by shared characters."""
    if not a or not b:
        return 0
    if len(a) * len(b) > _MAX_MATCHING_PAIRS:
        return len(pairing.label_overlap_pairs([(s, e, label) for s, e in a], [(s, e, label) for s, e in b]))
    adjacent = [[j for j, (sb, eb) in enumerate(b) if sb < ea and sa < eb] for sa, ea in a]
    owner = [-1] * len(b)

    def augment(i: int, seen: bytearray) -> bool:
        for j in adjacent[i]:
            if not seen[j]:
                seen[j] = 1
                if owner[j] < 0 or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    size = 0
    for i, found in enumerate(adjacent):
        if found and augment(i, bytearray(len(b))):
            size += 1
    return size


def _layer(intervals: list[Interval], length: int, prefix: dict[int, int], lengths: list[int], gaps: list[int]
           ) -> tuple[list[Interval], bool, int]:
    """One annotator's sorted spans of one label in one pass: (their units, whether they were disjoint already,
    the non-whitespace characters they cover), their sections added to ``lengths`` and ``gaps``
    (:func:`.unitizing.sections`)."""
    last = cov = 0
    n_lengths, n_gaps = len(lengths), len(gaps)
    for s, e in intervals:
        if s < last:  # overlaps one of its own: units join them (rare)
            del lengths[n_lengths:], gaps[n_gaps:]
            found = units(intervals)
            sections(found, length, lengths, gaps)
            return found, False, _covered(found, prefix)
        if s > last:
            gaps.append(s - last)
        lengths.append(e - s)
        cov += prefix[e] - prefix[s]
        last = e
    if length > last:
        gaps.append(length - last)
    return intervals, True, cov


def measure(text: str, spans_a: Sequence[SpanTuple], spans_b: Sequence[SpanTuple]) -> DocTally:
    """One document's :class:`~.tally.DocTally`, equal to the reference's (tests/core/agreement_oracle.py; its
    ``lengths`` and ``gaps`` lists may hold the same numbers in another order: they are counted, never read in
    order)."""
    length = len(text)
    prefix, chars = prefix_counts(text, spans_a, spans_b)
    group_a, group_b = _grouped(spans_a), _grouped(spans_b)
    counts: dict[str, list[int]] = {}
    all_lengths: dict[str, list[int]] = {}
    all_gaps: dict[str, list[int]] = {}
    for label in group_a.keys() | group_b.keys():
        ia, ib = group_a.get(label), group_b.get(label)
        lengths: list[int] = []
        gaps: list[int] = []
        if ia is None:
            ia = []
        else:
            ia.sort()
        if ib is None:
            ib = []
        else:
            ib.sort()
        if ia == ib:  # the same spans (often): all exact, no disagreement
            _, _, cov = _layer(ia, length, prefix, lengths, gaps)
            lengths += lengths
            gaps += gaps
            n = len(ia)
            counts[label] = [n, n, n, n, cov, cov, cov, 0]
        else:
            ua, dis_a, cov_a = _layer(ia, length, prefix, lengths, gaps)
            ub, dis_b, cov_b = _layer(ib, length, prefix, lengths, gaps)
            if dis_a and dis_b:
                exact, overlap, both, observed = _sweep(ia, ib, prefix)
            else:  # a side's spans overlap each other: the general matching
                both = _both(ua, ub, prefix)
                exact = _common(ia, ib)
                overlap = _matching_size(ia, ib, label)
                observed = unitizing_observed(ua, ub)
            counts[label] = [len(ia), len(ib), exact, overlap, cov_a, cov_b, both, observed]
        all_lengths[label] = lengths
        all_gaps[label] = gaps
    return DocTally(length, chars, counts, all_lengths, all_gaps)


# item kinds, in the order of annotator.core.review's counts: agreed, conflict, mine only, theirs only
AGREED, CONFLICT, MINE_ONLY, THEIRS_ONLY = range(4)


def item_counts(mine: Sequence[SpanTuple], theirs: Sequence[SpanTuple]
                ) -> tuple[list[int], dict[str, list[int]]] | None:
    """The review items of one document counted per kind, overall and per label (see
    :func:`annotator.core.review._counts`: a conflict counts under each label it involves, once if both spans
    share it); ``None`` when left-over spans of several labels overlap in a chain (a span overlapping two of the
    other side): which pairs ``classify`` makes then depends on its tie-breaking, and the caller asks it."""
    sm, st = sorted(mine), sorted(theirs)
    total = [0, 0, 0, 0]
    per_label: dict[str, list[int]] = {}
    rest_m: list[SpanTuple] = []
    rest_t: list[SpanTuple] = []
    i = j = 0
    n_m, n_t = len(sm), len(st)
    while i < n_m and j < n_t:  # a multiset intersection by merging the sorted lists
        x, y = sm[i], st[j]
        if x == y:
            row = per_label.get(x[2])
            if row is None:
                row = per_label[x[2]] = [0, 0, 0, 0]
            row[AGREED] += 1
            i += 1
            j += 1
        elif x < y:
            rest_m.append(x)
            i += 1
        else:
            rest_t.append(y)
            j += 1
    rest_m += sm[i:]
    rest_t += st[j:]
    total[AGREED] = n_m - len(rest_m)
    partner_m = [-1] * len(rest_m)  # the one span of theirs it pairs with; -1: none; -2: counted already
    partner_t = [-1] * len(rest_t)
    if rest_m and rest_t:
        if len(rest_m) * len(rest_t) > _MAX_PAIRS:
            return None
        edges: list[tuple[int, int]] = []
        crowded = False
        for a, (s1, e1, _) in enumerate(rest_m):
            for b, (s2, e2, _) in enumerate(rest_t):
                if s2 >= e1:
                    break  # sorted by start: the rest start later still
                if s1 < e2:
                    edges.append((a, b))
                    if partner_m[a] != -1 or partner_t[b] != -1:
                        crowded = True
                    partner_m[a], partner_t[b] = b, a
        if crowded and not _crowded(rest_m, rest_t, edges, partner_m, partner_t, total, per_label):
            return None
    labels: tuple[str, ...]
    for a, span in enumerate(rest_m):
        b = partner_m[a]
        if b == -2:
            continue
        if b == -1:
            kind, labels = MINE_ONLY, (span[2],)
        else:
            kind, other = CONFLICT, rest_t[b][2]
            labels = (span[2],) if other == span[2] else (span[2], other)
        total[kind] += 1
        for label in labels:
            row = per_label.get(label)
            if row is None:
                row = per_label[label] = [0, 0, 0, 0]
            row[kind] += 1
    for b, span in enumerate(rest_t):
        if partner_t[b] == -1:  # (-2: counted already)
            total[THEIRS_ONLY] += 1
            row = per_label.get(span[2])
            if row is None:
                row = per_label[span[2]] = [0, 0, 0, 0]
            row[THEIRS_ONLY] += 1
    return total, per_label


def _crowded(rest_m: list[SpanTuple], rest_t: list[SpanTuple], edges: list[tuple[int, int]], partner_m: list[int],
             partner_t: list[int], total: list[int], per_label: dict[str, list[int]]) -> bool:
    """Where a left-over span overlaps two of the other side: each connected group of overlapping left-overs is
    paired on its own by ``classify``. A group of one pair is left to the caller (``partner_*`` say which); a
    group of one label is a maximum matching of that label in stage 2, nothing left in it can pair in stage 3, so
    its counts follow from the matching's size (counted here, its spans marked -2). False for a group of several
    labels: which labels pair then depends on ``classify``'s tie-breaking."""
    parent = list(range(len(rest_m) + len(rest_t)))  # mine: a; theirs: len(rest_m) + b

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[root(a)] = root(len(rest_m) + b)
    groups: dict[int, list[tuple[int, int]]] = {}
    for a, b in edges:
        groups.setdefault(root(a), []).append((a, b))
    for group in groups.values():
        if len(group) == 1:
            a, b = group[0]
            partner_m[a], partner_t[b] = b, a
            continue
        ms = sorted({a for a, _ in group})
        ts = sorted({b for _, b in group})
        labels = {rest_m[a][2] for a in ms} | {rest_t[b][2] for b in ts}
        if len(labels) > 1:
            return False
        label = labels.pop()
        paired = len(pairing.label_overlap_pairs([rest_m[a] for a in ms], [rest_t[b] for b in ts]))
        row = per_label.get(label)
        if row is None:
            row = per_label[label] = [0, 0, 0, 0]
        for kind, n in ((CONFLICT, paired), (MINE_ONLY, len(ms) - paired), (THEIRS_ONLY, len(ts) - paired)):
            total[kind] += n
            row[kind] += n
        for a in ms:
            partner_m[a] = -2
        for b in ts:
            partner_t[b] = -2
    return True


class Overall:
    """Per-document overall figures (:func:`.tally.document_figures`' ``"overall"``) for one label order: the
    caller's labels first, then others sorted, so κ's mean adds the same floats in the same order."""

    def __init__(self, labels: Sequence[str] | None) -> None:
        self._order = list(dict.fromkeys(labels or ()))
        self._known = set(self._order)

    def __call__(self, doc: DocTally) -> dict[str, Any]:
        counts, chars = doc.counts, doc.chars
        used = [label for label in self._order if label in counts]
        if len(used) < len(counts):
            used += sorted(set(counts) - self._known)
        kappas = []
        n_a = n_b = exact = overlap = 0
        for label in used:
            row = counts[label]
            n_a += row[0]
            n_b += row[1]
            exact += row[2]
            overlap += row[3]
            if row[0] or row[1]:
                kappa = characters.cohen(chars, row[4], row[5], row[6])
                if kappa is not None:
                    kappas.append(kappa)
        return {
            "exact": _prf(exact, n_a, n_b),
            "overlap": _prf(overlap, n_a, n_b),
            "kappa": sum(kappas) / len(kappas) if kappas else None,
            "alpha_u": None,
        }
