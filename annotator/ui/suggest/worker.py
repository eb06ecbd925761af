"""Suggestions off the GUI thread (issue 13): the window sends the retrain process (``core/suggest/batch.py``) one
request at a time -- the project file's path, never its texts -- and a QThread waits for the answer. Nothing is
read on the GUI thread: the process opens the file read-only itself.

The waiting thread only reads the answer's bytes (``frames.Parts``: no object the cycle collector tracks); the GUI
thread decodes its frames, a few each turn of its event loop (:data:`DECODE_BUDGET`). Decoded in the waiting
thread, they made that thread hold the interpreter's lock and start the collector's passes, which hold every
thread: when the machine preempted it meanwhile, the event loop waited 20-60 ms for the lock (traced with
``gc.callbacks`` and the threads' schedstat, issue 13).

The order, newest data first: after a change (debounced) the next request is a training on the labelled
statements; then the statements in :meth:`Retrainer.focus` (the open one and the next few); then the
cross-validation; then, while :attr:`Retrainer.corpus_wanted`, the corpus in batches by id. A change met half-way
drops what was under way at the next request (a training, a batch: seconds at most) and starts over; a request's
answer made before the change is dropped.
"""

from __future__ import annotations

import atexit
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from annotator import gcpause, pacing
from annotator.core.suggest import batch, frames
from annotator.errors import AnnotatorError
from annotator.ui import background

DEBOUNCE_MS = 800
#: changes made by another process (an `annotator import` committing batch after batch) are seen once a poll, a
#: second apart (``ui/watch``): learned from once three polls have seen none, not restarted at each
OUTSIDE_QUIET_MS = 3000
#: statements per corpus batch (about a second of suggesting at 2 000 characters a statement)
BATCH = 100
#: running threads, held here rather than by a Qt parent: a window deleted while its retrain runs must not take
#: a running QThread down with it (Qt aborts the process then); each leaves this set when it has finished
_RUNNING: set[QThread] = set()
#: the window's thread decodes an answer's frames (``frames.Parts``) for at most this long a turn of its event loop
#: (one frame at least: 16 statements, about 1 ms)
DECODE_BUDGET = 0.003
_switching = False


def _running_changed() -> None:
    """The interpreter's switch interval lowered while any request runs (``pacing.switch_quickly``: the worker
    thread decodes each frame of an answer in Python, and the window's thread waking for its next event waits for
    the GIL up to one interval; at 1 ms its median wake-up delay beside such a thread went from 4-7 ms to 3,
    measured loaded), given back when none does."""
    global _switching
    if _RUNNING and not _switching:
        pacing.switch_quickly()
        _switching = True
    elif not _RUNNING and _switching:
        pacing.switch_back()
        _switching = False


@atexit.register
def _end_running() -> None:
    """A process that ends with a request under way (its window never closed: ``app.exec()`` left another way, a
    script or probe that returns) kills the retrain process and waits for each thread, as a closing window does.
    Left to the interpreter's teardown, a still-running QThread is destroyed with this module's set and Qt aborts
    the process ("QThread: Destroyed while thread is still running", seen in the memory probe). Registered after
    :mod:`batch`'s own exit handler, so it runs before it."""
    for thread in list(_RUNNING):
        if thread.isRunning():
            batch.abort(thread.cancel)
        thread.wait(10_000)  # seconds at most: its process is killed, its read ends at once
    _RUNNING.clear()


class _Thread(background.Thread):
    def __init__(self, kind: str, request: dict[str, Any], generation: int, threshold: float = 0.5) -> None:
        super().__init__()
        self.kind = kind
        self.request = request
        self.generation = generation
        self.threshold = threshold
        self.result: Any = None
        self.error: str | None = None
        self.cancel = threading.Event()

    def work(self) -> None:  # the worker thread: no Qt widget, no project connection here
        try:
            # only the answer's bytes here: its frames are decoded on the window's thread, a few a turn of its
            # event loop (:meth:`Retrainer._decode`). Decoded here, this thread held the interpreter's lock while it
            # made them into objects and set off the cycle collector's passes with every thread held; preempted
            # meanwhile on a busy machine, it stalled the event loop for 20-60 ms (measured, issue 13)
            if self.kind == "train":
                self.result = batch.ask(self.request, self.cancel)
            else:
                self.result = batch.ask_parts(self.request, self.cancel)
        except AnnotatorError as exc:  # the project's file or disk: its own message (trial 11, L6)
            self.error = exc.message
        except Exception as exc:  # reported in the window's status bar; the last good model stays
            self.error = f"{type(exc).__name__}: {exc}"

    def make_result(self) -> None:
        """The answer's frames decoded (:class:`frames.Parts`, by :meth:`Retrainer._decode`) made into what the
        window keeps."""
        answer = self.result.whole()
        if self.kind in ("focus", "corpus"):
            docs, texts = {}, {}
            for doc_id, title, rows, its_texts in answer["docs"]:
                docs[doc_id] = (title, rows)
                texts[doc_id] = its_texts
            asked = tuple(int(i) for i in self.request["doc_ids"]) if "doc_ids" in self.request else None
            self.result = Arrived(docs, texts, int(answer["last"]), bool(answer["more"]), str(answer["version"]),
                                  batch.stopped_of(answer), asked, int(self.request.get("after", 0)))
        else:
            evaluation = batch.evaluation_from_json(answer["evaluation"])
            # the figures at the window's threshold come computed by the process (50 ms of matching on 100
            # statements, not for the window's thread)
            figures = batch.figures_from_json(answer.get("figures"))
            self.result = (evaluation, {self.threshold: figures if figures is not None
                                        else evaluation.figures(self.threshold)})

    @property
    def each(self) -> Any:
        """What each item of the answer's long list is made into."""
        return batch.region_from_json if self.kind == "evaluate" else batch.doc_from_json


