"""The rotating backups of the project a window edits: on open, and every few minutes of work."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

from annotator.errors import AnnotatorError
from annotator.store import Project, backups
from annotator.ui import background
from annotator.ui.mainwindow import MainWindow
from annotator.ui.palette import PROBLEM_COLOR
from annotator.ui.text import plain, plain_tooltip

#: minutes of work between two periodic backups (``ANNOTATOR_BACKUP_MINUTES`` overrides it, e.g. for tests)
BACKUP_MINUTES = 5.0


class AutoBackup(QObject):
    """Rotating backups of the project the window edits (``store/backups.py``): one when a project is opened,
    then one every :data:`BACKUP_MINUTES` while there is work to keep.

    A backup runs in a background thread on its own SQLite connection (a snapshot read: labelling goes on while
    it is copied; a 50 MB project takes ~0.2 s). One that fails (the backup folder is full or read-only) says so
    in the status bar, and "No backup" stays there (why, in its tooltip) until one is made; it is tried again at the
    next interval; the work itself is never stopped.
    """

    #: reason, the backup made (Path) or None, the error message or None -- sent from the backup thread
    done = Signal(object, object, object)

    def __init__(self, window: MainWindow, minutes: float | None = None) -> None:
        super().__init__(window)
        self.window = window
        if minutes is None:
            minutes = float(os.environ.get("ANNOTATOR_BACKUP_MINUTES", "") or BACKUP_MINUTES)
        self.project: Project | None = None
        self.marker: tuple[int, int] | None = None  # what the project held at the last backup
        self.last: Path | None = None  # the last backup made
        self.last_error: str | None = None
        self._thread: threading.Thread | None = None
        self._pending: tuple[int, int] | None = None
        self.done.connect(self._finished)
        #: in the status bar while the last backup failed: a message that lasts 15 s is easily missed
        self.failed_label = plain(QLabel("No backup"))
        self.failed_label.setStyleSheet(f"color: {PROBLEM_COLOR}; font-weight: bold")
        self.failed_label.hide()
        window.statusBar().addPermanentWidget(self.failed_label)
        self.timer = QTimer(self)
        self.timer.setInterval(max(1, int(minutes * 60_000)))
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        # a new project in the window (File ▸ Open, a recent project, a restore) is backed up once opened
        window.undo_group.activeStackChanged.connect(lambda _stack: QTimer.singleShot(0, self.check_project))
        QTimer.singleShot(0, self.check_project)  # once the window is up: it never delays the first paint

    def _current(self) -> Project:
        return self.window.session.project  # type: ignore[no-any-return]

    def _marker(self, project: Project) -> tuple[int, int]:
        row = project.conn.execute("SELECT coalesce(max(id), 0) FROM history").fetchone()
        return int(row[0]), int(project.conn.total_changes)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def check_project(self) -> None:
        project = self._current()
        if project is not self.project:
            self.project = project
            self.marker = None
            self.backup("open")

    def tick(self) -> None:
        """Every few minutes: back up if anything changed since the last backup."""
        self.check_project()
        project = self._current()
        try:
            changed = self.marker is None or self._marker(project) != self.marker
        except (sqlite3.Error, AnnotatorError):  # a closed or broken project: nothing to back up now
            return
        if changed:
            self.backup("periodic")

    def backup(self, reason: str, wait: bool = False) -> Path | None:
        """Start a backup (``wait``: and wait for it); returns the backup made when waiting, else None."""
        project = self._current()
        if project.readonly or self.running:
            return None
        try:
            self._pending = self._marker(project)
        except (sqlite3.Error, AnnotatorError):  # the project cannot be read now: the next action will say why
            return None
        path = project.path

        def work() -> None:
            try:
                made, problem = backups.backup_in_own_connection(path, reason), None
            except (AnnotatorError, OSError) as exc:
                made, problem = None, str(exc)
            with contextlib.suppress(RuntimeError):  # the window closed meanwhile
                self.done.emit(reason, made, problem)

        if wait:
            work()
            return self.last if self.last_error is None else None
        self._thread = background.thread(work, "annotator-backup")
        return None

    def join(self, timeout: float | None = None) -> None:
        """Wait for a backup in progress (before a restore, or in tests), and take in its outcome."""
        if self._thread is not None:
            self._thread.join(timeout)
        QCoreApplication.sendPostedEvents(self)

    def _finished(self, _reason: str, made: Path | None, problem: str | None) -> None:
        self._thread = None
        if problem is not None:
            self.last_error = problem
            self.window.statusBar().showMessage(
                f"Backup failed (your work is saved; retrying later): {problem}", 15000
            )
            self.failed_label.setToolTip(plain_tooltip(
                f"The last backup of this project failed: {problem}\n\nYour work is saved in the project; "
                "Annotator tries again every few minutes of work."))
            self.failed_label.show()
            return
        self.last = made
        self.marker = self._pending
        self.last_error = None
        self.failed_label.hide()
