"""Agreement figures (DESIGN.md §2.5) against hand-computed values, brute-force references and invariants."""

from __future__ import annotations

import hashlib
import json
import random
import time
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.agreement import (
    AnnotationSet,
    DocSpans,
    agree_many,
    compare,
    fleiss_kappa,
    format_compare,
    format_many,
    overlap_pairs,
    pairwise,
    split_by_annotator,
)

LABELS = ["threat", "commitment", "call_to_action"]


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def one_doc(name: str, text: str, *spans: tuple[int, int, str]) -> AnnotationSet:
    return AnnotationSet(name, {sha(text): DocSpans(text, tuple(spans))})


def prf(result: dict, kind: str, label: str | None = None) -> tuple:
    entry = result["overall"] if label is None else result["labels"][label]
    return tuple(entry[kind][k] for k in ("precision", "recall", "f1"))


TEXT = "The regime threatens peace. We commit to defend allies. We call on all states to act now."


# -- exact and overlap -----------------------------------------------------------------------------------------


def test_identical_sets_agree_completely():
    a = one_doc("a", TEXT, (4, 26, "threat"), (28, 54, "commitment"), (56, 89, "call_to_action"))
    result = compare(a, a, LABELS)
    assert result["documents"] == 1
    assert prf(result, "exact") == prf(result, "overlap") == (1.0, 1.0, 1.0)
    assert result["overall"]["kappa"] == 1.0
    for label in LABELS:
        assert result["labels"][label]["kappa"] == 1.0
        assert result["labels"][label]["a"] == result["labels"][label]["b"] == 1
    assert result["only_in_a"] == result["only_in_b"] == []


def test_result_has_exactly_the_documented_shape_and_is_json():
    a = one_doc("a", TEXT, (4, 26, "threat"))
    result = compare(a, a, LABELS)
    assert set(result) == {"documents", "overall", "labels", "diagnostics", "only_in_a", "only_in_b"}
    assert set(result["overall"]) == {"exact", "overlap", "kappa", "alpha_u"}
    assert set(result["overall"]["exact"]) == {"precision", "recall", "f1"}
    assert list(result["labels"]) == LABELS
    assert set(result["labels"]["threat"]) == {"exact", "overlap", "kappa", "alpha_u", "a", "b"}
    assert json.loads(json.dumps(result)) == result


def test_disjoint_spans_score_zero():
    a = one_doc("a", TEXT, (0, 10, "threat"))
    b = one_doc("b", TEXT, (40, 50, "threat"))
    result = compare(a, b)
    assert prf(result, "exact") == prf(result, "overlap") == (0.0, 0.0, 0.0)
    assert result["labels"]["threat"]["kappa"] < 0


def test_partial_agreement():
    a = one_doc("a", TEXT, (0, 5, "threat"), (10, 15, "threat"), (20, 25, "commitment"))
    b = one_doc("b", TEXT, (0, 5, "threat"), (11, 15, "threat"), (30, 35, "commitment"))
    result = compare(a, b)
    # exact: only (0, 5, threat) matches -> 1/3 each way; overlap: both threats pair, the commitments do not
    assert prf(result, "exact") == (1 / 3, 1 / 3, 1 / 3)
    assert prf(result, "overlap") == (2 / 3, 2 / 3, 2 / 3)
    assert prf(result, "exact", "threat") == (0.5, 0.5, 0.5)
    assert prf(result, "overlap", "threat") == (1.0, 1.0, 1.0)
    assert prf(result, "overlap", "commitment") == (0.0, 0.0, 0.0)


def test_precision_is_against_b_and_recall_against_a():
    a = one_doc("a", TEXT, (0, 5, "threat"), (10, 15, "threat"))
    b = one_doc("b", TEXT, (0, 5, "threat"))
    # B's one span is confirmed (P = 1); A's two spans, B found one (R = 1/2); F1 = 2·1/(2+1)
    assert prf(compare(a, b), "exact") == (1.0, 0.5, 2 / 3)


