"""The Documents list read as the project changes (a mixin of :class:`annotator.ui.mainwindow.MainWindow`, which
provides ``session``, ``documents``, ``doc_filter``, ``_listed``, ``_listed_key`` and ``update_progress``): the same
list kept while nobody wrote, only the ids after the last read after an import, and a text filter's first page shown
while a thread reads the whole (issue #14: at 100 000 statements every full read of the list cost 60 ms or more)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer

from annotator.store.listing import DocumentList
from annotator.ui.opening import NEXT_TURN_MS

#: the statuses of a statement still to work on
UNFINISHED = ("todo", "in_progress")


class Listing:
    session: Any
    documents: Any
    doc_filter: Any
    _listed: Any
    _listed_key: tuple[object, ...] | None
    update_progress: Callable[[], None]

    def documents_changed(self, same_statements: bool = False, statements_added: bool = False) -> None:
        """The Documents list read again, keeping the current row. ``same_statements``: the change was to spans
        alone (a label over many hits, Accept All Agreed), so with no filter on, the same statements are listed (as
        many as the project holds: none came from elsewhere meanwhile): their ids are kept and only their rows read
        again, as they are looked at (100 000 ids: 16-30 ms). ``statements_added``: the change added statements (an
        import), so the ids after the last listed are read and added to those kept (every id again, cold after an
        import's writes: 40-60 ms of the window's thread, issue #14); that they are as many as the project holds is
        checked on the next turn (:meth:`_check_added`: counting them cold is 5-8 ms more)."""
        status, search = self.documents.filters()
        project = self.session.project
        # the same filters on a project nobody wrote to since: the same list (a second caller while the window
        # builds, a filter of document variables changing), not 100 000 ids read again (60 ms; issue #14)
        key = self._list_key(status, search)
        self.doc_filter.cancel()
        listed = self._listed if key == self._listed_key else None
        kept = getattr(self._listed, "ids", None) if (same_statements or statements_added) and not (status or search) \
            else None
        check_added = False
        if listed is None and kept is not None and self._listed_key is not None and self._listed_key[:3] == key[:3]:
            if statements_added:
                kept = kept + project.ids_after(kept[-1] if kept else 0)
            check_added = statements_added
            if check_added or len(kept) == project.progress()[1]:
                listed = project.listed(kept)
                self._listed_key, self._listed = key, listed
        counting = False
        if listed is None and search:  # the first page now, the whole list when a thread has read it
            listed = self.doc_filter.start(status, search, key)
            counting = listed is not None
            if counting and self.documents.model.sorted_by() is not None:
                # sorted by a column, the first page (the first matches in import order, sorted among themselves)
                # would be replaced by the whole list's first rows: the list stays as it was until the whole comes
                self._show_count(counting, whole_to_come=True)
                self.update_progress()
                return
        if listed is None:
            listed = project.documents(status, search)
            self._listed_key, self._listed = key, listed
        self.documents.model.set_rows(listed)
        if self.session.document is not None:
            self.documents.select(self.session.document.id)
        if check_added:  # a turn of its own (one of 0 ms ran in this one: with the list's refresh, 15-33 ms)
            QTimer.singleShot(NEXT_TURN_MS, self, lambda: self._check_added(listed))
            return
        self._show_count(counting)
        self.update_progress()

    def _check_added(self, listed: DocumentList) -> None:
        """The turn after an import's statements were added to the list: the ids listed are as many as the project
        holds (else a statement was deleted from outside meanwhile, which the app never does: every id is read
        again), and the counts under the list and in the status bar say so."""
        if self._listed is not listed:
            return  # listed anew since
        if len(listed) != self.session.project.progress()[1]:
            self._listed_key = self._listed = None
            self.documents_changed()
            return
        self._show_count(False)
        self.update_progress()

    def _list_key(self, status: str | None, search: str | None) -> tuple[object, ...]:
        project = self.session.project
        return (status, search, id(project.conn), project.conn.total_changes, project.data_version())

    def list_complete(self, key: tuple[object, ...], listed: object) -> None:
        """The whole list of a text filter whose first page is shown, read off this thread (``doc_filter``)."""
        if key == self._list_key(*self.documents.filters()):  # nobody wrote meanwhile: the list holds
            self._listed_key, self._listed = key, listed
        self.documents.model.extend_to(listed)  # type: ignore[arg-type]
        self._show_count(False)
        if self.session.document is not None:
            self.documents.select(self.session.document.id)

    def _show_count(self, counting: bool, whole_to_come: bool = False) -> None:
        """Under the list: how many statements, or how many a filter lists ("listing…" until it is whole; with
        ``whole_to_come``, nothing of it is shown yet). Always shown, so a filter turned on or off never moves the
        list."""
        search = self.documents.filters()[1]
        shown, total = self.documents.model.rowCount(), self.session.project.progress()[1]
        if whole_to_come:
            text = f"listing the statements that hold “{search}”…"
        elif counting:
            text = f"listing… the first {shown:,} of {total:,} statements shown"
        elif self.filtering():
            text = f"{shown:,} of {total:,} {_statements(total)} listed"
        else:
            text = f"{total:,} {_statements(total)}"
        self.documents.count.setText(text)

    def filtering(self) -> bool:
        """Whether the list shows some of the statements only (a status, text or variable filter)."""
        status, search = self.documents.filters()
        model = self.documents.model
        return bool(status or search or (model.keep is not None and model.keeping()))

    def next_unfinished(self, after: int | None) -> int | None:
        """The next statement to work on after ``after``: the project's next unfinished one, or with a filter on,
        the next unfinished one the list shows, in its order (the list is the analyst's queue: Ctrl+U opened a
        statement the filter hid while the list still marked another, a newcomer's finding)."""
        if not self.filtering():
            return self.session.project.next_unfinished(after)
        model = self.documents.model
        rows, first = model.rows, model.row_of(after) if after is not None else -1
        for step in range(1, len(rows) + 1):
            row = rows[(first + step) % len(rows)]
            if row.status in UNFINISHED and row.id != after:
                return int(row.id)
        return None

    def unfinished_listed(self) -> list[int] | None:
        """With a filter on, the unfinished statements the list shows (their ids); None with none on (then every
        unfinished statement is the queue). Next Suggested Statement looks among these (trial 16, F11)."""
        if not self.filtering():
            return None
        return [int(row.id) for row in self.documents.model.rows if row.status in UNFINISHED]


def _statements(n: int) -> str:
    return "statement" if n == 1 else "statements"
