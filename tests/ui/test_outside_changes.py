"""Statements imported by another process while the window is open show up by themselves, and nothing the
analyst is doing is interrupted (issue 15, item 6)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from annotator.core.model import IncomingDocument
from annotator.store import Project
from tests.ui.conftest import HOSTILE, key_select

ROOT = Path(__file__).resolve().parents[2]


def titles(window) -> list[str]:
    return [row.title for row in window.documents.model.rows]


def test_a_command_line_import_appears_in_the_open_window(window, project, qtbot, tmp_path):
    view = window.view
    word = HOSTILE.index("threatens")
    key_select(qtbot, view, word, len("threatens"))
    qtbot.keyClick(view, Qt.Key.Key_1)
    doc = window.session.document
    span_id = view.selected_span_id
    assert span_id is not None
    undo_count = window.session.undo_stack.count()
    before = titles(window)

    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "third statement.txt").write_text("A third statement, imported from the command line.", "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "annotator", "import", str(project.path), str(incoming)],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr

    qtbot.waitUntil(lambda: "third statement" in titles(window), timeout=5000)
    assert titles(window)[: len(before)] == before
    assert "1 of 3" in window.progress_label.text() or "of 3 done" in window.progress_label.text()
    # the analyst's place is kept: the open statement, the selected span, the list's row, the undo history
    assert window.session.document.id == doc.id
    assert view.selected_span_id == span_id
    current = window.documents.table.currentIndex()
    assert current.siblingAtColumn(0).data(Qt.ItemDataRole.UserRole) == doc.id
    assert window.session.undo_stack.count() == undo_count


def test_own_changes_do_not_count_as_outside_and_scroll_is_kept(window, project, qtbot, tmp_path):
    watcher = window.outside
    key_select(qtbot, window.view, HOSTILE.index("peace"), len("peace"))
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    assert watcher.poll() is False  # our own commit: nothing to re-read

    other = Project.open(project.path, user="script")  # a second connection, as another process would be
    try:
        other.import_documents([IncomingDocument(f"Statement number {i}.", f"extra {i:03}") for i in range(200)])
    finally:
        other.close()
    table = window.documents.table
    bar = table.verticalScrollBar()
    window.documents_changed()
    bar.setValue(bar.maximum() // 2)
    scrolled = bar.value()
    other = Project.open(project.path, user="script")
    try:
        other.import_documents([IncomingDocument("One more.", "extra 999")])
    finally:
        other.close()
    assert watcher.poll() is True
    assert "extra 999" in titles(window)
    assert bar.value() == scrolled
    assert window.session.document.title == "hostile"
