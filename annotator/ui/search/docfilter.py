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

from typing import Any

from annotator.store import listing, search_index
from annotator.ui.doclist.threads import ListThread, ThreadOwner

#: the matches listed on the window's thread before the rest (a screenful is 20-60 rows; a listing page is 256)
FIRST_PAGE = listing.PAGE
#: a project of at most this many statements is filtered whole on the window's thread (5 % of the 100 000 that take
#: 70 ms): nothing to wait for
AT_ONCE = 5_000


class DocumentFilter(ThreadOwner):
    """The window's Documents filter when it holds text: :meth:`start` gives the first page, the rest follows."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.generation = 0
        self.running: ListThread | None = None
        self._key: tuple[object, ...] | None = None  # the window's list key the running filter is for
        self._first: list[int] = []
        window.documents.search.textChanged.connect(lambda _t: self.cancel())  # typing more: the rest is stale

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
        self.running = thread
        self.start_later(thread)
        return project.listed(self._first)

    def cancel(self) -> None:
        if self.running is not None:
            self.running.cancel()
            self.running = None

    def _listed(self, generation: int, ids: list[int] | None, problem: str) -> None:
        if generation != self.generation or self.running is None:
            return
        self.running = None
        window = self.window
        if ids is None:
            window.documents.count.setText(f"The filter failed: {problem}")
            return
        window.list_complete(self._key, window.session.project.listed(ids))
