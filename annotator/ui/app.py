"""Starting the GUI: the application object, remembered settings, the analyst's name, the project to open.

A project is opened for editing by one window at a time (``store/editlock.py``): a second window on the same
project opens it read-only and says so.
"""

from __future__ import annotations

import re
import sqlite3
import sys
import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QLineEdit, QMessageBox

from annotator import paths
from annotator.core.model import IncomingDocument
from annotator.errors import AnnotatorError
from annotator.store import Project
from annotator.store.connection import user_problem
from annotator.store.editlock import open_for_editing
from annotator.store.project import default_user
from annotator.store.sources import check_new_project_folder
from annotator.ui import analyst, integrity
from annotator.ui.autobackup import AutoBackup
from annotator.ui.dialogs import error
from annotator.ui.mainwindow import MainWindow
from annotator.ui.palette import PROBLEM_COLOR
from annotator.ui.text import plain, plain_tooltip


def settings() -> QSettings:
    """Window layout, recent projects and the analyst's name, in the user data directory (paths.py)."""
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def sample_documents() -> list[IncomingDocument]:
    """The sample statements the default project starts with, so the app opens on something real."""
    from annotator.sources.samples import sample_documents as read_samples

    return read_samples(paths.sample_docs_dir())


def open_startup_project(path: Path | None, analyst: str) -> Project:
    """The given project (created empty if missing), or the default one (created with the samples).

    Opened for editing, or read-only when another window already edits it (``project.readonly_reason`` says so).
    """
    if path is not None:
        check_new_project_folder(path)
        return open_for_editing(path, analyst, create=True)
    default = paths.default_project()
    return open_for_editing(default, analyst, create=True,
                            populate=None if default.exists() else sample_documents())


def analyst_name(store: QSettings, ask: bool = True) -> str:
    """Asked once and remembered; the login name by default."""
    name = str(store.value("analyst", "") or "")
    if name:
        return name
    name = default_user()
    if ask:
        text, ok = QInputDialog.getText(None, "Welcome to Annotator", analyst.PROMPT, QLineEdit.EchoMode.Normal,
                                        name)
        if ok and analyst.problem(" ".join(text.split())) is None:
            name = " ".join(text.split())
    store.setValue("analyst", name)
    return name


_OVERRIDE_PREFIX = re.compile(r"^Error calling Python override of [^:]*\(\): ")


def user_message(exc: BaseException) -> str | None:
    """The clear message of an error that is about the user's file or disk, or None if it is our bug."""
    if isinstance(exc, AnnotatorError):
        return _OVERRIDE_PREFIX.sub("", str(exc))
    if isinstance(exc, (sqlite3.Error, OSError)):
        return user_problem(exc)
    return None


#: the same bug's message is not shown again within this many seconds
BUG_REPEAT_S = 60.0


def install_error_hook(window: MainWindow) -> None:
    """A problem with the user's disk or file that surfaces where no code expected one (a read refreshing a panel
    after the disk failed, inside a Qt slot) is shown as a message, not a traceback on stderr. Any other exception
    is our bug: it goes to the previous hook with its traceback (DESIGN.md §4), and the user is told too (a spaCy
    export that failed on a long statement had said nothing in the window, and no file was written: the analyst
    would have thought it worked). One such message at a time, and the same one not again for a minute."""
    previous = sys.excepthook
    said: dict[str, float] = {}  # a bug's message -> when it was last shown
    showing: list[bool] = []  # a message is up (a bug in a timer would stack them)

    def hook(kind, exc, tb):  # type: ignore[no-untyped-def]
        message = user_message(exc)
        if message is None:
            previous(kind, exc, tb)
            if not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit: not a bug to report
                return
            message = (f"Something went wrong inside Annotator: {type(exc).__name__}: {exc}\n\nIt is a bug, not "
                       "something you did. What was saved before is safe; what was being done may not have "
                       "happened. The details were printed where Annotator was started.")
            now = time.monotonic()
            if showing or now - said.get(message, -BUG_REPEAT_S) < BUG_REPEAT_S:
                return
            said[message] = now
        else:
            print(f"annotator: {message}", file=sys.stderr)
        showing.append(True)
        try:
            error(window, "Annotator", message)
        except RuntimeError:  # the window is gone
            error(None, "Annotator", message)  # type: ignore[arg-type]
        finally:
            showing.clear()

    sys.excepthook = hook


def show_readonly_reason(window: MainWindow) -> QLabel | None:
    """A second window on a project says, in its status bar, that it shows the project read-only."""
    reason = getattr(window.session.project, "readonly_reason", None)
    if not reason:
        return None
    short = getattr(window.session.project, "readonly_short", None) or "open in another window"
    label = plain(QLabel(f"Read-only: {short}"))
    label.setToolTip(plain_tooltip(reason))
    label.setStyleSheet(f"color: {PROBLEM_COLOR}; font-weight: bold")
    window.statusBar().addPermanentWidget(label)
    window.readonly_label = label  # type: ignore[attr-defined]
    return label


def create_window(path: Path | None, ask_name: bool = True) -> MainWindow:
    store = settings()
    analyst = analyst_name(store, ask_name)
    project = open_startup_project(path, analyst)
    window = MainWindow(project, store)
    window.remember_recent(project.path)
    install_error_hook(window)
    window.backups = AutoBackup(window)  # type: ignore[attr-defined]
    integrity.install(window)  # a large project's whole-file check, after the first paint (issue #14)
    show_readonly_reason(window)
    return window


def run(path: Path | None = None) -> int:
    from annotator import leftovers

    leftovers.clean_temp_folder()  # private copies that killed commands and windows left in the temp folder
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Annotator")
    app.setOrganizationName("Annotator")
    try:
        window = create_window(path)
    except AnnotatorError as exc:
        error(None, "Annotator", str(exc))  # type: ignore[arg-type]
        print(f"annotator: {exc}", file=sys.stderr)
        return 1
    window.show()
    reason = getattr(window.session.project, "readonly_reason", None)
    if reason:
        box = QMessageBox(QMessageBox.Icon.Information, "Opened read-only", reason, QMessageBox.StandardButton.Ok,
                          window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()
    return int(app.exec())