def test_same_offsets_different_labels_are_no_match():
    a = one_doc("a", TEXT, (4, 26, "threat"))
    b = one_doc("b", TEXT, (4, 26, "commitment"))
    result = compare(a, b)
    assert prf(result, "exact") == prf(result, "overlap") == (0.0, 0.0, 0.0)
    # threat: B has none -> precision undefined; A's one span unfound -> recall 0, F1 0
    assert prf(result, "exact", "threat") == (None, 0.0, 0.0)
    assert prf(result, "exact", "commitment") == (0.0, None, 0.0)
    assert result["labels"]["threat"]["a"] == 1 and result["labels"]["threat"]["b"] == 0


def test_boundary_difference_is_exact_zero_overlap_one():
    a = one_doc("a", TEXT, (4, 26, "threat"))
    b = one_doc("b", TEXT, (0, 27, "threat"))
    result = compare(a, b)
    assert prf(result, "exact") == (0.0, 0.0, 0.0)
    assert prf(result, "overlap") == (1.0, 1.0, 1.0)


def test_touching_spans_do_not_overlap():
    a = one_doc("a", TEXT, (0, 5, "threat"))
    b = one_doc("b", TEXT, (5, 9, "threat"))
    assert prf(compare(a, b), "overlap") == (0.0, 0.0, 0.0)


def test_duplicate_spans_count_as_a_multiset():
    a = one_doc("a", TEXT, (0, 5, "threat"), (0, 5, "threat"))
    b = one_doc("b", TEXT, (0, 5, "threat"))
    result = compare(a, b)
    assert prf(result, "exact") == (1.0, 0.5, 2 / 3)
    assert prf(result, "overlap") == (1.0, 0.5, 2 / 3)
    assert prf(compare(a, a), "exact") == (1.0, 1.0, 1.0)


def test_overlapping_spans_within_one_annotator():
    text = "x" * 20
    a = one_doc("a", text, (0, 10, "threat"), (5, 15, "threat"))
    b = one_doc("b", text, (0, 10, "threat"))
    result = compare(a, b)
    assert prf(result, "exact") == (1.0, 0.5, 2 / 3)
    # candidates (A0, B0) overlap 10, (A1, B0) overlap 5: one pair
    assert prf(result, "overlap") == (1.0, 0.5, 2 / 3)
    # κ counts A's coverage once (0..15): N = 20, A covers 15, B 10, both 10, neither 5.
    # po = (10 + 5)/20 = 3/4; pe = (15/20)(10/20) + (5/20)(10/20) = 3/8 + 1/8 = 1/2; κ = (3/4 − 1/2)/(1/2) = 1/2
    assert result["labels"]["threat"]["kappa"] == pytest.approx(0.5)


def test_pairing_is_a_maximum_matching_not_greedy():
    # A0 = [0,10) overlaps B0 = [2,10) by 8 and B1 = [0,3) by 3; A1 = [8,12) overlaps B0 by 2.
    # Greedy (longest overlap first) took (A0, B0) and left A1 and B1 apart: 1 pair, F1 0.5. Both pair one-to-one.
    a = [(0, 10, "t"), (8, 12, "t")]
    b = [(2, 10, "t"), (0, 3, "t")]
    assert overlap_pairs(a, b) == [(0, 1), (1, 0)]
    result = compare(one_doc("a", "y" * 12, *a), one_doc("b", "y" * 12, *b))
    assert prf(result, "overlap") == (1.0, 1.0, 1.0)
    assert prf(result, "exact") == (0.0, 0.0, 0.0)  # exact figures do not change


def test_ties_in_pair_count_go_to_the_larger_total_overlap():
    # one A span, two B spans: the one sharing more characters
    assert overlap_pairs([(0, 10, "t")], [(0, 3, "t"), (2, 10, "t")]) == [(0, 1)]
    # two pairs either way: A0-B0 (9) + A1-B1 (11) = 20 shared beats A0-B1 (1) + A1-B0 (1) = 2
    assert overlap_pairs([(0, 10, "t"), (8, 20, "t")], [(0, 9, "t"), (9, 20, "t")]) == [(0, 0), (1, 1)]
    # pairing never crosses labels
    assert overlap_pairs([(0, 4, "t"), (0, 4, "u")], [(0, 4, "u")]) == [(1, 0)]


