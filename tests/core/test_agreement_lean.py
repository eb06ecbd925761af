"""The lean agreement path (annotator/core/agreement/lean.py) against the reference functions it replaced in
``compare`` and the review report: ``measure`` (tests/core/agreement_oracle.py), ``review._counts``
(``classify``), ``document_figures``, on hostile text (emoji, CRLF, combining marks, empty documents) and hostile
spans (overlaps within one side, nested, duplicated, touching), and on the Krippendorff / DKPro α_u studies
(tests/core/dkpro_alpha_u/)."""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core import review
from annotator.core.agreement import AnnotationSet, DocSpans, compare, lean, pairing
from annotator.core.agreement.tally import Tally, _check_same_text, document_figures
from tests.core.agreement_oracle import measure
from tests.core.test_unitizing import EX_1995, EX_2004
from tests.hostile import hostile_text

LABELS = ("threat", "commitment", "Ünïcode label 😀")


@st.composite
def two_sides(draw: Any, empty: bool = True) -> tuple[str, list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """A hostile text (or an empty one) and two annotators' spans: theirs copy, shift, relabel, nest in, duplicate
    or cross mine, and add their own."""
    text = "" if empty and draw(st.integers(0, 9)) == 0 else draw(hostile_text)
    n = len(text)
    if n == 0:
        return text, [], []

    def span() -> tuple[int, int, str]:
        start = draw(st.integers(0, n - 1))
        return start, draw(st.integers(start + 1, n)), draw(st.sampled_from(LABELS))

    mine = [span() for _ in range(draw(st.integers(0, 8)))]
    theirs = []
    for s, e, label in mine:
        how = draw(st.integers(0, 6))
        if how <= 2:
            theirs.append((s, e, label))
        elif how == 3:
            theirs.append((s, e, draw(st.sampled_from(LABELS))))
        elif how == 4:
            s2 = min(n - 1, max(0, s + draw(st.integers(-2, 2))))
            e2 = min(n, max(s2 + 1, e + draw(st.integers(-2, 2))))
            theirs.append((s2, e2, label))
        elif how == 5:
            theirs += [(s, e, label), (s, e, label)]  # a duplicate
        # 6: missed
    theirs += [span() for _ in range(draw(st.integers(0, 3)))]
    return text, draw(st.permutations(mine)), draw(st.permutations(theirs))


def same_tally(new: Any, old: Any) -> None:
    assert (new.length, new.chars, new.counts) == (old.length, old.chars, old.counts)
    assert new.lengths.keys() == old.lengths.keys() and new.gaps.keys() == old.gaps.keys()
    for label in old.lengths:
        assert Counter(new.lengths[label]) == Counter(old.lengths[label])
        assert Counter(new.gaps[label]) == Counter(old.gaps[label])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_sides())
def test_measure_equals_the_reference(case: tuple[str, list, list]) -> None:
    text, a, b = case
    same_tally(lean.measure(text, a, b), measure(text, a, b))
    same_tally(lean.measure(text, b, a), measure(text, b, a))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_sides())
def test_item_counts_equal_classify(case: tuple[str, list, list]) -> None:
    _, a, b = case
    found = lean.item_counts(a, b)
    total, per_label = review._counts([review.TheirSpan(*t) for t in a], [review.TheirSpan(*t) for t in b])
    kinds = (review.AGREED, review.CONFLICT, review.MINE_ONLY, review.THEIRS_ONLY)
    if found is not None:
        assert found[0] == [total[k] for k in kinds]
        assert found[1] == {label: [c[k] for k in kinds] for label, c in per_label.items() if any(c.values())}
    # the report's counts (lean, or classify where lean cannot tell) are classify's in every case
    assert review._item_counts(a, b)[0] == [total[k] for k in kinds]


def test_item_counts_leave_crowded_overlaps_to_classify() -> None:
    # a left-over span of mine overlaps two of theirs: which pair classify makes is its tie-breaking's choice
    assert lean.item_counts([(0, 10, "x")], [(0, 4, "x"), (5, 9, "y")]) is None
    assert lean.item_counts([(0, 10, "x")], [(0, 4, "x"), (10, 12, "y")]) == (
        [0, 1, 0, 1], {"x": [0, 1, 0, 0], "y": [0, 0, 0, 1]})
    # one label in the group: a maximum matching (two pairs where a greedy one finds one), and no stage 3
    assert lean.item_counts([(0, 10, "x"), (8, 12, "x"), (20, 22, "y")], [(2, 10, "x"), (0, 3, "x"), (21, 23, "z")]
                            ) == ([0, 3, 0, 0], {"x": [0, 2, 0, 0], "y": [0, 1, 0, 0], "z": [0, 1, 0, 0]})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_sides(), st.sampled_from([None, [], ["commitment", "unused", "threat"]]))
def test_document_overall_equals_document_figures(case: tuple[str, list, list], labels: list[str] | None) -> None:
    text, a, b = case
    doc = measure(text, a, b)
    assert lean.Overall(labels)(doc) == document_figures(doc, labels)["overall"]


