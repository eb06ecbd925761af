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
