"""The Suggestions dock (issue 13): the threshold with the last retrain's figures per label beside it, filters by
label and source, every suggestion of the corpus at or above the threshold, and a bulk accept of those listed."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.suggest.batch import Row
from annotator.core.suggest.cues import stopped_message
from annotator.core.suggest.evaluate import format_figures
from annotator.core.suggest.suggester import Suggestion
from annotator.ui.text import plain_tooltip, sentence

COLUMNS = ("Statement", "Label", "Confidence", "Source", "Text")
SOURCES = (("", "All sources"), ("pattern:", "Cue patterns"), ("model:", "Model"))
#: the roles :meth:`SuggestionsModel.data` answers, as the plain ints the view asks with: a view asks seven roles
#: of every cell it paints, and comparing an int with a Qt enum member costs more than the rest of the call
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
#: the longest count the list shows, which sizes its label once (see :meth:`SuggestionsPanel._fix_count_size`)
_WIDEST_COUNT = "000 000 suggestion(s) so far; still suggesting…"


class SuggestionsModel(QAbstractTableModel):
    """Every listed suggestion, by statement: a view asks only for the rows it shows, so the list holds the whole
    corpus's (60 000 and more) and a batch of the retrain replaces its statements' rows in place (a table of items
    made anew for 2 000 rows took 0.1-0.3 s of the event loop for each batch, measured)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        #: plain tuples (``batch.Row``: not tracked by the cycle collector); equal to their ``Suggestion``
        self.rows: list[Row] = []
        self.doc_ids: list[int] = []  # each row's statement (sorted: the rows are by statement)
        self.titles: dict[int, str] = {}
        self.names: dict[str, str] = {}
        self.text_of: Callable[[Row], str] = lambda _row: ""
        #: why a row is suggested, in words (``core/suggest/why``): its tooltip, asked only when hovered
        self.why_of: Callable[[Row], str] = lambda _row: ""

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = sorted(rows, key=lambda row: row[0])  # by statement; stable: a statement's rows keep their order
        self.doc_ids = [row[0] for row in self.rows]
        self.endResetModel()

    def replace_docs(self, by_doc: dict[int, list[Row]]) -> None:
        """These statements' rows replaced by the ones given (none: removed), each where it belongs: the rows from
        the first statement given to the last go out and come back in as one block (a corpus batch's statements
        are consecutive), the other statements' among them kept."""
        if not by_doc:
            return
        i, j = bisect_left(self.doc_ids, min(by_doc)), bisect_right(self.doc_ids, max(by_doc))
        block = [row for row in self.rows[i:j] if row[0] not in by_doc]
        block += [row for rows in by_doc.values() for row in rows]
        block.sort(key=lambda row: row[0])
        if j > i:
            self.beginRemoveRows(QModelIndex(), i, j - 1)
            del self.rows[i:j], self.doc_ids[i:j]
            self.endRemoveRows()
        if block:
            self.beginInsertRows(QModelIndex(), i, i + len(block) - 1)
            self.rows[i:i] = block
            self.doc_ids[i:i] = [row[0] for row in block]
            self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        # the role first: five of the seven roles a view asks of each cell are answered None without more
        if role == _DISPLAY:
            i = index.row()
            if not 0 <= i < len(self.rows) or not index.isValid():
                return None
            row, column = self.rows[i], index.column()
            doc_id, _start, _end, label, confidence, source = row
            if column == 0:
                return self.titles.get(doc_id, str(doc_id))
            if column == 1:
                return self.names.get(label, label)
            if column == 2:
                return f"{confidence:.2f}"
            if column == 3:
                return source
            return " ".join(self.text_of(row).split())
        if role == _ALIGNMENT and index.column() == 2:
            return _RIGHT
        if role == _TOOLTIP and index.isValid() and 0 <= index.row() < len(self.rows):
            row = self.rows[index.row()]
            why, text = self.why_of(row), " ".join(self.text_of(row).split())
            # escaped: the clause is a statement's text, never read as rich text
            head = f"{self.names.get(row[3], row[3])} {row[4]:.2f} ({row[5]})" + (f": {why}" if why else "")
            return plain_tooltip(f"{head}\n\n{text}")
        return None


