"""The Documents list's threads: ids read through a read-only connection of their own (a text filter's whole list,
a column's order), and the base of the objects that run them (``DocumentFilter``, ``ListOrder``)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from annotator import pacing
from annotator.errors import AnnotatorError
from annotator.store import search
from annotator.store.connection import user_problem
from annotator.ui import background


class ListThread(background.Thread):
    """Document ids read by ``read`` through a read-only connection of the thread's own (a filter's whole list, a
    column's order); :meth:`cancel` interrupts it, and a cancelled thread says nothing."""

    listed = Signal(int, object, str)  # generation, the ids (None after a problem), the problem

    def __init__(self, path: Path, read: Callable[[sqlite3.Connection], list[int]], generation: int = 0,
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
                with pacing.paced():  # the window's thread gets the GIL while the rows or titles are read
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


#: a list's thread starts this long after it is asked for, once the window has repainted what asked (a header's
#: click, a filter's first page): started at once (a 0 ms timer runs in the same pass as the click, before its paint)
#: or a turn later, its first title keys took turns for the GIL with that repaint, whose data() calls each need it,
#: and the window stalled 17-27 ms at 100 000 statements; 40 ms later, 8-13 ms (probe of four sorts by Title)
START_AFTER_MS = 40


class ThreadOwner(QObject):
    """Runs :class:`ListThread` s for the window: each started :data:`START_AFTER_MS` after it is made, let go of
    when it ends (or at once, cancelled before it started), and all stopped and waited for when the window closes."""

    def __init__(self, window: QObject) -> None:
        super().__init__(window)
        self.window = window
        self._threads: set[ListThread] = set()
        window.installEventFilter(self)  # closing the window stops a running thread first

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and watched is self.window:
            self.wait()
        return False

    def start_later(self, thread: ListThread) -> None:
        """Start ``thread`` :data:`START_AFTER_MS` from now (after the paint that set it off: the two would take
        turns for the GIL), unless it was cancelled meanwhile (typing on, the window closed): then it is let go of at
        once, as its end would have."""
        thread.finished.connect(lambda t=thread: self._finished(t))
        self._threads.add(thread)
        QTimer.singleShot(START_AFTER_MS, self, lambda: self._finished(thread) if thread.cancelled else thread.start())

    def _finished(self, thread: ListThread) -> None:
        self._threads.discard(thread)
        thread.deleteLater()

    def wait(self) -> None:
        """Stop every thread and wait for it (closing the window, or its project: the window's close is then the
        project's last connection, which checkpoints and removes the log)."""
        for thread in list(self._threads):
            thread.cancel()
            thread.wait()
