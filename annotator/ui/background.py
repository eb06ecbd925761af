"""The window's background threads, none of which ever runs the cycle collector.

A collector pass runs in whichever thread allocates when the counts are reached, and frees every unreachable cycle,
those of closed windows and dialogs too: Qt objects. Freed in a background thread, PySide deletes them there holding
a Qt lock, while the window's thread, holding the interpreter's lock, waits for that Qt lock: each waits on the
other for good (seen in CI, a Corpus window's job; any thread that allocates can start a pass). So the window's
thread pauses the collector (``gcpause.pause``) before it starts a job's thread, and resumes it once the thread has
ended -- told by a queued event, after the thread's last line of Python -- so not even the thread's first or last
allocations can start a pass there; the passes the job's objects made due run on the window's thread.

:class:`Thread` is the ``QThread`` for such work (override :meth:`Thread.work`, not ``run``); :func:`thread` the
same for a plain ``threading.Thread``. Both are started on the window's thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal

from annotator import gcpause


class _Ends(QObject):
    """Lives on the window's thread: each job's end, sent from any thread, resumes the collector there."""

    ended = Signal(object)  # a plain thread that ended

    def __init__(self) -> None:
        super().__init__()
        self.ended.connect(self._joined, Qt.ConnectionType.QueuedConnection)

    def resume(self) -> None:
        gcpause.resume()

    def _joined(self, plain: threading.Thread) -> None:
        plain.join()  # the few lines of Python after its target, before the collector may run again
        gcpause.resume()


_ends: _Ends | None = None


def _receiver() -> _Ends:
    global _ends
    if _ends is None:
        _ends = _Ends()
    return _ends


class Thread(QThread):
    """A ``QThread`` whose :meth:`work` runs with the collector paused process-wide, from its start to its end."""

    def start(self, priority: QThread.Priority = QThread.Priority.InheritPriority) -> None:
        if self.isRunning():
            return  # as QThread.start: nothing
        if not getattr(self, "_counted", False):
            self.finished.connect(_receiver().resume, Qt.ConnectionType.QueuedConnection)
            self._counted = True
        gcpause.pause()
        try:
            super().start(priority)
        finally:
            if not (self.isRunning() or self.isFinished()):  # the thread could not be made: no end will come
                gcpause.resume()

    def work(self) -> None:
        raise NotImplementedError

    def run(self) -> None:
        self.work()


def thread(target: Callable[[], object], name: str, daemon: bool = True) -> threading.Thread:
    """A started ``threading.Thread`` running ``target`` with the collector paused (``daemon``: not waited for
    when the app ends)."""
    ends = _receiver()

    def run() -> None:
        try:
            target()
        finally:
            ends.ended.emit(threading.current_thread())

    started = threading.Thread(target=run, name=name, daemon=daemon)
    gcpause.pause()
    try:
        started.start()
    except BaseException:
        gcpause.resume()
        raise
    return started
