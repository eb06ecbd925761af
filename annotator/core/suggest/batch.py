"""The retrain process (issue 13): it reads the project itself, trains, suggests and cross-validates, one request at a
time, so the window neither reads nor computes any of it.

Requests (JSON, length-prefixed, on the process's stdin; answers on its stdout):

- ``{"op": "train", "path"}``: read the labelled statements (those holding spans and those marked done: never
  the whole corpus) and the cue patterns through a read-only connection of its own, train, keep the suggester;
- ``{"op": "suggest", "path", "doc_ids"}`` or ``{"op": "suggest", "path", "after", "limit"}``: suggestions for
  those statements (the open one and the next few), or for the next batch of the corpus by id, with the kept
  suggester (trained first if there is none for that file);
- ``{"op": "evaluate", "path"}``: cross-validate on what the last training read.

It runs in a process of its own: training is numpy, scipy and scikit-learn work, and in a thread of the window's
process their calls that hold the GIL stalled the event loop for up to 0.1 s (measured); a second process leaves
the window's interpreter alone and puts the second core to work (at a lower priority than the window). The process
is started once and kept (scikit-learn is imported there once). It is a plain subprocess talking through its own
pipes (not multiprocessing, whose workers hold their queue's both ends and outlive a killed window, keeping its
pipes open). The window asks one request at a time and decides the order (``ui/suggest/worker.py``): a change makes
the next request a training, and the corpus's batches stop being asked for.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core.suggest import cues, frames, learned, why
from annotator.core.suggest.cues import Cue
from annotator.core.suggest.evaluate import Evaluation, cross_validate
from annotator.core.suggest.suggester import Suggestion, TrainingDoc, train
from annotator.errors import AnnotatorError

#: the characters of a suggested text the window is sent (for the Suggestions list)
TEXT_SENT = 300


@dataclass
class Suggested:
    """Suggestions for some statements: doc_id -> (title, [(suggestion, its text)])."""

    docs: dict[int, tuple[str, list[tuple[Suggestion, str]]]]
    last: int  # the highest doc_id read (the next batch starts after it)
    more: bool  # whether the corpus has statements after ``last``
    version: str


class _State:
    """What the process keeps between requests: the last training, for the file it read."""

    def __init__(self) -> None:
        self.path = ""
        self.suggester: Any = None
        self.docs: list[TrainingDoc] = []
        self.labels: list[str] = []
        self.cues: dict[str, tuple[Cue, ...]] = {}


_STATE = _State()


def _train(path: str) -> dict[str, Any]:
    from annotator.store import suggest as store  # the process reads the project itself

    learned.load()  # scikit-learn's first import (once per process) is not part of a retrain's time
    started, cpu = time.perf_counter(), time.process_time()
    project = store.reader(Path(path))
    try:
        label_cues = store.cues(project)
        docs = store.training_docs(project)
    finally:
        project.conn.close()
    labels = list(label_cues)
    suggester = train(docs, labels, label_cues)
    _STATE.path, _STATE.suggester, _STATE.docs, _STATE.labels, _STATE.cues = path, suggester, docs, labels, label_cues
    return {"version": suggester.version, "spans": suggester.spans_seen, "documents": len(docs),
            "done": suggester.done_seen, "needs": suggester.model_needs, "left_out": suggester.left_out,
            "seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
            "why": why.evidence(suggester)}


def _suggest(request: dict[str, Any]) -> dict[str, Any]:
    from annotator.store import suggest as store

    path = str(request["path"])
    if _STATE.path != path or _STATE.suggester is None:
        _train(path)
    project = store.reader(Path(path))
    try:
        if "doc_ids" in request:
            rows = store.candidates(project, doc_ids=[int(i) for i in request["doc_ids"]])
            more = False
        else:
            limit = int(request["limit"])
            rows = store.candidates(project, after=int(request["after"]), limit=limit + 1)
            more = len(rows) > limit
            rows = rows[:limit]
    finally:
        project.conn.close()
    out: dict[int, tuple[str, list[tuple[Suggestion, str]]]] = {}
    for doc_id, title, text, spans, refused in rows:
        found = _STATE.suggester.suggest(doc_id, text, spans, refused)
        out[doc_id] = (title, [(sg, text[sg.start : sg.end][:TEXT_SENT]) for sg in found])
    last = max((r[0] for r in rows), default=int(request.get("after", 0)))
    return suggested_to_json(Suggested(out, last, more, _STATE.suggester.version))


def _evaluate(path: str, threshold: float | None = None) -> dict[str, Any]:
    if _STATE.path != path or _STATE.suggester is None:
        _train(path)
    started = time.perf_counter()
    evaluation = cross_validate(_STATE.docs, _STATE.labels, _STATE.cues)
    answer = {"evaluation": evaluation_to_json(evaluation), "version": _STATE.suggester.version,
              "seconds": time.perf_counter() - started}
    if threshold is not None:  # the figures the window shows first, computed here (not on the window's thread)
        answer["figures"] = evaluation.figures(threshold)
    return answer


def handle(request: dict[str, Any]) -> dict[str, Any]:
    """The answer to a request, naming the codebook's cue patterns stopped for running too long (the window says it)."""
    op = request.get("op")
    if op == "train":
        answer = _train(str(request["path"]))
    elif op == "suggest":
        answer = _suggest(request)
    elif op == "evaluate":
        threshold = request.get("threshold")
        answer = _evaluate(str(request["path"]), None if threshold is None else float(threshold))
    else:
        raise ValueError(f"unknown request {op!r}")
    answer["stopped"] = sorted(c.name for label_cues in _STATE.cues.values() for c in label_cues if c in cues.stopped)
    return answer


