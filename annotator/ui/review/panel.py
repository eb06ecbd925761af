"""The Review dock's widgets: colleague selector, legend, the combined statement and the disagreements table.

The combined statement is a second, read-only :class:`~annotator.ui.statement.view.StatementView` fed with pseudo spans:
one per painting layer of :func:`annotator.core.review.layers`, labelled with the four review categories, whose
pseudo labels carry the legend colours. So the view paints "mine / theirs / agreed / conflicting" with no change
of its own, and its tooltip names the category, whose span it is and its real label. A disagreement I rejected
(kept mine) is settled: listed in the table, no longer painted nor counted as an open one. The colours are chosen
apart from every label colour in use, so a category is never taken for a label (the default codebook's "Call to
action" is the green "agreed" once was).

Everything taken from files (phrases, names, notes) is shown as plain text.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core import review as core
from annotator.core.codebook import DEFAULT_LABELS
from annotator.core.model import Label, Span
from annotator.core.neutral import terminal_safe
from annotator.store.review import ACCEPT, Decision, DocumentReview
from annotator.ui.palette import distinct_colours
from annotator.ui.reading import columns
from annotator.ui.statement.view import BAND_ALPHA, StatementView
from annotator.ui.text import plain

KIND_TEXT = {core.MINE_ONLY: "Mine only", core.THEIRS_ONLY: "Theirs only", core.CONFLICT: "Conflict"}
#: the label column takes at most this share of the table's width, and at least MIN_FITTED px
FITTED_SHARE, MIN_FITTED = 0.2, 80
DIFFERENCE_TEXT = {"boundary": "Conflict: boundary", "label": "Conflict: label",
                   "label+boundary": "Conflict: label + boundary"}
OPEN, ACCEPTED, REJECTED = "open", "accepted", "rejected"
LEGEND_TIPS = {
    core.MINE_ONLY: "My spans the colleague does not have, not settled yet",
    core.THEIRS_ONLY: "The colleague's spans I do not have, not settled yet",
    core.AGREED: "Spans we both have, same start, end and label (as theirs become once accepted)",
    core.CONFLICT: "My span and the colleague's overlap but differ in label or boundary, not settled yet",
}
#: each category's colours, in order of preference (Okabe–Ito's and Paul Tol's, told apart with the common
#: colour-vision deficiencies): the first far enough from every label colour in use and from the other categories'
#: is taken (``palette.distinct_colours``). With the codebook's first eight colours: a neutral grey for agreed (no
#: label's hue: the default "Call to action" is the green it once was), reddish purple or crimson, indigo, olive
PREFERRED: dict[str, tuple[str, ...]] = {
    core.AGREED: ("#6e6e6e", "#88ccee", "#009e73", "#44aa99"),
    core.CONFLICT: ("#cc3d8f", "#c91d48", "#aa3377", "#ee6677", "#882255"),
    core.MINE_ONLY: ("#332288", "#0072b2", "#4477aa", "#56b4e9"),
    core.THEIRS_ONLY: ("#999933", "#e69f00", "#997700", "#ddaa33"),
}
COLUMNS = ("Kind", "Label", "Mine", "Theirs", "Status")
PHRASE_MAX = 70


def review_colors(label_colors: Iterable[str] = ()) -> dict[str, str]:
    """Each category's colour beside labels of these colours, in legend order."""
    chosen = distinct_colours(PREFERRED, label_colors)
    return {cat: chosen[cat] for cat in core.CATEGORIES}


#: the colours with the default codebook
COLORS = review_colors(lb.color for lb in DEFAULT_LABELS)


