"""File ▸ Restore from Backup…: the project's backups (time, size, documents, spans, why made) and restoring one.

Restoring (``store/restoring.py``) reads and copies the backup beside the project and backs the project up as it is,
in a thread with a cancellable progress dialog (``ui/files/job.py``), the project open and the window painting; then
closes the project, renames the copy over it (atomic) and opens it again in the same window. The undo history of the
session before the restore is dropped with it: it described a project that no longer exists.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator import pacing
from annotator.errors import AnnotatorError
from annotator.store import backups, restoring
from annotator.store.backups import BackupInfo
from annotator.store.connection import Cancelled
from annotator.store.editlock import EditorLock
from annotator.ui import background
from annotator.ui.dialogs import error
from annotator.ui.files import job
from annotator.ui.palette import PROBLEM_COLOR
from annotator.ui.text import plain

ACTION_NAME = "restore_backup"
COLUMNS = ("When", "Size", "Documents", "Spans", "Made")


class RestoreDialog(QDialog):
    """The backups of one project, newest first; unreadable ones are listed, not selectable, with the reason."""

    def __init__(self, parent: QWidget | None, project_name: str, infos: list[BackupInfo]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from Backup")
        self.infos = infos
        intro = plain(QLabel(
            f"Backups of {project_name}, newest first.\n"
            "Restoring replaces the project with the backup. The project as it is now is backed up first, "
            "so a restore can itself be undone by restoring that backup."
        ))
        intro.setWordWrap(True)
        self.table = QTableWidget(len(infos), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for row, item in enumerate(infos):
            cells = (
                item.local_time(),
                backups.human_size(item.size),
                "?" if item.documents is None else str(item.documents),
                "?" if item.spans is None else str(item.spans),
                item.why + (f" — unreadable: {item.problem}" if item.problem else ""),
            )
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)  # whole, where the cell cuts it
                if item.problem:  # listed, not chosen; legible (a disabled row was light grey on white)
                    cell.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    if col == len(cells) - 1:
                        cell.setForeground(QColor(PROBLEM_COLOR))
                if col in (1, 2, 3):
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, cell)
        header = self.table.horizontalHeader()
        for col in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.restore_button.setText("Restore")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.accept() if self.selected() else None)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)
        first = next((i for i, item in enumerate(infos) if not item.problem), None)
        if first is not None:
            self.table.selectRow(first)
        self._selection_changed()
        self.resize(720, 400)

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def selected(self) -> BackupInfo | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        if len(rows) != 1:
            return None
        item = self.infos[rows.pop()]
        return None if item.problem else item


def choose_backup(window: QWidget, project_name: str, infos: list[BackupInfo]) -> BackupInfo | None:
    dialog = RestoreDialog(window, project_name, infos)
    return dialog.selected() if dialog.exec() == QDialog.DialogCode.Accepted else None


def confirm(window: QWidget, project_name: str, item: BackupInfo) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Restore from Backup",
        f"Replace {project_name} with the backup of {item.local_time()} "
        f"({item.documents} documents, {item.spans} spans)?\n\n"
        "The project as it is now is backed up first.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        window,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Yes


def inform(window: QWidget, title: str, message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, message, QMessageBox.StandardButton.Ok, window)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def restore_from_backup(window, chosen: BackupInfo | None = None) -> bool:  # type: ignore[no-untyped-def]
    """Ask which backup, confirm, restore, reopen. True if the project was restored."""
    project = window.session.project
    name = project.path.name
    if project.readonly:
        error(window, "Restore from Backup", f"{name} is open read-only in this window: restore it from the "
              "window that edits it, or close that window first.")
        return False
    if chosen is None:
        infos = backups.list_backups(project.path)
        if not infos:
            failed = getattr(getattr(window, "backups", None), "last_error", None)
            why = (f"Annotator tried to make one and could not: {failed}" if failed else
                   "Annotator makes one each time it opens a project, and every few minutes of work.")
            inform(window, "Restore from Backup", f"There are no backups of {name} yet. {why}")
            return False
        chosen = choose_backup(window, name, infos)
        if chosen is None:
            return False
    if not confirm(window, name, chosen):
        return False

    path, backup = project.path, chosen.path

    def prepare(work: job.Job) -> restoring.Prepared:
        def progress(text: str, done: int, total: int) -> None:
            work.report(done, total, text)

        with pacing.idle_in_c():  # its checks and copies run in SQLite's C, giving way to the window at once
            return restoring.prepare(path, backup, progress=progress, cancelled=lambda: work.cancelled)

    keeper = getattr(window, "backups", None)
    if keeper is not None:
        keeper.join()  # its backup would race the restore's own
    # the long part (about 15 s at 100 000 statements) in a thread, the project open and the window painting
    try:
        prepared = job.run(window, "Restore from Backup", f"Restoring {name}…", prepare,
                           "Cancelling: the project stays as it is…")
    except Cancelled:
        window.statusBar().showMessage(f"Restore cancelled: {name} is as it was.", 20000)
        window.focus_statement()
        return False
    except AnnotatorError as exc:
        return _not_restored(window, str(exc))
    try:
        return _replace(window, prepared, chosen)
    finally:
        prepared.discard()


def _replace(window, prepared: restoring.Prepared, chosen: BackupInfo) -> bool:  # type: ignore[no-untyped-def]
    """Close the project, put the prepared copy in its place, open it again (a fraction of a second: the
    before-restore backup is made again, in place of the first, only if the project changed since it was made --
    an `annotator import` beside the window, say: one such backup per restore, holding all of it)."""
    project = window.session.project
    path, name = project.path, project.path.name
    reviewing = bool(window.review.files)  # reopening the project closes the review
    keeper = getattr(window, "backups", None)
    if keeper is not None:
        keeper.join()  # a backup in progress holds the project open
    suggestions = getattr(window, "suggestions", None)
    if suggestions is not None:  # its process reads the project; it starts again on the reopened one
        suggestions.retrainer.stop()
    lock = getattr(project, "lock", None)
    if lock is not None:
        project.lock = None  # keep editing rights through the restore
    project.close()
    failure: str | None = None
    done = None
    try:
        done = prepared.finish()
    except AnnotatorError as exc:
        failure = str(exc)
    else:  # freeing the replaced file's space takes 0.6 s at 100 000 statements: not on the window's thread
        background.thread(done.let_go, "annotator-let-go", daemon=False)  # ends its work at exit
    if lock is not None:
        lock.release()
    reopened = window.open_project(path)
    if reopened:
        current = window.session.project
        if not current.readonly and getattr(current, "lock", None) is None:
            again = EditorLock.acquire(path)
            if not isinstance(again, str):
                current.lock = again
        if keeper is not None and done is not None:
            keeper.project = current  # just restored: the backup made before it is the one that counts
            keeper.marker = None
    if failure is not None:
        return _not_restored(window, failure)
    assert done is not None
    # short enough for the status bar beside its counts (the backup's file name and the advice ran past it and were
    # cut, a newcomer's finding): the backup is the newest in Restore from Backup's list, "before restore"
    kept = " The project as it was is kept as a backup." if done.previous else ""
    closed = " The review was closed." if reviewing else ""
    window.statusBar().showMessage(f"Restored {name} from the backup of {chosen.local_time()}.{kept}{closed}", 20000)
    window.focus_statement()
    return True


def _not_restored(window, why: str) -> bool:  # type: ignore[no-untyped-def]
    error(window, "Restore from Backup", f"The project was not restored; it is as it was.\n\n{why}")
    window.focus_statement()
    return False


def install(window) -> QAction:  # type: ignore[no-untyped-def]
    """Add File ▸ Restore from Backup… to the window (once; calling again returns the same action)."""
    menu = window.menus["&File"]
    for action in menu.actions():
        if action.objectName() == ACTION_NAME:
            return action
    action = QAction("Restore from &Backup…", window)
    action.setObjectName(ACTION_NAME)
    action.setStatusTip("Replace the project with one of its automatic backups")
    action.triggered.connect(lambda _checked=False: restore_from_backup(window))
    actions = menu.actions()
    quit_action = getattr(window, "actions_", {}).get("quit")
    if quit_action in actions:
        i = actions.index(quit_action)
        before = actions[i - 1] if i > 0 and actions[i - 1].isSeparator() else quit_action
        menu.insertAction(before, action)
    else:
        menu.addAction(action)
    return action
