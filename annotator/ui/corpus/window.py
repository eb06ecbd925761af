"""Corpus ▸ the corpus at a glance: one window with a tab per view (issue 12).

- **Table** (:mod:`.table_tab`): labels (or one label's spans by a grouping) × a grouping; spans or statements;
  counts, row or column percentages; a bar chart of the same figures. Enter (or a double click) on a cell lists its
  spans.
- **Co-occurrence**: labels × labels by overlap or same sentence; Enter on a cell lists the statements.
- **Timeline**: spans per label per year, quarter or month, as lines.
- **Codeline**: a strip per statement of where each label's spans fall, a page of statements at a time.
- **Spans** (:mod:`.spans_tab`): spans retrieved by label, annotator, text, note and a variable; Enter opens one
  in its statement.

Above the tabs, *Statements* chooses which statements every tab counts by status (all but the skipped ones unless
told; ``annotator report --status`` offers the same choices, :mod:`.statuses`).

Every figure is computed by ``annotator.store`` on a read-only connection in a thread (:mod:`.jobs`). Tables and
charts export as CSV and PNG through :mod:`annotator.ui.filedialogs`, written atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import AnnotatorError
from annotator.store import cooccurrence as co
from annotator.store import corpus
from annotator.ui import filedialogs
from annotator.ui.corpus import plots
from annotator.ui.corpus.codeline import CodelineChart
from annotator.ui.corpus.follow import Following
from annotator.ui.corpus.jobs import Jobs
from annotator.ui.corpus.models import MatrixModel
from annotator.ui.corpus.spans_tab import SpansTab
from annotator.ui.corpus.statuses import StatusChooser
from annotator.ui.corpus.table_tab import LABELS_ROWS, TableTab
from annotator.ui.corpus.widgets import make_table_view, save_widget_png
from annotator.ui.dialogs import error
from annotator.ui.text import plain

CO_TAB, CODELINE_TAB = 1, 3  # the tabs whose messages wait on the status line until they are shown


class CorpusWindow(TableTab, SpansTab, Following, StatusChooser, QDialog):
    TABS = ("table", "cooccurrence", "timeline", "codeline", "spans")

    def __init__(self, main: Any) -> None:
        super().__init__(main)
        self.main = main
        self.setObjectName("corpus_window")
        self.setWindowTitle("Corpus")
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.jobs = Jobs(self)
        self.jobs.done.connect(self._done)
        self.jobs.failed.connect(self._failed)
        self.names: dict[str, str] = {}
        self.colours: dict[str, str] = {}
        self.co_result: co.Cooccurrence | None = None
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_table(), "&Table")
        self.tabs.addTab(self._build_cooccurrence(), "Co-&occurrence")
        self.tabs.addTab(self._build_timeline(), "T&imeline")
        self.tabs.addTab(self._build_codeline(), "Code&line")
        self.tabs.addTab(self._build_spans(), "&Spans")
        self.status = plain(QLabel())
        self.status.setObjectName("corpus_status")
        self.status.setWordWrap(True)  # a long statement title wraps: on one line it widened the window off screen
        # each tab says its own things; the line shows the current tab's last one (a table counted in the background
        # must not overwrite where the codeline's cursor is), and what concerns every tab (saved, failed) at once
        self._said: dict[int, str] = {}
        self.codeline_chart.currentChanged.connect(lambda text: self._status(text, CODELINE_TAB))
        self.tabs.currentChanged.connect(lambda index: self.status.setText(self._said.get(index, "")))
        self._start_following()
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_statuses())
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        self.resize(1000, 720)

    # ------------------------------------------------------------------ building
    def _exports(self, *pairs: tuple[str, str, Any]) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        for name, text, slot in pairs:
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            row.addWidget(button)
        return row

    def _build_cooccurrence(self) -> QWidget:
        page = QWidget()
        self.co_mode = QComboBox(objectName="co_mode")
        self.co_mode.addItem("Spans that overlap", "overlap")
        self.co_mode.addItem("Spans that start in the same sentence", "sentence")
        self.co_mode.currentIndexChanged.connect(self.refresh_cooccurrence)
        form = QFormLayout()
        form.addRow("&Count:", self.co_mode)
        self.co_model = MatrixModel(self)
        self.co_view = make_table_view("co_table")
        self.co_view.setModel(self.co_model)
        self.co_view.activated.connect(self._co_cell_activated)
        self.co_docs_model = MatrixModel(self)
        self.co_docs = make_table_view("co_statements")
        self.co_docs.setModel(self.co_docs_model)
        self.co_docs.activated.connect(self._co_statement_activated)
        self._co_doc_ids: list[int] = []
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.co_view)
        split.addWidget(self.co_docs)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(split, 1)
        layout.addLayout(self._exports(
            ("co_csv", "Table as CSV…", lambda: self._export(self.co_model.save_csv, "csv", "co-occurrence")),
            ("co_png", "Table as PNG…", lambda: self._export(self._png(self.co_view), "png", "co-occurrence")),
        ))
        return page

    def _build_timeline(self) -> QWidget:
        page = QWidget()
        self.period = QComboBox(objectName="timeline_period")
        for p in ("quarter", "month", "year"):
            self.period.addItem(p.capitalize(), p)
        self.period.currentIndexChanged.connect(self.refresh_timeline)
        self.timeline_chart = plots.TimelineChart()
        self.timeline_chart.setObjectName("timeline_chart")
        self.timeline_note = plain(QLabel())
        form = QFormLayout()
        form.addRow("&Period:", self.period)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.timeline_chart, 1)
        layout.addWidget(self.timeline_note)
        layout.addLayout(self._exports(
            ("timeline_csv", "Chart as CSV…", lambda: self._export(self.timeline_chart.save_csv, "csv", "timeline")),
            ("timeline_png", "Chart as PNG…", lambda: self._export(self.timeline_chart.save_png, "png", "timeline")),
        ))
        return page

    def _build_codeline(self) -> QWidget:
        page = QWidget()
        self.code_from = QSpinBox(objectName="codeline_from")
        self.code_from.setRange(1, 1)
        self.code_from.setSingleStep(CodelineChart.PAGE)
        self.code_from.valueChanged.connect(self.refresh_codeline)
        self.codeline_chart = CodelineChart()
        self.codeline_chart.rowActivated.connect(lambda doc_id: self._open(doc_id, None))
        self.codeline_chart.spanActivated.connect(self._open)
        self.codeline_chart.pageRequested.connect(self._codeline_page)
        form = QFormLayout()
        form.addRow("&From statement:", self.code_from)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.codeline_chart, 1)
        layout.addLayout(self._exports(
            ("codeline_csv", "As CSV…", lambda: self._export(self.codeline_chart.save_csv, "csv", "codeline")),
            ("codeline_png", "As PNG…", lambda: self._export(self.codeline_chart.save_png, "png", "codeline")),
        ))
        return page

    # ------------------------------------------------------------------ filling
    @property
    def project(self) -> Any:
        return self.main.session.project

    def _read_choices(self) -> None:
        """The codebook's names and colours, and the groupings offered, keeping each chooser's choice."""
        conn = self.project.conn
        labels = self.project.labels()
        self.names = {lb.key: lb.name for lb in labels}
        self.colours = {lb.key: lb.color for lb in labels}
        choices = corpus.groupings(conn)
        keep = (self.rows_by.currentData(), self.table_label.currentData(), self.columns_by.currentData(),
                self.find_label.currentData(), self.find_variable.currentData())
        for box in (self.rows_by, self.table_label, self.columns_by, self.find_label, self.find_variable):
            box.blockSignals(True)
            box.clear()
        self.rows_by.addItem("Labels", LABELS_ROWS)
        self.find_label.addItem("Any label", None)
        self.find_variable.addItem("(any)", None)
        for by, title in choices:
            self.rows_by.addItem(title, by)
            self.columns_by.addItem(title, by)
            if ":" not in by and by != "document":
                self.find_variable.addItem(title, by)
        for lb in labels:
            self.table_label.addItem(lb.name, lb.key)
            self.find_label.addItem(lb.name, lb.key)
        self._choose(self.rows_by, keep[0], LABELS_ROWS)
        self._choose(self.table_label, keep[1], "commitment")
        self._choose(self.columns_by, keep[2], "issuer")
        self._choose(self.find_label, keep[3], None)
        self._choose(self.find_variable, keep[4], None)
        for box in (self.rows_by, self.table_label, self.columns_by, self.find_label, self.find_variable):
            box.blockSignals(False)
        self.refresh_counted()  # the codeline's range follows from its own count of the statements

    @staticmethod
    def _choose(box: QComboBox, value: Any, default: Any) -> None:
        at = box.findData(value)
        if at < 0:
            at = max(0, box.findData(default))
        box.setCurrentIndex(at)

    def _failed(self, kind: str, message: str) -> None:
        if kind == "export_spans":
            error(self, "Export the spans", message)
        self._status(message)

    def _status(self, text: str, tab: int | None = None) -> None:
        """Say ``text`` on the status line: at once when it concerns every tab (``tab`` None) or ``tab`` is shown;
        otherwise when ``tab`` is next shown."""
        if tab is not None:
            self._said[tab] = text
        if tab is None or tab == self.tabs.currentIndex():
            self.status.setText(text)

    def refresh_cooccurrence(self) -> None:
        mode, status = self.co_mode.currentData(), self.status_choice()
        self.jobs.start("cooccurrence", self.project, lambda conn: co.cooccurrence(conn, mode, status))

    def _codeline_page(self, step: int) -> None:
        """The page before (-1) or after (+1), from the codeline's keys; nothing at either end."""
        before = self.code_from.value()
        after = max(1, before + step * CodelineChart.PAGE)
        if after > self.code_from.maximum() or after == before:  # the last or first page already: stay
            self.codeline_chart.land_last = False
            return
        self.code_from.setValue(after)

    def refresh_timeline(self) -> None:
        period, status = self.period.currentData(), self.status_choice()
        self.jobs.start("timeline", self.project, lambda conn: corpus.timeline(conn, period, status=status))

    def refresh_codeline(self) -> None:
        offset, status = self.code_from.value() - 1, self.status_choice()
        self.jobs.start("codeline", self.project,
                        lambda conn: corpus.codeline(conn, offset, CodelineChart.PAGE, status=status))

    def _done(self, kind: str, result: Any) -> None:
        if kind == "table":
            self.table_result = result
            self._show_table()
        elif kind == "cooccurrence":
            self._show_cooccurrence(result)
        elif kind == "timeline":
            self._show_timeline(result)
        elif kind == "codeline":
            total, rows = result
            asked = self.code_from.value()
            self.code_from.blockSignals(True)
            self.code_from.setRange(1, max(1, total))
            self.code_from.blockSignals(False)
            if self.code_from.value() != asked:  # past the last statement counted now: its last page
                self.refresh_codeline()
                return
            self.codeline_chart.show_rows(rows, self.names, self.colours, self.code_from.value(), total)
        elif kind == "counted":
            self._show_counted(result)
        elif kind == "spans":
            rows, n = result
            self.spans_model.set_rows(rows, self.names)
            self.fit_span_columns()
            shown = f" (the first {len(rows):,} shown)" if n > len(rows) else ""
            scope = f" in {self._scope}" if self._scope else ""
            self.spans_note.setText(f"{n:,} span(s){scope}{shown}")
        elif kind == "co_statements":
            self._show_co_statements(result)
        elif kind == "export_spans":
            n, path = result
            self._status(f"Saved {n:,} span(s) to {path}")

    def _show_cooccurrence(self, c: co.Cooccurrence) -> None:
        self.co_result = c
        names = [c.names[k] for k in c.labels]
        self.co_model.set_matrix("Label", names, names, c.cells)
        self.co_view.resizeColumnsToContents()
        # what the table holds and what a cell gives: below it, an empty list said nothing (a newcomer's finding)
        together = "overlap" if c.mode == "overlap" else "start in the same sentence"
        self._status(f"{c.total():,} pair(s) of spans that {together}; Enter on a count lists the statements"
                     if c.total() else f"No two spans {together}", CO_TAB)

    def _show_timeline(self, tl: corpus.Timeline) -> None:
        series = [(tl.names[k], row) for k, row in zip(tl.labels, tl.counts, strict=True)]
        self.timeline_chart.show_data(tl.periods, series, [self.colours.get(k) for k in tl.labels],
                                      title=f"Spans per {tl.period}")
        self.timeline_note.setText(f"{tl.undated:,} span(s) in statements without a date are not shown"
                                   if tl.undated else "")

    # ------------------------------------------------------------------ drilling down
    def _open(self, doc_id: int, span_id: int | None) -> None:
        """Open the statement in the main window, the span selected, and bring the window forward."""
        self.main.open_document(doc_id)
        if span_id is not None:
            self.main.view.set_selected_span(span_id)
        self.main.activateWindow()
        self.main.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _co_cell_activated(self, index: QModelIndex) -> None:
        c = self.co_result
        if c is None or not index.isValid():
            return
        x, y, mode, status = c.labels[index.row()], c.labels[index.column()], c.mode, self.status_choice()
        self.jobs.start("co_statements", self.project, lambda conn: co.statements(conn, x, y, mode, status))

    def _show_co_statements(self, rows: list[dict[str, Any]]) -> None:
        self._co_doc_ids = [r["doc_id"] for r in rows]
        self.co_docs_model.set_matrix("Statement", [r["title"] for r in rows], ["Pairs"],
                                      [[r["pairs"]] for r in rows])
        self.co_docs.resizeColumnsToContents()
        if rows:
            self.co_docs.setCurrentIndex(self.co_docs_model.index(0, 0))
            self.co_docs.setFocus()

    def _co_statement_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self._open(self._co_doc_ids[index.row()], None)

    # ------------------------------------------------------------------ exporting
    @staticmethod
    def _png(widget: QWidget) -> Any:
        return lambda target: save_widget_png(widget, target)

    def _ask(self, kind: str, name: str) -> str:
        """Where to write (our own file dialog, never the native one); "" when cancelled."""
        name_filter = "CSV (*.csv)" if kind == "csv" else "PNG image (*.png)"
        return filedialogs.save_file(self, f"Export as {kind.upper()}", f"{name}.{kind}",
                                     f"{name_filter};;All files (*)")

    def _export(self, write: Any, kind: str, name: str) -> Path | None:
        """Ask where, then write (what is shown: at most a page of figures); the path written, or None."""
        chosen = self._ask(kind, name)
        if not chosen:
            return None
        try:
            write(chosen)
        except AnnotatorError as exc:
            error(self, "Export", str(exc))
            return None
        self._status(f"Saved {chosen}")
        return Path(chosen)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.follow.stop()
        self.jobs.stop()
        super().closeEvent(event)

