"""annotator/pacing.py: a paced thread hands the GIL over between small steps, between the modules it imports, and
with the interpreter's switch interval lowered while it runs."""

from __future__ import annotations

import os
import sys
import textwrap
import threading
import time

import pytest

from annotator import pacing


def test_the_switch_interval_is_lowered_while_any_thread_is_paced_and_given_back_after_the_last():
    default = sys.getswitchinterval()
    entered, leave = threading.Event(), threading.Event()

    def other() -> None:
        with pacing.paced():
            entered.set()
            leave.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    assert entered.wait(10)
    try:
        assert sys.getswitchinterval() == min(default, pacing.SWITCH)
        with pacing.paced():
            assert sys.getswitchinterval() == min(default, pacing.SWITCH)
        assert sys.getswitchinterval() == min(default, pacing.SWITCH), "the first to leave gave it back too soon"
    finally:
        leave.set()
        thread.join(10)
    assert sys.getswitchinterval() == default


def test_an_interval_someone_else_set_meanwhile_is_left_alone():
    default = sys.getswitchinterval()
    try:
        with pacing.quick_switches():
            sys.setswitchinterval(0.002)
        assert sys.getswitchinterval() == 0.002
    finally:
        sys.setswitchinterval(default)


def test_a_paced_thread_pauses_between_the_modules_it_imports(tmp_path, monkeypatch):
    """Each module of the package works 2 ms at import and looks for the next: the paced import pauses between
    them (a chart library's import in the report's thread kept the window from the GIL, issue #14); an import in
    a thread that is not paced does not."""
    package = tmp_path / "pacedpkg"
    package.mkdir()
    busy = "import time\nt = time.perf_counter()\nwhile time.perf_counter() - t < 0.002: pass\n"
    (package / "__init__.py").write_text(busy + "from . import m0\n")
    for k in range(8):
        nxt = f"from . import m{k + 1}\n" if k < 7 else ""
        (package / f"m{k}.py").write_text(textwrap.dedent(busy) + nxt)
    (tmp_path / "plainpkg").mkdir()
    for path in package.iterdir():
        (tmp_path / "plainpkg" / path.name).write_text(path.read_text())
    monkeypatch.syspath_prepend(str(tmp_path))
    counted: dict[str, int] = {}

    def load(name: str, paced: bool) -> None:
        start = pacing.pauses()
        if paced:
            with pacing.paced():
                __import__(name)
        else:
            __import__(name)
        counted[name] = pacing.pauses() - start

    try:
        for name, paced in (("pacedpkg", True), ("plainpkg", False)):
            thread = threading.Thread(target=load, args=(name, paced))
            thread.start()
            thread.join(10)
    finally:
        for name in [m for m in sys.modules if m.split(".")[0] in ("pacedpkg", "plainpkg")]:
            del sys.modules[name]
    assert counted["pacedpkg"] >= 3, counted  # 18 ms of work in 2 ms pieces, a pause every 3 ms
    assert counted["plainpkg"] == 0



def test_the_suggestions_requests_and_a_paced_thread_share_one_count_whichever_ends_first():
    """Two owners that each saved and restored the interval left it lowered for good when they ended in the other
    order than they began; counted in one place, the default comes back either way."""
    default = sys.getswitchinterval()
    pacing.switch_quickly()  # a suggestions request starts
    with pacing.paced():  # a report starts
        pacing.switch_back()  # the request ends first
        assert sys.getswitchinterval() == min(default, pacing.SWITCH)
    assert sys.getswitchinterval() == default


def test_drop_empties_large_containers_a_slice_per_pause_in_a_paced_thread_only():
    """Freed at once as a function returns, 100 000 rows held the GIL 20-30 ms with no switch point (issue #14):
    a paced thread empties them a slice at a time, pausing between; elsewhere they are left to be freed as usual."""
    rows, by_key, keys = [(i, str(i)) for i in range(20_000)], {str(i): i for i in range(10_000)}, set(range(9_000))
    pacing.drop(rows, by_key, keys)  # not paced: untouched
    assert len(rows) == 20_000 and len(by_key) == 10_000 and len(keys) == 9_000
    counted: list[int] = []

    def work() -> None:
        with pacing.paced(every=0.0, pause=0.0):
            before = pacing.pauses()
            pacing.drop(rows, by_key, keys)
            counted.append(pacing.pauses() - before)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert rows == [] and by_key == {} and keys == set()
    slices = -(-20_000 // pacing.DROP_SLICE) + -(-10_000 // pacing.DROP_SLICE) + -(-9_000 // pacing.DROP_SLICE)
    assert counted == [slices]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own priority is Linux's setpriority")
def test_a_paced_thread_runs_at_a_lower_priority_than_the_window_and_only_while_paced():
    """On two cores the window's thread woke and waited 15.7 ms for a CPU while the report's threads ran (issue #14):
    a paced thread yields its core to it (nice +NICER), and only its own; the window's thread keeps its priority."""
    main = threading.get_native_id()
    seen: dict[str, int] = {}

    def work() -> None:
        me = threading.get_native_id()
        seen["before"] = os.getpriority(os.PRIO_PROCESS, me)
        with pacing.paced():
            seen["inside"] = os.getpriority(os.PRIO_PROCESS, me)
            seen["window"] = os.getpriority(os.PRIO_PROCESS, main)
            with pacing.paced():  # a nested block lowers nothing more
                seen["nested"] = os.getpriority(os.PRIO_PROCESS, me)
        seen["after"] = os.getpriority(os.PRIO_PROCESS, me)

    window = os.getpriority(os.PRIO_PROCESS, main)
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen["inside"] == min(19, seen["before"] + pacing.NICER) > seen["before"]
    assert seen["window"] == window
    assert seen["nested"] == seen["inside"]
    if os.geteuid() == 0:  # a raise back needs the privilege (otherwise the thread ends with its job, lowered)
        assert seen["after"] == seen["before"]


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="SCHED_IDLE is Linux's")
def test_c_work_in_a_paced_thread_runs_idle_and_only_there():
    """Restore from Backup's copy kept a core at nice 5 while the window's thread waited 31.5 ms for one (issue #14):
    its C work runs at SCHED_IDLE, which any woken thread preempts; the window's thread and the command line's work
    (not paced) keep their policy."""
    main = threading.get_native_id()
    seen: dict[str, int] = {}

    def work() -> None:
        me = threading.get_native_id()
        with pacing.idle_in_c():
            seen["unpaced"] = os.sched_getscheduler(me)
        with pacing.paced():
            with pacing.idle_in_c():
                seen["inside"] = os.sched_getscheduler(me)
                seen["window"] = os.sched_getscheduler(main)
            seen["after"] = os.sched_getscheduler(me)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen["unpaced"] == os.SCHED_OTHER
    assert seen["inside"] == os.SCHED_IDLE
    assert seen["window"] == os.SCHED_OTHER
    if os.geteuid() == 0:  # going back needs the privilege (otherwise the thread ends with its job, idle)
        assert seen["after"] == os.SCHED_OTHER



