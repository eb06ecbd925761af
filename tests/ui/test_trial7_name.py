"""The analyst's name is changed in the window (Edit ▸ Your Name…), and an empty project shows the statements a
command-line import brings (a seventh newcomer's trial: no menu could change the name a Cancel had left as "root",
and the empty project's message stayed over the list of imported statements)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QInputDialog

from annotator.core.model import IncomingDocument
from annotator.store import Project
from tests.ui.conftest import on_dialog, show_window, window_over

ROOT = Path(__file__).resolve().parents[2]


def type_name(qtbot, text: str):
    def answer(dialog) -> None:
        dialog.setTextValue("")
        qtbot.keyClicks(dialog.focusWidget(), text)
        dialog.accept()

    return answer


def test_your_name_changes_who_the_next_spans_are_recorded_under(qtbot, tmp_path):
    docs = [IncomingDocument("We strongly condemn the launch and urge restraint.", "a")]
    with window_over(qtbot, tmp_path, docs) as (window, project):
        view = window.view
        text = window.session.document.text
        view.select_cp(text.index("strongly"), text.index("strongly") + len("strongly condemn"))
        qtbot.keyClick(view, Qt.Key.Key_1)
        assert project.spans(window.session.document.id)[0].annotator == "ana"

        on_dialog(QInputDialog, type_name(qtbot, "  Ana   Lima "))
        window.actions_["analyst"].trigger()
        assert project.user == "Ana Lima"
        assert "analyst: Ana Lima" in window.progress_label.text()
        assert window.settings.value("analyst") == "Ana Lima"
        window.activateWindow()  # back from the dialog, as a hand clicks the window
        qtbot.waitUntil(window.isActiveWindow)
        view.setFocus()
        view.select_cp(text.index("urge"), text.index("urge") + len("urge restraint"))
        qtbot.keyClick(view, Qt.Key.Key_3)
        spans = project.spans(window.session.document.id)
        assert sorted((s.label, s.annotator) for s in spans) == [("call_to_action", "Ana Lima"), ("threat", "ana")]
        # the Spans panel names the one labelled before under its name: it is not the analyst's own now
        labels = [window.spans_panel.model.index(r, 0).data() for r in range(window.spans_panel.model.rowCount())]
        assert any(label.endswith("· ana") for label in labels), labels

        on_dialog(QInputDialog, lambda dialog: dialog.reject())  # Cancel changes nothing
        window.actions_["analyst"].trigger()
        assert project.user == "Ana Lima"


def test_an_empty_project_opens_the_first_statement_a_command_line_import_brings(qtbot, tmp_path):
    from annotator.ui.mainwindow import MainWindow

    project = Project.open(tmp_path / "p.sqlite", create=True, user="ana")
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    try:
        assert window.view.placeholderText().startswith("This project holds no statement yet")
        statement = tmp_path / "a.txt"
        statement.write_text("We strongly condemn the launch.", encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        result = subprocess.run([sys.executable, "-m", "annotator", "import", str(project.path), str(statement)],
                                capture_output=True, text=True, env=env, timeout=60)
        assert result.returncode == 0, result.stderr
        qtbot.waitUntil(lambda: window.session.document is not None, timeout=5000)
        assert window.view.text == "We strongly condemn the launch."
        assert not window.view.placeholderText().startswith("This project holds no statement yet")
        assert window.documents.count.text() == "1 statement"
    finally:
        window.close()
        project.close()
