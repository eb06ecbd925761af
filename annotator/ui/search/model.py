"""The hits of a search as a table: statement, date, left context, hit, right context, labels -- the contexts
aligned on the hit (the left one right-aligned and elided on its left). Sortable by any column; filtered to every
hit, hits no span covers yet, or hits a label covers. Rows arrive in batches while the search runs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, MutableSequence
from operator import itemgetter
from typing import Any, overload

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from annotator.core.search.hits import Hit, shown
from annotator.store.search import keep
from annotator.ui.models import Table

Index = QModelIndex | QPersistentModelIndex
STATEMENT, DATE, LEFT, MATCH, RIGHT, LABELS = range(6)
_DOC_ID = itemgetter(Hit._fields.index("doc_id"))

_KEYS: dict[int, Callable[[Hit], Any]] = {
    STATEMENT: lambda h: (h.title.casefold(), h.doc_id, h.field, h.start),
    DATE: lambda h: (h.date, h.doc_id, h.field, h.start),
    LEFT: lambda h: (shown(h.left).casefold()[::-1], h.doc_id, h.start),  # read leftwards from the hit
    MATCH: lambda h: (h.match.casefold(), h.doc_id, h.start),
    RIGHT: lambda h: (shown(h.right).casefold(), h.doc_id, h.start),
    LABELS: lambda h: (sorted(h.labels), h.doc_id, h.start),
}


class HitList(MutableSequence[Hit]):
    """Hits kept as plain tuples, each a :class:`Hit` again when read. CPython's collector stops tracking a plain
    tuple of strings and numbers, but never a NamedTuple such as ``Hit``: 100 000 hits kept as ``Hit`` were walked by
    every full collection (measured: the window's full collection 3.2 s CPU with a search's 100 000 hits open, the
    event loop stalled 1.4 -> 6.6 s as they arrived, under load)."""

    __slots__ = ("_rows",)

    def __init__(self, hits: Iterable[Hit] = ()) -> None:
        self._rows: list[tuple[Any, ...]] = [tuple(h) for h in hits]

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> Hit: ...
    @overload
    def __getitem__(self, i: slice) -> list[Hit]: ...
    def __getitem__(self, i: int | slice) -> Hit | list[Hit]:
        if isinstance(i, slice):
            return [Hit._make(t) for t in self._rows[i]]
        return Hit._make(self._rows[i])

    def __setitem__(self, i: Any, hit: Any) -> None:
        if isinstance(i, slice):
            self._rows[i] = [tuple(h) for h in hit]
        else:
            self._rows[i] = tuple(hit)

    def __delitem__(self, i: int | slice) -> None:
        del self._rows[i]

    def insert(self, i: int, hit: Hit) -> None:
        self._rows.insert(i, tuple(hit))

    def extend(self, hits: Iterable[Hit]) -> None:
        self._rows.extend(tuple(h) for h in hits)

    def extend_rows(self, rows: list[tuple[Any, ...]]) -> None:
        """Hits already made plain tuples (``tuple(hit)``), added as they are."""
        self._rows.extend(rows)

    def __iter__(self) -> Iterator[Hit]:
        return map(Hit._make, self._rows)

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, list | HitList) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def sort(self, key: Callable[[Hit], Any], reverse: bool = False) -> None:
        self._rows.sort(key=lambda t: key(Hit._make(t)), reverse=reverse)


class HitsModel(Table):
    HEADERS = ("Statement", "Date", "Left", "Hit", "Right", "Labels")
    #: the roles answered (a repaint asks each visible cell for ~8: the others end at once, which counts while a
    #: search's thread holds the GIL between two calls)
    ROLES = frozenset(int(r) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole,
                                       Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole))

    def __init__(self) -> None:
        super().__init__()
        self.all = HitList()
        self.rows = HitList()
        self._docs: set[int] = set()  # the statements of ``rows``, kept as rows arrive (counted on every batch)
        self.labelled: str | None = None  # the filter: None every hit, "" not yet labelled, a key labelled with it
        self.label_names: dict[str, str] = {}
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    # ------------------------------------------------------------------ contents
    def clear(self) -> None:
        self.beginResetModel()
        self.all, self.rows = HitList(), HitList()
        self._docs = set()
        self.endResetModel()

    def append(self, found: Iterable[Hit]) -> None:
        self.append_rows([tuple(h) for h in found])

    def append_rows(self, found: list[tuple[Any, ...]]) -> None:
        """Hits that arrived, as plain tuples (a search's thread makes them: the GUI thread only extends its lists,
        in C, never walks a batch hit by hit unless a filter is on)."""
        self.all.extend_rows(found)
        shown_rows = found if self.labelled is None else [t for t in found if keep(Hit._make(t), self.labelled)]
        if not shown_rows:
            return
        self._docs.update(map(_DOC_ID, shown_rows))
        if self._sort is None:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(shown_rows) - 1)
            self.rows.extend_rows(shown_rows)
            self.endInsertRows()
        else:
            self.layoutAboutToBeChanged.emit()
            self.rows.extend_rows(shown_rows)
            self._order()
            self.layoutChanged.emit()

    def set_filter(self, labelled: str | None) -> None:
        self.labelled = labelled
        self.refilter()

    def refilter(self) -> None:
        """Apply the filter again (after the hits' labels changed)."""
        self.beginResetModel()
        self.rows = HitList(h for h in self.all if keep(h, self.labelled))
        self._docs = {h.doc_id for h in self.rows}
        if self._sort is not None:
            self._order()
        self.endResetModel()

    def statements(self) -> int:
        return len(self._docs)

    def _order(self) -> None:
        assert self._sort is not None
        column, order = self._sort
        self.rows.sort(key=_KEYS[column], reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column < 0:
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._order()
        self.layoutChanged.emit()

    # ------------------------------------------------------------------ Qt
    def _count(self) -> int:
        return len(self.rows)

    def _value(self, row: int, col: int, role: int) -> Any:
        hit = self.rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(hit, col)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignRight if col == LEFT else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and col == MATCH:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            where = "memo of " if hit.in_memo else ""
            return f"{where}{hit.title}\n…{shown(hit.left)}[{shown(hit.match)}]{shown(hit.right)}…"
        return None

    def _text(self, hit: Hit, col: int) -> str:
        if col == STATEMENT:
            return f"{hit.title} (memo)" if hit.in_memo else hit.title
        if col == DATE:
            return hit.date
        if col == LEFT:
            return shown(hit.left)
        if col == MATCH:
            return shown(hit.match)
        if col == RIGHT:
            return shown(hit.right)
        return ", ".join(sorted(self.label_names.get(k, k) for k in hit.labels))

    def hit(self, row: int) -> Hit:
        return self.rows[row]


class LeftElided(QStyledItemDelegate):
    """The left context keeps its end (next to the hit) and loses its start when the column is narrow."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft
