"""Trial 11, L2 through the window: the analyst gives a non-ASCII name in Edit ▸ Your Name… (kept by the real
QSettings in ``settings.ini`` of the user data directory, as the app keeps it), then ``annotator vars`` and
``annotator import`` run beside the open window: the project's history records them under that name, as it records
the window's own changes (the login name, ``root``, before)."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QInputDialog

from annotator import paths
from annotator.core.model import IncomingDocument
from annotator.store import Project
from tests.helpers import run_cli
from tests.ui.conftest import on_dialog, show_window

NAME = "Zoë Ångström-Łukasz 李"


def _type_name(qtbot, text: str):
    """In Edit ▸ Your Name…'s dialog: the field emptied, the name typed a key at a time (each key event carries its
    character, as an input method gives it: QTest's keyClicks takes Latin-1 only), Enter."""

    def answer(dialog: QInputDialog) -> None:
        qtbot.waitUntil(dialog.isActiveWindow)
        field = dialog.focusWidget()
        field.selectAll()
        qtbot.keyClick(field, Qt.Key.Key_Delete)
        for ch in text:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(field, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))
        qtbot.keyClick(field, Qt.Key.Key_Return)

    return answer


def test_commands_beside_the_window_are_recorded_under_the_name_given_in_the_window(qtbot, tmp_path):
    from annotator.ui.mainwindow import MainWindow

    path = tmp_path / "p.sqlite"
    project = Project.open(path, create=True, user="ana", populate=[IncomingDocument("We condemn it.", "first")])
    paths.settings_file().parent.mkdir(parents=True, exist_ok=True)
    window = MainWindow(project, QSettings(str(paths.settings_file()), QSettings.Format.IniFormat))
    try:
        show_window(qtbot, window)
        on_dialog(QInputDialog, _type_name(qtbot, NAME))
        window.actions_["analyst"].trigger()
        assert project.user == NAME
        window.settings.sync()
        table = tmp_path / "vars.csv"
        table.write_text("title,issuer\nfirst,FCDO\n", "utf-8")
        source = tmp_path / "more.txt"
        source.write_text("We commit to peace.", "utf-8")
        for args in (("vars", path, table), ("import", path, source)):
            result = run_cli(*args)
            assert result.returncode == 0, result.stderr
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("SELECT action, actor FROM history ORDER BY id DESC LIMIT 2").fetchall()
        finally:
            conn.close()
        assert rows == [("import_document", NAME), ("set_variables", NAME)]
    finally:
        window.close()
        project.close()
