"""Whole-project review work off the GUI thread, with progress and cancel: the agreement report, opening a
colleague's file (:func:`load_colleague_file`, after :func:`choose_offsets` asked how a doubtful doccano file counts
its offsets) and comparing it with my statements (:class:`IndexJob`).

A :class:`ReportJob` computes :func:`annotator.store.review.review_report` in a ``QThread`` on its own read-only
connection to the project file (:func:`annotator.store.review.reader`), so the window keeps painting and taking
keys while 100 000 statements are compared; the status bar shows how far it is and cancels it. The colleague
file is only read by the job (the controller does not change a loaded file, it replaces it).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QProgressDialog, QWidget

from annotator import gcpause, pacing
from annotator.core import review as core
from annotator.errors import AnnotatorError, Cancelled
from annotator.store import review as store
from annotator.store import review_index
from annotator.store.project import Project
from annotator.store.sources import is_project
from annotator.ui import background
from annotator.ui.files import offsets as offsets_ui
from annotator.ui.statusprogress import StatusProgress
from annotator.ui.text import plain


class _Thread(background.Thread):
    progressed = Signal(int, int)
    finishedWith = Signal(object, str)  # report or None, error message ("" when cancelled or done)

    def __init__(self, reader: Project, colleague_file: store.ColleagueFile, colleague: store.Colleague | None) -> None:
        super().__init__()
        self._reader, self._file, self._colleague = reader, colleague_file, colleague
        self.cancelled = False

    def _progress(self, done: int, total: int) -> None:
        if self.cancelled or self.isInterruptionRequested():
            raise Cancelled
        self.progressed.emit(done, total)

    def work(self) -> None:
        report: core.Report | None = None
        problem = ""
        try:
            with pacing.paced():  # the window's thread gets the GIL while the rows are read (annotator/pacing.py)
                # the dialog's module is loaded here, not when the report is shown (its first import froze the
                # window's thread 1.7 s when its chart still loaded numpy and pyqtgraph); here, paced between modules
                gcpause.imported("annotator.ui.review.report")
                report = store.review_report(self._reader, self._file, self._colleague, progress=self._progress)
        except Cancelled:
            self.cancelled = True
        except AnnotatorError as exc:
            problem = str(exc)
        finally:
            self._reader.close()
            self._file = None  # type: ignore[assignment]  # a closed review gives its colleague file's memory back
        self.finishedWith.emit(report, problem)


class _Job(QObject):
    """What both background jobs of the review share: a worker thread (``self.worker``, with a ``cancelled`` flag)
    that is asked to stop, and waited for, the same way."""

    worker: Any

    @property
    def running(self) -> bool:
        return bool(self.worker.isRunning())

    def cancel(self) -> None:
        self.worker.cancelled = True
        self.worker.requestInterruption()

    def wait(self) -> None:
        """Stop and wait for the thread (closing the review, the window or the project)."""
        self.cancel()
        self.worker.wait()

    def _watch(self, window: QObject) -> None:
        """Stop the thread when the window closes (its native window hides) or the application quits: a thread still
        running as the process ends makes Qt abort it ("QThread: Destroyed while thread is still running"). Signals,
        not an event filter on the window (the report had one): a filter written in Python is called for every event
        the window gets, each call a wait for the interpreter's lock, which the thread holds most of the time it runs
        (issue #14)."""
        handle = window.windowHandle() if isinstance(window, QWidget) else None
        app = QCoreApplication.instance()
        self._watched: list[tuple[Any, Any]] = []  # (signal, slot)
        if handle is not None:
            self._watched.append((handle.visibleChanged, self._window_visible))
        if app is not None:
            self._watched.append((app.aboutToQuit, self._stop))
        for signal, slot in self._watched:
            signal.connect(slot)
        self.worker.finished.connect(self._unwatch, Qt.ConnectionType.QueuedConnection)

    def _unwatch(self) -> None:
        """Let go of the window's and the application's signals (they would keep this job alive)."""
        for signal, slot in self._watched:
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(slot)
        self._watched = []

    def _window_visible(self, visible: bool) -> None:
        if not visible:
            self._stop()

    def _stop(self) -> None:
        if self.worker.isRunning():
            self.wait()


class ReportJob(_Job):
    """One report being computed; ``done(report)`` when ready, ``failed(message)``, or nothing if cancelled."""

    done = Signal(object)
    failed = Signal(str)
    ended = Signal()

    def __init__(self, parent: QMainWindow, project: Project, colleague_file: store.ColleagueFile,
                 colleague: store.Colleague | None) -> None:
        super().__init__(parent)
        self.worker = _Thread(store.reader(project), colleague_file, colleague)
        self.progress: StatusProgress | None = None
        self.worker.progressed.connect(self._progressed)
        self.worker.finishedWith.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self._watch(parent)  # closing the window stops the job

    def start(self) -> None:
        # in the status bar, shown as the answer to the click: a progress dialog (a window of its own, shown then or
        # after a minimum duration) made Qt repaint the whole main window as it lost the activation, 10-20 ms of
        # this thread while the report's thread competed for the GIL: the window's worst stall (issue #14)
        window = self.parent()
        assert isinstance(window, QMainWindow)
        self.progress = StatusProgress(window, "Agreement report: comparing the statements…", "report_progress",
                                       "Stop the agreement report")
        self.progress.canceled.connect(self.cancel)
        self.worker.start()

    def _progressed(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.progress(done, total)

    def _finished(self, report: Any, problem: str) -> None:
        self.worker.wait()
        if self.progress is not None:
            self.progress.finish()
            self.progress = None
        self._unwatch()
        if report is not None and not self.worker.cancelled:
            self.done.emit(report)
        elif problem:
            self.failed.emit(problem)
        self.ended.emit()


class _LoadThread(background.Thread):
    """``read(thread)`` in a thread of its own: what it gives is ``loaded``; ``cancelled`` is set by the progress
    dialog's Cancel (and once the read stopped on it), ``problem`` is why the file could not be read."""

    progressed = Signal(int, int)

    def __init__(self, read: Callable[[_LoadThread], Any]) -> None:
        super().__init__()
        self._read = read
        self.cancelled = False
        self.loaded: Any = None
        self.problem: str | None = None

    def report(self, done: int, total: int, _text: str = "") -> None:
        """The read's progress (as ``ui/files/job.Job.report``); raises ``Cancelled`` once the user cancelled."""
        if self.cancelled:
            raise Cancelled
        self.progressed.emit(done, total)

    def work(self) -> None:
        try:
            self.loaded = self._read(self)
        except Cancelled:
            self.cancelled = True
        except (AnnotatorError, OSError, ValueError) as exc:
            self.problem = str(exc)


def _in_thread(parent: QWidget, worker: _LoadThread, label: str, name: str) -> tuple[Any, str | None]:
    """Run ``worker`` while the window keeps running, with a progress dialog that cancels it; (what it found, None),
    (None, the problem), or (None, None) if cancelled. The caller waits in a local event loop, so it reads like a
    plain call; the window paints and answers meanwhile."""
    dialog = QProgressDialog(parent)
    dialog.setLabel(plain(QLabel(label)))  # a file name is shown as it is, never as rich text
    dialog.setCancelButtonText("Cancel")
    dialog.setRange(0, 0)
    dialog.setObjectName(name)
    dialog.setWindowTitle("Open colleague file")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)  # no second open or edit while it is read
    dialog.setMinimumDuration(300)

    ended: list[bool] = []

    def cancel() -> None:
        worker.cancelled = True

    def progressed(done: int, total: int) -> None:
        if ended:  # a progress still queued when the read ended: the dialog is gone
            return
        if dialog.maximum() != total:
            dialog.setMaximum(total)
        dialog.setValue(done)

    dialog.canceled.connect(cancel)
    worker.progressed.connect(progressed)
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    worker.start()
    if not worker.isFinished():
        loop.exec()
    worker.wait()
    # Gone at once, before the caller opens anything (an error box, the reader's notes, the offsets question):
    # deleted later, it lived on in that box's loop, where a progress still queued from a read that ended before
    # the window waited for it (a small file) set its value, which starts its "show after 300 ms" timer again, and
    # it showed itself over the box (trial 11, L4).
    ended.append(True)
    dialog.reset()
    dialog.hide()
    shiboken6.delete(dialog)
    found, worker.loaded = worker.loaded, None  # the dialog's slots keep the thread a while: not the file
    return found, worker.problem


def load_colleague_file(parent: QWidget, path: Path, offsets: Mapping[Path, str] | None = None
                        ) -> tuple[store.ColleagueFile | None, str | None]:
    """Read a colleague file in a thread (its own read-only connection) while the window keeps running, with a
    progress dialog that cancels it; returns (the file, None), (None, the problem), or (None, None) if cancelled.
    ``offsets``: the counting chosen for each doubtful doccano file (:func:`choose_offsets`)."""
    worker = _LoadThread(lambda thread: store.ColleagueFile.load(path, thread.report, offsets))
    return _in_thread(parent, worker, f"Reading {path.name}…", "colleague_progress")


def choose_offsets(parent: QWidget, path: Path) -> tuple[dict[Path, str] | None, str | None]:
    """Before an export is read for review: how each doccano file in it whose offsets read as plausibly in two
    countings counts them, asked as File ▸ Import asks (``ui/files/offsets.py``): the files read for doubts in a
    thread, the question on the window's thread. (the answers, None) -- None when nothing was in doubt, so nothing
    was asked -- or (None, the problem); raises ``Cancelled`` when the user cancels the reading or the question
    (nothing is opened). A project is never asked about."""
    def doubts(thread: _LoadThread) -> list[Any]:  # a project is never asked about; a missing file: the load says so
        return [] if not path.exists() or is_project(path) else offsets_ui.find([path], thread)

    worker = _LoadThread(doubts)
    found, problem = _in_thread(parent, worker, f"Reading {path.name}…", "colleague_doubts")
    if worker.cancelled:
        raise Cancelled("cancelled: nothing was opened")
    if problem is not None:
        return None, problem
    return (offsets_ui.ask(parent, found, "Review") if found else None), None


class _IndexThread(background.Thread):
    batch = Signal(object)  # a review_index.Batch
    failed = Signal(str)

    def __init__(self, reader: Project, colleague_file: store.ColleagueFile, start: int) -> None:
        super().__init__()
        self._reader, self._file, self._start = reader, colleague_file, start
        self.cancelled = False

    def _stop(self) -> bool:
        pacing.pace()  # asked between statements and, in the whole check, every few thousand SQLite steps
        return self.cancelled or self.isInterruptionRequested()

    def work(self) -> None:
        try:
            with pacing.paced():  # the window's thread gets the GIL while the rows are read (annotator/pacing.py)
                review_index.walk(self._reader, self._file, self._start, self.batch.emit, self._stop)
                if not self._stop():
                    self._file.check_whole(cancelled=self._stop)  # a large file's whole check, now J is served
        except Cancelled:
            self.cancelled = True
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
        finally:
            self._reader.close()
            self._file = None  # type: ignore[assignment]


class IndexJob(_Job):
    """The background walk of one colleague file (``store/review_index.py``): ``batch(Batch)`` as it goes,
    ``failed(message)`` when the file turns out damaged, ``ended`` when it stops (done, cancelled or failed)."""

    batch = Signal(object)
    failed = Signal(str)
    ended = Signal()

    def __init__(self, parent: QObject, project: Project, colleague_file: store.ColleagueFile, start: int) -> None:
        super().__init__(parent)
        self.worker = _IndexThread(store.reader(project), colleague_file, start)
        self.worker.batch.connect(self.batch, Qt.ConnectionType.QueuedConnection)
        self.worker.failed.connect(self.failed, Qt.ConnectionType.QueuedConnection)
        self.worker.finished.connect(self.ended, Qt.ConnectionType.QueuedConnection)
        self._watch(parent)

    def start(self) -> None:
        self.worker.start(QThread.Priority.LowPriority)

    def dispose(self) -> None:
        """Stop, wait, and let go of everything its slots hold (the colleague file): the review is closing."""
        self.wait()
        self._unwatch()
        for signal in (self.batch, self.failed, self.ended):
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect()
        self.deleteLater()
