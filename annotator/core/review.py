"""Reviewing a colleague's spans against mine: classification, painting layers, stepping, the agreement report.

Pure functions over plain data (no I/O, no Qt), so the review panel, the store's adjudication and the tests all
see the same items. Everything here is about ONE pair of annotators (me and one colleague) on documents matched
by SHA-256 of the text (DESIGN.md §2.1); the store decides which documents align.

**Classification** of one document (:func:`classify`) pairs my spans with theirs one-to-one, in three stages, so
every span lands in exactly one item and the result never depends on input order:

1. *agreed*: identical ``(start, end, label)``, matched as multisets (a span I hold twice agrees once);
2. *conflict, boundary*: among the rest, same-label overlapping spans, paired by
   :func:`annotator.core.agreement.overlap_pairs` — the very pairs the report's "overlap" figures count, so a
   pair the report calls an overlap match is shown as one boundary conflict, never split;
3. *conflict, label*: among what is still unpaired, overlapping spans of different labels, paired by the same
   greedy rule with the labels ignored (longest overlap first; ties: earlier start in mine, then in theirs).

Whatever is left is *mine_only* or *theirs_only* — also a span overlapping an already-paired span of the other
side (overlaps within one side), because pairing is one-to-one.

Each :class:`Item` has a ``key`` built from its spans' ``(start, end, label)`` (not database ids), so a decision
stored under it survives closing the app and re-exporting the colleague's file, and stops applying as soon as
either span changes — a changed span is a new disagreement that needs a new look.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from annotator.core.agreement import SpanTuple, lean, overlap_pairs
from annotator.core.agreement.tally import Tally
from annotator.core.neutral import csv_cell

AGREED, CONFLICT, MINE_ONLY, THEIRS_ONLY = "agreed", "conflict", "mine_only", "theirs_only"
#: item kinds / painting categories, in legend order, with their legend text
CATEGORIES: dict[str, str] = {
    MINE_ONLY: "Mine only",
    THEIRS_ONLY: "Theirs only",
    AGREED: "Agreed",
    CONFLICT: "Conflicting",
}


class SpanLike(Protocol):
    """Anything with offsets and a label: :class:`annotator.core.model.Span`, :class:`TheirSpan`."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def label(self) -> str: ...


@dataclass(frozen=True, slots=True)
class TheirSpan:
    """A colleague's span as read from their file: what an accepted copy needs, and nothing of their database."""

    start: int
    end: int
    label: str
    annotator: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Item:
    """One review item: a pair of spans (agreed or conflicting) or a span only one side has."""

    key: str  # stable identity: the spans' (start, end, label), see the module docstring
    kind: str  # agreed | conflict | mine_only | theirs_only
    mine: Any  # my span (a model.Span in the app), None for theirs_only
    theirs: Any  # their span (a TheirSpan in the app), None for mine_only
    #: for a conflict: "boundary" (same label), "label" (same offsets) or "label+boundary"; else ""
    difference: str = ""

    @property
    def start(self) -> int:
        return min(s.start for s in (self.mine, self.theirs) if s is not None)

    @property
    def end(self) -> int:
        return max(s.end for s in (self.mine, self.theirs) if s is not None)

    @property
    def is_disagreement(self) -> bool:
        return self.kind != AGREED


def triple(span: SpanLike | None) -> SpanTuple | None:
    return None if span is None else (span.start, span.end, span.label)


_RANK = {AGREED: 0, CONFLICT: 1, MINE_ONLY: 2, THEIRS_ONLY: 3}


def _sort_key(kind: str, mine: SpanLike | None, theirs: SpanLike | None) -> tuple[Any, ...]:
    """Position order: the item's extent (start, then end), then kind, then the spans themselves."""
    spans = [s for s in (mine, theirs) if s is not None]
    none = (-1, -1, "")
    start, end = min(s.start for s in spans), max(s.end for s in spans)
    return (start, end, _RANK[kind], triple(mine) or none, triple(theirs) or none)


def _difference(mine: SpanLike, theirs: SpanLike) -> str:
    parts = []
    if mine.label != theirs.label:
        parts.append("label")
    if (mine.start, mine.end) != (theirs.start, theirs.end):
        parts.append("boundary")
    return "+".join(parts)


