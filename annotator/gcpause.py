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
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holds = 0
_off = 0  # pauses running (collector_paused and collector_off blocks, background jobs)
_was_enabled = True


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
    frozen after."""
    pause()
    try:
        yield
    finally:
        resume()


def pause() -> None:
    """No cycle-collector pass in any thread until the matching :func:`resume` (counted: the last one turns the
    collector back on, unless it was off before the first). A background thread's whole job is paused from the
    window's thread before the thread starts, and resumed there once it has ended (``ui/background.py``), so the
    collector never runs in the job's thread, not even in its first or last allocations: a pass there frees the
    cycles of closed windows -- Qt objects: a chart's menus -- and PySide then deletes them holding a Qt lock in
    the job's thread and the interpreter's lock in the window's; the two waited on each other for good (seen in CI:
    a Corpus window's job, its garbage collected in the thread while the window deleted a menu)."""
    global _off, _was_enabled
    _lock.acquire()  # not ``with``: it makes a bound ``__exit__`` object, an allocation that can start a pass
    try:
        if _off == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _off += 1
    finally:
        _lock.release()


def resume() -> None:
    """Let go of one :func:`pause`. It allocates nothing the collector counts, before or after turning it on: a
    thread that lives as long as a project pauses and resumes around each step of its own
    (``store/checkpoints.py``)."""
    global _off
    _lock.acquire()
    try:
        _off -= 1
        if _off == 0 and _was_enabled:
            gc.enable()
    finally:
        _lock.release()


def paused() -> bool:
    """Whether a pause holds the collector off."""
    return _off > 0


def imported(name: str) -> None:
    """Import a large module (a chart library: 100 000 objects or more) with no collector pass while it loads, and
    freeze what it made (given back with the rest by the last :func:`release`). Imported in the report's thread
    before its hold, its objects set off a full pass there that walked the whole heap: 55-80 ms during which the
    window's thread could not run (traced with ``gc.callbacks``, issue #14)."""
    if name in sys.modules:
        return
    with collector_off():  # process-wide, for the import only: the window's young cycles wait a fraction of a second
        importlib.import_module(name)
