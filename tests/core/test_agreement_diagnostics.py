"""The warnings that go with agreement figures: each kind found where it applies, with its advice, and none on
healthy figures."""

from __future__ import annotations

import hashlib

from annotator.core.agreement import AnnotationSet, DocSpans, compare, format_compare
from annotator.core.agreement.diagnostics import ADVICE


def sets(text: str, a: list, b: list) -> tuple[AnnotationSet, AnnotationSet]:
    sha = hashlib.sha256(text.encode()).hexdigest()
    return AnnotationSet("a", {sha: DocSpans(text, tuple(a))}), AnnotationSet("b", {sha: DocSpans(text, tuple(b))})


TEXT = " ".join(f"w{i:03d}" for i in range(400))  # 400 words of 4 characters, 1 999 characters


def words(first: int, last: int, label: str) -> tuple[int, int, str]:
    return (first * 5, last * 5 + 4, label)


def kinds(result: dict) -> set[tuple[str, str]]:
    return {(d["label"], d["kind"]) for d in result["diagnostics"]}


def test_sparse_label():
    found = compare(*sets(TEXT, [words(0, 3, "t")], [words(0, 3, "t")]))
    assert kinds(found) == {("t", "sparse")}
    d = found["diagnostics"][0]
    assert d["finding"] == "only 1 and 1 span(s): too few to judge agreement on" and d["advice"] == ADVICE["sparse"]
    assert "! t: only 1 and 1 span(s)" in format_compare(found)


def test_unbalanced_rare_and_boundaries():
    a = [words(10 * k, 10 * k + 5, "t") for k in range(8)]
    b = [words(10 * k + 1, 10 * k + 5, "t") for k in range(3)]  # fewer, and each a word shorter
    found = compare(*sets(TEXT, a, b))
    assert kinds(found) == {("t", "unbalanced"), ("t", "boundaries")}  # exact F1 0, overlap F1 6/11
    b = [words(10 * k + 1, 10 * k + 5, "t") for k in range(8)]
    found = compare(*sets(TEXT, a, b))
    assert kinds(found) == {("t", "boundaries")}
    assert "overlap F1 1.00 but exact F1 0.00" in found["diagnostics"][0]["finding"]
    rare = [words(10 * k, 10 * k, "r") for k in range(6)]  # 6 words of 400: 1.2 % of the characters
    found = compare(*sets(TEXT, rare, rare))
    assert kinds(found) == {("r", "rare")}


def test_healthy_figures_have_no_warning():
    a = [words(10 * k, 10 * k + 5, "t") for k in range(8)]
    assert compare(*sets(TEXT, a, a))["diagnostics"] == []


def test_a_label_only_one_annotator_uses_is_named_as_such():
    """Their "sanction", which my codebook lacks: α_u read -47 with only "too few to judge" beside it (a newcomer's
    finding). That one side never uses the label is what is said, with where to look."""
    found = compare(*sets(TEXT, [words(0, 3, "t"), words(20, 23, "t")],
                          [words(0, 3, "t"), words(20, 23, "t"), words(40, 41, "sanction")]))
    assert ("sanction", "one_sided") in kinds(found) and ("sanction", "sparse") not in kinds(found)
    d = next(d for d in found["diagnostics"] if d["label"] == "sanction")
    assert d["finding"] == "only one of you uses it (0 and 1 span(s)): its figures measure no agreement"
    assert "codebook" in d["advice"]
