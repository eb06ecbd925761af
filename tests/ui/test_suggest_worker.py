"""The retrain off the GUI thread (issue 13): nothing read on the GUI thread, the open statement first; closing the
window in the middle of a retrain: no crash, no retrain process or thread left behind,
no Qt warning, and the project file intact."""

from __future__ import annotations

import os
import sqlite3

from PySide6.QtCore import QSettings, Qt

from annotator import pacing
from annotator.core.suggest import batch
from annotator.store import Project
from annotator.ui.app import sample_documents
from annotator.ui.suggest import worker
from tests.ui.conftest import show_window


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as f:
            return "\nState:\tZ" not in f.read()
    except FileNotFoundError:
        return False


def test_closing_the_window_mid_retrain_leaves_nothing_behind(qtbot, qtlog, tmp_path):
    import dataclasses

    from annotator.formats import jsonl
    from annotator.ui.mainwindow import MainWindow
    from tests.benchmarks.bench_suggest import EVAL_SET

    path = tmp_path / "p.sqlite"
    # the evaluation set's 68 statements, labelled and done: a training long enough to be under way at the close
    labelled = [dataclasses.replace(d, status="done") for d in jsonl.read(EVAL_SET).documents]
    project = Project.open(path, create=True, user="tester", populate=sample_documents() + labelled)
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    ctl = window.suggestions
    qtbot.waitUntil(lambda: ctl.version is not None and ctl.retrainer.idle(), timeout=180_000)
    before = len(qtlog.records)  # the offscreen platform's own notes on showing the window are not ours
    server = batch._SERVER
    assert server is not None and server.poll() is None
    pid = server.pid
    view, doc = window.view, window.session.document
    start = doc.text.index("strongly condemn")
    view.select_cp(start, start + len("strongly condemn"))
    qtbot.keyClick(view, Qt.Key.Key_1)  # a change: a retrain follows
    ctl.retrainer.start_now()  # no debounce: the training is under way now
    assert ctl.retrainer.busy()
    thread = ctl.retrainer.thread
    window.close()
    assert not thread.isRunning()
    assert thread.result is None and "Cancelled" in (thread.error or "")  # ended mid-request, not finished
    assert not worker._RUNNING
    assert batch._SERVER is None or batch._SERVER.poll() is not None
    if os.path.exists("/proc/self/status"):
        assert not _alive(pid), "the retrain process outlived the window"
    warnings = [r.message for r in qtlog.records[before:] if r.type.name != "QtDebugMsg"]
    assert warnings == []
    qtbot.wait(50)  # the closed window's deferred deletes run
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT start, label FROM spans WHERE doc_id = ?", (doc.id,)).fetchall() == [
            (start, "threat")]
        assert conn.execute("SELECT count(*) FROM spans").fetchone()[0] == 1 + sum(len(d.spans) for d in labelled)
    finally:
        conn.close()
    with Project.open(path, user="tester") as again:
        assert [(s.start, s.label) for s in again.spans(doc.id)] == [(start, "threat")]


def test_a_read_only_window_gets_suggestions_read_from_the_file_it_shows(qtbot, tmp_path):
    from annotator.ui.mainwindow import MainWindow

    path = tmp_path / "p.sqlite"
    Project.open(path, create=True, user="tester", populate=sample_documents()).close()
    project = Project.open(path, readonly=True, user="tester")
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    ctl = window.suggestions
    qtbot.waitUntil(lambda: ctl.version is not None and ctl.retrainer.idle(), timeout=120_000)
    assert ctl.shown and all(g.source.startswith("pattern:") for g in ctl.shown)
    window.close()
    project.close()


