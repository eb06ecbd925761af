"""A search run off the GUI thread on its own read-only connection: batches of hits as they are found, progress,
and a cancel that stops it within one statement. A new search does not wait for the old one: each run has a
generation number and the dock drops what an old one still sends.

The window must not wait on a search (≤ one frame, issue 12), and the two threads share one GIL: while the search
builds hits in Python, each call of the GUI thread into Python waits for the GIL (up to the switch interval, 5 ms),
and a repaint of the hits calls the model for every visible cell, one wait each -- the window's 4 ms timer was late
by 85-150 ms (measured, 100 000 statements). So the search takes turns with the window: it runs for at most
:data:`SLICE` seconds, then asks the window for its next turn with an event of low priority (behind the window's
pending input, timers, signals and repaints, which Qt posts at low priority too) and waits, the GIL free, until the
window's event loop has got through what it had to do. While the window is idle a turn follows the last at once.
During a turn the interpreter switches threads every 0.5 ms (``pacing.switch_quickly``), so a timer's or a key's
call into Python waits that long for the GIL, not 5 ms (traced: 15-35 ms of a stall were such waits, issue 12); and
when the dock shows arrived hits the search steps aside for :data:`GIVE_WAY` (:meth:`SearchThread.give_way`), so
their layout and paint (Qt paints at its next update, 5 ms or more later) do not take the GIL back and forth with it
for every cell.
Hits are sent as plain tuples (as the model keeps them), so taking them in is a list extended in C. While a search
runs the objects that were there before it are kept out of the cycle collector's full passes (``gcpause``): a full
pass started by either thread holds both, 35-130 ms over the window's objects (measured).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal

from annotator import gcpause, pacing
from annotator.core.search.query import Query
from annotator.errors import AnnotatorError
from annotator.store import search
from annotator.store.connection import user_problem
from annotator.ui import background

#: a search shows at most this many hits (a word in every statement would otherwise fill memory)
MAX_HITS = 100_000
#: the longest a search runs before the window has its turn (seconds): the most a key press, a timer or a repaint
#: can wait for the search
SLICE = 0.004
#: the longest a search waits for its turn (seconds): a window busy for longer does not hold it for ever
PAUSE = 0.5
#: how long the search steps aside when the dock has taken in hits (seconds; at most every ``SHOW_MS``)
GIVE_WAY = 0.02
#: the event that gives a search its next turn
TURN = QEvent.Type(QEvent.registerEventType())
_LOW = Qt.EventPriority.LowEventPriority.value


class SearchThread(background.Thread):
    found = Signal(int, object)  # generation, list[tuple] (each a Hit as a plain tuple)
    progressed = Signal(int, int, int)  # generation, statements read, of
    ended = Signal(int, str, bool)  # generation, problem ("" if none), stopped at MAX_HITS

    def __init__(self, path: Path, query: Query, generation: int, context: int) -> None:
        super().__init__()
        self.path, self.query, self.generation, self.context = path, query, generation, context
        self.cancelled = False
        self._conn: sqlite3.Connection | None = None
        self._go = threading.Event()
        self._go.set()
        self._until = 0.0  # when this turn ends (perf_counter)
        self._aside_until = 0.0  # no turn before this (perf_counter): see give_way
        self.turns = 0  # turns given back to the window (for the tests)

    def event(self, event: QEvent) -> bool:
        """The window's event loop reached the search's request: its next turn (this object lives in the GUI
        thread, the search in its own)."""
        if event.type() == TURN:
            aside = self._aside_until - time.perf_counter()
            if aside > 0:  # stepping aside (give_way): the turn comes after it
                QTimer.singleShot(max(1, round(aside * 1000)), self._go.set)
            else:
                self._go.set()
            return True
        return super().event(event)

    def _stopped(self) -> bool:
        """Asked between statements and between the rows SQLite gives: at the end of a turn, waits for the next one
        (at most :data:`PAUSE`); then says whether to stop."""
        if time.perf_counter() >= self._until:
            self._go.clear()
            if not self.cancelled:  # checked after the clear: a cancel from now on sets it again
                self.turns += 1
                QCoreApplication.postEvent(self, QEvent(TURN), _LOW)
                self._go.wait(PAUSE)
            self._until = time.perf_counter() + SLICE
        return self.cancelled

    def give_way(self) -> None:
        """End the search's turn at its next step and give it the next one :data:`GIVE_WAY` from now at the earliest
        (the GUI thread, which just gave the view rows to lay out and paint)."""
        self._aside_until = time.perf_counter() + GIVE_WAY
        self._until = 0.0

    def cancel(self) -> None:
        self.cancelled = True
        self._go.set()
        conn = self._conn
        if conn is not None:
            with contextlib.suppress(sqlite3.ProgrammingError):  # closed meanwhile
                conn.interrupt()  # a long statement inside SQLite stops now

    def work(self) -> None:
        problem, truncated, count = "", False, 0
        gcpause.hold()  # the window's objects out of the collector's full passes, which would hold both threads
        pacing.switch_quickly()  # a window's call into Python during a turn waits 0.5 ms for the GIL, not 5
        try:
            self._conn = search.reader(self.path)
            self._until = time.perf_counter() + SLICE
            batches = search.rows(self._conn, self.query, self.context, cancelled=self._stopped,
                                  progress=lambda done, total: self.progressed.emit(self.generation, done, total))
            for batch in batches:
                if self.cancelled:
                    break
                if count + len(batch) > MAX_HITS:
                    batch, truncated = batch[: MAX_HITS - count], True
                count += len(batch)
                if batch:
                    self.found.emit(self.generation, batch)
                if truncated:
                    break
        except AnnotatorError as exc:
            problem = str(exc)
        except sqlite3.Error as exc:
            if not (self.cancelled and "interrupt" in str(exc).lower()):
                problem = user_problem(exc) or f"the search failed ({' '.join(str(exc).split())})"
        finally:
            conn, self._conn = self._conn, None
            if conn is not None:
                conn.close()
            pacing.switch_back()
            gcpause.release()
        self.ended.emit(self.generation, "" if self.cancelled else problem, truncated)
