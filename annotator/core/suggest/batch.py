"""One retrain as the window runs it (issue 13): train, cross-validate and suggest for the corpus, from a
:class:`Snapshot` of the project -- plain data, so it can run in another process.

It runs in a process of its own (:func:`submit`): training is numpy, scipy and scikit-learn work, and in a thread
of the window's process their calls that hold the GIL stalled the event loop for up to 0.1 s (measured); a second
process leaves the window's interpreter alone and puts the second core to work. The process is started once, on
the first retrain, and kept for the next ones (scikit-learn is imported there once).
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from annotator.core.suggest.cues import Cue
from annotator.core.suggest.evaluate import Evaluation, cross_validate
from annotator.core.suggest.suggester import Suggestion, TrainingDoc, train


@dataclass
class Snapshot:
    labels: list[str]
    cues: dict[str, tuple[Cue, ...]]
    training: list[TrainingDoc]
    #: (doc_id, text, spans, rejected (start, end, label)) of every statement not skipped
    candidates: list[tuple[int, str, list[tuple[int, int, str]], set[tuple[int, int, str]]]]


@dataclass
class Trained:
    """What the window needs of a retrain; the model itself stays in the retrain process (bringing it back would
    import scikit-learn into the window's process)."""

    version: str  # the model's version ("" when no label had enough examples for one)
    evaluation: Evaluation
    #: doc_id -> its suggestions (every confidence above the floor; the threshold filters when shown)
    suggestions: dict[int, list[Suggestion]] = field(default_factory=dict)
    seconds: float = 0.0


def run(snap: Snapshot) -> Trained:
    started = time.perf_counter()
    suggester = train(snap.training, snap.labels, snap.cues)
    evaluation = cross_validate(snap.training, snap.labels, snap.cues)
    out = {doc_id: suggester.suggest(doc_id, text, spans, refused) for doc_id, text, spans, refused in snap.candidates}
    return Trained(suggester.version, evaluation, out, time.perf_counter() - started)


_LOCK = threading.Lock()
_POOL: ProcessPoolExecutor | None = None


def _pool() -> ProcessPoolExecutor:
    global _POOL
    with _LOCK:
        if _POOL is None:
            # spawn: the window's process has threads (Qt's), which a fork would copy in an unknown state
            _POOL = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        return _POOL


def submit(snap: Snapshot) -> Future[Trained]:
    return _pool().submit(run, snap)


def run_elsewhere(snap: Snapshot) -> Trained:
    """:func:`run` in the retrain process, waited for (the calling thread releases the GIL while it waits); a
    process that died is replaced once."""
    global _POOL
    try:
        return submit(snap).result()
    except BrokenProcessPool:
        with _LOCK:
            _POOL = None
        return submit(snap).result()
