"""Small widgets shared by the corpus window's tabs: a read-only table view, a widget saved as PNG."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from annotator.formats.common import output_file


def save_widget_png(widget: QWidget, target: str | Path) -> None:
    """A widget as drawn, as PNG, through a temporary file renamed into place."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    widget.grab().save(buffer, "PNG")
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
