"""Retraining off the GUI thread (issue 13): a snapshot of the project read on the GUI thread (one query; the
project's connection never leaves it), then training, cross-validation and the corpus's suggestions in the retrain
process (``core/suggest/batch.py``), waited for by a QThread.
Changes restart a debounce timer; a retrain asked for while one runs starts when it ends, on the newest data.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from annotator.core.suggest.batch import Snapshot, Trained, abort, run_elsewhere
from annotator.core.suggest.suggester import TrainingDoc
from annotator.errors import AnnotatorError
from annotator.store import Project
from annotator.store import suggest as store

DEBOUNCE_MS = 800
#: running threads, held here rather than by a Qt parent: a window deleted while its retrain runs must not take
#: a running QThread down with it (Qt aborts the process then); each leaves this set when it has finished
_RUNNING: set[QThread] = set()


def snapshot(project: Project) -> Snapshot:
    label_cues = store.cues(project)
    spans: dict[int, list[tuple[int, int, str]]] = {}
    for doc_id, start, end, label in project.conn.execute('SELECT doc_id, start, "end", label FROM spans'):
        spans.setdefault(doc_id, []).append((start, end, label))
    refused: dict[int, set[tuple[int, int, str]]] = {}
    for doc_id, start, end, label in store.rejected(project):
        refused.setdefault(doc_id, set()).add((start, end, label))
    rows = project.conn.execute("SELECT id, text, status FROM documents WHERE status != 'skipped' ORDER BY id")
    training: list[TrainingDoc] = []
    candidates = []
    for doc_id, text, status in rows:
        mine = sorted(spans.get(doc_id, ()))
        if status == "done" or mine:
            training.append(TrainingDoc(doc_id, text, tuple(mine), status == "done"))
        candidates.append((doc_id, text, mine, refused.get(doc_id, set())))
    return Snapshot(list(label_cues), label_cues, training, candidates)


class _Thread(QThread):
    def __init__(self, snap: Snapshot) -> None:
        super().__init__()
        self.snap = snap
        self.result: Trained | None = None
        self.error: str | None = None

    def run(self) -> None:  # the worker thread: no Qt widget, no project connection here
        try:
            self.result = run_elsewhere(self.snap)
        except Exception as exc:  # reported in the window's status bar; the last good model stays
            self.error = f"{type(exc).__name__}: {exc}"


class Retrainer(QObject):
    """``schedule()`` after a change; ``trained(Trained)`` when a retrain has finished."""

    trained = Signal(object)
    failed = Signal(str)
    started = Signal()

    def __init__(self, project_of: Any, parent: QObject) -> None:
        super().__init__(parent)
        self.project_of = project_of  # () -> the window's current Project
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.start_now)
        self.thread: _Thread | None = None
        self.pending = False

    def schedule(self) -> None:
        self.timer.start()

    def busy(self) -> bool:
        return self.thread is not None

    def start_now(self) -> None:
        if self.thread is not None:
            self.pending = True
            return
        self.pending = False
        try:
            snap = snapshot(self.project_of())
        except (AnnotatorError, sqlite3.Error) as exc:  # a text SQLite cannot read, a disk error: no retrain
            self.failed.emit(str(exc))
            return
        except TypeError:  # a span whose offsets are not numbers: the background check names it; no retrain
            self.failed.emit("the project file is damaged (a span's values are of the wrong type); "
                             "run annotator check")
            return
        thread = self.thread = _Thread(snap)
        _RUNNING.add(thread)
        thread.finished.connect(self._finished)
        self.started.emit()
        thread.start(QThread.Priority.LowPriority)

    def _finished(self) -> None:
        thread, self.thread = self.thread, None
        if thread is None:
            return
        thread.wait()
        _RUNNING.discard(thread)
        if thread.error:
            self.failed.emit(thread.error)
        elif thread.result is not None:
            self.trained.emit(thread.result)
        if self.pending:
            self.start_now()

    def stop(self) -> None:
        self.timer.stop()
        self.pending = False
        if self.thread is not None:
            abort()  # a training under way is dropped, not waited for: the window closes at once
            self.thread.wait()
            _RUNNING.discard(self.thread)
            self.thread = None
