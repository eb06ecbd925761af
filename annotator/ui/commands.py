"""Undoable changes: each command's ``redo``/``undo`` calls one core operation and tells the session.

If the store refuses (disk full, read-only file), nothing was changed (the store rolls back), the user is told,
and the command makes itself obsolete so the undo stack never claims a change that did not happen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtGui import QUndoCommand

from annotator.core.model import Label, Span
from annotator.errors import AnnotatorError, Cancelled
from annotator.store import Project
from annotator.ui.session import Session

T = TypeVar("T")
U = TypeVar("U")


class _Command(QUndoCommand):
    def __init__(self, session: Session, text: str, doc_id: int | None) -> None:
        super().__init__(text)
        self.session = session
        self.doc_id = doc_id
        self.failure: str | None = None

    def _run(self, step: Callable[[], Any]) -> None:
        if self.doc_id is not None:
            self.session.show_doc(self.doc_id)
        try:
            step()
        except Cancelled:  # by the user, in its progress dialog: said in the status bar, not as an error
            self.failure = "cancelled"
            self.setObsolete(True)
            self.session.cancelled.emit(self.text())
        except AnnotatorError as exc:
            self.failure = str(exc)
            self.setObsolete(True)
            self.session.report(exc)

    def redo(self) -> None:
        self._run(self.do)

    def undo(self) -> None:
        self._run(self.undo_step)

    def do(self) -> None:
        raise NotImplementedError

    def undo_step(self) -> None:
        raise NotImplementedError


class AddSpan(_Command):
    def __init__(self, session: Session, doc_id: int, start: int, end: int, label: str, note: str = "",
                 origin: str = "", annotator: str | None = None) -> None:
        super().__init__(session, f"Label “{session.label_name(label)}”", doc_id)
        self.args = (doc_id, start, end, label, note, origin, annotator)
        self.span: Span | None = None
        #: the statement was "To do" and this label made it "In progress": its undo puts it back (it left a
        #: statement without a span in progress, a newcomer's finding), its redo forward again
        self.started = False

    def do(self) -> None:
        project = self.session.project
        if self.span is None:
            doc_id, start, end, label, note, origin, annotator = self.args
            self.started = project.status_of(doc_id) == "todo"
            self.span = project.add_span(doc_id, start, end, label, note, origin, annotator)
        else:
            project.restore_spans([self.span])
            if self.started:
                project.set_status(self.span.doc_id, "in_progress")
                self.session.status_set(self.span.doc_id, "in_progress")
        self.session.added(self.span)

    def undo_step(self) -> None:
        assert self.span is not None
        project = self.session.project
        project.delete_span(self.span.id)
        if self.started and project.status_of(self.span.doc_id) == "in_progress":
            project.set_status(self.span.doc_id, "todo")
            self.session.status_set(self.span.doc_id, "todo")
        self.session.removed(self.span)


class ChangeSpan(_Command):
    """Relabel, resize or annotate a span."""

    def __init__(self, session: Session, span: Span, text: str, **changes: Any) -> None:
        super().__init__(session, text, span.doc_id)
        self.span_id = span.id
        self.changes = changes
        self.before: Span | None = None
        self.after: Span | None = None

    def do(self) -> None:
        project = self.session.project
        if self.after is None:
            self.before, self.after = project.update_span(self.span_id, **self.changes)
        else:
            project.restore_span_state(self.after)
        assert self.before is not None
        self.session.changed(self.before, self.after)

    def undo_step(self) -> None:
        assert self.before is not None and self.after is not None
        self.session.project.restore_span_state(self.before)
        self.session.changed(self.after, self.before)


class DeleteSpan(_Command):
    def __init__(self, session: Session, span: Span) -> None:
        super().__init__(session, "Delete span", span.doc_id)
        self.span = span

    def do(self) -> None:
        self.span = self.session.project.delete_span(self.span.id)
        self.session.removed(self.span)

    def undo_step(self) -> None:
        self.session.project.restore_spans([self.span])
        self.session.added(self.span)


class SetStatus(_Command):
    def __init__(self, session: Session, doc_id: int, status: str) -> None:
        super().__init__(session, f"Mark {status.replace('_', ' ')}", doc_id)
        self.status = status
        self.previous: str | None = None

    def do(self) -> None:
        assert self.doc_id is not None
        self.previous = self.session.project.set_status(self.doc_id, self.status)
        self.session.status_set(self.doc_id, self.status)

    def undo_step(self) -> None:
        assert self.doc_id is not None and self.previous is not None
        self.session.project.set_status(self.doc_id, self.previous)
        self.session.status_set(self.doc_id, self.previous)


class SetCodebook(_Command):
    """Add, rename, recolour, re-key, describe or reorder labels, as one change."""

    def __init__(self, session: Session, labels: list[Label]) -> None:
        super().__init__(session, "Edit codebook", None)
        self.labels = labels
        self.previous: list[Label] | None = None

    def do(self) -> None:
        self.previous = self.session.project.set_codebook(self.labels)
        self.session.labels_set()

    def undo_step(self) -> None:
        assert self.previous is not None
        self.session.project.set_codebook(self.previous)
        self.session.labels_set()


class DeleteLabel(_Command):
    """Remove a label; its spans are deleted or moved to another label."""

    def __init__(self, session: Session, key: str, relabel_to: str | None) -> None:
        super().__init__(session, f"Delete label “{session.label_name(key)}”", None)
        self.key = key
        self.relabel_to = relabel_to
        self.saved: tuple[list[Label], list[Span]] | None = None

    def do(self) -> None:
        key, relabel_to = self.key, self.relabel_to
        self.saved = many_statements(self.session, f"Deleting the label “{self.session.label_name(key)}”…",
                                    lambda project: project.delete_label(key, relabel_to))
        self.session.labels_set()

    def undo_step(self) -> None:
        assert self.saved is not None
        saved = self.saved
        many_statements(self.session, "Putting the label back…", lambda project: project.restore_label(*saved))
        self.session.labels_set()


def many_statements(session: Session, label: str, change: Callable[[Project], T], title: str = "Codebook",
                    then: Callable[[Project, T], U] | None = None, finishing: str = "") -> T | U:
    """``change(project)`` for a change of many statements at once: in a thread with a progress dialog and a
    Cancel over the session's window (``ui/files/job.py``: the window paints meanwhile; a Cancel raises
    ``Cancelled``, which refuses the command: :meth:`_Command._run`); directly when the session has no window.
    ``then(project, result)``, when given, reads what the window needs once the change is committed, in the same
    thread, and its result is returned instead."""
    from PySide6.QtWidgets import QMainWindow

    from annotator.ui.files import job  # here: ui/files imports this module

    window = session.parent()
    if not isinstance(window, QMainWindow):
        done = change(session.project)
        return done if then is None else then(session.project, done)
    return job.run_write(window, session.project, title, label, change, then, finishing)
