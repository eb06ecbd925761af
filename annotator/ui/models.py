"""Qt item models over core collections: the documents list (the open statement's spans: ``ui/spans_model.py``)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QGuiApplication

from annotator.core.model import STATUS_NAMES, DocumentSummary
from annotator.store.listing import DocumentList
from annotator.ui.palette import readable
from annotator.ui.text import plain_tooltip, to_qt

Index = QModelIndex | QPersistentModelIndex
#: rows of a sorted list looked for by a search of its ids before a dict of every row's place is made
_SCANS = 8
#: Qt's item roles as ints, as ``data()`` is asked for them (this module's models and ``ui/spans_model.py``)
DISPLAY, EDIT, DECORATION, TOOLTIP, FOREGROUND, ALIGN, USER = (int(r) for r in (
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
    ROLES = frozenset({DISPLAY, TOOLTIP, FOREGROUND, ALIGN, USER})

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
