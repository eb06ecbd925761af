"""The Documents list sorted by Title, Status or Spans at any size, without a wait (issue #14).

Sorting the list's rows on the window's thread read every row first: at 100 000 statements a click on a header took
0.4-0.65 s, and while a column was chosen every status filter and every clear took 0.2-0.35 s (measured). Now the
list is sorted by its ids alone (``DocumentsModel._sort_rows``), in the order of the column that
``store.listing.order`` reads: every document's id, titles in natural order (s2 before s10). The order is read once
per column and state of the project; a project of at most :data:`AT_ONCE` statements reads it on the window's thread
(a few milliseconds), a larger one in a thread of its own (titles: 0.3-0.6 s at 100 000, sorted by SQLite), and the
rows are put in order when it is read. An order read before the project changed is still used meanwhile: the
statements listed since come last until the new one is read.
"""

from __future__ import annotations

import weakref

from annotator.store import listing
from annotator.ui.doclist.threads import ListThread, ThreadOwner

#: a project of at most this many statements has a column's order read on the window's thread
AT_ONCE = 5_000
#: the Documents list's first three columns, as ``listing.order`` names them
COLUMNS = dict(enumerate(listing.ORDERS))
NAMES = {0: "Title", 1: "Status", 2: "Spans"}


class ListOrder(ThreadOwner):
    """The order of each of the Documents list's first three columns for the window's project; the model asks
    for it (:meth:`ranking_for`)."""

    def __init__(self, window) -> None:  # type: ignore[no-untyped-def]
        super().__init__(window)
        self._known: dict[int, tuple[object, list[int]]] = {}  # column -> (the project's state read at, ids)
        self._running: dict[int, ListThread] = {}  # column -> its thread
        self._applying = False
        self._project: weakref.ref[object] | None = None  # the project the orders were read for
        self._message = ""  # the status bar's "Sorting…" while it is ours to clear
        window.documents.model.ranking_for = self.ranking_for

    def _state(self) -> tuple[object, ...]:
        """The project's state: an order read at another is read again (a write since, here or elsewhere)."""
        project = self.window.session.project
        return (project.conn.total_changes, project.data_version())

    def ranking_for(self, column: int) -> list[int] | None:
        """Every document's id in ``column``'s order, or None while it is read for the first time. An order read
        before the project changed is given while the new one is read (not again while one is put in place)."""
        if column not in COLUMNS:
            return None
        project = self.window.session.project
        if self._project is None or self._project() is not project:  # another project: nothing read before holds
            self.forget()
            self._project = weakref.ref(project)
        state = self._state()
        known = self._known.get(column)
        if column in self._running or (known is not None and (known[0] == state or self._applying)):
            return known[1] if known is not None else None  # (the order being read comes with resort())
        if project.progress()[1] <= AT_ONCE:
            ids = listing.order(project.conn, COLUMNS[column])
            self._known[column] = (state, ids)
            return ids
        self._start(column, state)
        return known[1] if known is not None else None

    def _start(self, column: int, state: tuple[object, ...]) -> None:
        name = COLUMNS[column]
        thread = ListThread(self.window.session.project.path, lambda conn: listing.order(conn, name),
                            doing=f"sorting by {NAMES[column]}")
        thread.listed.connect(lambda _g, ids, problem, t=thread: self._ordered(t, column, state, ids, problem))
        self._running[column] = thread
        self._message = f"Sorting the statements by {NAMES[column]}…"
        self.window.statusBar().showMessage(self._message)
        self.start_later(thread)

    def _ordered(self, thread: ListThread, column: int, state: tuple[object, ...], ids: list[int] | None,
                 problem: str) -> None:
        if self._running.get(column) is not thread:
            return  # cancelled: another project opened since
        del self._running[column]
        if ids is None:
            self.window.statusBar().showMessage(f"The statements could not be sorted by {NAMES[column]}: {problem}",
                                                10_000)
            return
        self._clear_message()
        before = self._known.get(column)
        self._known[column] = (state, ids)
        model = self.window.documents.model
        if model.sorted_by() != column or (before is not None and before[1] == ids):
            return  # sorted by another column since, or in this order already
        self._applying = True
        try:
            model.resort()
        finally:
            self._applying = False

    def _clear_message(self) -> None:
        """Take "Sorting…" off the status bar, unless something else was said there since."""
        bar = self.window.statusBar()
        if self._message and bar.currentMessage() == self._message:
            bar.clearMessage()
        self._message = ""

    def forget(self) -> None:
        """Stop every thread and forget every order (another project opens; its connection is not this one's)."""
        self.wait()
        self._running.clear()
        self._known.clear()
        self._project = None
        self._clear_message()
