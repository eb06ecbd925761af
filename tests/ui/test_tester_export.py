"""A newcomer's finding on File ▸ Export: with spaCy not installed, the spaCy and Prodigy formats failed with
"Choose another place, or cancel", advice that cannot help."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from annotator.ui.dialogs import ExportDialog
from tests.ui.conftest import on_dialog

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.mark.parametrize("fmt", ["spacy", "prodigy"])
def test_spacy_formats_without_spacy_say_what_to_install(window, qtbot, tmp_path, monkeypatch, fmt):
    monkeypatch.setitem(sys.modules, "spacy", None)  # spaCy not installed (whether it is here or not)
    target = tmp_path / f"out.{fmt}"
    shown: list[tuple[str, str]] = []
    again: list[tuple[str, str]] = []

    def choose(dialog):
        dialog.format.setCurrentIndex(dialog.format.findData(fmt))
        dialog.target.setText(str(target))
        qtbot.mouseClick(
            dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    def read(box):
        shown.append((box.windowTitle(), box.text()))
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    def cancel(dialog):
        again.append((dialog.format.currentData(), dialog.target.text()))
        qtbot.mouseClick(
            dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton
        )

    boxes = on_dialog(QMessageBox, read)
    timer = on_dialog(ExportDialog, choose, cancel)
    qtbot.keyClick(window.view, Qt.Key.Key_E, CTRL)  # File ▸ Export
    assert not timer.isActive() and not boxes.isActive()
    assert len(shown) == 1
    title, text = shown[0]
    assert "spaCy" in title
    assert "Choose another place" not in text
    assert "pip install spacy" in text
    assert "other formats work without it" in text and "JSONL" in text and "CSV" in text
    assert again == [(fmt, str(target))]  # back in the dialog, the choices kept, to pick another format
    assert not target.exists()
