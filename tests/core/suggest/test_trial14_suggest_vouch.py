"""The suggester does not vouch for itself (trial 14, F4): "Accept all listed" raised the cue ``threat-condemn`` from
0.39 to 0.57, and a second "Accept all listed" took suggestions only the first made look good. An accepted
suggestion still as suggested is evidence for no cue and no model; resized or relabelled, it is the analyst's."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.suggest.defaults import DEFAULT_CUES
from annotator.core.suggest.segment import clauses
from annotator.core.suggest.suggester import TrainingDoc, as_suggested, train
from tests.benchmarks.bench_suggest import read_eval_set

LABELS = ["threat", "commitment", "call_to_action"]
CUES = {lb: DEFAULT_CUES[lb] for lb in LABELS}


def _docs() -> list[TrainingDoc]:
    """Twelve finished statements of the evaluation set with half their hand-made spans (so the cues find clauses
    nobody labelled there), and four unfinished ones without spans."""
    docs = read_eval_set()[:16]
    out = []
    for i, d in enumerate(docs):
        if i < 12:
            out.append(TrainingDoc(d.doc_id, d.text, d.spans[::2], True))
        else:
            out.append(TrainingDoc(d.doc_id, d.text, (), False))
    return out


def _accepted(docs: list[TrainingDoc], chosen) -> list[TrainingDoc]:
    """The statements with the ``chosen`` suggestions of a suggester trained on them accepted (after the finished
    ones were marked done, as in the dock's "Accept all listed"), as the store reads them back: spans whose origin is
    ``suggested:`` and whose extent is still the suggested clause."""
    suggester = train(docs, LABELS, CUES)
    out = []
    for d in docs:
        taken = tuple((s.start, s.end, s.label) for s in suggester.suggest(d.doc_id, d.text, d.spans) if chosen(s))
        accepted = frozenset(taken)
        kept = as_suggested(d.text, accepted)
        out.append(TrainingDoc(d.doc_id, d.text, tuple(sorted(d.spans + taken)), d.done, accepted, kept,
                               kept if d.done else frozenset()))
    return out


def _probe(suggester, docs):
    return {(d.doc_id, s.start, s.label): (s.confidence, s.source.split(":")[0])
            for d in docs for s in suggester.suggest(d.doc_id, d.text)}


def test_accepting_every_suggestion_and_retraining_leaves_every_confidence_where_her_labels_put_it():
    docs = _docs()
    before = train(docs, LABELS, CUES)
    assert before.model is not None and before.cue_confidence
    after_docs = _accepted(docs, lambda s: s.confidence >= 0.5)  # "Accept all listed" at the threshold 0.5
    left_out = sum(len(d.as_suggested) for d in after_docs)
    assert left_out >= 10
    after = train(after_docs, LABELS, CUES)
    assert after.cue_confidence == before.cue_confidence
    assert after.cue_record == before.cue_record
    assert after.spans_seen == before.spans_seen and after.left_out == left_out
    assert after.learned_spans == before.learned_spans
    # the model learned from the same examples: every clause's probability is what it was
    probe = [d.text[u.start:u.end] for d in docs for u in clauses(d.text)][:200]
    for label, ps in before.model.probabilities(probe).items():
        assert after.model.probabilities(probe)[label] == pytest.approx(ps, abs=1e-4)  # float32 sums


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_any_accepted_subset_moves_no_cue(seed):
    rng = random.Random(seed)
    docs = _docs()
    before = train(docs, LABELS, CUES, mode="patterns")
    after = train(_accepted(docs, lambda _s: rng.random() < 0.5), LABELS, CUES, mode="patterns")
    assert after.cue_confidence == before.cue_confidence


def test_resized_or_relabelled_it_is_her_judgement_and_a_rejection_still_counts_against():
    docs = _docs()
    base = train(docs, LABELS, CUES, mode="patterns")
    suggester = base
    target = next((d, s) for d in docs if d.done for s in suggester.suggest(d.doc_id, d.text, d.spans)
                  if s.source.startswith("pattern:") and " " in d.text[s.start:s.end])
    doc, sg = target
    name = sg.source.removeprefix("pattern:")
    i = docs.index(doc)
    clause = (sg.start, sg.end, sg.label)
    # resized by a word: no longer the clause a suggestion covers -- hers, and it counts for the cue
    text = doc.text
    shrunk = (sg.start, text.rindex(" ", sg.start, sg.end), sg.label)
    assert as_suggested(text, [shrunk]) == frozenset()
    assert as_suggested(text, [clause]) == frozenset({clause})
    assert as_suggested(text, [clause], relabelled=[clause]) == frozenset()
    resized = list(docs)
    resized[i] = TrainingDoc(doc.doc_id, text, tuple(sorted(doc.spans + (shrunk,))), True, frozenset({shrunk}),
                             as_suggested(text, [shrunk]))
    hits, right = base.cue_record[name]
    assert train(resized, LABELS, CUES, mode="patterns").cue_record[name] == (hits, right + 1)
    # accepted as suggested after the statement was marked done: its clause stays what "done" made it
    kept = list(docs)
    kept[i] = TrainingDoc(doc.doc_id, text, tuple(sorted(doc.spans + (clause,))), True, frozenset({clause}),
                          frozenset({clause}), frozenset({clause}))
    assert train(kept, LABELS, CUES, mode="patterns").cue_record[name] == (hits, right)
    # accepted before the statement was marked done: the clause counts neither way (not a wrong match either)
    kept[i] = TrainingDoc(doc.doc_id, text, tuple(sorted(doc.spans + (clause,))), True, frozenset({clause}),
                          frozenset({clause}))
    assert train(kept, LABELS, CUES, mode="patterns").cue_record[name] == (hits - 1, right)
    # rejected (no span there, the statement done): counted against, as before
    assert base.cue_record[name] == (hits, right) and hits > right
