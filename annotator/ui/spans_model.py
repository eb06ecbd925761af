"""The Spans panel's model: the open statement's spans, read straight from the session's index."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal

from annotator.core.intervals import IntervalIndex
from annotator.core.model import Label, Span
from annotator.core.neutral import terminal_safe
from annotator.ui.models import DECORATION, DISPLAY, EDIT, TOOLTIP, USER, Index, Table
from annotator.ui.palette import swatch
from annotator.ui.reading import columns
from annotator.ui.text import from_qt, plain_tooltip


class SpansModel(Table):
    """The spans of the open document, read straight from the session's index (DESIGN.md §4: the session keeps
    the one sorted list; this model keeps no copy of it); the note column is editable in place.

    The session changes its index first and then says what changed; :meth:`inserted`, :meth:`removed` and
    :meth:`changed` turn that into row signals. Until they do, the model reports the rows its views were last
    told of (``_rows``): Qt's model contract lets the row count change only between the begin and end signals.
    """

    HEADERS = ("Label", "Phrase", "Note")
    ROLES = frozenset({DISPLAY, EDIT, DECORATION, TOOLTIP, USER})
    noteEdited = Signal(object, str)  # span, new note
    #: rows the views hold (their current row, an open editor's) whose spans the statement read again lacks, told
    #: before they go: an editor open on one is closed while its row is valid (released later, its hiding moved
    #: the table's current row to its first span, as a Tab key would)
    rowsLeaving = Signal(list)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.spans = IntervalIndex()
        self._rows = 0
        self._shown: Callable[[int], Span] | None = None  # while a row signal runs: what each row showed/shows
        self.text = ""
        self.labels: dict[str, Label] = {}
        #: the analyst: a span of anyone else names them beside its label ("Threat · bob")
        self.me = ""

    def reset(self, text: str, spans: IntervalIndex, labels: list[Label], me: str = "") -> None:
        """Show ``spans``, the session's index itself (not a copy): later changes to it come through the
        session's signals to :meth:`inserted`, :meth:`removed` and :meth:`changed`.

        The same statement read again (its spans changed by another process, a review, a rename of the analyst):
        the rows are laid out anew with every row the views hold (the selected one, the one whose note is being
        typed) kept on its span, by id, wherever it now is; one whose span is gone is held no more. A model reset
        closed the note's editor with the typing lost and left the selection on the row's index, on another span,
        which a label key or Delete then acted on (trial 14, F9)."""
        def show() -> None:
            self.me = me
            self.text = text
            self.spans = spans
            self._rows = len(spans)
            self.labels = {lb.key: lb for lb in labels}

        # the rows the views know, still as they were (the session reads a statement again into a new index)
        if text == self.text and spans is not self.spans and self._rows == len(self.spans):
            self._relayout(spans, show)
            return
        self._all_leaving()  # (another statement: its note's edit ends, unsaved, before the table resets)
        self.beginResetModel()
        show()
        self.endResetModel()

    def _all_leaving(self) -> None:
        """Every row the views hold is about to go (:attr:`rowsLeaving`)."""
        held = sorted({i.row() for i in self.persistentIndexList()})
        if held:
            self.rowsLeaving.emit(held)

    def _relayout(self, spans: IntervalIndex, show: Callable[[], None]) -> None:
        """``show()`` shows ``spans``; each row the views hold follows its span (by id) to its new row, or is
        dropped with it (a selection never lands on another span, an editor is never moved to one). Rows held
        whose spans go are named first (:attr:`rowsLeaving`), while they are still valid."""
        old = self.spans
        leaving = sorted({i.row() for i in self.persistentIndexList()
                          if 0 <= i.row() < self._rows and old[i.row()].id not in spans})
        if leaving:
            self.rowsLeaving.emit(leaving)
        self.layoutAboutToBeChanged.emit()
        held = self.persistentIndexList()  # asked after the signal: the views hold their selection by then
        ids = [old[i.row()].id if 0 <= i.row() < self._rows else None for i in held]
        show()
        rows = {span_id: self.row_of(span_id) for span_id in dict.fromkeys(ids) if span_id is not None}
        self.changePersistentIndexList(held, [
            self.index(rows[span_id], i.column()) if span_id is not None and rows[span_id] >= 0 else QModelIndex()
            for i, span_id in zip(held, ids, strict=True)
        ])
        self.layoutChanged.emit()

    def _count(self) -> int:
        return self._rows

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == 2:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _span(self, row: int) -> Span | None:
        """The span shown in ``row``: during a row signal, the rows as the views know them (before or after the
        change the signal announces); otherwise the index's."""
        try:
            return self._shown(row) if self._shown is not None else self.spans[row]
        except IndexError:  # asked between the index's change and the session's signal
            return None

    def _value(self, row: int, col: int, role: int) -> Any:
        span = self._span(row)
        if span is None:
            return None
        label = self.labels.get(span.label)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == 0:  # whose, where it is not the analyst's: two colleagues' equal spans were two equal rows
                return self._label_text(label, span)
            if col == 1:  # on one line; the view elides it in the middle, the tooltip shows it whole
                return columns.clip(self.text, columns.CELL_CHARS, span.start, span.end)
            if role == Qt.ItemDataRole.DisplayRole and "\n" in span.note:  # one row: its lines shown joined
                return " ⏎ ".join(span.note.splitlines())
            return span.note
        if role == Qt.ItemDataRole.DecorationRole and col == 0 and label:
            return swatch(label.color, 14)
        if role == Qt.ItemDataRole.ToolTipRole:  # escaped: nothing from a document is interpreted as rich text
            if col == 1:
                return plain_tooltip(columns.clip(self.text, columns.TIP_CHARS, span.start, span.end))
            if col == 0:
                return plain_tooltip(self._label_text(label, span, ", by "))
            return plain_tooltip(span.note) if span.note else None
        if role == Qt.ItemDataRole.UserRole:
            return span.id
        return None

    def _label_text(self, label: Label | None, span: Span, by: str = " · ") -> str:
        name = terminal_safe(label.name if label else span.label)  # a colleague's, accepted: from a file
        return name if span.annotator in ("", self.me) else f"{name}{by}{terminal_safe(span.annotator)}"

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != 2 or not index.isValid():
            return False
        span = self._span(index.row())
        if span is None:
            return False
        note = from_qt(str(value))
        if note != span.note:
            self.noteEdited.emit(span, note)
        return False  # the session's change signal updates the row once the store has saved it

    def row_of(self, span_id: int) -> int:
        """Row of span ``span_id`` (-1 if it is not shown): the index's bisect, not a scan."""
        return self.spans.index_of(span_id) if span_id in self.spans else -1

    def inserted(self, span: Span) -> None:
        """``span`` was added to the index: one new row where it now is."""
        if len(self.spans) != self._rows + 1 or span.id not in self.spans:
            self._resync()
            return
        i = self.spans.index_of(span.id)
        self._shown = self._without(i)
        self.beginInsertRows(QModelIndex(), i, i)
        self._rows += 1
        self._shown = None
        self.endInsertRows()

    def removed(self, span: Span) -> None:
        """``span`` was taken out of the index: its row (where its key would go now) goes."""
        if len(self.spans) != self._rows - 1 or span.id in self.spans:
            self._resync()
            return
        i = self.spans.rank(span)
        self._shown = _put(self.spans.__getitem__, i, span)
        self.beginRemoveRows(QModelIndex(), i, i)
        self._rows -= 1
        self._shown = None
        self.endRemoveRows()

    def changed(self, before: Span, after: Span) -> None:
        """``before`` was replaced by ``after`` in the index: one changed row when its place stays the same,
        otherwise the row moves (removed where it was, inserted where it is now)."""
        if len(self.spans) != self._rows or after.id not in self.spans:
            self._resync()
            return
        new = self.spans.index_of(after.id)
        old = self.spans.rank(before) - (1 if _key(after) < _key(before) else 0)
        if old == new:
            self.dataChanged.emit(self.index(new, 0), self.index(new, self.columnCount() - 1))
            return
        between = self._without(new)  # neither span: the rows after the removal, before the insertion
        self._shown = _put(between, old, before)
        self.beginRemoveRows(QModelIndex(), old, old)
        self._rows -= 1
        self._shown = between
        self.endRemoveRows()
        self.beginInsertRows(QModelIndex(), new, new)
        self._rows += 1
        self._shown = None
        self.endInsertRows()

    def _without(self, i: int) -> Callable[[int], Span]:
        """The index's rows with row ``i`` left out."""
        spans = self.spans
        return lambda r: spans[r if r < i else r + 1]

    def _resync(self) -> None:
        """The index changed in a way no single row signal says (a span replaced under its id): show it anew.
        The rows the views hold are not known to be their spans any more: an editor open is closed unsaved."""
        self._all_leaving()
        self.beginResetModel()
        self._rows = len(self.spans)
        self.endResetModel()


def _put(rows: Callable[[int], Span], i: int, span: Span) -> Callable[[int], Span]:
    """``rows`` with ``span`` put in at row ``i``."""
    return lambda r: rows(r) if r < i else span if r == i else rows(r - 1)


def _key(span: Span) -> tuple[int, int, str, int]:
    return (span.start, span.end, span.label, span.id)
