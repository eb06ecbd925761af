"""A search run off the GUI thread on its own read-only connection: batches of hits as they are found, progress,
and a cancel that stops it within one statement. A new search does not wait for the old one: each run has a
generation number and the dock drops what an old one still sends.

The window must not wait on a search (≤ one frame, issue 12), and the two threads share one GIL: while the search
builds hits in Python, each call of the GUI thread into Python waits for the GIL (up to the switch interval, 5 ms),
and a repaint of the hits calls the model for every visible cell, one wait each -- a 4 ms timer was late by 180 ms
and more. So the dock pauses the search while it takes hits in and paints them (:meth:`SearchThread.pause`,
:meth:`SearchThread.resume`): the search stops at its next statement, the GIL free, for at most :data:`PAUSE`
seconds. Hits are sent as plain tuples (as the model keeps them), so taking them in is a list extended in C.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path

from PySide6.QtCore import QThread, Signal

from annotator.core.search.query import Query
from annotator.errors import AnnotatorError
from annotator.store import search
from annotator.store.connection import user_problem

#: a search shows at most this many hits (a word in every statement would otherwise fill memory)
MAX_HITS = 100_000
#: the longest a search stays paused by the window (seconds)
PAUSE = 0.5


class SearchThread(QThread):
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

    def pause(self) -> None:
        """Hold the search at its next statement (the window is busy with what it sent)."""
        self._go.clear()

    def resume(self) -> None:
        self._go.set()

    def _stopped(self) -> bool:
        """Asked once a statement: waits while paused (at most :data:`PAUSE`), then says whether to stop."""
        if not self._go.is_set():
            self._go.wait(PAUSE)
        return self.cancelled

    def cancel(self) -> None:
        self.cancelled = True
        self._go.set()
        conn = self._conn
        if conn is not None:
            with contextlib.suppress(sqlite3.ProgrammingError):  # closed meanwhile
                conn.interrupt()  # a long statement inside SQLite stops now

    def run(self) -> None:
        problem, truncated, count = "", False, 0
        try:
            self._conn = search.reader(self.path)
            batches = search.hits(self._conn, self.query, self.context, cancelled=self._stopped,
                                  progress=lambda done, total: self.progressed.emit(self.generation, done, total))
            for batch in batches:
                if self.cancelled:
                    break
                if count + len(batch) > MAX_HITS:
                    batch, truncated = batch[: MAX_HITS - count], True
                count += len(batch)
                if batch:
                    self.found.emit(self.generation, [tuple(h) for h in batch])
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
        self.ended.emit(self.generation, "" if self.cancelled else problem, truncated)
