"""Background work that hands the GIL to the window's thread for real, a short pause every few milliseconds.

A thread that reads rows lets go of the GIL around every SQLite step and takes it back a few microseconds later.
The window's thread, waiting for the GIL, is woken each time but takes a while to run, finds it taken again, and
waits anew; CPython asks the holder to drop it only after 5 ms *without* a switch, which such a thread never
gives, so the window waited 20-50 ms at a time for a timer's callback or a progress bar's ``setValue`` while the
colleague file was compared (measured at 100 000 statements: not running, not waiting for a CPU, no collector pass;
issue #14). ``time.sleep(0)`` is one more such short release, not a hand-over.

:func:`pace` (called between small steps: a statement) sleeps :data:`PAUSE` once :data:`EVERY` has passed since the
last pause, in a thread that asked for it with :func:`paced`: long enough for a woken waiter to take the GIL. The
command line does not ask: its work is not slowed. A paced thread also pauses between the modules it imports (a
finder first on ``sys.meta_path``), and while any thread is paced the interpreter's switch interval is
:data:`SWITCH` (:func:`quick_switches`), so the Python it runs between two paces hands over within half a
millisecond rather than five. On Linux a paced thread also runs :data:`NICER` nice levels lower, so the window's
thread, woken by an event, gets a core at once rather than waiting behind it.

On Linux :func:`pace` also pauses at once, between two of those pauses, when it sees the window's thread asleep on a
futex -- waiting for the GIL (:class:`_WindowWaits`) -- looking every :data:`LOOK`. The window's thread needs the GIL
several times for one event (each call from Qt into Python takes it), and every time it had waited for the worker's
next timed pause, up to :data:`EVERY`: 16-20 ms for one tick of a timer while a colleague's file was compared
(issue #14).
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

T = TypeVar("T")

#: work between two pauses (seconds): a waiting window's thread gets the GIL within about this long
EVERY = 0.003
#: one pause: a woken thread runs within it on a free core (a wake-up takes tens of microseconds)
PAUSE = 0.0004

#: how often (seconds of work) a paced thread looks whether the window's thread waits for the GIL: a look costs
#: about 5 us, so at most 2 % of the work
LOOK = 0.00025

#: after a pause for a waiting window's thread, how long at most a paced thread stays away while that thread runs:
#: it lets go of the GIL around each call into Qt and needs it back a moment later, and each time it had waited for
#: the worker's next look (26 waits in one 16 ms gap of a timer while a colleague's file was compared, issue #14)
HOLD_OFF = 0.002

#: the interpreter's switch interval while a thread is paced (CPython's default: 5 ms). Between two paces a thread
#: running Python, or importing a library, keeps the GIL until the window's thread has waited this long, and that
#: thread needs the GIL a few times per event: at 5 ms the chart library's import in the report's thread kept the
#: window 10-25 ms from its timer (measured, issue #14)
SWITCH = 0.0005

#: how much lower a paced thread's scheduling priority is (nice): on two cores, the window's thread woke from a
#: timer and waited 15.7 ms for a CPU while the report's threads ran (measured at 100 000 statements, issue #14);
#: a paced thread then yields its core. Moderate, not idle: it may hold the GIL while it waits for a CPU
NICER = 5

#: items freed between two paces by :func:`drop`
DROP_SLICE = 4096

_local = threading.local()
_switch_lock = threading.Lock()
_switching = 0
_saved_interval = 0.0


class _PacedImports:
    """A finder first on ``sys.meta_path`` that finds nothing: it only calls :func:`pace` before each module is looked
    for, so a paced thread importing a library (the report's charts: numpy, pyqtgraph, 700 modules) hands the GIL
    over between modules as it does between statements. Other threads pass through it at the cost of a call."""

    @staticmethod
    def find_spec(fullname: str, path: object = None, target: object = None) -> None:
        pace()
        return None


@contextmanager
def paced(every: float = EVERY, pause: float = PAUSE) -> Iterator[None]:
    """:func:`pace` pauses in this thread while the block runs."""
    if not any(isinstance(f, _PacedImports) for f in sys.meta_path):
        sys.meta_path.insert(0, _PacedImports())
    before = getattr(_local, "plan", None)
    _local.plan = (every, pause)
    _local.last = _local.looked = time.monotonic()
    outermost = before is None
    lowered = _lower_priority() if outermost else None  # once, by the outermost block
    if outermost:
        _local.window = _WindowWaits.of_main_thread()
    try:
        with quick_switches():
            yield
    finally:
        _local.plan = before
        if outermost:
            if _local.window is not None:
                _local.window.close()
            _local.window = None
        if lowered is not None:
            _set_priority(lowered)


#: the window's thread's ``wchan`` asleep on a futex (the GIL's wait among others), and running or ready to run
WAITS, RUNS = b"futex", b"0"


class _WindowWaits:
    """Whether the window's thread (the process's main thread) is asleep on a futex: the wait for the GIL (a
    condition variable) is one, a wait for events (``poll``) is not. Linux only, from the thread's
    ``/proc/self/task/TID/wchan``, read with ``pread`` through ``ctypes.PyDLL``, which *keeps* the GIL: a Python
    read lets go of it, which wakes the waiting window's thread, and it then read as running, never as waiting."""

    _libc: ctypes.CDLL | None = None

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._buffer = ctypes.create_string_buffer(32)

    @classmethod
    def of_main_thread(cls) -> _WindowWaits | None:
        """A look at the main thread from this one; None on the main thread itself, or where it cannot be had."""
        main = threading.main_thread()
        if not sys.platform.startswith("linux") or main is threading.current_thread() or main.native_id is None:
            return None
        try:
            if cls._libc is None:
                libc = ctypes.PyDLL(None)
                libc.pread.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_long]
                libc.pread.restype = ctypes.c_ssize_t
                cls._libc = libc
            fd = os.open(f"/proc/self/task/{main.native_id}/wchan", os.O_RDONLY)
        except (OSError, AttributeError):
            return None
        return cls(fd)

    def __call__(self) -> bool:
        return self.state() == WAITS

    def state(self) -> bytes:
        """:data:`WAITS` (asleep on a futex), :data:`RUNS` (running, or ready to), or another wait (the event loop's
        ``poll``, a sleep, the disk)."""
        assert self._libc is not None
        size = self._libc.pread(self._fd, self._buffer, len(self._buffer), 0)
        found = self._buffer.raw[: max(size, 0)]
        return WAITS if found.startswith(WAITS) else RUNS if found in (RUNS, b"") else found

    def hold_off(self, pause: float) -> None:
        """After a pause the window's thread was waiting for: more pauses while it runs, up to :data:`HOLD_OFF`, so
        the rest of its event takes the GIL without waiting. A futex again right after it ran is the GIL wanted back
        (a pause more); a futex with no run between is a wait for something else (a thread's end, a lock): no more."""
        end = time.monotonic() + HOLD_OFF
        before = WAITS  # what it was before the pause
        while time.monotonic() < end:
            now = self.state()
            if now != RUNS and (now != WAITS or before != RUNS):
                return
            before = now
            time.sleep(pause)

    def close(self) -> None:
        with suppress(OSError):
            os.close(self._fd)


