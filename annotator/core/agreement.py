"""Inter-annotator agreement (DESIGN.md §2.5): exact and overlap P/R/F1, Cohen's κ, Fleiss' κ.

Pure functions over plain data, no I/O and no Qt, so ``annotator agree``, the review panel and the tests all
compute the same figures. Documents are matched by SHA-256 key; a document held by only one side is listed, never
compared, and its spans count nowhere.

Conventions for undefined values (the JSON carries them as ``null``):

- precision is ``None`` when B has no spans of the label, recall ``None`` when A has none;
- F1 is ``2·matches / (|A| + |B|)`` — the harmonic mean of P and R whenever both exist, and still defined (0.0)
  when only one side has spans, so a label one annotator never used scores 0, not "unknown";
  ``None`` only when both sides are empty;
- κ is ``None`` for a label no compared document uses, and when the compared documents hold no non-whitespace
  character; when both annotators are constant (chance agreement pe == 1, which forces po == 1) κ is 1.0;
- the overall κ is the mean of the per-label κ that are not ``None`` (``None`` if there is none);
- the overall P/R/F1 are micro-averaged over all spans of all labels;
- spans are a multiset: a span given twice by one annotator counts twice (and matches at most twice);
- an overlap match pairs spans one-to-one: a maximum matching of same-label spans sharing at least one
  character, ties broken by the larger total of shared characters (until 2026-11 a greedy pairing, longest
  overlap first, which undercounts when spans cross).

κ counts characters through a per-document prefix of non-whitespace counts taken only at span boundaries, so the
cost is a few C-level passes over each text plus Python work per span, never per character.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import Any

from annotator.core import matching

SpanTuple = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class DocSpans:
    """One document as one annotator saw it: its text and their spans ``(start, end, label)``."""

    text: str
    spans: tuple[SpanTuple, ...] = ()

    def __post_init__(self) -> None:
        # Checked here so every figure below can index the text without range checks (DESIGN.md §2.4 rules).
        spans = tuple((int(s), int(e), str(lab)) for s, e, lab in self.spans)
        n = len(self.text)
        for s, e, lab in spans:
            if not (0 <= s < e <= n) or not lab:
                raise ValueError(f"invalid span ({s}, {e}, {lab!r}) for a text of {n} characters")
        object.__setattr__(self, "spans", spans)


@dataclass(frozen=True, slots=True)
class AnnotationSet:
    """Everything one annotator labeled: ``docs`` maps a document's SHA-256 to its :class:`DocSpans`."""

    name: str
    docs: Mapping[str, DocSpans] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, name: str, rows: Iterable[tuple[str, str, Iterable[SpanTuple]]]) -> AnnotationSet:
        """Build from ``(sha256, text, spans)`` rows; spans of repeated rows for one document are joined."""
        texts: dict[str, str] = {}
        spans: dict[str, list[SpanTuple]] = {}
        for sha, text, doc_spans in rows:
            if texts.setdefault(sha, text) != text:
                raise ValueError(f"two different texts for document {sha}")
            spans.setdefault(sha, []).extend(doc_spans)
        return cls(name, {sha: DocSpans(texts[sha], tuple(spans[sha])) for sha in texts})


def split_by_annotator(
    rows: Iterable[tuple[str, str, Iterable[tuple[int, int, str, str]]]], unnamed: str = ""
) -> dict[str, AnnotationSet]:
    """One :class:`AnnotationSet` per annotator found in ``(sha256, text, [(start, end, label, annotator)])``.

    A file can hold several annotators' spans (a Prodigy ``db-out``, a merged project). Every document of the file
    goes into every annotator's set, also where that annotator labeled nothing: they saw it and found nothing, which
    is a judgement agreement must count. Spans without an annotator belong to ``unnamed``. Sets come in order of
    first appearance.
    """
    docs: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    per_name: dict[str, dict[str, list[SpanTuple]]] = {}
    for sha, text, spans in rows:
        if sha not in seen:
            seen[sha] = text
            docs.append((sha, text))
        elif seen[sha] != text:
            raise ValueError(f"two different texts for document {sha}")
        for start, end, label, annotator in spans:
            per_name.setdefault(annotator or unnamed, {}).setdefault(sha, []).append((start, end, label))
    return {
        name: AnnotationSet(name, {sha: DocSpans(text, tuple(by_doc.get(sha, ()))) for sha, text in docs})
        for name, by_doc in per_name.items()
    }


