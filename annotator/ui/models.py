"""Qt item models over core collections: the documents list and the spans of the open document."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication

from annotator.core.intervals import IntervalIndex
from annotator.core.model import STATUS_NAMES, DocumentSummary, Label, Span
from annotator.core.neutral import terminal_safe
from annotator.store.listing import DocumentList
from annotator.ui.palette import readable, swatch
from annotator.ui.reading import columns
from annotator.ui.text import from_qt, plain_tooltip, to_qt

Index = QModelIndex | QPersistentModelIndex
#: rows of a sorted list looked for by a search of its ids before a dict of every row's place is made
_SCANS = 8
_DISPLAY, _EDIT, _DECORATION, _TOOLTIP, _FOREGROUND, _ALIGN, _USER = (int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.UserRole))
STATUS_COLORS = {"todo": "#6b6b6b", "in_progress": "#b36b00", "done": "#1a7f37", "skipped": "#8250df"}


class Table(QAbstractTableModel):
    """A table of ``HEADERS`` columns over a list; subclasses give the list's length and each cell's value.

    Every string goes to Qt through :func:`to_qt` (a note or title starting with U+FEFF/U+FFFE reaches it
    intact), and an edited one comes back through :func:`from_qt`.
    """

    HEADERS: tuple[str, ...] = ()
    #: the roles :meth:`_value` answers (None: it is asked for every role): a view asks each cell for ten, and
    #: this is Python, so the others are turned away first (issue #14)
    ROLES: frozenset[int] | None = None

    def _count(self) -> int:
        """The number of rows (the base is an empty table)."""
        return 0

    def _value(self, row: int, col: int, role: int) -> Any:
        """The cell's value for ``role`` (None: nothing)."""
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        roles = self.ROLES
        if roles is not None and role not in roles:
            return None
        row = index.row()
        if not 0 <= row < self._count() or not index.isValid():
            return None
        return to_qt(self._value(row, index.column(), role))


