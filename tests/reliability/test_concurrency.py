"""Two processes or windows on one project: the second waits, or opens read-only and says so; nothing is lost."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator import cli
from annotator.store import Project
from annotator.store.editlock import EditorLock, open_for_editing
from tests.reliability.common import integrity, make_project
from tests.ui.conftest import record_messages, show_window

ROOT = Path(__file__).resolve().parents[2]

ADDER = textwrap.dedent(
    """
    import sys
    from annotator.store import Project
    path, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with Project.open(path, user=who) as p:
        docs = [d.id for d in p.documents()]
        print("ready", flush=True)
        sys.stdin.readline()  # start together
        for i in range(n):
            span = p.add_span(docs[i % len(docs)], i % 50, i % 50 + 3, "threat", note=f"{who} {i}")
            print("ack", span.id, flush=True)
    """
)


def spawn(script: str, *args: object, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def test_two_processes_adding_spans_at_once_lose_nothing(tmp_path):
    project = make_project(tmp_path / "p.sqlite", docs=3, spans=0)
    n = 150
    procs = [spawn(ADDER, project, who, n) for who in ("ann", "bob")]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    acked = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        acked += [int(line.split()[1]) for line in out.splitlines() if line.startswith("ack")]
    assert len(acked) == 2 * n and len(set(acked)) == 2 * n
    assert integrity(project) == "ok"
    with Project.open(project) as p:
        notes = {s.note for d in p.documents() for s in p.spans(d.id)}
        ids = {s.id for d in p.documents() for s in p.spans(d.id)}
        assert set(acked) <= ids
        assert {f"{who} {i}" for who in ("ann", "bob") for i in range(n)} <= notes
        assert len(p.history(1000)) >= 2 * n


HOLDER = textwrap.dedent(
    """
    import sys, time
    from annotator.store import Project
    p = Project.open(sys.argv[1])
    p.conn.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
    p.conn.execute("COMMIT")
    p.close()
    """
)


def test_the_command_line_waits_for_another_writer(tmp_path, capsys):
    project = make_project(tmp_path / "p.sqlite")
    statement = tmp_path / "new.txt"
    statement.write_text("A new statement arrives while another process writes.")
    holder = spawn(HOLDER, project, 1.0)
    assert holder.stdout.readline().strip() == "holding"
    started = time.monotonic()
    assert cli.main(["import", str(project), str(statement)]) == 0
    assert time.monotonic() - started >= 0.5, "it waited its turn"
    assert "imported 1 statement" in capsys.readouterr().out
    holder.communicate(timeout=30)


@pytest.mark.timeout(60)
def test_a_writer_that_never_lets_go_gets_a_clear_message(tmp_path, capsys):
    project = make_project(tmp_path / "p.sqlite")
    statement = tmp_path / "new.txt"
    statement.write_text("A new statement.")
    holder = spawn(HOLDER, project, 8.0)
    assert holder.stdout.readline().strip() == "holding"
    assert cli.main(["import", str(project), str(statement)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"annotator: cannot import {project}: the project is busy in another window or process; "
                   "try again in a moment"]
    holder.communicate(timeout=30)
    assert cli.main(["import", str(project), str(statement)]) == 0


WINDOW = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    from annotator.ui.app import create_window
    app = QApplication([])
    window = create_window(__import__("pathlib").Path(sys.argv[1]), ask_name=False)
    window.show()
    app.processEvents()
    print("readonly" if window.session.project.readonly else "editing", flush=True)
    doc = window.session.document.id
    for line in sys.stdin:
        if line.strip() == "add":
            window.session.project.add_span(doc, 0, 3, "commitment", note="first window")
            print("added", flush=True)
        else:
            break
    window.close()
    """
)


@pytest.fixture
def recorded(monkeypatch):
    import annotator.ui.app as app
    import annotator.ui.mainwindow as mainwindow

    return record_messages(monkeypatch, mainwindow, app)


