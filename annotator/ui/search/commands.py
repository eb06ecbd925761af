"""Labelling search hits as one undoable step (``store/hit_labels.py``): the first redo labels them, later ones
replay the same spans, undo takes them all back; each also reads what the dock shows of them again, after the change
and in its thread, and the dock then shows it and the window its lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from annotator import pacing
from annotator.core.search.hits import Hit
from annotator.store import Project, hit_labels
from annotator.ui.commands import _Command, many_statements
from annotator.ui.session import Session

R = TypeVar("R")
#: what the dock reads again after each change: prepared on the window's thread as the change begins, then called
#: (project, the step) in its thread once the change is committed
Reader = Callable[[Project, hit_labels.Labelled], R]
#: hits labelled on the window's thread at most (about 0.1 s); more are labelled in a thread
IN_PLACE = 2000


class LabelHits(_Command, Generic[R]):
    """``prepare()`` gives, as each change begins, the :data:`Reader` of what the dock shows of the hits;
    ``changed(done, undone, read)`` is told once the change is done, with what it read."""

    def __init__(self, session: Session, hits: Sequence[tuple[Any, ...]], label: str,
                 prepare: Callable[[], Reader[R]], changed: Callable[[hit_labels.Labelled, bool, R], Any]) -> None:
        super().__init__(session, f"Label {len(hits)} hit(s) “{session.label_name(label)}”", None)
        self.hits = hits  # plain tuples (``Hit``'s fields), each a Hit again where the change runs
        self.label = label
        self.prepare = prepare
        self.changed = changed
        self.done: hit_labels.Labelled | None = None

    def do(self) -> None:
        if self.done is None:
            hits, label = self.hits, self.label
            done, read = self._write(f"Labelling {len(hits)} hits…", lambda project: _label(project, hits, label))
            self.done = done
            if not done.spans:
                self.setObsolete(True)  # nothing was added: no empty undo step
        else:
            done = self.done
            read = self._write("Labelling the hits again…", _returning(hit_labels.redo, done))[1]
        self.changed(done, False, read)

    def undo_step(self) -> None:
        assert self.done is not None
        done = self.done
        read = self._write("Taking the hits' labels off…", _returning(hit_labels.undo, done))[1]
        self.changed(done, True, read)

    def _write(self, label: str, change: Callable[[Project], hit_labels.Labelled]) -> tuple[hit_labels.Labelled, R]:
        """The change, then the dock's reading: a few thousand hits on the window's thread (0.6 s for 10 000); more
        in a thread with a progress dialog and a Cancel (464 000 hits of a word at 100 000 statements took 36 s,
        their undo 12 s, and reading 100 000 hits' labels again 1 s)."""
        reader = self.prepare()

        def then(project: Project, done: hit_labels.Labelled) -> tuple[hit_labels.Labelled, R]:
            return done, reader(project, done)

        if len(self.hits) <= IN_PLACE:
            project = self.session.project
            return then(project, change(project))
        return many_statements(self.session, label, change, "Search", then, "Reading the hits' labels again…")


def _label(project: Project, rows: Sequence[tuple[Any, ...]], label: str) -> hit_labels.Labelled:
    """The hits (plain tuples) labelled, each a :class:`Hit` here (in the step's thread, when it has one), and let go
    of a slice at a time (``pacing.drop``: 100 000 freed at once held the GIL in C)."""
    hits = [Hit._make(row) for row in rows]
    try:
        return hit_labels.label_hits(project, hits, label)
    finally:
        pacing.drop(hits)


def _returning(step: Callable[[Project, hit_labels.Labelled], None],
               done: hit_labels.Labelled) -> Callable[[Project], hit_labels.Labelled]:
    """``step(project, done)`` (a redo or an undo), giving ``done`` back as a first labelling gives its result."""

    def change(project: Project) -> hit_labels.Labelled:
        step(project, done)
        return done

    return change
