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


def test_a_job_of_the_window_is_not_taken_for_a_change_made_elsewhere(window, project, qtbot, tmp_path, monkeypatch):
    """A job in a thread (here: a variable deleted from every statement) commits through a connection of its own,
    which moves the version the watch polls. It used to refresh the Documents list in the middle of the job (40 ms
    of the window's thread at 100 000 statements) and once more a second after it. The watch pauses while a job
    runs and takes a writing job's commits as seen; after a job that only reads (an export), a change made
    elsewhere meanwhile is still shown."""
    from annotator.core.variables import Variable
    from annotator.ui import dialogs, properties
    from tests.ui.conftest import on_dialog
    from tests.ui.test_dialogs import qtbot_click

    watcher = window.outside
    refreshed: list[int] = []
    monkeypatch.setattr(watcher, "refresh", lambda: refreshed.append(1))
    window.session.push(properties.commands.AddVariable(window.properties, Variable("wave", "number")))
    window.session.push(properties.commands.DeleteVariable(window.properties, "wave"))  # a job that writes
    assert watcher.timer.isActive()  # looking again after the job
    assert watcher.poll() is False and refreshed == []  # its commits were not taken for a change made elsewhere

    def export_with_a_change_elsewhere(dialog):  # type: ignore[no-untyped-def]
        other = Project.open(project.path, user="script")  # another process writes while the export runs
        try:
            other.import_documents([IncomingDocument("Written elsewhere.", "elsewhere")])
        finally:
            other.close()
        dialog.format.setCurrentIndex(dialog.format.findData("jsonl"))
        dialog.target.setText(str(tmp_path / "out.jsonl"))
        qtbot_click(dialog)

    answers = on_dialog(dialogs.ExportDialog, export_with_a_change_elsewhere)  # noqa: F841 - kept alive meanwhile
    window.files.export()
    assert (tmp_path / "out.jsonl").exists()
    assert watcher.poll() is True and refreshed == [1]  # the change made elsewhere, not the export


def test_variables_set_from_the_command_line_show_in_the_open_list(window, project, qtbot, tmp_path):
    """``annotator vars`` beside the open window: the Documents list's Date and Issuer follow within a poll (they
    kept what was read before until a restart, while Document Properties showed the new values)."""
    model = window.documents.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    date_col, issuer_col = headers.index("Date"), headers.index("Issuer")
    row = model.row_of(window.session.document.id)
    assert model.index(row, issuer_col).data() == ""  # read, and held, before the command runs
    title = window.session.document.title
    table = tmp_path / "vars.csv"
    table.write_text(f'title,date,issuer\n"{title}",2024-05-11,Ministry of Foreign Affairs of Japan\n', "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "annotator", "vars", str(project.path), str(table)],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    qtbot.waitUntil(lambda: model.index(model.row_of(window.session.document.id), issuer_col).data()
                    == "Ministry of Foreign Affairs of Japan", timeout=5000)
    assert model.index(model.row_of(window.session.document.id), date_col).data() == "2024-05-11"
    assert "Ministry of Foreign Affairs of Japan" in [window.properties.filters.issuer.itemText(i)
                                                      for i in range(window.properties.filters.issuer.count())]


def test_a_closed_window_stops_watching_its_project(window, qtbot):
    """A closed window stopped its file watch but kept asking its closed project once a second: in a process that
    goes on (the benchmarks' runner, a test session) every closed window's poll ran for the rest of its life."""
    assert window.outside.timer.isActive()
    window.close()
    assert not window.outside.timer.isActive()
    assert not window.file_watch.timer.isActive()
