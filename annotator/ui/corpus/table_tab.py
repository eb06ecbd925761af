"""The Table tab of the corpus window: labels (or one label's spans by a grouping: a crosstab) × a grouping; spans
or statements; counts, row or column percentages; a bar chart of the same figures, its title naming what it counts
and what was left out. Enter (or a double click) on a cell lists its spans in the Spans tab. A mixin of
:class:`annotator.ui.corpus.window.CorpusWindow`, which provides ``jobs``, ``project``, ``names``, ``colours``,
``status_choice``, ``show_spans``, ``_status``, ``_export`` and ``_exports``."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QSplitter, QVBoxLayout, QWidget

from annotator.core.model import STATUS_NAMES
from annotator.store import corpus, retrieval
from annotator.store.counting import Counting
from annotator.ui.bars import PALETTE
from annotator.ui.corpus import plots
from annotator.ui.corpus.models import MatrixModel
from annotator.ui.corpus.widgets import make_table_view, save_widget_png

LABELS_ROWS = ""  # the Rows chooser's "Labels" entry
TABLE_TAB = 0  # its messages wait on the status line until it is shown

#: the table's columns are fitted to their contents up to this many; the chart shows at most this many groups
FIT_COLUMNS = 300
CHART_GROUPS = 60


class TableTab:
    jobs: Any
    project: Any
    names: dict[str, str]
    colours: dict[str, str]
    status_choice: Any
    show_spans: Any
    _status: Any
    _export: Any
    _exports: Any

    def _build_table(self) -> QWidget:
        self.table_result: corpus.LabelTable | None = None
        self.table_caption = ""  # Table as PNG says what the table counts above it (its corner cannot)
        self._seen_rows: dict[str, dict[Any, str]] = {}  # a crosstab's rows by grouping: their colours (_row_colours)
        page = QWidget()
        self.rows_by = QComboBox(objectName="table_rows")
        self.table_label = QComboBox(objectName="table_label")
        self.columns_by = QComboBox(objectName="table_columns")
        self.count_by = QComboBox(objectName="table_count")
        self.count_by.addItem("Spans", "spans")
        self.count_by.addItem("Statements with at least one", "statements")
        self.percent_by = QComboBox(objectName="table_percent")
        for text, data in (("Counts", None), ("Row percentages", "row"), ("Column percentages", "column")):
            self.percent_by.addItem(text, data)
        form = QFormLayout()
        form.addRow("&Rows:", self.rows_by)
        form.addRow("La&bel:", self.table_label)
        form.addRow("&Columns:", self.columns_by)
        form.addRow("Co&unt:", self.count_by)
        form.addRow("S&how:", self.percent_by)
        self.table_model = MatrixModel(self)
        self.table_view = make_table_view("corpus_table")
        self.table_view.setModel(self.table_model)
        self.table_view.activated.connect(self._table_cell_activated)
        self.table_chart = plots.TableChart()
        self.table_chart.setObjectName("corpus_table_chart")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table_view)
        split.addWidget(self.table_chart)
        split.setSizes([1000, 1000])  # half each: the table's labels and its Total row show without a scroll
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(split, 1)
        layout.addLayout(self._exports(
            ("table_csv", "Table as CS&V…", lambda: self._export(self.table_model.save_csv, "csv", "corpus-table")),
            ("table_png", "Table as &PNG…", lambda: self._export(
                lambda target: save_widget_png(self.table_view, target, self.table_caption), "png", "corpus-table")),
            ("chart_csv", "Chart as CSV…", lambda: self._export(self.table_chart.save_csv, "csv", "corpus-chart")),
            ("chart_png", "Chart as PN&G…", lambda: self._export(self.table_chart.save_png, "png", "corpus-chart")),
        ))
        for box in (self.rows_by, self.table_label, self.columns_by):
            box.currentIndexChanged.connect(self.refresh_table)
        for box in (self.count_by, self.percent_by):
            box.currentIndexChanged.connect(self._show_table)
        return page

    def refresh_table(self) -> None:
        rows_by, cols_by = self.rows_by.currentData(), self.columns_by.currentData()
        label = self.table_label.currentData()
        self.table_label.setEnabled(rows_by != LABELS_ROWS)
        if cols_by is None:
            return
        status = self.status_choice()
        if rows_by == LABELS_ROWS:
            self.jobs.start("table", self.project, lambda conn: corpus.label_table(conn, cols_by, status))
        elif label is not None:
            self.jobs.start("table", self.project,
                            lambda conn: corpus.crosstab(conn, rows_by, cols_by, label, status))
        self._status("Counting…", TABLE_TAB)

    def _show_table(self) -> None:
        t = self.table_result
        if t is None:
            return
        count = self.count_by.currentData()
        percent = self.percent_by.currentData()
        crosstab = t.rows_grouping is not None
        rows = [t.names[k] for k in t.labels]
        corner = (f"{self.names.get(t.label, t.label)} by {t.rows_grouping.title}" if t.rows_grouping is not None
                  else "Label")
        cells = t.cells(count)
        if percent:  # which figures are percentages, in the CSV too
            corner += f" ({percent} %)"
        self.table_model.set_matrix(corner, rows, t.group_names, cells,
                                    t.percent(count, percent) if percent else None, t.row_totals(count),
                                    t.column_totals(count))
        if len(t.groups) <= FIT_COLUMNS:  # fitting 100 000 statement columns would measure each one
            self.table_view.resizeColumnsToContents()
        values = t.percent(count, percent) if percent else cells
        colours = self._row_colours(t) if crosstab else [self.colours.get(k) for k in t.labels]
        shown = min(len(t.groups), CHART_GROUPS)
        values = [row[:shown] for row in values]
        what = "statements" if count == "statements" else "spans"
        more = f"; the first {shown:,} of {len(t.groups):,}" if shown < len(t.groups) else ""
        left_out = _left_out(t.counting)
        # a crosstab's chart names the label it counts, as the table's corner does: the Commitment and the Threat
        # charts of one grouping were told apart by their numbers only (trial 15, F3); and what was left out
        subject = (f"{self.names.get(t.label, t.label)} by {t.rows_grouping.title} × " if crosstab
                   and t.rows_grouping is not None else "")
        self.table_chart.show_data(t.group_names[:shown], list(zip(rows, values, strict=True)), colours,
                                   title=f"{subject}{t.grouping.title} ({what}{', %' if percent else ''}{more}"
                                         f"{left_out})")
        self.table_caption = f"{corner} × {t.grouping.title} ({what}{left_out})"
        counted = (f"{sum(t.row_totals(count)):,} spans in {t.total_statements:,} statement(s)" if count == "spans"
                   else f"{t.total_statements:,} statement(s), each counted once per label it has")
        self._status(f"{counted}; Enter on a cell lists its spans", TABLE_TAB)

    def _row_colours(self, t: corpus.LabelTable) -> list[str | None]:
        """A crosstab's rows (issuers, sites, …) each keep the colour they were first drawn in while this window is
        open, whatever the label counted or the statuses left out: by their place in the table, every issuer after
        one that left changed colour between two charts compared side by side (trial 15, F4). The palette's eight
        colours go to the first rows seen; a row first seen after them is drawn by its place, as before (hatched
        past the eighth place; before it, a colour may repeat)."""
        seen = self._seen_rows.setdefault(t.rows_grouping.by if t.rows_grouping is not None else "", {})
        for key in t.labels:
            if key not in seen and len(seen) < len(PALETTE):
                seen[key] = PALETTE[len(seen)]
        return [seen.get(key) for key in t.labels]

    def _table_cell_activated(self, index: QModelIndex) -> None:
        t = self.table_result
        if t is None or not index.isValid():
            return
        groups: list[tuple[str, Any]] = []
        if index.column() < len(t.groups):
            groups.append((t.grouping.by, t.groups[index.column()]))
        total = index.row() >= len(t.labels)  # the Total row: the column's spans of every row
        if t.rows_grouping is not None:
            if not total:
                groups.append((t.rows_grouping.by, t.labels[index.row()]))
            labels: tuple[str, ...] = (t.label,)
        else:
            labels = () if total else (t.labels[index.row()],)
        self.show_spans(retrieval.SpanQuery(labels=labels, groups=tuple(groups)))


def _left_out(counting: Counting | None) -> str:
    """"; 1 skipped left out": the statements a table did not count, for its chart's title and its PNG's caption."""
    out = counting.left_out if counting is not None else {}
    return "; " + ", ".join(f"{n:,} {STATUS_NAMES.get(s, s).lower()}" for s, n in out.items()) + " left out" if out \
        else ""
