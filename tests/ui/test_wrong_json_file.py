"""Trial 12, F11: the output of ``annotator agree --json`` (an easy mis-pick among the .json files the colleague
dialog offers) picked as a colleague file said "item 1: 'text' must be a string, got NoneType": Python's words for
a user who picked the wrong file. It now says the file has no 'text', names the keys it has, and that it does not
look like annotations -- in the window's box and on the command line alike -- and nothing is opened or imported."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from annotator.store import Project
from annotator.ui import filedialogs
from annotator.ui.review import controller as review_ui
from tests.helpers import run_cli
from tests.ui.conftest import on_dialog

PYTHON_WORDS = re.compile(r"NoneType|\bdict\b|\bint\b|\bstr\b|\bfloat\b|\bbool\b")


def _agree_json(project: Project, tmp_path):  # type: ignore[no-untyped-def]
    """The real ``annotator agree --json`` of the project against an export of itself."""
    export = tmp_path / "mine.jsonl"
    assert run_cli("export", project.path, "-o", export).returncode == 0
    done = run_cli("agree", project.path, export, "--json")
    assert done.returncode == 0, done.stderr
    out = tmp_path / "a1.json"
    out.write_bytes(done.stdout if isinstance(done.stdout, bytes) else done.stdout.encode())
    return out


def test_an_agreement_json_picked_as_a_colleague_file_is_refused_in_the_files_words(window, project, qtbot,
                                                                                   tmp_path, monkeypatch):
    wrong = _agree_json(project, tmp_path)
    review_ui.install(window)
    said: list[str] = []

    def read_and_close(box: QMessageBox) -> None:
        said.append(f"{box.text()}\n{box.informativeText()}\n{box.detailedText()}")
        box.button(QMessageBox.StandardButton.Ok).click()

    on_dialog(QMessageBox, read_and_close)
    monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: [str(wrong)])
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: bool(said), timeout=20_000)
    assert "no 'text' key (found keys 'documents'" in said[0], said[0]
    assert "does not look like annotations" in said[0]
    assert not PYTHON_WORDS.search(said[0]), said[0]
    assert not window.review.files


def test_the_command_line_says_the_same_and_imports_nothing(project, tmp_path):
    wrong = _agree_json(project, tmp_path)
    before = project.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    done = run_cli("import", project.path, wrong)
    err = done.stderr if isinstance(done.stderr, str) else done.stderr.decode()
    assert done.returncode == 1, err
    assert "no 'text' key (found keys 'documents'" in err and "does not look like annotations" in err
    assert not PYTHON_WORDS.search(err), err
    assert project.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == before
