"""The retrain process (annotator.core.suggest.batch) never outlives the window that started it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

#: a "window" that starts the retrain process on a pipe whose write end a second process keeps open, so the retrain
#: process never sees its stdin end: only the window's death can tell it to stop
WINDOW = textwrap.dedent("""
    import os, subprocess, sys, time
    r, w = os.pipe()
    keeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], pass_fds=(w,))
    batch = subprocess.Popen([sys.executable, "-m", "annotator.core.suggest.batch"], stdin=r, stdout=subprocess.PIPE)
    print(batch.pid, keeper.pid, flush=True)
    time.sleep(60)
""")


def _gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status  # exited, waiting for a parent to reap it


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_the_retrain_process_stops_when_its_window_is_killed():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    window = subprocess.Popen([sys.executable, "-c", WINDOW], stdout=subprocess.PIPE, text=True, env=env)
    batch_pid, keeper_pid = map(int, window.stdout.readline().split())
    try:
        time.sleep(1.0)
        assert not _gone(batch_pid)
        window.send_signal(signal.SIGKILL)
        window.wait()
        deadline = time.monotonic() + 10
        while not _gone(batch_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _gone(batch_pid), "the retrain process outlived its window"
    finally:
        for pid in (batch_pid, keeper_pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        window.stdout.close()


def test_the_process_reads_the_file_itself_and_suggests_as_the_command_does(tmp_path):
    """train, suggest (some statements; the corpus in batches) and evaluate, through the requests the window
    sends, agree with the command's in-process reading of the same file."""
    from annotator.core.suggest import batch
    from annotator.core.suggest.evaluate import cross_validate
    from annotator.store import Project
    from annotator.store import suggest as store
    from annotator.ui.app import sample_documents

    path = tmp_path / "p.sqlite"
    with Project.open(path, create=True, user="t", populate=sample_documents()) as project:
        first = project.document(project.documents()[0].id)
        start = first.text.index("strongly condemn")
        project.add_span(first.id, start, start + 16, "threat")
        project.set_status(first.id, "done")
        expected = store.suggest_corpus(project, store.train(project)[0])
        figures = cross_validate(store.training_docs(project), [lb.key for lb in project.labels()],
                                 store.cues(project)).figures(0.5)
    trained = batch.handle({"op": "train", "path": str(path)})
    assert trained["spans"] == 1 and trained["documents"] == 1 and trained["cpu"] >= 0
    got, after, more = [], 0, True
    while more:  # one statement a batch
        answer = batch.suggested_from_json(batch.handle({"op": "suggest", "path": str(path), "after": after,
                                                         "limit": 1}))
        assert len(answer.docs) <= 1
        got += [(sg, text) for _title, found in answer.docs.values() for sg, text in found]
        after, more = answer.last, answer.more
    assert [(sg, text[: batch.TEXT_SENT]) for sg, _sha, text in expected] == got
    some = batch.suggested_from_json(batch.handle({"op": "suggest", "path": str(path), "doc_ids": [2, 99]}))
    assert list(some.docs) == [2] and some.docs[2][0] == sample_documents()[1].title
    evaluation = batch.evaluation_from_json(batch.handle({"op": "evaluate", "path": str(path)})["evaluation"])
    assert evaluation.figures(0.5) == figures


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="Linux scheduling classes")
def test_the_retrain_process_runs_only_on_a_cpu_nothing_else_wants():
    """A training of a large corpus takes minutes of CPU: at a mere nice 5 it took both cores' share from the
    window's threads (issue #14), so the process, and every thread it starts, runs in the idle class."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    batch = subprocess.Popen([sys.executable, "-m", "annotator.core.suggest.batch"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + 10
        threads: list[int] = []
        while time.monotonic() < deadline:
            threads = [int(t) for t in os.listdir(f"/proc/{batch.pid}/task")]
            if len(threads) >= 2 and all(os.sched_getscheduler(t) == os.SCHED_IDLE for t in threads):
                break
            time.sleep(0.05)
        assert len(threads) >= 2, "the process's watcher thread never started"
        assert [os.sched_getscheduler(t) for t in threads] == [os.SCHED_IDLE] * len(threads)
    finally:
        batch.stdin.close()
        batch.wait(10)
        batch.stdout.close()


#: a "window" whose retrain process takes a request and never answers (a long training), asked from a thread; then
#: the window ends as a closed window's process does, through the interpreter's exit
STUCK = textwrap.dedent("""
    import subprocess, sys, threading, time
    from annotator.core.suggest import batch

    def start():
        return subprocess.Popen([sys.executable, "-c", "import sys, time; sys.stdin.buffer.read(1); time.sleep(120)"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    batch._start = start
    outcome = []

    def request():
        try:
            batch.ask({"op": "train", "path": "x"})
        except batch.Cancelled:
            outcome.append("cancelled")

    threading.Thread(target=request, daemon=True).start()
    while batch._SERVER is None or not batch._LOCK.locked():
        time.sleep(0.01)
    print(batch._SERVER.pid, flush=True)
    time.sleep(0.3)
    sys.exit(0)
""")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_a_window_closed_while_a_training_runs_exits_at_once_and_leaves_no_process():
    """The process's exit ends the retrain process without waiting for the answer a thread still waits for: it
    waited for the training to end (minutes), the exit's handler blocked behind the request's lock."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    window = subprocess.Popen([sys.executable, "-c", STUCK], stdout=subprocess.PIPE, text=True, env=env)
    server_pid = int(window.stdout.readline())
    try:
        started = time.monotonic()
        window.wait(timeout=20)
        assert time.monotonic() - started < 4  # not the 5 s a polite stop waits, nor the training's 120 s
        assert window.returncode == 0
        deadline = time.monotonic() + 5
        while not _gone(server_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _gone(server_pid), "the retrain process outlived its window"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(server_pid, signal.SIGKILL)
        window.kill()
        window.stdout.close()