def classify(mine: Sequence[SpanLike], theirs: Sequence[SpanLike], keys: bool | frozenset[str] = True) -> list[Item]:
    """Items of one document in position order (start, end, kind, spans); see the module docstring.

    ``keys=False`` leaves every key empty (the report only counts kinds, and the keys' JSON is a tenth of its
    time); a set of kinds keys those items only (Accept All Agreed needs the keys of THEIRS_ONLY items). An item's
    key is the same either way: two items share the JSON a key starts from only if they are of one kind (it holds
    both triples, or null for the side an item lacks, and an agreed pair's two triples are equal, a conflict's not),
    so the ``#2`` of a repeated pair counts the same among the items of its kind as among all."""
    pairs: list[tuple[int, int]] = []
    # 1. exact: a multiset match, each triple's occurrences paired in input order
    waiting: dict[SpanTuple, list[int]] = defaultdict(list)
    for j, span in enumerate(theirs):
        waiting[(span.start, span.end, span.label)].append(j)
    for j_list in waiting.values():
        j_list.reverse()
    for i, span in enumerate(mine):
        found = waiting.get((span.start, span.end, span.label))
        if found:
            pairs.append((i, found.pop()))
    n_exact = len(pairs)
    # 2. same label, overlapping; 3. any label, overlapping — each over what is still unpaired
    for ignore_label in (False, True):
        used_m = {i for i, _ in pairs}
        used_t = {j for _, j in pairs}
        # in (start, end, label) order, so that ties the blanked labels leave are broken by the real labels
        rest_m = sorted((i for i in range(len(mine)) if i not in used_m), key=lambda i: triple(mine[i]) or ())
        rest_t = sorted((j for j in range(len(theirs)) if j not in used_t), key=lambda j: triple(theirs[j]) or ())
        if not rest_m or not rest_t:
            break
        a = [(mine[i].start, mine[i].end, "" if ignore_label else mine[i].label) for i in rest_m]
        b = [(theirs[j].start, theirs[j].end, "" if ignore_label else theirs[j].label) for j in rest_t]
        pairs += [(rest_m[x], rest_t[y]) for x, y in overlap_pairs(a, b)]

    raw: list[tuple[str, SpanLike | None, SpanLike | None]] = []
    for n, (i, j) in enumerate(pairs):
        raw.append((AGREED if n < n_exact else CONFLICT, mine[i], theirs[j]))
    used_m = {i for i, _ in pairs}
    used_t = {j for _, j in pairs}
    raw += [(MINE_ONLY, s, None) for i, s in enumerate(mine) if i not in used_m]
    raw += [(THEIRS_ONLY, None, s) for j, s in enumerate(theirs) if j not in used_t]
    raw.sort(key=lambda r: _sort_key(*r))

    seen: Counter[str] = Counter()
    items: list[Item] = []
    for kind, m, t in raw:
        key = ""
        if keys is True or (keys and kind in keys):
            base = json.dumps([triple(m), triple(t)], ensure_ascii=False, separators=(",", ":"))
            seen[base] += 1
            key = base if seen[base] == 1 else f"{base}#{seen[base]}"  # the same pair twice (duplicate spans)
        diff = _difference(m, t) if kind == CONFLICT and m is not None and t is not None else ""
        items.append(Item(key, kind, m, t, diff))
    return items


def disagreements(items: Iterable[Item]) -> list[Item]:
    """The items a reviewer has to look at: everything but the agreed ones, in position order."""
    return [item for item in items if item.kind != AGREED]


def step(items: Sequence[Item], current: str | None, forward: bool = True, skip: Container[str] = ()) -> Item | None:
    """The next (or previous) disagreement after the one keyed ``current``, wrapping round; None if none is left.

    ``skip`` holds keys already decided, so stepping visits only open items. A ``current`` no longer present (it
    was just accepted and became agreed) steps from the start, or the end when going backwards.
    """
    open_items = [item for item in items if item.kind != AGREED and item.key not in skip]
    if not open_items:
        return None
    keys = [item.key for item in items]
    if current not in keys:
        return open_items[0] if forward else open_items[-1]
    here = keys.index(current)
    order = {item.key: n for n, item in enumerate(items)}
    if forward:
        after = [item for item in open_items if order[item.key] > here]
        return after[0] if after else open_items[0]
    before = [item for item in open_items if order[item.key] < here]
    return before[-1] if before else open_items[-1]


