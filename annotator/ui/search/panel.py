"""The Search dock's widget: the query box and its options, the results filter, the counts, progress with a
cancel, and the keyword-in-context table."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Label
from annotator.ui.reading import columns
from annotator.ui.search.model import DATE, LEFT, HitsModel
from annotator.ui.text import plain

HELP = ('words, "a phrase", prefix*, OR, NOT, NEAR(a b, 10) — case and diacritics folded; '
        "or a regular expression")


class HitsTable(QTableView):
    """The hits. Rows that arrive below the last row shown (a running search's later batches) change only the scroll
    bar: the cells shown are not laid out and painted again for each batch. Qt repaints every cell shown after any
    insert -- 5-8 ms of the window's thread at each batch, taking turns for the GIL with the search, the worst stall
    of the event loop while a search runs (traced, issue 12)."""

    def __init__(self) -> None:
        super().__init__()
        #: whether every row inserted since the last layout fell below the last row shown (None: none inserted)
        self._below: bool | None = None

    def setModel(self, model) -> None:  # type: ignore[no-untyped-def]
        super().setModel(model)
        for signal in (model.modelReset, model.layoutChanged, model.rowsRemoved, model.rowsMoved):
            signal.connect(self._relayout)

    def _relayout(self, *_args: object) -> None:
        self._below = False

    def rowsInserted(self, parent: QModelIndex | QPersistentModelIndex, first: int, last: int) -> None:
        super().rowsInserted(parent, first, last)
        bottom = self.rowAt(self.viewport().height() - 1)  # -1: the rows end above the bottom, a new one shows
        below = 0 <= bottom < first
        self._below = below if self._below is None else self._below and below

    def doItemsLayout(self) -> None:
        below, self._below = self._below, None
        if below:
            self.updateGeometries()  # the scroll bar's range; the cells shown are as they were
            return
        super().doItemsLayout()


class SearchPanel(QWidget):
    filterChanged = Signal(object)  # None, "" or a label key

    def __init__(self) -> None:
        super().__init__()
        self.query = QLineEdit()
        self.query.setObjectName("search_query")
        self.query.setPlaceholderText("Search the statements: " + HELP)
        self.query.setClearButtonEnabled(True)
        self.regex = QCheckBox("Regular e&xpression")
        self.exact = QCheckBox("Exact &diacritics")
        self.exact.setToolTip("évian does not find Evian")
        self.filter = QComboBox()
        self.filter.setObjectName("search_filter")
        self.filter.currentIndexChanged.connect(lambda _i: self.filterChanged.emit(self.filter.currentData()))
        self.counts = plain(QLabel())
        self.counts.setObjectName("search_counts")
        self.problem = plain(QLabel())
        self.problem.setObjectName("search_problem")
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.progress = QProgressBar()
        self.progress.setMaximumHeight(14)
        self.progress.setTextVisible(False)
        self.cancel = QPushButton("Cancel")
        for shown_while_searching in (self.progress, self.cancel):
            # hidden between searches, but their room kept: showing them must not move the hits (a smaller table is
            # laid out and painted again, while the search competes for the GIL: the worst stall, traced, issue 12)
            policy = shown_while_searching.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            shown_while_searching.setSizePolicy(policy)
            shown_while_searching.hide()

        self.model = HitsModel()
        self.table = HitsTable()
        self.table.setObjectName("search_hits")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # always there, so the first hits that fill the view do not narrow it (a second layout and paint of them)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        # in statement order (as found) until a header is clicked
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        # the header's own selection, always empty: each repaint of a header asks whether each of its columns is
        # wholly selected (QHeaderView::initStyleOptionForIndex), and Qt answers by making an index of every selected
        # row, two calls into Python each. With 100 000 hits selected (Ctrl+A) that was 1.2 M calls and a third of
        # a second of the window's thread every time the header repainted (a dialog opening or closing over it)
        header.setSelectionModel(QItemSelectionModel(self.model, header))
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.sectionResized.connect(lambda col, _old, _new: self._fit_left() if col == LEFT else None)
        for col, width in enumerate((220, 84, 300, 110, 300, 120)):
            self.table.setColumnWidth(col, columns.fits(header, col, columns.DATE_SAMPLE) if col == DATE else width)
        self._fit_left()
        self.table.setAlternatingRowColors(True)

        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(self.regex)
        top.addWidget(self.exact)
        top.addWidget(QLabel("Show:"))
        top.addWidget(self.filter)
        status = QHBoxLayout()
        status.addWidget(self.counts, 1)
        status.addWidget(self.progress)
        status.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.problem)
        layout.addLayout(status)
        layout.addWidget(self.table, 1)
        self.set_labels([])

    def _fit_left(self) -> None:
        """The left context elided on its left, to what its column shows (the style's text margins and a pixel of
        grid less), so the view's own elision, on the right, never cuts the end next to the hit."""
        style = self.table.style()
        margin = 2 * (style.pixelMetric(style.PixelMetric.PM_FocusFrameHMargin, None, self.table) + 1) + 2
        self.model.fit_left(self.table.fontMetrics(), max(self.table.columnWidth(LEFT) - margin, 0))
        self.table.viewport().update()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_left()

    def set_labels(self, labels: list[Label]) -> None:
        current = self.filter.currentData()
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.addItem("All hits", None)
        self.filter.addItem("Not yet labelled", "")
        for label in labels:
            self.filter.addItem(f"Labelled {label.name}", label.key)
        found = self.filter.findData(current) if current is not None else 0
        self.filter.setCurrentIndex(max(found, 0))
        self.filter.blockSignals(False)
        self.model.label_names = {lb.key: lb.name for lb in labels}
        if found < 0:
            self.filterChanged.emit(None)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
