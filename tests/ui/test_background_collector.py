"""No cycle-collector pass ever runs in a background thread of the window (``ui/background.py``, ``gcpause``).

A pass frees every unreachable cycle, closed windows' Qt objects among them; run in a job's thread, PySide deleted
them there holding a Qt lock while the window's thread waited for it holding the interpreter's lock, and the two
waited on each other for good (CI, stop 33: a Corpus window's job). Every pass is recorded here with the thread
that ran it (``gc.callbacks``) while an analyst's afternoon runs: an import, a search, an export, a backup, each job
making cyclic garbage of its own -- then the collector is on again, turned on by the window's thread.
"""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject

from annotator import gcpause
from annotator.core.model import IncomingDocument
from annotator.ui import background, dialogs
from annotator.ui.autobackup import AutoBackup
from tests.ui.conftest import on_dialog
from tests.ui.test_file_jobs import _export_as, _trigger
from tests.ui.test_search_dock import _search


class _Passes:
    """The name of the thread that ran each collector pass started meanwhile."""

    def __init__(self) -> None:
        self.threads: list[str] = []

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.threads.append(threading.current_thread().name)

    def __enter__(self) -> _Passes:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)

    def elsewhere(self) -> list[str]:
        return [name for name in self.threads if name != threading.main_thread().name]


def _cycles(n: int) -> None:
    """Cyclic garbage, a Qt object in some: what a job's allocations meet (a closed window's widgets)."""
    for i in range(n):
        node: dict[str, object] = {"i": i}
        node["self"] = node
        if i % 500 == 0:
            node["qt"] = QObject()


def _settled(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Every background thread ended (the window's suggestions may still be training in theirs: the collector stays
    off until then) and the window's thread turned the collector back on."""
    qtbot.waitUntil(lambda: not gcpause.paused(), timeout=60_000)
    assert gc.isenabled()


def test_a_job_thread_never_runs_a_pass_and_the_window_thread_turns_the_collector_on_after(qtbot):
    class Job(background.Thread):
        def work(self) -> None:
            _cycles(50_000)  # 70 times the first generation's threshold
            self.enabled_inside = gc.isenabled()

    job = Job()
    with _Passes() as passes:
        job.start()
        assert job.wait(30_000)
        assert not gc.isenabled()  # ended in its thread: the window's thread has not turned it on yet
        _settled(qtbot)
        _cycles(5_000)  # the window's own garbage: its passes run here
    assert job.enabled_inside is False
    assert passes.elsewhere() == []
    assert passes.threads  # the window's thread did collect after it


def test_a_plain_thread_too_and_a_collector_off_before_stays_off(qtbot):
    with _Passes() as passes:
        background.thread(lambda: _cycles(50_000), "annotator-test").join(30)
        _settled(qtbot)
    assert passes.elsewhere() == []
    gc.disable()
    try:
        background.thread(lambda: None, "annotator-test").join(30)
        qtbot.wait(50)
        assert not gc.isenabled() and not gcpause.paused()
    finally:
        gc.enable()


def test_overlapping_jobs_keep_it_off_until_the_last_one_ends(qtbot):
    go = threading.Event()

    class Waits(background.Thread):
        def work(self) -> None:
            go.wait(10)

    first, second = Waits(), Waits()
    first.start()
    second.start()
    go.set()
    first.wait(10_000)
    second.wait(10_000)
    _settled(qtbot)


def test_an_afternoon_of_search_export_and_backup_runs_no_pass_outside_the_window_thread(window, project, qtbot,
                                                                                       tmp_path):
    """The jobs a window runs, one after another, the window making garbage meanwhile: every pass on its thread."""
    statements = 3000
    project.import_documents([IncomingDocument(f"{i}. We reaffirm our ironclad commitment 😀.\r\n" * 3, f"s{i}")
                              for i in range(statements)])
    backups = AutoBackup(window)
    with _Passes() as passes:
        controller = _search(qtbot, window, "ironclad")
        assert controller.model.rowCount() > 0
        out = tmp_path / "all.jsonl"
        answers = on_dialog(dialogs.ExportDialog, _export_as("jsonl", out))  # noqa: F841 - kept alive meanwhile
        _trigger(window, "Export…")
        assert len(out.read_bytes().splitlines()) == len(project.documents())
        backups.backup("periodic")
        _cycles(20_000)  # the window's own garbage while the backup runs
        backups.join(30)
        assert backups.last is not None and backups.last_error is None
        _settled(qtbot)
    assert passes.threads and passes.elsewhere() == []


def test_not_even_a_jobs_first_or_last_allocations_start_a_pass_in_its_thread(qtbot):
    """Paused from inside the job's thread, its first allocations (the thread's start, the pause itself) and its
    last (after the resume) could still start a pass there: about one job start in a hundred at the default
    thresholds (a reviewer's count, stop 34). At a threshold of one, every allocation made with the collector on
    would show here."""

    class Job(background.Thread):
        def work(self) -> None:
            _cycles(20)

    before = gc.get_threshold()
    with _Passes() as passes:
        gc.set_threshold(1)
        try:
            for _ in range(40):
                job = Job()
                job.start()
                plain = background.thread(lambda: _cycles(20), "annotator-test")
                job.wait()
                plain.join()
                qtbot.wait(1)  # the window's thread takes the ends in
            _settled(qtbot)
        finally:
            gc.set_threshold(*before)
    assert passes.threads and passes.elsewhere() == []