@dataclass
class Arrived:
    """Suggestions for some statements, as the window keeps them: doc_id -> (title, its suggestions as plain tuples
    (``batch.Row``)); doc_id -> their texts in the same order, kept by statement (the window's merge of a batch's
    5 000 texts into one dict of the corpus's took 1-8 ms of the GUI thread, measured; by statement it merges
    100); ``last``, ``more``: as in ``batch.Suggested``."""

    docs: dict[int, tuple[str, tuple[batch.Row, ...]]]
    texts: dict[int, tuple[str, ...]]
    last: int
    more: bool
    version: str
    stopped: tuple[str, ...] = ()  # the cue patterns stopped for running too long (``batch.stopped_of``)
    #: the statements asked for (a focus request), or None: a corpus batch, which read every statement after
    #: ``after`` up to ``last`` (to the end when not ``more``)
    asked: tuple[int, ...] | None = None
    after: int = 0

    def gone(self, known: Any) -> list[int]:
        """Those of ``known`` (doc ids) this answer covered but holds no suggestions for: statements it did not read
        (skipped, here or by another process) or that have none now. The window drops theirs, as ``annotator
        suggest`` leaves a skipped statement out (trial 10, D13: a skipped statement's 169 suggestions stayed
        listed, drawn, and accepted by "Accept all listed")."""
        if self.asked is not None:
            return [d for d in self.asked if d in known and d not in self.docs]
        # a batch covers a short run of ids: looked up by id, not by going through every statement known (100 000
        # of them for each batch of 100, 3 ms of the window's thread a batch at the end of a corpus pass)
        top = self.last if self.more else max(known, default=self.after)
        if top - self.after <= len(known):
            return [d for d in range(self.after + 1, top + 1) if d in known and d not in self.docs]
        return [d for d in known if self.after < d and (not self.more or d <= self.last) and d not in self.docs]