def stopped_of(answer: dict[str, Any]) -> tuple[str, ...]:
    """The names of the cue patterns an answer says were stopped (``cues.stopped``; none if it says nothing sound)."""
    names = answer.get("stopped")
    return tuple(n for n in names if isinstance(n, str)) if isinstance(names, list) else ()


_LOCK = threading.Lock()
_SERVER: subprocess.Popen[bytes] | None = None
# -- JSON both ways (plain data; never pickle) --------------------------------------------------------------------


def _sg(s: Suggestion) -> list[Any]:
    return [s.doc_id, s.start, s.end, s.label, s.confidence, s.source]


def _span(x: list[Any]) -> tuple[int, int, str]:
    return (int(x[0]), int(x[1]), str(x[2]))


def evaluation_to_json(ev: Evaluation) -> dict[str, Any]:
    return {"labels": list(ev.labels), "documents": ev.documents, "by": ev.by, "accepted": ev.accepted,
            "regions": [[[list(g) for g in gold], [_sg(s) for s in sugg]] for gold, sugg in ev.regions]}


def region_from_json(region: list[Any]) -> tuple[tuple[tuple[int, int, str], ...], tuple[Row, ...]]:
    """A region of a cross-validation as the window keeps it: its spans and its suggestions as plain tuples
    (``Row``, read by index as :meth:`Evaluation.figures` does): a cross-validation's 5 000 ``Suggestion`` named
    tuples stayed tracked by the cycle collector, and each of its full passes walked them (measured)."""
    gold, sugg = region
    return tuple(_span(g) for g in gold), tuple(_row(s) for s in sugg)


def _row(r: list[Any]) -> Row:
    return (int(r[0]), int(r[1]), int(r[2]), str(r[3]), float(r[4]), str(r[5]))


def evaluation_from_json(e: dict[str, Any]) -> Evaluation:
    """The evaluation; its regions as JSON lists, or made already by :func:`region_from_json` (from :func:`ask`)."""
    evaluation = Evaluation(tuple(e["labels"]), documents=int(e["documents"]), by=str(e["by"]),
                            accepted=int(e.get("accepted", 0)))
    evaluation.regions = [r if isinstance(r, tuple) else region_from_json(r) for r in e["regions"]]
    return evaluation


