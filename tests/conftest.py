"""Shared test set-up: offscreen Qt, an isolated user data directory, hypothesis profiles."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Qt keeps its own dialogs' state (a file dialog's folders, columns, view) in the user's configuration folder
# (~/.config/QtProject.conf), read once per process: the tests' go to a folder of their own, not the developer's
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="annotator-tests-config-")
# removed when the run ends: a developer's /tmp had gathered 434 of them
atexit.register(shutil.rmtree, os.environ["XDG_CONFIG_HOME"], ignore_errors=True)

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

# CI is a gate, so its examples are derandomized (the same every run); local runs explore new ones
settings.register_profile(
    "ci", max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(autouse=True)
def user_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every test gets its own user data directory (default project, backups, settings)."""
    path = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(path))
    return path


MODAL_LIMIT_S = 60


@pytest.fixture(autouse=True)
def modal_watchdog(request):
    """Fail, never hang: a dialog left open for a minute (its driver missed it) is closed, and the test fails.

    pytest-timeout's signal cannot interrupt Qt's own event loop inside ``exec()``, so a forgotten dialog would
    otherwise wait for input until CI's own limit.
    """
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        yield  # no Qt in this test (the core's tests never load it)
        return
    request.getfixturevalue("qapp")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication, QDialog

    clock = QElapsedTimer()
    clock.start()
    first_seen: dict[int, int] = {}  # id of each visible dialog -> when it was first seen open (ms)
    closed: list[str] = []

    def check():
        now = clock.elapsed()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                if now - first_seen.setdefault(id(widget), now) > MODAL_LIMIT_S * 1000:
                    closed.append(f"{type(widget).__name__} {widget.windowTitle()!r}")
                    widget.reject()
            else:
                first_seen.pop(id(widget), None)

    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(250)
    yield
    timer.stop()
    assert not closed, f"modal dialogs left open for {MODAL_LIMIT_S} s were closed: {closed}"


@pytest.fixture(autouse=True)
def checkpoint_threads_stopped():
    """A project a test opened for editing is closed by its end: its checkpoint thread, left running, goes on into
    later tests (CI, stop 35: a leftover thread's collector passes failed another test)."""
    from annotator.store import checkpoints

    before = set(checkpoints._RUNNING)
    yield
    left = [each for each in list(checkpoints._RUNNING) if each not in before]
    for each in left:
        each.stop()
    assert not left, f"checkpoint thread(s) left running for {[str(each.path) for each in left]}"
