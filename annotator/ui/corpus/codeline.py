"""The codeline (MAXQDA's Codeline at corpus scale): one strip per statement, from its first character (0 %) to its
last (100 %), with a mark in the label's colour where each span falls; a page of statements at a time. A click on a
strip opens that statement.

From the keyboard (the chart takes focus with Tab or a click): Up and Down move between statements, Left and Right
between the marks of one (Home: the statement itself, End: its last mark), Page Up and Page Down turn the page (so
do Up on the first statement and Down on the last), and Enter opens the statement with the current span selected.
A frame shows where the cursor is, and :attr:`currentChanged` says it in words (the window's status line)."""

from __future__ import annotations

import csv
import html
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QWidget

from annotator.core.neutral import csv_row
from annotator.formats.common import output_file
from annotator.store.corpus import CodelineRow
from annotator.ui import charts
from annotator.ui.bars import text_colour
from annotator.ui.corpus import plots


class CodelineChart(charts.Chart):
    PAGE = 40
    rowActivated = Signal(int)  # a statement's id (a click)
    spanActivated = Signal(int, object)  # a statement's id and the current span's (None: the statement); Enter
    pageRequested = Signal(int)  # -1: the page before, +1: the page after
    currentChanged = Signal(str)  # what the cursor is on, in words

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codeline_chart")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.rows: list[CodelineRow] = []
        self.names: dict[str, str] = {}
        self.order: list[str] = []
        self.current: tuple[int, int] = (0, -1)  # (statement on the page, its mark; -1: the statement itself)
        self.land_last = False  # a page asked for by Up on the first statement: land on its last statement
        self._cursor: pg.BarGraphItem | None = None
        self.plotItem.invertY(True)
        self.plotItem.getAxis("bottom").setLabel("position in the statement (%)")
        # "100" at the axis's right end runs a few px past it: pyqtgraph hid it, leaving the scale without its end
        self.plotItem.getAxis("bottom").setStyle(hideOverlappingLabels=15)
        plots.plain_axes(self)
        self.scene().sigMouseClicked.connect(self._clicked)

    def show_rows(self, rows: list[CodelineRow], names: dict[str, str], colours: dict[str, str], first: int,
                  total: int) -> None:
        self._reset([r.title for r in rows], [])
        self.rows, self.names = rows, names
        legend = self._legend()
        order = list(names) + sorted({lb for r in rows for lb, _, _ in r.spans} - set(names))
        self.order = order
        band = self._band()  # each label its own band of the strip, so overlapping spans stay visible
        for k, label in enumerate(order):
            x0, widths, ys = [], [], []
            for i, row in enumerate(rows):
                n = max(1, row.length)
                for lb, start, end in row.spans:
                    if lb == label:
                        x0.append(100.0 * start / n)
                        widths.append(max(0.4, 100.0 * (end - start) / n))
                        ys.append(i - 0.4 + band * (k + 0.5))
            item = pg.BarGraphItem(x0=x0, y=ys, width=widths, height=band * 0.9,
                                   brush=charts.colour(k, [colours.get(lb) for lb in order]), pen=None)
            self.plotItem.addItem(item)
            legend.addItem(item, self.legend_name(names.get(label, label)))
        self._category_axis("left")
        plots.legend_outside(self)  # beside the strips: inside, it covered their right end (the text's last part)
        self.plotItem.setXRange(0, 100, padding=0.01)
        self.plotItem.setYRange(-0.6, max(0.6, len(rows) - 0.4), padding=0)
        self.plotItem.setTitle(html.escape(f"Statements {first:,}–{first + len(rows) - 1:,} of {total:,}"),
                               color=charts.text_colour())
        self._cursor = None
        self.set_current(len(rows) - 1 if self.land_last else 0, -1)
        self.land_last = False

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        plots.legend_outside(self)

    def _band(self) -> float:
        return 0.8 / max(1, len(self.order))

    # ------------------------------------------------------------------ the keyboard's cursor
    def set_current(self, row: int, mark: int) -> None:
        if not self.rows:
            self.current = (0, -1)
            return
        row = max(0, min(row, len(self.rows) - 1))
        mark = max(-1, min(mark, len(self.rows[row].spans) - 1))
        self.current = (row, mark)
        r = self.rows[row]
        n = max(1, r.length)
        if mark < 0:
            x0, width, y, height = 0.0, 100.0, float(row), 0.9
        else:
            label, start, end = r.spans[mark]
            band = self._band()
            k = self.order.index(label) if label in self.order else 0
            x0, width = 100.0 * start / n - 0.6, max(0.4, 100.0 * (end - start) / n) + 1.2  # a margin round it
            y, height = row - 0.4 + band * (k + 0.5), band * 1.5
        if self._cursor is not None:
            self.plotItem.removeItem(self._cursor)
        # in the text's colour, as the statement outlines its selected span: the palette's highlight blue was
        # Commitment's own (a newcomer's finding), and a label's colour could be any
        self._cursor = pg.BarGraphItem(x0=[x0], y=[y], width=[width], height=[height], brush=None,
                                       pen=pg.mkPen(text_colour(), width=3))
        self._cursor.setZValue(10)
        self.plotItem.addItem(self._cursor)
        self.currentChanged.emit(self.describe())

    def describe(self) -> str:
        """The cursor's place in words: the statement, or the span (label, where it falls)."""
        if not self.rows:
            return "No statements"
        row, mark = self.current
        r = self.rows[row]
        if mark < 0:
            return (f"{r.title}: {len(r.spans)} span(s); Left/Right move between them, Enter opens the statement")
        label, start, end = r.spans[mark]
        n = max(1, r.length)
        where = f"{100 * start / n:.0f}–{100 * end / n:.0f} %"
        return (f"{r.title}: {self.names.get(label, label)} {start}–{end} ({where}),"
                f" span {mark + 1} of {len(r.spans)}; Enter opens it")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        row, mark = self.current
        if not self.rows:
            super().keyPressEvent(event)
            return
        if key == Qt.Key.Key_Up:
            if row == 0:
                self.land_last = True
                self.pageRequested.emit(-1)
            else:
                self.set_current(row - 1, -1)
        elif key == Qt.Key.Key_Down:
            if row == len(self.rows) - 1:
                self.pageRequested.emit(1)
            else:
                self.set_current(row + 1, -1)
        elif key == Qt.Key.Key_Left:
            self.set_current(row, mark - 1)
        elif key == Qt.Key.Key_Right:
            self.set_current(row, mark + 1)
        elif key == Qt.Key.Key_Home:
            self.set_current(row, -1)
        elif key == Qt.Key.Key_End:
            self.set_current(row, len(self.rows[row].spans) - 1)
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self.pageRequested.emit(-1 if key == Qt.Key.Key_PageUp else 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            r = self.rows[row]
            self.spanActivated.emit(r.doc_id, r.span_ids[mark] if 0 <= mark < len(r.span_ids) else None)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _clicked(self, event: object) -> None:
        pos = getattr(event, "scenePos", lambda: None)()
        if pos is None or not self.plotItem.sceneBoundingRect().contains(pos):
            return
        y = self.plotItem.vb.mapSceneToView(pos).y()
        i = round(y)
        if 0 <= i < len(self.rows):
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self.set_current(i, -1)
            self.rowActivated.emit(self.rows[i].doc_id)

    def values(self) -> list[tuple[str, list[float | None]]]:
        return [(r.title, [float(len(r.spans))]) for r in self.rows]

    def save_csv(self, target: str | Path) -> None:
        """One row per span of the page: statement, label, start, end and where it falls (% of the text)."""
        with output_file(target, "w") as out:
            writer = csv.writer(out)
            writer.writerow(["doc_id", "title", "label", "start", "end", "from_percent", "to_percent"])
            for r in self.rows:
                n = max(1, r.length)
                for lb, start, end in r.spans:
                    writer.writerow(csv_row([r.doc_id, r.title, lb, start, end, round(100 * start / n, 2),
                                             round(100 * end / n, 2)]))
