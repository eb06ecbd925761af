"""Trial 10, D10: the default cue "threat-threaten" (destabiliz*, threat*) offered Threat at 0.73 for "We urge the DPRK
to cease its destabilizing actions ..." (a call to action) and for "... to counter these threats" (a commitment).
A threat cue in a clause where a commitment or call-to-action cue matches is mostly the object of that act: on the
evaluation set 5 of 15 such clauses were threats, against 76 of 100 alone; it now suggests at that precision."""

from __future__ import annotations

import pytest

from annotator.core.suggest.cues import find
from annotator.core.suggest.defaults import DEFAULT_CUES, IN_COMPANY
from annotator.core.suggest.segment import clauses, is_heading
from annotator.core.suggest.suggester import PRIOR_HITS, PRIOR_RIGHT, train
from tests.benchmarks.bench_suggest import EVAL_SET, read_eval_set
from tests.helpers import run_cli

CALL = "We urge the DPRK to cease its destabilizing actions and to engage in serious diplomacy."
COMMIT = "The United States will continue to use all available tools to counter these threats."
THREAT = "These launches threaten the peace and security of the region."


@pytest.mark.skipif(not EVAL_SET.exists(), reason="no evaluation set")
def test_a_threat_cue_beside_a_call_or_commitment_cue_starts_at_its_precision_there():
    hits = right = alone_hits = alone_right = 0
    outranking, ceiling = IN_COMPANY["threat"]
    others = tuple(c for lb in outranking for c in DEFAULT_CUES[lb])
    for doc in read_eval_set():
        threat, other = find(DEFAULT_CUES["threat"], doc.text), find(others, doc.text)
        for u in (u for u in clauses(doc.text) if not is_heading(doc.text, u)):
            if not any(u.start <= s < u.end for s, _e, _c in threat):
                continue
            ok = any(lb == "threat" and s < u.end and u.start < e for s, e, lb in doc.spans)
            if any(u.start <= s < u.end for s, _e, _c in other):
                hits, right = hits + 1, right + ok
            else:
                alone_hits, alone_right = alone_hits + 1, alone_right + ok
    assert (hits, right, alone_hits, alone_right) == (15, 5, 100, 76)
    assert ceiling == pytest.approx((right + PRIOR_RIGHT) / (hits + PRIOR_HITS), abs=0.005)


def test_the_trials_call_and_commitment_are_not_offered_as_threats_above_their_own_label():
    fresh = train([], list(DEFAULT_CUES), DEFAULT_CUES, mode="patterns")
    for text, label in ((CALL, "call_to_action"), (COMMIT, "commitment")):
        found = {sg.label: sg.confidence for sg in fresh.suggest(1, text)}
        assert found["threat"] < 0.5 < found[label], (text, found)
    assert {sg.label: sg.confidence for sg in fresh.suggest(1, THREAT)} == {"threat": 0.73}  # alone: as before


def test_annotator_suggest_leaves_them_out_at_the_default_threshold(tmp_path):
    from annotator.core.model import IncomingDocument
    from annotator.store import Project

    path = tmp_path / "p.sqlite"
    with Project.open(path, create=True, populate=[IncomingDocument(f"{CALL}\n\n{COMMIT}\n\n{THREAT}", "one")]):
        pass
    out = run_cli("suggest", path)
    assert out.returncode == 0, out.stderr
    threats = [line.split("\t")[6] for line in out.stdout.decode().splitlines() if line.split("\t")[3] == "Threat"]
    assert threats == [THREAT.rstrip(".")]