def _pauses_while(main_waits: bool) -> int:
    """The pauses a paced thread makes in 30 ms of work between two timed pauses (``every`` 10 s), while the main
    thread waits on a lock the thread holds (a futex, as for the GIL), or sleeps."""
    held, started = threading.Lock(), threading.Event()
    made: list[int] = []

    def work() -> None:
        with held, pacing.paced(every=10.0):
            started.set()
            time.sleep(0.05)  # the main thread is asleep by now
            begin = pacing.pauses()
            t0 = time.monotonic()
            while time.monotonic() - t0 < 0.03:
                pacing.pace()
            made.append(pacing.pauses() - begin)

    thread = threading.Thread(target=work)
    thread.start()
    assert started.wait(10)
    if main_waits:
        with held:  # asleep on the lock's futex until the work ends
            pass
    else:
        time.sleep(0.2)  # asleep, but waiting for nothing of the thread's
    thread.join(10)
    return made[0]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the look at the window's thread is Linux's /proc")
def test_a_paced_thread_pauses_at_once_while_the_window_thread_waits_on_a_futex():
    """The window's thread waits for the GIL on a futex: a paced thread pauses when it sees that, between two timed
    pauses, so each of the window's many takes of the GIL for one event waits a fraction of a millisecond, not up to
    EVERY (16-20 ms stalls of a timer while a colleague's file was compared, issue #14). Asleep otherwise (the
    event loop's poll, a sleep), the window's thread does not make it pause."""
    assert _pauses_while(main_waits=True) >= 10  # about one per LOOK (0.25 ms) of the 30 ms
    assert _pauses_while(main_waits=False) == 0


class _Scripted(pacing._WindowWaits):
    """The window's thread's states as a script (one per look), the pauses counted: no /proc, no threads."""

    def __init__(self, states: list[bytes]) -> None:
        self.states, self.looks = list(states), 0

    def state(self) -> bytes:
        self.looks += 1
        return self.states.pop(0) if self.states else pacing.RUNS


@pytest.mark.parametrize(("states", "pauses"), [
    ([pacing.RUNS, pacing.RUNS, b"poll_schedule_timeout"], 2),  # it ran its event, then went back to its loop
    ([pacing.RUNS, pacing.WAITS, pacing.RUNS, b"poll_schedule_timeout"], 3),  # the GIL wanted back after a Qt call
    ([pacing.WAITS], 0),  # a futex with no run since the pause: waiting for something else (a thread's end)
    ([pacing.RUNS, pacing.WAITS, pacing.WAITS], 2),  # the same, after it ran
    ([b"do_nanosleep"], 0),
])
def test_after_a_pause_the_window_waited_for_a_paced_thread_stays_away_while_the_window_runs(monkeypatch, states,
                                                                                              pauses):
    """The window's thread lets go of the GIL around each call into Qt and needs it back at once: after the pause it
    waited for, the thread pauses again while the window's thread runs or wants the GIL back, and stops when it is
    back in its event loop, waits for something else, or HOLD_OFF has passed (issue #14)."""
    slept: list[float] = []
    monkeypatch.setattr(pacing.time, "sleep", slept.append)
    _Scripted(states).hold_off(0.0004)
    assert slept == [0.0004] * pauses


def test_the_hold_off_ends_after_hold_off_even_while_the_window_runs_on(monkeypatch):
    window = _Scripted([])  # runs for ever
    t0 = time.monotonic()
    window.hold_off(0.0002)
    assert pacing.HOLD_OFF <= time.monotonic() - t0 < pacing.HOLD_OFF + 0.05
    assert window.looks >= 2
