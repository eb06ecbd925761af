"""The window's label key presses write; a thread of the window's own checkpoints the log meanwhile (issue #14:
SQLite's automatic checkpoint ran inside a press's commit, 10-25 ms a hundred presses, some over 200 ms)."""

from __future__ import annotations

from pathlib import Path

from annotator.store import Project, checkpoints
from annotator.ui import app as app_module
from annotator.ui.app import sample_documents
from tests.ui.conftest import show_window


def test_label_presses_in_the_window_leave_the_checkpoints_to_their_thread(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(checkpoints, "LOOK_EVERY_S", 0.05)
    path = tmp_path / "p.sqlite"
    Project.open(path, create=True, user="kim", populate=sample_documents()).close()
    window = app_module.create_window(path, ask_name=False)
    show_window(qtbot, window)
    project = window.session.project
    assert project.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    assert project.conn.execute("SELECT count(*) FROM spans").fetchone()[0] == 0
    view, text = window.view, window.view.text
    words = [i + 1 for i, ch in enumerate(text) if ch == " "][:30]
    assert len(words) == 30
    for start in words:
        view.select_cp(start, text.index(" ", start))
        qtbot.keyClick(view, window.session.labels[0].shortcut)
    assert project.conn.execute("SELECT count(*) FROM spans").fetchone()[0] == len(words)
    qtbot.waitUntil(lambda: bool(project.checkpoints.done) and project.checkpoints.done[-1][2] > 0, timeout=10_000)
    busy, frames, done = project.checkpoints.done[-1]
    assert busy == 0 and done == frames  # the whole log, the window waiting for none of it
    window.close()
    assert not Path(f"{path}-wal").exists()
    with Project.open(path, readonly=True) as p:
        assert p.conn.execute("SELECT count(*) FROM spans").fetchone()[0] == len(words)
