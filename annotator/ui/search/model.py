"""The hits of a search as a table: statement, date, left context, hit, right context, labels -- the contexts
aligned on the hit (the left one right-aligned and elided on its left). Sortable by any column; filtered to every
hit, hits no span covers yet, or hits a label covers. Rows arrive in batches while the search runs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, MutableSequence
from operator import itemgetter
from typing import Any, overload

from PySide6.QtCore import QModelIndex, QModelRoleData, QModelRoleDataSpan, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics

from annotator import pacing
from annotator.core.search.hits import MEMO, Hit, in_texts, kept, row_key, shown
from annotator.ui.models import Table
from annotator.ui.text import to_qt

Index = QModelIndex | QPersistentModelIndex
STATEMENT, DATE, LEFT, MATCH, RIGHT, LABELS = range(6)
_DOC_ID = itemgetter(Hit._fields.index("doc_id"))
# where a hit's fields are in its plain tuple, and the roles and alignments as numbers (looked up once: an enum's
# member read through PySide costs microseconds, and a repaint reads them for every cell)
_TITLE, _DATE, _LEFT, _MATCH, _RIGHT, _FIELD, _LABELS = (Hit._fields.index(f) for f in (
    "title", "date", "left", "match", "right", "field", "labels"))
_DISPLAY, _ALIGN, _FONT, _TOOLTIP = (int(r.value) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.ToolTipRole))
_RIGHT_ALIGNED = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_LEFT_ALIGNED = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)
_ELIDE_LEFT, _ELIDE_MIDDLE = Qt.TextElideMode.ElideLeft, Qt.TextElideMode.ElideMiddle
#: rows whose painted texts are kept (a screenful is a few dozen; more are dropped at once)
PAINTED_KEPT = 1024
#: hits freed per turn of the event loop once a new search has replaced them (about a millisecond; the slice paced
#: threads free large containers by, ``pacing.drop``): freeing a search's 100 000 hits at once took the window's
#: thread 20 ms as the next search started, while the user typed
DROP_SLICE = pacing.DROP_SLICE

_KEYS: dict[int, Callable[[Hit], Any]] = {
    STATEMENT: lambda h: (h.title.casefold(), h.doc_id, h.field, h.start),
    DATE: lambda h: (h.date, h.doc_id, h.field, h.start),
    LEFT: lambda h: (shown(h.left).casefold()[::-1], h.doc_id, h.start),  # read leftwards from the hit
    MATCH: lambda h: (h.match.casefold(), h.doc_id, h.start),
    RIGHT: lambda h: (shown(h.right).casefold(), h.doc_id, h.start),
    LABELS: lambda h: (sorted(h.labels), h.doc_id, h.start),
}


def kept_rows(rows: list[tuple[Any, ...]], labelled: str | None) -> list[tuple[Any, ...]]:
    """The hits the results filter keeps (``core.search.hits.kept``), read from their plain tuples: making 100 000
    :class:`Hit` to ask took a third of a second of the window's thread after a label key over them."""
    if labelled is None:
        return list(rows)
    return [t for t in rows if kept(t[_LABELS], t[_FIELD], labelled)]


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

    def keys(self, rows: Iterable[int] | None = None) -> list[tuple[int, str, int, int]]:
        """The keys (``Hit.key``) of these hits (by default every one), read from the plain tuples: making 100 000
        :class:`Hit` to ask took 0.5 s of the window's thread after a label key over them."""
        if rows is None:
            return list(map(row_key, self._rows))
        return [row_key(self._rows[i]) for i in rows]

    def kept(self, labelled: str | None) -> HitList:
        """The hits the results filter keeps, as a new list."""
        out = HitList()
        out._rows = kept_rows(self._rows, labelled)
        return out

    def doc_ids(self) -> set[int]:
        """The statements of these hits, read from the plain tuples (making 100 000 :class:`Hit` to ask took 0.1 s
        of the window's thread after a label key over them)."""
        return set(map(_DOC_ID, self._rows))

    def rows_in(self, runs: Iterable[tuple[int, int]]) -> list[tuple[Any, ...]]:
        """The hits in these runs of places ``(first, last + 1)`` as plain tuples, a slice each (making 100 000
        :class:`Hit` took 0.15 s of the window's thread as a label key over them began; picking 100 000 rows one by
        one, 12 ms)."""
        rows = self._rows
        out: list[tuple[Any, ...]] = []
        for first, stop in runs:
            out += rows[first:stop]
        return out

    def snapshot(self) -> list[tuple[Any, ...]]:
        """The hits as plain tuples, as they are now (a list of its own: a thread may read it). Hits are only ever
        added at the end (a new search starts a new list), so each keeps its place."""
        return list(self._rows)

    def relabel(self, fresh: list[tuple[Any, ...]], doc_ids: set[int],
                read: Callable[[list[tuple[Any, ...]]], list[tuple[Any, ...]]]) -> None:
        """The hits of an earlier :meth:`snapshot` of this list, their labels read again (``fresh``: in a step's
        thread), and those that arrived since in the texts of these statements with theirs from ``read`` (plain
        tuples in, plain tuples with their labels out)."""
        rows = self._rows
        rows[: len(fresh)] = fresh
        late = in_texts(rows, doc_ids, len(fresh))
        for i, row in zip(late, read([rows[i] for i in late]), strict=True):
            rows[i] = row

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, list | HitList) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def sort(self, key: Callable[[Hit], Any], reverse: bool = False) -> None:
        self._rows.sort(key=lambda t: key(Hit._make(t)), reverse=reverse)


