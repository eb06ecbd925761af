"""Deleting a statement as one undoable change: its redo deletes it with all that is its own
(``store/statements.py``), its undo brings it back whole, under its id, and opens it."""

from __future__ import annotations

from typing import Any

from annotator.store import statements
from annotator.store.statements import Removed
from annotator.ui.commands import _Command


def short(title: str, most: int = 40) -> str:
    title = " ".join(title.split())
    return title if len(title) <= most else title[:most - 1] + "…"


class DeleteStatement(_Command):
    def __init__(self, controller: Any, doc_id: int, title: str) -> None:
        super().__init__(controller.window.session, f"Delete Statement “{short(title)}”", None)
        self.controller = controller
        self.target = doc_id
        self.removed: Removed | None = None

    def do(self) -> None:
        window = self.controller.window
        was_open = self.session.document is not None and self.session.document.id == self.target
        following = self.controller.neighbour(self.target) if was_open else None
        self.removed = statements.delete_statement(self.session.project, self.target)
        self.controller.deleted(self.target, was_open, following)
        window.statusBar().showMessage(f"Deleted “{short(self.removed.title)}”; Edit ▸ Undo brings it back", 8000)

    def undo_step(self) -> None:
        assert self.removed is not None
        statements.restore_statement(self.session.project, self.removed)
        self.controller.restored(self.target)
        # not "Deleted …; Edit ▸ Undo brings it back" standing over the statement brought back (seen on Xvfb)
        self.controller.window.statusBar().showMessage(f"Undone: {self.text()}", 6000)
