"""Item models of the corpus views: a matrix of counts (label × group, crosstab, co-occurrence) shown as counts or
percentages, and the retrieved spans. Each wraps a core result; cells are formatted when shown."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from annotator.core.neutral import csv_row
from annotator.formats.common import output_file

_INDEX = QModelIndex()
Display = Qt.ItemDataRole.DisplayRole


class MatrixModel(QAbstractTableModel):
    """Rows × columns of numbers; ``percent`` (None, "row" or "column") shows percentages instead of counts. A last
    column holds the row totals when ``totals`` are given, a last row the column totals when ``column_totals`` are
    (its last cell their sum); totals are counts, in bold."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.corner = ""
        self.row_names: list[str] = []
        self.column_names: list[str] = []
        self.counts: list[list[int]] = []
        self.percents: list[list[float | None]] | None = None
        self.totals: list[int] | None = None
        self.column_totals: list[int] | None = None

    def set_matrix(self, corner: str, rows: list[str], columns: list[str], counts: list[list[int]],
                   percents: list[list[float | None]] | None = None, totals: list[int] | None = None,
                   column_totals: list[int] | None = None) -> None:
        self.beginResetModel()
        self.corner, self.row_names, self.column_names = corner, rows, columns
        self.counts, self.percents, self.totals, self.column_totals = counts, percents, totals, column_totals
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _INDEX) -> int:
        return 0 if parent.isValid() else len(self.row_names) + (1 if self.column_totals is not None else 0)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _INDEX) -> int:
        return 0 if parent.isValid() else len(self.column_names) + (1 if self.totals is not None else 0)

    def total_name(self) -> str:
        """The totals' title: they are counts, also beside percentages (a CSV of both said not which was which)."""
        return "Total" if self.percents is None else "Total (count)"

    def headers(self) -> list[str]:
        return [*self.column_names, *([self.total_name()] if self.totals is not None else [])]

    def names(self) -> list[str]:
        """The rows' names, the totals row's included."""
        return [*self.row_names, *([self.total_name()] if self.column_totals is not None else [])]

    def is_total(self, r: int, c: int) -> bool:
        return r >= len(self.row_names) or c >= len(self.column_names)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Display) -> Any:
        if role != Display:
            return None
        heads = self.headers() if orientation == Qt.Orientation.Horizontal else self.names()
        return heads[section] if section < len(heads) else None

    def value(self, r: int, c: int) -> float | int | None:
        if r >= len(self.row_names):
            found = self.column_totals or []
            return found[c] if c < len(found) else sum(found)
        if c >= len(self.column_names):
            return self.totals[r] if self.totals is not None else None
        if self.percents is not None:
            return self.percents[r][c]
        return self.counts[r][c]

    def text(self, r: int, c: int) -> str:
        v = self.value(r, c)
        if v is None:
            return "–"
        if self.percents is not None and not self.is_total(r, c):
            return f"{v:.1f}%"
        return f"{v:,}".replace(",", "\u2009")

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Display) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if role == Display:
            return self.text(r, c)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self.is_total(r, c):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{self.names()[r]} · {self.headers()[c]}"
        return None

    def save_csv(self, target: str | Path) -> None:
        """The table as shown (counts, or percentages rounded to 0.1; the totals as counts), written atomically."""
        with output_file(target, "w") as out:
            writer = csv.writer(out)
            writer.writerow(csv_row([self.corner, *self.headers()]))
            for r, name in enumerate(self.names()):
                cells = []
                for c in range(self.columnCount()):
                    v = self.value(r, c)
                    cells.append("" if v is None else round(v, 1) if isinstance(v, float) else v)
                writer.writerow(csv_row([name, *cells]))


SPAN_HEADERS = ("Statement", "Date", "Issuer", "Label", "Text", "Annotator", "Note")


class SpansModel(QAbstractTableModel):
    """Retrieved spans (rows of ``retrieval.COLUMNS``)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[Any, ...]] = []
        self.names: dict[str, str] = {}

    def set_rows(self, rows: list[tuple[Any, ...]], names: dict[str, str]) -> None:
        self.beginResetModel()
        self.rows, self.names = rows, names
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _INDEX) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _INDEX) -> int:
        return 0 if parent.isValid() else len(SPAN_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Display) -> Any:
        if role == Display and orientation == Qt.Orientation.Horizontal and section < len(SPAN_HEADERS):
            return SPAN_HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Display) -> Any:
        if not index.isValid() or role not in (Display, Qt.ItemDataRole.ToolTipRole):
            return None
        _sid, _doc, title, date, issuer, _s, _e, label, text, annotator, note = self.rows[index.row()]
        value = (title, date, issuer, self.names.get(label, label), text, annotator, note)[index.column()]
        value = " ".join(str(value).split())  # one line per row: line breaks of the text shown as spaces
        return value if role == Display or len(value) < 80 else value[:500]

    def span_at(self, row: int) -> tuple[int, int]:
        """(span id, statement id) of a row."""
        return self.rows[row][0], self.rows[row][1]