def test_a_second_window_in_another_process_opens_read_only_and_says_so(tmp_path, qtbot, recorded):
    from annotator.ui.app import create_window

    project = make_project(tmp_path / "p.sqlite", docs=3)
    first = spawn(WINDOW, project, env={"QT_QPA_PLATFORM": "offscreen"})
    assert first.stdout.readline().strip() == "editing"
    second = create_window(project, ask_name=False)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    second.activateWindow()
    second.view.setFocus()
    qtbot.waitUntil(second.isActiveWindow)
    assert second.session.project.readonly
    reason = second.session.project.readonly_reason
    assert f"open for editing in another Annotator window (process {first.pid})" in reason
    assert second.readonly_label.text() == "Read-only: open in another window"
    # a change here is refused, and says why
    second.view.select_cp(0, 4)
    qtbot.keyClick(second.view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert recorded and recorded[-1][0] == "Not saved" and "is open read-only" in recorded[-1][1]
    assert second.session.undo_stack.count() == 0
    # the first window goes on editing, and nothing it saves is lost
    first.stdin.write("add\n")
    first.stdin.flush()
    assert first.stdout.readline().strip() == "added"
    first.stdin.write("quit\n")
    first.stdin.flush()
    first.communicate(timeout=60)
    second.close()
    with Project.open(project) as p:
        assert [s.note for d in p.documents() for s in p.spans(d.id) if s.note == "first window"] == ["first window"]
    # once the first window is closed, a window edits it again
    third = create_window(project, ask_name=False)
    qtbot.addWidget(third)
    assert not third.session.project.readonly and not hasattr(third, "readonly_label")
    third.close()


def test_two_windows_in_one_process(tmp_path, qtbot, recorded):
    from annotator.ui.app import create_window

    project = make_project(tmp_path / "p.sqlite")
    first = create_window(project, ask_name=False)
    qtbot.addWidget(first)
    second = create_window(project, ask_name=False)
    qtbot.addWidget(second)
    assert not first.session.project.readonly and second.session.project.readonly
    assert "another Annotator window" in second.session.project.readonly_reason
    second.close()
    first.close()  # closing releases the lock at once
    again = create_window(project, ask_name=False)
    qtbot.addWidget(again)
    assert not again.session.project.readonly
    again.close()


def test_the_lock_is_released_when_the_process_dies(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    killer = textwrap.dedent(
        """
        import os, sys
        from annotator.store.editlock import open_for_editing
        p = open_for_editing(sys.argv[1])
        print("locked", flush=True)
        os.kill(os.getpid(), 9)
        """
    )
    proc = spawn(killer, project)
    assert proc.stdout.readline().strip() == "locked"
    proc.communicate(timeout=30)
    with open_for_editing(project) as p:
        assert not p.readonly
    lock = EditorLock.acquire(project)
    assert not isinstance(lock, str)
    lock.release()


def test_a_window_and_the_command_line_at_once(tmp_path, qtbot, recorded):
    from annotator.ui.app import create_window

    project = make_project(tmp_path / "p.sqlite", docs=2)
    folder = tmp_path / "incoming"
    folder.mkdir()
    for i in range(40):
        (folder / f"s{i}.txt").write_text(f"Statement {i}: the allies condemn the launches. " * 20)
    window = show_window(qtbot, create_window(project, ask_name=False))
    result: dict[str, subprocess.CompletedProcess] = {}
    importer = threading.Thread(target=lambda: result.update(run=subprocess.run(
        [sys.executable, "-m", "annotator", "import", str(project), str(folder)], capture_output=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)))
    importer.start()
    labelled = 0
    text = window.session.document.text
    while importer.is_alive() or labelled < 20:
        start = (labelled * 5) % (len(text) - 6)
        window.view.select_cp(start, start + 4)
        qtbot.keyClick(window.view, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
        labelled += 1
    importer.join()
    assert result["run"].returncode == 0, result["run"].stderr
    assert not recorded, recorded
    shown = {(s.start, s.end) for s in window.view.spans_in_order()}
    window.close()
    with Project.open(project) as p:
        assert len(p.documents()) == 42
        doc = p.documents()[0].id
        assert shown <= {(s.start, s.end) for s in p.spans(doc)}
        assert p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_restore_refused_while_a_window_edits_the_project_writes_no_backup(tmp_path, capsys):
    """``annotator restore`` beside a window editing the project: refused at once, with the window named, and no
    "before a restore" backup added for a restore that never happened (a newcomer's trial listed one per attempt)."""
    from annotator.store import backups

    project = make_project(tmp_path / "p.sqlite", docs=3)
    backups.backup_file(project)
    listed = backups.list_backups(project)
    window = spawn(WINDOW, project, env={"QT_QPA_PLATFORM": "offscreen"})
    try:
        assert window.stdout.readline().strip() == "editing"
        for attempt in ("1", "1"):
            assert cli.main(["restore", str(project), attempt]) == 1
            err = capsys.readouterr().err
            assert "open for editing in another Annotator window" in err and "then restore" in err
        assert backups.list_backups(project) == listed
    finally:
        window.communicate(timeout=60)  # its stdin closed: the window ends
