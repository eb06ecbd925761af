"""A newcomer's trial (6): File ▸ Export as a spaCy DocBin of a project holding a statement past a million
characters wrote no file and said nothing in the window (spaCy's ``ValueError`` went to stderr only): the analyst
would have believed it worked. Driven through the real Export dialog; the file read back with spaCy."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from annotator.core.model import IncomingDocument, IncomingSpan
from annotator.ui.app import install_error_hook
from annotator.ui.dialogs import ExportDialog
from annotator.ui.files import job
from tests.ui.conftest import on_dialog, window_over

CTRL = Qt.KeyboardModifier.ControlModifier
SENTENCE = "We continue to coordinate closely with allies. "


def _export(qtbot, window, fmt, target, shown):
    def choose(dialog):
        dialog.format.setCurrentIndex(dialog.format.findData(fmt))
        dialog.target.setText(str(target))
        qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)

    def cancel(dialog):  # back in the dialog after a failure: the user gives up
        qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel),
                         Qt.MouseButton.LeftButton)

    def read(box):
        shown.append(box.text())
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    boxes = on_dialog(QMessageBox, read, read)
    dialogs = on_dialog(ExportDialog, choose, cancel)
    qtbot.keyClick(window.view, Qt.Key.Key_E, CTRL)  # File ▸ Export: returns when it is over
    boxes.stop()
    dialogs.stop()


def test_a_statement_past_a_million_characters_exports_as_a_docbin(qtbot, tmp_path):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    text = SENTENCE * (1_050_000 // len(SENTENCE)) + "They pose a grave threat."
    start = text.index("grave threat")
    docs = [IncomingDocument(text, "long", spans=[IncomingSpan(start, start + 12, "threat", "ana")]),
            IncomingDocument("A short one.", "short")]
    target = tmp_path / "out.spacy"
    shown: list[str] = []
    with window_over(qtbot, tmp_path, docs) as (window, _project):
        _export(qtbot, window, "spacy", target, shown)
        assert target.exists() and not shown, shown
        assert "Exported 2 record(s)" in window.statusBar().currentMessage()
    got = {d.user_data["title"]: d for d in DocBin(store_user_data=True).from_disk(target).get_docs(
        spacy.blank("xx").vocab)}
    assert [s.text for s in got["long"].spans["sc"]] == ["grave threat"] and got["long"].text == text


def test_a_bug_in_an_export_is_said_in_the_window_and_writes_nothing(qtbot, tmp_path, monkeypatch):
    """Whatever the failure, the analyst is told: an exception that is our bug (not about their file or disk) gets a
    message in the window as well as its traceback on stderr, and no file is left behind."""

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("a writer's bug")

    monkeypatch.setattr(job, "export_project", broken)
    target = tmp_path / "out.jsonl"
    shown: list[str] = []
    with (window_over(qtbot, tmp_path, [IncomingDocument("A statement.", "one")]) as (window, _project),
          qtbot.capture_exceptions() as raised):
        install_error_hook(window)  # as the app does
        _export(qtbot, window, "jsonl", target, shown)
    assert raised and isinstance(raised[0][1], ZeroDivisionError)  # the traceback still goes where it went
    assert len(shown) == 1 and "inside Annotator" in shown[0] and "a writer's bug" in shown[0], shown
    assert not target.exists() and not list(tmp_path.glob("out.jsonl*"))
