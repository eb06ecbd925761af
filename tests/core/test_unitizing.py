"""Krippendorff's α_u against the published worked examples (Krippendorff 1995, 2004) and DKPro Agreement's
output on them (tests/core/dkpro_alpha_u/README.md); and α_u inside ``compare``."""

from __future__ import annotations

import hashlib

import pytest

from annotator.core.agreement import AnnotationSet, DocSpans, compare, fleiss_kappa, format_compare
from annotator.core.agreement.unitizing import Unitizing, distance, observed, units

# Krippendorff (1995: 57), as DKPro's Krippendorff1995Test builds it: (offset, length, rater, category)
EX_1995 = [
    (2, 8, 0, "A"), (14, 6, 0, "A"), (4, 4, 1, "A"), (15, 2, 1, "A"),
    (0, 18, 0, "B"), (0, 2, 1, "B"), (2, 1, 1, "B"), (3, 1, 1, "B"), (4, 1, 1, "B"), (5, 1, 1, "B"), (6, 3, 1, "B"),
    (9, 1, 1, "B"),
    (2, 6, 0, "C"), (10, 2, 0, "C"), (14, 4, 0, "C"), (20, 2, 0, "C"), (0, 2, 1, "C"), (4, 4, 1, "C"),
    (10, 4, 1, "C"), (16, 2, 1, "C"), (20, 2, 1, "C"),
    (0, 2, 0, "D"), (2, 8, 0, "D"), (10, 4, 0, "D"), (14, 6, 0, "D"), (20, 4, 0, "D"), (0, 4, 1, "D"),
    (4, 4, 1, "D"), (8, 7, 1, "D"), (15, 2, 1, "D"), (17, 7, 1, "D"),
]
# Krippendorff (2004: 254), continuum [150, 450)
EX_2004 = [(225, 70, 0, "c"), (370, 30, 0, "c"), (220, 80, 1, "c"), (355, 20, 1, "c"), (400, 20, 1, "c"),
           (180, 60, 0, "k"), (300, 50, 0, "k"), (180, 60, 1, "k"), (300, 50, 1, "k")]


def study(length: int, found: list[tuple[int, int, int, str]], raters: int = 2, begin: int = 0) -> Unitizing:
    per: list[dict[str, list]] = [{} for _ in range(raters)]
    for offset, n, rater, category in found:
        per[rater].setdefault(category, []).append((offset - begin, offset - begin + n, category))
    u = Unitizing(raters)
    u.add(length, per)
    return u


def stretched(factor: float) -> Unitizing:
    return study(int(24 * factor), [(int(o * factor), int(n * factor), r, c) for o, n, r, c in EX_1995])


def test_1995_observed_disagreement_is_exact():
    d = stretched(1).disagreements()
    assert float(d["A"][0]) == 0.03125 and d["A"][0] == pytest.approx(18 / 576, abs=0)
    assert float(d["B"][0]) == 2.267361111111111
    assert float(d["C"][0]) == 0.027777777777777776
    assert float(d["D"][0]) == 0.3871527777777778


def test_1995_matches_dkpro_to_the_last_digit():
    # DKPro's output on the same studies (tests/core/dkpro_alpha_u/README.md)
    d = stretched(1).disagreements()
    assert [float(d[c][1]) for c in "ABCD"] == pytest.approx(
        [0.06447124304267161, 1.0895125300377617, 0.07003058103975535, 0.32079646017699115], rel=1e-15)
    alphas, overall = stretched(1).alphas()
    assert [alphas[c] for c in "ABCD"] == pytest.approx(
        [0.5152877697841727, -1.081078508599186, 0.6033478893740902, -0.20684865900383143], rel=1e-14)
    assert overall == pytest.approx(-0.7565527387256199, rel=1e-14)
    alphas, overall = stretched(50000).alphas()
    assert [alphas[c] for c in "ABCD"] == pytest.approx(
        [0.5529468148732835, -0.9283846712468944, 0.6930787892822531, 0.06586888110729805], rel=1e-13)
    assert overall == pytest.approx(-0.5500269048626674, rel=1e-13)


def test_1995_published_values_within_dkpros_tolerances():
    # Krippendorff's published figures (as DKPro's tests hold them: D_e and α rounded in print)
    u = stretched(1200000 / 24)
    d = u.disagreements()
    alphas, _ = u.alphas()
    for c, d_e, alpha in (("A", 0.06990, 0.553), ("B", 1.17731, -0.926), ("C", 0.08642, 0.679), ("D", 0.41445, 0.066)):
        assert float(d[c][1]) == pytest.approx(d_e, abs=0.005)
        assert alphas[c] == pytest.approx(alpha, abs=0.02)
    u = stretched(12 / 24)
    d_o, d_e = u.disagreements()["C"]
    assert float(d_o) == pytest.approx(0.02777, abs=1e-5) and float(d_e) == pytest.approx(0.05494, abs=1e-5)
    assert u.alphas()[0]["C"] == pytest.approx(0.494, abs=0.02)


def test_2004_textbook_example():
    u = study(300, EX_2004, begin=150)
    d = u.disagreements()
    assert float(d["c"][0]) == pytest.approx(0.0144, abs=1e-4)
    assert float(d["c"][1]) == pytest.approx(0.0532, abs=1e-4)
    assert float(d["k"][0]) == 0.0 and float(d["k"][1]) == pytest.approx(0.0490, abs=1e-4)
    alphas, overall = u.alphas()
    assert alphas["c"] == pytest.approx(0.7286, abs=1e-4) and alphas["k"] == 1.0
    assert overall == pytest.approx(0.8591, abs=5e-4)  # published
    assert overall == pytest.approx(0.8586654051841702, rel=1e-14)  # DKPro