class SuggestionsTable(QTableView):
    """The list's view. A view repaints all it shows after any rows come or go, even far below what it shows (a
    full repaint of the list: 3-6 ms of the GUI thread, each cell's text laid out again), and the retrain's corpus
    batches insert their rows, by statement, mostly below the first screen, a few statements each turn of the
    event loop. A change that begins below the last row shown leaves the rows shown as they were: it updates the
    scroll bar without the repaint."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._changed = False  # rows came or went since the last layout
        self._changed_shown = False  # ... and some of them at or above the last row shown

    def _rows_change(self, start: int) -> None:
        last = self.rowAt(self.viewport().height() - 1)  # -1: the rows end above the viewport's bottom
        self._changed = True
        if last < 0 or start <= last:
            self._changed_shown = True

    def rowsAboutToBeRemoved(self, parent: QModelIndex | QPersistentModelIndex, start: int, end: int) -> None:
        self._rows_change(start)
        super().rowsAboutToBeRemoved(parent, start, end)

    def rowsInserted(self, parent: QModelIndex | QPersistentModelIndex, start: int, end: int) -> None:
        self._rows_change(start)
        super().rowsInserted(parent, start, end)

    def rows_changed_unseen(self) -> bool:
        """Whether the rows changed since the last layout, all of them below the rows shown."""
        return self._changed and not self._changed_shown

    def doItemsLayout(self) -> None:
        unseen = self.rows_changed_unseen()
        self._changed = self._changed_shown = False
        if not unseen:
            super().doItemsLayout()
            return
        viewport = self.viewport()  # the layout (scroll bar, header) without the viewport's repaint
        viewport.setAttribute(Qt.WidgetAttribute.WA_UpdatesDisabled, True)
        try:
            super().doItemsLayout()
        finally:
            viewport.setAttribute(Qt.WidgetAttribute.WA_UpdatesDisabled, False)


class WrappedLabel(QLabel):
    """A word-wrapped label never given less height than its text needs at its width: a dock's layout does not ask
    a label its height for a width, so squeezed it centred its lines and cut the first and the last (trial 10, D12:
    the figures' header line and the note's end were half shown)."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

    def _fit(self) -> None:
        need = self.heightForWidth(max(self.width(), 1))
        if need > 0 and need != self.minimumHeight():
            self.setMinimumHeight(need)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()


