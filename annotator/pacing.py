"""Background work that hands the GIL to the window's thread for real, a short pause every few milliseconds.

A thread that reads rows lets go of the GIL around every SQLite step and takes it back a few microseconds later.
The window's thread, waiting for the GIL, is woken each time but takes a while to run, finds it taken again, and
waits anew; CPython asks the holder to drop it only after 5 ms *without* a switch, which such a thread never
gives, so the window waited 20-50 ms at a time for a timer's callback or a progress bar's ``setValue`` while the
colleague file was compared (measured at 100 000 statements: not running, not waiting for a CPU, no collector pass;
issue #14). ``time.sleep(0)`` is one more such short release, not a hand-over.

:func:`pace` (called between small steps: a statement) sleeps :data:`PAUSE` once :data:`EVERY` has passed since the
last pause, in a thread that asked for it with :func:`paced`: long enough for a woken waiter to take the GIL. The
command line does not ask: its work is not slowed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

#: work between two pauses (seconds): a waiting window's thread gets the GIL within about this long
EVERY = 0.003
#: one pause: a woken thread runs within it on a free core (a wake-up takes tens of microseconds)
PAUSE = 0.0004

_local = threading.local()


@contextmanager
def paced(every: float = EVERY, pause: float = PAUSE) -> Iterator[None]:
    """:func:`pace` pauses in this thread while the block runs."""
    before = getattr(_local, "plan", None)
    _local.plan = (every, pause)
    _local.last = time.monotonic()
    try:
        yield
    finally:
        _local.plan = before


def pace() -> None:
    """A pause if this thread is :func:`paced` and has worked :data:`EVERY` since its last one; else nothing."""
    plan = getattr(_local, "plan", None)
    if plan is None:
        return
    now = time.monotonic()
    if now - _local.last >= plan[0]:
        time.sleep(plan[1])
        _local.last = time.monotonic()
        _local.count = getattr(_local, "count", 0) + 1


def rows(found: Iterable[T], every: int = 256) -> Iterator[T]:
    """``found`` (a cursor's rows: each step lets go of the GIL) with :func:`pace` every ``every`` of them."""
    for n, row in enumerate(found):
        if n % every == 0:
            pace()
        yield row


def pauses() -> int:
    """How many pauses this thread made under :func:`paced` (for tests)."""
    return int(getattr(_local, "count", 0))
