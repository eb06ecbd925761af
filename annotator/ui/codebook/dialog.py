"""The codebook editor: add, rename, recolour, re-key, describe, reorder and delete labels, and edit each label's
cue patterns (issue 13: below the table, for the selected label; they belong to the row, so they stay with the
label whatever its name, key or shortcut becomes).

The dialog edits a copy; OK applies it as one undoable step (``Files.apply_codebook``: the labels added first when a
deleted label's spans move to one of them, then the deletions — each asked here what to do with the label's spans
(``deletion.py``: nothing chosen at first; keeping them and only freeing the label's key is one answer),
any other label offered, those added in this dialog too — then the new codebook). A label's key is what exports
write: fixed once the label exists, a new label's made from its name (and following it until typed over).
Cancel (Escape, closing the window) changes nothing: with edits made it first asks "Discard changes?"; without, it
closes at once.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QCursor, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from annotator.core import codebook
from annotator.core.model import Label
from annotator.core.suggest.cues import Cue, cue_problems
from annotator.ui.codebook.cells import (
    AUTO_ROLE,
    HINT,
    KEY_ROLE,
    KEY_TIP,
    NAME_TIP,
    NEW_KEY_TIP,
    NameDelegate,
)
from annotator.ui.codebook.deletion import FREE_KEY, choose_fate
from annotator.ui.dialogs import roomy
from annotator.ui.palette import PROBLEM_COLOR, swatch
from annotator.ui.reading import columns
from annotator.ui.suggest.cue_columns import CueColumns
from annotator.ui.suggest.cues_text import HELP, cues_to_text, parse

COLUMNS = ("Name", "Key", "Shortcut", "Colour", "Description")
#: the name and key columns take at most this share of the table's width each, and at least NAME_LEAST px
NAME_SHARE, NAME_LEAST = 0.22, 90
#: where a row keeps its cue patterns (as the editor's text), on its Name item
CUES_ROLE = Qt.ItemDataRole.UserRole + 1


class CodebookDialog(QDialog):
    def __init__(self, parent: QWidget, labels: list[Label], counts: dict[str, int],
                 cues: dict[str, tuple[Cue, ...]] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Codebook")
        self.counts = counts
        self.original = {lb.key for lb in labels}
        #: label key -> key to move its spans to (None: delete them)
        self.deletions: dict[str, str | None] = {}
        self._setting_key = False  # a key set by the dialog (a new row, or following its name), not typed
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        for col, tip in ((0, NAME_TIP), (1, KEY_TIP), (2, "The key 1–9 that applies this label in a statement.")):
            self.table.horizontalHeaderItem(col).setToolTip(tip)
        self.key_hint = QLabel(HINT)
        self.key_hint.setObjectName("codebook_key_hint")
        self.key_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.key_hint.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        # the name and key as wide as their text up to a share of the table (fitted whole, a long name pushed the
        # colour and description out of sight and the description wrapped into rows 100 px tall: a newcomer's
        # finding); the shortcut and colour fitted; the description the rest
        for i, mode in enumerate((QHeaderView.ResizeMode.Interactive, QHeaderView.ResizeMode.Interactive,
                                  QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.ResizeToContents,
                                  QHeaderView.ResizeMode.Stretch)):
            header.setSectionResizeMode(i, mode)
        self.table.viewport().installEventFilter(self)
        self.table.model().rowsInserted.connect(lambda *_: self._fit_columns())
        # rows as tall as their wrapped description: at 11 pt one line cut it to "…, or an acto…"
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.cellDoubleClicked.connect(self._double_clicked)
        # the heading above the cue patterns names the label as it is being renamed, not only after OK
        self._names = NameDelegate(self.table, self._name_typed)
        self.table.setItemDelegateForColumn(0, self._names)
        self._names.closeEditor.connect(lambda *_: self._show_title(self.table.currentRow()))
        self.table.itemChanged.connect(self._item_changed)
        self.cue_title = QLabel("")
        self.cue_editor = QPlainTextEdit()
        self.cue_editor.setObjectName("codebook_cues")
        self.cue_editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.cue_editor.setToolTip(HELP)
        self.cue_editor.setPlaceholderText("No cue patterns. " + HELP)
        # "Name", "Kind" and "Pattern" over the editor, its lines in those columns however long a name (display
        # only: the text typed is what is read and saved)
        self.cue_columns = CueColumns(self.cue_editor)
        self.cue_errors = QLabel("")
        self.cue_errors.setObjectName("codebook_cue_problems")
        self.cue_errors.setTextFormat(Qt.TextFormat.PlainText)
        self.cue_errors.setWordWrap(True)
        self.cue_errors.setStyleSheet(f"color: {PROBLEM_COLOR}")
        self._loading = False
        for label in labels:
            self._append(label, cues_text=cues_to_text((cues or {}).get(label.key, ())))
        self.table.currentCellChanged.connect(lambda row, _c, _pr, _pc: self._show_cues(row))
        self.cue_editor.textChanged.connect(self._cues_edited)
        self._show_cues(-1)

        buttons = QHBoxLayout()
        for text, slot in (("Add", self.add_label), ("Delete…", self.delete_label), ("Move up", self.move_up),
                           ("Move down", self.move_down), ("Colour…", self.pick_color)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self._accept)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.key_hint)
        layout.addLayout(buttons)
        layout.addWidget(self.cue_title)
        cues = QVBoxLayout()
        cues.setSpacing(2)  # the headings belong to the box below them
        cues.addWidget(self.cue_columns.headings)
        cues.addWidget(self.cue_editor)
        layout.addLayout(cues, 2)
        layout.addWidget(self.cue_errors)
        layout.addWidget(box)
        self.resize(820, 560)
        self._opened = self._state()

    def _state(self) -> tuple[object, ...]:
        """What the dialog would apply: the labels, their cue patterns and the deletions."""
        return (self.labels(), [self.cues_text(r) for r in range(self.table.rowCount())], dict(self.deletions))

    def reject(self) -> None:
        """Cancel, Escape or the window closed: the edits are thrown away, asked first when there are any."""
        if self._state() != self._opened and not self._discard():
            return
        super().reject()

    def _discard(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "Codebook", "Discard changes?",
                          QMessageBox.StandardButton.NoButton, self)
        box.setInformativeText("The edits made to the codebook in this dialog are not saved.")
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        roomy(box).exec()
        return box.clickedButton() is discard

    # ------------------------------------------------------------------ rows
    def _append(self, label: Label, row: int | None = None, cues_text: str = "", auto: bool = False) -> None:
        row = self.table.rowCount() if row is None else row
        self.table.insertRow(row)
        name = QTableWidgetItem(label.name)
        name.setData(CUES_ROLE, cues_text)
        name.setToolTip(NAME_TIP)
        self.table.setItem(row, 0, name)
        key = QTableWidgetItem(label.key)
        if label.key in self.original:  # a key is the label's identity in exports: fixed once in use
            key.setFlags(key.flags() & ~Qt.ItemFlag.ItemIsEditable)
            key.setToolTip(KEY_TIP + " Rename the label in the Name column instead.")
        else:
            key.setToolTip(NEW_KEY_TIP)
            key.setData(KEY_ROLE, label.key)
            key.setData(AUTO_ROLE, auto)
        self._setting_key = True  # not the user's edit
        try:
            self.table.setItem(row, 1, key)
        finally:
            self._setting_key = False
        combo = QComboBox()
        combo.addItem("none", "")
        for s in codebook.SHORTCUTS:
            combo.addItem(s, s)
        combo.setCurrentIndex(max(0, combo.findData(label.shortcut)))
        self.table.setCellWidget(row, 2, combo)
        color = QTableWidgetItem(label.color)
        color.setIcon(swatch(label.color))
        color.setFlags(color.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(row, 3, color)
        self.table.setItem(row, 4, QTableWidgetItem(label.description))

    def _row_label(self, row: int) -> Label:
        def text(col: int) -> str:
            item = self.table.item(row, col)
            return item.text() if item else ""

        combo = self.table.cellWidget(row, 2)
        shortcut = combo.currentData() if isinstance(combo, QComboBox) else ""
        return Label(text(1).strip(), text(0).strip(), shortcut, text(3), text(4))

    def labels(self) -> list[Label]:
        return [self._row_label(r) for r in range(self.table.rowCount())]

    def _selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    # ------------------------------------------------------------------ buttons
    def add_label(self) -> None:
        current = self.labels()
        name, ok = QInputDialog.getText(self, "New label", "Name of the new label:")
        if not ok or not name.strip():
            return
        same = next((lb.name for lb in current if codebook.fold_name(lb.name) == codebook.fold_name(name)), None)
        if same is not None:  # "threat" beside "Threat": two buttons, two columns no one could tell apart
            self._refuse(f"There is already a label named “{same}” (names are compared ignoring case).\n\n"
                         "Choose another name, or edit that label instead.")
            return
        key = codebook.key_for_name(name, self._taken_keys())
        self._append(Label(key, name.strip(), codebook.free_shortcut(current), codebook.next_color(current), ""),
                     auto=True)
        self.table.selectRow(self.table.rowCount() - 1)

    def _taken_keys(self, but_row: int = -1) -> set[str]:
        """The keys a new label cannot take: every other row's, and those of the labels deleted here (exports
        would mix the deleted label's spans, kept by a colleague, with the new one's)."""
        rows = (r for r in range(self.table.rowCount()) if r != but_row)
        return {self._row_label(r).key for r in rows} | set(self.deletions) | self.original

    def _is_auto(self, row: int) -> bool:
        item = self.table.item(row, 1)
        return item is not None and bool(item.data(AUTO_ROLE))

    def delete_label(self) -> None:
        row = self._selected_row()
        if row < 0:
            return
        label = self._row_label(row)
        used = self._spans_of(label.key)
        target: str | None = None
        if used:
            # every other label, those added in this dialog too (a newcomer added "Warning" to move a label's spans
            # to, and it was not offered until the dialog was closed and opened again); nothing chosen at first
            # (trial 14, F3: a preselected move, with OK the default, merged one label into another on Enter)
            others = [(lb, lb.key not in self.original) for i, lb in enumerate(self.labels()) if i != row]
            answer = choose_fate(self, label, used, others)
            if answer is None:
                return
            fate, target_key = answer
            if fate == FREE_KEY:  # retired: the label and its spans stay, its key is free for another label
                combo = self.table.cellWidget(row, 2)
                if isinstance(combo, QComboBox):
                    combo.setCurrentIndex(0)
                return
            target = target_key or None
        for key, moved_to in list(self.deletions.items()):  # spans moved here earlier go where this label's go
            if moved_to == label.key:
                self.deletions[key] = target
        if label.key in self.original:
            self.deletions[label.key] = target
        self.table.removeRow(row)

    def _spans_of(self, key: str) -> int:
        """The spans ``key`` would hold on OK: its own, and those of the labels deleted here that move to it."""
        own = self.counts.get(key, 0) if key in self.original else 0
        return own + sum(self._spans_of(k) for k, to in self.deletions.items() if to == key)

    def _move(self, delta: int) -> None:
        row = self._selected_row()
        target = row + delta
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        label = self._row_label(row)
        cues_text, auto = self.cues_text(row), self._is_auto(row)
        self.table.removeRow(row)
        self._append(label, target, cues_text, auto)
        self.table.selectRow(target)

    def move_up(self) -> None:
        self._move(-1)

    def move_down(self) -> None:
        self._move(1)

    def pick_color(self, row: int | None = None) -> None:
        row = self._selected_row() if row is None or isinstance(row, bool) else row
        if row < 0:
            return
        item = self.table.item(row, 3)
        color = QColorDialog.getColor(QColor(item.text()), self, "Label colour")
        if color.isValid():
            item.setText(color.name())
            item.setIcon(swatch(color.name()))

    def _double_clicked(self, row: int, column: int) -> None:
        if column == 3:
            self.pick_color(row)
        elif column == 1 and self._row_label(row).key in self.original:  # not editable: say why, where it was
            QToolTip.showText(QCursor.pos(), KEY_TIP + " Rename the label in the Name column instead.", self.table)

    # ------------------------------------------------------------------ cue patterns
    def cues_text(self, row: int) -> str:
        item = self.table.item(row, 0)
        return str(item.data(CUES_ROLE) or "") if item is not None else ""

    def _show_cues(self, row: int) -> None:
        """The cue editor shows the cues of the current row (and edits them in place)."""
        self._loading = True
        try:
            has_row = 0 <= row < self.table.rowCount()
            self.cue_editor.setEnabled(has_row)
            self.cue_editor.setPlainText(self.cues_text(row) if has_row else "")
            self.cue_columns.fit()  # this label's names may be longer or shorter than the last one's
            self._show_title(row)
        finally:
            self._loading = False

    def _show_title(self, row: int, name: str | None = None) -> None:
        """The heading above the cue patterns: the current row's label name (``name``: as being typed)."""
        if not 0 <= row < self.table.rowCount():
            self.cue_title.setText("Cue patterns (select a label)")
            return
        if name is None:
            item = self.table.item(row, 0)
            name = item.text() if item is not None else ""
        self.cue_title.setText(f"Cue patterns of “{name.strip()}”")

    def _name_typed(self, row: int, name: str) -> None:
        if row == self.table.currentRow():
            self._show_title(row, name)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == 0 and item.row() == self.table.currentRow():
            self._show_title(item.row())
        if item.column() == 0 and self._is_auto(item.row()):  # a new label renamed: its key follows
            key = codebook.key_for_name(item.text(), self._taken_keys(item.row()))
            self._setting_key = True
            try:
                self.table.item(item.row(), 1).setText(key)
            finally:
                self._setting_key = False
        if item.column() == 1 and item.data(KEY_ROLE) is not None:
            self._key_changed(item)
        if item.column() in (0, 1):
            self._fit_columns()

    def _key_changed(self, item: QTableWidgetItem) -> None:
        """A new label's key changed (typed, or following its name): deletions moving spans to it follow, and one
        typed stops following the name."""
        old, new = item.data(KEY_ROLE), item.text().strip()
        if not self._setting_key:
            item.setData(AUTO_ROLE, False)
        if old != new:
            item.setData(KEY_ROLE, new)
            for key, moved_to in list(self.deletions.items()):
                if moved_to == old:
                    self.deletions[key] = new

    def _fit_columns(self) -> None:
        """The name and key columns as wide as their text, each at most :data:`NAME_SHARE` of the table (a name
        cut there is whole in its cell's editor)."""
        most = max(NAME_LEAST, int(self.table.viewport().width() * NAME_SHARE))
        for col in (0, 1):
            columns.fit_within(self.table, col, most)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _cues_edited(self) -> None:
        row = self.table.currentRow()
        if self._loading or row < 0 or self.table.item(row, 0) is None:
            return
        self.table.item(row, 0).setData(CUES_ROLE, self.cue_editor.toPlainText())

    def cues(self) -> dict[str, list[Cue]]:
        """Each label's cue patterns as edited (label key, as the table now gives it -> cues)."""
        return {self._row_label(r).key: parse(self._row_label(r).name, self.cues_text(r))[0]
                for r in range(self.table.rowCount())}

    def cue_issues(self) -> list[str]:
        found: dict[str, list[Cue]] = {}
        problems: list[str] = []
        for r in range(self.table.rowCount()):
            label = self._row_label(r)
            cues, bad = parse(label.name, self.cues_text(r))
            found.setdefault(label.key, cues)
            problems += bad
        return problems + cue_problems(found)

    def _accept(self) -> None:
        cue_problems_found = self.cue_issues()
        self.cue_errors.setText("\n".join(cue_problems_found[:12]))
        labels = self.labels()
        problems = codebook.label_problems(labels) + codebook.name_problems(labels) + cue_problems_found
        problems += [f"the key {lb.key!r} of the new label “{lb.name}” belonged to the label deleted here; "
                     "exports would mix their spans, so give it a key of its own"
                     for lb in labels if lb.key in self.original and lb.key in self.deletions]
        if problems:
            self._refuse("The codebook is not valid:\n" + "\n".join(problems[:20]))
            return
        self.accept()

    def _refuse(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Codebook", message, QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
