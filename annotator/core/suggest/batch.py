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
import pickle
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

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


def _send(stream: IO[bytes], obj: object) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> object:
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise EOFError("the retrain process ended")
    size = _HEADER.unpack(head)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the retrain process ended")
    return pickle.loads(data)  # noqa: S301 - our own process's answer, through a pipe only we hold


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


def run_elsewhere(snap: Snapshot) -> Trained:
    """:func:`run` in the retrain process, waited for (the calling thread releases the GIL while it waits); the
    process is started on first use and kept; one that died is replaced once."""
    global _SERVER
    with _LOCK:
        for attempt in (1, 2):
            if _SERVER is None or _SERVER.poll() is not None:
                _SERVER = _start()
            assert _SERVER.stdin is not None and _SERVER.stdout is not None
            try:
                _send(_SERVER.stdin, snap)
                answer = _receive(_SERVER.stdout)
            except (OSError, EOFError):
                _SERVER.kill()
                _SERVER.wait()
                for stream in (_SERVER.stdin, _SERVER.stdout):
                    stream.close()
                _SERVER = None
                if attempt == 2:
                    raise
                continue
            if isinstance(answer, BaseException):
                raise answer
            assert isinstance(answer, Trained)
            return answer
    raise AssertionError("unreachable")


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


def serve() -> None:
    """The retrain process: a snapshot in, a :class:`Trained` (or the exception) out, until its stdin ends."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing printed may mix with the answers
    while True:
        try:
            snap = _receive(stdin)
        except EOFError:
            return
        try:
            answer: object = run(snap)  # type: ignore[arg-type]
        except Exception as exc:  # the window reports it; the process goes on
            answer = RuntimeError(f"{type(exc).__name__}: {exc}")
        _send(stdout, answer)


if __name__ == "__main__":
    # through the module's own name, so what is sent back pickles as annotator.core.suggest.batch.Trained
    from annotator.core.suggest import batch

    batch.serve()