def reference_compare(a: AnnotationSet, b: AnnotationSet, labels: list[str] | None = None) -> dict[str, Any]:
    """``compare`` as it was before the lean path: the reference measure, summed."""
    whole = Tally()
    for sha in [sha for sha in a.docs if sha in b.docs]:
        text = _check_same_text(sha, (a.docs[sha].text, b.docs[sha].text))
        whole.add(measure(text, a.docs[sha].spans, b.docs[sha].spans))
    return whole.result(labels)


def as_objects(spans: Any) -> list[Any]:
    """Span-like objects for ``classify`` (the store gives plain tuples)."""
    return [review.TheirSpan(*s) if isinstance(s, tuple) else s for s in spans]


def reference_report(docs: list[review.ReportDoc], labels: list[str] | None) -> dict[str, Any]:
    """The report's figures as build_report summed them before the lean path (reference measure, classify)."""
    after, before = Tally(), Tally()
    totals: list[Counter[str]] = [Counter(), Counter()]
    per_label: list[dict[str, Counter[str]]] = [{}, {}]
    rows = []
    changed = False
    for d in docs:
        theirs = review._triples(d.theirs)
        for k, spans in enumerate((d.mine, d.mine if d.before is None else d.before)):
            measured = measure(d.text, review._triples(spans), theirs)
            total, labelled = review._counts(as_objects(spans), as_objects(d.theirs))
            (after, before)[k].add(measured)
            totals[k].update(total)
            for label, c in labelled.items():
                per_label[k].setdefault(label, Counter()).update(c)
            if k == 0:
                rows.append((document_figures(measured, labels)["overall"], dict(total)))
        changed = changed or d.before is not None
    return {"after": (after.result(labels), totals[0], per_label[0]), "rows": rows,
            "before": (before.result(labels), totals[1], per_label[1]) if changed else None}


def as_spans(triples: list[tuple[int, int, str]]) -> list[review.TheirSpan]:
    return [review.TheirSpan(*t) for t in triples]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(two_sides(), min_size=0, max_size=6), st.lists(st.booleans(), min_size=6, max_size=6),
       st.sampled_from([None, ["commitment", "unused"]]))
def test_report_equals_the_reference(cases: list, with_before: list[bool], labels: list[str] | None) -> None:
    docs = []
    for k, (text, a, b) in enumerate(cases):
        # a "before" where an accept changed my spans: here simply theirs, or mine less one
        earlier = (b if k % 2 else a[1:]) if with_before[k] else None
        docs.append(review.ReportDoc(f"{k:064x}", f"doc {k}", text, as_spans(a), as_spans(b),
                                     None if earlier is None else as_spans(earlier)))
    report = review.build_report(docs, labels=labels)
    ref = reference_report(docs, labels)
    whole, total, per_label = ref["after"]
    kinds = ("agreed", "conflict", "mine_only", "theirs_only")
    figures = ("exact_precision", "exact_recall", "exact_f1", "overlap_precision", "overlap_recall", "overlap_f1",
               "kappa")
    ov = whole["overall"]
    expected = [ov["exact"]["precision"], ov["exact"]["recall"], ov["exact"]["f1"], ov["overlap"]["precision"],
                ov["overlap"]["recall"], ov["overlap"]["f1"], ov["kappa"]]
    assert [report.overall[f] for f in figures] == expected  # equal floats: to the last digit
    assert report.overall["alpha_u"] == ov["alpha_u"]
    assert [report.overall[k] for k in kinds] == [total.get(k, 0) for k in kinds]
    assert [row["key"] for row in report.labels] == list(whole["labels"])
    for row in report.labels:
        entry = whole["labels"][row["key"]]
        assert (row["kappa"], row["alpha_u"], row["exact_f1"], row["overlap_f1"], row["mine"], row["theirs"]) == (
            entry["kappa"], entry["alpha_u"], entry["exact"]["f1"], entry["overlap"]["f1"], entry["a"], entry["b"])
        assert [row[k] for k in kinds] == [per_label.get(row["key"], Counter()).get(k, 0) for k in kinds]
    assert report.diagnostics == whole["diagnostics"]
    for row, (fig, total_doc) in zip(report.documents, ref["rows"], strict=True):
        assert (row["exact_f1"], row["overlap_precision"], row["kappa"], row["alpha_u"]) == (
            fig["exact"]["f1"], fig["overlap"]["precision"], fig["kappa"], fig["alpha_u"])
        assert [row[k] for k in kinds] == [total_doc.get(k, 0) for k in kinds]
    if ref["before"] is None:
        assert report.before is None
    else:
        b_whole, b_total, _ = ref["before"]
        assert report.before is not None
        assert report.before["overall"]["kappa"] == b_whole["overall"]["kappa"]
        assert report.before["overall"]["alpha_u"] == b_whole["overall"]["alpha_u"]
        assert report.before["overall"]["overlap_f1"] == b_whole["overall"]["overlap"]["f1"]
        assert [report.before["overall"][k] for k in kinds] == [b_total.get(k, 0) for k in kinds]
    # tuples from the store give the same report as Span-like objects
    plain = [review.ReportDoc(d.sha256, d.title, d.text, review._triples(d.mine), review._triples(d.theirs),
                              None if d.before is None else review._triples(d.before)) for d in docs]
    assert review.report_to_json(review.build_report(plain, labels=labels)) == review.report_to_json(report)


