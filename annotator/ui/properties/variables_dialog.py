"""The project's own document variables, defined like the codebook: add (name and type), rename, delete (with its
values; undoable) and reorder. Each button is one undoable, saved change. And the option File ▸ Set Document
Variables… adds to its file dialog: whether an empty cell clears a value (``annotator vars --empty-clears``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
)

from annotator.core import variables as cv
from annotator.core.variables import Variable
from annotator.store import variables as sv
from annotator.ui.properties import commands
from annotator.ui.text import from_qt, plain, to_qt


class VariablesDialog(QDialog):
    def __init__(self, controller: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Document variables")
        self.list = QListWidget()
        self.name = QLineEdit()
        self.name.setPlaceholderText("name")
        self.name.setObjectName("variable_name")
        self.type = QComboBox()
        for key in cv.TYPES:
            self.type.addItem(cv.TYPE_NAMES[key], key)
        self.add_button = QPushButton("&Add")
        self.rename_button = QPushButton("Re&name")
        self.delete_button = QPushButton("&Delete")
        self.up_button = QPushButton("Move &Up")
        self.down_button = QPushButton("Move Do&wn")
        for button in (self.add_button, self.rename_button, self.delete_button, self.up_button, self.down_button):
            button.setAutoDefault(False)  # Enter in the name field must not press whichever button is first
        self.name.returnPressed.connect(self.add)
        self.message = plain(QLabel())
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)  # Enter in the name field adds; as the dialog's default button Close also took it,
        close.setDefault(False)  # and the dialog shut after each name added by Enter (seen on Xvfb, trial 13)
        layout = QGridLayout(self)
        layout.addWidget(self.list, 0, 0, 5, 2)
        layout.addWidget(self.up_button, 0, 2)
        layout.addWidget(self.down_button, 1, 2)
        layout.addWidget(self.delete_button, 2, 2)
        layout.addWidget(self.name, 5, 0)
        layout.addWidget(self.type, 5, 1)
        layout.addWidget(self.add_button, 5, 2)
        layout.addWidget(self.rename_button, 6, 2)
        layout.addWidget(self.message, 6, 0, 1, 2)
        layout.addWidget(buttons, 7, 0, 1, 3)
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename)
        self.delete_button.clicked.connect(self.delete)
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button.clicked.connect(lambda: self.move(1))
        self.list.currentRowChanged.connect(self._selected)
        self.refresh()

    def variables(self) -> list[Variable]:
        return sv.definitions(self.controller.session.project)

    def refresh(self, select: str | None = None) -> None:
        self.list.clear()
        for var in self.variables():
            item = QListWidgetItem(to_qt(f"{var.name}  ({cv.TYPE_NAMES[var.type]})"))
            item.setData(Qt.ItemDataRole.UserRole, var.name)
            self.list.addItem(item)
            if var.name == select:
                self.list.setCurrentItem(item)

    def current(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _selected(self, _row: int) -> None:
        name = self.current()
        if name is not None:
            self.name.setText(to_qt(name))
            found = next((v for v in self.variables() if v.name == name), None)
            if found is not None:
                self.type.setCurrentIndex(self.type.findData(found.type))

    def _push(self, command: Any, select: str | None) -> bool:
        ok = self.controller.session.push(command)
        self.message.setText("" if ok else to_qt(command.failure or ""))
        self.refresh(select if ok else self.current())
        return bool(ok)

    def add(self) -> None:
        name = from_qt(self.name.text()).strip()
        problem = cv.definition_problems([*self.variables(), Variable(name, self.type.currentData())])
        if problem:
            self.message.setText(to_qt(problem[0]))
            return
        if self._push(commands.AddVariable(self.controller, Variable(name, self.type.currentData())), name):
            # the new variable selected filled the box with its name (for Rename): the next name typed was appended
            # to it, "source_langwave" (trial 13, F14); the box is for the next one
            self.name.clear()

    def rename(self) -> None:
        old, new = self.current(), from_qt(self.name.text()).strip()
        if old is None or new == old:
            return
        self._push(commands.RenameVariable(self.controller, old, new), new)

    def delete(self) -> None:
        name = self.current()
        if name is None:
            return
        used = sum(1 for f in self.controller.all_fields().values() if f.get(name) is not None)
        if used and QMessageBox.question(
            self, "Delete variable", f"{name} has a value in {used} statement(s); delete it with its values? "
            "(Edit ▸ Undo brings them back.)"
        ) != QMessageBox.StandardButton.Yes:
            return
        self._push(commands.DeleteVariable(self.controller, name), None)

    def move(self, delta: int) -> None:
        name = self.current()
        order = [v.name for v in self.variables()]
        if name is None:
            return
        i = order.index(name)
        j = i + delta
        if not 0 <= j < len(order):
            return
        after = list(order)
        after[i], after[j] = after[j], after[i]
        self._push(commands.ReorderVariables(self.controller, order, after), name)


#: the option's words, and what its tooltip explains
EMPTY_CLEARS = "&Empty cells clear values (unticked, an empty cell leaves the value as it is)"
EMPTY_CLEARS_TIP = (
    "Ticked: a cell left empty in the file (null in JSON) clears that value of its statement: its date, issuer, "
    "URL, memo or one of the project's variables becomes empty. Use it to take out wrong values.\n"
    "Unticked (the default): an empty cell changes nothing.\n"
    "A title is never cleared. The summary says how many values were cleared; Edit ▸ Undo puts them back."
)


def empty_clears_option() -> QCheckBox:
    """The check box under the file dialog's fields of File ▸ Set Document Variables…, unticked (the safe way)."""
    box = QCheckBox(EMPTY_CLEARS)
    box.setObjectName("empty_clears")
    box.setToolTip(EMPTY_CLEARS_TIP)
    box.setChecked(False)
    return box
