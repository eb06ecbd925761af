"""The side panels: documents (with filters) and the spans of this document (the labels bar: ``labelsbar.py``)."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import STATUS_NAMES, STATUSES
from annotator.ui.models import DocumentsModel
from annotator.ui.reading import columns
from annotator.ui.spans_model import SpansModel


def hold_paint(*widgets: QWidget, after_ms: int = 0) -> None:
    """Let ``widgets`` repaint only once the event loop runs again (a zero-delay timer), not inside the caller;
    with ``after_ms``, that long later, in a turn of the event loop of their own.

    A ``repaint()`` of the statement paints every dirty widget of the window with it, so a key press that also
    changed a panel would pay for painting the panel before it returns. Their models change at once (everything
    that reads them sees the new rows); only the pixels wait. A widget whose updates are already held, or were
    turned off by someone else, is left alone. (A zero timer is no later turn in Qt 6: it runs in the same pass of
    the event loop, after the events already posted; a timer of 1 ms or more comes after the timers already due.)
    """
    for widget in widgets:
        if widget.updatesEnabled():
            widget.setUpdatesEnabled(False)
            QTimer.singleShot(after_ms, widget, lambda w=widget: w.setUpdatesEnabled(True))  # repaints it whole


def hold_paint_in_turns(*parts: list[QWidget], first_ms: int = 1, step_ms: int = 1,
                        before: Callable[[], object] | None = None) -> int:
    """Like :func:`hold_paint`, but the parts repaint one after another, each in a turn of the event loop of its own:
    the first ``first_ms`` from now, each next one ``step_ms`` after the one before is released (1 ms: the next
    turn). A widget inside an earlier part may be a part of its own: it stays held when that part is released.
    ``before()``, when given, runs in a turn of its own ahead of the first part (reading what it will paint).
    Returns the ms until the last part is released. A statement opened from a timer (Next Suggested Statement)
    painted every dock, bar and the statement in one pass, 21-37 ms at 100 000 statements (issue #14)."""
    held = [[w for w in part if w.updatesEnabled()] for part in parts]  # all asked before any is held
    held = [part for part in held if part]
    if not held:
        return 0
    for part in held:
        for widget in part:
            widget.setUpdatesEnabled(False)
    owner = held[0][0].window()  # lives as long as any of them: the chain goes on if one part is deleted meanwhile
    _count_chain(owner, +1)
    if before is None:
        QTimer.singleShot(first_ms, owner, lambda: _release(held, 0, owner, step_ms))
        return first_ms + (len(held) - 1) * step_ms
    QTimer.singleShot(first_ms, owner, lambda: _before(before, held, owner, step_ms))
    return first_ms + len(held) * step_ms


def _before(before: Callable[[], object], held: list[list[QWidget]], owner: QWidget, step_ms: int) -> None:
    """:func:`hold_paint_in_turns`'s ``before``, then its first part a turn later."""
    try:
        before()
    finally:
        QTimer.singleShot(step_ms, owner, lambda: _release(held, 0, owner, step_ms))


#: the attribute of a window's wrapper counting the chains of :func:`hold_paint_in_turns` releasing its parts (on
#: the Python object, not a Qt property: nothing to ask of Qt's meta-object for it)
_CHAINS = "_annotator_paint_chains"


def repainting(window: QWidget) -> bool:
    """Whether parts of ``window`` are still held by :func:`hold_paint_in_turns`, to repaint in turns to come."""
    return bool(getattr(window, _CHAINS, 0))


def _release(held: list[list[QWidget]], n: int, owner: QWidget, step_ms: int) -> None:
    """Part ``n`` of :func:`hold_paint_in_turns` repaints; the next one ``step_ms`` later. (A module function, not a
    closure calling itself: that is a reference cycle, which kept the window's wrapper alive after Qt deleted it.)"""
    for widget in held[n]:
        if shiboken6.isValid(widget):
            widget.setUpdatesEnabled(True)  # repaints it whole, on the next pass
    if n + 1 < len(held):
        QTimer.singleShot(step_ms, owner, lambda: _release(held, n + 1, owner, step_ms))
    else:  # done once the last part has painted, in the next pass
        QTimer.singleShot(step_ms, owner, lambda: _count_chain(owner, -1))


def _count_chain(owner: QWidget, change: int) -> None:
    setattr(owner, _CHAINS, max(0, getattr(owner, _CHAINS, 0) + change))


class DocumentsPanel(QWidget):
    """The project's documents: title, status, span count; filter by status and by text."""

    documentActivated = Signal(int)
    filtersChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QComboBox()
        self.status.addItem("All statuses", None)
        for status in STATUSES:
            self.status.addItem(STATUS_NAMES[status], status)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search text…")
        self.search.setClearButtonEnabled(True)
        self.model = DocumentsModel(self)
        self.table = row_table(self.model, QAbstractItemView.EditTrigger.NoEditTriggers)
        # widths set, not fitted (fitting asks every row of a 10 000-document project on each change); the user
        # resizes them, long titles are elided in the middle and shown whole in the tooltip
        header = self.table.horizontalHeader()
        #: the default widths of the first columns (the window's variables add theirs after them)
        self.widths = {0: 124, 1: columns.fits(header, 1, *STATUS_NAMES.values()), 2: columns.fits(header, 2, "99999")}
        columns.resizable(header, self.widths)
        columns.elide_middle(self.table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.status)
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        self.count = QLabel()  # how many are listed (set by the window; "listing…" while a filter reads the rest)
        self.count.setObjectName("documents_count")
        layout.addWidget(self.count)
        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self.filtersChanged)
        self.search.textChanged.connect(self._debounce.start)
        self.status.currentIndexChanged.connect(self.filtersChanged)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

    def filters(self) -> tuple[str | None, str | None]:
        return self.status.currentData(), (self.search.text().strip() or None)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        doc_id = current.siblingAtColumn(0).data(Qt.ItemDataRole.UserRole) if current.isValid() else None
        if doc_id is not None:
            self.documentActivated.emit(int(doc_id))

    def select(self, doc_id: int) -> None:
        row = self.model.row_of(doc_id)
        selection = self.table.selectionModel()
        if row < 0:  # not listed (a filter hides it): no other row is marked as the one open
            selection.blockSignals(True)
            selection.clear()
            selection.blockSignals(False)
            self.table.viewport().update()
            return
        index = self.model.index(row, 0)
        if selection.currentIndex().row() != row:
            selection.blockSignals(True)
            selection.setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )
            selection.blockSignals(False)
            self.table.viewport().update()
        elif QGuiApplication.mouseButtons() != Qt.MouseButton.NoButton:
            # the row pressed on, opened as the button went down: scrolled now, a half-shown last row moved up
            # under the pointer and the release selected the row below it (a newcomer's trial: the list marked one
            # statement while another was open and took the label keys). Qt itself does not scroll on a press
            return
        self.table.scrollTo(index)

    def read_shown(self) -> None:
        """Ask the model for every cell the table shows now, so its next repaint only paints: after a jump to a far
        statement (Next Suggested Statement, a search hit) a screen of rows never read is read then, their listing
        page and their variables, 4-5 ms of a 10-14 ms repaint at 100 000 statements (issue #14)."""
        table, model = self.table, self.model
        top = table.rowAt(0)
        if top < 0 or not table.isVisible():  # nothing to paint (the window closed meanwhile)
            return
        bottom = table.rowAt(table.viewport().height() - 1)
        bottom = model.rowCount() - 1 if bottom < 0 else bottom
        for row in range(top, bottom + 1):
            for column in range(model.columnCount()):
                model.index(row, column).data()


