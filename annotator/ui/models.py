"""Qt item models over core collections: the documents list and the spans of the open document."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from annotator.core.model import STATUS_NAMES, DocumentSummary, Label, Span
from annotator.ui.text import plain_tooltip

Index = QModelIndex | QPersistentModelIndex
STATUS_COLORS = {"todo": "#6b6b6b", "in_progress": "#b36b00", "done": "#1a7f37", "skipped": "#8250df"}


class DocumentsModel(QAbstractTableModel):
    HEADERS = ("Title", "Status", "Spans")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[DocumentSummary] = []

    def set_rows(self, rows: list[DocumentSummary]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.title, STATUS_NAMES.get(row.status, row.status), row.span_count)[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return plain_tooltip(row.title)
        if role == Qt.ItemDataRole.ForegroundRole and col == 1:
            return QBrush(QColor(STATUS_COLORS.get(row.status, "#000000")))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def row_of(self, doc_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == doc_id), -1)

    def update(self, doc_id: int, **changes: Any) -> None:
        """Change one row in place (status, span count) without resetting the view."""
        i = self.row_of(doc_id)
        if i < 0:
            return
        from dataclasses import replace

        self.rows[i] = replace(self.rows[i], **changes)
        self.dataChanged.emit(self.index(i, 0), self.index(i, self.columnCount() - 1))


class SpansModel(QAbstractTableModel):
    """The spans of the open document; the note column is editable in place."""

    HEADERS = ("Label", "Phrase", "Note")
    noteEdited = Signal(object, str)  # span, new note

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.spans: list[Span] = []
        self.text = ""
        self.labels: dict[str, Label] = {}

    def reset(self, text: str, spans: list[Span], labels: list[Label]) -> None:
        self.beginResetModel()
        self.text = text
        self.spans = list(spans)
        self.labels = {lb.key: lb for lb in labels}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.spans)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == 2:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.spans):
            return None
        span = self.spans[index.row()]
        col = index.column()
        label = self.labels.get(span.label)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == 0:
                return label.name if label else span.label
            if col == 1:
                phrase = self.text[span.start : span.end]
                phrase = " ".join(phrase.split())
                return phrase if len(phrase) <= 120 else phrase[:117] + "…"
            return span.note
        if role == Qt.ItemDataRole.DecorationRole and col == 0 and label:
            return QColor(label.color)
        if role == Qt.ItemDataRole.ToolTipRole:
            return None  # no tooltips from document text: nothing from a document is interpreted as rich text
        if role == Qt.ItemDataRole.UserRole:
            return span.id
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != 2 or not index.isValid():
            return False
        span = self.spans[index.row()]
        if str(value) != span.note:
            self.noteEdited.emit(span, str(value))
        return False  # the session's change signal updates the row once the store has saved it

    def row_of(self, span_id: int) -> int:
        return next((i for i, s in enumerate(self.spans) if s.id == span_id), -1)

    def insert(self, span: Span) -> None:
        i = next((i for i, s in enumerate(self.spans) if (s.start, s.end, s.label, s.id) > (span.start, span.end,
                                                                                             span.label, span.id)),
                 len(self.spans))
        self.beginInsertRows(QModelIndex(), i, i)
        self.spans.insert(i, span)
        self.endInsertRows()

    def remove(self, span_id: int) -> None:
        i = self.row_of(span_id)
        if i >= 0:
            self.beginRemoveRows(QModelIndex(), i, i)
            del self.spans[i]
            self.endRemoveRows()

    def replace(self, span: Span) -> None:
        self.remove(span.id)
        self.insert(span)
