"""Undoable changes: each command's ``redo``/``undo`` calls one core operation and tells the session.

If the store refuses (disk full, read-only file), nothing was changed (the store rolls back) and the user is told.
A change refused when first made makes itself obsolete, so the undo stack never claims a change that did not
happen. An undo or a redo refused (a value another writer changed since: ``store/conflicts.py``; a Cancel) leaves
its step where it was (trial 11, D3: a refused undo was dropped from the stack although its change stood, and the
next undo failed on what it had depended on): QUndoStack moves its index over the step once ``undo()`` (``redo()``)
returns, whatever happened, so the step moves it back, as the stack says its index changed, without running again
(:meth:`_Command._keep`). Edit ▸ Undo (Redo) then offers the same step again -- unless the analyst, asked
(``ui/refused.py``), removes it from the history: its change stays, and Undo goes on to the step before it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtGui import QUndoCommand

from annotator.core.model import Label, Span
from annotator.errors import AnnotatorError, Cancelled
from annotator.store import Project, conflicts
from annotator.store import suggest as suggestions
from annotator.ui.session import Session

T = TypeVar("T")
U = TypeVar("U")


class _Command(QUndoCommand):
    def __init__(self, session: Session, text: str, doc_id: int | None) -> None:
        super().__init__(text)
        self.session = session
        self.doc_id = doc_id
        self.failure: str | None = None
        self._made = False  # done once: a refusal from now on is an undo's or a redo's, and keeps the step
        self._pass = False  # the stack's next undo()/redo() of this step only moves its index back over it
        self._removing: QUndoCommand | None = None  # ... and makes this step of the stack obsolete

    def _run(self, step: Callable[[], Any], undoing: bool = False) -> bool:
        """``step()``, or its refusal said and the step kept (made already) or dropped (never made); whether done."""
        self.failure = None
        try:
            if self.doc_id is not None:
                self.session.show_doc(self.doc_id)
            step()
        except Cancelled:  # by the user, in its progress dialog: said in the status bar, not as an error
            self.failure = "cancelled"
            self.session.cancelled.emit(self.text())
            self._refused(undoing)
            return False
        except AnnotatorError as exc:
            exc = self._named(exc, undoing)
            self.failure = str(exc)
            if self._made:
                self._keep(undoing, self._ask(exc, undoing))
            else:
                self.session.report(exc)
                self.setObsolete(True)
            return False
        self._made = True
        return True

    def _ask(self, exc: AnnotatorError, undoing: bool) -> bool:
        """The refused undo (redo) shown over the window, asking whether to remove the step (``ui/refused.py``);
        without a window, reported and kept."""
        from PySide6.QtWidgets import QMainWindow

        window = self.session.parent()
        if not isinstance(window, QMainWindow):
            self.session.report(exc)
            return False
        from annotator.ui import refused

        return refused.remove(window, str(exc), undoing)

    def _named(self, exc: AnnotatorError, undoing: bool) -> AnnotatorError:
        """The refusal as the user reads it: which step, and a statement by its title (never "no document 10 in
        …", its id: trial 11, L5)."""
        if not self._made:
            return exc
        project = self.session.project
        message = exc.message
        if self.doc_id is not None and not isinstance(exc, conflicts.Conflict):
            try:
                gone = project.status_of(self.doc_id) is None
            except AnnotatorError:
                gone = False
            if gone:
                message = (f"{conflicts.statement_name(project, self.doc_id)} is no longer in the project, so this "
                           "change cannot be taken back or made again there; nothing was changed")
        # any other statement the store names by its id ("no document 10 in /path"): by its title
        message = re.sub(rf"no (?:document|statement) (\d+) in {re.escape(str(project.path))}",
                         lambda found: f"{conflicts.statement_name(project, int(found.group(1)))} is not in the "
                                       "project", message)
        doing = "undo" if undoing else "redo"
        return AnnotatorError(f"Cannot {doing} “{self.text()}”: {message}", exc.problems)

    def _refused(self, undoing: bool) -> None:
        if self._made:
            self._keep(undoing)
        else:
            self.setObsolete(True)

    def _keep(self, undoing: bool, remove: bool = False) -> None:
        """A refused undo (redo) stays the step to undo (redo) next: QUndoStack moves its index over it once
        ``undo()`` returns, whatever happened, and as it does (``indexChanged``, the last thing its ``undo()`` does)
        a redo (undo) that runs nothing moves it back -- at once, so no key pressed meanwhile meets the stack
        between the two. ``remove``: that redo (undo) makes the step -- or the macro holding it -- obsolete
        instead, and QUndoStack deletes it: its change stands (or, a redo's, was not made), the steps around it
        stay, and Edit ▸ Undo (Redo) goes on past it."""
        self._pass = True
        stack = self.session.undo_stack
        moved = 0 if undoing else -1

        def back(_index: int) -> None:
            stack.indexChanged.disconnect(back)
            at = stack.index() + moved
            if self._pass and 0 <= at < stack.count() and _holds(stack.command(at), self):
                self._removing = stack.command(at) if remove else None
                stack.redo() if undoing else stack.undo()  # (this step may be deleted by now: not touched after)
                return
            self._pass = False  # (not where it was left: nothing to pass over)

        stack.indexChanged.connect(back)

    def _passed(self) -> bool:
        """Whether this undo()/redo() only passes over the step (:meth:`_keep`), removing it if asked."""
        if not self._pass:
            return False
        self._pass = False
        removing, self._removing = self._removing, None
        if removing is not None:
            removing.setObsolete(True)  # the stack deletes it once this returns (the macro's others redone first)
        return True

    def redo(self) -> None:
        if not self._passed():
            self._run(self.do)

    def undo(self) -> None:
        if not self._passed():
            self._run(self.undo_step, undoing=True)

    def do(self) -> None:
        raise NotImplementedError

    def undo_step(self) -> None:
        raise NotImplementedError


def _holds(command: QUndoCommand | None, step: QUndoCommand) -> bool:
    """Whether ``command`` (a step of the stack) is ``step`` or holds it (a macro: Edit Codebook, an import)."""
    if command is None:
        return False
    if command is step:
        return True
    return any(_holds(command.child(i), step) for i in range(command.childCount()))


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
        project.delete_span(self.span.id, expected=self.span)  # refused when the span changed since
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
        self.said_no: list[int] = []  # the rejection the relabel of an accepted suggestion made

    def do(self) -> None:
        project = self.session.project
        if self.after is None:
            self.before, self.after = project.update_span(self.span_id, **self.changes)
        else:
            project.restore_span_state(self.after, expected=self.before, undoing=False)
        assert self.before is not None
        self.said_no = suggestions.said_no(project, self.before, self.after)  # a relabelled accepted suggestion
        self.session.changed(self.before, self.after)

    def undo_step(self) -> None:
        assert self.before is not None and self.after is not None
        self.session.project.restore_span_state(self.before, expected=self.after)
        suggestions.unreject(self.session.project, self.said_no)
        self.session.changed(self.after, self.before)


class DeleteSpan(_Command):
    def __init__(self, session: Session, span: Span) -> None:
        super().__init__(session, "Delete span", span.doc_id)
        self.span = span
        self.said_no: list[int] = []  # the rejection the delete of an accepted suggestion made

    def do(self) -> None:
        self.span = self.session.project.delete_span(self.span.id)
        self.said_no = suggestions.said_no(self.session.project, self.span, None)  # a deleted accepted suggestion
        self.session.removed(self.span)

    def undo_step(self) -> None:
        self.session.project.restore_spans([self.span])
        suggestions.unreject(self.session.project, self.said_no)
        self.session.added(self.span)


class SetStatus(_Command):
    def __init__(self, session: Session, doc_id: int, status: str) -> None:
        super().__init__(session, f"Mark {status.replace('_', ' ')}", doc_id)
        self.status = status
        self.previous: str | None = None

    def do(self) -> None:
        assert self.doc_id is not None
        if self.previous is not None:  # done again: over the status its undo left only
            conflicts.check_status(self.session.project, self.doc_id, self.previous, undoing=False)
        self.previous = self.session.project.set_status(self.doc_id, self.status)
        self.session.status_set(self.doc_id, self.status)

    def undo_step(self) -> None:
        assert self.doc_id is not None and self.previous is not None
        conflicts.check_status(self.session.project, self.doc_id, self.status)  # not over another writer's
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
