"""A cue pattern that backtracks without end (a shared codebook may hold one) is stopped, said, and searched no
more; the other cues still find their matches. A helper's codebook with ``(a+)+b`` hung ``annotator suggest`` for
over 120 s (``re``); ``regex`` runs that one fast, and ``(a|aa)+$`` stands for the ones it cannot."""

from __future__ import annotations

import subprocess
import sys
import time

from annotator.core.model import IncomingDocument
from annotator.core.suggest import cues
from annotator.core.suggest.cues import Cue, find
from annotator.store import Project
from annotator.store import suggest as store

SLOW = Cue("runaway", "regex", "(a|aa)+$")
WORD = Cue("urge", "phrase", "we urge")
TEXT = "We urge restraint. " + "a" * 40 + "b and more."


def test_a_runaway_cue_is_stopped_once_and_the_others_still_match(monkeypatch):
    monkeypatch.setattr(cues, "TIMEOUT_S", 0.2)
    monkeypatch.setattr(cues, "stopped", set())
    cues.clear_cache()
    t0 = time.perf_counter()
    found = find([SLOW, WORD], TEXT)
    first = time.perf_counter() - t0
    assert [(s, e, c.name) for s, e, c in found] == [(0, 7, "urge")]
    assert cues.stopped == {SLOW}
    assert first < 2
    t0 = time.perf_counter()
    assert [c.name for _s, _e, c in find([SLOW, WORD], TEXT + " again")] == ["urge"]
    assert time.perf_counter() - t0 < 0.1, "a stopped cue is not searched again"
    assert "runaway" in (cues.stopped_message() or "")


def test_annotator_suggest_says_which_cue_it_stopped_and_suggests_the_rest(tmp_path):
    path = tmp_path / "p.sqlite"
    with Project.open(path, create=True, populate=[IncomingDocument(TEXT, "s")]) as p:
        store.set_cues(p, {"call_to_action": [SLOW, WORD]})
    t0 = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "annotator", "suggest", str(path)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert time.perf_counter() - t0 < 60
    assert "warning: cue pattern(s) runaway stopped" in run.stderr and "Traceback" not in run.stderr
    assert "pattern:urge" in run.stdout
