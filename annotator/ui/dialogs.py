"""Dialogs: export options, the import summary, keyboard shortcuts, and the find bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator import formats
from annotator.core.model import STATUS_NAMES, STATUSES, ImportReport
from annotator.ui import filedialogs
from annotator.ui.opening import open_in_turns
from annotator.ui.reading import columns
from annotator.ui.statement.positions import set_plain_text
from annotator.ui.text import plain

FORMAT_NAMES = {
    "jsonl": "JSONL — one line per document (spaCy, Prodigy)",
    "spans": "Spans JSONL — one line per span (pandas)",
    "csv": "CSV — one row per span (spreadsheets, pandas)",
    "doccano": "doccano JSONL",
    "brat": "brat standoff (a folder of .txt + .ann)",
    "conll": "CoNLL IOB2 — token and tag per line (overlaps: the longest kept)",
    "labelstudio": "Label Studio JSON (tasks with annotations)",
    "spacy": "spaCy DocBin (.spacy; spans in doc.spans[\"sc\"])",
    "prodigy": "Prodigy JSONL with tokens (db-in, spans.manual)",
}


class ExportDialog(QDialog):
    """Format, which documents, and where."""

    def __init__(self, parent: QWidget, project_path: Path) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.format = QComboBox()
        for fmt in formats.EXPORT_FORMATS:
            self.format.addItem(FORMAT_NAMES.get(fmt, fmt), fmt)
        self.status = QComboBox()
        self.status.addItem("All documents", None)
        for status in STATUSES:
            self.status.addItem(f"Only {STATUS_NAMES[status].lower()}", status)
        # doccano and Label Studio count offsets their own way by default; a choice only for those formats
        self.offsets = QComboBox()
        self.offsets.addItem("As the tool counts them", None)
        self.offsets.addItem("Code points (Python str indices)", "codepoints")
        self.offsets.addItem("UTF-16 code units (JavaScript indices)", "utf16")
        # in the folder the user last chose (never beside the default project, in the user data folder)
        self.target = QLineEdit(str(Path(filedialogs.start_folder(saving=True, beside=project_path.parent))
                                    / f"{project_path.stem}.jsonl"))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Format:", self.format)
        form.addRow("Documents:", self.status)
        form.addRow("Offsets:", self.offsets)
        form.addRow("Save to:", row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.offsets.setEnabled(self.format.currentData() in formats.OFFSET_WRITERS)
        self.resize(560, self.sizeHint().height())

    def _format_changed(self) -> None:
        fmt = self.format.currentData()
        self.offsets.setEnabled(fmt in formats.OFFSET_WRITERS)
        path = Path(self.target.text() or "export")
        ext = formats.EXTENSIONS.get(fmt, ".jsonl")
        base = path.with_suffix("") if path.suffix else path
        self.target.setText(str(base.with_name(base.name + ext) if ext else base))

    def _browse(self) -> None:
        fmt = self.format.currentData()
        if fmt == "brat":
            chosen = filedialogs.existing_folder(self, "Export to folder", self.target.text())
        else:
            chosen = filedialogs.save_file(self, "Export to", self.target.text())
        if chosen:
            self.target.setText(chosen)

    def _accept(self) -> None:
        if not self.target.text().strip():
            QMessageBox.warning(self, "Export", "Choose where to save the export.")
            return
        self.accept()

    def offset_unit(self) -> str | None:
        """The offset unit chosen, or None for the format's own (also for formats that count code points only)."""
        return self.offsets.currentData() if self.format.currentData() in formats.OFFSET_WRITERS else None

    def values(self) -> tuple[str, str | None, Path]:
        return self.format.currentData(), self.status.currentData(), Path(self.target.text().strip())


#: lines of an import report's details put in its box per turn of the event loop, the first with the box: a text box
#: takes about 3 µs a line, and importing a folder again listed its 10 000 statements (30 ms in one turn; issue #14)
DETAIL_LINES_PER_TURN = 1000
#: the widest line a message box is widened for, in average characters (:func:`roomy`)
ROOMY_CHARS = 80