# -- documents and labels --------------------------------------------------------------------------------------


def test_documents_in_only_one_set_are_listed_not_compared():
    t1, t2, t3 = "first statement", "second statement", "third statement"
    a = AnnotationSet("a", {sha(t1): DocSpans(t1, ((0, 5, "threat"),)), sha(t2): DocSpans(t2, ((0, 6, "extra"),))})
    b = AnnotationSet("b", {sha(t1): DocSpans(t1, ((0, 5, "threat"),)), sha(t3): DocSpans(t3, ((0, 5, "threat"),))})
    result = compare(a, b)
    assert result["documents"] == 1
    assert result["only_in_a"] == [sha(t2)]
    assert result["only_in_b"] == [sha(t3)]
    assert list(result["labels"]) == ["threat"]  # "extra" occurs only in an uncompared document
    assert result["labels"]["threat"]["a"] == result["labels"]["threat"]["b"] == 1
    assert prf(result, "exact") == (1.0, 1.0, 1.0)


def test_label_used_by_neither_has_null_kappa_and_is_left_out_of_the_overall():
    text = "abcd efgh"
    a = one_doc("a", text, (0, 4, "threat"))
    b = one_doc("b", text, (0, 2, "threat"))
    result = compare(a, b, LABELS)
    unused = result["labels"]["commitment"]
    assert unused == {
        "exact": {"precision": None, "recall": None, "f1": None},
        "overlap": {"precision": None, "recall": None, "f1": None},
        "kappa": None,
        "alpha_u": None,
        "a": 0,
        "b": 0,
    }
    # threat: N = 8 non-space chars; A covers abcd (4), B ab (2), both 2, neither efgh (4).
    # po = (2 + 4)/8 = 3/4; pe = (4/8)(2/8) + (4/8)(6/8) = 1/8 + 3/8 = 1/2; κ = (3/4 − 1/2)/(1 − 1/2) = 1/2
    assert result["labels"]["threat"]["kappa"] == pytest.approx(0.5)
    assert result["overall"]["kappa"] == pytest.approx(0.5)


def test_labels_outside_the_given_list_are_reported_after_it():
    a = one_doc("a", TEXT, (0, 5, "zeta"), (6, 9, "alpha"), (10, 12, "threat"))
    result = compare(a, a, ["threat", "commitment"])
    assert list(result["labels"]) == ["threat", "commitment", "alpha", "zeta"]


def test_no_spans_at_all():
    empty = AnnotationSet("a", {sha(TEXT): DocSpans(TEXT)})
    result = compare(empty, empty, LABELS)
    assert prf(result, "exact") == (None, None, None)
    assert result["overall"]["kappa"] is None
    assert compare(AnnotationSet("a"), AnnotationSet("b"))["documents"] == 0


def test_different_texts_under_one_key_are_refused():
    key = sha("one")
    with pytest.raises(ValueError, match="different texts"):
        compare(AnnotationSet("a", {key: DocSpans("one")}), AnnotationSet("b", {key: DocSpans("two")}))


@pytest.mark.parametrize("span", [(0, 0, "t"), (-1, 2, "t"), (2, 1, "t"), (0, 4, "t"), (0, 1, "")])
def test_invalid_spans_are_refused(span):
    with pytest.raises(ValueError, match="invalid span"):
        DocSpans("abc", (span,))


# -- Cohen's kappa ---------------------------------------------------------------------------------------------


def test_kappa_worked_by_hand():
    text = "ab cd ef"  # non-space characters a b c d e f at 0 1 3 4 6 7: N = 6
    a = one_doc("a", text, (0, 5, "threat"))  # "ab cd": a b c d -> 4
    b = one_doc("b", text, (3, 8, "threat"))  # "cd ef": c d e f -> 4
    # both: c d (2); A only: a b (2); B only: e f (2); neither: 0.
    # po = (2 + 0)/6 = 1/3; pe = (4/6)(4/6) + (2/6)(2/6) = 16/36 + 4/36 = 5/9
    # κ = (1/3 − 5/9)/(1 − 5/9) = (−2/9)/(4/9) = −1/2
    assert compare(a, b)["labels"]["threat"]["kappa"] == pytest.approx(-0.5)