def test_a_retrain_reads_nothing_on_the_gui_thread_and_asks_the_open_statement_first(qtbot, tmp_path):
    from annotator.ui.mainwindow import MainWindow

    project = Project.open(tmp_path / "p.sqlite", create=True, user="tester", populate=sample_documents())
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    ctl = window.suggestions
    qtbot.waitUntil(lambda: ctl.version is not None and ctl.retrainer.idle(), timeout=120_000)
    asked: list[str] = []
    original = worker._Thread.__init__

    def spy(self, kind, request, *rest):
        asked.append(kind)
        assert set(request) <= {"op", "path", "doc_ids", "after", "limit", "threshold"}  # a path, never texts
        original(self, kind, request, *rest)

    statements: list[str] = []
    project.conn.set_trace_callback(statements.append)
    try:
        worker._Thread.__init__ = spy
        ctl.retrainer.start_now()
        qtbot.waitUntil(ctl.retrainer.idle, timeout=120_000)
    finally:
        worker._Thread.__init__ = original
        project.conn.set_trace_callback(None)
    assert asked[:3] == ["train", "focus", "evaluate"] and set(asked[3:]) == {"corpus"}
    assert not [s for s in statements if "documents" in s or "spans" in s], statements
    assert ctl.shown and ctl.figures() is not None
    window.close()
    project.close()


def test_the_switch_interval_is_short_while_a_request_runs_and_given_back_after(qtbot, tmp_path):
    import sys

    from annotator.ui.mainwindow import MainWindow

    before = sys.getswitchinterval()
    project = Project.open(tmp_path / "p.sqlite", create=True, user="tester", populate=sample_documents())
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    ctl = window.suggestions
    seen: list[float] = []
    original = worker._Thread.run

    def spy(self):
        seen.append(sys.getswitchinterval())  # in the worker thread, as its request runs
        original(self)

    worker._Thread.run = spy
    try:
        ctl.retrainer.start_now()
        qtbot.waitUntil(lambda: ctl.version is not None and ctl.retrainer.idle(), timeout=120_000)
    finally:
        worker._Thread.run = original
    assert seen and set(seen) == {min(before, pacing.SWITCH)}
    assert sys.getswitchinterval() == before
    window.close()
    project.close()


def test_a_switch_interval_changed_by_someone_else_meanwhile_is_left_as_they_set_it():
    import sys

    before = sys.getswitchinterval()
    marker = object()
    worker._RUNNING.add(marker)  # type: ignore[arg-type]
    try:
        worker._running_changed()
        assert sys.getswitchinterval() == min(before, pacing.SWITCH)
        worker._running_changed()  # a second request: nothing more saved
        sys.setswitchinterval(0.002)
    finally:
        worker._RUNNING.discard(marker)  # type: ignore[arg-type]
        worker._running_changed()
    try:
        assert sys.getswitchinterval() == 0.002 and not worker._switching
    finally:
        sys.setswitchinterval(before)


#: a window whose process ends without the window being closed (a script, a probe: ``app.exec()`` never ran), with
#: a training under way in a retrain process that never answers
ENDS_UNCLOSED = """
import subprocess, sys, time
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from annotator.core.suggest import batch
from annotator.store import Project
from annotator.ui.app import sample_documents
from annotator.ui.mainwindow import MainWindow

batch._start = lambda: subprocess.Popen(
    [sys.executable, "-c", "import sys, time; sys.stdin.buffer.read(1); time.sleep(120)"],
    stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def main():  # the window is a local: it is deleted as this returns, its request's thread still running
    app = QApplication([])
    window = MainWindow(Project.open(sys.argv[1], create=True, user="t", populate=sample_documents()),
                        QSettings(sys.argv[2], QSettings.Format.IniFormat))
    window.show()
    view = window.view
    start = view.text.index("strongly condemn")
    view.select_cp(start, start + len("strongly condemn"))
    QTest.keyClick(view, Qt.Key.Key_1)
    window.suggestions.retrainer.start_now()
    deadline = time.monotonic() + 20
    while batch._SERVER is None and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    assert window.suggestions.retrainer.thread.isRunning()
    print(batch._SERVER.pid, flush=True)
    return 0


sys.exit(main())
"""


def test_a_process_that_ends_with_its_window_open_mid_training_exits_cleanly(tmp_path):
    """Qt aborted such a process ("QThread: Destroyed while thread is still running"): the running request's
    thread was destroyed with the interpreter. Now the exit kills the retrain process and waits for the thread."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", ENDS_UNCLOSED, str(tmp_path / "p.sqlite"), str(tmp_path / "s.ini")],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "QThread" not in proc.stderr
    server_pid = int(proc.stdout.split()[0])
    if os.path.exists("/proc/self/status"):
        assert not _alive(server_pid), "the retrain process outlived its window"
