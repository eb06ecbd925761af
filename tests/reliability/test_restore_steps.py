"""A restore in two parts (``store/restoring.py``): the long one, which leaves the project as it is, reports its steps
and can be cancelled; the short one, with the project closed, renames the copy over it, and backs the project up
again if anything changed in between. In the window (File ▸ Restore from Backup…) the long part runs in a thread
with a progress dialog and a Cancel, the window painting meanwhile; driven through the real menu, dialogs and keys."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton

from annotator.errors import Cancelled
from annotator.store import Project, backups, connection, restoring
from tests.reliability.common import dump, incoming, integrity, make_project, settled
from tests.ui.conftest import key_select, record_messages, show_window

# -- the two parts --------------------------------------------------------------------------------------------------


def _leftovers(project: Path) -> list[str]:
    """Temporary files a restore or a backup could leave: beside the project, and in its backup folder."""
    beside = [p.name for p in project.parent.glob(".*")]
    folder = backups.folder_for(project)
    parts = [p.name for p in folder.glob(".*")] if folder.exists() else []
    return beside + parts


def test_prepare_tells_its_four_steps_and_finish_makes_no_second_copy(tmp_path, monkeypatch):
    monkeypatch.setattr(backups, "STEP_PAGES", 4)  # a small project copied in several steps
    project = make_project(tmp_path / "p.sqlite", docs=60)
    old = backups.backup_file(project, "open")
    old_dump = dump(project)
    with Project.open(project, user="tester") as p:
        p.add_span(p.documents()[0].id, 0, 4, "threat", note="after the backup")
    now_dump = dump(project)
    told: list[tuple[str, int, int]] = []
    prepared = restoring.prepare(project, old, progress=lambda *a: told.append(a))
    try:
        assert dump(project) == now_dump, "preparing leaves the project as it is"
        assert prepared.tmp.parent == project.parent and prepared.tmp.is_file()
        steps = [text for text, _done, _total in told]
        for n in range(1, 5):
            assert any(f"(step {n} of 4)" in text for text in steps), steps
        copying = [(d, t) for text, d, t in told if "step 2 of 4" in text and t]
        assert len(copying) > 2 and copying[-1][0] == copying[-1][1], copying  # moved, and ended at the end
        assert told[-1][1:] == (0, 0), "the check of the copy that follows has no known length"
        made = set(backups.folder_for(project).iterdir())
        done = prepared.finish()
    finally:
        prepared.discard()
    assert set(backups.folder_for(project).iterdir()) == made, "the project was unchanged: no second copy"
    assert done.previous == prepared.previous and dump(done.previous) == now_dump
    assert dump(project) == old_dump and integrity(project) == "ok"
    # the replaced file is kept by a second name until let go of (its space freed then, off the window's thread)
    assert done.aside is not None and _leftovers(project) == [done.aside.name]
    done.let_go()
    assert _leftovers(project) == []


@pytest.mark.parametrize("killed", ["after prepare", "after finish"])
def test_a_restore_killed_midway_leaves_nothing_once_the_project_is_opened_again(tmp_path, killed):
    """The backup's copy (``.restoring``, as large as the project) or the replaced file (``.replaced``) of a
    process that died before removing it: the next open removes it."""
    project = make_project(tmp_path / "p.sqlite")
    old = backups.backup_file(project, "open")
    script = textwrap.dedent(f"""
        import os
        from annotator.store import restoring
        prepared = restoring.prepare({str(project)!r}, {str(old)!r})
        if {killed == "after finish"!r}:
            prepared.finish()
        os._exit(0)  # as a kill: nothing is cleaned up
        """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    suffix = ".replaced" if killed == "after finish" else ".restoring"
    assert [Path(n).suffix for n in _leftovers(project)] == [suffix]
    with Project.open(project, user="tester") as p:
        assert p.stats()["spans"] == 18
    assert _leftovers(project) == []


def test_work_saved_between_the_two_parts_is_backed_up_again_before_it_is_replaced(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    old = backups.backup_file(project, "open")
    prepared = restoring.prepare(project, old)
    with Project.open(project, user="tester") as p:  # a last label, saved after the long part began
        p.add_span(p.documents()[0].id, 2, 9, "commitment", note="the last one")
    last = dump(project)
    try:
        done = prepared.finish()
    finally:
        prepared.discard()
    assert done.previous is not None and done.previous != prepared.previous
    assert dump(done.previous) == last, "the project as it was just before the rename is the one kept"
    assert "before-restore" in done.previous.name
    # in place of the first: one "before a restore" backup per restore, the newest (trial 11, L1)
    assert [i.path for i in backups.list_backups(project) if i.reason == "before-restore"] == [done.previous]
    assert not prepared.previous.exists()
    restoring.restore(project, done.previous)
    assert dump(project) == last


@pytest.mark.parametrize("at_step", [1, 2, 3, 4])
def test_a_cancel_at_any_step_leaves_the_project_and_its_backups_as_they_were(tmp_path, monkeypatch, at_step):
    monkeypatch.setattr(backups, "STEP_PAGES", 4)
    monkeypatch.setattr(connection, "_PROGRESS_EVERY", 100)  # the checks ask often whether to stop
    project = make_project(tmp_path / "p.sqlite", docs=60)
    old = backups.backup_file(project, "open")
    with Project.open(project, user="tester") as p:
        p.add_span(p.documents()[0].id, 0, 4, "threat")
    before, listed = dump(project), sorted(backups.folder_for(project).iterdir())
    state = {"step": 0}

    def progress(text: str, _done: int, _total: int) -> None:
        state["step"] = int(text.split("(step ")[1][0])

    with pytest.raises(Cancelled):
        restoring.prepare(project, old, progress=progress, cancelled=lambda: state["step"] >= at_step)
    assert state["step"] == at_step
    assert dump(project) == before and integrity(project) == "ok"
    assert sorted(backups.folder_for(project).iterdir()) == listed, "no half backup, no new one"
    assert _leftovers(project) == []
    assert restoring.restore(project, old).previous is not None  # and it then runs to the end


# -- in the window ----------------------------------------------------------------------------------------------------

STATEMENTS = 10_000


@pytest.fixture
def app_window(qtbot, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """The real app's window on a project of 10 000 statements (27 MB), its backup on open made; an
    error box would fail the test (recorded, not shown)."""
    import annotator.ui.mainwindow as mainwindow
    import annotator.ui.restore as restore
    from annotator.ui.app import create_window

    errors = record_messages(monkeypatch, mainwindow, restore)

    monkeypatch.setattr(backups, "STEP_PAGES", 32)  # 128 KB a step: the bar moves
    project = tmp_path / "p.sqlite"
    with Project.open(project, create=True, user="tester", populate=incoming(random.Random(3), STATEMENTS, 5)):
        pass
    window = show_window(qtbot, create_window(project, ask_name=False))
    settled(qtbot, window)
    yield window, project
    window.close()
    assert not errors, errors


def _restore_through_the_menu(window, on_progress=None):  # type: ignore[no-untyped-def]
    """File ▸ Restore from Backup…, the newest backup chosen, Yes: the gaps between the ticks of a 10 ms timer on
    the window's thread meanwhile, and the progress dialog's labels and (value, maximum) seen."""
    from annotator.ui import restore

    seen: dict[str, list] = {"ticks": [], "labels": [], "values": []}  # type: ignore[type-arg]

    def tick() -> None:
        seen["ticks"].append(time.monotonic())
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, restore.RestoreDialog) and widget.isVisible() and widget.selected():
                widget.restore_button.click()
            elif isinstance(widget, QMessageBox) and widget.isVisible() and "Replace" in widget.text():
                widget.button(QMessageBox.StandardButton.Yes).click()
            elif isinstance(widget, QProgressDialog) and widget.isVisible():
                seen["labels"].append(widget.labelText())
                seen["values"].append((widget.value(), widget.maximum()))
                if on_progress is not None:
                    on_progress(widget)

    timer = QTimer(window)
    timer.timeout.connect(tick)
    timer.start(10)
    action = next(a for a in window.menus["&File"].actions() if a.objectName() == restore.ACTION_NAME)
    action.trigger()
    seen["ticks"].append(time.monotonic())  # the gap up to the end counts too
    timer.stop()
    return seen


def _label_key(qtbot, window, project: Path, start: int = 0) -> int:  # type: ignore[no-untyped-def]
    """Select 5 characters of the open statement from ``start`` with the keyboard and press the first label's key:
    the spans the project then holds."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    key_select(qtbot, window.view, start, 5)
    qtbot.keyClick(window.view, "1")
    with Project.open(project, readonly=True, trusted=True) as p:
        return int(p.stats()["spans"])