def test_kappa_ignores_whitespace_and_counts_it_nowhere():
    text = "ab    \n\t\u00a0\u3000  cd"
    # the same judgement with and without whitespace inside the spans
    a = one_doc("a", text, (0, 2, "t"))
    b = one_doc("b", text, (0, 12, "t"))  # ab + whitespace only
    assert compare(a, b)["labels"]["t"]["kappa"] == 1.0


def test_kappa_when_both_annotators_cover_everything():
    # pe = 1 (both constant): defined as 1.0, they agree on every character
    text = "abc def"
    a = one_doc("a", text, (0, 3, "t"), (4, 7, "t"))
    b = one_doc("b", text, (0, 7, "t"))
    result = compare(a, b)
    assert result["labels"]["t"]["kappa"] == 1.0
    assert prf(result, "exact") == (0.0, 0.0, 0.0)
    assert prf(result, "overlap") == (1.0, 0.5, 2 / 3)


def test_kappa_counts_characters_across_documents():
    t1, t2 = "aaaa", "bbbb"
    a = AnnotationSet("a", {sha(t1): DocSpans(t1, ((0, 4, "t"),)), sha(t2): DocSpans(t2)})
    b = AnnotationSet("b", {sha(t1): DocSpans(t1, ((0, 2, "t"),)), sha(t2): DocSpans(t2)})
    # N = 8; A 4, B 2, both 2, neither 4: the same figures as test_label_used_by_neither..., κ = 1/2
    assert compare(a, b)["labels"]["t"]["kappa"] == pytest.approx(0.5)


def test_kappa_matches_scikit_learn():
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    rng = random.Random(7)
    text = "".join(rng.choice("ab c") for _ in range(300))
    spans_a = [(s, s + rng.randint(1, 30), "t") for s in rng.sample(range(260), 12)]
    spans_b = [(s, s + rng.randint(1, 30), "t") for s in rng.sample(range(260), 12)]
    ours = compare(one_doc("a", text, *spans_a), one_doc("b", text, *spans_b))["labels"]["t"]["kappa"]
    keep = [i for i, c in enumerate(text) if not c.isspace()]
    va = [int(any(s <= i < e for s, e, _ in spans_a)) for i in keep]
    vb = [int(any(s <= i < e for s, e, _ in spans_b)) for i in keep]
    assert ours == pytest.approx(sklearn_metrics.cohen_kappa_score(va, vb))


# -- Fleiss' kappa ---------------------------------------------------------------------------------------------

FLEISS_TEXT = "ab cd"  # non-space: a b c d (N = 4)
FLEISS_SETS = [
    one_doc("r1", FLEISS_TEXT, (0, 2, "t")),  # a b
    one_doc("r2", FLEISS_TEXT, (0, 4, "t")),  # a b c
    one_doc("r3", FLEISS_TEXT, (1, 2, "t")),  # b
]


def test_fleiss_kappa_worked_by_hand():
    # raters covering each character (m = 3): a 2, b 3, c 1, d 0.
    # P_i = [n1(n1−1) + n0(n0−1)] / (3·2): a (2·1 + 1·0)/6 = 1/3, b 6/6 = 1, c (0 + 2·1)/6 = 1/3, d 6/6 = 1
    # P̄ = (1/3 + 1 + 1/3 + 1)/4 = 2/3; p_covered = (2+3+1+0)/12 = 1/2; P̄e = 1/4 + 1/4 = 1/2
    # κ = (2/3 − 1/2)/(1 − 1/2) = 1/3
    result = fleiss_kappa(FLEISS_SETS, ["t", "u"])
    assert result["labels"]["t"]["kappa"] == pytest.approx(1 / 3)
    assert result["labels"]["t"]["spans"] == [1, 1, 1]
    assert result["labels"]["u"] == {"kappa": None, "alpha_u": None, "spans": [0, 0, 0]}
    assert result["overall"]["kappa"] == pytest.approx(1 / 3)
    assert result["annotators"] == ["r1", "r2", "r3"]
    assert result["documents"] == 1 and result["excluded"] == []


