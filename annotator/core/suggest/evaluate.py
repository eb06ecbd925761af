"""How good the suggestions are: cross-validated precision, recall and F1 per label, by span overlap and exact
(issue 13).

Only statements marked done are evaluated (their labels are complete). With five or more of them each fold holds
out whole statements; with fewer, it holds out sentences of them (every fifth sentence), so a project with one
finished statement still has figures. A fold's suggester is trained on everything else, then suggests for what it
held out; suggestions and the spans held out are matched as ``annotator agree`` matches (DESIGN.md §2.5):
*exact* is the same start, end and label, *overlap* a maximum one-to-one pairing of same-label spans that share a
character. Each fold's suggester has a model when the whole training has one (:data:`~.suggester.MIN_DONE`
statements marked done or more), so the figures are of what suggests. Figures from fewer finished statements than
that say so (:meth:`Evaluation.caveat`): on two statements an overlap F1 of 0.73 looked good to a newcomer and meant
nothing (trial 10, D9). The predictions are kept with their confidences, so the figures at another threshold need no
retraining.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core.agreement import overlap_pairs
from annotator.core.suggest.cues import Cue
from annotator.core.suggest.segment import sentences
from annotator.core.suggest.suggester import MIN_DONE, SpanTuple, Suggestion, TrainingDoc, train

FOLDS = 5
MIN_DOCS_FOR_DOCUMENT_FOLDS = 5


@dataclass
class Evaluation:
    """The held-out spans and suggestions of every fold: (gold spans, suggestions) per held-out region."""

    labels: tuple[str, ...]
    regions: list[tuple[tuple[SpanTuple, ...], tuple[Suggestion, ...]]] = field(default_factory=list)
    documents: int = 0
    by: str = "statements"  # or "sentences"
    #: the held-out spans that were accepted suggestions: the suggester finds those again, so the more of them,
    #: the more the figures flatter it (a newcomer's trial saw recall 1.00 where 9 of 12 spans were accepted)
    accepted: int = 0

    def spans(self) -> int:
        """The held-out spans compared (of the codebook's labels)."""
        return sum(len(gold) for gold, _suggested in self.regions)

    def too_few(self) -> bool:
        """Whether the figures come from fewer statements marked done than the model needs to learn: too few to
        say much (none: there are no figures)."""
        return 0 < self.documents < MIN_DONE

    def caveat(self) -> str:
        """What the figures favour or lack, in sentences, or "" when nothing: too few finished statements, spans
        that were accepted suggestions."""
        out = []
        if self.too_few():
            out.append(f"only {self.documents} statement(s) marked done: too few for these figures to mean much "
                       f"({MIN_DONE} needed, {MIN_DONE - self.documents} more)")
        if self.accepted:
            out.append(f"{self.accepted} of the {self.spans()} span(s) compared were accepted suggestions, which "
                       "the suggester finds again: these figures flatter it")
        return "; ".join(out)

    def figures(self, threshold: float) -> dict[str, dict[str, Any]]:
        """label -> {"overlap": {precision, recall, f1}, "exact": {...}, "spans": n, "suggested": n}; a figure
        is None where it is undefined (nothing to find, nothing suggested)."""
        counts = {lb: Counter() for lb in self.labels}
        for gold, suggested in self.regions:
            # by index: a Suggestion, or the plain tuple the window keeps (``batch.Row``)
            shown = [(s[1], s[2], s[3]) for s in suggested if s[4] >= threshold]
            for lb in self.labels:
                counts[lb]["spans"] += sum(1 for g in gold if g[2] == lb)
                counts[lb]["suggested"] += sum(1 for s in shown if s[2] == lb)
            exact = Counter(gold) & Counter(shown)
            for (_s, _e, lb), n in exact.items():
                counts[lb]["exact"] += n
            for i, _j in overlap_pairs(list(gold), shown):
                counts[gold[i][2]]["overlap"] += 1
        out: dict[str, dict[str, Any]] = {}
        for lb, c in counts.items():
            out[lb] = {
                "overlap": _prf(c["overlap"], c["spans"], c["suggested"]),
                "exact": _prf(c["exact"], c["spans"], c["suggested"]),
                "spans": c["spans"],
                "suggested": c["suggested"],
            }
        return out


def _prf(matches: int, gold: int, suggested: int) -> dict[str, float | None]:
    p = matches / suggested if suggested else None
    r = matches / gold if gold else None
    f = 2 * matches / (gold + suggested) if gold + suggested else None
    return {"precision": p, "recall": r, "f1": f}


def folds_of(docs: Sequence[TrainingDoc], k: int = FOLDS) -> tuple[list[dict[int, list[tuple[int, int]]]], str]:
    """The held-out regions of each fold, and whether folds hold out "statements" or "sentences"."""
    done = sorted((d for d in docs if d.done), key=lambda d: d.doc_id)
    if len(done) >= MIN_DOCS_FOR_DOCUMENT_FOLDS:
        folds: list[dict[int, list[tuple[int, int]]]] = [{} for _ in range(k)]
        for i, doc in enumerate(done):
            folds[i % k][doc.doc_id] = [(0, len(doc.text))]
        return [f for f in folds if f], "statements"
    folds = [{} for _ in range(k)]
    n = 0
    for doc in done:
        for start, end in sentences(doc.text):
            if doc.text[start:end].strip():
                folds[n % k].setdefault(doc.doc_id, []).append((start, end))
                n += 1
    return [f for f in folds if f], "sentences"


def cross_validate(
    docs: Sequence[TrainingDoc],
    labels: Sequence[str],
    cues: Mapping[str, Sequence[Cue]],
    mode: str = "both",
    k: int = FOLDS,
) -> Evaluation:
    folds, by = folds_of(docs, k)
    texts = {d.doc_id: d for d in docs}
    done = sum(1 for d in docs if d.done)
    evaluation = Evaluation(tuple(labels), documents=done, by=by)
    min_done = 0 if done >= MIN_DONE else MIN_DONE  # each fold learns as the whole training does
    for fold in folds:
        suggester = train(docs, labels, cues, mode, exclude=fold, min_done=min_done)
        for doc_id, regions in fold.items():
            doc = texts[doc_id]
            suggestions = suggester.suggest(doc_id, doc.text)
            for a, b in regions:
                gold = tuple(sp for sp in doc.spans if sp[2] in labels and a <= sp[0] < b)
                held = tuple(s for s in suggestions if a <= s.start < b)
                evaluation.regions.append((gold, held))
                evaluation.accepted += sum(1 for sp in gold if sp in doc.accepted)
    return evaluation


def cue_precision(docs: Sequence[TrainingDoc], label: str, cue: Cue) -> tuple[int, int]:
    """(clauses ``cue`` matches in ``docs``, those of them overlapping a span of ``label``): how the default
    cues' starting confidences are measured (:data:`annotator.core.suggest.defaults.MEASURED`)."""
    from annotator.core.suggest.cues import find
    from annotator.core.suggest.segment import clauses, is_heading

    hits = right = 0
    for doc in docs:
        units = [u for u in clauses(doc.text) if not is_heading(doc.text, u)]
        for unit in units:
            if any(unit.start <= s < unit.end for s, _e, _c in find([cue], doc.text)):
                hits += 1
                right += any(lb == label and s < unit.end and unit.start < e for s, e, lb in doc.spans)
    return hits, right


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def format_figures(figures: Mapping[str, Mapping[str, Any]], names: Mapping[str, str] | None = None) -> str:
    """The figures as a table: one row per label, P/R/F1 by overlap and exact, spans and suggestions."""
    names = names or {}
    head = ("label", "overlap P", "R", "F1", "exact P", "R", "F1", "spans", "suggested")
    rows = [head]
    for lb, f in figures.items():
        o, e = f["overlap"], f["exact"]
        rows.append((names.get(lb, lb), _num(o["precision"]), _num(o["recall"]), _num(o["f1"]),
                     _num(e["precision"]), _num(e["recall"]), _num(e["f1"]), str(f["spans"]), str(f["suggested"])))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = []
    for r in rows:
        cells = zip(r, widths, strict=True)
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(cells)))
    return "\n".join(lines)
