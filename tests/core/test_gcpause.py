"""gc.freeze is process-wide: the report, the background comparison and the suggestions' retrain each hold it, and
one letting go must not give back to the collector what another still holds; the last one gives everything back
(frozen cycles that became garbage would otherwise never be freed). Background threads pace themselves."""

from __future__ import annotations

import gc
import sys
import threading
import time
import weakref

import pytest

from annotator import gcpause, pacing


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def _seen(obj: object) -> bool:
    """Whether the collector's generations hold ``obj`` (frozen objects are in none of them)."""
    return any(o is obj for o in gc.get_objects())


@pytest.fixture(autouse=True)
def _thawed():
    assert gcpause.holders() == 0
    gc.unfreeze()
    yield
    while gcpause.holders():
        gcpause.release()
    gc.unfreeze()


def test_two_holders_neither_thaws_what_the_other_holds_and_the_last_gives_all_back():
    old = _Node()
    gcpause.hold()  # the window's long hold (suggestions)
    assert not _seen(old) and gc.get_freeze_count() > 0
    made_between = _Node()
    assert _seen(made_between)  # made after the hold: collected as usual
    with gcpause.held():  # a report starts and ends meanwhile
        assert not _seen(old) and not _seen(made_between)
        assert gcpause.holders() == 2
    assert gcpause.holders() == 1
    assert not _seen(old) and not _seen(made_between)  # the report's release thawed nothing
    gcpause.release()
    assert gcpause.holders() == 0 and gc.get_freeze_count() == 0
    assert _seen(old) and _seen(made_between)
    gcpause.release()  # one too many: nothing happens
    assert gcpause.holders() == 0


class _Leaf:
    """Tracked by the collector, in no cycle."""


def test_a_frozen_cycle_is_freed_once_the_last_holder_lets_go():
    plain, cyclic = _Leaf(), _Node()
    plain_ref, cyclic_ref = weakref.ref(plain), weakref.ref(cyclic)
    gcpause.hold()
    del plain, cyclic
    gc.collect()
    assert plain_ref() is None  # frozen, yet freed when its last reference went
    assert cyclic_ref() is not None  # a frozen cycle: out of the collector's reach while held
    gcpause.release()
    gc.collect()
    assert cyclic_ref() is None


def test_imported_loads_with_no_pass_and_freezes_what_it_made(tmp_path, monkeypatch):
    (tmp_path / "gcpause_big_module.py").write_text("OBJECTS = [[i] for i in range(60000)]\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "gcpause_big_module", raising=False)
    passes: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            passes.append(info["generation"])

    assert gc.isenabled()
    gc.callbacks.append(seen)
    try:
        gcpause.imported("gcpause_big_module")
    finally:
        gc.callbacks.remove(seen)
    assert passes == []  # 60 000 new lists and not one pass while they loaded
    assert gc.isenabled()
    module = sys.modules["gcpause_big_module"]
    assert not _seen(module.OBJECTS) and gc.get_freeze_count() >= 60000
    gc.disable()
    try:
        gcpause.imported("gcpause_big_module")  # loaded already: nothing happens, and a disabled collector stays so
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_paced_thread_pauses_and_an_unpaced_one_never_does():
    mine = pacing.pauses()  # this thread's count so far (an earlier test may have paced it)
    pacing.pace()  # not paced: returns at once, counts nothing
    assert pacing.pauses() == mine
    counted: list[int] = []

    def work() -> None:
        with pacing.paced(every=0.001, pause=0.0001):
            end = time.monotonic() + 0.05
            while time.monotonic() < end:
                pacing.pace()
            list(pacing.rows(range(1000), every=100))
        counted.append(pacing.pauses())
        before = pacing.pauses()
        pacing.pace()  # after the block: no pause
        counted.append(pacing.pauses() - before)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert counted[0] >= 10 and counted[1] == 0
    assert pacing.pauses() == mine  # another thread's pauses are its own


def test_the_collector_stays_off_until_the_last_of_two_overlapping_blocks_ends():
    """Two threads' ``collector_off`` blocks that overlap without nesting (the report's import, the comparison's
    alignment): the first to end must not turn the collector on under the other; a collector off before stays off."""
    first, second = gcpause.collector_off(), gcpause.collector_off()
    assert gc.isenabled()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the second block still runs
    second.__exit__(None, None, None)
    assert gc.isenabled()
    gc.disable()
    try:
        with gcpause.collector_off():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


def test_a_pause_made_on_one_thread_holds_across_blocks_of_another_until_resumed():
    """The window's thread pauses the collector for a job (``ui/background.py``) and resumes it after the job's
    thread has ended; the job's own blocks, begun and ended in its thread, never turn it on meanwhile."""
    gcpause.pause()
    try:
        def job() -> None:
            with gcpause.collector_off():
                pass
            with gcpause.collector_paused():
                pass

        thread = threading.Thread(target=job)
        thread.start()
        thread.join()
        assert not gc.isenabled() and gcpause.paused()
    finally:
        gcpause.resume()
    assert gc.isenabled() and not gcpause.paused()
    gc.unfreeze()