def show_import_report(parent: QMainWindow, report: ImportReport) -> None:
    """What was imported, skipped and rejected, and why; the full list in the details. Opened over the window in
    turns of the event loop (``ui/opening.py``) and left to the user: shown at once, in the turn the window's list
    took the new statements, it held the window 70-85 ms at 100 000 statements (issue #14)."""
    lines = report.summary_lines()
    box = QMessageBox(parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setWindowTitle("Import")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setIcon(QMessageBox.Icon.Warning if report.rejected else QMessageBox.Icon.Information)
    box.setText("\n".join(line for line in lines if not line.startswith("  "))[:2000])
    details: list[str] = []
    if report.rejected or report.duplicates:
        details = list(lines)
        if report.duplicates:
            details += ["", "Already in the project:", *(f"  {t}" for t in report.duplicates)]
        box.setDetailedText("\n".join(details[:DETAIL_LINES_PER_TURN]))
    more = len(details) > DETAIL_LINES_PER_TURN
    open_in_turns(parent, box, lambda: True, then=(lambda: _add_details(box, details, 1)) if more else None)


def _add_details(box: QMessageBox, details: list[str], turn: int) -> None:
    """The details' lines of this turn added at the end of the box's details; the next turn's later (with the box as
    the timer's context: a box closed meanwhile takes them with it)."""
    edit = box.findChild(QTextEdit)
    start = turn * DETAIL_LINES_PER_TURN
    if edit is None or start >= len(details):
        return
    cursor = QTextCursor(edit.document())
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.insertText("\n" + "\n".join(details[start:start + DETAIL_LINES_PER_TURN]))  # plain text, never markup
    if start + DETAIL_LINES_PER_TURN < len(details):
        QTimer.singleShot(0, box, lambda: _add_details(box, details, turn + 1))


def roomy(box: QMessageBox, chars: int = ROOMY_CHARS) -> QMessageBox:
    """``box`` wide enough for its explanation's lines (at most ``chars`` average characters, and 3/4 of the screen):
    Qt sized it to a short question and wrapped a one-line explanation into three short lines (the codebook's
    "Discard changes?", a newcomer's finding)."""
    grid = box.layout()
    if isinstance(grid, QGridLayout):
        metrics = box.fontMetrics()
        lines = box.informativeText().splitlines() or [""]
        width = min(max(metrics.horizontalAdvance(line) for line in lines), chars * metrics.averageCharWidth())
        screen = box.screen().availableGeometry().width() if box.screen() is not None else 1024
        width = min(width + box.iconPixmap().width() + 3 * metrics.height(), screen * 3 // 4)  # and the icon
        grid.addItem(QSpacerItem(width, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding),
                     grid.rowCount(), 0, 1, grid.columnCount())
    return box


def error(parent: QWidget, title: str, message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    roomy(box).exec()


def confirm(parent: QWidget, title: str, message: str) -> bool:
    """Yes or Cancel, Cancel the default (Enter or Escape changes nothing); True for Yes."""
    box = QMessageBox(QMessageBox.Icon.Question, title, message,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return roomy(box).exec() == QMessageBox.StandardButton.Yes


_PAGE_KEYS = (Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)


class PagedTable(QTableWidget):
    """A read-only list read like a page: Home and End go to its first and last row, PageUp and PageDown scroll
    it a page (the current row along), where a table's End went to the row's last column and PageDown first only
    moved the current row to the foot of the page."""

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        move = QAbstractItemView.CursorAction
        if action not in (move.MoveHome, move.MoveEnd, move.MovePageUp, move.MovePageDown) or not self.rowCount():
            return super().moveCursor(action, modifiers)
        column = max(self.currentColumn(), 0)
        if action in (move.MoveHome, move.MoveEnd):
            return self.model().index(0 if action == move.MoveHome else self.rowCount() - 1, column)
        bar = self.verticalScrollBar()
        down = action == move.MovePageDown
        bar.triggerAction(bar.SliderAction.SliderPageStepAdd if down else bar.SliderAction.SliderPageStepSub)
        if down and bar.value() == bar.maximum():
            row = self.rowCount() - 1
        elif not down and bar.value() == bar.minimum():
            row = 0
        else:
            row = max(self.rowAt(0), 0)  # the first row of the new page
        return self.model().index(row, column)


class ShortcutsDialog(QDialog):
    SIZE = QSize(800, 600)
    KEYS_SHARE = 0.3
    _passing = False  # a page key is being passed on to the list

    def __init__(self, parent: QWidget, rows: list[tuple[str, str]]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        table = PagedTable(len(rows), 2)
        table.setHorizontalHeaderLabels(["Keys", "Action"])
        for i, (keys, what) in enumerate(rows):
            table.setItem(i, 0, QTableWidgetItem(keys))
            table.setItem(i, 1, QTableWidgetItem(what))
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # wrapped: all lines
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # the keys as wide as they are, up to KEYS_SHARE of the dialog (a long one wraps): one key's note ("with a
        # suggestion current, no span selected") left the actions a column of 170 px, wrapped to four lines
        columns.fit_within(table, 0, int(self.SIZE.width() * self.KEYS_SHARE))
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.table = table
        self.resize(self.SIZE)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Home, End and the page keys scroll the list wherever the keyboard is in the dialog (the Close button)."""
        if event.key() in _PAGE_KEYS and not self._passing:  # (the list itself takes them before they come here)
            # a key the list leaves (Home at its top) comes back up to this dialog: passed on once, not again
            self._passing = True
            try:
                QApplication.sendEvent(self.table, event)
            finally:
                self._passing = False
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    """Ctrl+F: find in the statement. Enter finds the next match and selects it; Escape returns to the text with
    the match still selected, so a label key labels it."""

    findRequested = Signal(str, bool)  # text, backwards
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(
            "Find in statement, ignoring case (Enter: next, Shift+Enter: previous, Esc: back to text)")
        self.edit.setToolTip("Case is ignored, as in Search All Statements; accents count, however they are written "
                             "(é typed finds é stored as e + a combining accent)")
        self.status = plain(QLabel(""))
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        close.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(plain(QLabel("Find:")))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.edit.returnPressed.connect(lambda: self.findRequested.emit(self.edit.text(), False))
        self.edit.textEdited.connect(lambda text: self.findRequested.emit(text, False) if text else None)
        self.edit.installEventFilter(self)
        self.hide()

    def open(self) -> None:
        self.show()
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def eventFilter(self, obj, event) -> bool:  # type: ignore[no-untyped-def]
        from PySide6.QtCore import QEvent

        if obj is self.edit and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            ):
                self.findRequested.emit(self.edit.text(), True)
                return True
        if obj is self.edit and event.type() == QEvent.Type.ShortcutOverride and event.key() == Qt.Key.Key_Escape:
            event.accept()
            return True
        return False


class NoteDialog(QDialog):
    """A span's note: Ctrl+Enter saves, Escape cancels, Tab leaves the text box (it never types a tab)."""

    def __init__(self, parent: QWidget, prompt: str, note: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Note")
        self.edit = QPlainTextEdit()
        set_plain_text(self.edit, note)  # a note starting with U+FEFF/U+FFFE reaches the editor intact
        self.edit.setTabChangesFocus(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        # Ctrl+Enter is caught on the text box itself: a QShortcut only fires once the dialog is the active
        # window, which a busy window manager grants late (the keystroke then typed a newline instead).
        self.edit.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.addWidget(plain(QLabel(prompt)))
        layout.addWidget(self.edit)
        layout.addWidget(plain(QLabel("Ctrl+Enter saves · Esc cancels")))
        layout.addWidget(buttons)
        self.edit.moveCursor(QTextCursor.MoveOperation.End)
        self.resize(460, 240)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.edit and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.accept()
            return True
        return super().eventFilter(watched, event)

    def note(self) -> str:
        return self.edit.toPlainText()


def ask_note(parent: QWidget, prompt: str, note: str) -> str | None:
    """The edited note, or None if the user cancelled."""
    dialog = NoteDialog(parent, prompt, note)
    return dialog.note() if dialog.exec() == QDialog.DialogCode.Accepted else None


class AboutDialog(QMessageBox):
    def __init__(self, parent: QWidget) -> None:
        from annotator import __version__

        super().__init__(QMessageBox.Icon.Information, "About Annotator",
                         f"Annotator {__version__}\n\nLabel threats, commitments and calls to action in official "
                         "statements; export exact spans as JSONL.", QMessageBox.StandardButton.Ok, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)

