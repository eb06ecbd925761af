"""The whole-file check of a large project, in the background once the window is up (issue #14).

Opening a project checks what must hold before the first read (its header, version and schema) and, for a file
of a few megabytes, its contents too; a larger one is checked here instead, on a connection of its own in a
background thread, so the window opens at once and stays responsive. The check only reports: what it finds is
shown in the status bar (a permanent red label, the problem in its tooltip) and nothing is blocked or changed.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

from annotator.store import check, connection
from annotator.ui import background
from annotator.ui.palette import PROBLEM_COLOR
from annotator.ui.text import plain, plain_tooltip


class BackgroundCheck(QObject):
    """Checks each project the window opens (if it was not checked whole when opened); says what it finds."""

    #: the project's path, the problem (one line) or None -- sent from the checking thread
    done = Signal(object, object)

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.path: Path | None = None  # the project checked (or being checked)
        self.problem: str | None = None  # what the last finished check found
        self.label: QLabel | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.done.connect(self._finished)
        window.undo_group.activeStackChanged.connect(lambda _stack: QTimer.singleShot(0, self.check_project))
        window.destroyed.connect(self._stop.set)
        QTimer.singleShot(0, self.check_project)  # once the window is up: it never delays the first paint

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def check_project(self) -> None:
        path = Path(self.window.session.project.path)
        if path == self.path:
            return
        self._stop.set()  # a check of the previous project is of no use now
        self._stop = threading.Event()
        self.path = path
        self._clear()
        if _size(path) <= connection.FULL_CHECK_BYTES:
            return  # checked whole when it was opened
        stop = self._stop

        def work() -> None:
            problem = check.contents_problem(path, stop.is_set)
            if not stop.is_set():
                with contextlib.suppress(RuntimeError):  # the window was closed meanwhile
                    self.done.emit(path, problem)

        self._thread = background.thread(work, "annotator-integrity")

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _finished(self, path: Path, problem: str | None) -> None:
        if path != self.path:
            return  # another project is open now
        self.problem = problem
        if problem is None:
            return
        self._clear()
        label = plain(QLabel("Damaged: run annotator check"))
        label.setToolTip(plain_tooltip(f"{problem}\n\nNothing was changed. Run `annotator check {path}` for "
                                       "every problem, and restore a backup (Restore from Backup)."))
        label.setStyleSheet(f"color: {PROBLEM_COLOR}; font-weight: bold")
        self.window.statusBar().addPermanentWidget(label)
        self.window.statusBar().showMessage(problem, 15000)
        self.label = label

    def _clear(self) -> None:
        if self.label is not None:
            self.window.statusBar().removeWidget(self.label)
            self.label.deleteLater()
            self.label = None


def _size(path: Path) -> int:
    total = 0
    for name in (path, Path(f"{path}-wal")):
        with contextlib.suppress(OSError):  # a missing -wal adds nothing
            total += name.stat().st_size
    return total


def install(window: Any) -> BackgroundCheck:
    window.integrity = BackgroundCheck(window)
    return window.integrity  # type: ignore[no-any-return]
