"""Trial 11, L1 (and its scenario T4): File ▸ Restore from Backup… while ``annotator import`` wrote into the same
project made two "before a restore" backups 1 s apart -- one of the project as the restore began (26 202
statements), one of it as it was replaced (27 002, the import in it) -- and the list said neither why there were
two nor which to pick. A restore now keeps one: the project exactly as it was replaced, every write acknowledged up
to then in it. And a write that ended between that backup and the moment the project is taken over (it was made
before the take-over) is in it too: nothing acknowledged is replaced without a copy."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.store import Project, backups, restoring
from tests.reliability.common import dump, incoming, integrity, make_project, settled
from tests.reliability.test_restore_steps import _restore_through_the_menu
from tests.reliability.test_trust import run_cli
from tests.ui.conftest import record_messages, show_window

IMPORTED = 40


def _statements(path: Path) -> int:
    with Project.open(path, readonly=True, trusted=True) as p:
        return int(p.stats()["documents"])


def _jsonl(tmp_path: Path, n: int = IMPORTED) -> Path:
    file = tmp_path / "incoming.jsonl"
    file.write_text("".join(json.dumps({"text": f"Statement {i} imported from the command line while the window "
                                                f"restored the project.", "spans": []}) + "\n" for i in range(n)))
    return file


@pytest.fixture
def window_on_project(qtbot, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    import annotator.ui.mainwindow as mainwindow
    import annotator.ui.restore as restore
    from annotator.ui.app import create_window

    errors = record_messages(monkeypatch, mainwindow, restore)
    project = tmp_path / "p.sqlite"
    with Project.open(project, create=True, user="tester", populate=incoming(random.Random(5), 300, 3)):
        pass
    window = show_window(qtbot, create_window(project, ask_name=False))
    settled(qtbot, window)
    yield window, project
    window.close()
    assert not errors, errors


def test_a_restore_while_annotator_import_writes_keeps_one_backup_with_the_import(
        qtbot, window_on_project, tmp_path, monkeypatch):
    window, project = window_on_project
    restored_to = dump(project)  # the backup on open: what the restore puts back
    before = _statements(project)
    incoming_file = _jsonl(tmp_path)
    imported: list[str] = []
    real_prepare = restoring.prepare

    def prepare_then_import(*args, **kwargs):  # type: ignore[no-untyped-def]
        prepared = real_prepare(*args, **kwargs)  # the project backed up as the restore began...
        # ...then `annotator import` beside the window, to the end (acknowledged), before the project is replaced
        result = run_cli("import", str(project), str(incoming_file))
        imported.append(result.stdout + result.stderr)
        assert result.returncode == 0, result.stderr
        return prepared

    monkeypatch.setattr(restoring, "prepare", prepare_then_import)
    _restore_through_the_menu(window)
    assert imported and f"imported {IMPORTED}" in imported[0], imported
    assert "Restored p.sqlite" in window.statusBar().currentMessage(), window.statusBar().currentMessage()
    assert dump(project) == restored_to and integrity(project) == "ok"

    listed = backups.list_backups(project)
    before_restore = [i for i in listed if i.reason == "before-restore"]
    assert len(before_restore) == 1, [(i.name, i.documents) for i in listed]
    kept = before_restore[0]
    assert kept.documents == before + IMPORTED == _statements(kept.path), "the import is in the one backup kept"

    # and the Restore from Backup list shows that one, once, the newest
    seen: list[list[str]] = []

    def read_the_list() -> None:
        from annotator.ui import restore

        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, restore.RestoreDialog) and widget.isVisible():
                table = widget.table
                seen.append([table.item(r, restore.COLUMNS.index("Made")).text() for r in range(table.rowCount())])
                widget.reject()

    from PySide6.QtCore import QTimer

    timer = QTimer(window)
    timer.timeout.connect(read_the_list)
    timer.start(20)
    try:
        action = next(a for a in window.menus["&File"].actions() if a.objectName() == "restore_backup")
        action.trigger()
        qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    finally:
        timer.stop()
    assert seen[0].count("before a restore") == 1 and seen[0][0] == "before a restore", seen[0]
    assert not any(isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets())


def test_a_write_that_ends_just_before_the_take_over_is_in_the_backup(tmp_path, monkeypatch):
    """The last moment another process can write is just before the restore takes the project over; the backup
    of the project as it was replaced is made after that, under the restore's lock."""
    project = make_project(tmp_path / "p.sqlite")
    old = backups.backup_file(project, "open")
    prepared = restoring.prepare(project, old)
    with Project.open(project, user="tester") as p:  # saved after the long part: the backup is made again
        p.add_span(p.documents()[0].id, 2, 9, "commitment", note="saved while the restore prepared")
    real_take_over = restoring._take_over
    last: list[list[str]] = []

    incoming_file = _jsonl(tmp_path, 3)

    def write_then_take_over(conn, path):  # type: ignore[no-untyped-def]
        result = run_cli("import", str(project), str(incoming_file))  # acknowledged just before the take-over
        assert result.returncode == 0 and "imported 3" in result.stdout, result.stderr
        last.append(dump(project))
        return real_take_over(conn, path)

    monkeypatch.setattr(restoring, "_take_over", write_then_take_over)
    try:
        done = prepared.finish()
    finally:
        prepared.discard()
    done.let_go()
    assert last and done.previous is not None
    assert dump(done.previous) == last[0], "the import acknowledged just before the take-over is in the backup"
    # the import into a project holding statements is backed up first, so it can be taken back (trial 13, F12)
    assert [i.reason for i in backups.list_backups(project)] == ["before-restore", "before-import", "open"]
