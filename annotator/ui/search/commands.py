"""Labelling search hits as one undoable step (``store/hit_labels.py``): the first redo labels them, later ones
replay the same spans, undo takes them all back; the dock then refreshes the hits' labels and the window its
lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from annotator.core.search.hits import Hit
from annotator.store import hit_labels
from annotator.ui.commands import _Command
from annotator.ui.session import Session


class LabelHits(_Command):
    def __init__(self, session: Session, hits: Sequence[Hit], label: str,
                 changed: Callable[[hit_labels.Labelled, bool], Any]) -> None:
        super().__init__(session, f"Label {len(hits)} hit(s) “{session.label_name(label)}”", None)
        self.hits = list(hits)
        self.label = label
        self.changed = changed
        self.done: hit_labels.Labelled | None = None

    def do(self) -> None:
        project = self.session.project
        if self.done is None:
            self.done = hit_labels.label_hits(project, self.hits, self.label)
            if not self.done.spans:
                self.setObsolete(True)  # nothing was added: no empty undo step
        else:
            hit_labels.redo(project, self.done)
        self.changed(self.done, False)

    def undo_step(self) -> None:
        assert self.done is not None
        hit_labels.undo(self.session.project, self.done)
        self.changed(self.done, True)
