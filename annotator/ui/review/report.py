"""Review ▸ Agreement Report (per-label and per-document tables, a bar chart, CSV and JSON export) and
Review ▸ Export Gold JSONL.

The figures are :func:`annotator.store.review.review_report` (my project against one colleague); the chart is
drawn with pyqtgraph (``annotator/ui/charts.py``): per label, a bar for the overlap F1 and one for Cohen's κ, each
with its value written beside it ("n/a" where the figure is undefined).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSettings, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core import review as core
from annotator.errors import AnnotatorError
from annotator.formats.common import output_file
from annotator.store import Project
from annotator.store import review as store
from annotator.ui import charts, filedialogs
from annotator.ui.dialogs import error
from annotator.ui.reading import columns
from annotator.ui.text import plain, plain_tooltip, to_qt

#: (column title, row key, is a figure) of both tables
TABLE = (
    ("Mine", "mine", False),
    ("Theirs", "theirs", False),
    ("Agreed", "agreed", False),
    ("Conflicts", "conflict", False),
    ("Mine only", "mine_only", False),
    ("Theirs only", "theirs_only", False),
    ("Exact F1", "exact_f1", True),
    ("Overlap F1", "overlap_f1", True),
    ("Overlap P", "overlap_precision", True),
    ("Overlap R", "overlap_recall", True),
    ("κ", "kappa", True),
)
#: the chart's series: (row key, legend text, colour-blind-safe colour)
SERIES = (("overlap_f1", "Overlap F1", "#0072b2"), ("kappa", "Cohen's κ", "#e69f00"))


def figure(value: float | None) -> str:
    """Two decimals; a value that rounds to zero reads 0.00, never -0.00."""
    if value is None:
        return "n/a"
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


class BarChart(charts.HorizontalBars):
    """Horizontal bars per label: overlap F1 and κ on one scale from min(0, lowest κ) to 1 (pyqtgraph)."""

    def __init__(self, rows: list[dict], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = rows
        self.setObjectName("report_chart")
        self.show_data([row["title"] or row["key"] for row in rows],
                       [(name, [row[key] for row in rows]) for key, name, _ in SERIES],
                       [c for _, _, c in SERIES], fmt=figure)


class _RowsModel(QAbstractTableModel):
    """The report's rows as a table, each cell formatted when shown: a 100 000-statement report opens at once
    (a QTableWidget made an item per cell, a million of them, on the GUI thread)."""

    def __init__(self, rows: list[dict], first: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = rows
        self.headers = [first, *(title for title, _, _ in TABLE)]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def text(self, r: int, c: int) -> str:
        row = self.rows[r]
        if c == 0:
            return to_qt(str(row["title"] or row["key"]))
        _, key, is_figure = TABLE[c - 1]
        return figure(row[key]) if is_figure else str(row[key])

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:  # whole; the cell elides it in the middle
            return plain_tooltip(self.text(index.row(), 0))
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _table(rows: list[dict], first: str, settings: QSettings | None = None) -> QTableView:
    table = QTableView()
    table.setModel(_RowsModel(rows, first, table))
    table.verticalHeader().hide()
    table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    columns.resizable(header, {0: 260})
    columns.elide_middle(table)
    # widths from the header and the widest figure ("0.000", a count of the overall row), never every row
    metrics = QFontMetrics(table.font())
    widest = max([len(str(r.get(k, ""))) for r in rows[:200] for _, k, f in TABLE if not f] + [5])
    for c, (title, _, _) in enumerate(TABLE, start=1):
        header.resizeSection(c, max(metrics.horizontalAdvance(title), metrics.horizontalAdvance("8" * widest)) + 16)
    if settings is not None:
        columns.remember(header, settings, "report_" + first.lower())
    return table


class ReportDialog(QDialog):
    """The report of one colleague against my project, with its export buttons."""

    def __init__(self, parent: QWidget, report: core.Report) -> None:
        super().__init__(parent)
        self.report = report
        self.setObjectName("review_report")
        self.setWindowTitle("Agreement report")
        o = report.overall
        lines = [
            f"Mine: {report.mine}    Theirs: {report.theirs}",
            f"{o['title']} compared · {o['mine']} of my spans, {o['theirs']} of theirs · agreed {o['agreed']}, "
            f"conflicts {o['conflict']}, mine only {o['mine_only']}, theirs only {o['theirs_only']}",
            f"Overall: exact F1 {figure(o['exact_f1'])} · overlap F1 {figure(o['overlap_f1'])} · "
            f"κ {figure(o['kappa'])}",
        ]
        if report.only_mine or report.only_theirs:
            lines.append(f"Not compared: {len(report.only_mine)} statement(s) only in mine, "
                         f"{len(report.only_theirs)} only in theirs (their text differs or is missing)")
        self.summary = plain(QLabel("\n".join(lines)))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chart = BarChart(report.labels)
        settings = getattr(parent, "settings", None)
        settings = settings if isinstance(settings, QSettings) else None
        self.labels_table = _table(report.labels, "Label", settings)
        self.documents_table = _table(report.documents, "Statement", settings)
        tabs = QTabWidget()
        tabs.addTab(self.labels_table, "Per label")
        tabs.addTab(self.documents_table, "Per statement")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.csv_button = QPushButton("Export CSV…")
        self.json_button = QPushButton("Export JSON…")
        buttons.addButton(self.csv_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.json_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.json_button.clicked.connect(lambda: self.export("json"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(plain(QLabel("Agreement per label")))
        layout.addWidget(self.chart)
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)
        self.resize(860, 640)

    def export(self, fmt: str) -> Path | None:
        """Ask where, then write the report atomically; the path written, or None (cancelled or failed)."""
        name = "agreement-report." + fmt
        kind = "CSV (*.csv)" if fmt == "csv" else "JSON (*.json)"
        chosen = filedialogs.save_file(self, f"Export the report as {fmt.upper()}", name, f"{kind};;All files (*)")
        if not chosen:
            return None
        data = core.report_to_csv(self.report) if fmt == "csv" else core.report_to_json(self.report)
        try:
            with output_file(chosen) as out:
                out.write(data)
        except AnnotatorError as exc:
            error(self, "Export the report", str(exc))
            return None
        parent = self.parentWidget()
        if parent is not None and hasattr(parent, "statusBar"):
            parent.statusBar().showMessage(f"Report saved to {chosen}", 6000)
        return Path(chosen)


def export_gold(parent: Any, project: Project, files: list[store.ColleagueFile]) -> Path | None:
    """Ask where, then write the adjudicated project as gold JSONL (atomically); the path, or None."""
    chosen = filedialogs.save_file(parent, "Export the adjudicated result as gold JSONL",
                                   project.path.stem + ".gold.jsonl", "JSONL (*.jsonl);;All files (*)")
    if not chosen:
        return None
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        n = store.write_gold(project, chosen, files)
    except AnnotatorError as exc:
        QApplication.restoreOverrideCursor()
        error(parent, "Export gold JSONL", str(exc))
        return None
    QApplication.restoreOverrideCursor()
    parent.statusBar().showMessage(f"Wrote {n} statement(s) to {chosen}", 8000)
    return Path(chosen)
