"""The Spans tab of the corpus window: spans retrieved by label, annotator, text, note and a variable, or those of
one table cell; Enter opens one in its statement, selected; every matching span exports as CSV (written off the GUI
thread). A mixin of :class:`annotator.ui.corpus.window.CorpusWindow`, which provides ``jobs``, ``project``,
``_open``, ``_ask``, ``_status``, ``_choose`` and ``_exports``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.store import retrieval
from annotator.ui.corpus.models import SPAN_HEADERS, SpansModel
from annotator.ui.corpus.widgets import make_table_view
from annotator.ui.reading import columns
from annotator.ui.text import plain

#: the spans list shows this many rows; the CSV export writes them all
SHOWN_SPANS = 10_000
#: the most of the spans list's width a column may take (its whole text is in its tooltip): a statement's title as
#: wide as its text pushed the span's own text off the right edge
COLUMN_SHARES = {"Statement": 0.25, "Issuer": 0.15, "Note": 0.2}
TEXT_COLUMN = SPAN_HEADERS.index("Text")


class SpansTab:
    jobs: Any
    project: Any
    table_result: Any
    columns_by: QComboBox
    tabs: Any
    TABS: tuple[str, ...]
    status_choice: Any

    def _build_spans(self) -> QWidget:
        page = QWidget()
        self.find_label = QComboBox(objectName="spans_label")
        self.find_annotator = QLineEdit(objectName="spans_annotator")
        self.find_text = QLineEdit(objectName="spans_text")
        self.find_note = QLineEdit(objectName="spans_note")
        self.find_variable = QComboBox(objectName="spans_variable")
        self.find_value = QLineEdit(objectName="spans_value")
        var_row = QHBoxLayout()
        var_row.addWidget(self.find_variable)
        var_row.addWidget(self.find_value, 1)
        form = QFormLayout()
        form.addRow("La&bel:", self.find_label)
        form.addRow("&Annotator:", self.find_annotator)
        form.addRow("Te&xt contains:", self.find_text)
        form.addRow("&Note contains:", self.find_note)
        var_label = QLabel("&Variable is:")
        var_label.setBuddy(self.find_variable)
        form.addRow(var_label, var_row)
        for edit in (self.find_annotator, self.find_text, self.find_note, self.find_value):
            edit.returnPressed.connect(self.find_spans)
        self.find_button = QPushButton("&Find")
        self.find_button.setObjectName("spans_find")
        self.find_button.clicked.connect(self.find_spans)
        self.spans_model = SpansModel(self)
        self.spans_view = make_table_view("spans_table")
        self.spans_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.spans_view.setModel(self.spans_model)
        # the span's text takes the width the other columns leave, as the list is resized too
        self.spans_view.horizontalHeader().setSectionResizeMode(TEXT_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.spans_view.activated.connect(self._span_activated)
        self.spans_note = plain(QLabel())
        self.query = retrieval.SpanQuery()
        self._scope = ""  # the table cell whose spans are listed, in words
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.find_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.spans_view, 1)
        layout.addWidget(self.spans_note)
        layout.addLayout(self._exports(("spans_csv", "Spans as CSV…", self.export_spans)))
        return page


    def fit_span_columns(self) -> None:
        """Each column as wide as what it shows, titles, issuers and notes within their :data:`COLUMN_SHARES` of
        the list; the span's text has the width they leave."""
        view = self.spans_view
        width = view.viewport().width()
        for column, name in enumerate(SPAN_HEADERS):
            if column != TEXT_COLUMN:  # stretched
                columns.fit_within(view, column, int(width * COLUMN_SHARES.get(name, 1.0)))

    def find_spans(self) -> None:
        label = self.find_label.currentData()
        variable, value = self.find_variable.currentData(), self.find_value.text()
        self.query = retrieval.SpanQuery(
            labels=(label,) if label else (), annotator=self.find_annotator.text().strip(),
            text=self.find_text.text(), note=self.find_note.text(),
            variables={variable: value} if variable and value else {},
        )
        self._scope = ""
        self._run_query()

    def _run_query(self) -> None:
        q = self.query = replace(self.query, status=self.status_choice())  # the statements the window counts
        self.spans_note.setText("Finding…")
        self.jobs.start("spans", self.project,
                        lambda conn: (retrieval.spans(conn, q, SHOWN_SPANS), retrieval.count(conn, q)))


    def show_spans(self, query: retrieval.SpanQuery) -> None:
        """The Spans tab with ``query``'s spans (a table cell's), its filters cleared to say so."""
        self.query = query
        self._scope = "; ".join(f"{self._grouping_title(by)}: {self._group_name(by, key)}" for by, key in query.groups)
        for edit in (self.find_annotator, self.find_text, self.find_note, self.find_value):
            edit.clear()
        self._choose(self.find_label, query.labels[0] if len(query.labels) == 1 else None, None)
        self.tabs.setCurrentIndex(self.TABS.index("spans"))
        self._run_query()
        self.spans_view.setFocus()

    def _grouping_title(self, by: str) -> str:
        at = self.columns_by.findData(by)
        return self.columns_by.itemText(at) if at >= 0 else by

    def _group_name(self, by: str, key: Any) -> str:
        t = self.table_result
        for g, keys, names in ((t.grouping, t.groups, t.group_names),) if t is not None else ():
            if g.by == by and key in keys:
                return names[keys.index(key)]
        if t is not None and t.rows_grouping is not None and t.rows_grouping.by == by and key in t.names:
            return t.names[key]
        return "(none)" if key is None else str(key)

    def _span_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            span_id, doc_id = self.spans_model.span_at(index.row())
            self._open(doc_id, span_id)


    def export_spans(self) -> Path | None:
        """Every span of the current query as CSV, written by a job (a million spans take seconds)."""
        chosen = self._ask("csv", "spans")
        if not chosen:
            return None
        q = replace(self.query, status=self.status_choice())
        self._status("Writing the spans…")
        self.jobs.start("export_spans", self.project, lambda conn: (retrieval.write_csv(conn, q, chosen), chosen))
        return Path(chosen)