def test_a_restore_in_the_window_runs_in_a_thread_with_its_steps_shown(qtbot, app_window):
    window, project = app_window
    restored_to = dump(project)
    spans = _label_key(qtbot, window, project)  # a change after the backup on open, which the restore undoes
    kept = dump(project)
    seen = _restore_through_the_menu(window)
    gaps = [b - a for a, b in zip(seen["ticks"], seen["ticks"][1:], strict=False)]
    assert max(gaps) < 0.25, max(gaps)  # on the window's thread the whole restore was one gap
    assert "Restored p.sqlite" in window.statusBar().currentMessage(), window.statusBar().currentMessage()
    assert dump(project) == restored_to
    listed = backups.list_backups(project)
    assert [i.reason for i in listed] == ["before-restore", "open"]
    assert dump(listed[0].path) == kept, "the labelled span is kept in the backup made before the restore"
    for n in range(1, 5):
        assert any(f"step {n} of 4" in label for label in seen["labels"]), seen["labels"]
    assert len({v for v, m in seen["values"] if 0 < v < m}) >= 3, seen["values"]  # the bar moved within a copy
    assert len(seen["labels"]) > 10
    assert _label_key(qtbot, window, project) == spans, "the restored project is open for editing"


def test_cancel_leaves_the_project_its_backups_and_the_window_as_they_were(qtbot, app_window):
    window, project = app_window
    spans = _label_key(qtbot, window, project)
    before = dump(project)
    listed = [i.path for i in backups.list_backups(project)]
    clicked: list[str] = []

    def cancel_while_backing_up(dialog: QProgressDialog) -> None:
        if not clicked and "step 4 of 4" in dialog.labelText() and 0 < dialog.value() < dialog.maximum():
            clicked.append(dialog.labelText())
            qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)

    seen = _restore_through_the_menu(window, cancel_while_backing_up)
    assert clicked, seen["labels"]
    assert "Restore cancelled" in window.statusBar().currentMessage()
    assert dump(project) == before
    assert [i.path for i in backups.list_backups(project)] == listed
    assert _leftovers(project) == []
    assert not any(isinstance(w, QProgressDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
    # the window's connection works on: a label saved through it, then the restore asked again runs to the end
    assert _label_key(qtbot, window, project, start=10) == spans + 1
    _restore_through_the_menu(window)
    assert "Restored p.sqlite" in window.statusBar().currentMessage()
    assert _label_key(qtbot, window, project, start=10) == spans, "the backup on open, and one span labelled now"


def test_a_restore_while_the_suggestions_retrain_reads_the_project(qtbot, app_window, monkeypatch):
    """The retrain's process reads the project while it trains; the restore stops it rather than refusing as if
    another window had the project open (a label key just before a restore set one off), and it starts again on
    the restored project."""
    from annotator.ui import restore

    window, project = app_window
    restored_to = dump(project)
    _label_key(qtbot, window, project)
    retrainer = window.suggestions.retrainer
    monkeypatch.setattr(restore, "confirm", lambda *_a: True)
    for _ in range(3):
        retrainer.start_now()
        qtbot.waitUntil(retrainer.busy, timeout=5000)
        assert restore.restore_from_backup(window, backups.list_backups(project)[-1])
        assert dump(project) == restored_to
    assert window.suggestions.version is None and not retrainer.stopped  # the restored project: trained afresh
    qtbot.waitUntil(lambda: window.suggestions.version is not None, timeout=30_000)


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="SCHED_IDLE is Linux's")
def test_the_restores_checks_and_copies_run_at_idle_priority(qtbot, app_window, monkeypatch):
    """Nice 5 still let the restore's copy keep a core while the window's thread waited 31.5 ms for one (issue
    #14): through File ▸ Restore from Backup…, every step's C work (checks and copies, watched at each report)
    runs at SCHED_IDLE, and the window's thread keeps its policy."""
    window, project = app_window
    policies: set[int] = set()
    real = restoring.copy_into

    def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        policies.add(os.sched_getscheduler(threading.get_native_id()))
        return real(*args, **kwargs)

    monkeypatch.setattr(restoring, "copy_into", watched)
    _restore_through_the_menu(window)
    assert "Restored p.sqlite" in window.statusBar().currentMessage()
    assert policies == {os.SCHED_IDLE}
    assert os.sched_getscheduler(threading.get_native_id()) == os.SCHED_OTHER
