"""Changes made to the open project by other processes (``annotator import``, ``annotator vars``, a script) show
up in the window by themselves (issue 15, item 6).

A timer asks SQLite's ``PRAGMA data_version`` once a second: a few microseconds, and it moves only when another
connection committed (the window's own commits leave it as is). When it moves, the document variables (Date,
Issuer), the Documents list, the counts and the progress are read again, the codebook if it changed, and the open
statement's spans and status if they changed. Nothing the analyst is doing is disturbed: the open statement keeps
its place, caret and selected span, the undo stack is left alone (its steps name their own spans), and the
Documents list keeps its current row (without opening anything) and its scroll position.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from PySide6.QtCore import QObject, QTimer

from annotator.errors import AnnotatorError

POLL_MS = 1000


class OutsideChanges(QObject):
    """Polls the window's project; ``refresh`` re-reads what other processes may have changed."""

    def __init__(self, window: Any, interval_ms: int = POLL_MS) -> None:
        super().__init__(window)
        self.window = window
        self._seen: tuple[int, int] | None = None  # (id of the project, its data_version)
        self._ours = False  # the next change seen is a job of this window's own (:meth:`resume`)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        self.poll()

    def poll(self) -> bool:
        """Look once; True if another process changed the project since the last look (and it was refreshed)."""
        project = self.window.session.project
        try:
            version = project.data_version()
        except (sqlite3.Error, AnnotatorError):  # closed, or the disk went away: the next action will say so
            return False
        key = (id(project), version)
        seen, self._seen = self._seen, key
        ours, self._ours = self._ours, False
        if seen is None or seen[0] != key[0] or seen == key or ours:
            return False  # the first look at this project, nothing new, or a job of this window's own
        self.refresh()
        return True

    def pause(self) -> None:
        """No look while a job of this window runs in a thread (``ui/files/job.py``): its commits move the version,
        and refreshing the Documents list then (40 ms at 100 000 statements) only stalled the window."""
        self.timer.stop()

    def resume(self, ours: bool) -> None:
        """Look again after the job; ``ours``: it wrote, and its caller shows what it changed, so the next look
        takes the version as seen (else it refreshes the window a second time). Nothing is read here: a read
        failing as the job ends would be a failure no one is told of."""
        self._ours = self._ours or ours
        self.timer.start()

    def refresh(self) -> None:
        window = self.window
        session = window.session
        table = window.documents.table
        bars = (table.verticalScrollBar(), table.horizontalScrollBar())
        scrolled = [bar.value() for bar in bars]
        try:
            window.properties.changed_elsewhere()  # its variables first: the list shows and filters by them
            window.documents_changed()  # keeps the current row, without opening anything
            labels = session.project.labels()
            if labels != session.labels:
                session.labels = labels
                session.labelsChanged.emit()
            session.changed_elsewhere()  # the open statement's spans and status, its place and selection kept
            if session.document is None and window.documents.model.rowCount():
                window.open_first_unfinished()  # an empty project's first statements: as on opening a project
        except AnnotatorError as exc:
            window.statusBar().showMessage(f"Could not read the changes made elsewhere: {exc}", 6000)
            return
        for bar, value in zip(bars, scrolled, strict=True):
            bar.setValue(value)
        session.changedElsewhere.emit()  # statements, spans or statuses from elsewhere: the suggestions learn anew


def install(window: Any) -> OutsideChanges:
    return OutsideChanges(window)
