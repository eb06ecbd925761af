"""The window's background threads, none of which ever runs the cycle collector.

A collector pass runs in whichever thread allocates when the counts are reached, and frees every unreachable cycle,
those of closed windows and dialogs too: Qt objects. Freed in a background thread, PySide deletes them there holding
a Qt lock, while the window's thread, holding the interpreter's lock, waits for that Qt lock: each waits on the
other for good (seen in CI, a Corpus window's job; any thread that allocates can start a pass). So every background
thread runs its work with the collector paused (``gcpause.collector_paused``), and when the last one ends, the
window's thread turns it back on (:func:`install`): the passes the work's objects made due run there.

:class:`Thread` is the ``QThread`` for such work (override :meth:`Thread.work`, not ``run``); :func:`thread` the
same for a plain ``threading.Thread``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal

from annotator import gcpause


class _Waker(QObject):
    """Lives on the window's thread; :meth:`wake`, from any thread, has it :func:`gcpause.settle` there."""

    woken = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.woken.connect(self._settle, Qt.ConnectionType.QueuedConnection)

    def wake(self) -> None:
        self.woken.emit()

    def _settle(self) -> None:
        gcpause.settle()


_waker: _Waker | None = None


def install() -> None:
    """Have the window's thread turn the collector back on after background work (once; on the window's thread)."""
    global _waker
    if _waker is None and QCoreApplication.instance() is not None \
            and threading.current_thread() is threading.main_thread():
        _waker = _Waker()
        gcpause.set_waker(_waker.wake)


class Thread(QThread):
    """A ``QThread`` whose :meth:`work` runs with the collector paused process-wide."""

    def start(self, priority: QThread.Priority = QThread.Priority.InheritPriority) -> None:
        install()
        super().start(priority)

    def run(self) -> None:
        with gcpause.collector_paused():
            self.work()

    def work(self) -> None:
        raise NotImplementedError


def thread(target: Callable[[], object], name: str) -> threading.Thread:
    """A started daemon ``threading.Thread`` running ``target`` with the collector paused."""
    install()

    def run() -> None:
        with gcpause.collector_paused():
            target()

    started = threading.Thread(target=run, name=name, daemon=True)
    started.start()
    return started
