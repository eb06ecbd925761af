"""Rotating backups through SQLite's backup API, and restoring them (CLI and GUI)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from annotator import cli, paths
from annotator.errors import AnnotatorError, ProjectFileError
from annotator.store import Project, backups, restoring
from tests.reliability.common import dump, integrity, make_project, settled
from tests.ui.conftest import record_messages, show_window


def spans_of(path: Path) -> int:
    with Project.open(path, readonly=True, trusted=True) as p:
        return int(p.stats()["spans"])


def add_spans(path: Path, n: int) -> None:
    with Project.open(path, user="tester") as p:
        doc = p.documents()[0].id
        for i in range(n):
            p.add_span(doc, i, i + 1, "threat")


# -- making backups -------------------------------------------------------------------------------------------------


def test_backup_is_one_complete_file_in_the_user_data_dir(tmp_path, user_data_dir):
    project = make_project(tmp_path / "work" / "my statements.sqlite")
    with Project.open(project) as p:
        made = backups.backup_project(p, "open")
    assert made.parent == backups.folder_for(project)
    assert made.parent.parent == paths.backups_dir()
    assert str(made).startswith(str(user_data_dir))
    assert made.parent.name.startswith("my_statements-")
    assert not list(project.parent.glob("*backup*")), "nothing is written beside the project"
    assert made.name.endswith("-open.sqlite")
    assert sorted(p.name for p in made.parent.iterdir()) == [made.name, backups.MANIFEST], "no -wal, -shm or temp file"
    assert made.read_bytes()[18:20] == b"\x01\x01", "a rollback-journal file, readable without a -wal"
    assert integrity(made) == "ok"
    assert dump(made) == dump(project)


def test_backup_includes_committed_changes_still_in_the_wal(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    with Project.open(project) as p:
        p.conn.execute("PRAGMA wal_autocheckpoint = 0")
        p.add_span(p.documents()[0].id, 0, 3, "threat", note="only in the WAL")
        assert Path(f"{project}-wal").stat().st_size > 0
        made = backups.backup_project(p)
    conn = sqlite3.connect(made)
    assert conn.execute("SELECT count(*) FROM spans WHERE note = 'only in the WAL'").fetchone()[0] == 1
    conn.close()


def test_folder_is_per_project_by_absolute_path(tmp_path, monkeypatch):
    a = backups.folder_for(tmp_path / "a" / "p.sqlite")
    b = backups.folder_for(tmp_path / "b" / "p.sqlite")
    assert a != b and a.name.startswith("p-") and b.name.startswith("p-")
    monkeypatch.chdir(tmp_path / "..")  # given back after the test: the suite's later relative paths need it
    relative = Path(tmp_path.name) / "a" / "p.sqlite"
    assert backups.folder_for(relative) == a
    hostile = backups.folder_for(tmp_path / "<b>x</b> ../..\\evil.sqlite")
    assert hostile.parent == paths.backups_dir() and "/" not in hostile.name and ".." not in hostile.name


def test_keeps_the_last_n_when_asked(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    made = []
    with Project.open(project) as p:
        for _ in range(13):
            made.append(backups.backup_project(p, "manual", keep=10))
    left = sorted(p for p in backups.folder_for(project).iterdir() if p.name != backups.MANIFEST)
    assert left == made[3:]


def test_a_clock_set_back_never_makes_rotation_delete_the_newest_backup(tmp_path, monkeypatch):
    project = make_project(tmp_path / "p.sqlite")
    with Project.open(project) as p:
        made = [backups.backup_project(p, "manual", keep=3) for _ in range(3)]

        class Yesterday(datetime):
            @classmethod
            def now(cls, tz=None):  # type: ignore[override]
                return datetime.now(tz) - timedelta(days=1)

        monkeypatch.setattr(backups, "datetime", Yesterday)
        p.add_span(p.documents()[0].id, 0, 1, "threat")
        newest = backups.backup_project(p, "periodic", keep=3)
    left = sorted(p for p in backups.folder_for(project).iterdir() if p.name != backups.MANIFEST)
    assert left == [*made[1:], newest]  # the oldest went, the one just made stayed
    assert backups.list_backups(project)[0].path == newest
    assert spans_of(newest) == spans_of(project)


def test_a_failed_backup_leaves_no_temporary_file_and_keeps_the_others(tmp_path, monkeypatch):
    project = make_project(tmp_path / "p.sqlite")
    with Project.open(project) as p:
        first = backups.backup_project(p)
        before = {f: f.read_bytes() for f in first.parent.iterdir()}

        def full(*_args, **_kwargs):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(backups.os, "replace", full)
        with pytest.raises(backups.BackupError, match="cannot back up p.sqlite to .*No space left on device"):
            backups.backup_project(p)
    assert {f: f.read_bytes() for f in first.parent.iterdir()} == before


def test_stale_temporary_files_are_cleaned(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    folder = backups.folder_for(project)
    folder.mkdir(parents=True)
    stale = folder / ".backup-killed.part"
    stale.write_bytes(b"half a backup")
    os.utime(stale, (1, 1))
    fresh = folder / ".backup-in-progress.part"
    fresh.write_bytes(b"being written")
    backups.backup_file(project)
    assert not stale.exists() and fresh.exists()
    assert [i.path for i in backups.list_backups(project)] == [p for p in folder.iterdir() if p.suffix == ".sqlite"]


def test_list_shows_time_size_documents_spans_and_unreadable_ones(tmp_path):
    project = make_project(tmp_path / "p.sqlite", docs=4, spans=2)
    first = backups.backup_file(project, "open")
    add_spans(project, 5)
    backups.backup_file(project, "periodic")
    broken = first.parent / "20000101T000000.000000Z-manual.sqlite"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    infos = backups.list_backups(project)
    assert [(i.reason, i.documents, i.spans) for i in infos] == [
        ("periodic", 4, 13), ("open", 4, 8), ("manual", None, None)
    ]
    assert infos[0].size == infos[0].path.stat().st_size and infos[0].created > infos[1].created
    assert infos[2].problem and infos[0].problem is None
    assert infos[0].why == "during work" and infos[1].why == "on open"


# -- restoring ------------------------------------------------------------------------------------------------------


def test_restore_replaces_the_project_and_keeps_the_current_one_first(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    old = backups.backup_file(project, "open")
    old_dump = dump(project)
    add_spans(project, 4)
    new_dump = dump(project)
    done = restoring.restore(project, old)
    assert dump(project) == old_dump and integrity(project) == "ok"
    assert done.previous is not None and "before-restore" in done.previous.name
    assert dump(done.previous) == new_dump, "the project as it was is itself a backup"
    assert not list(tmp_path.glob(".*restoring*")), "no temporary file left beside the project"
    # and the restore can be undone
    restoring.restore(project, done.previous)
    assert dump(project) == new_dump


def test_restore_folds_the_old_wal_in_first_and_never_replays_it(tmp_path):
    """A -wal of the old file beside the restored one would be replayed into it: the restore removes it safely,
    after its committed content went into the before-restore backup."""
    project = make_project(tmp_path / "p.sqlite")
    old = backups.backup_file(project, "open")
    old_dump = dump(project)
    script = textwrap.dedent(
        f"""
        import os
        from annotator.store import Project
        p = Project.open({str(project)!r})
        p.conn.execute("PRAGMA wal_autocheckpoint = 0")
        doc = p.documents()[0].id
        for i in range(20):
            p.add_span(doc, i, i + 2, "commitment", note="committed, in the WAL only")
        os._exit(0)  # no checkpoint, no cleanup: the WAL stays beside the file
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, env={**os.environ}, timeout=60)
    wal = Path(f"{project}-wal")
    assert wal.exists() and wal.stat().st_size > 0
    done = restoring.restore(project, old)
    assert not wal.exists() and not Path(f"{project}-shm").exists()
    assert dump(project) == old_dump
    conn = sqlite3.connect(done.previous)
    assert conn.execute("SELECT count(*) FROM spans WHERE note LIKE 'committed%'").fetchone()[0] == 20
    conn.close()
    with Project.open(project) as p:
        assert p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert p.stats()["spans"] == 18


