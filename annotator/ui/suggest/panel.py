"""The Suggestions dock (issue 13): the threshold with the last retrain's figures per label beside it, filters by
label and source, every suggestion of the corpus at or above the threshold, and a bulk accept of those listed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.suggest.evaluate import format_figures
from annotator.core.suggest.suggester import Suggestion

#: rows the list shows at most (a bulk accept takes every suggestion that passes the filters, listed or not)
MAX_ROWS = 2000
SOURCES = (("", "All sources"), ("pattern:", "Cue patterns"), ("model:", "Model"))


class SuggestionsPanel(QWidget):
    thresholdChanged = Signal(float)
    filtersChanged = Signal()
    suggestionActivated = Signal(object)  # Suggestion
    acceptListedRequested = Signal()
    acceptHereRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.threshold = QDoubleSpinBox()
        self.threshold.setObjectName("suggest_threshold")
        self.threshold.setRange(0.2, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setDecimals(2)
        self.threshold.setToolTip("Suggestions less confident than this are hidden, here and in the statement")
        self.label_filter = QComboBox()
        self.label_filter.setObjectName("suggest_label_filter")
        self.source_filter = QComboBox()
        self.source_filter.setObjectName("suggest_source_filter")
        for prefix, text in SOURCES:
            self.source_filter.addItem(text, prefix)
        top = QHBoxLayout()
        top.addWidget(QLabel("Threshold"))
        top.addWidget(self.threshold)
        top.addWidget(self.label_filter)
        top.addWidget(self.source_filter)
        top.addStretch(1)
        self.figures = QLabel("Not trained yet")
        self.figures.setObjectName("suggest_figures")
        self.figures.setTextFormat(Qt.TextFormat.PlainText)
        self.figures.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.figures.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("suggest_table")
        self.table.setHorizontalHeaderLabels(["Statement", "Label", "Confidence", "Source", "Text"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.itemActivated.connect(self._activated)
        self.table.itemDoubleClicked.connect(self._activated)
        self.count = QLabel("")
        self.accept_listed = QPushButton("Accept all listed")
        self.accept_listed.setObjectName("suggest_accept_listed")
        self.accept_here = QPushButton("Accept all in this statement (Shift+Enter)")
        self.accept_here.setObjectName("suggest_accept_here")
        bottom = QHBoxLayout()
        bottom.addWidget(self.count)
        bottom.addStretch(1)
        bottom.addWidget(self.accept_here)
        bottom.addWidget(self.accept_listed)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.figures)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.rows: list[Suggestion] = []
        self.threshold.valueChanged.connect(lambda v: self.thresholdChanged.emit(float(v)))
        self.label_filter.currentIndexChanged.connect(lambda _i: self.filtersChanged.emit())
        self.source_filter.currentIndexChanged.connect(lambda _i: self.filtersChanged.emit())
        self.accept_listed.clicked.connect(self.acceptListedRequested)
        self.accept_here.clicked.connect(self.acceptHereRequested)

    def set_labels(self, labels: list[tuple[str, str]]) -> None:
        current = self.label_filter.currentData()
        self.label_filter.blockSignals(True)
        self.label_filter.clear()
        self.label_filter.addItem("All labels", "")
        for key, name in labels:
            self.label_filter.addItem(name, key)
        index = self.label_filter.findData(current)
        self.label_filter.setCurrentIndex(max(index, 0))
        self.label_filter.blockSignals(False)

    def passes(self, sg: Suggestion) -> bool:
        label, source = self.label_filter.currentData() or "", self.source_filter.currentData() or ""
        return (not label or sg.label == label) and sg.source.startswith(source)

    def set_rows(self, rows: list[Suggestion], titles: dict[int, str], names: dict[str, str], texts: Any) -> None:
        self.rows = rows[:MAX_ROWS]
        self.table.setUpdatesEnabled(False)
        self.table.setRowCount(len(self.rows))
        for i, sg in enumerate(self.rows):
            phrase = " ".join(texts(sg).split())
            cells = (titles.get(sg.doc_id, str(sg.doc_id)), names.get(sg.label, sg.label), f"{sg.confidence:.2f}",
                     sg.source, phrase)
            for j, cell in enumerate(cells):
                item = QTableWidgetItem(cell)
                if j == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, j, item)
        self.table.setUpdatesEnabled(True)
        more = f" (the first {MAX_ROWS} listed)" if len(rows) > MAX_ROWS else ""
        self.count.setText(f"{len(rows)} suggestion(s){more}")
        self.accept_listed.setEnabled(bool(rows))

    def set_figures(self, figures: dict[str, dict[str, Any]] | None, names: dict[str, str], note: str) -> None:
        """The figures per label as a plain table (no rich text: a label's name is shown as typed)."""
        if figures is None:
            self.figures.setText(note)
            return
        self.figures.setText(format_figures(figures, names) + "\n" + note)

    def _activated(self, item: QTableWidgetItem) -> None:
        row = item.row()
        if 0 <= row < len(self.rows):
            self.suggestionActivated.emit(self.rows[row])
