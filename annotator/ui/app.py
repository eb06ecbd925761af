"""Starting the GUI: the application object, remembered settings, the analyst's name, the project to open."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit

from annotator import formats, paths
from annotator.core.model import IncomingDocument
from annotator.errors import AnnotatorError
from annotator.store import Project
from annotator.store.project import default_user
from annotator.ui.dialogs import error
from annotator.ui.mainwindow import MainWindow


def settings() -> QSettings:
    """Window layout, recent projects and the analyst's name, in the user data directory (paths.py)."""
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def sample_documents() -> list[IncomingDocument]:
    """The sample statements the default project starts with, so the app opens on something real."""
    docs: list[IncomingDocument] = []
    folder = paths.sample_docs_dir()
    for path in formats.collect([folder]) if folder.is_dir() else []:
        docs.extend(formats.read(path).documents)
    return docs


def open_startup_project(path: Path | None, analyst: str) -> Project:
    """The given project (created empty if missing), or the default one (created with the samples)."""
    if path is not None:
        return Project.open(path, create=True, user=analyst)
    default = paths.default_project()
    return Project.open(default, create=True, user=analyst, populate=None if default.exists() else sample_documents())


def analyst_name(store: QSettings, ask: bool = True) -> str:
    """Asked once and remembered; the login name by default."""
    name = str(store.value("analyst", "") or "")
    if name:
        return name
    name = default_user()
    if ask:
        text, ok = QInputDialog.getText(None, "Welcome to Annotator",
                                        "Your name, recorded on every span you label:", QLineEdit.EchoMode.Normal, name)
        if ok and text.strip():
            name = text.strip()
    store.setValue("analyst", name)
    return name


def create_window(path: Path | None, ask_name: bool = True) -> MainWindow:
    store = settings()
    analyst = analyst_name(store, ask_name)
    project = open_startup_project(path, analyst)
    window = MainWindow(project, store)
    window.remember_recent(project.path)
    return window


def run(path: Path | None = None) -> int:
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
    return int(app.exec())
