"""Document variables in the window (DESIGN.md §3): the Document Properties dock, the Date and Issuer columns and
the filters of the Documents list, the variables dialog, and File ▸ Set Document Variables… for a vars file.

``install(window)`` adds them to a MainWindow after its ``__init__``, like ``ui/review.py``.
"""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget

from annotator.core import variables as cv
from annotator.core.model import Document
from annotator.errors import AnnotatorError, Cancelled
from annotator.store import variables as sv
from annotator.store.variables import Fields
from annotator.ui import filedialogs
from annotator.ui.dialogs import error
from annotator.ui.properties import commands, title
from annotator.ui.properties.columns import Column, FilterBar
from annotator.ui.properties.panel import PropertiesPanel
from annotator.ui.reading import columns

VARS_FILTER = "Document variables (*.csv *.json);;All files (*)"
DEFAULT_COLUMNS = ("date", "issuer")
#: the default width of a variable's column in the Documents list, in px (a date's fits a date at the font in use)
COLUMN_WIDTHS = {"issuer": 130}


def install(window: Any) -> PropertiesController:
    existing = getattr(window, "_properties_controller", None)
    if existing is None:
        existing = window._properties_controller = PropertiesController(window)
    return existing


class PropertiesController(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self._fields: dict[int, Fields] | None = None
        self._some: dict[int, Fields] = {}  # the rows shown while ``_fields`` is not read
        self._session: Any = None
        self.variables: list[cv.Variable] = []
        saved = window.settings.value("documents/columns", None)
        saved = [saved] if isinstance(saved, str) else saved
        self.shown_columns: list[str] = [str(c) for c in saved] if saved is not None else list(DEFAULT_COLUMNS)

        self.panel = PropertiesPanel()
        self.dock = QDockWidget("Document Properties", window)
        self.dock.setObjectName("properties_dock")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        spans_dock = next((d for d in window.findChildren(QDockWidget) if d.objectName() == "spans_dock"), None)
        if spans_dock is not None:
            window.splitDockWidget(spans_dock, self.dock, Qt.Orientation.Vertical)
            # the fields and where the statement came from, under them, shown without scrolling in a first window
            # (a saved window state, restored after, keeps the user's split)
            window.resizeDocks([spans_dock, self.dock], [300, 420], Qt.Orientation.Vertical)
        window.restoreDockWidget(self.dock)
        self.panel.edited.connect(self.edit)
        self.panel.manageRequested.connect(self.manage)

        documents_dock = window.documents.parentWidget()
        if isinstance(documents_dock, QDockWidget):  # room for the Date and Issuer columns
            window.resizeDocks([documents_dock], [480], Qt.Orientation.Horizontal)
        self.filters = FilterBar()
        window.documents.layout().insertWidget(2, self.filters)
        self.filters.changed.connect(window.documents.filtersChanged)
        model = window.documents.model
        model.keep = self._keep
        model.keeping = lambda: self._predicate is not None
        # unsorted (import order) until a header is clicked; then the model sorts (a date column by date); a third
        # click on the same header clears the indicator, and the rows go back to import order
        header = window.documents.table.horizontalHeader()
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        window.documents.table.setSortingEnabled(True)

        self.focus_action = QAction("Document &Properties", window)
        self.focus_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.focus_action.setStatusTip("Edit the statement's title, date, issuer, URL, memo and variables")
        self.focus_action.triggered.connect(self.focus)
        self.manage_action = QAction("Document &Variables…", window)
        self.manage_action.triggered.connect(self.manage)
        self.vars_action = QAction("Set Document &Variables…", window)
        self.vars_action.setStatusTip("Set dates, issuers and variables from a CSV or JSON file (by sha256 or title); "
                                      "an option of its dialog makes empty cells clear values")
        self.vars_action.triggered.connect(self.set_from_file)
        window.addAction(self.focus_action)
        document_menu = window.menus["&Document"]
        document_menu.addSeparator()
        document_menu.addAction(self.focus_action)
        document_menu.addAction(self.manage_action)
        file_menu = window.menus["&File"]
        file_menu.insertAction(window.actions_["quit"], self.vars_action)
        window.menus["&View"].addAction(self.dock.toggleViewAction())
        self.columns_menu = window.menus["&View"].addMenu("Documents &Columns")
        self.columns_menu.aboutToShow.connect(self._fill_columns_menu)

        window.undo_group.activeStackChanged.connect(lambda _stack: self._sync_session())
        self._sync_session()

    # ------------------------------------------------------------------ state
    @property
    def session(self) -> Any:
        return self.window.session

    def all_fields(self) -> dict[int, Fields]:
        if self._fields is None:
            self._fields = sv.all_fields(self.session.project)
        return self._fields

    def fields(self, doc_id: int) -> Fields:
        if self._fields is None:  # the rows on screen, a block at a time: every document's only for a filter or a sort
            found = self._some.get(doc_id)
            if found is None:
                # the rows around it too, in one read: a jump to a far statement (Next Suggested Statement, a search
                # hit) shows a screen of rows never read, three queries each (issue #14)
                block = [d for d in self.window.documents.model.block_of(doc_id) if d not in self._some]
                self._some.update(sv.fields_of(self.session.project, block or [doc_id]))
                found = self._some.get(doc_id, Fields())  # deleted meanwhile: empty (and asked again)
            return found
        found = self.all_fields().get(doc_id)
        if found is None:  # a document imported since the last read
            self._fields = None
            found = self.all_fields().get(doc_id, Fields())
        return found

    def _forget(self) -> None:
        self._fields = None
        self._some = {}

    def _sync_session(self) -> None:
        session = self.window.session
        if session is self._session:
            return
        if self._session is not None:
            with contextlib.suppress(RuntimeError, TypeError):  # a session already deleted with its project
                self._session.documentOpened.disconnect(self._document_opened)
        self._session = session
        self.panel.forget()  # its statement was the old project's: never saved into this one
        session.documentOpened.connect(self._document_opened)
        self.definitions_changed()

    def _keep(self, doc_id: int) -> bool:
        keep = self._predicate
        if keep is None:
            return True
        self.all_fields()  # a filter reads every row: every document's variables in one query
        return keep(self.fields(doc_id))

    # ------------------------------------------------------------------ refreshing
    def definitions_changed(self) -> None:
        """The project's variables changed (or the project did): the form, the columns, the filters."""
        self._forget()
        self.variables = sv.definitions(self.session.project)
        names = {v.name for v in self.variables}
        self.shown_columns = [c for c in self.shown_columns if c in cv.FIXED or c in names]
        self.panel.set_variables(self.variables)
        self._refresh_lists()
        self._show_current()

    def changed_elsewhere(self) -> None:
        """Another process changed the project (``annotator vars``, an import): what was read of the variables is
        forgotten before the Documents list is read again (its Date and Issuer kept the values read before until
        the app was restarted, a newcomer's trial found, while the form showed the new ones); the issuers offered
        and the form follow. New variables: the columns and filters are laid out again."""
        project = self.session.project
        if sv.definitions(project) != self.variables:
            self.definitions_changed()
            return
        self._forget()
        issuers = sorted(sv.issuers(project), key=str.casefold)
        if issuers != self._issuers:
            self._issuers = issuers
            self.filters.set_choices(issuers, self.variables)
        self._show_current()

    def values_changed(self, doc_id: int) -> None:
        self._forget()
        self._show_current()
        if self.fields(doc_id).issuer not in self._issuers:
            self._refresh_lists()
        else:
            model = self.window.documents.model
            row = model.row_of(doc_id)
            if row >= 0:
                model.dataChanged.emit(model.index(row, 0), model.index(row, model.columnCount() - 1))

    def _refresh_lists(self) -> None:
        self._forget()  # read again as the rows are shown (at 100 000 statements, reading all took seconds)
        types = {v.name: v.type for v in self.variables}
        self._issuers = sorted(sv.issuers(self.session.project), key=str.casefold)
        self.filters.set_choices(self._issuers, self.variables)
        model = self.window.documents.model
        self._types = types
        model.extra = [Column(n, types.get(n, "date" if n == "date" else "text"), self.fields, self.all_fields)
                       for n in self.shown_columns]
        self.window.documents_changed()
        # every column resizable and the last taking what is left, as the list's own (a count of spans stretched
        # once these were added, and pushed the Issuer past the dock's edge), at the widths the user left them
        documents = self.window.documents
        header = documents.table.horizontalHeader()
        widths = dict(documents.widths)
        for i, column in enumerate(model.extra, 3):
            widths[i] = (columns.fits(header, i, columns.DATE_SAMPLE) if column.type == "date"
                         else COLUMN_WIDTHS.get(column.name, 90))
        columns.resizable(header, widths | columns.remembered(header, self.window.settings, "documents"))

    @property
    def _predicate(self):  # type: ignore[no-untyped-def]
        return self.filters.predicate(getattr(self, "_types", {}))

    def _document_opened(self, doc: Document) -> None:
        self._show(doc.id)

    def _show_current(self) -> None:
        doc = self.session.document
        self._show(doc.id if doc is not None else None)

    def _show(self, doc_id: int | None) -> None:
        if doc_id is None:
            self.panel.show_fields(None, None)
            return
        project = self.session.project
        self.panel.show_fields(doc_id, sv.fields(project, doc_id), sv.provenance(project, doc_id))
        self.panel.setEnabled(not project.readonly)

    def key_rows(self) -> list[tuple[str, str]]:
        """(keys, what they do) for Help ▸ Keyboard Shortcuts."""
        return [
            ("Ctrl+Shift+P", "Document Properties: the statement's title, date, issuer, URL, memo and variables"),
            ("Tab, Enter (Ctrl+Enter in the memo)", "Document Properties: next field; save the field (undoable)"),
        ]

    # ------------------------------------------------------------------ actions
    def edit(self, doc_id: int, name: str, raw: Any) -> None:
        if name == "title":  # not a variable: checked and saved as a title (``properties/title.py``)
            title.edit(self, doc_id, raw)
            return
        project = self.session.project
        try:
            value = sv.check_entry(project.conn, name, raw)
        except AnnotatorError as exc:
            if self.panel.can_mark(name):  # kept as typed, marked, to be corrected (a date refused was emptied)
                self.panel.mark(name, str(exc))
            else:
                self.panel.refuse(name, str(exc))
            return
        if doc_id == self.panel.doc_id:
            self.panel.unmark(name)  # a value that can be saved: shown as saved from now on
        try:
            before = sv.fields(project, doc_id).get(name)
        except AnnotatorError:  # the statement is gone (another project opened)
            return
        if value == before or (value in ("", None) and before in ("", None)):
            if doc_id == self.panel.doc_id:
                self.panel.settle(name)  # typed with spaces around, or marked and typed back: the saved value
            return
        command = commands.SetValue(self, doc_id, name, before, value)
        if not self.session.push(command):
            self.panel.refuse(name, command.failure or "")

    def focus(self) -> None:
        self.dock.show()
        self.dock.raise_()
        # the first field, as the panel reads from the top: Title (a tester pressed it to rename and landed in Date,
        # trial 12); Tab goes on to the date, the issuer, the URL and the memo
        self.panel.editors["title"].setFocus(Qt.FocusReason.ShortcutFocusReason)

    def manage(self) -> None:
        from annotator.ui.properties.variables_dialog import VariablesDialog

        VariablesDialog(self, self.window).exec()
        self.window.focus_statement()

    def set_from_file(self) -> None:
        from annotator.ui.properties.variables_dialog import empty_clears_option

        option = empty_clears_option()  # unticked each time: an empty cell leaves the value as it is
        path = filedialogs.open_file_with(self.window, "Set document variables", VARS_FILTER, option)
        if path:
            self.apply_file(path, option.isChecked())

    def apply_file(self, path: str, empty_clears: bool = False) -> None:
        """A vars file, whole or nothing (``store/varsfile.py``), in a thread with a progress dialog and a Cancel
        (one for 100 000 statements took 3.6 s); the summary says what was set, cleared and added. What it changed
        is one step of the undo stack (``commands.SetFromFile``)."""
        from pathlib import Path

        from annotator.store.varsfile import apply
        from annotator.ui.files import job

        try:
            report = job.run_write(self.window, self.session.project, "Set document variables",
                                   f"Setting the variables of {Path(path).name}…",
                                   lambda project: apply(project, path, empty_clears))
        except Cancelled:
            self.window.statusBar().showMessage("Set document variables: cancelled, nothing was changed", 10000)
            return
        except AnnotatorError as exc:
            error(self.window, "Set document variables", "\n".join(exc.lines()))
            return
        lines = report.summary_lines()
        if report.changes or report.new_variables:
            self.session.push(commands.SetFromFile(self, Path(path).name, report))
            lines.append("Edit ▸ Undo puts every value back as it was.")
        self.file_applied(report)
        inform(self.window, "Set document variables", "\n".join(lines))

    def file_applied(self, report: Any) -> None:
        """A vars file's values were set, put back or set again: the form, the columns and the filters; a title it
        changed shows at once in the window's title, the Documents list and the search results."""
        self.definitions_changed()
        doc = self.session.document
        if doc is not None and any(doc_id == doc.id and "title" in after for doc_id, _, after in report.changes):
            from annotator.ui.documents import title_changed

            title_changed(self.window, doc.id)

    def _fill_columns_menu(self) -> None:
        self.columns_menu.clear()
        for name, label in [(n, cv.FIXED_NAMES[n]) for n in cv.FIXED] + [(v.name, v.name) for v in self.variables]:
            action = self.columns_menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(name in self.shown_columns)
            action.toggled.connect(lambda on, n=name: self.show_column(n, on))

    def show_column(self, name: str, shown: bool) -> None:
        if shown and name not in self.shown_columns:
            self.shown_columns.append(name)
        elif not shown and name in self.shown_columns:
            self.shown_columns.remove(name)
        self.window.settings.setValue("documents/columns", list(self.shown_columns))  # remembered, like the layout
        self._refresh_lists()


def inform(parent: Any, title: str, message: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Information, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()
