"""Krippendorff's unitizing alpha, α_u (Krippendorff 1995, "On the reliability of unitizing contiguous data",
Sociological Methodology 25:47–76; Content Analysis, 2nd ed. 2004, §12.4), per label and overall.

The continuum is the text of the compared documents, every code point counted (whitespace too), in documents laid
end to end. For one label, each annotator's continuum is cut into *sections*: their spans of the label (*units*)
and the stretches between them (*gaps*: text they left uncoded for this label, including text they gave another
label). The distance between two annotators' sections that intersect is

- a unit against a unit: (start difference)² + (end difference)²,
- a unit against a gap that holds it whole: the unit's length², and 0 otherwise.

Observed disagreement D_o sums the distance over every pair of annotators and intersecting sections, divided by
R(R−1)L²/2 (R annotators, continuum length L). Expected disagreement D_e is the distance expected when every unit
of the label may lie anywhere it fits: with N units of lengths l, and the gaps g of all annotators,

    D_e = 2/L · Σ_units [ (N−1)(2l³−3l²+l)/3 + l² Σ_{g ≥ l} (g−l+1) ] / ( RL(RL−1) − Σ_units l(l−1) )

and α_u = 1 − D_o/D_e (0 when D_o = D_e, as DKPro Agreement's ``KrippendorffAlphaUnitizingAgreement``, whose
formulas and test values this follows). The overall α_u is 1 − mean D_o / mean D_e over the labels anyone used;
it is 1 when nobody disagrees anywhere.

Two choices fit the published definition to this product: a gap ends where its document ends (a unit cannot lie
across two statements, so a gap that did would expect placements that cannot happen), and one annotator's spans of
one label that overlap each other become one unit (α_u needs a rater's units of a category to be disjoint; spans
that only touch stay two units). Everything is summed in integers and divided once (exact).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from itertools import accumulate, combinations

from annotator.core import intervals

Interval = tuple[int, int]


def units(spans: Iterable[tuple[int, int]]) -> list[Interval]:
    """One annotator's units of one label: sorted; spans that overlap join into one, spans that touch stay apart."""
    return intervals.joined(spans)


def distance(a: Interval | None, a_gap: Interval | None, b: Interval | None, b_gap: Interval | None) -> int:
    """δ of two intersecting sections (a unit, or a gap given as ``*_gap``), Krippendorff (1995) — for tests and
    readers; :func:`observed` computes the same sum without walking the gaps."""
    if a is not None and b is not None:
        return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2
    if a is not None and b_gap is not None and b_gap[0] <= a[0] and a[1] <= b_gap[1]:
        return (a[1] - a[0]) ** 2
    if b is not None and a_gap is not None and a_gap[0] <= b[0] and b[1] <= a_gap[1]:
        return (b[1] - b[0]) ** 2
    return 0


def observed(a: Sequence[Interval], b: Sequence[Interval]) -> int:
    """Σ δ over the intersecting sections of two annotators' units (sorted, disjoint) of one label in one document.

    A unit that overlaps units of the other meets only gaps it is not inside (δ 0) besides them; a unit that
    overlaps none lies whole inside one gap of the other (δ = its length²).
    """
    total = 0
    hit_b = bytearray(len(b))
    j0, n_b = 0, len(b)
    for sa, ea in a:
        while j0 < n_b and b[j0][1] <= sa:
            j0 += 1
        j = j0
        while j < n_b and b[j][0] < ea:
            sb, eb = b[j]
            total += (sa - sb) ** 2 + (ea - eb) ** 2
            hit_b[j] = 1
            j += 1
        if j == j0:
            total += (ea - sa) ** 2
    for (sb, eb), hit in zip(b, hit_b, strict=True):
        if not hit:
            total += (eb - sb) ** 2
    return total


#: values gathered before they are counted in one C call: a few thousand at a time, so the count never holds the
#: GIL long (the report sums in a thread; a call over a million values would freeze the window meanwhile)
_CHUNK = 4096


