"""A large project is checked whole where waiting is cheap, not when opened (issue #14).

Opening checks the header, version and schema (and the contents of a file of a few megabytes); a larger file's
``quick_check`` and type checks run in the background once the window is up, in ``annotator check``, and when a
read fails. Here ``FULL_CHECK_BYTES`` is 0, so the small test projects are treated as large ones. The damage is
the one fuzzing found: a value of the wrong type inside the ``spans_by_doc`` index, which ``quick_check`` passes
and the export's ordered walk reads.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from annotator import cli
from annotator.store import Project, check, connection
from tests.reliability.common import make_project
from tests.ui.conftest import show_window


@pytest.fixture
def large(monkeypatch):
    monkeypatch.setattr(connection, "FULL_CHECK_BYTES", 0)


def _varint(data: bytes, i: int) -> tuple[int, int]:
    value = 0
    for k in range(9):
        b = data[i + k]
        if k == 8:
            return (value << 8) | b, i + 9
        value = (value << 7) | (b & 0x7F)
        if b < 0x80:
            return value, i + k + 1
    raise AssertionError("unreachable")


def damage_index(path: Path) -> None:
    """Make one entry of ``spans_by_doc`` hold its ``start`` as a one-character text instead of a one-byte
    integer (serial type 1 → 15: the record keeps its length, so the page stays well formed)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'spans_by_doc'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    base = (root - 1) * page_size
    head = base + (100 if root == 1 else 0)
    assert data[head] == 0x0A, "the index fits in one leaf page"
    cells = int.from_bytes(data[head + 3: head + 5], "big")
    for c in range(cells):
        cell = base + int.from_bytes(data[head + 8 + 2 * c: head + 10 + 2 * c], "big")
        _size, i = _varint(data, cell)
        _header, i = _varint(data, i)
        _doc_type, i = _varint(data, i)
        if data[i] == 1:  # start held in one byte
            data[i] = 15
            path.write_bytes(bytes(data))
            return
    raise AssertionError("no span start of one byte in the index")


@pytest.fixture
def damaged(tmp_path) -> Path:
    path = make_project(tmp_path / "damaged.sqlite", docs=3, spans=3)
    damage_index(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok", "damage quick_check does not see"
    conn.close()
    return path


def test_a_small_damaged_project_is_still_refused_when_opened(damaged):
    with pytest.raises(Exception) as refused:
        Project.open(damaged)
    assert "index of the spans holds values of the wrong type" in str(refused.value)


def test_a_large_project_opens_without_reading_its_contents(damaged, large):
    with Project.open(damaged) as project:  # identity only: the damage is met later, by what reads it
        assert len(project.documents()) == 3


@pytest.mark.parametrize("command", ["stats", "export"])
def test_commands_on_a_large_damaged_project_say_so_in_one_line(command, damaged, large, tmp_path, capsys):
    argv = ["export", str(damaged), "-o", str(tmp_path / "out.jsonl")] if command == "export" else \
        ["stats", str(damaged)]
    code = cli.main(argv)
    err = capsys.readouterr().err
    if code == 0:  # this read did not meet the damage (stats counts by label): then it is sound output
        assert command == "stats" and not err
        return
    assert code == 1
    assert len(err.splitlines()) == 1 and err.startswith("annotator: "), err
    assert "damaged" in err and "wrong type" in err, err
    assert not (tmp_path / "out.jsonl").exists()


def test_export_reads_the_index_and_names_the_damage(damaged, large, tmp_path, capsys):
    assert cli.main(["export", str(damaged), "-o", str(tmp_path / "out.jsonl")]) == 1
    assert "an index of the spans holds values of the wrong type" in capsys.readouterr().err


def test_annotator_check_finds_the_damage(damaged, capsys):
    problems, _counted = check.check_project(damaged)
    assert any("wrong type" in p for p in problems), problems
    assert check.contents_problem(damaged) is not None


def test_the_window_reports_what_the_background_check_finds(damaged, large, qtbot, tmp_path):
    from annotator.ui import integrity
    from annotator.ui.mainwindow import MainWindow

    project = Project.open(damaged)
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    checker = integrity.install(window)
    qtbot.waitUntil(lambda: checker.label is not None, timeout=10_000)
    assert checker.label.text() == "Damaged: run annotator check"
    assert "an index of the spans holds values of the wrong type" in checker.label.toolTip()
    assert "wrong type" in window.statusBar().currentMessage()
    assert window.session.project is project and not project.readonly, "it only reports: the work goes on"
    window.close()
    project.close()
    assert check.contents_problem(damaged) is not None, "nothing repaired or hidden: the backup is the remedy"


def test_a_sound_large_project_shows_nothing(tmp_path, large, qtbot):
    from annotator.ui import integrity
    from annotator.ui.mainwindow import MainWindow

    project = Project.open(make_project(tmp_path / "sound.sqlite", docs=3, spans=3))
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    checker = integrity.install(window)
    qtbot.waitUntil(lambda: checker.path is not None and not checker.running, timeout=10_000)
    checker.wait()
    qtbot.wait(50)
    assert checker.problem is None and checker.label is None
    window.close()
    project.close()


def test_the_app_installs_the_background_check(tmp_path, monkeypatch, qtbot):
    from annotator.ui import app

    monkeypatch.setattr(app, "analyst_name", lambda *_a, **_k: "tester")
    path = make_project(tmp_path / "p.sqlite", docs=2, spans=1)
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(tmp_path / "data"))
    window = app.create_window(path, ask_name=False)
    qtbot.addWidget(window)
    assert isinstance(window.integrity, app.integrity.BackgroundCheck)
    window.backups.join() if hasattr(window.backups, "join") else None
    window.close()
    window.session.project.close()
