"""The Search dock's hits follow the project when it changes under them (trial 14, F8): ``annotator import`` beside
the window added statements, and the dock still showed the hits found before; Ctrl+A and a label key then said
"Labelled 6 hit(s)" and silently left the new statements' hits unlabelled.

When another process changes the project (the window's poll, ``ui/watch``: ``Session.changedElsewhere``) or the
window itself adds or deletes statements (File ▸ Import, Delete Statement: ``Session.documentsChanged``), the hits
shown are marked out of date and the dock's search runs again in its thread, :data:`REFRESH_MS` after the first
change (changes meanwhile are one run). The hits shown stay as they are while it runs; when it ends, the hits it
found replace them at once -- only if they differ -- with the same filter and sort, the hits that were selected
selected again (all of them after Ctrl+A: all the hits now), the current hit and the top row kept. While the hits
are out of date the dock says so and a label key in the hits is refused with that message: a step labelling "all"
never labels fewer than the search finds now without saying so. A change while that run reads gives another run
after it (its hits shown meanwhile: they are newer). A hidden dock runs its search again when shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView

#: how long after a change the hits are read again (the changes of one import or script are one run)
REFRESH_MS = 300
REFUSED = ("The project changed (another program, or an import): the hits are being read again. "
           "Press the label key again once they are shown")


class Follow(QObject):
    """The dock's search read again when the project changes; ``controller`` is the dock's ``SearchController``."""

    def __init__(self, controller: Any) -> None:
        super().__init__(controller)
        self.controller = controller
        self.stale = False  # the hits shown may not be what the search finds now
        self.again = False  # changed while a run read: it may have missed the change
        self.problem = ""  # the last run again failed: why
        self.generation: int | None = None  # the generation of the run again under way
        self.rows: list[tuple[Any, ...]] = []  # its hits so far (not shown until it ends)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)

    def reset(self) -> None:
        """A new search (or a new project): its hits are read from now on."""
        self.timer.stop()
        self.stale = self.again = False
        self.problem = ""
        self.generation, self.rows = None, []

    def changed(self) -> None:
        """The project changed: the hits shown, if any search is shown, are read again soon."""
        controller = self.controller
        if controller.searched() is None:
            return
        self.stale = True
        if controller.running is not None:  # this run, or the user's search, may have read past the change
            self.again = True
        elif not self.timer.isActive():
            self.timer.start()
        controller.update_counts()

    def refresh(self) -> None:
        """Run the search again now, if its hits are out of date and the dock shows them (when the dock is shown
        again otherwise)."""
        controller = self.controller
        if not self.stale or controller.running is not None or controller.timer.isActive():
            return  # a run ends first (``ended`` starts one then); a search typed in replaces the hits anyway
        if not controller.dock.isVisible():
            return
        self.again, self.problem, self.rows = False, "", []
        self.generation = controller.search_again()
        controller.update_counts()

    def shown(self, visible: bool) -> None:
        if visible and self.stale and not self.timer.isActive():
            self.timer.start()

    def found(self, generation: int, batch: list[tuple[Any, ...]]) -> bool:
        """A batch of a run again: kept until it ends (True), else not its (False)."""
        if generation != self.generation:
            return False
        self.rows += batch
        return True

    def ended(self, generation: int, problem: str) -> bool:
        """A search ended; True if it was a run again (its hits are shown now, unless it failed: then the hits
        before stay, said to be out of date)."""
        if generation != self.generation:
            if self.stale and self.again:  # the user's search, changed under: read it again
                self.again = False
                self.timer.start()
            return False
        rows, self.rows, self.generation = self.rows, [], None
        if problem:
            self.problem = problem
            return True
        if rows != self.controller.model.all._rows:
            self._show(rows)
        self.stale = self.again
        if self.again:
            self.again = False
            self.timer.start()
        return True

    def cancelled(self) -> None:
        """The run again was cancelled (Cancel, or a new search): the hits shown stay out of date."""
        self.generation, self.rows = None, []

    def note(self) -> str:
        """What the dock's count line adds while the hits are out of date."""
        if not self.stale:
            return ""
        if self.problem:
            return " — may be out of date: reading them again failed; press Enter in the box to search again"
        if self.generation is not None or self.timer.isActive():
            return " — the project changed: reading the hits again…"
        return " — may be out of date: the project changed; press Enter in the box to search again"

    # ------------------------------------------------------------------ the view kept
    def _show(self, rows: list[tuple[Any, ...]]) -> None:
        """The hits found again shown in place of those before, the selection, current hit and top row kept."""
        controller = self.controller
        model, table = controller.model, controller.panel.table
        count = model.rowCount()
        ranges = controller.selected_ranges()
        everything = count > 0 and ranges == [(0, count)]
        chosen = set() if everything else set(model.rows.keys(r for first, stop in ranges for r in range(first, stop)))
        current = table.currentIndex()
        current_key = model.rows.keys([current.row()])[0] if current.isValid() and current.row() < count else None
        top = table.rowAt(0)
        top_key = model.rows.keys([top])[0] if 0 <= top < count else None
        scrolled = table.verticalScrollBar().value()
        model.replace(rows)
        keys = model.rows.keys() if chosen or current_key or top_key else []  # (100 000 hits: a few ms, in C)
        if everything:
            table.selectAll()
        elif chosen:
            where = dict(zip(keys, range(len(keys)), strict=True))  # (in C: a Python loop took 50 ms at 100 000)
            controller.select_rows(sorted(where[key] for key in chosen if key in where))
        current_row = _place(keys, current_key)
        if current_row is not None:
            table.selectionModel().setCurrentIndex(model.index(current_row, 0),
                                                   QItemSelectionModel.SelectionFlag.NoUpdate)
        top_row = _place(keys, top_key)
        if top_row is not None:
            table.scrollTo(model.index(top_row, 0), QAbstractItemView.ScrollHint.PositionAtTop)
        else:
            table.verticalScrollBar().setValue(scrolled)


def _place(keys: list[Any], key: Any) -> int | None:
    """Where ``key`` is among ``keys`` (None: not there, or no key)."""
    if key is None:
        return None
    try:
        return keys.index(key)
    except ValueError:
        return None