# -- span-level matching ---------------------------------------------------------------------------------------


def _by_label(spans: Iterable[SpanTuple]) -> dict[str, list[SpanTuple]]:
    groups: dict[str, list[SpanTuple]] = defaultdict(list)
    for span in spans:
        groups[span[2]].append(span)
    return groups


def _label_overlap_pairs(a: Sequence[SpanTuple], b: Sequence[SpanTuple]) -> list[tuple[int, int]]:
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
            local = _label_overlap_pairs([a[i] for i in ia], [b[j] for j in ib])
            pairs.extend((ia[i], ib[j]) for i, j in local)
    return sorted(pairs)


def _exact_matches(a: Sequence[SpanTuple], b: Sequence[SpanTuple]) -> int:
    """Multiset intersection size: a span duplicated twice on one side matches at most twice."""
    if not a or not b:
        return 0
    return sum((Counter(a) & Counter(b)).values())


# -- character coverage ----------------------------------------------------------------------------------------


def _nonspace(text: str) -> int:
    # str.split() with no argument splits on exactly the str.isspace characters, at C speed.
    return sum(map(len, text.split()))


def _boundary_prefix(text: str, spans: Iterable[SpanTuple]) -> tuple[dict[int, int], int]:
    """Non-whitespace characters before each span boundary, and in the whole text."""
    prefix: dict[int, int] = {}
    count = prev = 0
    for pos in sorted({p for s, e, _ in spans for p in (s, e)}):
        count += _nonspace(text[prev:pos])
        prefix[pos] = count
        prev = pos
    return prefix, count + _nonspace(text[prev:])


def _merge(spans: Iterable[SpanTuple]) -> list[tuple[int, int]]:
    """Coverage of one annotator's spans as sorted disjoint intervals (their own overlaps count once)."""
    merged: list[tuple[int, int]] = []
    for s, e, _ in sorted(spans):
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _covered(intervals: Iterable[tuple[int, int]], prefix: Mapping[int, int]) -> int:
    return sum(prefix[e] - prefix[s] for s, e in intervals)


def _depth_hist(layers: Sequence[list[tuple[int, int]]], prefix: Mapping[int, int], hist: list[int]) -> None:
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


def _cohen(total: int, cov_a: int, cov_b: int, both: int) -> float | None:
    """Cohen's κ from counts, in exact integer arithmetic (po·N² and pe·N² are integers)."""
    if total == 0:
        return None
    agree = both + (total - cov_a - cov_b + both)
    chance = cov_a * cov_b + (total - cov_a) * (total - cov_b)
    denominator = total * total - chance
    if denominator == 0:  # both constant and equal: pe == po == 1
        return 1.0
    return (total * agree - chance) / denominator


def _fleiss(total: int, raters: int, hist: Sequence[int]) -> float | None:
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


# -- results ---------------------------------------------------------------------------------------------------


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