class Layer(NamedTuple):
    """One interval to paint: ``(start, end, category)`` first, so it unpacks like a plain triple."""

    start: int
    end: int
    category: str  # agreed | conflict | mine_only | theirs_only
    side: str  # "both" (agreed: one band), "mine" or "theirs"
    label: str
    key: str  # the item, so a click on the band can select it


def layers(items: Iterable[Item]) -> list[Layer]:
    """Intervals for painting both layers, one per span (an agreed pair is one band), sorted by (start, end)."""
    out: list[Layer] = []
    for item in items:
        if item.kind == AGREED:
            out.append(Layer(item.mine.start, item.mine.end, AGREED, "both", item.mine.label, item.key))
            continue
        for side, span in (("mine", item.mine), ("theirs", item.theirs)):
            if span is not None:
                out.append(Layer(span.start, span.end, item.kind, side, span.label, item.key))
    out.sort(key=lambda layer: (layer.start, layer.end, layer.side))
    return out


# -- the agreement report --------------------------------------------------------------------------------------

#: columns of every report row, the CSV header
COLUMNS: tuple[str, ...] = (
    "scope",
    "key",
    "title",
    "mine",
    "theirs",
    "agreed",
    "conflict",
    "mine_only",
    "theirs_only",
    "exact_precision",
    "exact_recall",
    "exact_f1",
    "overlap_precision",
    "overlap_recall",
    "overlap_f1",
    "kappa",
    "alpha_u",
)
_COUNTS = (AGREED, CONFLICT, MINE_ONLY, THEIRS_ONLY)


@dataclass(frozen=True, slots=True)
class ReportDoc:
    """One aligned document as the report needs it."""

    sha256: str
    title: str
    text: str
    #: span-like objects, or plain ``(start, end, label)`` tuples (the store's)
    mine: Sequence[SpanLike] | Sequence[SpanTuple]
    theirs: Sequence[SpanLike] | Sequence[SpanTuple]
    #: my spans before adjudication, where a standing accept changed them (store/original.py); None: as ``mine``
    before: Sequence[SpanLike] | Sequence[SpanTuple] | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """Agreement of theirs against mine: an overall row, one row per label and one per aligned document.

    Rows are flat dicts with :data:`COLUMNS` keys — ready for a table model, a bar chart and CSV. ``only_mine``
    and ``only_theirs`` list the titles of documents one side lacks (listed, never compared).
    """

    mine: str
    theirs: str
    overall: dict[str, Any]
    labels: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    only_mine: list[str] = field(default_factory=list)
    only_theirs: list[str] = field(default_factory=list)
    #: warnings on the figures (annotator/core/agreement/diagnostics.py): label, kind, finding, advice
    diagnostics: list[dict[str, str]] = field(default_factory=list)
    #: the same figures for my annotations before adjudication (``{"overall": row, "labels": [rows],
    #: "diagnostics": [...], "changed": statements an accept changed}``); None when no accept changed a span
    before: dict[str, Any] | None = None

    def rows(self) -> list[dict[str, Any]]:
        """Every row (CSV): adjudicated overall, labels, documents, then the rows before adjudication, if any, with
        their scope marked ``before:overall`` / ``before:label``."""
        earlier = []
        if self.before is not None:
            earlier = [{**row, "scope": "before:" + row["scope"]} for row in (self.before["overall"],
                                                                              *self.before["labels"])]
        return [self.overall, *self.labels, *self.documents, *earlier]


def _row(
    scope: str, key: str, title: str, figures: Mapping[str, Any], n_mine: int, n_theirs: int, counts: Mapping[str, int]
) -> dict[str, Any]:
    exact, overlap = figures["exact"], figures["overlap"]
    return {
        "scope": scope,
        "key": key,
        "title": title,
        "mine": n_mine,
        "theirs": n_theirs,
        **{kind: counts.get(kind, 0) for kind in _COUNTS},
        "exact_precision": exact["precision"],
        "exact_recall": exact["recall"],
        "exact_f1": exact["f1"],
        "overlap_precision": overlap["precision"],
        "overlap_recall": overlap["recall"],
        "overlap_f1": overlap["f1"],
        "kappa": figures["kappa"],
        "alpha_u": figures.get("alpha_u"),
    }


