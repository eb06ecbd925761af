"""Training data, the combined suggester, and what it suggests (issue 13).

Training data come from the project itself: a clause (:mod:`.segment`) is a **positive** for a label when a span of
that label covers at least half of the clause or half of the span lies in it, and a **negative** when it lies in a
statement marked done and no span of that label touches it (a statement not done may still lack labels, so its
other clauses teach nothing). The spans' own texts are positives too.

The model learns only once :data:`MIN_DONE` statements are marked done (before that, the cue patterns alone
suggest): on the evaluation set ``tests/data/suggest_eval`` (trained on the first N finished statements, tested on
every third, threshold 0.5) the model's suggestions were right (overlap precision, pooled over the labels) 0.27 of
the time at 2 finished statements, 0.33 at 5, 0.44 at 8, 0.47 at 10 and 0.57 at 20, against 0.73 for the cue
patterns alone; with the model the mean overlap F1 went below the cues' alone (0.43 against 0.47) until 8 and above
it from 10 (0.53); and a newcomer's two finished statements made it suggest 163 clauses of a LaTeX placeholder text
and 35 of a German press release, 0 and 6 at 10 (trial 10, D9).

A cue's confidence is its precision on the clauses of the statements marked done, smoothed towards its prior
(:func:`prior`: a default cue's measured precision, else 0.6). The model's confidence is its probability. With
both, a clause takes the larger of the two, and the source that gave it.

**The suggester does not vouch for itself** (trial 14, F4). A span that is an accepted suggestion *as it was
suggested* -- its origin ``suggested:...``, its extent still a whole clause (as :func:`.segment.clauses` cuts them:
suggestions cover nothing else), not relabelled since (:attr:`TrainingDoc.as_suggested`, read by the store) -- is
evidence for nothing here: not for the confidence of any cue (its own source's, or another's matching the same
clause), and not a training example of the model, so accepting suggestions and retraining leaves every confidence
where the analyst's own labels put it. Its clause counts as if the span were not there when it was accepted after
its statement was marked done (:attr:`TrainingDoc.after_done`): the statement's "done" had said "no span of that
label here", and "Accept all listed" over finished statements raised ``threat-condemn`` from 0.39 to 0.57 (their
clauses it also matched turned from wrong to right), so that a second "Accept all listed" took a wave only the
first made look good. Accepted before the statement was marked done, its clause counts neither way (not the
negative a finished statement makes of a clause without a span: the analyst accepted it). Resized (its extent no
longer a clause) or relabelled, the span is her own judgement and counts as any other. What counts against a cue
or the model as before: a rejected suggestion's clause (no span there, a negative once its statement is marked
done), and an accepted one deleted or relabelled (the store remembers it as rejected).
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from annotator.core.suggest import learned
from annotator.core.suggest.cues import Cue, find
from annotator.core.suggest.defaults import DEFAULT_PRIOR, IN_COMPANY
from annotator.core.suggest.segment import Unit, clauses, is_heading

SpanTuple = tuple[int, int, str]
MODES = ("patterns", "model", "both")
#: below this a suggestion is not made at all (the user's threshold hides more)
FLOOR = 0.2
PRIOR_HITS, PRIOR_RIGHT = 2.0, 1.2
#: statements marked done before the model learns (see the module's docstring for the measurements)
MIN_DONE = 10


def prior(cue: Cue) -> float:
    """The confidence a cue starts at before the project's finished statements say more: a default cue's measured
    precision, else PRIOR_RIGHT / PRIOR_HITS."""
    return DEFAULT_PRIOR.get(cue, PRIOR_RIGHT / PRIOR_HITS)


class Suggestion(NamedTuple):
    """A suggested span. The cycle collector keeps tracking a named tuple (it stops tracking only plain tuples of
    plain values), so the window keeps the corpus's suggestions as plain tuples (``batch.Row``) and makes these of
    the few it shows."""

    doc_id: int
    start: int
    end: int
    label: str
    confidence: float
    source: str  # "pattern:NAME" or "model:VERSION"

    @property
    def origin(self) -> str:
        """What an accepted suggestion's span carries as its origin."""
        return f"suggested:{self.source}"

    @property
    def key(self) -> tuple[int, int, int, str]:
        return (self.doc_id, self.start, self.end, self.label)


@dataclass(frozen=True, slots=True)
class TrainingDoc:
    """A statement as training sees it: its spans, and whether it is marked done; ``accepted``: those of its spans
    that were accepted suggestions (their origin), which a cross-validation's figures favour; ``as_suggested``: those
    of them still as they were suggested (not resized nor relabelled: :func:`as_suggested`), which training leaves
    out; ``after_done``: those of these accepted after the statement was marked done (the module's docstring)."""

    doc_id: int
    text: str
    spans: tuple[SpanTuple, ...]
    done: bool
    accepted: frozenset[SpanTuple] = frozenset()
    as_suggested: frozenset[SpanTuple] = frozenset()
    after_done: frozenset[SpanTuple] = frozenset()