class DocumentsModel(Table):
    """The documents list. Columns after the first three come from ``extra`` (the document variables,
    ``ui/properties``: each has ``header``, ``display(doc_id)`` and ``sort_key(doc_id)``); ``keep(doc_id)`` filters
    rows; clicking a header sorts by that column (``sort``), and the order holds when the rows are set again."""

    HEADERS = ("Title", "Status", "Spans")
    ROLES = frozenset({_DISPLAY, _TOOLTIP, _FOREGROUND, _ALIGN, _USER})

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[DocumentSummary] | DocumentList = []
        self._row_by_id: dict[int, int] = {}
        self._indexed: object = None  # the ids whose every row _row_by_id holds (a sorted DocumentList's)
        self._scans = 0  # searches of a sorted DocumentList's ids since it was set
        self.extra: list[Any] = []
        self.keep: Callable[[int], bool] | None = None
        #: whether ``keep`` filters now: with no filter chosen only the ids are read (100 000 statements)
        self.keeping: Callable[[], bool] = lambda: True
        self._order: tuple[int, Qt.SortOrder] | None = None
        #: every document's id in the order of a column of the first three (``store.listing.order``), or None when
        #: it is not known yet (read off the window's thread: :meth:`resort` when it is): set by the window
        self.ranking_for: Callable[[int], list[int] | None] = lambda column: None
        self._changed: set[int] = set()  # ids of rows changed by :meth:`update` whose views are not told yet

    def set_rows(self, rows: list[DocumentSummary] | DocumentList) -> None:
        """``rows`` may be a store ``DocumentList`` (100 000 statements): only its ids are read here, each row
        when the view shows it."""
        self.beginResetModel()
        # a filter by variables reads every row; the list in import order or sorted by a column reads only the ids
        self.rows = rows if self.keep is None or not self.keeping() else [r for r in rows if self.keep(r.id)]
        self._sort_rows()
        self._index_rows()
        self.endResetModel()

    def extend_to(self, rows: DocumentList) -> None:
        """The whole list of which the rows shown are the start (the Documents filter shows its first page, then the
        whole list read off the GUI thread): the rows after them are inserted, so the view keeps its place and
        selection. Rows sorted by a column or filtered by a variable, or a list that changed meanwhile: set anew."""
        shown = getattr(self.rows, "ids", None)
        count = len(self.rows)
        if shown is None or self._order is not None or rows.ids[:count] != shown:
            self.set_rows(rows)
        elif len(rows) == count:
            self.rows = rows
        else:
            self.beginInsertRows(QModelIndex(), count, len(rows) - 1)
            self.rows = rows
            self.endInsertRows()

    def _index_rows(self) -> None:
        """Make :meth:`row_of` a lookup: a bisect in a ``DocumentList``'s ids in id order (as the store lists), no
        dict of 100 000 entries (12 ms) per filter; for one sorted by a column, a search of its ids for the first
        few rows looked for (the selection, as the rows are sorted), then a dict; a dict for a plain list."""
        self._row_by_id, self._indexed, self._scans = {}, None, 0
        if isinstance(self.rows, DocumentList):
            return
        ids = self._ids()
        self._row_by_id = dict(zip(ids, range(len(ids)), strict=True))

    def _ids(self) -> Sequence[int]:
        ids = getattr(self.rows, "ids", None)
        return ids if ids is not None else [r.id for r in self.rows]

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS) + len(self.extra)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section >= 3:
            return self.extra[section - 3].header if section - 3 < len(self.extra) else None
        return super().headerData(section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column``; -1 (the header's third click clears its indicator) puts the rows back in import
        order."""
        self._order = (column, order) if column >= 0 else None
        self.resort()

    def sorted_by(self) -> int | None:
        """The column the rows are sorted by (None: import order)."""
        return None if self._order is None else self._order[0]

    def resort(self) -> None:
        """Put the rows in the chosen order again (the order of a column is known now), the selection with them."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()  # the selection follows its documents to their new rows
        ids = [self.rows[i.row()].id if 0 <= i.row() < len(self.rows) else None for i in persistent]
        self._sort_rows()
        self._index_rows()  # in import order (no column chosen) a DocumentList's ids: no row read
        # each document looked for once: a selected row is a persistent index per column (10 for one statement), and
        # in a sorted list of 100 000 each look is a search of its ids (1-2 ms)
        found = {d: self.row_of(d) for d in dict.fromkeys(ids) if d is not None}
        rows = [found[d] if d is not None else -1 for d in ids]
        self.changePersistentIndexList(persistent, [
            self.index(r, i.column()) if r >= 0 else QModelIndex() for i, r in zip(persistent, rows, strict=True)
        ])
        self.layoutChanged.emit()

    def _sort_rows(self) -> None:
        """Sort by the chosen column without reading a row: a ``DocumentList`` gets its ids in the column's order
        (the first three: :attr:`ranking_for`, read off the window's thread at 100 000 statements; a variable: its
        values, held in memory). Until a column's order is known the rows stay as listed."""
        if self._order is None:
            self._in_import_order()
            return
        if not 0 <= self._order[0] < self.columnCount():
            return
        column, order = self._order
        descending = order == Qt.SortOrder.DescendingOrder
        if column >= 3:
            key = self.extra[column - 3].sort_key
            if isinstance(self.rows, DocumentList):
                self.rows = self.rows.reordered(sorted(self.rows.ids, key=key, reverse=descending))
            else:
                self.rows = sorted(self.rows, key=lambda r: key(r.id), reverse=descending)
            return
        ranked = self.ranking_for(column)
        if ranked is None:
            return
        whole = getattr(ranked, "ascending", None)  # the ranking's ids in id order (a listing.Ranking)
        if descending:
            ranked = ranked[::-1]
        if isinstance(self.rows, DocumentList):
            mine = self.rows.ascending
            if whole is not None and whole == mine:  # the very ids listed: one comparison in C (2 ms at 100 000)
                self.rows = self.rows.reordered(list(ranked))
                return
            present = set(self.rows.ids)
            if len(present) == len(ranked) and present.issuperset(ranked):  # the whole list: no Python loop
                listed = list(ranked)
            else:
                listed = [i for i in ranked if i in present]
            if len(listed) < len(present):  # listed since the order was read (an import): last, until it is again
                listed += sorted(present.difference(listed))
            self.rows = self.rows.reordered(listed)
        else:
            rank = {doc_id: n for n, doc_id in enumerate(ranked)}
            self.rows = sorted(self.rows, key=lambda r: (rank.get(r.id, len(rank)), r.id))

    def _in_import_order(self) -> None:
        """The rows back in import order (ids ascending), as the store lists them, if a sort moved them."""
        if isinstance(self.rows, DocumentList):
            if not self.rows.in_id_order:
                self.rows = self.rows.in_import_order()
        elif any(a.id > b.id for a, b in zip(self.rows, self.rows[1:], strict=False)):
            self.rows = sorted(self.rows, key=lambda r: r.id)

    def _count(self) -> int:
        return len(self.rows)

    def _value(self, r: int, col: int, role: int) -> Any:
        row = self.rows[r]
        if col >= 3:
            return self.extra[col - 3].display(row.id) if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.title, STATUS_NAMES.get(row.status, row.status), row.span_count)[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return plain_tooltip(row.title)
        if role == Qt.ItemDataRole.ForegroundRole and col == 1:  # on a dark palette, lightened to read on it
            return _status_brush(row.status)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def row_of(self, doc_id: int) -> int:
        """Row of ``doc_id``: a bisect in a ``DocumentList``'s ids in id order, else a dict lookup, checked, the dict
        made again when it misses."""
        if isinstance(self.rows, DocumentList):
            ids = self.rows.ids
            if self.rows.in_id_order:  # not as an earlier sort left them while another column's order is read
                i = bisect_left(ids, doc_id)
                return i if i < len(ids) and ids[i] == doc_id else -1
            if self._indexed is ids:
                return self._row_by_id.get(doc_id, -1)
            i = self._row_by_id.get(doc_id, -1)
            if 0 <= i < len(ids) and ids[i] == doc_id:
                return i
            self._scans += 1
            if self._scans > _SCANS:  # a screen of rows looked for: every row's place at once (12 ms at 100 000)
                self._row_by_id, self._indexed = dict(zip(ids, range(len(ids)), strict=True)), ids
                return self._row_by_id.get(doc_id, -1)
            try:  # the selection after a sort: a search of the ids (1.6 ms at the far end of 100 000)
                i = self._row_by_id[doc_id] = ids.index(doc_id)
            except ValueError:
                return -1
            return i
        i = self._row_by_id.get(doc_id, -1)
        if 0 <= i < len(self.rows) and self.rows[i].id == doc_id:
            return i
        ids = self._ids()
        self._row_by_id = dict(zip(ids, range(len(ids)), strict=True))
        return self._row_by_id.get(doc_id, -1)

    def block_of(self, doc_id: int, size: int = 64) -> Sequence[int]:
        """The ids of the ``size`` rows around ``doc_id``'s (a block of the list holding its row; just ``doc_id``
        when it is not listed): a screen's variable columns are read a block at a time, not a row at a time."""
        i = self.row_of(doc_id)
        if i < 0:
            return (doc_id,)
        start = i - i % size
        return self._ids()[start:start + size]

    def update(self, doc_id: int, **changes: Any) -> None:
        """Change one row in place (status, span count) without resetting the view.

        The row changes now (anything reading the model sees it); the views are told on the next turn of the
        event loop, once for all the rows changed meanwhile, so a label key press never paints the list: the
        statement is painted first (issue #14), the list's row right after it."""
        i = self.row_of(doc_id)
        if i < 0:
            return
        row = self.rows[i]
        if all(getattr(row, k) == v for k, v in changes.items()):
            return
        self.rows[i] = replace(row, **changes)
        if not self._changed:
            QTimer.singleShot(0, self, self._announce)
        self._changed.add(doc_id)

    def _announce(self) -> None:
        changed, self._changed = self._changed, set()
        last = self.columnCount() - 1
        for doc_id in changed:
            i = self.row_of(doc_id)
            if i >= 0:
                self.dataChanged.emit(self.index(i, 0), self.index(i, last))


class SpansModel(Table):
    """The spans of the open document, read straight from the session's index (DESIGN.md §4: the session keeps
    the one sorted list; this model keeps no copy of it); the note column is editable in place.

    The session changes its index first and then says what changed; :meth:`inserted`, :meth:`removed` and
    :meth:`changed` turn that into row signals. Until they do, the model reports the rows its views were last
    told of (``_rows``): Qt's model contract lets the row count change only between the begin and end signals.
    """

    HEADERS = ("Label", "Phrase", "Note")
    ROLES = frozenset({_DISPLAY, _EDIT, _DECORATION, _TOOLTIP, _USER})
    noteEdited = Signal(object, str)  # span, new note
    #: rows the views hold (their current row, an open editor's) whose spans the statement read again lacks, told
    #: before they go: an editor open on one is closed while its row is valid (released later, its hiding moved
    #: the table's current row to its first span, as a Tab key would)
    rowsLeaving = Signal(list)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.spans = IntervalIndex()
        self._rows = 0
        self._shown: Callable[[int], Span] | None = None  # while a row signal runs: what each row showed/shows
        self.text = ""
        self.labels: dict[str, Label] = {}
        #: the analyst: a span of anyone else names them beside its label ("Threat · bob")
        self.me = ""

    def reset(self, text: str, spans: IntervalIndex, labels: list[Label], me: str = "") -> None:
        """Show ``spans``, the session's index itself (not a copy): later changes to it come through the
        session's signals to :meth:`inserted`, :meth:`removed` and :meth:`changed`.

        The same statement read again (its spans changed by another process, a review, a rename of the analyst):
        the rows are laid out anew with every row the views hold (the selected one, the one whose note is being
        typed) kept on its span, by id, wherever it now is; one whose span is gone is held no more. A model reset
        closed the note's editor with the typing lost and left the selection on the row's index, on another span,
        which a label key or Delete then acted on (trial 14, F9)."""
        def show() -> None:
            self.me = me
            self.text = text
            self.spans = spans
            self._rows = len(spans)
            self.labels = {lb.key: lb for lb in labels}

        # the rows the views know, still as they were (the session reads a statement again into a new index)
        if text == self.text and spans is not self.spans and self._rows == len(self.spans):
            self._relayout(spans, show)
            return
        self._all_leaving()  # (another statement: its note's edit ends, unsaved, before the table resets)
        self.beginResetModel()
        show()
        self.endResetModel()

    def _all_leaving(self) -> None:
        """Every row the views hold is about to go (:attr:`rowsLeaving`)."""
        held = sorted({i.row() for i in self.persistentIndexList()})
        if held:
            self.rowsLeaving.emit(held)

    def _relayout(self, spans: IntervalIndex, show: Callable[[], None]) -> None:
        """``show()`` shows ``spans``; each row the views hold follows its span (by id) to its new row, or is
        dropped with it (a selection never lands on another span, an editor is never moved to one). Rows held
        whose spans go are named first (:attr:`rowsLeaving`), while they are still valid."""
        old = self.spans
        leaving = sorted({i.row() for i in self.persistentIndexList()
                          if 0 <= i.row() < self._rows and old[i.row()].id not in spans})
        if leaving:
            self.rowsLeaving.emit(leaving)
        self.layoutAboutToBeChanged.emit()
        held = self.persistentIndexList()  # asked after the signal: the views hold their selection by then
        ids = [old[i.row()].id if 0 <= i.row() < self._rows else None for i in held]
        show()
        rows = {span_id: self.row_of(span_id) for span_id in dict.fromkeys(ids) if span_id is not None}
        self.changePersistentIndexList(held, [
            self.index(rows[span_id], i.column()) if span_id is not None and rows[span_id] >= 0 else QModelIndex()
            for i, span_id in zip(held, ids, strict=True)
        ])
        self.layoutChanged.emit()

    def _count(self) -> int:
        return self._rows

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == 2:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _span(self, row: int) -> Span | None:
        """The span shown in ``row``: during a row signal, the rows as the views know them (before or after the
        change the signal announces); otherwise the index's."""
        try:
            return self._shown(row) if self._shown is not None else self.spans[row]
        except IndexError:  # asked between the index's change and the session's signal
            return None

    def _value(self, row: int, col: int, role: int) -> Any:
        span = self._span(row)
        if span is None:
            return None
        label = self.labels.get(span.label)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == 0:  # whose, where it is not the analyst's: two colleagues' equal spans were two equal rows
                return self._label_text(label, span)
            if col == 1:  # on one line; the view elides it in the middle, the tooltip shows it whole
                return columns.clip(self.text, columns.CELL_CHARS, span.start, span.end)
            if role == Qt.ItemDataRole.DisplayRole and "\n" in span.note:  # one row: its lines shown joined
                return " ⏎ ".join(span.note.splitlines())
            return span.note
        if role == Qt.ItemDataRole.DecorationRole and col == 0 and label:
            return swatch(label.color, 14)
        if role == Qt.ItemDataRole.ToolTipRole:  # escaped: nothing from a document is interpreted as rich text
            if col == 1:
                return plain_tooltip(columns.clip(self.text, columns.TIP_CHARS, span.start, span.end))
            if col == 0:
                return plain_tooltip(self._label_text(label, span, ", by "))
            return plain_tooltip(span.note) if span.note else None
        if role == Qt.ItemDataRole.UserRole:
            return span.id
        return None

    def _label_text(self, label: Label | None, span: Span, by: str = " · ") -> str:
        name = terminal_safe(label.name if label else span.label)  # a colleague's, accepted: from a file
        return name if span.annotator in ("", self.me) else f"{name}{by}{terminal_safe(span.annotator)}"

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != 2 or not index.isValid():
            return False
        span = self._span(index.row())
        if span is None:
            return False
        note = from_qt(str(value))
        if note != span.note:
            self.noteEdited.emit(span, note)
        return False  # the session's change signal updates the row once the store has saved it

    def row_of(self, span_id: int) -> int:
        """Row of span ``span_id`` (-1 if it is not shown): the index's bisect, not a scan."""
        return self.spans.index_of(span_id) if span_id in self.spans else -1

    def inserted(self, span: Span) -> None:
        """``span`` was added to the index: one new row where it now is."""
        if len(self.spans) != self._rows + 1 or span.id not in self.spans:
            self._resync()
            return
        i = self.spans.index_of(span.id)
        self._shown = self._without(i)
        self.beginInsertRows(QModelIndex(), i, i)
        self._rows += 1
        self._shown = None
        self.endInsertRows()

    def removed(self, span: Span) -> None:
        """``span`` was taken out of the index: its row (where its key would go now) goes."""
        if len(self.spans) != self._rows - 1 or span.id in self.spans:
            self._resync()
            return
        i = self.spans.rank(span)
        self._shown = _put(self.spans.__getitem__, i, span)
        self.beginRemoveRows(QModelIndex(), i, i)
        self._rows -= 1
        self._shown = None
        self.endRemoveRows()

    def changed(self, before: Span, after: Span) -> None:
        """``before`` was replaced by ``after`` in the index: one changed row when its place stays the same,
        otherwise the row moves (removed where it was, inserted where it is now)."""
        if len(self.spans) != self._rows or after.id not in self.spans:
            self._resync()
            return
        new = self.spans.index_of(after.id)
        old = self.spans.rank(before) - (1 if _key(after) < _key(before) else 0)
        if old == new:
            self.dataChanged.emit(self.index(new, 0), self.index(new, self.columnCount() - 1))
            return
        between = self._without(new)  # neither span: the rows after the removal, before the insertion
        self._shown = _put(between, old, before)
        self.beginRemoveRows(QModelIndex(), old, old)
        self._rows -= 1
        self._shown = between
        self.endRemoveRows()
        self.beginInsertRows(QModelIndex(), new, new)
        self._rows += 1
        self._shown = None
        self.endInsertRows()

    def _without(self, i: int) -> Callable[[int], Span]:
        """The index's rows with row ``i`` left out."""
        spans = self.spans
        return lambda r: spans[r if r < i else r + 1]

    def _resync(self) -> None:
        """The index changed in a way no single row signal says (a span replaced under its id): show it anew.
        The rows the views hold are not known to be their spans any more: an editor open is closed unsaved."""
        self._all_leaving()
        self.beginResetModel()
        self._rows = len(self.spans)
        self.endResetModel()


_BRUSHES: dict[tuple[str, int], QBrush] = {}


def _status_brush(status: str) -> QBrush:
    """The status column's colour on the application's palette (made once per status and palette)."""
    palette = QGuiApplication.palette()
    key = (status, palette.cacheKey())
    brush = _BRUSHES.get(key)
    if brush is None:
        if len(_BRUSHES) > 64:
            _BRUSHES.clear()
        brush = _BRUSHES[key] = QBrush(readable(QColor(STATUS_COLORS.get(status, "#000000")), palette))
    return brush


def _put(rows: Callable[[int], Span], i: int, span: Span) -> Callable[[int], Span]:
    """``rows`` with ``span`` put in at row ``i``."""
    return lambda r: rows(r) if r < i else span if r == i else rows(r - 1)


def _key(span: Span) -> tuple[int, int, str, int]:
    return (span.start, span.end, span.label, span.id)