def review_labels(colors: dict[str, str] = COLORS) -> list[Label]:
    """The pseudo codebook of the combined view: one label per category, in the legend's colours."""
    return [Label(cat, name, "", colors[cat]) for cat, name in core.CATEGORIES.items()]


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the disagreements table: an open or rejected item, or an accepted decision still in effect."""

    key: str
    kind: str  # conflict | mine_only | theirs_only
    difference: str
    mine: tuple[int, int, str] | None
    theirs: tuple[int, int, str] | None
    status: str  # open | accepted | rejected
    item: core.Item | None = None  # the live item (None for an accepted row: it is no longer a disagreement)

    @property
    def start(self) -> int:
        return min(t[0] for t in (self.mine, self.theirs) if t is not None)

    @property
    def end(self) -> int:
        return max(t[1] for t in (self.mine, self.theirs) if t is not None)


def _triples(key: str) -> tuple[Any, Any]:
    """(mine, theirs) triples from an item key (``[mine, theirs]`` JSON, maybe ``#n`` for a repeated pair)."""
    try:
        value = json.loads(key)
    except ValueError:
        value = json.loads(key.rsplit("#", 1)[0])
    return tuple(value[0]) if value[0] else None, tuple(value[1]) if value[1] else None


def build_rows(review: DocumentReview, decided: list[Decision], my_spans: list[Span]) -> list[Row]:
    """The table of one statement against one colleague, in text order: every disagreement still there (open or
    rejected), and every accept of theirs still in effect (their span still in mine, or my dropped span still
    gone) — an accept turns its item into an agreed one, and the list should still show it was settled."""
    origin = review.colleague.origin
    mine_now = Counter(core.triple(s) for s in my_spans)
    rows = [Row(i.key, i.kind, i.difference, core.triple(i.mine), core.triple(i.theirs),
                REJECTED if i.key in review.rejected else OPEN, i) for i in review.items if i.is_disagreement]
    seen = {r.key for r in rows}
    for d in decided:
        if d.decision != ACCEPT or d.origin != origin or d.item_key in seen:
            continue
        m, t = _triples(d.item_key)
        if (t is not None and t in mine_now) or (t is None and m not in mine_now):
            kind = core.CONFLICT if m and t else core.MINE_ONLY if m else core.THEIRS_ONLY
            differs = (("label", m and t and m[2] != t[2]), ("boundary", m and t and m[:2] != t[:2]))
            diff = "+".join(part for part, yes in differs if yes)
            rows.append(Row(d.item_key, kind, diff, m, t, ACCEPTED))
    return sorted(rows, key=lambda r: (r.start, r.end))


def phrase(text: str, triple: tuple[int, int, str] | None) -> str:
    """A span's text on one line, a long one kept to its start and its end (where two phrases of a boundary
    conflict differ)."""
    return "—" if triple is None else columns.clip(text, PHRASE_MAX, triple[0], triple[1])


def plain_tooltip(text: str) -> str:
    """A tooltip Qt shows literally: the text escaped inside a rich-text wrapper we control."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


def chip(color: str, size: int = 16) -> QPixmap:
    """What a category looks like in the view: a light band with a strong underline."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor("white"))
    painter = QPainter(pixmap)
    band = QColor(color)
    band.setAlpha(BAND_ALPHA * 2)
    painter.fillRect(0, 0, size, size, band)
    painter.fillRect(0, size - 4, size, 4, QColor(color))
    painter.setPen(QColor(color).darker(150))
    painter.drawRect(0, 0, size - 1, size - 1)
    painter.end()
    return pixmap


class Legend(QWidget):
    """The key of the combined view: a colour chip per category, its name and how many items of this statement
    the view paints in that colour (a rejected one is settled: listed, no longer painted nor counted)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.names: dict[str, QLabel] = {}
        self.chips: dict[str, QLabel] = {}
        self.colors: dict[str, str] = {}
        for cat, name in core.CATEGORIES.items():
            swatch = QLabel()
            swatch.setObjectName(f"chip_{cat}")
            text = plain(QLabel(name))
            text.setObjectName(f"legend_{cat}")
            for widget in (swatch, text):
                widget.setToolTip(LEGEND_TIPS[cat])
            layout.addWidget(swatch)
            layout.addWidget(text)
            layout.addSpacing(10)
            self.names[cat], self.chips[cat] = text, swatch
        layout.addStretch(1)
        self.set_colors(COLORS)

    def set_colors(self, colors: dict[str, str]) -> None:
        if colors != self.colors:
            self.colors = dict(colors)
            for cat, swatch in self.chips.items():
                swatch.setPixmap(chip(colors[cat]))

    def set_counts(self, counts: dict[str, int] | None) -> None:
        for cat, name in core.CATEGORIES.items():
            n = (counts or {}).get(cat)
            self.names[cat].setText(name if n is None else f"{name} ({n})")


class ReviewPanel(QWidget):
    """The dock's contents. Emits ``rowSelected(key)`` when the user picks a disagreement (table or view)."""

    rowSelected = Signal(str)
    colleagueChosen = Signal(int)
    cancelComparing = Signal()

    def __init__(self, buttons: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colleague = QComboBox()
        self.colleague.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.colleague.setObjectName("review_colleague")
        # a keyboard path to it (J and K walk the chosen colleague only): Alt+O, or Review ▸ Next Colleague
        self.colleague_label = plain(QLabel("C&olleague:"))
        self.colleague_label.setBuddy(self.colleague)
        self.colleague.setToolTip("Whose disagreements J and K walk (Alt+O; Ctrl+F8: the next colleague)")
        self.info = plain(QLabel(""))
        self.info.setWordWrap(True)
        self.info.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.legend = Legend()
        self.view = StatementView()
        self.view.setObjectName("review_view")
        self.view.setMinimumWidth(220)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("review_table")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        # both ends show: two phrases of a boundary conflict often share their start ("will significantly increase
        # t…" twice, cut at the right, hid the very difference to judge)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.table.horizontalHeader()
        # the kind column fits its text, the label column too up to a share of the table (in a label conflict,
        # "Commitment → Call to action" is the point, and its tooltip says it whole), the two phrases share the
        # rest: at 1280 px, both fitted whole, they left the phrases "blata…tions" (a newcomer's finding)
        for col, mode in enumerate((QHeaderView.ResizeMode.Interactive, QHeaderView.ResizeMode.Interactive,
                                    QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.Stretch,
                                    QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(col, mode)
        self.table.viewport().installEventFilter(self)

        top = QHBoxLayout()
        top.addWidget(self.colleague_label)
        top.addWidget(self.colleague)
        top.addSpacing(12)
        top.addWidget(self.legend, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.view)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        row = QHBoxLayout()
        self.buttons: dict[str, QToolButton] = {}
        for action in buttons:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setObjectName(f"button_{action.objectName()}")
            self.buttons[action.objectName()] = button
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.info)
        # a colleague file is compared with every statement in the background: how far, and a way to stop it
        self.comparing = QWidget()
        self.comparing.setObjectName("review_comparing")
        progress_row = QHBoxLayout(self.comparing)
        progress_row.setContentsMargins(0, 0, 0, 0)
        self.progress_text = plain(QLabel(""))
        self.progress = QProgressBar()
        self.progress.setObjectName("review_progress")
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(12)
        self.cancel = QPushButton("Cancel")
        self.cancel.setObjectName("review_cancel_comparing")
        self.cancel.setToolTip("Stop comparing: J and K then stay among the statements already compared")
        self.cancel.clicked.connect(self.cancelComparing)
        progress_row.addWidget(self.progress_text)
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel)
        self.comparing.hide()
        layout.addWidget(self.comparing)
        layout.addWidget(splitter, 1)
        layout.addLayout(row)

        self.rows: list[Row] = []
        self._span_keys: dict[int, str] = {}
        self._key_spans: dict[str, list[int]] = {}
        self._quiet = False
        self.table.currentCellChanged.connect(self._cell_changed)
        self.view.spanSelected.connect(self._span_clicked)
        self.colleague.currentIndexChanged.connect(lambda i: None if self._quiet else self.colleagueChosen.emit(i))

    # ------------------------------------------------------------------ colleague selector
    def set_colleagues(self, names: list[str], current: int) -> None:
        self._quiet = True
        try:
            self.colleague.clear()
            self.colleague.addItems([terminal_safe(name) for name in names])
            self.colleague.setCurrentIndex(current)
        finally:
            self._quiet = False
        several = len(names) > 1
        self.colleague.setVisible(several)
        self.colleague_label.setVisible(several)

    def show_comparing(self, text: str, done: int, total: int) -> None:
        """The background comparison's progress (``total`` 0: none running, the row hides).

        Shown several times a second while the file is compared, so it changes the two widgets and nothing else:
        the text's label has a fixed size (one that only grows, in steps), so a new text does not lay out the
        dock again, and the bar is repainted with the next paint instead of at once -- ``QProgressBar.setValue``
        repaints the whole window's dirty region right away (issue #14: 2-4 ms of the window's thread a batch)."""
        self.comparing.setVisible(total > 0)
        if total <= 0:
            return
        label = self.progress_text
        metrics = label.fontMetrics()
        needed = metrics.horizontalAdvance(text) + metrics.horizontalAdvance("0000")
        if needed > label.maximumWidth() or label.minimumHeight() == 0:
            step = metrics.horizontalAdvance("0" * 8)  # grows a few times, not with each digit
            label.setFixedSize(-(-needed // step) * step, max(label.sizeHint().height(), metrics.height()))
        label.setText(text)
        bar = self.progress
        bar.setUpdatesEnabled(False)  # no synchronous repaint(); enabling them again asks for an update()
        try:
            if bar.maximum() != total:
                bar.setRange(0, total)
            bar.setValue(done)
        finally:
            bar.setUpdatesEnabled(True)

    # ------------------------------------------------------------------ content
    def clear(self, message: str = "") -> None:
        self.show_document("", [], {}, "")
        self.set_rows("", [], None, {})
        self.legend.set_counts(None)
        self.info.setText(message)

    def show_document(self, text: str, items: list[core.Item], names: dict[str, str], colleague: str,
                      rejected: Collection[str] = (), label_colors: Iterable[str] | None = None) -> None:
        """The combined layers of ``items`` over ``text`` but the ``rejected`` ones' (settled by keeping mine, as
        an accepted one is by turning agreed or going: the table lists them), in colours apart from
        ``label_colors`` (the codebook's; None: the default codebook's)."""
        colors = COLORS if label_colors is None else review_colors(label_colors)
        self.legend.set_colors(colors)
        spans: list[Span] = []
        self._span_keys, self._key_spans = {}, {}
        items = [i for i in items if i.key not in rejected]
        by_key = {i.key: i for i in items}
        for n, layer in enumerate(core.layers(items), start=1):
            item = by_key.get(layer.key)
            whose = {"both": "both", "mine": "mine", "theirs": terminal_safe(colleague) or "theirs"}[layer.side]
            source = None if item is None else item.theirs if layer.side == "theirs" else item.mine
            note = getattr(source, "note", "") or ""
            spans.append(Span(n, 0, layer.start, layer.end, layer.category,
                              f"{whose}: {terminal_safe(names.get(layer.label, layer.label))}", note))
            self._span_keys[n] = layer.key
            self._key_spans.setdefault(layer.key, []).append(n)
        spans.sort(key=lambda s: (s.start, s.end, s.id))
        top = self.view.cursorForPosition(QPoint(0, 0)).position() if text == self.view.text else None
        self._quiet = True
        try:
            self.view.set_document(text, spans, review_labels(colors))
            if top:  # a refresh after an edit keeps the place the reviewer is looking at
                self._scroll_to_top(top)
        finally:
            self._quiet = False
        counts = Counter(i.kind for i in items)
        self.legend.set_counts({cat: counts[cat] for cat in core.CATEGORIES})

    def _scroll_to_top(self, qt_pos: int) -> None:
        """Put the line holding Qt position ``qt_pos`` at the top of the combined view."""
        block = self.view.document().findBlock(qt_pos)
        if not block.isValid():
            return
        self.view.blockBoundingGeometry(block)  # lays the block out, so its lines are known
        line = block.layout().lineForTextPosition(qt_pos - block.position())
        self.view.verticalScrollBar().setValue(block.firstLineNumber() + (line.lineNumber() if line.isValid() else 0))

    def set_rows(self, text: str, rows: list[Row], current: str | None, names: dict[str, str]) -> None:
        self._quiet = True
        try:
            self.rows = list(rows)
            self.table.clearContents()
            self.table.setRowCount(len(rows))
            muted = self.palette().color(QPalette.ColorRole.PlaceholderText)  # settled: still legible, set back
            for r, row in enumerate(rows):
                labels = [terminal_safe(names.get(t[2], t[2])) for t in (row.mine, row.theirs) if t is not None]
                label_text = labels[0] if len(set(labels)) == 1 else " → ".join(labels)
                cells = (
                    DIFFERENCE_TEXT.get(row.difference, KIND_TEXT.get(row.kind, row.kind)),
                    label_text,
                    phrase(text, row.mine),
                    phrase(text, row.theirs),
                    row.status,
                )
                for c, value in enumerate(cells):
                    cell = QTableWidgetItem(value)
                    if c == 1 and len(set(labels)) > 1:  # whose is which: cut in the middle, the arrow may not show
                        cell.setToolTip(plain_tooltip(f"mine: {labels[0]}\ntheirs: {labels[1]}"))
                    elif c in (0, 1):
                        cell.setToolTip(plain_tooltip(value))
                    if c in (2, 3):
                        triple = row.mine if c == 2 else row.theirs
                        if triple is not None:
                            cell.setToolTip(plain_tooltip(text[triple[0] : triple[1]]))
                    if c == 0:
                        cell.setData(Qt.ItemDataRole.UserRole, row.key)
                    if row.status != OPEN:
                        cell.setForeground(QBrush(muted))
                    self.table.setItem(r, c, cell)
            self._select_row(self.row_of(current))
            self._fit_columns()
        finally:
            self._quiet = False

    def _fit_columns(self) -> None:
        """The kind column as wide as its text (cut, "Confli…undary" read the same for two kinds), the label
        column too up to :data:`FITTED_SHARE` of the table."""
        header = self.table.horizontalHeader()  # with no row, the title's own width ("Kinc" was cut)
        header.resizeSection(0, max(self.table.sizeHintForColumn(0), header.sectionSizeHint(0)))
        columns.fit_within(self.table, 1, max(MIN_FITTED, int(self.table.viewport().width() * FITTED_SHARE)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return False

    def row_of(self, key: str | None) -> int:
        return next((i for i, row in enumerate(self.rows) if row.key == key), -1)

    # ------------------------------------------------------------------ selection
    def select_key(self, key: str | None) -> None:
        """Show ``key`` as the current row and outline its spans in the combined view, without echoing it."""
        self._quiet = True
        try:
            self._select_row(self.row_of(key))
            ids = self._key_spans.get(key or "", [])
            self.view.set_selected_span(ids[0] if ids else None)  # scrolls there if it is off screen
        finally:
            self._quiet = False

    def _select_row(self, row: int) -> None:
        if row < 0:
            self.table.clearSelection()
            self.table.setCurrentCell(-1, -1)
            return
        self.table.setCurrentCell(row, 0)
        self.table.selectRow(row)
        self.table.scrollToItem(self.table.item(row, 0))

    def _cell_changed(self, row: int, _col: int, previous: int, _pcol: int) -> None:
        if self._quiet or row < 0 or row == previous or row >= len(self.rows):
            return
        self.rowSelected.emit(self.rows[row].key)

    def _span_clicked(self, span_id: int | None) -> None:
        if self._quiet or span_id is None:
            return
        key = self._span_keys.get(span_id)
        if key is not None and self.row_of(key) >= 0:
            self.rowSelected.emit(key)
