"""Objects that live long kept out of the cycle collector's full passes while background work runs (``gc.freeze``).

A full pass is started by whichever thread allocates at that moment and holds every thread meanwhile: over the
window's objects (about 100 000) or a colleague file's spans it took 150 ms to 1 s, the window's worst stalls during
a retrain or an agreement report (measured, issue #14). ``gc.freeze`` is process-wide, so it is counted here: the
objects are given back to the collector when the last holder lets go, not when the first one does (a report ending
must not thaw what the suggestions' retrain still relies on, and the other way round).

They are given back, not kept frozen for good: a cycle of frozen objects that becomes garbage is never freed, and
those cycles hold Qt objects -- a closed review's or dialog's widgets stayed alive, and a later window lost its
keyboard focus to them (tried, issue #14; ``tests/ui/test_review_gui.py`` failed that way).
"""

from __future__ import annotations

import gc
import importlib
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holds = 0
_off = 0  # collector_paused and collector_off blocks running
_was_enabled = True
_pending = False  # the last block ended in a background thread: the window's thread turns the collector back on
_waker: Callable[[], None] | None = None


def hold() -> None:
    """Freeze every object tracked now (those made since an earlier hold too) until the matching :func:`release`."""
    global _holds
    with _lock:
        gc.freeze()
        _holds += 1


def release() -> None:
    """Let go of one :func:`hold`; the last one gives the frozen objects back to the collector."""
    global _holds
    with _lock:
        if _holds == 0:
            return
        _holds -= 1
        if _holds == 0:
            gc.unfreeze()


def holders() -> int:
    return _holds


@contextmanager
def held() -> Iterator[None]:
    hold()
    try:
        yield
    finally:
        release()


@contextmanager
def collector_off() -> Iterator[None]:
    """No cycle-collector pass in any thread while the block runs (counted: the last block to end turns it back on,
    unless it was off before the first), and what the block made frozen as it ends (given back with the rest by the
    last :func:`release`). For a short burst of work that makes 100 000 objects or more in a background thread: the
    passes its objects set off walk them all and hold every thread meanwhile."""
    with collector_paused():
        try:
            yield
        finally:
            with _lock:
                gc.freeze()  # still paused: no pass runs between the block's end and the freeze


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle-collector pass in any thread while the block runs (counted with :func:`collector_off`), nothing
    frozen after: for a background thread's whole job (``ui/background.py``), so that the collector never runs in
    that thread. A pass there frees the cycles of closed windows -- Qt objects: a chart's menus -- and PySide then
    deletes them holding a Qt lock in the job's thread and the interpreter's lock in the window's; the two waited on
    each other for good (seen in CI: a Corpus window's job, its garbage collected in the thread while the window
    deleted a menu).

    The last block to end in a thread other than the main one does not turn the collector back on there: the next
    allocation of that thread (the signal that says it is done) would start the pass the block kept away. It asks
    the window's thread to (:func:`set_waker`, :func:`settle`); with no waker set (no window), it turns it on
    itself."""
    global _off, _was_enabled
    with _lock:
        if _off == 0:
            if not _pending:  # else the block before it found the collector on, and it is not on again yet
                _was_enabled = gc.isenabled()
            gc.disable()
        _off += 1
    try:
        yield
    finally:
        _end_pause()


def _end_pause() -> None:
    global _off, _pending
    with _lock:
        _off -= 1
        if _off or not _was_enabled:
            return
        waker = _waker
        if waker is None or threading.current_thread() is threading.main_thread():
            _pending = False
            gc.enable()
            return
        _pending = True
    waker()  # outside the lock: it only posts an event to the window's thread


def set_waker(waker: Callable[[], None] | None) -> Callable[[], None] | None:
    """``waker()``, called from a background thread, must have the main (window's) thread call :func:`settle` soon;
    None: background threads turn the collector back on themselves. Returns the waker before."""
    global _waker
    with _lock:
        before, _waker = _waker, waker
    if waker is None:
        settle()
    return before


def settle() -> None:
    """On the main thread: the collector back on if the last paused block ended in another thread and none runs now."""
    global _pending
    with _lock:
        if _pending and _off == 0:
            _pending = False
            gc.enable()


def paused() -> bool:
    """Whether a block holds the collector off, or it waits for :func:`settle` to be on again."""
    return bool(_off or _pending)


def imported(name: str) -> None:
    """Import a large module (a chart library: 100 000 objects or more) with no collector pass while it loads, and
    freeze what it made (given back with the rest by the last :func:`release`). Imported in the report's thread
    before its hold, its objects set off a full pass there that walked the whole heap: 55-80 ms during which the
    window's thread could not run (traced with ``gc.callbacks``, issue #14)."""
    if name in sys.modules:
        return
    with collector_off():  # process-wide, for the import only: the window's young cycles wait a fraction of a second
        importlib.import_module(name)