def _lower_priority() -> int | None:
    """This thread's scheduling priority :data:`NICER` lower (Linux: ``setpriority`` of the thread's own id);
    the priority it had, or None where it cannot be changed."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        tid = threading.get_native_id()
        was = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, min(19, was + NICER))
        return was
    except (OSError, AttributeError):
        return None


def _set_priority(value: int) -> None:
    with suppress(OSError):  # raising a priority again needs a privilege; the thread ends with its job
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), value)


@contextmanager
def idle_in_c() -> Iterator[None]:
    """In a :func:`paced` thread on Linux, the block runs at ``SCHED_IDLE``: for long work in C that lets go of the
    GIL (copying a backup's pages, checking them). Nice 5 still let such a thread keep a core while the window's
    thread, woken by its timer, waited 31.5 ms for one (Restore from Backup at 100 000 statements, the second core
    busy elsewhere; issue #14): an idle thread is preempted at once. Afterwards the thread goes back to its policy
    where it may; without the privilege to (a user's ``RLIMIT_NICE``) it stays idle, and such a thread ends with
    its job. Elsewhere, and outside a paced thread (the command line), nothing changes."""
    if getattr(_local, "plan", None) is None or not hasattr(os, "SCHED_IDLE"):
        yield
        return
    tid = threading.get_native_id()
    try:
        before = os.sched_getscheduler(tid)
        os.sched_setscheduler(tid, os.SCHED_IDLE, os.sched_param(0))
    except OSError:
        yield
        return
    try:
        yield
    finally:
        with suppress(OSError):
            os.sched_setscheduler(tid, before, os.sched_param(0))


def switch_quickly() -> None:
    """The interpreter's switch interval at most :data:`SWITCH` until the matching :func:`switch_back` (counted:
    the paced threads and the suggestions' requests each ask, and the last to leave gives it back, unless
    something else changed it meanwhile)."""
    global _switching, _saved_interval
    with _switch_lock:
        if _switching == 0:
            _saved_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(_saved_interval, SWITCH))
        _switching += 1


def switch_back() -> None:
    global _switching
    with _switch_lock:
        if _switching == 0:
            return
        _switching -= 1
        if _switching == 0 and sys.getswitchinterval() == min(_saved_interval, SWITCH):
            sys.setswitchinterval(_saved_interval)


@contextmanager
def quick_switches() -> Iterator[None]:
    """:func:`switch_quickly` while the block runs."""
    switch_quickly()
    try:
        yield
    finally:
        switch_back()


def pace() -> None:
    """A pause if this thread is :func:`paced` and has worked :data:`EVERY` since its last one; else nothing."""
    plan = getattr(_local, "plan", None)
    if plan is None:
        return
    now = time.monotonic()
    due = now - _local.last >= plan[0]
    waited = False
    if not due and now - _local.looked >= LOOK and (window := _local.window) is not None:
        _local.looked = now
        due = waited = window()
    if due:
        time.sleep(plan[1])
        if waited:
            window.hold_off(plan[1])
        _local.last = time.monotonic()
        _local.count = getattr(_local, "count", 0) + 1


def rows(found: Iterable[T], every: int = 16) -> Iterator[T]:
    """``found`` (a cursor's rows: each step lets go of the GIL) with :func:`pace` every ``every`` of them. Asked
    every 16 rows, not 256: a span inserted with its triggers takes 75 us and a statement's text read 55 us, so 256
    of them kept the window from the GIL 14-23 ms between two paces (a label step over 100 000 hits, traced, issue
    #14); asking costs a clock read, nothing measurable on a million cheap rows."""
    for n, row in enumerate(found):
        if n % every == 0:
            pace()
        yield row


def drop(*containers: list[Any] | dict[Any, Any] | set[Any]) -> None:
    """Empty large lists, dicts and sets a slice at a time, pacing between slices, in a paced thread (elsewhere
    nothing: they are freed as usual). Freed at once as a function returns, 100 000 rows of tuples and strings held
    the GIL 20-30 ms in C, with no point where the window's thread could take it (traced at the end of a colleague
    file's alignment, issue #14)."""
    if getattr(_local, "plan", None) is None:
        return
    for found in containers:
        if isinstance(found, list):
            while found:
                del found[-DROP_SLICE:]
                pace()
        else:
            while found:
                for _ in range(min(DROP_SLICE, len(found))):
                    found.popitem() if isinstance(found, dict) else found.pop()
                pace()


def pauses() -> int:
    """How many pauses this thread made under :func:`paced` (for tests)."""
    return int(getattr(_local, "count", 0))
