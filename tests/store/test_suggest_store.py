"""What a project keeps for suggestions (issue 13): cue patterns, rejections, accepted spans' origin; suggestions
themselves never reach exports, statistics or span counts."""

from __future__ import annotations

import io

import orjson
import pytest

from annotator.core.model import IncomingDocument
from annotator.core.suggest.cues import Cue
from annotator.core.suggest.defaults import DEFAULT_CUES
from annotator.errors import AnnotatorError
from annotator.formats import jsonl
from annotator.store import Project
from annotator.store import suggest as store
from tests.core.suggest.fixtures import PHRASES_1, SAMPLE_1, SAMPLE_2, spans_of


@pytest.fixture
def project(tmp_path):
    docs = [IncomingDocument(SAMPLE_1, "one"), IncomingDocument(SAMPLE_2, "two")]
    with Project.open(tmp_path / "p.sqlite", create=True, populate=docs) as p:
        yield p


def test_cues_default_by_key_then_stored_validated_and_kept(project):
    assert store.cues(project)["threat"] == DEFAULT_CUES["threat"]
    before = store.set_cues(project, {"threat": [Cue("mine", "phrase", "grave threat")]})
    assert before["threat"] == DEFAULT_CUES["threat"]
    assert store.cues(project)["threat"] == (Cue("mine", "phrase", "grave threat"),)
    store.set_cues(project, {"commitment": []})
    assert store.cues(project)["commitment"] == ()  # emptied on purpose: not the defaults again
    with pytest.raises(AnnotatorError) as info:
        store.set_cues(project, {"threat": [Cue("x", "regex", "(")]})
    assert "nothing was changed" in str(info.value) and info.value.problems
    assert store.cues(project)["threat"] == (Cue("mine", "phrase", "grave threat"),)


def test_rejected_suggestions_are_remembered_and_the_undo_forgets_them(project):
    suggester, _docs, _cues = store.train(project)
    found = store.suggest_corpus(project, suggester)
    texts = {1: SAMPLE_1, 2: SAMPLE_2}
    assert found and all(text == texts[sg.doc_id][sg.start : sg.end] for sg, _s, text in found)
    target = found[0][0]
    ids = store.reject(project, [target])
    assert store.rejected(project) == {target.key}
    again = [sg for sg, _s, _t in store.suggest_corpus(project, suggester)]
    assert target not in again and len(again) == len(found) - 1
    store.unreject(project, ids)
    assert store.rejected(project) == set()


def test_accepted_suggestion_is_a_span_with_its_origin_in_the_jsonl_export(project):
    suggester, _docs, _cues = store.train(project)
    sg = store.suggest_corpus(project, suggester, label="call_to_action")[0][0]
    span = store.accept(project, sg)
    assert span.origin == f"suggested:{sg.source}" and span.origin.startswith("suggested:pattern:")
    out = io.BytesIO()
    jsonl.write(project.iter_documents(), out)
    records = [orjson.loads(line) for line in out.getvalue().splitlines()]
    exported = [s for r in records for s in r["spans"]]
    assert [(s["start"], s["end"], s["label"], s["origin"]) for s in exported] == \
        [(sg.start, sg.end, sg.label, span.origin)]
    assert project.stats()["spans"] == 1  # the suggestions themselves count nowhere


def test_training_reads_done_statements_and_statements_with_spans(project):
    for s, e, label in spans_of(SAMPLE_1, PHRASES_1):
        project.add_span(1, s, e, label)
    assert [(d.doc_id, d.done, len(d.spans)) for d in store.training_docs(project)] == [(1, False, 8)]
    project.set_status(1, "done")
    assert [(d.doc_id, d.done) for d in store.training_docs(project)] == [(1, True)]
    suggester, _docs, _cues = store.train(project)
    assert suggester.model is None and suggester.model_needs == 9  # learns from 10 finished statements on
    labelled = spans_of(SAMPLE_1, PHRASES_1)
    for sg, _sha, _text in store.suggest_corpus(project, suggester):
        assert sg.doc_id == 2 or not any(lb == sg.label and s < sg.end and sg.start < e for s, e, lb in labelled)
