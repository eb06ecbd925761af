"""One retrain as the window runs it (issue 13): train, cross-validate and suggest for the corpus, from a
:class:`Snapshot` of the project -- plain data, so it can run in another process.

It runs in a process of its own (:func:`run_elsewhere`): training is numpy, scipy and scikit-learn work, and in a thread
of the window's process their calls that hold the GIL stalled the event loop for up to 0.1 s (measured); a second
process leaves the window's interpreter alone and puts the second core to work. The process is started once, on
the first retrain, and kept for the next ones (scikit-learn is imported there once). It is a plain subprocess
talking through its own pipes (not multiprocessing, whose workers hold their queue's both ends and outlive a killed
window, keeping its pipes open).
"""

from __future__ import annotations

import atexit
import os
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

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
_SERVER: subprocess.Popen[bytes] | None = None
_HEADER = struct.Struct("!Q")


def _send(stream: IO[bytes], obj: dict[str, Any]) -> None:
    data = orjson.dumps(obj)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> dict[str, Any]:
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise EOFError("the retrain process ended")
    size = _HEADER.unpack(head)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the retrain process ended")
    obj = orjson.loads(data)
    if not isinstance(obj, dict):
        raise EOFError("the retrain process answered nonsense")
    return obj


# -- JSON both ways (plain data; never pickle) --------------------------------------------------------------------


def _sg(s: Suggestion) -> list[Any]:
    return [s.doc_id, s.start, s.end, s.label, s.confidence, s.source]


def _span(x: list[Any]) -> tuple[int, int, str]:
    return (int(x[0]), int(x[1]), str(x[2]))


def snapshot_to_json(snap: Snapshot) -> dict[str, Any]:
    return {
        "labels": snap.labels,
        "cues": {k: [[c.name, c.kind, c.pattern] for c in v] for k, v in snap.cues.items()},
        "training": [[d.doc_id, d.text, [list(sp) for sp in d.spans], d.done] for d in snap.training],
        "candidates": [[i, t, [list(sp) for sp in spans], [list(r) for r in sorted(refused)]]
                       for i, t, spans, refused in snap.candidates],
    }


def snapshot_from_json(obj: dict[str, Any]) -> Snapshot:
    return Snapshot(
        [str(x) for x in obj["labels"]],
        {k: tuple(Cue(*c) for c in v) for k, v in obj["cues"].items()},
        [TrainingDoc(int(i), t, tuple(_span(x) for x in spans), bool(done)) for i, t, spans, done in obj["training"]],
        [(int(i), t, [_span(x) for x in spans], {_span(x) for x in refused})
         for i, t, spans, refused in obj["candidates"]],
    )


def trained_to_json(t: Trained) -> dict[str, Any]:
    ev = t.evaluation
    return {
        "version": t.version,
        "evaluation": {"labels": list(ev.labels), "documents": ev.documents, "by": ev.by,
                       "regions": [[[list(g) for g in gold], [_sg(s) for s in sugg]] for gold, sugg in ev.regions]},
        "suggestions": [[doc_id, [_sg(s) for s in sugg]] for doc_id, sugg in t.suggestions.items()],
        "seconds": t.seconds,
    }


def trained_from_json(obj: dict[str, Any]) -> Trained:
    e = obj["evaluation"]
    evaluation = Evaluation(tuple(e["labels"]), documents=int(e["documents"]), by=str(e["by"]))
    evaluation.regions = [(tuple(_span(g) for g in gold), tuple(Suggestion(*s) for s in sugg))
                          for gold, sugg in e["regions"]]
    suggestions = {int(doc_id): [Suggestion(*s) for s in sugg] for doc_id, sugg in obj["suggestions"]}
    return Trained(str(obj["version"]), evaluation, suggestions, float(obj["seconds"]))


def _start() -> subprocess.Popen[bytes]:
    """The retrain process: ``python -m annotator.core.suggest.batch``, talking through its own stdin and stdout
    only (nothing else of ours is inherited), so it ends by itself when this process ends, even killed."""
    package_root = str(Path(__file__).resolve().parents[3])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
    return subprocess.Popen(
        [sys.executable, "-m", "annotator.core.suggest.batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, env=env, close_fds=True,
    )


def _discard(server: subprocess.Popen[bytes]) -> None:
    """Kill a retrain process (if still running), reap it and close our ends of its pipes."""
    server.kill()
    server.wait()
    for stream in (server.stdin, server.stdout):
        if stream is not None:
            stream.close()


def abort() -> None:
    """End a retrain under way at once: its process is killed, :func:`run_elsewhere` raises instead of starting
    another, and the next retrain starts a new process. A closing window calls this rather than wait for a training
    (minutes on a large project)."""
    _ABORT.set()
    server = _SERVER
    if server is not None and server.poll() is None:
        server.kill()


def run_elsewhere(snap: Snapshot) -> Trained:
    """:func:`run` in the retrain process, waited for (the calling thread releases the GIL while it waits); the
    process is started on first use and kept; one that died is replaced once (unless :func:`abort` killed it)."""
    global _SERVER
    with _LOCK:
        _ABORT.clear()
        for attempt in (1, 2):
            if _SERVER is not None and _SERVER.poll() is not None:  # died, or killed by abort()
                _discard(_SERVER)
                _SERVER = None
            if _SERVER is None:
                _SERVER = _start()
            assert _SERVER.stdin is not None and _SERVER.stdout is not None
            try:
                _send(_SERVER.stdin, snapshot_to_json(snap))
                answer = _receive(_SERVER.stdout)
            except (OSError, EOFError):
                _discard(_SERVER)
                _SERVER = None
                if attempt == 2 or _ABORT.is_set():
                    raise
                continue
            if "error" in answer:
                raise RuntimeError(str(answer["error"]))
            return trained_from_json(answer)
    raise AssertionError("unreachable")


_ABORT = threading.Event()


def stop() -> None:
    """End the retrain process (it also ends by itself when this process does)."""
    global _SERVER
    with _LOCK:
        if _SERVER is not None:
            if _SERVER.stdin is not None:
                _SERVER.stdin.close()
            try:
                _SERVER.wait(5)
            except subprocess.TimeoutExpired:
                _SERVER.kill()
                _SERVER.wait()
            if _SERVER.stdout is not None:
                _SERVER.stdout.close()
            _SERVER = None


atexit.register(stop)


def _exit_with(parent: int) -> None:
    """Stop this process as soon as the window that started it is gone, even mid-training: its stdin ends only once
    no process holds the pipe's other end, and a training can run for minutes with nobody left to read its answer
    (seen: an orphan cross-validating at full CPU for 4 minutes after its window was killed)."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(0)


def serve() -> None:
    """The retrain process: a snapshot in, a :class:`Trained` (or the exception) out, until its stdin ends or the
    window is gone."""
    threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True, name="exit-with-window").start()
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing printed may mix with the answers
    while True:
        try:
            request = _receive(stdin)
        except EOFError:
            return
        try:
            answer = trained_to_json(run(snapshot_from_json(request)))
        except Exception as exc:  # the window reports it; the process goes on
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        _send(stdout, answer)


if __name__ == "__main__":
    from annotator.core.suggest import batch  # the module under its own name (its classes, its caches)

    batch.serve()
