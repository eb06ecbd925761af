"""Agreement of two annotation sets (:func:`compare`), of many (:func:`agree_many`: pairwise and Fleiss' κ), summed
document by document in a :class:`Tally` so the review report can read per-document rows from the same sums.

Conventions for undefined values (the JSON carries them as ``null``):

- precision is ``None`` when B has no spans of the label, recall ``None`` when A has none;
- F1 is ``2·matches / (|A| + |B|)`` — the harmonic mean of P and R whenever both exist, and still defined (0.0)
  when only one side has spans, so a label one annotator never used scores 0, not "unknown";
  ``None`` only when both sides are empty;
- κ is ``None`` for a label no compared document uses, and when the compared documents hold no non-whitespace
  character; when both annotators are constant (chance agreement pe == 1, which forces po == 1) κ is 1.0;
- the overall κ is the mean of the per-label κ that are not ``None`` (``None`` if there is none);
- α_u (:mod:`.unitizing`) is ``None`` for a label nobody used; the overall α_u pools the labels' disagreements;
- the overall P/R/F1 are micro-averaged over all spans of all labels;
- spans are a multiset: a span given twice by one annotator counts twice (and matches at most twice);
- an overlap match pairs spans one-to-one: a maximum matching of same-label spans sharing at least one
  character, ties broken by the larger total of shared characters (until 2026-11 a greedy pairing, longest
  overlap first, which undercounts when spans cross).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import Any, NamedTuple

from annotator.core.agreement import characters, diagnostics, pairing
from annotator.core.agreement.sets import AnnotationSet
from annotator.core.agreement.unitizing import LabelSums, Unitizing

#: per-label counts of a Tally: spans of A, of B, exact matches, overlap matches, characters A covers, B covers,
#: both; and (per document) α_u's observed distance
A, B, EXACT, OVERLAP, COV_A, COV_B, BOTH, OBSERVED = range(8)


def _prf(matches: int, n_a: int, n_b: int) -> dict[str, float | None]:
    return {
        "precision": matches / n_b if n_b else None,
        "recall": matches / n_a if n_a else None,
        "f1": 2 * matches / (n_a + n_b) if n_a + n_b else None,
    }


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _label_order(labels: Sequence[str] | None, used: Iterable[str]) -> list[str]:
    """The caller's labels (the codebook, unused ones included) first, then any other label found, sorted."""
    order = list(dict.fromkeys(labels or ()))
    known = set(order)
    return order + sorted(set(used) - known)


def _check_same_text(sha: str, texts: Iterable[str]) -> str:
    texts = iter(texts)
    first = next(texts)
    for other in texts:
        if other != first:
            raise ValueError(f"document {sha} has different texts in the files compared")
    return first


class DocTally(NamedTuple):
    """One document's share of a comparison: its length (code points), its non-whitespace characters, per label
    the counts :data:`A`..:data:`BOTH` and α_u's :data:`OBSERVED` distance, and per label the unit and gap
    lengths α_u expects from."""

    length: int
    chars: int
    counts: dict[str, list[int]]
    lengths: dict[str, list[int]]
    gaps: dict[str, list[int]]


class Tally:
    """The sums of one comparison of A and B over the documents added (:meth:`add` a :func:`measure`): per label
    the counts :data:`A`..:data:`BOTH`, the non-whitespace characters, and α_u's sums. :meth:`result` reads the
    figures; :func:`document_figures` those of one document."""

    __slots__ = ("counts", "chars", "unitizing")

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {}
        self.chars = 0
        self.unitizing = Unitizing(2)

    def add(self, doc: DocTally) -> None:
        self.chars += doc.chars
        u = self.unitizing
        u.length += doc.length
        for label, row in doc.counts.items():
            mine = self.counts.get(label)
            if mine is None:
                self.counts[label] = row[:7]
                sums = u.labels[label] = LabelSums()
            else:  # unrolled: a million spans add a few hundred thousand rows
                mine[0] += row[0]
                mine[1] += row[1]
                mine[2] += row[2]
                mine[3] += row[3]
                mine[4] += row[4]
                mine[5] += row[5]
                mine[6] += row[6]
                sums = u.labels[label]
            sums.add_counts(row[OBSERVED], doc.lengths[label], doc.gaps[label])

    def result(self, labels: Sequence[str] | None = None) -> dict[str, Any]:
        """``{"overall": {...}, "labels": {...}, "diagnostics": [...]}`` in the shape of ``agree --json``."""
        alphas, alpha_all = self.unitizing.alphas()
        return _figures(self.counts, self.chars, labels, alphas, alpha_all)


def document_figures(doc: DocTally, labels: Sequence[str] | None = None) -> dict[str, Any]:
    """The figures of one document, as :meth:`Tally.result` but without α_u (``None``; it is a figure of the
    whole continuum) — the review report's per-statement rows."""
    return _figures(doc.counts, doc.chars, labels, {}, None, diagnose=False)


