"""The Search dock's widget: the query box and its options, the results filter, the counts, progress with a
cancel, and the keyword-in-context table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Label
from annotator.core.search.hits import Hit, shown
from annotator.ui.reading import columns
from annotator.ui.search.model import DATE, LABELS, LEFT, MATCH, RIGHT, STATEMENT, HitsModel
from annotator.ui.text import plain, to_qt

#: the most of the table's width the Hit column takes to show its hits whole (a longer hit is cut in its middle,
#: whole in the row's tooltip); the context columns share what the others leave, each at least :data:`CONTEXT_MIN`
HIT_SHARE = 0.35
CONTEXT_MIN = 120
#: the hits of a batch measured for the Hit column's width (their distinct texts; a batch holds up to thousands)
MEASURED = 256
_MATCH_AT = Hit._fields.index("match")
HELP = ('words, "a phrase", prefix*, OR, NOT, NEAR(a b, 10) — case and diacritics folded; '
        "or a regular expression")


class HitsTable(QTableView):
    """The hits. Rows that arrive below the last row shown (a running search's later batches) change only the scroll
    bar: the cells shown are not laid out and painted again for each batch. Qt repaints every cell shown after any
    insert -- 5-8 ms of the window's thread at each batch, taking turns for the GIL with the search, the worst stall
    of the event loop while a search runs (traced, issue 12)."""

    resized = Signal()

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

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()

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
        # the last column (Labels) takes what is left, its width never taken for the user's (columns.remember)
        columns.resizable(header, {col: columns.fits(header, col, columns.DATE_SAMPLE) if col == DATE else width
                                   for col, width in enumerate((220, 84, 300, 110, 300, 120))})
        header.sectionResized.connect(self._section_resized)
        self.table.resized.connect(self.fit_columns)
        #: the widest hit shown so far (px, bold), and the texts measured for it
        self._widest_hit = 0
        self._measured: set[str] = set()
        self._fit_left()
        self._fit_match()
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

    def _section_resized(self, col: int, _old: int, _new: int) -> None:
        if col == LEFT:
            self._fit_left()
        elif col == MATCH:
            self._fit_match()

    def reset_hits(self) -> None:
        """A new search: the Hit column fits its hits from now on."""
        self._widest_hit, self._measured = 0, set()

    def fit_hits(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Widen the Hit column to show these hits (plain tuples, as they arrive) whole: the one thing a keyword in
        context list must show ("strongly con…" was cut at a fixed 110 px beside 300 px of context)."""
        texts = {to_qt(shown(r[_MATCH_AT])) for r in rows[:MEASURED]} - self._measured
        if not texts:
            return
        self._measured |= texts
        widest = max(map(self._bold_metrics().horizontalAdvance, texts)) + columns.CELL_PAD
        if widest > self._widest_hit:
            self._widest_hit = widest
            self.fit_columns()

    def fit_columns(self) -> None:
        """The Hit column as wide as its widest hit (at most :data:`HIT_SHARE` of the table), the two contexts
        sharing what the other columns leave; a column the user dragged keeps the width chosen
        (``columns.fit_section``)."""
        header = self.table.horizontalHeader()
        room = self.table.viewport().width()
        hit = min(max(self._widest_hit, columns.fits(header, MATCH)), max(int(room * HIT_SHARE), 40))
        columns.fit_section(header, MATCH, hit)
        chosen = columns.chosen(header)
        contexts = [c for c in (LEFT, RIGHT) if c not in chosen]
        if contexts:
            others = sum(header.sectionSize(c) for c in (STATEMENT, DATE, MATCH, LEFT, RIGHT) if c not in contexts)
            share = max((room - others - columns.fits(header, LABELS, "Commitment")) // len(contexts), CONTEXT_MIN)
            for col in contexts:
                columns.fit_section(header, col, share)

    def _fit_match(self) -> None:
        """The hit elided in its middle to its column (its start and end show; whole in the row's tooltip)."""
        self.model.fit_match(self._bold_metrics(), max(self.table.columnWidth(MATCH) - self._margin(), 0))

    def _bold_metrics(self) -> QFontMetrics:
        bold = QFont(self.table.font())
        bold.setBold(True)  # the hit's font (the model's bold, resolved against the table's)
        return QFontMetrics(bold)

    def _margin(self) -> int:
        style = self.table.style()
        return 2 * (style.pixelMetric(style.PixelMetric.PM_FocusFrameHMargin, None, self.table) + 1) + 2

    def _fit_left(self) -> None:
        """The left context elided on its left, to what its column shows (the style's text margins and a pixel of
        grid less), so the view's own elision, on the right, never cuts the end next to the hit."""
        self.model.fit_left(self.table.fontMetrics(), max(self.table.columnWidth(LEFT) - self._margin(), 0))
        self.table.viewport().update()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_left()
            self._fit_match()

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
