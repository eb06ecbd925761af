"""Small widgets shared by the corpus window's tabs: a read-only table view, a widget saved as PNG."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from annotator.formats.common import output_file


def save_widget_png(widget: QWidget, target: str | Path, caption: str = "") -> None:
    """A widget as drawn, as PNG, through a temporary file renamed into place; ``caption``: a line above it (what a
    table counts, which its empty corner cannot say)."""
    image = widget.grab()
    if caption:
        metrics = QFontMetrics(widget.font())
        line = metrics.height() + 8
        framed = QPixmap(image.width(), image.height() + line)
        framed.fill(widget.palette().color(QPalette.ColorRole.Window))
        painter = QPainter(framed)
        painter.setPen(widget.palette().color(QPalette.ColorRole.WindowText))
        painter.setFont(widget.font())
        painter.drawText(4, 4, image.width() - 8, line - 4, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(caption, Qt.TextElideMode.ElideRight, image.width() - 8))
        painter.drawPixmap(0, line, image)
        painter.end()
        image = framed
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    with output_file(target) as out:
        out.write(bytes(data.data()))


def make_table_view(name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    return view
