"""Review ▸ Agreement Report (per-label and per-document tables, a bar chart, CSV and JSON export) and
Review ▸ Export Gold JSONL.

The figures are :func:`annotator.store.review.review_report` (my project against one colleague); the chart is
drawn with pyqtgraph (``annotator/ui/charts.py``): per label, a bar for the overlap F1 and one for Cohen's κ, each
with its value written beside it ("n/a" where the figure is undefined).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSettings, Qt, QTimer
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
    ("α_u", "alpha_u", True),
)
#: the per-statement table leaves α_u out: it is a figure of the whole continuum (core/agreement/unitizing.py)
DOCUMENT_TABLE = TABLE[:-1]
#: what each figure counts, shown under the summary (core/agreement/render.py says the same for the CLI)
COUNTS_NOTE = (
    "Exact: same start, end and label. Overlap: same label, sharing a character, paired one to one. "
    "κ: per label over the non-whitespace characters (whitespace not counted; text neither of you labelled "
    "counts as agreeing on \u201cnot this label\u201d). α_u: Krippendorff\u2019s unitizing alpha over every "
    "character, whitespace included; span boundaries and lengths count, uncoded text enters as the gaps."
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

    def __init__(self, rows: list[dict], parent: QWidget | None = None, drawn: bool = True,
                 plot_item: pg.PlotItem | None = None) -> None:
        super().__init__(parent, plot_item)
        self.rows = rows
        self.drawn = False
        self.painted = False
        self.setObjectName("report_chart")
        if drawn:
            self.draw()

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        self.painted = True

    def draw(self) -> None:
        """Its bars and legend, at once (:meth:`draw_steps` a step at a time)."""
        for _ in self.draw_steps():
            pass

    def draw_steps(self) -> Iterator[None]:
        """Its bars and legend a series at a time, then its axes (made and drawn at once, a chart held the window
        36 ms)."""
        yield from self.show_data_steps([row["title"] or row["key"] for row in self.rows],
                                        [(name, [row[key] for row in self.rows]) for key, name, _ in SERIES],
                                        [c for _, _, c in SERIES], fmt=figure)
        self.drawn = True


class _RowsModel(QAbstractTableModel):
    """The report's rows as a table, each cell formatted when shown: a 100 000-statement report opens at once
    (a QTableWidget made an item per cell, a million of them, on the GUI thread)."""

    def __init__(self, rows: list[dict], first: str, parent: QWidget | None = None,
                 table: tuple[tuple[str, str, bool], ...] = TABLE) -> None:
        super().__init__(parent)
        self.rows = rows
        self.table = table
        self.headers = [first, *(title for title, _, _ in table)]

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
        _, key, is_figure = self.table[c - 1]
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


def _table(rows: list[dict], first: str, settings: QSettings | None = None,
           spec: tuple[tuple[str, str, bool], ...] = TABLE, key: str = "") -> QTableView:
    table = QTableView()
    table.setModel(_RowsModel(rows, first, table, spec))
    table.verticalHeader().hide()
    table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    columns.resizable(header, {0: 260})
    columns.elide_middle(table)
    # widths from the header and the widest figure ("0.000", a count of the overall row), never every row
    metrics = QFontMetrics(table.font())
    widest = max([len(str(r.get(k, ""))) for r in rows[:200] for _, k, f in spec if not f] + [5])
    for c, (title, _, _) in enumerate(spec, start=1):
        header.resizeSection(c, max(metrics.horizontalAdvance(title), metrics.horizontalAdvance("8" * widest)) + 16)
    if settings is not None:
        columns.remember(header, settings, "report_" + (key or first.lower()))
    return table


def _figures_line(row: dict) -> str:
    return (f"exact F1 {figure(row['exact_f1'])} · overlap F1 {figure(row['overlap_f1'])} · "
            f"κ {figure(row['kappa'])} · α_u {figure(row.get('alpha_u'))}")


#: the chart's first step waits this long after the dialog is shown, so the dialog's first paint and the main
#: window's repaint as it loses the activation have each had their turn of the event loop first
CHART_AFTER_MS = 20


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
            "Adjudicated (my project now, accepted spans counted as mine): " + _figures_line(o),
        ]
        if report.before is not None:
            lines.append(f"Before adjudication (my original annotations; {report.before['changed']} statement(s) "
                         "changed by accepts): " + _figures_line(report.before["overall"]))
        else:
            lines.append("Before adjudication: the same figures (no accepted span has changed my annotations)")
        if report.only_mine or report.only_theirs:
            lines.append(f"Not compared: {len(report.only_mine)} statement(s) only in mine, "
                         f"{len(report.only_theirs)} only in theirs (their text differs or is missing)")
        self.summary = plain(QLabel("\n".join(lines)))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counts_note = plain(QLabel(COUNTS_NOTE))
        self.counts_note.setWordWrap(True)
        self.counts_note.setEnabled(False)  # secondary text, in the palette's disabled colour
        names = {row["key"]: row["title"] or row["key"] for row in report.labels}
        warnings = [f"\u26a0 {names.get(d['label'], d['label'])}: {d['finding']}. {d['advice']}"
                    for d in report.diagnostics]
        self.diagnostics = plain(QLabel("\n".join(warnings)))
        self.diagnostics.setObjectName("report_diagnostics")
        self.diagnostics.setWordWrap(True)
        self.diagnostics.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.diagnostics.setVisible(bool(warnings))
        # the chart (a pyqtgraph plot: 20-40 ms to make, as long again to draw) is made and drawn in small steps
        # after the dialog is shown, each its own turn of the event loop, so none holds the window a frame (#14)
        self._chart: BarChart | None = None
        self._chart_making = self._chart_steps_made()
        self._chart_page = QWidget()
        self._chart_page.setMinimumHeight(BarChart.MINIMUM_HEIGHT)
        QVBoxLayout(self._chart_page).setContentsMargins(0, 0, 0, 0)
        settings = getattr(parent, "settings", None)
        settings = settings if isinstance(settings, QSettings) else None
        self.labels_table = _table(report.labels, "Label", settings)
        self.before_table: QTableView | None = None
        self._settings = settings
        self._documents_table: QTableView | None = None
        tabs = QTabWidget()
        tabs.addTab(self.labels_table, "Per label (adjudicated)")
        if report.before is not None:
            self.before_table = _table(report.before["labels"], "Label", settings, key="label_before")
            tabs.addTab(self.before_table, "Per label (before adjudication)")
        # one row per statement (100 000 of them) is made into a table when its tab is first opened, so showing
        # the report never sizes a 100 000-row view on the GUI thread (issue 14: a 45 ms stall)
        self._documents_page = QWidget()
        QVBoxLayout(self._documents_page).setContentsMargins(0, 0, 0, 0)
        tabs.addTab(self._documents_page, "Per statement (adjudicated)")
        tabs.currentChanged.connect(lambda i: self.documents_table if tabs.widget(i) is self._documents_page else None)
        self.tabs = tabs
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
        layout.addWidget(self.counts_note)
        layout.addWidget(self.diagnostics)
        layout.addWidget(plain(QLabel("Agreement per label")))
        layout.addWidget(self._chart_page, 2)  # the chart's room shared with the tables: taking all it could,
        layout.addWidget(tabs, 3)  # it left the per-label table one row
        layout.addWidget(buttons)
        self.resize(860, 640)

    @property
    def ready(self) -> bool:
        """Whether the chart is made, drawn and painted on screen (it is soon after the dialog is shown)."""
        return self._chart is not None and self._chart.painted

    @property
    def chart(self) -> BarChart:
        """The per-label chart, made and drawn now if the steps after showing have not yet done it."""
        for _ in self._chart_making:
            pass
        assert self._chart is not None
        return self._chart

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self.ready:  # after the dialog's first paint and its taking the activation (CHART_AFTER_MS)
            QTimer.singleShot(CHART_AFTER_MS, self, self._chart_step)

    def _chart_step(self) -> None:
        if next(self._chart_making, True) is None:
            QTimer.singleShot(0, self, self._chart_step)

    def _chart_steps_made(self) -> Iterator[None]:
        """The chart made, drawn, then put in the dialog, ``None`` yielded after each step. Put in first, it was
        painted again after each step of its drawing, 5-10 ms each."""
        steps = charts.plot_item_steps()
        plot_item = next(steps)
        while plot_item is None:
            yield None
            plot_item = next(steps)
        chart = BarChart(self.report.labels, drawn=False, plot_item=plot_item)
        yield None
        for _ in chart.draw_steps():
            yield None
        layout = self._chart_page.layout()
        assert layout is not None
        layout.addWidget(chart)
        self._chart = chart

    @property
    def documents_table(self) -> QTableView:
        """The per-statement table, made on first use (its tab opened, or asked for)."""
        if self._documents_table is None:
            self._documents_table = _table(self.report.documents, "Statement", self._settings, DOCUMENT_TABLE)
            layout = self._documents_page.layout()
            assert layout is not None
            layout.addWidget(self._documents_table)
        return self._documents_table

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
