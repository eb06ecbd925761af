"""The default codebook's cue patterns (issue 13), checked on real statements: their starting confidences are what
they measure on the evaluation set, and on the sample statements they suggest neither the title nor most clauses."""

from __future__ import annotations

import pytest

from annotator.core.suggest.defaults import DEFAULT_CUES, DEFAULT_PRIOR, MEASURED
from annotator.core.suggest.evaluate import cue_precision
from annotator.core.suggest.segment import Unit, clauses, is_heading
from annotator.core.suggest.suggester import PRIOR_HITS, PRIOR_RIGHT, train
from annotator.ui.app import sample_documents
from tests.benchmarks.bench_suggest import EVAL_SET, read_eval_set


@pytest.mark.skipif(not EVAL_SET.exists(), reason="no evaluation set")
def test_each_default_cue_starts_at_its_precision_on_the_evaluation_set():
    docs = read_eval_set()
    for label, cues in DEFAULT_CUES.items():
        for cue in cues:
            hits, right = cue_precision(docs, label, cue)
            if hits == 0:
                assert cue.name not in MEASURED and cue not in DEFAULT_PRIOR
                continue
            assert MEASURED[cue.name] == pytest.approx((right + PRIOR_RIGHT) / (hits + PRIOR_HITS), abs=0.005), cue.name
            assert right / hits >= 0.6, f"{cue.name} is too noisy to ship: {right}/{hits}"


def test_the_sample_statements_get_a_few_graded_suggestions_and_none_over_the_title():
    fresh = train([], list(DEFAULT_CUES), DEFAULT_CUES, mode="patterns")
    for doc in sample_documents():
        units = clauses(doc.text)
        found = fresh.suggest(1, doc.text)
        assert found
        # the second sample is dense with condemnations, pledges and calls: most of its sentences are spans
        assert len({(s.start, s.end) for s in found}) <= 2 * len(units) // 3
        assert not any(doc.text[s.start : s.end].strip() == doc.title.strip() for s in found)
        assert not any(is_heading(doc.text, Unit(s.start, s.end, 0)) for s in found)
        assert len({s.confidence for s in found}) > 1  # not one flat prior for every cue
        assert all(s.confidence != PRIOR_RIGHT / PRIOR_HITS for s in found if s.source != "pattern:call-demand")


def test_headings_are_lines_of_their_own_that_do_not_end_as_sentences():
    text = ("NEWS | Oct. 26, 2023\n\nJoint Statement Condemning Arms Transfers\n\nWe condemn the transfers.\n"
            "We will continue to work together\nBackground: a heading? No, it ends as a question?\n")
    found = {text[u.start : u.end]: is_heading(text, u) for u in clauses(text)}
    assert found["Joint Statement Condemning Arms Transfers"] is True
    assert found["We condemn the transfers"] is False
    assert any(k.startswith("NEWS") and v for k, v in found.items())