def test_dkpro_unitizing_agreement_cases():
    u = study(10, [(1, 8, 0, "A"), (2, 1, 1, "A"), (4, 1, 1, "A"), (6, 1, 1, "A")])
    d_o, d_e = u.disagreements()["A"]
    assert float(d_o) == 0.91 and float(d_e) == pytest.approx(0.5351851851851852, rel=1e-15)
    assert u.alphas()[0]["A"] == pytest.approx(-0.7003460207612457, rel=1e-14)
    assert study(20, [(0, 1, 0, "X")], raters=3).alphas() == ({"X": 0.0}, 0.0)
    assert study(15, [(2, 5, 0, "A"), (2, 5, 1, "A")]).alphas() == ({"A": 1.0}, 1.0)
    assert Unitizing(2).alphas() == ({}, None)


def test_distance_as_published():
    # Krippendorff (2004) distances, as DKPro's Krippendorff2004Test states them (offset, length → start, end)
    assert distance((225, 295), None, (220, 300), None) == 50
    assert distance((370, 400), None, (355, 375), None) == 850
    assert distance(None, (400, 450), (400, 420), None) == 400
    assert distance((5, 11), None, (4, 6), None) == 26
    assert distance((5, 11), None, (6, 10), None) == 2
    assert distance((1, 9), None, None, (3, 4)) == 0  # a unit against a gap it is not inside
    assert distance((1, 9), None, (2, 3), None) == 37


def test_observed_sweep_equals_the_sum_over_intersecting_sections():
    """``observed`` (no gaps walked) against the definition: δ summed over every pair of intersecting sections."""
    import random

    rng = random.Random(5)
    for _ in range(300):
        n = rng.randint(1, 40)

        def layer(n: int = n) -> list[tuple[int, int]]:
            return units((s, s + rng.randint(1, 6)) for s in rng.sample(range(n), rng.randint(0, min(n, 6)))
                         if s + 1 <= n)

        a, b = [[(s, min(e, n)) for s, e in layer()] for _ in range(2)]

        def sections(us: list[tuple[int, int]], n: int = n) -> list[tuple[tuple[int, int], bool]]:
            out, last = [], 0
            for s, e in us:
                if s > last:
                    out.append(((last, s), False))
                out.append(((s, e), True))
                last = e
            if n > last:
                out.append(((last, n), False))
            return out

        total = 0
        for (x, x_unit) in sections(a):
            for (y, y_unit) in sections(b):
                if x[0] < y[1] and y[0] < x[1]:
                    total += distance(x if x_unit else None, None if x_unit else x, y if y_unit else None,
                                      None if y_unit else y)
        assert observed(a, b) == total


def test_own_overlapping_spans_join_touching_stay_apart():
    assert units([(0, 5), (3, 8), (8, 10), (12, 13)]) == [(0, 8), (8, 10), (12, 13)]


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_compare_reports_alpha_u_per_label_and_overall():
    text = "x" * 24
    a = AnnotationSet("a", {sha(text): DocSpans(text, tuple((o, o + n, c) for o, n, r, c in EX_1995 if r == 0))})
    b = AnnotationSet("b", {sha(text): DocSpans(text, tuple((o, o + n, c) for o, n, r, c in EX_1995 if r == 1))})
    result = compare(a, b, ["A", "B", "C", "D", "unused"])
    assert result["labels"]["A"]["alpha_u"] == pytest.approx(0.5152877697841727, rel=1e-14)
    assert result["labels"]["unused"]["alpha_u"] is None
    assert result["overall"]["alpha_u"] == pytest.approx(-0.7565527387256199, rel=1e-14)
    assert "alpha_u" in format_compare(result)
    # the same two annotators as a 2-set Fleiss table carry the same α_u
    fleiss = fleiss_kappa([a, b])
    assert fleiss["labels"]["C"]["alpha_u"] == pytest.approx(0.6033478893740902, rel=1e-14)


def test_gaps_end_at_document_ends():
    """Two documents side by side: the units of the second never meet a gap of the first (nothing crosses), and
    the result does not depend on the documents' order."""
    t1, t2 = "a" * 30, "b" * 20
    s1a, s1b = ((2, 10, "t"),), ((3, 10, "t"),)
    s2a, s2b = ((0, 5, "t"), (8, 12, "t")), ((0, 5, "t"),)
    forward = compare(AnnotationSet("a", {sha(t1): DocSpans(t1, s1a), sha(t2): DocSpans(t2, s2a)}),
                      AnnotationSet("b", {sha(t1): DocSpans(t1, s1b), sha(t2): DocSpans(t2, s2b)}))
    backward = compare(AnnotationSet("a", {sha(t2): DocSpans(t2, s2a), sha(t1): DocSpans(t1, s1a)}),
                       AnnotationSet("b", {sha(t2): DocSpans(t2, s2b), sha(t1): DocSpans(t1, s1b)}))
    assert forward["labels"]["t"]["alpha_u"] == backward["labels"]["t"]["alpha_u"]
    # by hand: D_o = 2·(1 + 4²)/(2·50²); units 8,7,5,4,5 (N=5); gaps 2,20 | 3,20 | 3,8 | 15
    u = Unitizing(2)
    u.add(30, [{"t": list(s1a)}, {"t": list(s1b)}])
    u.add(20, [{"t": list(s2a)}, {"t": list(s2b)}])
    d_o, _ = u.disagreements()["t"]
    assert d_o == pytest.approx((1 + 16) / 2500, abs=0)
    assert u.labels["t"].gaps == {2: 1, 3: 2, 8: 1, 15: 1, 20: 2}
