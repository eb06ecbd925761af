"""File ▸ Import off the window's thread: the files go in through a connection of the import's own, in a thread,
while the window keeps painting and a window-modal progress dialog says how far it is and cancels it.

An import of 100 000 statements (450 MB of JSON Lines) takes two minutes. On the window's thread the window froze
for all of it, the dialog unpainted and its Cancel unanswered until the file was in (issue #14: the window never
freezes). Now the window's connection is left idle while the thread writes (SQLite keeps the two apart; the
dialog is window-modal, so nothing in the window writes meanwhile) and sees the new statements once it is done. A
file read in batches reports its progress and takes a cancel between batches: it is then left out whole, as every
file is imported whole or not at all.

:func:`run` returns when the import has ended, as the call on the window's thread did, so its callers (menu, drop,
tests) read the project afterwards as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QThread, Signal
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget

from annotator import gcpause, pacing
from annotator.core.model import ImportReport
from annotator.store import connection
from annotator.store.project import Project
from annotator.store.transfer import import_paths
from annotator.ui.text import plain

#: the dialog's steps per file (a file read in batches moves the bar within its step)
STEPS = 1000


class _Thread(QThread):
    progressed = Signal(int, int, str)  # files done, files, the name of the one being imported
    within = Signal(int, int)  # bytes of it read, its size

    def __init__(self, project: Project, paths: Sequence[str | Path]) -> None:
        super().__init__()
        self._path, self._user, self._paths = project.path, project.user, list(paths)
        self.cancelled = False
        self.report: ImportReport | None = None
        self.error: BaseException | None = None  # raised again on the window's thread

    def run(self) -> None:
        try:
            # the window's thread gets the GIL and a core while the files are parsed, and the collector's full passes
            # set off by the import's statements do not walk the window's objects (annotator/gcpause.py)
            with pacing.paced(), gcpause.held():
                writer = Project(connection.second_writer(self._path), self._path, False, self._user, None)
                try:
                    self.report = import_paths(writer, self._paths, self.progressed.emit, lambda: self.cancelled,
                                               within=self.within.emit)
                finally:
                    writer.close()
        except BaseException as exc:  # a ProjectFileError (disk full, ...) or a bug: the window's thread says it
            self.error = exc


def run(parent: QWidget, project: Project, paths: Sequence[str | Path]) -> ImportReport:
    """Import ``paths`` into ``project`` (open in the window ``parent``) in a thread, showing progress; returns the
    report when done or cancelled, or raises what stopped it (an AnnotatorError to show the user)."""
    if project.readonly:
        return import_paths(project, paths)  # refused at once, with the usual message
    thread = _Thread(project, paths)
    dialog = QProgressDialog("Importing…", "Cancel", 0, 0, parent)
    dialog.setLabel(plain(QLabel("Importing…")))  # it shows file names: never as rich text
    dialog.setWindowTitle("Import")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(400)
    dialog.setValue(0)
    at = [0]  # files done

    def progressed(done: int, total: int, name: str) -> None:
        at[0] = done
        dialog.setMaximum(max(1, total) * STEPS)
        dialog.setValue(done * STEPS)
        dialog.setLabelText(f"Importing {name}…" if name else "Finishing…")

    def within(read: int, size: int) -> None:
        dialog.setValue(at[0] * STEPS + (STEPS * read // size if size else 0))

    def cancel() -> None:
        thread.cancelled = True
        dialog.setLabelText("Cancelling: the file being imported is left out…")

    thread.progressed.connect(progressed, Qt.ConnectionType.QueuedConnection)
    thread.within.connect(within, Qt.ConnectionType.QueuedConnection)
    dialog.canceled.connect(cancel)
    loop = QEventLoop()
    thread.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    thread.start()
    loop.exec()
    thread.wait()
    dialog.close()
    dialog.deleteLater()
    if thread.error is not None:
        raise thread.error
    assert thread.report is not None
    return thread.report