class HitsModel(Table):
    HEADERS = ("Statement", "Date", "Left", "Hit", "Right", "Labels")
    #: the roles answered (a repaint asks each visible cell for seven: the others end at once)
    ROLES = frozenset((_DISPLAY, _ALIGN, _FONT, _TOOLTIP))

    def __init__(self) -> None:
        super().__init__()
        self.all = HitList()
        self.rows = HitList()
        self._docs: set[int] = set()  # the statements of ``rows``, kept as rows arrive (counted on every batch)
        self.labelled: str | None = None  # the filter: None every hit, "" not yet labelled, a key labelled with it
        self._label_names: dict[str, str] = {}
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        #: each painted row's six texts, as painted (see :meth:`multiData`), by row; dropped when the rows change
        self._painted: dict[int, tuple[str, ...]] = {}
        #: the font and width (pixels) the left context is elided at on its left, or None: not elided here
        self._left_fit: tuple[QFontMetrics, int] | None = None
        #: the font and width (pixels) the hit is elided at in its middle, or None: not elided here
        self._match_fit: tuple[QFontMetrics, int] | None = None
        #: hits cleared away, freed :data:`DROP_SLICE` at a time by ``_drop_timer``
        self._dropping: list[list[tuple[Any, ...]]] = []
        self._drop_timer = QTimer(self)
        self._drop_timer.setInterval(0)
        self._drop_timer.timeout.connect(self._drop_some)

    @property
    def label_names(self) -> dict[str, str]:
        return self._label_names

    @label_names.setter
    def label_names(self, names: dict[str, str]) -> None:
        self._label_names = names
        self._painted.clear()

    def fit_left(self, metrics: QFontMetrics, width: int) -> None:
        """Paint the left context elided on its left (the end next to the hit kept) to ``width`` pixels of
        ``metrics``'s font: done here once a row, not by a Python delegate at every paint of every cell (1.4 ms of a
        6.8 ms repaint of the hits, measured; the first paint of a search's hits is the window's longest step while
        it runs)."""
        self._left_fit = (metrics, width)
        self._painted.clear()

    def fit_match(self, metrics: QFontMetrics, width: int) -> None:
        """Paint the hit elided in its middle to ``width`` pixels of ``metrics``'s (bold) font (its start and end
        show; the view would cut its end): once a row, as :meth:`fit_left`."""
        self._match_fit = (metrics, width)
        self._painted.clear()

    # ------------------------------------------------------------------ contents
    def clear(self) -> None:
        self.beginResetModel()
        old = self.all._rows  # every hit (``rows`` holds some of the same tuples: it lets go of them at once)
        self.all, self.rows = HitList(), HitList()
        self._docs = set()
        self._painted.clear()
        self.endResetModel()
        if len(old) > DROP_SLICE:
            self._dropping.append(old)
            self._drop_timer.start()

    def replace(self, found: list[tuple[Any, ...]]) -> None:
        """Every hit at once (plain tuples): the same search read again after the project changed
        (``follow.py``), filtered and sorted as the hits before; those before are freed a slice at a time."""
        self.beginResetModel()
        old = self.all._rows
        self.all = HitList()
        self.all.extend_rows(found)
        self.rows = self.all.kept(self.labelled)
        self._docs = self.rows.doc_ids()
        self._painted.clear()
        if self._sort is not None:
            self._order()
        self.endResetModel()
        if len(old) > DROP_SLICE:
            self._dropping.append(old)
            self._drop_timer.start()

    def _drop_some(self) -> None:
        """Free up to :data:`DROP_SLICE` of the hits cleared away, the last first."""
        budget = DROP_SLICE
        while self._dropping and budget:
            old = self._dropping[-1]
            n = min(budget, len(old))
            del old[len(old) - n :]
            budget -= n
            if not old:
                self._dropping.pop()
        if not self._dropping:
            self._drop_timer.stop()

    def append(self, found: Iterable[Hit]) -> None:
        self.append_rows([tuple(h) for h in found])

    def append_rows(self, found: list[tuple[Any, ...]]) -> None:
        """Hits that arrived, as plain tuples (a search's thread makes them: the GUI thread only extends its lists,
        in C, never walks a batch hit by hit unless a filter is on)."""
        self.all.extend_rows(found)
        shown_rows = found if self.labelled is None else kept_rows(found, self.labelled)
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

    def keeps_places(self) -> bool:
        """Whether :meth:`refilter` after the hits' labels changed leaves every hit in its row: all are shown, and
        not sorted by their labels."""
        return self.labelled is None and (self._sort is None or self._sort[0] != LABELS)

    def refilter(self) -> None:
        """Apply the filter again (after the hits' labels changed)."""
        self.beginResetModel()
        self._painted.clear()
        self.rows = self.all.kept(self.labelled)
        self._docs = self.rows.doc_ids()
        if self._sort is not None:
            self._order()
        self.endResetModel()

    def statements(self) -> int:
        return len(self._docs)

    def _order(self) -> None:
        assert self._sort is not None
        column, order = self._sort
        self._painted.clear()
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

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if role not in self.ROLES:
            return None
        row, rows = index.row(), self.rows._rows
        if not 0 <= row < len(rows) or not index.isValid():
            return None
        return self._cell(rows[row], index.column(), role)

    def multiData(self, index: Index, roles: QModelRoleDataSpan | QModelRoleData) -> None:
        """Every role a view asks of one cell in one call (Qt 6's item delegate asks seven at once): one entry into
        Python, so one wait for the GIL while a search runs, not one a role. What :meth:`data` answers, but the
        texts of a row are made once and kept (a repaint asks for them all again), and the left context is elided
        to its column (:meth:`fit_left`)."""
        row, rows = index.row(), self.rows._rows
        each: Iterable[QModelRoleData] = (roles,) if isinstance(roles, QModelRoleData) else roles  # type: ignore[assignment]
        if not (index.isValid() and 0 <= row < len(rows)):
            for asked in each:
                asked.clearData()
            return
        texts = self._painted.get(row)
        if texts is None:
            texts = self._painted_texts(rows[row])
            if len(self._painted) >= PAINTED_KEPT:
                self._painted.clear()
            self._painted[row] = texts
        col = index.column()
        for asked in each:
            role = asked.role()
            if role == _DISPLAY:
                asked.setData(texts[col])
            elif role == _ALIGN:
                asked.setData(_RIGHT_ALIGNED if col == LEFT else _LEFT_ALIGNED)
            elif role == _FONT and col == MATCH:
                asked.setData(self._bold)
            elif role == _TOOLTIP:
                asked.setData(self._cell(rows[row], col, role))
            else:
                asked.clearData()

    def _painted_texts(self, hit: tuple[Any, ...]) -> tuple[str, ...]:
        texts = [to_qt(self._text(hit, col)) for col in range(len(self.HEADERS))]
        if self._left_fit is not None:
            metrics, width = self._left_fit
            texts[LEFT] = metrics.elidedText(texts[LEFT], _ELIDE_LEFT, width)
        if self._match_fit is not None:
            metrics, width = self._match_fit
            texts[MATCH] = metrics.elidedText(texts[MATCH], _ELIDE_MIDDLE, width)
        return tuple(texts)

    def _cell(self, hit: tuple[Any, ...], col: int, role: int) -> Any:
        """A cell of ``hit`` (a plain tuple, as kept) for one of :attr:`ROLES`."""
        if role == _DISPLAY:
            return to_qt(self._text(hit, col))
        if role == _ALIGN:
            return _RIGHT_ALIGNED if col == LEFT else _LEFT_ALIGNED
        if role == _FONT:
            return self._bold if col == MATCH else None
        where = "memo of " if hit[_FIELD] == MEMO else ""
        return to_qt(f"{where}{hit[_TITLE]}\n…{shown(hit[_LEFT])}[{shown(hit[_MATCH])}]{shown(hit[_RIGHT])}…")

    def _text(self, hit: tuple[Any, ...], col: int) -> str:
        if col == STATEMENT:
            return f"{hit[_TITLE]} (memo)" if hit[_FIELD] == MEMO else hit[_TITLE]
        if col == DATE:
            return hit[_DATE]  # type: ignore[no-any-return]
        if col == LEFT:
            return shown(hit[_LEFT])
        if col == MATCH:
            return shown(hit[_MATCH])
        if col == RIGHT:
            return shown(hit[_RIGHT])
        return ", ".join(sorted(self.label_names.get(k, k) for k in hit[_LABELS]))

    def hit(self, row: int) -> Hit:
        return self.rows[row]