class LabelSums:
    """One label's sums over the documents added: observed distance, and how many units and gaps of each length
    (a few thousand distinct lengths, however many spans; counted a chunk at a time)."""

    __slots__ = ("observed", "_lengths", "_gaps", "_pending_lengths", "_pending_gaps")

    def __init__(self) -> None:
        self.observed = 0
        self._lengths: Counter[int] = Counter()
        self._gaps: Counter[int] = Counter()
        self._pending_lengths: list[int] = []
        self._pending_gaps: list[int] = []

    @property
    def lengths(self) -> Counter[int]:
        """How many units of each length."""
        self._flush()
        return self._lengths

    @property
    def gaps(self) -> Counter[int]:
        """How many gaps of each length."""
        self._flush()
        return self._gaps

    def _flush(self) -> None:
        if self._pending_lengths:
            self._lengths.update(self._pending_lengths)
            self._pending_lengths.clear()
        if self._pending_gaps:
            self._gaps.update(self._pending_gaps)
            self._pending_gaps.clear()

    def add_document(self, length: int, layers: Sequence[Sequence[Interval]]) -> None:
        """One document of ``length`` code points; ``layers``: each annotator's units of the label in it."""
        lengths: list[int] = []
        gaps: list[int] = []
        for layer in layers:
            sections(layer, length, lengths, gaps)
        self.add_counts(0, lengths, gaps)
        for x, y in combinations(layers, 2):
            self.observed += observed(x, y)

    def add_counts(self, observed_distance: int, lengths: list[int], gaps: list[int]) -> None:
        self.observed += observed_distance
        self._pending_lengths += lengths
        self._pending_gaps += gaps
        if len(self._pending_lengths) > _CHUNK or len(self._pending_gaps) > _CHUNK:
            self._flush()

    def disagreement(self, length: int, raters: int) -> tuple[Fraction, Fraction]:
        """(D_o, D_e) over a continuum of ``length`` code points and ``raters`` annotators."""
        if length <= 0 or raters < 2:
            return Fraction(0), Fraction(0)
        d_o = Fraction(2 * self.observed, raters * (raters - 1) * length * length)
        n = sum(self.lengths.values())
        keys = sorted(self.gaps)
        # over gaps g ≥ l: Σ (g − l + 1) = (Σ g) − (their number)(l − 1); suffix sums over the distinct lengths
        sums = list(accumulate((g * self.gaps[g] for g in reversed(keys)), initial=0))[::-1]
        numbers = list(accumulate((self.gaps[g] for g in reversed(keys)), initial=0))[::-1]
        expected = squares = 0
        for unit, count in self.lengths.items():
            k = bisect_left(keys, unit)
            fits = sums[k] - numbers[k] * (unit - 1)
            expected += count * ((n - 1) * (unit * (unit - 1) * (2 * unit - 1) // 3) + unit * unit * fits)
            squares += count * unit * (unit - 1)
        denominator = raters * length * (raters * length - 1) - squares
        d_e = Fraction(2 * expected, length * denominator) if denominator else Fraction(0)
        return d_o, d_e


class Unitizing:
    """α_u of ``raters`` annotators, summed document by document (:meth:`add`, or a
    :class:`~annotator.core.agreement.tally.Tally` adding its own sums to :attr:`labels` and :attr:`length`)."""

    def __init__(self, raters: int = 2) -> None:
        self.raters = raters
        self.length = 0
        self.labels: dict[str, LabelSums] = {}

    def add(self, length: int, per_rater: Sequence[Mapping[str, Iterable[tuple[int, int, str]]]]) -> None:
        """One document of ``length`` code points; ``per_rater``: each annotator's spans of it, grouped by label."""
        found = set().union(*per_rater)
        for label in found:
            sums = self.labels.get(label)
            if sums is None:
                sums = self.labels[label] = LabelSums()
            sums.add_document(length, [units((s, e) for s, e, _ in g.get(label, ())) for g in per_rater])
        self.length += length

    def disagreements(self) -> dict[str, tuple[Fraction, Fraction]]:
        """(D_o, D_e) per label anyone used."""
        return {label: sums.disagreement(self.length, self.raters) for label, sums in self.labels.items()}

    def alphas(self) -> tuple[dict[str, float | None], float | None]:
        """α_u per label used (None where D_e is 0: nothing could be expected) and overall (None if no label)."""
        found = self.disagreements()
        per_label = {label: category_alpha(d_o, d_e) for label, (d_o, d_e) in found.items()}
        if not found:
            return per_label, None
        mean_o = sum(d_o for d_o, _ in found.values()) / len(found)
        mean_e = sum(d_e for _, d_e in found.values()) / len(found)
        if mean_o == mean_e:
            return per_label, 1.0 if mean_o == 0 else 0.0
        if mean_e == 0:
            return per_label, None
        return per_label, float(1 - mean_o / mean_e)


def category_alpha(d_o: Fraction, d_e: Fraction) -> float | None:
    """α_u of one label: 1 − D_o/D_e; 0 when they are equal (as DKPro); None when D_e is 0 and D_o is not."""
    if d_o == d_e:
        return 0.0
    if d_e == 0:
        return None
    return float(1 - d_o / d_e)


def sections(intervals: Sequence[tuple[int, int]], length: int, lengths: list[int], gaps: list[int]) -> None:
    """Add one annotator's sorted, disjoint units in a document of ``length`` code points: each unit's length to
    ``lengths``, each stretch of uncoded text between, before and after them (a gap) to ``gaps``."""
    last = 0
    for s, e in intervals:
        if s > last:
            gaps.append(s - last)
        lengths.append(e - s)
        last = e
    if length > last:
        gaps.append(length - last)
