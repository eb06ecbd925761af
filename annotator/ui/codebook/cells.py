"""The cells of the codebook editor (``ui/codebook/dialog.py``): what its Name and Key columns say about
themselves, and the Name column's editor."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QLineEdit, QStyledItemDelegate, QStyleOptionViewItem, QWidget

#: on a new label's Key item: the key as last seen (a deletion moving spans to it follows an edit), and whether it
#: still follows the name (it was made from the name and not typed over)
KEY_ROLE, AUTO_ROLE = Qt.ItemDataRole.UserRole + 2, Qt.ItemDataRole.UserRole + 3
#: why the Key column cannot be edited, and what renaming changes (a newcomer renamed a label and found the exports
#: still wrote the old key, with nothing in the dialog to say so)
KEY_TIP = ("The key is what exports and the command line write; it is fixed once the label exists. "
           "The name is what you see.")
NAME_TIP = ("The name is what you see: the labels bar, the menus, the reports. Renaming a label keeps its key, "
            "so exports still write the key.")
NEW_KEY_TIP = ("A new label's key, made from its name until you type one. " + KEY_TIP
               + " Once you press OK this key is fixed.")
HINT = ("Key: what exports and the command line write, fixed once the label exists (a new label's key follows "
        "its name until you edit it). Name: what you see, free to change.")


class NameDelegate(QStyledItemDelegate):
    """The Name column's editor, telling ``typed(row, text)`` each change typed (before it is committed)."""

    def __init__(self, parent: QWidget, typed: Callable[[int, str], None]) -> None:
        super().__init__(parent)
        self._typed = typed

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802 - Qt's name
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            where = QPersistentModelIndex(index)
            editor.textEdited.connect(lambda text: where.isValid() and self._typed(where.row(), text))
        return editor