def test_restore_is_refused_while_the_project_is_open_elsewhere(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    old = backups.backup_file(project)
    add_spans(project, 2)
    before = dump(project)
    listed = backups.list_backups(project)
    other = Project.open(project)
    try:
        with pytest.raises(ProjectFileError, match="open in another window or process"):
            restoring.restore(project, old)
        assert backups.list_backups(project) == listed  # no "before a restore" backup of a restore refused
        assert other.stats()["spans"] == 20  # the other one keeps working
        other.add_span(other.documents()[0].id, 0, 1, "threat")
    finally:
        other.close()
    def own(lines: list[str]) -> list[str]:  # not the corpus summaries the span's triggers keep (schema v4, v5)
        kept = ('"label_doc_counts"', '"span_reach"', '"overlap_pairs"', '"sentence_pairs"')
        return [x for x in lines if not any(k in x for k in kept)]

    assert len(own(dump(project))) == len(own(before)) + 2  # its span and its history row
    assert not list(tmp_path.glob(".*restoring*"))


def test_restore_over_a_damaged_project_keeps_its_bytes(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    old = backups.backup_file(project)
    data = bytearray(project.read_bytes())
    data[4096 + 10 : 4096 + 200] = os.urandom(190)
    project.write_bytes(bytes(data))
    with pytest.raises(ProjectFileError, match="damaged"):
        Project.open(project)
    done = restoring.restore(project, old)
    assert done.previous is None and done.damaged_copy is not None
    assert done.damaged_copy.read_bytes() == bytes(data)
    assert integrity(project) == "ok"


def test_restore_of_a_bad_backup_changes_nothing(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    before = project.read_bytes()
    for name, payload in [("junk.sqlite", b"not a database at all"), ("empty.sqlite", b"")]:
        bad = tmp_path / name
        bad.write_bytes(payload)
        with pytest.raises(AnnotatorError, match="not an Annotator project"):
            restoring.restore(project, bad)
    newer = make_project(tmp_path / "newer.sqlite")
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(AnnotatorError, match="newer Annotator"):
        restoring.restore(project, newer)
    assert project.read_bytes() == before
    assert not list(tmp_path.glob(".*restoring*"))


def test_restore_recreates_a_missing_project(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    old = backups.backup_file(project)
    expected = dump(project)
    project.unlink()
    done = restoring.restore(project, old)
    assert done.previous is None and dump(project) == expected


# -- the command line -----------------------------------------------------------------------------------------------


def test_cli_restore_lists_and_restores(tmp_path, capsys):
    project = make_project(tmp_path / "p.sqlite", docs=3, spans=1)
    assert cli.main(["restore", str(project)]) == 1
    assert "no backups of" in capsys.readouterr().err
    backups.backup_file(project, "open")
    add_spans(project, 2)
    backups.backup_file(project, "periodic")
    assert cli.main(["restore", str(project), "--list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split() == ["#", "time", "size", "documents", "spans", "why"]
    assert out[2].split()[0] == "1" and out[2].split()[-4:-2] == ["3", "5"] and out[2].endswith("during work")
    assert out[3].split()[0] == "2" and out[3].split()[-4:-2] == ["3", "3"] and out[3].endswith("on open")
    assert cli.main(["restore", str(project), "2"]) == 0
    out = capsys.readouterr().out
    assert "restored" in out and "before-restore" in out
    assert spans_of(project) == 3
    assert cli.main(["restore", str(project), "7"]) == 1
    assert capsys.readouterr().err.startswith("annotator: no backup 7")
    assert cli.main(["restore", str(project), "nonsense"]) == 1
    assert "no backup 'nonsense'" in capsys.readouterr().err


def test_cli_restore_in_a_subprocess_by_file_name(tmp_path):
    from tests.helpers import run_cli

    project = make_project(tmp_path / "p.sqlite")
    old = backups.backup_file(project)
    add_spans(project, 3)
    result = run_cli("restore", project, old.name)
    assert result.returncode == 0, result.stderr
    assert spans_of(project) == 18
    result = run_cli("restore", project, "--list")
    assert result.returncode == 0 and b"before a restore" in result.stdout


# -- the GUI --------------------------------------------------------------------------------------------------------


@pytest.fixture
def no_dialogs(monkeypatch):
    """Error boxes are recorded instead of shown (a modal box would wait for a click)."""
    import annotator.ui.mainwindow as mainwindow
    import annotator.ui.restore as restore

    return record_messages(monkeypatch, mainwindow, restore)


def test_gui_backs_up_on_open_and_every_few_minutes_of_work(qtbot, tmp_path, monkeypatch, no_dialogs):
    from PySide6.QtCore import Qt

    from annotator.ui.app import create_window

    monkeypatch.setenv("ANNOTATOR_BACKUP_MINUTES", str(0.15 / 60))  # every 150 ms
    project = make_project(tmp_path / "p.sqlite")
    window = show_window(qtbot, create_window(project, ask_name=False))
    settled(qtbot, window)
    listed = backups.list_backups(project)
    assert [i.reason for i in listed] == ["open"]
    qtbot.wait(400)
    assert len(backups.list_backups(project)) == 1, "no work, no new backup"
    window.view.select_cp(0, 5)
    qtbot.keyClick(window.view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(backups.list_backups(project)) == 2, timeout=3000)
    newest = backups.list_backups(project)[0]
    assert newest.reason == "periodic" and newest.spans == 19
    window.close()


def test_gui_periodic_backup_failure_says_so_and_work_goes_on(qtbot, tmp_path, monkeypatch, no_dialogs):
    from PySide6.QtCore import Qt

    from annotator.ui.app import create_window

    project = make_project(tmp_path / "p.sqlite")
    window = show_window(qtbot, create_window(project, ask_name=False))

    def full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    settled(qtbot, window)
    window.view.select_cp(0, 5)
    qtbot.keyClick(window.view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    monkeypatch.setattr(backups.os, "replace", full)
    assert window.backups.backup("periodic", wait=True) is None
    message = window.statusBar().currentMessage()
    assert message.startswith("Backup failed") and "No space left on device" in message
    assert spans_of(project) == 19 and not no_dialogs
    monkeypatch.undo()
    assert window.backups.backup("periodic", wait=True) is not None
    window.close()


def test_gui_restore_from_backup_menu(qtbot, tmp_path, monkeypatch, no_dialogs):
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from annotator.ui import restore
    from annotator.ui.app import create_window

    project = make_project(tmp_path / "p.sqlite", docs=3, spans=1)
    window = show_window(qtbot, create_window(project, ask_name=False))
    settled(qtbot, window)
    action = restore.install(window)
    assert restore.install(window) is action, "installing twice adds one action"
    file_menu = window.menus["&File"]
    assert action in file_menu.actions()
    assert file_menu.actions().index(action) < file_menu.actions().index(window.actions_["quit"])
    for end in (5, 6):  # two spans (the same one twice is refused)
        window.view.select_cp(0, end)
        qtbot.keyClick(window.view, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert spans_of(project) == 5
    assert window.session.undo_stack.count() == 2

    # the real dialog: pick the backup made on open, then confirm
    seen = {}

    def pick() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, restore.RestoreDialog)
        seen["rows"] = dialog.table.rowCount()
        seen["cells"] = [dialog.table.item(0, c).text() for c in range(5)]
        dialog.table.selectRow(0)
        QTimer.singleShot(0, yes)
        dialog.restore_button.click()

    def yes() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and box.textFormat() == Qt.TextFormat.PlainText
        seen["question"] = box.text()
        box.button(QMessageBox.StandardButton.Yes).click()

    QTimer.singleShot(0, pick)
    action.trigger()
    assert not no_dialogs, no_dialogs
    assert seen["rows"] == 1 and seen["cells"][2:] == ["3", "3", "on open"]
    assert "The project as it is now is backed up first" in seen["question"]
    assert spans_of(project) == 3
    assert [r.span_count for r in window.documents.model.rows] == [1, 1, 1]
    assert window.session.undo_stack.count() == 0, "the undo history of the replaced project is gone"
    assert not window.session.project.readonly
    assert "Restored p.sqlite" in window.statusBar().currentMessage()
    kinds = [i.reason for i in backups.list_backups(project)]
    assert kinds == ["before-restore", "open"], "restoring keeps the project as it was, and adds no other backup"
    # the window edits the restored project, and a restore can be undone
    qtbot.waitUntil(window.isActiveWindow)
    window.view.select_cp(0, 5)
    qtbot.keyClick(window.view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert spans_of(project) == 4
    before_restore = backups.list_backups(project)[0]
    monkeypatch.setattr(restore, "confirm", lambda *_a: True)
    assert restore.restore_from_backup(window, before_restore)
    assert spans_of(project) == 5
    window.close()


def test_gui_restore_failure_leaves_the_project_open_and_as_it_was(qtbot, tmp_path, monkeypatch, no_dialogs):
    from annotator.ui import restore
    from annotator.ui.app import create_window

    project = make_project(tmp_path / "p.sqlite")
    window = show_window(qtbot, create_window(project, ask_name=False))
    settled(qtbot, window)
    infos = backups.list_backups(project)
    infos[0].path.write_bytes(b"garbage")
    before = dump(project)
    monkeypatch.setattr(restore, "confirm", lambda *_a: True)
    assert not restore.restore_from_backup(window, infos[0])
    assert no_dialogs and no_dialogs[-1][0] == "Restore from Backup"
    assert "not restored" in no_dialogs[-1][1] and "not an Annotator project" in no_dialogs[-1][1]
    assert dump(project) == before
    assert window.session.project.stats()["spans"] == 18  # open again, and working
    window.close()


def test_gui_restore_without_backups_says_so(qtbot, tmp_path, no_dialogs):
    from annotator.ui import restore
    from annotator.ui.mainwindow import MainWindow

    project = make_project(tmp_path / "p.sqlite")
    from PySide6.QtCore import QSettings

    window = MainWindow(Project.open(project), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    restore.install(window)
    assert not restore.restore_from_backup(window)
    assert no_dialogs and "no backups of p.sqlite yet" in no_dialogs[0][1]
    window.close()


def test_gui_backups_run_in_the_background_while_labelling_goes_on(qtbot, tmp_path, no_dialogs):
    import random

    from PySide6.QtCore import Qt

    from annotator.ui.app import create_window
    from tests.reliability.common import incoming

    project = tmp_path / "big.sqlite"
    with Project.open(project, create=True, user="t", populate=incoming(random.Random(5), 600, spans=5)):
        pass
    window = show_window(qtbot, create_window(project, ask_name=False))
    settled(qtbot, window)
    keeper = window.backups
    window.view.select_cp(0, 5)
    qtbot.keyClick(window.view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert keeper.backup("periodic") is None and keeper.running, "the backup runs in its own thread"
    for i in range(5):  # labelling goes on meanwhile
        window.view.select_cp(10 + i * 7, 14 + i * 7)
        qtbot.keyClick(window.view, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    keeper.join()
    assert not keeper.running and keeper.last_error is None
    newest = backups.list_backups(project)[0]
    assert newest.reason == "periodic" and newest.spans is not None and 3001 <= newest.spans <= 3006
    assert spans_of(project) == 3006
    # a window closed during a backup: the backup finishes on its own, nothing breaks
    keeper.backup("periodic")
    window.close()
    if keeper._thread is not None:
        keeper._thread.join(30)
    assert integrity(backups.list_backups(project)[0].path) == "ok"


def test_gui_restore_says_it_closed_the_review(qtbot, tmp_path, monkeypatch, no_dialogs):
    from annotator.ui import restore
    from annotator.ui.app import create_window

    project = make_project(tmp_path / "p.sqlite", docs=3, spans=1)
    colleague = tmp_path / "colleague.sqlite"
    shutil.copyfile(project, colleague)
    window = show_window(qtbot, create_window(project, ask_name=False))
    settled(qtbot, window)
    assert window.review.open_paths([colleague]) == 1 and window.review.files
    monkeypatch.setattr(restore, "confirm", lambda *_a: True)
    assert restore.restore_from_backup(window, backups.list_backups(project)[0])
    assert not window.review.files
    message = window.statusBar().currentMessage()
    assert "The review was closed" in message and "kept as a backup" in message
    # whole on the status bar at the window's first width, beside its counts (the backup's file name and advice
    # ran past them and were cut, a newcomer's finding)
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QWidget

    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    bar = window.statusBar()
    beside = sum(w.width() for w in bar.findChildren(QWidget) if w.isVisible() and w.parent() is bar)
    assert QFontMetrics(bar.font()).horizontalAdvance(message) < bar.width() - beside, (message, bar.width(), beside)
    window.close()


def test_gui_restore_keeps_the_open_statements_date_and_issuer(qtbot, tmp_path, monkeypatch, no_dialogs):
    """A tester restored a backup with a statement open that had a date and issuer: the restored project had both
    emptied, by two "set_variable" rows written at the restore. The Properties panel, rebuilt for the reopened
    project, left its fields empty while it remembered the old values, and saved the empty fields as edits."""
    from annotator.store import variables as sv
    from annotator.ui import restore
    from annotator.ui.app import create_window

    project = tmp_path / "p.sqlite"
    make_project(project, docs=3, spans=1)
    with Project.open(project) as p:
        ids = [d.id for d in p.documents()]
        for doc_id in ids:
            sv.set_value(p, doc_id, "date", "2023-10-26")
            sv.set_value(p, doc_id, "issuer", f"Issuer {doc_id}")
            sv.set_value(p, doc_id, "url", "https://example.org/s")
    window = show_window(qtbot, create_window(project, ask_name=False))
    settled(qtbot, window)
    window.open_document(ids[1])
    panel = window.properties.panel
    assert panel.value_of("date") == "2023-10-26" and panel.value_of("issuer") == f"Issuer {ids[1]}"
    monkeypatch.setattr(restore, "confirm", lambda *_a: True)
    assert restore.restore_from_backup(window, backups.list_backups(project)[0])
    qtbot.wait(50)
    for doc_id in ids:  # the statement open at the restore, and one opened after it
        window.open_document(doc_id)
        qtbot.wait(10)
    window.close()
    with Project.open(project, readonly=True) as p:
        assert [(sv.fields(p, i).date, sv.fields(p, i).issuer) for i in ids] == [
            ("2023-10-26", f"Issuer {i}") for i in ids]
        written = p.conn.execute("SELECT count(*) FROM history WHERE action = 'set_variable'").fetchone()[0]
    assert written == 9, "the three statements' three values, and nothing written at or after the restore"


def test_the_restore_dialog_says_why_a_backup_is_unreadable_without_its_folder(qtbot, tmp_path):
    """A backup's problem quoted its whole path, so the cell ran out before the reason ("…/20240101T101500.123456Z-…",
    seen on Xvfb): the row is that file, named by its name; every cell is whole in its tooltip. A file of foreign
    bytes among the project's real backups, listed by the store, shown by the dialog."""

    from PySide6.QtCore import Qt

    from annotator.ui.palette import PROBLEM_COLOR
    from annotator.ui.restore import RestoreDialog

    project = make_project(tmp_path / "p.sqlite", docs=2, spans=1)
    backups.backup_file(project, "open")
    path = backups.folder_for(project) / "20240101T101500.123456Z-periodic.sqlite"
    path.write_bytes(b"<html><body>not a backup</body></html>" * 20)
    reason = "is not an Annotator project (not a SQLite database)"
    infos = backups.list_backups(project)
    assert [i.path for i in infos if i.problem] == [path]
    dialog = RestoreDialog(None, "p.sqlite", infos)
    qtbot.addWidget(dialog)
    row = [i.path for i in infos].index(path)
    made = dialog.table.item(row, 4)
    assert str(path.parent) not in made.text() and path.name in made.text() and made.text().endswith(reason)
    assert made.toolTip() == made.text()
    # legible (a disabled row was light grey on white), its reason in the problem colour, and never chosen
    assert all(dialog.table.item(row, c).flags() == Qt.ItemFlag.ItemIsEnabled for c in range(5))
    assert made.foreground().color().name() == PROBLEM_COLOR
    dialog.show()
    qtbot.waitExposed(dialog)
    cell = dialog.table.visualItemRect(made).center()
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert dialog.selected() is None and not dialog.restore_button.isEnabled()
    readable = dialog.table.item([i.path for i in infos].index(next(i.path for i in infos if not i.problem)), 0)
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=dialog.table.visualItemRect(readable).center())
    assert dialog.selected() is not None and dialog.restore_button.isEnabled()