def _figures(counts: dict[str, list[int]], chars: int, labels: Sequence[str] | None,
             alphas: dict[str, float | None], alpha_all: float | None, diagnose: bool = True) -> dict[str, Any]:
    entries: dict[str, dict[str, Any]] = {}
    for label in _label_order(labels, counts):
        n_a, n_b, exact, overlap, cov_a, cov_b, both = counts.get(label, [0] * 7)[:7]
        entries[label] = {
            "exact": _prf(exact, n_a, n_b),
            "overlap": _prf(overlap, n_a, n_b),
            "kappa": characters.cohen(chars, cov_a, cov_b, both) if n_a or n_b else None,
            "alpha_u": alphas.get(label),
            "a": n_a,
            "b": n_b,
        }
    sums = [sum(row[k] for row in counts.values()) for k in range(4)]
    overall = {
        "exact": _prf(sums[EXACT], sums[A], sums[B]),
        "overlap": _prf(sums[OVERLAP], sums[A], sums[B]),
        "kappa": _mean(entry["kappa"] for entry in entries.values()),
        "alpha_u": alpha_all,
    }
    return {
        "overall": overall,
        "labels": entries,
        "diagnostics": diagnostics.find(entries, counts, chars) if diagnose else [],
    }


def compare(a: AnnotationSet, b: AnnotationSet, labels: Sequence[str] | None = None) -> dict[str, Any]:
    """Agreement of B against A in the shape of ``agree --json`` (DESIGN.md §2.5), plus the unmatched documents.

    ``labels`` (e.g. the codebook) are reported even when unused; labels found in the files but not listed are
    reported after them. Precision is B's spans that A confirms, recall A's spans that B found.
    """
    from annotator.core.agreement import lean  # the lean path (it builds on this module's DocTally)

    shared = [sha for sha in a.docs if sha in b.docs]
    whole = Tally()
    for sha in shared:
        doc_a, doc_b = a.docs[sha], b.docs[sha]
        text = _check_same_text(sha, (doc_a.text, doc_b.text))
        whole.add(lean.measure(text, doc_a.spans, doc_b.spans))
    return {
        "documents": len(shared),
        **whole.result(labels),
        "only_in_a": sorted(sha for sha in a.docs if sha not in b.docs),
        "only_in_b": sorted(sha for sha in b.docs if sha not in a.docs),
    }


def pairwise(sets: Sequence[AnnotationSet], labels: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """``compare`` for every pair of sets, in input order: ``{"a": name, "b": name, "agreement": {...}}``."""
    return [{"a": x.name, "b": y.name, "agreement": compare(x, y, labels)} for x, y in combinations(sets, 2)]


def fleiss_kappa(sets: Sequence[AnnotationSet], labels: Sequence[str] | None = None) -> dict[str, Any]:
    """Fleiss' κ (and α_u of all annotators) per label over the documents every set holds.

    For κ each non-whitespace character is an item rated "covered by the label" or not by every annotator. Returns
    ``{"annotators": [names], "documents": N, "overall": {"kappa": x, "alpha_u": x}, "labels": {LABEL: {"kappa": x,
    "alpha_u": x, "spans": [count per annotator]}}, "excluded": [sha of documents missing from some set]}``; the
    overall κ is the mean over labels anyone used. Two sets are accepted (Fleiss' κ is then Scott's π).
    """
    if len(sets) < 2:
        raise ValueError("Fleiss' kappa needs at least two annotation sets")
    raters = len(sets)
    first, rest = sets[0], sets[1:]
    shared = [sha for sha in first.docs if all(sha in s.docs for s in rest)]
    shared_set = set(shared)
    excluded = sorted({sha for s in sets for sha in s.docs} - shared_set)
    hists: dict[str, list[int]] = defaultdict(lambda: [0] * (raters + 1))
    span_counts: dict[str, list[int]] = defaultdict(lambda: [0] * raters)
    unitizing = Unitizing(raters)
    total = 0
    for sha in shared:
        docs = [s.docs[sha] for s in sets]
        text = _check_same_text(sha, (d.text for d in docs))
        prefix, chars = characters.boundary_prefix(text, (span for d in docs for span in d.spans))
        total += chars
        groups = [pairing.by_label(d.spans) for d in docs]
        for label in set().union(*groups):
            layers = [characters.merge(g.get(label, ())) for g in groups]
            for r, g in enumerate(groups):
                span_counts[label][r] += len(g.get(label, ()))
            characters.depth_hist(layers, prefix, hists[label])
        unitizing.add(len(text), groups)
    alphas, alpha_all = unitizing.alphas()
    result_labels: dict[str, dict[str, Any]] = {}
    for label in _label_order(labels, hists):
        kappa = None
        if label in hists:
            hist = hists[label]
            hist[0] = total - sum(hist[1:])
            kappa = characters.fleiss(total, raters, hist)
        result_labels[label] = {
            "kappa": kappa, "alpha_u": alphas.get(label), "spans": list(span_counts.get(label, [0] * raters))
        }
    return {
        "annotators": [s.name for s in sets],
        "documents": len(shared),
        "overall": {"kappa": _mean(entry["kappa"] for entry in result_labels.values()), "alpha_u": alpha_all},
        "labels": result_labels,
        "excluded": excluded,
    }


def agree_many(sets: Sequence[AnnotationSet], labels: Sequence[str] | None = None) -> dict[str, Any]:
    """The ``agree`` result for more than two files: every pairwise comparison and Fleiss' κ."""
    return {"pairwise": pairwise(sets, labels), "fleiss": fleiss_kappa(sets, labels)}
