"""File ▸ Import's summary says how a file was read only where the file added something: importing the sample pages
again listed "read from the header: date …" and "removed 4 line(s) of page chrome" for two statements the same
summary said it skipped (seen on Xvfb). Through the real action, the file dialog answered, the summary read."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from annotator import paths
from annotator.sources.samples import sample_documents
from annotator.ui import filedialogs
from tests.ui.conftest import on_dialog, window_over
from tests.ui.test_trial3_import_offsets import _trigger_import


def _import(qtbot, window, monkeypatch, files) -> str:
    """The summary's text and details after File ▸ Import of ``files``, closed as the user does."""
    monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: [str(f) for f in files])
    said: list[str] = []

    def read(box):
        said.append(box.text() + "\n" + box.detailedText())
        box.accept()

    timer = on_dialog(QMessageBox, read)
    _trigger_import(window)
    qtbot.waitUntil(lambda: bool(said), timeout=20000)
    timer.stop()
    return said[0]


def test_a_page_already_in_the_project_is_skipped_without_notes_on_how_it_was_read(qtbot, tmp_path, monkeypatch):
    pages = sorted(paths.sample_docs_dir().glob("*.txt"))
    assert len(pages) == 2
    with window_over(qtbot, tmp_path, sample_documents(paths.sample_docs_dir())) as (window, project):
        said = _import(qtbot, window, monkeypatch, pages)
        assert "skipped 2 statement(s) already in the project" in said, said
        assert "read from the header" not in said and "page chrome" not in said, said
        # a page with a new text is imported, and how it was read is said
        changed = tmp_path / "changed.txt"
        changed.write_text(pages[0].read_text(encoding="utf-8").replace("Begin Text:", "Begin Text (corrected):"),
                           encoding="utf-8")
        said = _import(qtbot, window, monkeypatch, [changed])
        assert "imported 1 statement(s)" in said and "changed.txt: read from the header: date '2023-10-26'" in said
        assert project.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 3