def as_suggested(text: str, accepted: Iterable[SpanTuple],
                 relabelled: Iterable[SpanTuple] = ()) -> frozenset[SpanTuple]:
    """Of a statement's spans that were accepted suggestions (``accepted``), those still as a suggestion made them:
    each covers a whole clause of ``text`` (a suggestion covers nothing else, so a resized one does not), and is not
    among ``relabelled`` (the store knows which were relabelled since: the "no" it remembered for the old label)."""
    changed = set(relabelled)
    accepted = [sp for sp in accepted if sp not in changed]
    if not accepted:
        return frozenset()
    units = {(u.start, u.end) for u in clauses(text)}
    return frozenset(sp for sp in accepted if (sp[0], sp[1]) in units)


#: regions of documents left out of training (cross-validation): doc_id -> [(start, end)]
Regions = Mapping[int, Sequence[tuple[int, int]]]


def _inside(regions: Sequence[tuple[int, int]] | None, start: int, end: int) -> bool:
    return bool(regions) and any(a <= start and end <= b for a, b in regions or ())


def unit_targets(unit: Unit, spans: Sequence[SpanTuple], labels: Iterable[str], done: bool) -> dict[str, int | None]:
    """1, 0 or None (unknown) per label for one clause of a statement with ``spans``."""
    out: dict[str, int | None] = {}
    length = unit.end - unit.start
    for label in labels:
        target: int | None = 0 if done else None
        for s, e, lb in spans:
            if lb != label or e <= unit.start or s >= unit.end:
                continue
            shared = min(e, unit.end) - max(s, unit.start)
            if shared * 2 >= length or shared * 2 >= e - s:
                target = 1
                break
            target = None  # touched, not covered: neither
        out[label] = target
    return out


def model_version(docs: Sequence[TrainingDoc]) -> str:
    digest = hashlib.sha256()
    n = 0
    for doc in sorted(docs, key=lambda d: d.doc_id):
        digest.update(f"{doc.doc_id}:{int(doc.done)}:{sorted(doc.spans)}|".encode())
        n += len(doc.spans)
    return f"{n}s-{digest.hexdigest()[:8]}"


@dataclass
class Suggester:
    labels: tuple[str, ...]
    cues: dict[str, tuple[Cue, ...]]
    cue_confidence: dict[str, float] = field(default_factory=dict)  # cue name -> confidence
    model: learned.LearnedModel | None = None
    mode: str = "both"
    spans_seen: int = 0  # the spans it learned from (accepted suggestions as suggested left out)
    done_seen: int = 0  # statements marked done it learned from
    #: label -> the spans of that label it learned from (the model's positives besides clauses), and how many
    #: accepted suggestions it left out (the module's docstring)
    learned_spans: dict[str, int] = field(default_factory=dict)
    left_out: int = 0
    #: cue name -> (clauses it matched in statements marked done, those a span of its label covers)
    cue_record: dict[str, tuple[int, int]] = field(default_factory=dict)
    min_done: int = MIN_DONE  # how many it needs before the model learns

    @property
    def model_needs(self) -> int:
        """How many more statements marked done the model needs before it learns (0: it has enough; always 0 for
        the cue patterns alone)."""
        return 0 if self.mode == "patterns" else max(self.min_done - self.done_seen, 0)

    @property
    def version(self) -> str:
        return self.model.version if self.model else ""

    def suggest(
        self,
        doc_id: int,
        text: str,
        existing: Iterable[SpanTuple] = (),
        rejected: Iterable[tuple[int, int, str]] = (),
        units: Sequence[Unit] | None = None,
    ) -> list[Suggestion]:
        """Suggestions for one statement, sorted by (start, end, label): one per clause and label at most, none
        for a clause a span of that label already touches or a rejection of that label touches (the clause's own
        suggestion rejected, or an accepted one resized and then deleted or relabelled: trial 16, F10)."""
        units = [u for u in (units if units is not None else clauses(text)) if not is_heading(text, u)]
        if not units:
            return []
        best: dict[tuple[int, str], tuple[float, str]] = {}
        if self.mode in ("patterns", "both"):
            starts = [u.start for u in units]
            for label, cues in self.cues.items():
                if label not in self.labels:
                    continue
                for s, _e, cue in find(cues, text):
                    i = bisect.bisect_right(starts, s) - 1
                    if i < 0 or s >= units[i].end:
                        continue
                    conf = self.cue_confidence.get(cue.name, prior(cue))
                    if conf > best.get((i, label), (-1.0, ""))[0]:
                        best[(i, label)] = (conf, f"pattern:{cue.name}")
            for (i, label), (conf, source) in list(best.items()):  # a cue outranked by the clause's own act
                company = IN_COMPANY.get(label)
                if company and any((i, other) in best for other in company[0]) and conf > company[1]:
                    best[(i, label)] = (company[1], source)
        if self.mode in ("model", "both") and self.model is not None:
            probs = self.model.probabilities([text[u.start : u.end] for u in units])
            source = f"model:{self.model.version}"
            for label, ps in probs.items():
                for i, p in enumerate(ps):
                    if p > best.get((i, label), (-1.0, ""))[0]:
                        best[(i, label)] = (p, source)
        taken: dict[str, list[tuple[int, int]]] = {}  # label -> the spans and rejections of that label
        for s, e, lb in itertools.chain(existing, rejected):
            taken.setdefault(lb, []).append((s, e))
        out: list[Suggestion] = []
        for (i, label), (conf, source) in best.items():
            if conf < FLOOR:
                continue
            unit = units[i]
            if any(s < unit.end and unit.start < e for s, e in taken.get(label, ())):
                continue
            out.append(Suggestion(doc_id, unit.start, unit.end, label, round(conf, 4), source))
        out.sort(key=lambda sg: (sg.start, sg.end, sg.label))
        return out