#: rows of suggestions the list shows at least, beside its header (the dock showed two and a half)
MIN_ROWS = 4


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
        self.figures = WrappedLabel()
        self.figures.setObjectName("suggest_figures")
        self.figures.setTextFormat(Qt.TextFormat.PlainText)
        self.figures.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.figures.setText("Not trained yet")
        self.stopped_names: tuple[str, ...] = ()
        self.stopped = self._stopped_line()
        self.model = SuggestionsModel(self)
        self.table = SuggestionsTable()
        self.table.setObjectName("suggest_table")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self._fix_table_height()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        em = self.table.fontMetrics().averageCharWidth()
        for column, chars in ((0, 28), (1, 16), (2, 13), (3, 28)):  # a title, the header, a source legible
            self.table.setColumnWidth(column, chars * em)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        self.count = QLabel("")
        self.count.setObjectName("suggest_count")
        #: what follows the count while the corpus is still being suggested for (set by the controller)
        self.count_suffix = ""
        self._fix_count_size()
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
        layout.addWidget(self.stopped)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
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

    def passes(self, sg: Suggestion | Row) -> bool:
        return self.filter()(sg)

    def filter(self) -> Callable[[Suggestion | Row], bool]:
        """:meth:`passes` with the filters read once (each read asks both combo boxes: 10 us a row, when a batch of
        the retrain lists hundreds)."""
        label, source = self.label_filter.currentData() or "", self.source_filter.currentData() or ""
        if not label:
            return lambda sg: sg[5].startswith(source)  # a Suggestion or a plain tuple
        return lambda sg: sg[3] == label and sg[5].startswith(source)

    @property
    def rows(self) -> list[Row]:
        """The listed suggestions, in the list's order (plain tuples, equal to their ``Suggestion``)."""
        return self.model.rows

    def _names(self, titles: dict[int, str], names: dict[str, str], texts: Callable[[Row], str]) -> None:
        self.model.titles, self.model.names, self.model.text_of = titles, names, texts

    def set_rows(self, rows: list[Row], titles: dict[int, str], names: dict[str, str],
                 texts: Callable[[Row], str]) -> None:
        """The whole list anew (a filter, the threshold, an accept or a rejection changed it)."""
        self._names(titles, names, texts)
        self.model.set_rows(rows)
        self._counted()

    def replace_docs(self, by_doc: dict[int, list[Row]], titles: dict[int, str], names: dict[str, str],
                     texts: Callable[[Row], str]) -> None:
        """Some statements' rows anew (the retrain's answer for them), the rest of the list left as it is."""
        self._names(titles, names, texts)
        self.model.replace_docs(by_doc)
        self._counted()

    def _fix_count_size(self) -> None:
        """The count's label at one size, wide enough for any count: a label whose text changes asks the dock and
        the window to lay themselves out again (1-2 ms of the GUI thread each time the list grows during a retrain)
        unless its size is fixed."""
        text = self.count.text()
        self.count.setMinimumSize(0, 0)
        self.count.setMaximumSize(16777215, 16777215)
        self.count.setText(_WIDEST_COUNT)
        hint = self.count.sizeHint()
        self.count.setText(text)
        self.count.setFixedSize(hint.width() + 4, hint.height())

    def _fix_table_height(self) -> None:
        """The list at least :data:`MIN_ROWS` rows high, besides its header and frame."""
        header = self.table.horizontalHeader().sizeHint().height()
        rows = MIN_ROWS * self.table.verticalHeader().defaultSectionSize()
        self.table.setMinimumHeight(header + rows + 2 * self.table.frameWidth() + 2)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fix_count_size()
            self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
            self._fix_table_height()

    def set_count_suffix(self, suffix: str) -> None:
        self.count_suffix = suffix
        self._counted()

    def say(self, text: str) -> None:
        """A word in the count's place ("retraining…"), until the list changes."""
        if self.count.text() != text:
            self.count.setText(text)

    def _counted(self) -> None:
        n = len(self.model.rows)
        self.say(f"{n} suggestion(s){self.count_suffix}")
        self.accept_listed.setEnabled(bool(n))

    def _stopped_line(self) -> QWidget:
        """A warning icon and a line naming the cue patterns stopped for running too long; hidden until one is."""
        line = QWidget()
        line.setObjectName("suggest_stopped")
        icon = QLabel()
        size = self.fontMetrics().height()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.stopped_text = WrappedLabel("")
        self.stopped_text.setObjectName("suggest_stopped_text")
        self.stopped_text.setTextFormat(Qt.TextFormat.PlainText)  # a cue's name is shown as typed
        self.stopped_text.setWordWrap(True)
        row = QHBoxLayout(line)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(icon)
        row.addWidget(self.stopped_text, 1)
        line.hide()
        return line

    def set_stopped(self, names: tuple[str, ...]) -> bool:
        """Say which cue patterns the retrain process stopped for running too long (none: the line hides); True when
        an answer names one it did not before. Nothing is redrawn while the names stay the same."""
        if names == self.stopped_names:
            return False
        new, self.stopped_names = set(names) - set(self.stopped_names), names
        message = stopped_message(names)
        self.stopped_text.setText(f"{sentence(message)}." if message else "")
        self.stopped.setVisible(bool(message))
        return bool(new)

    def set_figures(self, figures: dict[str, dict[str, Any]] | None, names: dict[str, str], note: str) -> None:
        """The figures per label as a plain table (no rich text: a label's name is shown as typed)."""
        if figures is None:
            self.figures.setText(note)
            return
        self.figures.setText(format_figures(figures, names) + "\n" + note)

    def _activated(self, index: QModelIndex) -> None:
        row = index.row()
        if 0 <= row < len(self.model.rows):
            self.suggestionActivated.emit(Suggestion._make(self.model.rows[row]))