def _triples(spans: Iterable[SpanLike] | Sequence[SpanTuple]) -> Sequence[SpanTuple]:
    """``(start, end, label)`` of each span; a list or tuple of plain tuples (the store's) is taken as it is."""
    if isinstance(spans, (list, tuple)) and (not spans or type(spans[0]) is tuple):
        return spans  # type: ignore[return-value]
    return tuple((s.start, s.end, s.label) for s in spans)  # type: ignore[union-attr]


class Progress(Protocol):
    def __call__(self, done: int, total: int) -> None: ...


def _counts(mine: Sequence[SpanLike], theirs: Sequence[SpanLike]) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """Item counts of one document, overall and per label: an agreed pair, a mine-only and a theirs-only span
    count under their label; a conflict under each label it involves (once if both spans share it)."""
    items = classify(mine, theirs, keys=False)
    per_label: dict[str, Counter[str]] = defaultdict(Counter)
    for item in items:
        for label in {s.label for s in (item.mine, item.theirs) if s is not None}:
            per_label[label][item.kind] += 1
    return Counter(item.kind for item in items), per_label


Counts = tuple[list[int], dict[str, list[int]]]  # per kind in _COUNTS order: overall, and per label


def _item_counts(mine: Sequence[SpanTuple], theirs: Sequence[SpanTuple]) -> Counts:
    """:func:`_counts` as lists, by :func:`~annotator.core.agreement.lean.item_counts` where it can tell, else by
    classifying the document."""
    found = lean.item_counts(mine, theirs)
    if found is not None:
        return found
    total, per_label = _counts([TheirSpan(*t) for t in mine], [TheirSpan(*t) for t in theirs])
    return ([total[k] for k in _COUNTS], {label: [c[k] for k in _COUNTS] for label, c in per_label.items()})


class _Side:
    """One figure set of the report (adjudicated, or before adjudication) as it is summed."""

    def __init__(self) -> None:
        self.tally = Tally()
        self.total = [0, 0, 0, 0]
        self.per_label: dict[str, list[int]] = {}
        self.n_mine = 0

    def add(self, measured: Any, n_mine: int, counts: Counts) -> None:
        self.tally.add(measured)
        self.n_mine += n_mine
        total = self.total
        for k, v in enumerate(counts[0]):
            total[k] += v
        per_label = self.per_label
        for label, c in counts[1].items():
            row = per_label.get(label)
            if row is None:
                per_label[label] = list(c)
            else:
                for k in range(4):
                    row[k] += c[k]

    def rows(self, labels: Sequence[str] | None, names: Mapping[str, str], n: int, n_theirs: int
             ) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, str]]]:
        whole = self.tally.result(labels)
        label_rows = [
            _row("label", label, names.get(label, label), entry, entry["a"], entry["b"],
                 dict(zip(_COUNTS, self.per_label.get(label, (0, 0, 0, 0)), strict=True)))
            for label, entry in whole["labels"].items()
        ]
        overall = _row("overall", "", f"{n} document(s)", whole["overall"], self.n_mine, n_theirs,
                       dict(zip(_COUNTS, self.total, strict=True)))
        return overall, label_rows, whole["diagnostics"]


