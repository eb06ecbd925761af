"""Corpus figures computed off the GUI thread: a :class:`Job` runs one function on its own read-only connection to
the project (``review_report.reader``: SQLite shares one lock state per file within a process, so the window's
locks are kept) and hands the result back to the GUI thread. A newer job of the same kind replaces an older one,
whose query is interrupted (``sqlite3.Connection.interrupt``), so changing a chooser quickly never queues work.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from annotator.errors import AnnotatorError
from annotator.store.project import Project
from annotator.store.review_report import reader
from annotator.ui import background


class _Thread(background.Thread):
    finishedWith = Signal(object, str)

    def __init__(self, project: Project, fn: Callable[[sqlite3.Connection], Any]) -> None:
        super().__init__()
        self.reader = reader(project)
        self.fn = fn
        self.cancelled = False
        self._lock = threading.Lock()  # the connection is closed by the thread, interrupted by the GUI thread
        self._open = True

    def cancel(self) -> None:
        self.cancelled = True
        with self._lock:
            if self._open:
                self.reader.conn.interrupt()

    def work(self) -> None:
        result: Any = None
        problem = ""
        try:
            result = self.fn(self.reader.conn)
        except AnnotatorError as exc:
            problem = str(exc)
        except sqlite3.OperationalError as exc:
            problem = "" if self.cancelled else f"cannot read the project: {exc}"
        finally:
            with self._lock:
                self._open = False
                self.reader.close()
        self.finishedWith.emit(result, problem)


class Jobs(QObject):
    """At most one running job per kind; ``done(kind, result)`` or ``failed(kind, message)`` on the GUI thread."""

    done = Signal(str, object)
    failed = Signal(str, str)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._running: dict[str, _Thread] = {}
        self._old: list[_Thread] = []

    def start(self, kind: str, project: Project, fn: Callable[[sqlite3.Connection], Any]) -> None:
        old = self._running.pop(kind, None)
        if old is not None:
            old.cancel()
            self._old.append(old)
        try:
            thread = _Thread(project, fn)
        except AnnotatorError as exc:  # its connection refused (the project's files replaced meanwhile): one line
            self.failed.emit(kind, exc.message)
            return
        self._running[kind] = thread
        thread.finishedWith.connect(lambda result, problem, t=thread: self._finished(kind, t, result, problem),
                                    Qt.ConnectionType.QueuedConnection)
        thread.start()

    def busy(self) -> bool:
        return bool(self._running)

    def _finished(self, kind: str, thread: _Thread, result: Any, problem: str) -> None:
        thread.wait()
        if thread in self._old:
            self._old.remove(thread)
            return
        if self._running.get(kind) is thread:
            del self._running[kind]
        if thread.cancelled:
            return
        if problem:
            self.failed.emit(kind, problem)
        else:
            self.done.emit(kind, result)

    def stop(self) -> None:
        """Cancel and wait for every job (the window closes)."""
        for thread in [*self._running.values(), *self._old]:
            thread.cancel()
            thread.wait()
        self._running.clear()
        self._old.clear()