def compare(a: AnnotationSet, b: AnnotationSet, labels: Sequence[str] | None = None) -> dict[str, Any]:
    """Agreement of B against A in the shape of ``agree --json`` (DESIGN.md §2.5), plus the unmatched documents.

    ``labels`` (e.g. the codebook) are reported even when unused; labels found in the files but not listed are
    reported after them. Precision is B's spans that A confirms, recall A's spans that B found.
    """
    shared = [sha for sha in a.docs if sha in b.docs]
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * 7)  # a, b, exact, overlap, cov_a, cov_b, both
    total = 0
    for sha in shared:
        doc_a, doc_b = a.docs[sha], b.docs[sha]
        text = _check_same_text(sha, (doc_a.text, doc_b.text))
        prefix, chars = _boundary_prefix(text, doc_a.spans + doc_b.spans)
        total += chars
        group_a, group_b = _by_label(doc_a.spans), _by_label(doc_b.spans)
        for label in group_a.keys() | group_b.keys():
            sa, sb = group_a.get(label, []), group_b.get(label, [])
            row = counts[label]
            row[0] += len(sa)
            row[1] += len(sb)
            row[2] += _exact_matches(sa, sb)
            row[3] += len(_label_overlap_pairs(sa, sb))
            ma, mb = _merge(sa), _merge(sb)
            hist = [0, 0, 0]
            _depth_hist((ma, mb), prefix, hist)
            cov_a = _covered(ma, prefix)
            row[4] += cov_a
            row[5] += hist[1] + 2 * hist[2] - cov_a
            row[6] += hist[2]

    result_labels: dict[str, dict[str, Any]] = {}
    for label in _label_order(labels, counts):
        n_a, n_b, exact, overlap, cov_a, cov_b, both = counts.get(label, [0] * 7)
        result_labels[label] = {
            "exact": _prf(exact, n_a, n_b),
            "overlap": _prf(overlap, n_a, n_b),
            "kappa": _cohen(total, cov_a, cov_b, both) if n_a or n_b else None,
            "a": n_a,
            "b": n_b,
        }
    sums = [sum(row[k] for row in counts.values()) for k in range(4)]
    return {
        "documents": len(shared),
        "overall": {
            "exact": _prf(sums[2], sums[0], sums[1]),
            "overlap": _prf(sums[3], sums[0], sums[1]),
            "kappa": _mean(entry["kappa"] for entry in result_labels.values()),
        },
        "labels": result_labels,
        "only_in_a": sorted(sha for sha in a.docs if sha not in b.docs),
        "only_in_b": sorted(sha for sha in b.docs if sha not in a.docs),
    }


