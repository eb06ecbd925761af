"""The Document Properties panel: the open statement's title, date, issuer, URL, memo and the project's own variables,
each edited by keyboard (Tab from field to field) and saved as one undoable change when the field is left or
Enter is pressed; where it came from (the import's provenance) below them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from annotator.core import variables as cv
from annotator.core.model import Provenance
from annotator.core.variables import Variable
from annotator.store.variables import Fields
from annotator.ui.palette import INVALID_STYLE, PROBLEM_COLOR
from annotator.ui.text import from_qt, plain, plain_tooltip, to_qt

PLACEHOLDERS = {"date": "YYYY-MM-DD (or YYYY-MM, YYYY)", "number": "a number", "text": "", "url": "https://…"}
#: the widest a field's caption is, in average characters
CAPTION_CHARS = 16


class MemoEdit(QPlainTextEdit):
    """The memo: several lines; saved when the keyboard leaves it or on Ctrl+Enter; Tab moves on."""

    committed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setTabChangesFocus(True)
        self.setMaximumHeight(90)

    def event(self, event: QEvent) -> bool:
        # Ctrl+Enter saves the memo here: the window's "Mark Done and Open Next" must not take it
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            event.accept()
            return True
        return super().event(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.committed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and ctrl:
            self.committed.emit()
            return
        super().keyPressEvent(event)


class PropertiesPanel(QWidget):
    """Emits ``edited(doc_id, name, raw)`` when the user leaves a changed field: the controller checks and saves
    it for the statement the panel showed (a field left by opening another statement is saved for its own)."""

    edited = Signal(int, str, object)
    manageRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editors: dict[str, QWidget] = {}
        self.shown: dict[str, Any] = {}
        self.types: dict[str, str] = {}
        self.doc_id: int | None = None
        fields = QWidget()
        self.form = QFormLayout(fields)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.origin = plain(QLabel())
        self.origin.setObjectName("property_origin")
        self.origin.setWordWrap(True)
        self.origin.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # where it came from, under the fields and scrolled with them: below the scroll area, a short dock cut its
        # last lines off (seen on Xvfb at 1024 x 520)
        self.form_host = QWidget()
        host = QVBoxLayout(self.form_host)
        host.setContentsMargins(self.form.contentsMargins())  # the origin aligned with the captions
        self.form.setContentsMargins(0, 0, 0, 0)
        host.addWidget(fields)
        host.addWidget(self.origin)
        host.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_host)
        self.message = plain(QLabel())
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {PROBLEM_COLOR}")
        # its two lines kept whether it says something or not: the fields above never move as it comes and goes (a
        # click aimed at the next field landed between two, seen in a newcomer's trial)
        self.message.setMinimumHeight(2 * self.message.fontMetrics().lineSpacing())
        self.manage = QPushButton("Variables…")
        self.manage.setToolTip("Add, rename, delete or reorder the project's own variables")
        self.manage.clicked.connect(self.manageRequested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(scroll)
        layout.addWidget(self.message)
        layout.addWidget(self.manage, 0, Qt.AlignmentFlag.AlignLeft)
        self.set_variables([])
        self.setEnabled(False)

    # ------------------------------------------------------------------ building
    def set_variables(self, variables: list[Variable]) -> None:
        """One field per fixed variable, then one per project variable, in order."""
        before = self.types
        # typed and not saved yet (another program added a variable meanwhile): kept in the field made anew
        typing = {n: self.value_of(n) for n in self.editors if self._typing(n)} if self.isEnabled() else {}
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors = {}
        self.types = {"title": "text", "date": "date", "issuer": "text", "url": "text", "note": "memo"}
        self._add("title", "Title", "text")  # the statement's title, as listed (an import may have named it by file)
        for name in cv.FIXED:
            self._add(name, cv.FIXED_NAMES[name], self.types[name])
        for var in variables:
            self.types[var.name] = var.type
            self._add(var.name, var.name, var.type)
        # the new fields show what was shown (left empty, the next statement opened saved "" over it); a variable
        # gone, or of another type now (deleted, then added again as yes/no), shows nothing
        self.shown = {n: v for n, v in self.shown.items() if n in self.editors and before.get(n) == self.types[n]}
        for name in self.editors:
            self._show(name, self.shown.get(name))
            if name in typing and before.get(name) == self.types[name]:
                self._put(name, typing[name])
                self._set_typing(name, True)

    def forget(self) -> None:
        """Another project is open: the statement shown, its values and the fields are of none now (nothing saved:
        a field being edited was saved as it lost the keyboard to the menu or dialog that changed the project)."""
        self.doc_id = None
        self.shown = {}
        for name in self.editors:
            self._show(name, None)
        self.setEnabled(False)

    def _add(self, name: str, label: str, type_: str) -> None:
        editor: QWidget
        if type_ == "memo":
            editor = MemoEdit()
            editor.committed.connect(lambda n=name: self._commit(n))
        elif type_ == "bool":
            editor = QComboBox()
            editor.addItem("", None)
            editor.addItem("yes", True)
            editor.addItem("no", False)
            editor.activated.connect(lambda _i, n=name: self._commit(n))
        else:
            editor = QLineEdit()
            editor.setPlaceholderText(PLACEHOLDERS.get("url" if name == "url" else type_, ""))
            editor.editingFinished.connect(lambda n=name: self._commit(n))
        editor.setObjectName(f"property_{name}")
        editor.setAccessibleName(label)
        caption = plain(QLabel())
        # a long variable name is elided in its middle, whole in the tooltip: at its full width it took the fields'
        # room ("country_of_origin_of_the_statement:" left them 90 px in a 350 px dock)
        metrics = caption.fontMetrics()
        most = CAPTION_CHARS * metrics.averageCharWidth()
        shown = metrics.elidedText(f"{label}:", Qt.TextElideMode.ElideMiddle, most)
        caption.setText(shown)
        if shown != f"{label}:":
            caption.setToolTip(plain_tooltip(label))
        caption.setBuddy(editor)
        self.form.addRow(caption, editor)
        self.editors[name] = editor

    # ------------------------------------------------------------------ showing
    def show_fields(self, doc_id: int | None, fields: Fields | None,
                    provenance: tuple[Provenance, str] | None = None) -> None:
        same = doc_id == self.doc_id
        if not same:
            for name in list(self.editors):  # a field being edited when another statement opens is kept
                self._commit(name)
        self.doc_id = doc_id
        self.setEnabled(fields is not None)
        # the same statement shown again (another field saved, another program changed the project): a field marked
        # invalid, or typed in and not saved yet, keeps what was typed -- it is saved when the field is left (trial
        # 14: a half-written memo was wiped when the command line changed another statement)
        marked = [n for n, e in self.editors.items() if same and e.property("invalid")]
        fields = fields or Fields()
        typing = [n for n in self.editors if same and n not in marked and self._typing(n)]
        if not marked:
            self.message.clear()
        changed_under = []
        for name in self.editors:
            if name in marked or name in typing:
                if name in typing and not self._same(fields.get(name), self.shown.get(name)):
                    changed_under.append(self.editors[name].accessibleName())
                self.shown[name] = fields.get(name)
            else:
                self._show(name, fields.get(name))
        if changed_under:
            self.message.setText(to_qt(
                f"{', '.join(changed_under)} changed in the project while you typed here; yours is saved when you "
                "leave the field"))
        if provenance is None:
            self.origin.setText("")
        else:
            prov, when = provenance
            # the file's hash, named so: exports and the review match statements by their text's (a newcomer's
            # finding: "SHA-256 93f40c…" here, 4771a7… in the export)
            self.origin.setText(to_qt(f"Imported {when[:16].replace('T', ' ')} UTC from {prov.file_name} by "
                                      f"{prov.extractor} {prov.extractor_version} (the file's SHA-256 "
                                      f"{prov.file_sha256[:12]}…)"))

    def _show(self, name: str, value: Any) -> None:
        self.shown[name] = value
        self.unmark(name)
        editor = self.editors[name]
        self._put(name, value if isinstance(editor, QComboBox) else value or "" if isinstance(editor, QPlainTextEdit)
                  else cv.display(self.types[name], value))

    def _put(self, name: str, value: Any) -> None:
        """The field shows ``value`` (a choice's value; a text as typed), its signals quiet."""
        editor = self.editors[name]
        editor.blockSignals(True)
        try:
            if isinstance(editor, QComboBox):
                editor.setCurrentIndex({True: 1, False: 2}.get(value, 0))
            elif isinstance(editor, QPlainTextEdit):
                editor.setPlainText(to_qt(value or ""))
                editor.document().setModified(False)  # (as setText does for a line)
            elif isinstance(editor, QLineEdit):
                editor.setText(to_qt(value or ""))
                if not editor.hasFocus():  # its start shown: a long URL read "ttps://…" (a newcomer's finding)
                    editor.setCursorPosition(0)
        finally:
            editor.blockSignals(False)

    def value_of(self, name: str) -> Any:
        editor = self.editors[name]
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QPlainTextEdit):
            return from_qt(editor.toPlainText())
        return from_qt(editor.text())  # type: ignore[attr-defined]

    def _same(self, raw: Any, shown: Any, name: str | None = None) -> bool:
        """Whether a field's value ``raw`` is the saved value ``shown`` (as typed, as displayed, or both empty)."""
        display = cv.display(self.types[name], shown) if name is not None else shown
        return raw in (display, shown) or (raw in ("", None) and shown in ("", None))

    def _unchanged(self, name: str) -> bool:
        """Whether the field of ``name`` holds what was last shown in it (nothing typed, or typed back)."""
        return self._same(self.value_of(name), self.shown.get(name), name)

    def _typing(self, name: str) -> bool:
        """Whether the field of ``name`` holds something typed since it was last shown or saved."""
        editor = self.editors[name]
        modified = editor.isModified() if isinstance(editor, QLineEdit) else \
            editor.document().isModified() if isinstance(editor, QPlainTextEdit) else False
        return modified and not self._unchanged(name)

    def _set_typing(self, name: str, typing: bool) -> None:
        """Mark the field of ``name`` as typed in (or not: what it holds is being saved, which may show it trimmed,
        or refuse it)."""
        editor = self.editors[name]
        if isinstance(editor, QLineEdit):
            editor.setModified(typing)
        elif isinstance(editor, QPlainTextEdit):
            editor.document().setModified(typing)

    def _commit(self, name: str) -> None:
        if not self.isEnabled() or name not in self.editors or self.doc_id is None:
            return
        raw = self.value_of(name)
        self._set_typing(name, False)
        if self._unchanged(name):
            if self.editors[name].property("invalid"):  # marked, then typed back to the saved value
                self.settle(name)
            return
        self.edited.emit(self.doc_id, name, raw)

    def refuse(self, name: str, message: str) -> None:
        """A value that cannot be saved: say why and show the saved value again."""
        self._show(name, self.shown.get(name))
        self.message.setText(to_qt(message))

    def can_mark(self, name: str) -> bool:
        """Whether the field of ``name`` can keep a value that cannot be saved, marked (:meth:`mark`): one line of
        text (a date, a number, a URL, a text); else it is :meth:`refuse`d."""
        return isinstance(self.editors.get(name), QLineEdit)

    def mark(self, name: str, message: str) -> None:
        """A value that cannot be saved, kept as typed so it can be corrected (a typo in a long URL is fixed, not
        typed again): the field marked red with the reason in its tooltip, and the reason below the fields. Nothing
        is saved; the mark goes when a value is saved or another statement is shown."""
        editor = self.editors[name]
        editor.setProperty("invalid", True)
        editor.setFixedHeight(editor.height())  # a style sheet's frame is sized otherwise: the rows below stay put
        editor.setStyleSheet(INVALID_STYLE)
        editor.setToolTip(plain_tooltip(message))
        self.message.setText(to_qt(message))

    def unmark(self, name: str) -> None:
        """The mark of :meth:`mark` gone, the text as it is (a value that can be saved now)."""
        editor = self.editors[name]
        if editor.property("invalid"):
            editor.setProperty("invalid", False)
            editor.setStyleSheet("")
            editor.setToolTip("")

    def settle(self, name: str) -> None:
        """The saved value shown again (``  https://x `` typed over ``https://x``: saved as it was, shown trimmed)."""
        self._show(name, self.shown.get(name))
        self.message.clear()