def figures_from_json(figures: Any) -> dict[str, dict[str, Any]] | None:
    """The figures per label an evaluate answer carries (as ``Evaluation.figures`` gives them), checked; None when
    there are none or they are not that shape."""
    if not isinstance(figures, dict):
        return None
    for value in figures.values():
        if not (isinstance(value, dict) and {"overlap", "exact", "spans", "suggested"} <= set(value)):
            return None
    return figures


def suggested_to_json(s: Suggested) -> dict[str, Any]:
    return {"docs": [[doc_id, title, [[*_sg(sg), text] for sg, text in found]]
                     for doc_id, (title, found) in s.docs.items()],
            "last": s.last, "more": s.more, "version": s.version}


def suggested_from_json(obj: dict[str, Any]) -> Suggested:
    docs = {int(doc_id): (str(title), [(Suggestion(*row[:6]), str(row[6])) for row in found])
            for doc_id, title, found in obj["docs"]}
    return Suggested(docs, int(obj["last"]), bool(obj["more"]), str(obj["version"]))


#: a suggestion as the window keeps it: ``(doc_id, start, end, label, confidence, source)``, a plain tuple. The
#: cycle collector stops tracking a plain tuple of plain values, not a named tuple (``Suggestion``): the window's
#: 60 000 suggestions of a 1 000-statement corpus as named tuples made each of its full passes scan them all, 30 to
#: 85 ms with every thread held (measured); ``Suggestion._make`` gives one back when it is shown
Row = tuple[int, int, int, str, float, str]


def doc_from_json(item: list[Any]) -> tuple[int, str, tuple[Row, ...], tuple[str, ...]]:
    """One statement of a suggest answer as the window keeps it: (doc_id, title, its suggestions as plain tuples,
    their texts in the same order). Tuples of plain values only, which the cycle collector stops tracking: the
    texts kept in a dict per statement (keyed by tuples) were tracked until a full pass, and the full passes
    during a retrain walked the corpus's (measured: 40 000 references on 300 statements)."""
    doc_id, title, found = item
    return int(doc_id), str(title), tuple(_row(r) for r in found), tuple(str(r[6]) for r in found)


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


#: held while a request's process is made sure of, and while :func:`abort` kills it: a request either sees its
#: cancellation before it starts a process, or its process is killed after
_STARTING = threading.Lock()
#: set by :func:`stop` as this process ends: no request starts a retrain process after it
_STOPPED = False


class Cancelled(Exception):
    """The request was cancelled by :func:`abort` (the window is closing)."""


def abort(cancel: threading.Event) -> None:
    """End the request that ``cancel`` belongs to at once, asked or about to be: its process is killed, and
    :func:`ask` raises :class:`Cancelled` instead of starting another; the next request starts a new process. A
    closing window calls this rather than wait for a training (minutes on a large project)."""
    with _STARTING:
        cancel.set()
        server = _SERVER
        if server is not None and server.poll() is None:
            server.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(5)  # reaped now: no process of ours is left once the window has closed


def ask(request: dict[str, Any], cancel: threading.Event | None = None,
        each: Callable[[Any], Any] | None = None) -> dict[str, Any]:
    """One request answered by the retrain process, waited for (the calling thread releases the GIL while it
    waits); the process is started on first use and kept; one that died is replaced once (unless :func:`abort`
    killed it: then :class:`Cancelled`). Raises RuntimeError with the process's message when the request failed
    there. ``each`` makes each item of the answer's long list (a batch's statements, the regions of a
    cross-validation) into what the caller keeps, as its frame is decoded (:func:`doc_from_json`,
    :func:`region_from_json`)."""
    return ask_parts(request, cancel).whole(each)


