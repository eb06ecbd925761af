"""Statements imported from many files are listed in the order a file browser shows the files: s1, s2, s10, not
s1, s10, s2 (a newcomer's trial: the Documents list read "s1, s10, s2"). Through the real File ▸ Import action and
its real file dialog (only its answer given), and through ``annotator import FOLDER``; the list and the database
read afterwards."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog

from annotator.store.project import Project
from tests.helpers import run_cli
from tests.ui.conftest import watch_progress, window_over
from tests.ui.test_file_jobs import _trigger_import

NAMES = ["s10", "s2", "S3", "s1", "s11", "s9"]  # as a folder listing or a selection may give them
BROWSER = ["s1", "s2", "S3", "s9", "s10", "s11"]


def _statements(folder):  # type: ignore[no-untyped-def]
    folder.mkdir()
    for name in NAMES:
        (folder / f"{name}.txt").write_text(f"Statement {name}: we urge calm.\n", encoding="utf-8")
    return folder


def _titles(project: Project) -> list[str]:
    rows = project.conn.execute("SELECT title FROM documents ORDER BY id").fetchall()
    return [title for (title,) in rows]


def test_files_chosen_in_the_dialog_are_imported_in_the_folders_order(qtbot, tmp_path, monkeypatch):
    folder = _statements(tmp_path / "statements")
    chosen = [str(folder / f"{name}.txt") for name in NAMES]  # the order the dialog hands them over
    monkeypatch.setattr(QFileDialog, "exec", lambda self: QFileDialog.DialogCode.Accepted)
    monkeypatch.setattr(QFileDialog, "selectedFiles", lambda self: list(chosen))
    with window_over(qtbot, tmp_path, []) as (window, project):
        timer, seen = watch_progress(window)
        _trigger_import(window)
        qtbot.waitUntil(lambda: bool(seen["report"]))
        timer.stop()
        assert "imported 6 statement(s)" in seen["report"][0]
        assert _titles(project) == BROWSER
        table = window.documents.table  # what the Documents list shows, top to bottom
        model = table.model()
        listed = [" ".join(str(model.index(row, col).data()) for col in range(model.columnCount()))
                  for row in range(model.rowCount())]
        assert len(listed) == 6
        assert [next(i for i, text in enumerate(listed) if f"Statement {name}:" in text or f" {name} " in f" {text} ")
                for name in BROWSER] == list(range(6))


def test_a_folder_given_to_the_command_line_is_imported_in_the_browsers_order(tmp_path):
    folder = _statements(tmp_path / "statements")
    (folder / "part 2").mkdir()
    (folder / "part 2" / "s1.txt").write_text("In the subfolder.\n", encoding="utf-8")
    (folder / "part 10").mkdir()
    (folder / "part 10" / "s1.txt").write_text("In the later subfolder.\n", encoding="utf-8")
    target = tmp_path / "p.sqlite"
    said = run_cli("import", target, folder)
    assert said.returncode == 0, said.stderr
    project = Project.open(target)
    try:
        texts = [t for (t,) in project.conn.execute("SELECT text FROM documents ORDER BY id")]
    finally:
        project.close()
    # "part 2/" and "part 10/" sort by their names among the files, as ``ls -v`` lists them
    assert texts[:2] == ["In the subfolder.\n", "In the later subfolder.\n"]
    assert texts[2:] == [f"Statement {name}: we urge calm.\n" for name in BROWSER]