def build_report(
    docs: Sequence[ReportDoc],
    labels: Sequence[str] | None = None,
    mine: str = "mine",
    theirs: str = "theirs",
    label_names: Mapping[str, str] | None = None,
    only_mine: Sequence[str] = (),
    only_theirs: Sequence[str] = (),
    progress: Progress | None = None,
) -> Report:
    """The report over aligned documents; figures are those of :func:`annotator.core.agreement.compare` with
    A = mine, summed in one pass (:class:`~annotator.core.agreement.tally.Tally`): the per-document rows are each
    document's own sums, the label and overall rows the whole's.

    So precision is the share of their spans my spans confirm, recall the share of mine they found. Item counts
    per label: see :func:`_counts`. Where a document's ``before`` is given (my spans before adjudication), the
    report also carries the figures of my annotations before adjudication (:attr:`Report.before`).

    ``docs`` is iterated once, one document at a time, so a sequence that reads its documents as it is walked
    keeps one in memory; spans may be Span-like objects or plain ``(start, end, label)`` tuples. Each document
    takes the lean path (:mod:`annotator.core.agreement.lean`), whose figures equal the reference functions'.
    ``progress(done, total)`` is called as documents are read; an exception it raises (a cancel) stops the report.
    """
    names = dict(label_names or {})
    n = len(docs)
    after = _Side()
    # a sequence that knows no document has a ``before`` (the store's, with no standing accept) saves the second sum
    before = _Side() if getattr(docs, "has_before", True) else None
    changed = n_theirs = 0
    doc_rows = []
    overall_of = lean.Overall(labels)
    measure, item_counts = lean.measure, _item_counts
    for i, d in enumerate(docs, 1):
        mine_t, theirs_t = _triples(d.mine), _triples(d.theirs)
        measured = measure(d.text, mine_t, theirs_t)
        counts = item_counts(mine_t, theirs_t)
        after.add(measured, len(mine_t), counts)
        n_theirs += len(theirs_t)
        if d.before is None:
            if before is not None:
                before.add(measured, len(mine_t), counts)
        else:
            if before is None:
                raise ValueError("a document has spans before adjudication where the documents said none had")
            changed += 1
            before_t = _triples(d.before)
            before.add(measure(d.text, before_t, theirs_t), len(before_t), item_counts(before_t, theirs_t))
        doc_rows.append(_row("document", d.sha256, d.title, overall_of(measured), len(mine_t), len(theirs_t),
                             dict(zip(_COUNTS, counts[0], strict=True))))
        if progress is not None and (i % 64 == 0 or i == n):
            progress(i, n)
    return assemble(after, before if changed else None, changed, doc_rows, labels, names, n_theirs, mine, theirs,
                    only_mine, only_theirs)


def assemble(after: _Side, before: _Side | None, changed: int, doc_rows: list[dict[str, Any]],
             labels: Sequence[str] | None, names: Mapping[str, str], n_theirs: int, mine: str, theirs: str,
             only_mine: Sequence[str], only_theirs: Sequence[str]) -> Report:
    """The report of its figure sets and document rows (:func:`build_report`; the kept report,
    ``core/review_kept.py``, sums its sets another way)."""
    n = len(doc_rows)
    overall, label_rows, found = after.rows(labels, names, n, n_theirs)
    earlier = None
    if changed and before is not None:
        b_overall, b_labels, b_found = before.rows(labels, names, n, n_theirs)
        earlier = {"overall": b_overall, "labels": b_labels, "diagnostics": b_found, "changed": changed}
    return Report(mine, theirs, overall, label_rows, doc_rows, list(only_mine), list(only_theirs), found, earlier)


def bars(report: Report, scope: str = "label", metric: str = "overlap_f1") -> list[tuple[str, float | None]]:
    """(name, value) per label or per document, for a bar chart; None where the figure is undefined."""
    rows = report.labels if scope == "label" else report.documents
    return [(row["title"] or row["key"], row[metric]) for row in rows]


def report_to_json(report: Report) -> bytes:
    """UTF-8 JSON: ``{"mine", "theirs", "overall": row, "labels": [rows], "documents": [rows], "only_mine",
    "only_theirs", "diagnostics": [...], "before_adjudication": {"overall", "labels", "diagnostics", "changed"} or
    null}``; undefined figures are ``null``."""
    data = {
        "mine": report.mine,
        "theirs": report.theirs,
        "overall": report.overall,
        "labels": report.labels,
        "documents": report.documents,
        "only_mine": report.only_mine,
        "only_theirs": report.only_theirs,
        "diagnostics": report.diagnostics,
        "before_adjudication": report.before,
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def report_to_csv(report: Report) -> bytes:
    """RFC 4180 CSV in UTF-8 without a BOM (like the ``csv`` export): the :data:`COLUMNS` header, then the overall,
    label and document rows; undefined figures are empty cells; text a spreadsheet would run as a formula gets a
    ``'`` in front (:func:`~annotator.core.neutral.csv_cell`)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in report.rows():
        writer.writerow({k: "" if v is None else csv_cell(v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8")