def ask_parts(request: dict[str, Any], cancel: threading.Event | None = None) -> frames.Parts:
    """:func:`ask`, its answer's long list left in frames of bytes for the caller to decode (:class:`frames.Parts`):
    what the window's waiting thread asks, so that it makes no objects."""
    global _SERVER
    cancel = cancel or threading.Event()
    with _LOCK:
        for attempt in (1, 2):
            with _STARTING:
                if cancel.is_set() or _STOPPED:
                    raise Cancelled("the request was cancelled")
                if _SERVER is not None and _SERVER.poll() is not None:  # died, or killed by abort()
                    _discard(_SERVER)
                    _SERVER = None
                if _SERVER is None:
                    _SERVER = _start()
                server = _SERVER
            assert server.stdin is not None and server.stdout is not None
            try:
                frames.send(server.stdin, request)
                parts = frames.receive_parts(server.stdout)
            except (OSError, EOFError):
                with _STARTING:
                    _discard(server)
                    if _SERVER is server:
                        _SERVER = None
                if cancel.is_set() or _STOPPED:
                    raise Cancelled("the request was cancelled") from None
                if attempt == 2:
                    raise
                continue
            if "error" in parts.answer:  # the user's file or disk (told as it is), else our bug
                raise (AnnotatorError if parts.answer.get("user") else RuntimeError)(str(parts.answer["error"]))
            return parts
    raise AssertionError("unreachable")


def stop() -> None:
    """End the retrain process as this process ends (it would also end by itself). A request in flight (a thread
    holding :data:`_LOCK`, waiting for its answer) is not waited for: its process is killed, the request ends with
    :class:`Cancelled`, and no request starts another process after this. Taking ``_LOCK`` here made a window
    closed mid-training hang at exit until the training ended, minutes in the idle class on a busy machine (seen:
    benchmark probes left waiting)."""
    global _SERVER, _STOPPED
    with _STARTING:
        _STOPPED = True
        server, _SERVER = _SERVER, None
    if server is None:
        return
    if _LOCK.locked():  # a request waits for its answer: nobody will read it
        _discard(server)
        return
    if server.stdin is not None:
        with contextlib.suppress(OSError):
            server.stdin.close()
    try:
        server.wait(5)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    if server.stdout is not None:
        server.stdout.close()


atexit.register(stop)


def _exit_with(parent: int) -> None:
    """Stop this process as soon as the window that started it is gone, even mid-training: its stdin ends only once
    no process holds the pipe's other end, and a training can run for minutes with nobody left to read its answer
    (seen: an orphan cross-validating at full CPU for 4 minutes after its window was killed)."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(0)


def _yield_to_everything() -> None:
    """Run only on a CPU nothing else wants (Linux ``SCHED_IDLE``; elsewhere the lowest nice). At nice 5 a training
    of 100 000 statements still took its share of both cores from the window's threads: the window's thread waited
    for a CPU 34 of the 35 ms of its worst stall while a colleague file was compared (measured, issue #14). An idle
    task is preempted at once when another wakes, and a training is never in a hurry."""
    if hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_IDLE"):
        with contextlib.suppress(OSError):
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
            return
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(19)


def serve() -> None:
    """The retrain process: a request in, its answer (or the exception's message) out, until its stdin ends or the
    window is gone."""
    _yield_to_everything()  # first: the threads started after (this one's, numpy's) inherit it
    threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True, name="exit-with-window").start()
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing printed may mix with the answers
    while True:
        try:
            request = frames.receive(stdin)
        except EOFError:
            return
        try:
            answer = handle(request)
        except AnnotatorError as exc:  # the project's file or disk: its own message, as the window words them
            answer = {"error": exc.message, "user": True}
        except Exception as exc:  # the window reports it; the process goes on
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        frames.send_answer(stdout, answer)


if __name__ == "__main__":
    from annotator.core.suggest import batch  # the module under its own name (its classes, its caches)

    batch.serve()