def test_fleiss_kappa_matches_statsmodels():
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    table = [[1, 2], [0, 3], [2, 1], [3, 0]]  # [not covered, covered] per character a b c d
    expected = inter_rater.fleiss_kappa(table, method="fleiss")
    assert fleiss_kappa(FLEISS_SETS)["labels"]["t"]["kappa"] == pytest.approx(expected)


def test_fleiss_uses_only_documents_every_set_holds():
    extra = "only in r1"
    r1 = AnnotationSet("r1", {**FLEISS_SETS[0].docs, sha(extra): DocSpans(extra, ((0, 4, "t"),))})
    result = fleiss_kappa([r1, *FLEISS_SETS[1:]])
    assert result["excluded"] == [sha(extra)]
    assert result["labels"]["t"]["kappa"] == pytest.approx(1 / 3)
    assert result["labels"]["t"]["spans"] == [1, 1, 1]


def test_fleiss_identical_raters_agree_completely():
    same = [one_doc(n, FLEISS_TEXT, (0, 2, "t")) for n in "xyz"]
    assert fleiss_kappa(same)["overall"]["kappa"] == 1.0
    with pytest.raises(ValueError):
        fleiss_kappa(same[:1])


def test_pairwise_and_agree_many():
    pairs = pairwise(FLEISS_SETS)
    assert [(p["a"], p["b"]) for p in pairs] == [("r1", "r2"), ("r1", "r3"), ("r2", "r3")]
    assert pairs[0]["agreement"] == compare(FLEISS_SETS[0], FLEISS_SETS[1])
    many = agree_many(FLEISS_SETS, ["t"])
    assert many["pairwise"] == pairwise(FLEISS_SETS, ["t"])
    assert many["fleiss"] == fleiss_kappa(FLEISS_SETS, ["t"])


# -- splitting and rendering -----------------------------------------------------------------------------------


def test_split_by_annotator():
    rows = [
        (sha("one"), "one", [(0, 1, "t", "ann"), (0, 2, "t", "bob"), (1, 3, "u", "")]),
        (sha("two"), "two", [(0, 3, "t", "bob")]),
    ]
    sets = split_by_annotator(rows, unnamed="(none)")
    assert list(sets) == ["ann", "bob", "(none)"]
    assert sets["ann"].docs[sha("one")].spans == ((0, 1, "t"),)
    assert sets["ann"].docs[sha("two")].spans == ()  # ann saw "two" and labeled nothing
    assert sets["bob"].docs[sha("two")].spans == ((0, 3, "t"),)
    assert sets["(none)"].name == "(none)"
    with pytest.raises(ValueError):
        split_by_annotator([("k", "one", []), ("k", "other", [])])


def test_from_rows_joins_repeated_documents():
    built = AnnotationSet.from_rows("a", [("k", "text", [(0, 1, "t")]), ("k", "text", [(1, 2, "t")])])
    assert built.docs["k"].spans == ((0, 1, "t"), (1, 2, "t"))


def test_format_compare_is_an_aligned_table():
    a = one_doc("a", TEXT, (4, 26, "threat"))
    b = one_doc("b", TEXT, (4, 26, "threat"), (28, 54, "commitment"))
    out = format_compare(compare(a, b, LABELS), "alice.jsonl", "bob.sqlite")
    lines = out.splitlines()
    assert "alice.jsonl" in lines[0] and "bob.sqlite" in lines[1]
    table = lines[4:lines.index("", 4)]  # the diagnostics follow after a blank line
    assert table[0].split()[:3] == ["label", "A", "B"]
    assert table[1].split() == ["threat", "1", "1", *["1.000"] * 8]
    assert table[2].split()[:5] == ["commitment", "0", "1", "0.000", "-"]
    assert table[-1].startswith("(overall)")
    assert len({len(line) for line in table[1:]}) == 1  # right-aligned numbers end in one column


