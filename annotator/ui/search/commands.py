"""Labelling search hits as one undoable step (``store/hit_labels.py``): the first redo labels them, later ones
replay the same spans, undo takes them all back; the dock then refreshes the hits' labels and the window its
lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from annotator.core.search.hits import Hit
from annotator.store import Project, hit_labels
from annotator.ui.commands import _Command, many_statements
from annotator.ui.session import Session

T = TypeVar("T")
#: hits labelled on the window's thread at most (about 0.1 s); more are labelled in a thread
IN_PLACE = 2000


class LabelHits(_Command):
    def __init__(self, session: Session, hits: Sequence[Hit], label: str,
                 changed: Callable[[hit_labels.Labelled, bool], Any]) -> None:
        super().__init__(session, f"Label {len(hits)} hit(s) “{session.label_name(label)}”", None)
        self.hits = list(hits)
        self.label = label
        self.changed = changed
        self.done: hit_labels.Labelled | None = None

    def do(self) -> None:
        if self.done is None:
            hits, label = self.hits, self.label
            self.done = self._write(f"Labelling {len(hits)} hits…",
                                    lambda project: hit_labels.label_hits(project, hits, label))
            if not self.done.spans:
                self.setObsolete(True)  # nothing was added: no empty undo step
        else:
            done = self.done
            self._write("Labelling the hits again…", lambda project: hit_labels.redo(project, done))
        self.changed(self.done, False)

    def undo_step(self) -> None:
        assert self.done is not None
        done = self.done
        self._write("Taking the hits' labels off…", lambda project: hit_labels.undo(project, done))
        self.changed(self.done, True)

    def _write(self, label: str, change: Callable[[Project], T]) -> T:
        """A few thousand hits on the window's thread (0.6 s for 10 000); more in a thread with a progress dialog
        and a Cancel (464 000 hits of a word at 100 000 statements took 36 s, their undo 12 s)."""
        if len(self.hits) <= IN_PLACE:
            return change(self.session.project)
        return many_statements(self.session, label, change, "Search")