class SpansPanel(QWidget):
    """The open document's spans: label, phrase, note (editable in place). Selecting one scrolls to it.

    Unless the user has dragged it, the Label column is as wide as the codebook's names need (with a colleague's
    name beside them where the statement holds their spans: "Call to action · ana" had been cut to "Call t… · ana"),
    at most :data:`LABEL_SHARE` of the table."""

    spanActivated = Signal(int)
    #: the Label column's width when it fits the labels: at least this many px, at most this share of the table
    LABEL_LEAST = 72
    LABEL_SHARE = 0.45
    #: px the colour swatch beside a label takes, with its gap
    SWATCH_ROOM = 20

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SpansModel(self)
        self.table = row_table(
            self.model,
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked,
        )
        columns.resizable(self.table.horizontalHeader(), {0: 112, 1: 132})  # Note: the rest
        columns.elide_middle(self.table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self._quiet = False
        self._later: list[int | None] = []  # the span to select on the next turn of the event loop (select_later)
        self._others: set[str] = set()  # whose spans besides the analyst's the Label column names
        self._label_width = 0  # what the Label column's texts need (px)
        self.model.modelReset.connect(self._fit_labels)
        self.model.layoutChanged.connect(self._fit_labels)  # the statement's spans read again (SpansModel.reset)
        self.model.rowsLeaving.connect(self._close_editor_in)
        self.model.rowsInserted.connect(self._inserted)
        self.table.viewport().installEventFilter(self)

    def _fit_labels(self) -> None:
        """Measure what the Label column shows: every label's name, beside each colleague's here."""
        model = self.model
        self._others = {span.annotator for span in model.spans} - {"", model.me}
        names = [label.name for label in model.labels.values()]
        samples = names + [f"{name} · {who}" for who in self._others for name in names]
        header = self.table.horizontalHeader()
        self._label_width = columns.fits(header, 0, *samples) + self.SWATCH_ROOM
        self._apply_label_width()

    def _inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        """A span by someone not named yet (a colleague's, accepted in review) widens the column for them."""
        model = self.model
        if any(model.spans[i].annotator not in ("", model.me, *self._others) for i in range(first, last + 1)):
            self._fit_labels()

    def _close_editor_in(self, rows: list[int]) -> None:
        """The span whose note is being typed is going (deleted by another process; another statement shown, once
        :meth:`commit_editing` saved the typing): its editor is closed now, while its row is still valid, the typing
        with it (there is no span here to save it on: a save opens the span's statement again), and the keyboard
        stays in the table. Released by the model's
        reset or relayout instead, the editor's hiding moved the table's current row to its first span, as a Tab
        does, and the statement selected that span: a label key or Delete then acted on it."""
        table = self.table
        if table.state() != QAbstractItemView.State.EditingState or table.currentIndex().row() not in rows:
            return
        for editor in table.viewport().findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if editor.isVisible():
                table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def commit_editing(self) -> None:
        """A note being typed is saved now, on its span: another statement is about to be shown (Ctrl+PgDown, a
        click in the Documents list keeps the keyboard in the note). Closed by the new statement's rows instead, the
        typing was lost (trial 14, F9's last case)."""
        table = self.table
        if table.state() != QAbstractItemView.State.EditingState:
            return
        for editor in table.viewport().findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if editor.isVisible():
                table.commitData(editor)
                table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def _apply_label_width(self) -> None:
        if self._label_width:
            most = int(self.table.viewport().width() * self.LABEL_SHARE)
            columns.fit_section(self.table.horizontalHeader(), 0, max(self.LABEL_LEAST, min(self._label_width, most)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self._apply_label_width()
        return False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        span_id = current.siblingAtColumn(0).data(Qt.ItemDataRole.UserRole)
        if span_id is not None:
            self.spanActivated.emit(int(span_id))

    def select_later(self, span_id: int | None) -> None:
        """:meth:`select` once the event loop is back (the last of the spans asked for meanwhile): a label key
        press selects its new span in the statement at once and in this table after the paint (moving the
        table's current row, which lays the table out, was a twentieth of the key press)."""
        if not self._later:
            QTimer.singleShot(0, self, self._select_now)
        self._later[:] = [span_id]

    def _select_now(self) -> None:
        if self._later:
            self.select(self._later.pop())

    def select(self, span_id: int | None) -> None:
        """Follow the selection made in the statement, without echoing it back."""
        self._later.clear()  # a later request is outdated by this one
        self._quiet = True
        try:
            row = self.model.row_of(span_id) if span_id is not None else -1
            selection = self.table.selectionModel()
            if row < 0:
                selection.clearSelection()
            elif selection.currentIndex().row() == row and selection.isRowSelected(row):
                return  # already there (the table chose it, or a cell of it is being edited)
            else:
                index = self.model.index(row, 0)
                selection.setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                )
                self.table.scrollTo(index)
        finally:
            self._quiet = False


def row_table(model: QAbstractItemModel, triggers: QAbstractItemView.EditTrigger) -> QTableView:
    """A table of one-line rows over ``model``, selected a whole row at a time."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(triggers)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    return table