class Retrainer(QObject):
    """``schedule()`` after a change, ``focus(doc_ids)`` when a statement opens; the answers come as signals."""

    trained = Signal(object)  # {"version", "spans", "documents", "seconds", "cpu"}
    suggested = Signal(object, bool)  # Arrived, whether it is a corpus batch
    evaluated = Signal(object, object)  # Evaluation, {threshold: its figures}
    failed = Signal(str)
    started = Signal()
    corpusDone = Signal()

    def __init__(self, path_of: Any, parent: QObject) -> None:
        super().__init__(parent)
        self.path_of = path_of  # () -> the project file's path
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.start_now)
        self.thread: _Thread | None = None
        self.generation = 0
        self.need_train = False
        self.need_eval = False
        self.focused: list[int] = []
        self.need_focus = False
        self.corpus_wanted = True
        self.cursor = 0  # the corpus's batches go on after this doc_id
        self.corpus_done = False
        self.stopped = False
        self.threshold = 0.5  # the figures come computed at this threshold
        #: the answer of the finished request in :attr:`thread` being decoded, a few frames a turn
        self.decode_timer = QTimer(self)
        self.decode_timer.setSingleShot(True)
        self.decode_timer.setInterval(0)
        self.decode_timer.timeout.connect(self._decode)

    # ------------------------------------------------------------------ asked by the controller
    def schedule(self, quiet_ms: int = DEBOUNCE_MS) -> None:
        """Learn anew once nothing has changed for ``quiet_ms`` (a wait already longer is kept: changes made
        elsewhere, seen once a poll, ask for longer than the poll)."""
        waiting = self.timer.remainingTime() if self.timer.isActive() else 0
        self.timer.start(max(quiet_ms, waiting))

    def busy(self) -> bool:
        """A request under way, or its answer being decoded."""
        return self.thread is not None

    def idle(self) -> bool:
        """Nothing under way and nothing left to ask (the corpus included, when wanted)."""
        return (self.thread is None and not self.timer.isActive() and not self.need_train and not self.need_eval
                and not self.need_focus and (self.corpus_done or not self.corpus_wanted))

    def start_now(self) -> None:
        """Newest data wins: a training next, then everything after it again."""
        self.timer.stop()
        self.stopped = False
        self.generation += 1
        self.need_train = self.need_eval = True
        self.need_focus = bool(self.focused)
        self.cursor, self.corpus_done = 0, False
        self._kick()

    def focus(self, doc_ids: list[int]) -> None:
        """Suggest for these statements next (before the cross-validation and the corpus)."""
        self.focused = list(doc_ids)
        self.need_focus = bool(doc_ids)
        self._kick()

    def want_corpus(self, wanted: bool) -> None:
        self.corpus_wanted = wanted
        self._kick()

    def stop(self) -> None:
        """Drop everything: a request under way is ended by killing the retrain process, not waited for (the
        window closes at once)."""
        self.stopped = True
        _thaw()
        self.timer.stop()
        self.need_train = self.need_eval = self.need_focus = False
        self.corpus_wanted = False
        self.decode_timer.stop()
        if self.thread is not None:
            if self.thread.isRunning():  # (not one whose answer was being decoded: the process is idle)
                batch.abort(self.thread.cancel)
            self.thread.wait()
            _RUNNING.discard(self.thread)
            _running_changed()
            self.thread = None

    # ------------------------------------------------------------------ the requests, one at a time
    def _next(self) -> tuple[str, dict[str, Any]] | None:
        path = str(Path(self.path_of()))
        if self.need_train:
            return "train", {"op": "train", "path": path}
        if self.need_focus:
            return "focus", {"op": "suggest", "path": path, "doc_ids": self.focused}
        if self.need_eval:
            return "evaluate", {"op": "evaluate", "path": path, "threshold": self.threshold}
        if self.corpus_wanted and not self.corpus_done:
            return "corpus", {"op": "suggest", "path": path, "after": self.cursor, "limit": BATCH}
        return None

    def _kick(self) -> None:
        if self.thread is not None or self.stopped:
            return
        job = self._next()
        if job is None:
            return
        kind, request = job
        if kind == "train":
            self.started.emit()
        thread = self.thread = _Thread(kind, request, self.generation, self.threshold)
        _RUNNING.add(thread)
        _running_changed()
        thread.finished.connect(self._finished)
        thread.start(QThread.Priority.LowPriority)

    def _finished(self) -> None:
        thread = self.thread
        if thread is None or thread.isRunning():  # stopped meanwhile, or another's late signal
            return
        thread.wait()
        _RUNNING.discard(thread)
        if thread.error is None and isinstance(thread.result, frames.Parts) and thread.generation == self.generation:
            _running_changed()
            self._decode()  # the thread stays :attr:`thread` (busy) until its answer is decoded
            return
        self.thread = None
        try:
            self._answered(thread)
        finally:
            _running_changed()  # the interval given back unless the answer started the next request

    def _decode(self) -> None:
        """Some of the finished request's frames decoded (:data:`DECODE_BUDGET`), the rest at the next turn; then
        the answer is given."""
        thread = self.thread
        if thread is None or thread.isRunning() or not isinstance(thread.result, frames.Parts):
            return
        if thread.generation != self.generation:  # a change meanwhile: dropped undecoded
            self.thread = None
            self._kick()
            return
        parts, each = thread.result, thread.each
        deadline = time.perf_counter() + DECODE_BUDGET
        try:
            while parts.step(each) and time.perf_counter() < deadline:
                pass
            if not parts.done:
                self.decode_timer.start()
                return
            thread.make_result()
        except Exception as exc:  # a frame that is not what it should be: reported like a failed request
            thread.result, thread.error = None, f"{type(exc).__name__}: {exc}"
        self.thread = None
        self._answered(thread)

    def _answered(self, thread: _Thread) -> None:
        if thread.generation != self.generation:  # made before the newest change: dropped
            self._kick()
            return
        if thread.error:
            # the same request is not asked again until the next change (a damaged file would loop)
            self.need_train = self.need_eval = self.need_focus = False
            self.corpus_done = True
            self.failed.emit(thread.error)
            return
        if thread.kind == "train":
            _freeze_old_objects()
            self.need_train = False
            self.need_focus = bool(self.focused)
            self.trained.emit(thread.result)
        elif thread.kind == "focus":
            if thread.request.get("doc_ids") == self.focused:
                self.need_focus = False
            self.suggested.emit(thread.result, False)
        elif thread.kind == "evaluate":
            self.need_eval = False
            self.evaluated.emit(*thread.result)
        else:
            result = thread.result
            self.cursor = result.last
            self.corpus_done = not result.more
            self.suggested.emit(result, True)
            if self.corpus_done:
                self.corpusDone.emit()
        self._kick()


#: whether this process's objects of before the first training are kept out of the cycle collector's passes
_FROZEN = False


def _freeze_old_objects() -> None:
    """Keep the objects the window has made so far (its widgets' wrappers, modules: about 100 000) out of the cycle
    collector's full passes (``gc.freeze``). A full pass is started by whichever thread allocates at that moment --
    here the retrain's thread decoding an answer -- and holds every thread meanwhile: over those objects it took
    150-250 ms on a loaded machine, the event loop's worst stall during a retrain (measured). They are long-lived;
    :func:`_thaw` gives them back to the collector when the window closes."""
    global _FROZEN
    if not _FROZEN:
        gcpause.hold()
        _FROZEN = True


def _thaw() -> None:
    global _FROZEN
    if _FROZEN:
        gcpause.release()
        _FROZEN = False
