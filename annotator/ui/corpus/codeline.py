"""The codeline (MAXQDA's Codeline at corpus scale): one strip per statement, from its first character (0 %) to its
last (100 %), with a mark in the label's colour where each span falls; a page of statements at a time. A click on a
strip opens that statement."""

from __future__ import annotations

import csv
import html
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from annotator.core.neutral import csv_row
from annotator.formats.common import output_file
from annotator.store.corpus import CodelineRow
from annotator.ui import charts


class CodelineChart(charts.Chart):
    PAGE = 40
    rowActivated = Signal(int)  # a statement's id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codeline_chart")
        self.rows: list[CodelineRow] = []
        self.names: dict[str, str] = {}
        self.plotItem.invertY(True)
        self.plotItem.getAxis("bottom").setLabel("position in the statement (%)")
        self.scene().sigMouseClicked.connect(self._clicked)

    def show_rows(self, rows: list[CodelineRow], names: dict[str, str], colours: dict[str, str], first: int,
                  total: int) -> None:
        self._reset([r.title for r in rows], [])
        self.rows, self.names = rows, names
        legend = self._legend()
        order = list(names) + sorted({lb for r in rows for lb, _, _ in r.spans} - set(names))
        band = 0.8 / max(1, len(order))  # each label its own band of the strip, so overlapping spans stay visible
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
            legend.addItem(item, html.escape(names.get(label, label)))
        self._category_axis("left")
        self.plotItem.setXRange(0, 100, padding=0.01)
        self.plotItem.setYRange(-0.6, max(0.6, len(rows) - 0.4), padding=0)
        self.plotItem.setTitle(html.escape(f"Statements {first:,}–{first + len(rows) - 1:,} of {total:,}"),
                               color=charts._text_colour())

    def _clicked(self, event: object) -> None:
        pos = getattr(event, "scenePos", lambda: None)()
        if pos is None or not self.plotItem.sceneBoundingRect().contains(pos):
            return
        y = self.plotItem.vb.mapSceneToView(pos).y()
        i = round(y)
        if 0 <= i < len(self.rows):
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