def sets_of(cases: list[tuple[str, list, list]]) -> tuple[AnnotationSet, AnnotationSet]:
    a, b = {}, {}
    for k, (text, sa, sb) in enumerate(cases):
        sha = hashlib.sha256(f"{k}:{text}".encode()).hexdigest()
        a[sha], b[sha] = DocSpans(text, tuple(sa)), DocSpans(text, tuple(sb))
    return AnnotationSet("a", a), AnnotationSet("b", b)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(two_sides(), min_size=0, max_size=6))
def test_compare_equals_the_reference(cases: list) -> None:
    a, b = sets_of(cases)
    found = compare(a, b, ["commitment", "unused"])
    for key, value in reference_compare(a, b, ["commitment", "unused"]).items():
        assert found[key] == value


def study_sets(length: int, found: list[tuple[int, int, int, str]], begin: int = 0) -> tuple[AnnotationSet, ...]:
    text = ("lorem ipsum\r\n😀 e\u0301 " * length)[:length]
    per: list[list[tuple[int, int, str]]] = [[], []]
    for offset, n, rater, category in found:
        per[rater].append((offset - begin, offset - begin + n, category))
    return sets_of([(text, per[0], per[1])])


def test_dkpro_studies_equal_the_reference_and_dkpro() -> None:
    # Krippendorff (1995) and (2004) as one document each (tests/core/test_unitizing.py has DKPro's figures for
    # them); the lean path must give α_u (exact Fractions) and every other figure unchanged
    a, b = study_sets(24, EX_1995)
    found = compare(a, b)
    assert found["labels"].keys() == {"A", "B", "C", "D"}
    assert {k: v for k, v in found.items() if k in ("overall", "labels", "diagnostics")} == reference_compare(a, b)
    assert found["overall"]["alpha_u"] == -0.7565527387256199 or abs(
        found["overall"]["alpha_u"] - -0.7565527387256199) < 1e-14
    a, b = study_sets(300, EX_2004, begin=150)
    found = compare(a, b)
    assert {k: v for k, v in found.items() if k in ("overall", "labels", "diagnostics")} == reference_compare(a, b)
    assert found["labels"]["k"]["alpha_u"] == 1.0
    assert abs(found["overall"]["alpha_u"] - 0.8586654051841702) < 1e-14  # DKPro


def test_empty_and_crlf_documents() -> None:
    cases = [("", [], []), ("a\r\nb", [(0, 4, "x")], [(0, 1, "x"), (3, 4, "x")]), ("\r\n\u2028 ", [], [(0, 2, "y")])]
    a, b = sets_of(cases)
    assert {k: v for k, v in compare(a, b).items() if k in ("overall", "labels")} == {
        k: v for k, v in reference_compare(a, b).items() if k in ("overall", "labels")}


intervals = st.lists(st.tuples(st.integers(0, 40), st.integers(1, 12)).map(lambda t: (t[0], t[0] + t[1])),
                     max_size=12)


@settings(max_examples=300, deadline=None)
@given(intervals, intervals, st.booleans())
def test_overlap_count_of_crowded_spans_is_the_maximum_matching(a: list, b: list, swept: bool) -> None:
    # spans of one label overlapping each other (nested, crossing, duplicated): the count is the size of the
    # weighted matching pairing picks, found by augmenting paths, or by pairing itself past the limit of pairs
    a, b = sorted(a), sorted(b)
    expected = len(pairing.label_overlap_pairs([(s, e, "x") for s, e in a], [(s, e, "x") for s, e in b]))
    limit = lean._MAX_MATCHING_PAIRS
    try:
        lean._MAX_MATCHING_PAIRS = 0 if swept else limit
        assert lean._matching_size(a, b, "x") == expected
    finally:
        lean._MAX_MATCHING_PAIRS = limit
    assert lean._common(a, b) == sum((Counter(a) & Counter(b)).values())


def test_the_whitespace_counted_on_bytes_is_str_isspace() -> None:
    import sys

    from annotator.core.agreement import characters

    found = [chr(i) for i in range(sys.maxunicode + 1) if chr(i).isspace()]
    assert "".join(c for c in found if c < "\x80").encode() == characters._ASCII_SPACE
    assert tuple(c.encode() for c in found if c >= "\x80") == characters._WIDE_SPACE


whitespace = st.sampled_from([chr(i) for i in range(0x3001) if chr(i).isspace()] + ["\u200b", "\u180e", "\ufeff"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(hostile_text, whitespace, st.sampled_from(["–", "’", "🚀", "\x80", "\u2018", "é"])),
                max_size=12))
def test_non_whitespace_counted_on_bytes_equals_split(pieces: list[str]) -> None:
    from annotator.core.agreement import characters

    text = "".join(pieces)
    assert characters.nonspace_text(text) == len("".join(text.split()))