def pairwise(sets: Sequence[AnnotationSet], labels: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """``compare`` for every pair of sets, in input order: ``{"a": name, "b": name, "agreement": {...}}``."""
    return [{"a": x.name, "b": y.name, "agreement": compare(x, y, labels)} for x, y in combinations(sets, 2)]


def fleiss_kappa(sets: Sequence[AnnotationSet], labels: Sequence[str] | None = None) -> dict[str, Any]:
    """Fleiss' κ per label over the non-whitespace characters of the documents every set holds.

    Each character is an item rated "covered by the label" or not by every annotator. Returns
    ``{"annotators": [names], "documents": N, "overall": {"kappa": x}, "labels": {LABEL: {"kappa": x,
    "spans": [count per annotator]}}, "excluded": [sha of documents missing from some set]}``; the overall κ is
    the mean over labels anyone used. Two sets are accepted (Fleiss' κ is then Scott's π).
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
    total = 0
    for sha in shared:
        docs = [s.docs[sha] for s in sets]
        text = _check_same_text(sha, (d.text for d in docs))
        prefix, chars = _boundary_prefix(text, (span for d in docs for span in d.spans))
        total += chars
        groups = [_by_label(d.spans) for d in docs]
        for label in set().union(*groups):
            layers = [_merge(g.get(label, ())) for g in groups]
            for r, g in enumerate(groups):
                span_counts[label][r] += len(g.get(label, ()))
            _depth_hist(layers, prefix, hists[label])

    result_labels: dict[str, dict[str, Any]] = {}
    for label in _label_order(labels, hists):
        kappa = None
        if label in hists:
            hist = hists[label]
            hist[0] = total - sum(hist[1:])
            kappa = _fleiss(total, raters, hist)
        result_labels[label] = {"kappa": kappa, "spans": list(span_counts.get(label, [0] * raters))}
    return {
        "annotators": [s.name for s in sets],
        "documents": len(shared),
        "overall": {"kappa": _mean(entry["kappa"] for entry in result_labels.values())},
        "labels": result_labels,
        "excluded": excluded,
    }


def agree_many(sets: Sequence[AnnotationSet], labels: Sequence[str] | None = None) -> dict[str, Any]:
    """The ``agree`` result for more than two files: every pairwise comparison and Fleiss' κ."""
    return {"pairwise": pairwise(sets, labels), "fleiss": fleiss_kappa(sets, labels)}


# -- plain-text rendering --------------------------------------------------------------------------------------


def _num(value: float | None) -> str:
    if value is None:
        return "-"
    text = f"{value:.3f}"
    return "0.000" if text == "-0.000" else text  # a kappa a hair below zero reads 0.000, not -0.000


def _table(rows: Sequence[Sequence[str]], left: int = 1) -> list[str]:
    """Columns padded to their widest cell; the first ``left`` columns left-aligned, the rest right-aligned."""
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
    return [
        "  ".join(
            cell.ljust(w) if c < left else cell.rjust(w) for c, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


def format_compare(result: Mapping[str, Any], name_a: str = "A", name_b: str = "B") -> str:
    """A ``compare`` result as an aligned table: label, spans in A and B, exact and overlap P/R/F1, κ."""
    header = ["label", "A", "B", "exact P", "R", "F1", "overlap P", "R", "F1", "kappa"]
    rows = [header]

    def row(label: str, entry: Mapping[str, Any], n_a: int, n_b: int) -> list[str]:
        ex, ov = entry["exact"], entry["overlap"]
        return [
            label,
            str(n_a),
            str(n_b),
            *(_num(ex[k]) for k in ("precision", "recall", "f1")),
            *(_num(ov[k]) for k in ("precision", "recall", "f1")),
            _num(entry["kappa"]),
        ]

    for label, entry in result["labels"].items():
        rows.append(row(label, entry, entry["a"], entry["b"]))
    labels = result["labels"].values()
    rows.append(row("(overall)", result["overall"], sum(e["a"] for e in labels), sum(e["b"] for e in labels)))
    lines = [
        f"A: {name_a}",
        f"B: {name_b}",
        f"documents compared: {result['documents']}"
        f" (only in A: {len(result.get('only_in_a', ()))}, only in B: {len(result.get('only_in_b', ()))})",
        "",
        *_table(rows),
    ]
    return "\n".join(lines) + "\n"


def format_many(result: Mapping[str, Any], detail: bool = False) -> str:
    """An ``agree_many`` result: a pairwise summary (or every pair's full table) and the Fleiss' κ table."""
    lines: list[str] = []
    pairs = result["pairwise"]
    if detail:
        for pair in pairs:
            lines += [format_compare(pair["agreement"], pair["a"], pair["b"])]
    else:
        rows = [["A", "B", "documents", "exact F1", "overlap F1", "kappa"]]
        for pair in pairs:
            overall = pair["agreement"]["overall"]
            rows.append(
                [
                    pair["a"],
                    pair["b"],
                    str(pair["agreement"]["documents"]),
                    _num(overall["exact"]["f1"]),
                    _num(overall["overlap"]["f1"]),
                    _num(overall["kappa"]),
                ]
            )
        lines += ["pairwise:", *_table(rows, left=2), ""]
    fleiss = result["fleiss"]
    names = fleiss["annotators"]
    rows = [["label", *(f"#{i + 1}" for i in range(len(names))), "Fleiss kappa"]]
    for label, entry in fleiss["labels"].items():
        rows.append([label, *map(str, entry["spans"]), _num(entry["kappa"])])
    rows.append(["(overall)", *([""] * len(names)), _num(fleiss["overall"]["kappa"])])
    lines += [
        f"Fleiss' kappa over the {fleiss['documents']} document(s) every file holds "
        f"({len(fleiss['excluded'])} excluded); annotators:",
        *(f"  #{i + 1} {name}" for i, name in enumerate(names)),
        "",
        *_table(rows),
    ]
    return "\n".join(lines) + "\n"
