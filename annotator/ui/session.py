"""The open project as the widgets see it: the current document, its spans, the undo stack, and what changed.

Widgets call the session; the session calls the core (``Project``) and says what changed through signals, so each
widget updates only what it shows. Every change goes through an undoable command (``ui/commands.py``) and is
committed by the store before the signal is sent: there is no Save.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.core.intervals import IntervalIndex
from annotator.core.model import Document, Label, Span
from annotator.errors import AnnotatorError
from annotator.store import Project


class Session(QObject):
    documentOpened = Signal(object)  # Document
    spanAdded = Signal(object)  # Span
    spanRemoved = Signal(object)  # Span
    spanChanged = Signal(object, object)  # before, after
    spansReset = Signal(int)  # doc id: many spans changed at once (label deleted, adjudication)
    labelsChanged = Signal()
    statusChanged = Signal(int, str)  # doc id, new status
    documentsChanged = Signal()  # statements added (an import) or deleted and brought back in this window
    changedElsewhere = Signal()  # statements, spans or statuses changed by another process (seen once a poll)
    failed = Signal(str)  # a user-facing message: the store refused (disk full, read-only, ...)
    cancelled = Signal(str)  # the change the user cancelled (its name): nothing of it was made

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.undo_stack = QUndoStack(self)
        self.document: Document | None = None
        self.index = IntervalIndex()  # the current document's spans, sorted by (start, end, label, id)
        self.counts: Counter[str] = Counter()  # spans per label in the current document
        self.labels: list[Label] = project.labels()

    # ------------------------------------------------------------------ documents
    def open_document(self, doc_id: int) -> None:
        if self.document is not None and self.document.id == doc_id:
            return
        self.document = self.project.document(doc_id)
        self.index = IntervalIndex(self.project.spans(doc_id))
        self.counts = Counter(s.label for s in self.index)
        self.documentOpened.emit(self.document)

    def close_document(self) -> None:
        """No statement open (the open one was deleted): nothing of it is kept to be shown."""
        self.document = None
        self.index = IntervalIndex()
        self.counts = Counter()

    def reload_document(self, spans: list[Span] | None = None) -> None:
        """The open statement and its spans read again (``spans``: already read); the view keeps its place."""
        if self.document is not None:
            doc_id = self.document.id
            status = self.document.status
            self.document = self.project.document(doc_id)
            self.index = IntervalIndex(self.project.spans(doc_id) if spans is None else spans)
            self.counts = Counter(s.label for s in self.index)
            self.spansReset.emit(doc_id)
            if self.document.status != status:
                self.statusChanged.emit(doc_id, self.document.status)

    def changed_elsewhere(self) -> bool:
        """Read the open statement again if another process changed its spans or its status (``annotator import``
        added a span to it: the view, the Spans panel and the counts showed the old ones, and the Documents list's
        count went wrong after the next label and its undo, a newcomer's finding). True if it had changed."""
        doc = self.document
        if doc is None:
            return False
        spans = self.project.spans(doc.id)
        if spans == self.index.spans() and self.project.status_of(doc.id) == doc.status:
            return False
        self.reload_document(spans)
        return True

    def label_name(self, key: str) -> str:
        """The name the analyst gave label ``key`` (the key itself for a label not in the codebook)."""
        return next((lb.name for lb in self.labels if lb.key == key), key)

    @property
    def spans(self) -> list[Span]:
        """The current document's spans in order (a copy)."""
        return self.index.spans()

    def span_by_id(self, span_id: int) -> Span | None:
        return self.index.get(span_id)

    # ------------------------------------------------------------------ applying changes (called by commands)
    def push(self, command: QUndoCommand) -> bool:
        """Run a command and keep it for undo; False (and a message) if the store refused it."""
        self.undo_stack.push(command)  # a command the store refused makes itself obsolete and is dropped
        return not getattr(command, "failure", None)

    def report(self, exc: AnnotatorError) -> None:
        self.failed.emit(str(exc))

    def show_doc(self, doc_id: int) -> None:
        """Undo/redo of a change in another document first brings that document into view."""
        if self.document is None or self.document.id != doc_id:
            self.open_document(doc_id)

    def added(self, span: Span) -> None:
        if self.document is not None and span.doc_id == self.document.id:
            self.index.add(span)
            self.counts[span.label] += 1
        self._touch_status(span.doc_id)
        self.spanAdded.emit(span)

    def removed(self, span: Span) -> None:
        if self.document is not None and span.doc_id == self.document.id:
            self.index.remove(span.id)
            self.counts[span.label] -= 1
        self.spanRemoved.emit(span)

    def changed(self, before: Span, after: Span) -> None:
        if self.document is not None and after.doc_id == self.document.id:
            self.index.remove(before.id)
            self.index.add(after)
            self.counts[before.label] -= 1
            self.counts[after.label] += 1
        self._touch_status(after.doc_id)
        self.spanChanged.emit(before, after)

    def _touch_status(self, doc_id: int) -> None:
        """The store moves a 'to do' document to 'in progress' on its first span; mirror it."""
        if self.document is not None and self.document.id == doc_id and self.document.status == "todo":
            self.document = self.project.document(doc_id)
            self.statusChanged.emit(doc_id, self.document.status)

    def status_set(self, doc_id: int, status: str) -> None:
        if self.document is not None and self.document.id == doc_id:
            self.document = self.project.document(doc_id)
        self.statusChanged.emit(doc_id, status)

    def labels_set(self) -> None:
        self.labels = self.project.labels()
        self.labelsChanged.emit()
        self.reload_document()