def train(
    docs: Sequence[TrainingDoc],
    labels: Sequence[str],
    cues: Mapping[str, Sequence[Cue]],
    mode: str = "both",
    exclude: Regions | None = None,
    min_done: int = MIN_DONE,
) -> Suggester:
    """A suggester trained on ``docs`` (spans and clauses inside ``exclude`` left out); its model learns only from
    ``min_done`` statements marked done on (the cue patterns suggest alone before)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    labels = tuple(labels)
    exclude = exclude or {}
    cue_map = {lb: tuple(cs) for lb, cs in cues.items() if lb in labels}
    texts: list[str] = []
    targets: dict[str, list[int | None]] = {lb: [] for lb in labels}
    hits: dict[str, float] = {}
    right: dict[str, float] = {}
    spans_seen = 0
    left_out = 0
    learned_spans: dict[str, int] = {}
    kept_docs: list[TrainingDoc] = []
    for doc in docs:
        regions = exclude.get(doc.doc_id)
        spans = tuple(sp for sp in doc.spans if sp[2] in labels and not _inside(regions, sp[0], sp[1]))
        if regions and any(a == 0 and b >= len(doc.text) for a, b in regions):
            continue
        if not spans and not doc.done:
            continue
        kept_docs.append(TrainingDoc(doc.doc_id, doc.text, spans, doc.done))
        # evidence for nothing (the module's docstring); those accepted after "done" leave their clause as it was
        vouched = tuple(sp for sp in spans if sp in doc.as_suggested and sp not in doc.after_done)
        if doc.as_suggested:
            own = tuple(sp for sp in spans if sp not in doc.as_suggested)
            left_out += len(spans) - len(own)
            spans = own
        spans_seen += len(spans)
        units = [u for u in clauses(doc.text) if not _inside(regions, u.start, u.end)]
        unit_labels = [unit_targets(u, spans, labels, doc.done) for u in units]
        withheld: set[tuple[int, str]] = set()  # (clause, label) an accepted suggestion as suggested covers
        for i, u in enumerate(units):
            for s, e, lb in vouched:
                if unit_labels[i][lb] != 1 and s < u.end and u.start < e:
                    unit_labels[i][lb] = None
                    withheld.add((i, lb))
        for u, ys in zip(units, unit_labels, strict=True):
            if all(y is None for y in ys.values()):
                continue
            texts.append(doc.text[u.start : u.end])
            for lb in labels:
                targets[lb].append(ys[lb])
        for s, e, lb in spans:
            texts.append(doc.text[s:e])
            learned_spans[lb] = learned_spans.get(lb, 0) + 1
            for other in labels:
                targets[other].append(1 if other == lb else None)
        if doc.done and mode != "model":
            starts = [u.start for u in units]
            for label, label_cues in cue_map.items():
                seen: set[tuple[int, str]] = set()
                for s, _e, cue in find(label_cues, doc.text):
                    i = bisect.bisect_right(starts, s) - 1
                    if i < 0 or s >= units[i].end or (i, cue.name) in seen or (i, label) in withheld:
                        continue
                    seen.add((i, cue.name))
                    hits[cue.name] = hits.get(cue.name, 0) + 1
                    right[cue.name] = right.get(cue.name, 0) + (unit_labels[i][label] == 1)
    priors = {c.name: prior(c) for cs in cue_map.values() for c in cs}
    confidence = {name: (right.get(name, 0) + PRIOR_HITS * priors[name]) / (n + PRIOR_HITS)
                  for name, n in hits.items()}
    done_seen = sum(1 for d in kept_docs if d.done)
    model = None
    if mode != "patterns" and texts and done_seen >= min_done:
        model = learned.fit(texts, targets, model_version(kept_docs))
    record = {name: (int(n), int(right.get(name, 0))) for name, n in hits.items()}
    return Suggester(labels, cue_map, confidence, model, mode, spans_seen, done_seen, min_done=min_done,
                     learned_spans=learned_spans if model is not None else {}, left_out=left_out, cue_record=record)