def test_format_many():
    out = format_many(agree_many(FLEISS_SETS, ["t"]))
    assert "r1" in out and "Fleiss" in out and "0.333" in out
    detailed = format_many(agree_many(FLEISS_SETS), detail=True)
    assert detailed.count("documents compared") == 3


# -- invariants ------------------------------------------------------------------------------------------------


@st.composite
def annotators(draw: st.DrawFn, count: int = 2) -> list[AnnotationSet]:
    """``count`` annotators over 1–3 shared texts, spans of two labels (overlapping, duplicated, on spaces)."""
    sets: list[dict[str, DocSpans]] = [{} for _ in range(count)]
    for n in range(draw(st.integers(1, 3))):
        text = f"{n}" + draw(st.text(alphabet="ab \n\u00a0", min_size=1, max_size=30))
        for side in sets:
            starts = st.integers(0, len(text) - 1)
            spans = draw(st.lists(st.tuples(starts, st.integers(1, 8), st.sampled_from("xy")), max_size=6))
            side[sha(text)] = DocSpans(text, tuple((s, min(s + w, len(text)), lab) for s, w, lab in spans))
    return [AnnotationSet(f"r{i}", docs) for i, docs in enumerate(sets)]


def doc_pair() -> st.SearchStrategy[list[AnnotationSet]]:
    return annotators(2)


def _values(result: dict) -> list[float]:
    out = []
    for entry in [result["overall"], *result["labels"].values()]:
        for kind in ("exact", "overlap"):
            out += [v for v in entry[kind].values() if v is not None]
    return out


def _kappas(result: dict) -> list[float]:
    return [e["kappa"] for e in [result["overall"], *result["labels"].values()] if e["kappa"] is not None]


@given(doc_pair())
def test_compare_with_itself_is_perfect(pair):
    a, _ = pair
    result = compare(a, a, ["x", "y", "z"])
    for label, entry in result["labels"].items():
        if entry["a"]:
            assert prf(result, "exact", label) == prf(result, "overlap", label) == (1.0, 1.0, 1.0)
            assert entry["kappa"] == 1.0
        else:
            assert entry["kappa"] is None


@given(doc_pair())
def test_swapping_sides_swaps_precision_and_recall(pair):
    a, b = pair
    ab, ba = compare(a, b), compare(b, a)
    for kind in ("exact", "overlap"):
        p, r, f = prf(ab, kind)
        assert (r, p, f) == prf(ba, kind)
    for label in ab["labels"]:
        assert ab["labels"][label]["kappa"] == pytest.approx(ba["labels"][label]["kappa"])


@given(doc_pair())
def test_values_are_in_range(pair):
    a, b = pair
    result = compare(a, b)
    assert all(0.0 <= v <= 1.0 for v in _values(result))
    assert all(-1.0 <= k <= 1.0 + 1e-12 for k in _kappas(result))
    for label in result["labels"]:
        exact, overlap = prf(result, "exact", label), prf(result, "overlap", label)
        assert all(e <= o for e, o in zip(exact, overlap, strict=True) if e is not None)


def _brute_cohen(a: AnnotationSet, b: AnnotationSet, label: str) -> float | None:
    """Character by character, the textbook way (the reference the fast path must equal)."""
    pairs = []
    for key, doc in a.docs.items():
        if key in b.docs:
            for i, c in enumerate(doc.text):
                if not c.isspace():
                    pairs.append(
                        tuple(any(s <= i < e and lab == label for s, e, lab in d.spans) for d in (doc, b.docs[key]))
                    )
    if not pairs:
        return None
    n = len(pairs)
    po = Fraction(sum(x == y for x, y in pairs), n)
    pa, pb = Fraction(sum(x for x, _ in pairs), n), Fraction(sum(y for _, y in pairs), n)
    pe = pa * pb + (1 - pa) * (1 - pb)
    return 1.0 if pe == 1 else float((po - pe) / (1 - pe))


@given(doc_pair())
def test_kappa_equals_the_character_by_character_definition(pair):
    a, b = pair
    result = compare(a, b)
    for label, entry in result["labels"].items():
        assert entry["kappa"] == pytest.approx(_brute_cohen(a, b, label))


