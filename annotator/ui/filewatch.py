"""Watching the open project's files for another program's hand (DESIGN.md §2.2 "Lock hygiene").

Every write already checks the files first (``Project.check_files``); this timer also checks while the analyst
only reads, so a deleted ``-wal`` or dropped locks are repaired before the next command-line run could act on
them, and the analyst is told what happened and that nothing was lost.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.errors import AnnotatorError
from annotator.store.overwrite import BeingWritten

INTERVAL_MS = 2000


class FileWatcher(QObject):
    def __init__(self, window, interval_ms: int = INTERVAL_MS) -> None:  # type: ignore[no-untyped-def]
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        self.box: QMessageBox | None = None

    def check(self) -> str | None:
        """Check now; returns what was repaired (also shown), or None."""
        project = self.window.session.project
        if project.readonly or QApplication.activeModalWidget() is not None:
            return None  # (a message the analyst is reading -- a refused write's, often this one -- is left alone)
        if project.overwritten():  # a write found it first and said so: no second message
            self.timer.stop()
            return project.overwritten()
        try:
            project.check_files()
        except BeingWritten:
            return None  # a copy onto the file under way: looked at again in two seconds
        except AnnotatorError as exc:
            self.timer.stop()  # one message, not one every two seconds
            title = ("The project file was overwritten" if project.overwritten() else "The project's files")
            self._tell(title, str(exc), QMessageBox.Icon.Warning)
            return str(exc)
        message, project.recovered = project.recovered, None
        if message and message.startswith("the project's"):  # its folder renamed, followed (store/moved.py)
            self.window._update_title()
            self.window.remember_recent(project.path)
            self.window.statusBar().showMessage(f"{project.path.name} is now in {project.path.parent}", 15000)
            self._tell("The project was moved", f"{message[0].upper()}{message[1:]}.", QMessageBox.Icon.Information)
        elif message:  # (it names the file: "p.sqlite-wal was deleted by another program; …")
            self.window.statusBar().showMessage(message, 15000)
            self._tell("The project's files were repaired", f"{message}.\n\nThe project: {project.path}",
                       QMessageBox.Icon.Information)
        return message

    def _tell(self, title: str, text: str, icon: QMessageBox.Icon) -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # never blocks the analyst's work
        self.box = box
