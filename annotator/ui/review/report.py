"""Review ▸ Agreement Report (per-label and per-document tables, a bar chart, CSV and JSON export) and
Review ▸ Export Gold JSONL.

The figures are :func:`annotator.store.review.review_report` (my project against one colleague); the chart
(``annotator/ui/bars.py``, drawn with QPainter) has per label a bar for the overlap F1 and one for Cohen's κ, each
with its value written beside it ("n/a" where the figure is undefined).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core import review as core
from annotator.core.neutral import terminal_safe
from annotator.errors import AnnotatorError, Cancelled
from annotator.formats.common import output_file
from annotator.store import Project, gold
from annotator.store import review as store
from annotator.ui import bars, filedialogs
from annotator.ui.dialogs import error
from annotator.ui.files import job
from annotator.ui.panels import hold_paint_in_turns
from annotator.ui.reading import columns
from annotator.ui.review import status
from annotator.ui.sizing import within_screen
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


class BarChart(bars.HorizontalBars):
    """Horizontal bars per label: overlap F1 and κ on one scale from min(0, lowest κ) to 1."""

    def __init__(self, rows: list[dict], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = rows
        self.setObjectName("report_chart")
        self.setAccessibleName("Agreement per label: overlap F1 and Cohen's κ")
        self.show_data([terminal_safe(row["title"] or row["key"]) for row in rows],
                       [(name, [row[key] for row in rows]) for key, name, _ in SERIES],
                       [c for _, _, c in SERIES], fmt=figure)


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
            return to_qt(terminal_safe(str(row["title"] or row["key"])))
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


class _Table(QTableView):
    """A table that knows whether it has been painted on screen (the report is ready once its first table is)."""

    painted = False

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        self.painted = True


#: the widest the first column of a report's table starts, px (a statement's title elides in the middle)
FIRST_COLUMN_MAX = 220


def _table(rows: list[dict], first: str, settings: QSettings | None = None,
           spec: tuple[tuple[str, str, bool], ...] = TABLE, key: str = "") -> _Table:
    table = _Table()
    table.setModel(_RowsModel(rows, first, table, spec))
    table.verticalHeader().hide()
    table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    metrics = QFontMetrics(table.font())
    # the first column as wide as its widest name among the first rows, up to FIRST_COLUMN_MAX (a label's name
    # is short: at a fixed 260 px it pushed κ and α_u off the right edge of the dialog)
    model = table.model()
    names = [model.text(i, 0) for i in range(min(200, model.rowCount()))] + [first]
    columns.resizable(header, {0: min(FIRST_COLUMN_MAX, max(map(metrics.horizontalAdvance, names)) + 24)})
    columns.elide_middle(table)
    # widths from the header and the widest figure ("0.000", a count of the overall row), never every row
    widest = max([len(str(r.get(k, ""))) for r in rows[:200] for _, k, f in spec if not f] + [5])
    for c in range(1, len(spec) + 1):
        header.resizeSection(c, columns.fits(header, c, "8" * widest))
    if settings is not None:
        columns.remember(header, settings, "report_" + (key or first.lower()))
    return table


def _page(tabs: QTabWidget, title: str) -> QWidget:
    """An empty tab for a table made later."""
    page = QWidget()
    QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
    tabs.addTab(page, title)
    return page


def _figures_line(row: dict) -> str:
    return (f"exact F1 {figure(row['exact_f1'])} · overlap F1 {figure(row['overlap_f1'])} · "
            f"κ {figure(row['kappa'])} · α_u {figure(row.get('alpha_u'))}")


#: the tables are shown this long after the dialog's first paint: a timer's turn comes after the events already
#: posted, among them the main window's repaint as it loses the activation (10-15 ms at 100 000 statements); shown
#: at once (a zero timer), the tables were painted in the same turn as that repaint, 30 ms (issue #14)
TABLES_AFTER_MS = 20

#: the most height the chart takes from the tables, px: beyond it (five labels or more, in a cramped dialog) the
#: chart scrolls
CHART_ROOM = 200
#: the least height of the tables' tabs, px (the tab bar, a header and three rows)
TABLES_ROOM = 140
#: the most height the warnings take, in lines of text: more scroll
WARNING_LINES = 6

#: what the dialog's export buttons write: (what, suggested file name, file dialog filter) by format
EXPORTS = {
    "csv": ("the report", "agreement-report.csv", "CSV (*.csv)"),
    "json": ("the report", "agreement-report.json", "JSON (*.json)"),
    "png": ("the chart", "agreement-chart.png", "PNG image (*.png)"),
}


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
        self.counts_note.setObjectName("report_counts_note")
        self.counts_note.setWordWrap(True)
        # in the palette's text colour: the disabled one it had (to read as secondary) was #bebebe on #efefef, a
        # contrast of 1.6:1, where 4.5:1 is the least for text
        self.counts_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        names = {row["key"]: row["title"] or row["key"] for row in report.labels}
        warnings = [f"\u26a0 {terminal_safe(names.get(d['label'], d['label']))}: {d['finding']}. {d['advice']}"
                    for d in report.diagnostics]
        self.diagnostics = plain(QLabel("\n".join(warnings)))
        self.diagnostics.setObjectName("report_diagnostics")
        self.diagnostics.setWordWrap(True)
        self.diagnostics.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # at most WARNING_LINES lines tall, the rest scrolled: a codebook's warnings (two per label) wrapped over
        # more lines than the dialog had, and the tables then covered the chart's last rows
        self._warnings = QScrollArea()
        self._warnings.setWidget(self.diagnostics)
        self._warnings.setWidgetResizable(True)
        self._warnings.setFrameShape(QScrollArea.Shape.NoFrame)
        self._warnings.setMaximumHeight(self.fontMetrics().lineSpacing() * WARNING_LINES + 4)
        if not warnings:  # hidden, never shown: shown before it has a parent, it opened as a window of its own
            self._warnings.hide()  # for a moment (12 ms, the dialog's making held the window, issue #14)
        # drawn with QPainter (bars.HorizontalBars), made at once: a pyqtgraph plot took 12-25 ms to make in one
        # step, held the window over a frame even made after the dialog was shown (issue #14). Shown whole up to
        # CHART_ROOM (four labels), a longer codebook's chart scrolls in its place rather than stretching the dialog
        self._chart = BarChart(report.labels)
        self._chart_page = QScrollArea()
        self._chart_page.setWidget(self._chart)
        self._chart_page.setWidgetResizable(True)
        self._chart_page.setFrameShape(QScrollArea.Shape.NoFrame)
        self._chart_page.setMinimumHeight(min(self._chart.minimumHeight(), CHART_ROOM))
        settings = getattr(parent, "settings", None)
        self._settings = settings if isinstance(settings, QSettings) else None
        # each table is made into its tab's page when it is first shown: the per-label ones a moment after the
        # dialog's first paint (show_tables), the per-statement one (100 000 rows) when its tab is first opened, so
        # showing the report never sizes a 100 000-row view on the GUI thread (issue 14: a 45 ms stall)
        self._tables: dict[str, _Table] = {}
        tabs = QTabWidget()
        self._pages = {"labels": _page(tabs, "Per label (adjudicated)")}
        if report.before is not None:
            self._pages["before"] = _page(tabs, "Per label (before adjudication)")
        self._pages["documents"] = _page(tabs, "Per statement (adjudicated)")
        tabs.currentChanged.connect(lambda i: self.documents_table if tabs.widget(i) is self._pages["documents"]
                                    else None)
        self.tabs = tabs
        # the tabs are shown after the dialog's first paint, in room kept for them (its height set by the stretch
        # alone, whatever the tables' sizes): painted with it, the tab bar and the per-label table took half that
        # paint, which then held the window a frame (14-20 ms with the chart), and making the tables with the
        # dialog held it 3-4 ms more (issue #14)
        self._lower = QStackedWidget()
        self._lower.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self._lower.setMinimumHeight(TABLES_ROOM)
        self._tables_due = False
        self._lower.addWidget(QWidget())
        self._lower.addWidget(tabs)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.csv_button = QPushButton("Export CSV…")
        self.json_button = QPushButton("Export JSON…")
        self.png_button = QPushButton("Chart as PNG…")
        buttons.addButton(self.csv_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.json_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.png_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.json_button.clicked.connect(lambda: self.export("json"))
        self.png_button.clicked.connect(lambda: self.export("png"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.counts_note)
        layout.addWidget(self._warnings)
        layout.addWidget(plain(QLabel("Agreement per label")))
        layout.addWidget(self._chart_page, 2)  # the chart's room shared with the tables: taking all it could,
        layout.addWidget(self._lower, 3)  # it left the per-label table one row
        layout.addWidget(buttons)
        # wide enough for every figure column of the per-label table (twelve beside the label), within the screen
        self.resize(within_screen(self, QSize(960, 640)))

    @property
    def ready(self) -> bool:
        """Whether the chart and the per-label table have been painted on screen (the chart is with the dialog's
        first paint, the tables a turn or two later)."""
        return self._chart.painted and "labels" in self._tables and self._tables["labels"].painted

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if not self._tables_due and self._lower.currentWidget() is not self.tabs:  # the first paint
            self._tables_due = True
            QTimer.singleShot(TABLES_AFTER_MS, self, self._tables_in_turns)

    def _tables_in_turns(self) -> None:
        """The tables made in this turn, the tabs painted in the next and the tables' rows in the one after: made and
        painted in one turn, 17-20 ms; the tabs with the rows, 12-14 ms (issue #14)."""
        self._make_tables()
        hold_paint_in_turns([self._lower], [table.viewport() for table in self._tables.values()])
        self.show_tables()

    def _make_tables(self) -> None:
        if "labels" not in self._tables:
            self._table_in("labels", self.report.labels, "Label")
            if self.report.before is not None:
                self._table_in("before", self.report.before["labels"], "Label", key="label_before")

    def show_tables(self) -> None:
        """The tabs of tables in their place (the dialog's first paint leaves it empty); at once when asked."""
        self._make_tables()
        self._lower.setCurrentWidget(self.tabs)

    def _table_in(self, page: str, rows: list[dict], first: str, spec: tuple[tuple[str, str, bool], ...] = TABLE,
                  key: str = "") -> _Table:
        table = self._tables[page] = _table(rows, first, self._settings, spec, key)
        layout = self._pages[page].layout()
        assert layout is not None
        layout.addWidget(table)
        return table

    @property
    def labels_table(self) -> QTableView:
        """The per-label table (adjudicated), made and shown now if the dialog has not yet done it."""
        self.show_tables()
        return self._tables["labels"]

    @property
    def before_table(self) -> QTableView | None:
        """The per-label table before adjudication; None when no accept changed my annotations."""
        self.show_tables()
        return self._tables.get("before")

    @property
    def chart(self) -> BarChart:
        """The per-label chart."""
        return self._chart

    @property
    def documents_table(self) -> QTableView:
        """The per-statement table, made on first use (its tab opened, or asked for)."""
        self.show_tables()
        if "documents" not in self._tables:
            return self._table_in("documents", self.report.documents, "Statement", DOCUMENT_TABLE)
        return self._tables["documents"]

    def export(self, fmt: str) -> Path | None:
        """Ask where, then write the report (``csv``, ``json``) or its chart (``png``, the whole chart as drawn, its
        scrolled-off rows too) atomically; the path written, or None (cancelled or failed)."""
        what, name, kind = EXPORTS[fmt]
        chosen = filedialogs.save_file(self, f"Export {what} as {fmt.upper()}", name, f"{kind};;All files (*)")
        if not chosen:
            return None
        try:
            if fmt == "png":
                self._chart.save_png(chosen)
            else:
                data = core.report_to_csv(self.report) if fmt == "csv" else core.report_to_json(self.report)
                with output_file(chosen) as out:
                    out.write(data)
        except AnnotatorError as exc:
            error(self, "Export the report", str(exc))
            return None
        parent = self.parentWidget()
        if parent is not None and hasattr(parent, "statusBar"):
            status.say(parent, f"Report saved to {chosen}", 6000)
        return Path(chosen)


def export_gold(parent: Any, project: Project, files: list[store.ColleagueFile]) -> Path | None:
    """Ask where, then write the adjudicated project as gold JSONL (atomically); the path, or None."""
    chosen = filedialogs.save_file(parent, "Export the adjudicated result as gold JSONL",
                                   project.path.stem + ".gold.jsonl", "JSONL (*.jsonl);;All files (*)")
    if not chosen:
        return None
    try:  # in a thread: each statement compared with every colleague again (minutes at 100 000 statements)
        n = job.run_read(parent, project, "Export gold JSONL", f"Writing {Path(chosen).name}…",
                         lambda reader, step: gold.write_gold(reader, chosen, files, step))
    except Cancelled:
        status.say(parent, "Export gold JSONL: cancelled, nothing was written", 8000)
        return None
    except AnnotatorError as exc:
        error(parent, "Export gold JSONL", str(exc))
        return None
    status.say(parent, f"Wrote {n} statement(s) to {chosen}", 8000)
    return Path(chosen)