@given(annotators(3))
def test_fleiss_equals_the_character_by_character_definition(sets):
    result = fleiss_kappa(sets)
    m = len(sets)
    for label, entry in result["labels"].items():
        counts = []
        for key, doc in sets[0].docs.items():
            for i, c in enumerate(doc.text):
                if not c.isspace():
                    counts.append(
                        sum(any(s <= i < e and lab == label for s, e, lab in st_.docs[key].spans) for st_ in sets)
                    )
        if not counts:
            assert entry["kappa"] is None
            continue
        n = len(counts)
        p_bar = sum(Fraction(k * (k - 1) + (m - k) * (m - k - 1), m * (m - 1)) for k in counts) / n
        p1_ = Fraction(sum(counts), n * m)
        pe = p1_**2 + (1 - p1_) ** 2
        expected = 1.0 if pe == 1 else float((p_bar - pe) / (1 - pe))
        assert entry["kappa"] == pytest.approx(expected)


span_lists = st.lists(
    st.tuples(st.integers(0, 40), st.integers(1, 12), st.sampled_from("xy")).map(lambda t: (t[0], t[0] + t[1], t[2])),
    max_size=9,
)


def _best_by_brute_force(a, b):
    """(pairs, characters shared) of the best one-to-one pairing of same-label overlapping spans, by trying every
    assignment (a dynamic programme over the subsets of B already used)."""
    from functools import cache

    def shared(i, j):
        (sa, ea, la), (sb, eb, lb) = a[i], b[j]
        return min(ea, eb) - max(sa, sb) if la == lb and min(ea, eb) > max(sa, sb) else 0

    @cache
    def best(i, used):
        if i == len(a):
            return (0, 0)
        options = [best(i + 1, used)]
        for j in range(len(b)):
            if not used >> j & 1 and shared(i, j):
                n, total = best(i + 1, used | 1 << j)
                options.append((n + 1, total + shared(i, j)))
        return max(options)

    return best(0, 0)


@given(span_lists, span_lists)
def test_overlap_pairs_are_a_maximum_matching_with_the_largest_total_overlap(a, b):
    """Against trying every pairing: as many pairs as possible, then as many shared characters; one-to-one."""
    pairs = overlap_pairs(a, b)
    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
    total = 0
    for i, j in pairs:
        (sa, ea, la), (sb, eb, lb) = a[i], b[j]
        assert la == lb and min(ea, eb) > max(sa, sb)
        total += min(ea, eb) - max(sa, sb)
    assert (len(pairs), total) == _best_by_brute_force(a, b)


# -- speed -----------------------------------------------------------------------------------------------------


def _random_set(name: str, texts: list[str], rng: random.Random) -> AnnotationSet:
    docs = {}
    for text in texts:
        spans = []
        for _ in range(10):
            s = rng.randrange(len(text) - 200)
            spans.append((s, s + rng.randint(5, 200), rng.choice(LABELS)))
        docs[sha(text)] = DocSpans(text, tuple(spans))
    return AnnotationSet(name, docs)


def test_thousand_documents_by_two_annotators_is_fast():
    rng = random.Random(1)
    words = ["the", "regime", "threatens", "peace", "we", "commit", "to", "defend", "allies", "call", "on"]
    texts = []
    for n in range(1000):
        body = " ".join(rng.choice(words) for _ in range(330))
        texts.append(f"Statement {n}.\n{body}"[:2000])
    a, b = _random_set("a", texts, rng), _random_set("b", texts, rng)
    start = time.perf_counter()
    result = compare(a, b, LABELS)
    elapsed = time.perf_counter() - start
    print(f"\ncompare(): 1000 documents x 2 annotators, 10 spans each: {elapsed * 1000:.0f} ms")
    assert result["documents"] == 1000
    assert elapsed < 10


def test_figures_a_hair_below_zero_read_as_zero():
    from annotator.core.agreement import _num

    assert (_num(-0.0004), _num(-0.004), _num(None), _num(0.5)) == ("0.000", "-0.004", "-", "0.500")
