"""Statements as a whole in the window (trial 10, D7): Document ▸ Delete Statement… (and the Documents list's
context menu and Delete key), asking first what will be lost, as one undoable change; and the title, set in
Document Properties (``ui/properties/title.py``), shown at once wherever a statement is named.

``install(window)`` adds them to a MainWindow after its ``__init__``, like ``ui/review.py``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QMenu, QMessageBox

from annotator.errors import AnnotatorError
from annotator.store.statements import title_of
from annotator.ui.dialogs import error, roomy
from annotator.ui.documents.commands import DeleteStatement, short

TITLE = "Delete Statement"


def install(window: Any) -> StatementsController:
    existing = getattr(window, "_statements_controller", None)
    if existing is None:
        existing = window._statements_controller = StatementsController(window)
    return existing


def title_changed(window: Any, doc_id: int) -> None:
    """A statement's title changed (here or undone): the window's title, the Documents list, the Properties panel,
    the Review dock and the search results say the new one at once."""
    session = window.session
    if session.document is not None and session.document.id == doc_id:
        session.document = dataclasses.replace(session.document, title=title_of(session.project, doc_id))
        window._update_title()
        review = getattr(window, "review", None)
        if review is not None and review.files:  # its line names the statement (trial 12, F13: the old title stayed)
            review.refresh()
    window.documents_changed(same_statements=True)
    window.properties.values_changed(doc_id)
    _search_again(window)


def _search_again(window: Any) -> None:
    """The Search dock's hits name statements: a search shown is run again (a hit of a statement deleted would
    open nothing; one retitled would keep its old title)."""
    search = getattr(window, "search", None)
    if search is not None and search.panel.query.text().strip() and search.model.rowCount():
        search.run()


class StatementsController(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.delete_action = QAction("De&lete Statement…", window)
        self.delete_action.setObjectName("delete_statement")
        self.delete_action.setStatusTip("Delete the open statement with its spans; Edit ▸ Undo brings it back")
        self.delete_action.triggered.connect(self.delete_open)
        document_menu = window.menus["&Document"]
        document_menu.addSeparator()
        document_menu.addAction(self.delete_action)
        # the Documents list: its context menu, and Delete while it has the keyboard -- a key press, not a second
        # shortcut on the key of Edit ▸ Delete Span (X binds a key once: test_keys_x11); each acts where the keys are
        table = window.documents.table
        table.installEventFilter(self)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._context_menu)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Delete and not event.modifiers()):
            self.delete_listed()
            return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ asking
    def delete_open(self) -> None:
        doc = self.window.session.document
        if doc is None:
            self.window.statusBar().showMessage("No statement is open to delete", 5000)
            return
        self.delete(doc.id)

    def delete_listed(self) -> None:
        doc_id = self.window.documents.table.currentIndex().siblingAtColumn(0).data(Qt.ItemDataRole.UserRole)
        if doc_id is None:
            self.delete_open()
            return
        self.delete(int(doc_id))

    def _context_menu(self, pos: QPoint) -> None:
        table = self.window.documents.table
        index = table.indexAt(pos)
        if not index.isValid():
            return
        doc_id = int(index.siblingAtColumn(0).data(Qt.ItemDataRole.UserRole))
        menu = QMenu(table)
        menu.addAction("De&lete Statement…").triggered.connect(lambda: self.delete(doc_id))
        menu.exec(table.viewport().mapToGlobal(pos))

    def delete(self, doc_id: int) -> None:
        """Ask, then delete statement ``doc_id`` as one undoable change."""
        window, session = self.window, self.window.session
        project = session.project
        if project.readonly:
            reason = getattr(project, "readonly_reason", None) or f"{project.path.name} is open read-only here."
            error(window, TITLE, f"Nothing can be deleted here: {reason}")
            return
        try:
            title = title_of(project, doc_id)
            spans = len(session.index) if session.document is not None and session.document.id == doc_id \
                else len(project.spans(doc_id))
        except AnnotatorError as exc:
            error(window, TITLE, str(exc))
            return
        asked = ask(window, title, spans)
        if asked:
            session.push(DeleteStatement(self, doc_id, title))
        window.focus_statement()  # the keys go back to the statement (Ctrl+Z undoes at once)

    # ------------------------------------------------------------------ after the store changed
    def neighbour(self, doc_id: int) -> int | None:
        """The statement to open once ``doc_id`` is deleted: the next one listed, else the one before."""
        model = self.window.documents.model
        row = model.row_of(doc_id)
        rows = model.rows
        if row < 0:
            return None
        if row + 1 < len(rows):
            return int(rows[row + 1].id)
        return int(rows[row - 1].id) if row > 0 else None

    def deleted(self, doc_id: int, was_open: bool, following: int | None) -> None:
        window, session = self.window, self.window.session
        if was_open:  # nothing of it shown any more (the panels read the open statement)
            session.close_document()
        window.documents_changed()
        if was_open:
            if following is not None:
                window.open_document(following)
            else:
                window.open_first_unfinished()
        window.properties.changed_elsewhere()
        session.documentsChanged.emit()  # its spans went: the suggestions learn anew
        _search_again(window)

    def restored(self, doc_id: int) -> None:
        window = self.window
        window.documents_changed()
        window.open_document(doc_id)
        window.properties.changed_elsewhere()
        window.session.documentsChanged.emit()
        _search_again(window)


def ask(parent: Any, title: str, spans: int) -> bool:
    """Delete or Cancel, Cancel the default (Enter or Escape deletes nothing)."""
    held = f" and its {spans} span" + ("" if spans == 1 else "s") if spans else " (it holds no span)"
    box = QMessageBox(QMessageBox.Icon.Warning, TITLE, f"Delete “{short(title, 80)}”{held}?",
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("delete_statement_dialog")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText("Its status, memo, variables, review decisions and where it came from go with it. "
                           "Edit ▸ Undo brings it back.")
    delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    roomy(box).exec()
    return box.clickedButton() is delete
