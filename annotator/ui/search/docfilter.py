"""The Documents list's text filter in two steps (issue 12): the first page now, the whole list off the GUI thread.

A phrase in 90 % of 100 000 statements took 70 ms to list whole through the index, on the window's thread, before
anything was shown. Now the window lists a first page of :data:`FIRST_PAGE` matches with the last word whole
(``search_index.filter_page``: under a millisecond) and paints it; a thread with its own read-only connection lists
them all, the last word a prefix (the same ``listing.ids`` as ``Project.documents``, inside SQLite with the GIL
free), and the window appends the rest in one step -- or, when the whole list starts otherwise (a longer word began
with the last one: "within" for "with"), shows it instead. The count under the list says "listing…" until then.
A project of at most :data:`AT_ONCE` statements is listed whole at once, as before (a few milliseconds).

Typing more, choosing another status or closing the window cancels the thread (``sqlite3.Connection.interrupt``);
a late answer of an old filter is dropped by its generation number. A filter the index cannot answer (no word in
it, a damaged index, an old file read as it is) scans, in the thread too, with nothing listed until it is done.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from annotator.errors import AnnotatorError
from annotator.store import listing, search, search_index
from annotator.store.connection import user_problem
from annotator.ui import background

#: the matches listed on the window's thread before the rest (a screenful is 20-60 rows; a listing page is 256)
FIRST_PAGE = listing.PAGE
#: a project of at most this many statements is filtered whole on the window's thread (5 % of the 100 000 that take
#: 70 ms): nothing to wait for
AT_ONCE = 5_000


class ListThread(background.Thread):
    """Document ids read by ``read`` through a read-only connection of the thread's own (a filter's whole list, a
    column's order); :meth:`cancel` interrupts it, and a cancelled thread says nothing."""

    listed = Signal(int, object, str)  # generation, the ids (None after a problem), the problem

    def __init__(self, path: Path, read: Callable[[sqlite3.Connection], list[int]], generation: int,
                 doing: str = "the filter") -> None:
        super().__init__()
        self.path, self.read, self.generation, self.doing = path, read, generation, doing
        self.cancelled = False
        self._conn: sqlite3.Connection | None = None

    def cancel(self) -> None:
        self.cancelled = True
        conn = self._conn
        if conn is not None:
            with contextlib.suppress(sqlite3.ProgrammingError):  # closed meanwhile
                conn.interrupt()

    def work(self) -> None:
        ids: list[int] | None = None
        problem = ""
        try:
            self._conn = search.reader(self.path)
            if not self.cancelled:
                ids = self.read(self._conn)
        except AnnotatorError as exc:
            problem = str(exc)
        except sqlite3.Error as exc:
            problem = user_problem(exc) or f"{self.doing} failed ({' '.join(str(exc).split())})"
        finally:
            conn, self._conn = self._conn, None
            if conn is not None:
                conn.close()
        if not self.cancelled:
            self.listed.emit(self.generation, ids, problem)


def start_later(owner: QObject, thread: ListThread, let_go: Callable[[ListThread], None]) -> None:
    """Start ``thread`` on the next turn of the event loop (after the paint that set it off: the two would take turns
    for the GIL), unless it was cancelled meanwhile (typing on, the window closed): then ``let_go`` it at once, as its
    end would have."""
    QTimer.singleShot(0, owner, lambda: let_go(thread) if thread.cancelled else thread.start())


class DocumentFilter(QObject):
    """The window's Documents filter when it holds text: :meth:`start` gives the first page, the rest follows."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.generation = 0
        self.running: ListThread | None = None
        self._threads: set[ListThread] = set()
        self._key: tuple[object, ...] | None = None  # the window's list key the running filter is for
        self._first: list[int] = []
        window.documents.search.textChanged.connect(lambda _t: self.cancel())  # typing more: the rest is stale
        window.installEventFilter(self)  # closing the window stops a running filter first

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and watched is self.window:
            self.wait()
        return False

    def start(self, status: str | None, text: str, key: tuple[object, ...]) -> listing.DocumentList | None:
        """A first page of what the filter lists (the rest arrives through :meth:`_listed`); None for a project
        small enough to list whole at once (the caller does)."""
        self.cancel()
        project = self.window.session.project
        if project.progress()[1] <= AT_ONCE:
            return None
        first = search_index.filter_page(project.conn, text, status, FIRST_PAGE)
        self.generation += 1
        self._key, self._first = key, first or []
        thread = ListThread(project.path, lambda conn: listing.ids(conn, status, text), self.generation)
        thread.listed.connect(self._listed)
        thread.finished.connect(lambda t=thread: self._finished(t))
        self._threads.add(thread)
        self.running = thread
        start_later(self, thread, self._finished)
        return project.listed(self._first)

    def cancel(self) -> None:
        if self.running is not None:
            self.running.cancel()
            self.running = None

    def wait(self) -> None:
        """Stop every filter thread and wait for it (closing the window)."""
        for thread in list(self._threads):
            thread.cancel()
            thread.wait()

    def _finished(self, thread: ListThread) -> None:
        self._threads.discard(thread)
        thread.deleteLater()

    def _listed(self, generation: int, ids: list[int] | None, problem: str) -> None:
        if generation != self.generation or self.running is None:
            return
        self.running = None
        window = self.window
        if ids is None:
            window.documents.count.setText(f"The filter failed: {problem}")
            return
        window.list_complete(self._key, window.session.project.listed(ids))
