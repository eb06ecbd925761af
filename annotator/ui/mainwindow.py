"""The main window: composes the statement view, the panels, the menus and the status bar. It decides nothing:
keys go to the editor, files to ``files.py``, and every change through the session's undoable commands."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMenu, QToolBar, QVBoxLayout, QWidget

from annotator import inuse
from annotator.core.model import Document, Span
from annotator.core.neutral import terminal_safe
from annotator.errors import AnnotatorError
from annotator.store import Project
from annotator.store.editlock import open_for_editing
from annotator.ui import actions as action_table
from annotator.ui import analyst, documents, guide, properties, restore, review, search, suggest, watch
from annotator.ui import corpus as corpus_views
from annotator.ui.dialogs import AboutDialog, FindBar, ShortcutsDialog, error
from annotator.ui.doclist.listing import Listing
from annotator.ui.doclist.order import ListOrder
from annotator.ui.editing import Editor, ShortcutGuard
from annotator.ui.files import Files, drop_paths
from annotator.ui.filewatch import FileWatcher
from annotator.ui.labelsbar import LabelsBar
from annotator.ui.panels import DocumentsPanel, SpansPanel, hold_paint, hold_paint_in_turns
from annotator.ui.reading import columns
from annotator.ui.reading import control as reading
from annotator.ui.search.docfilter import DocumentFilter
from annotator.ui.session import Session
from annotator.ui.statement.view import StatementView
from annotator.ui.text import plain

MAX_RECENT = 8
#: the least width of the statement's area, px (about 55 characters a line at the reading size)
STATEMENT_MIN_WIDTH = 400


class MainWindow(Listing, QMainWindow):
    def __init__(self, project: Project, settings: QSettings) -> None:
        super().__init__()
        self.settings = settings
        self.setObjectName("MainWindow")
        self.setAcceptDrops(True)
        self.resize(1280, 800)

        self.view = StatementView()
        self.find_bar = FindBar()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.view)
        # the statement keeps room to read when the window is made small: the docks give way first (they kept
        # their 480 and 360 px, and a 1024 px window left the statement 140 px, three words a line)
        central.setMinimumWidth(STATEMENT_MIN_WIDTH)
        self.setCentralWidget(central)

        self.documents = DocumentsPanel()
        self.spans_panel = SpansPanel()
        self.labels_bar = LabelsBar()
        left = self._dock("Documents", "documents_dock", self.documents, Qt.DockWidgetArea.LeftDockWidgetArea)
        right = self._dock("Spans", "spans_dock", self.spans_panel, Qt.DockWidgetArea.RightDockWidgetArea)
        self.resizeDocks([left, right], [280, 360], Qt.Orientation.Horizontal)
        columns.remember(self.documents.table.horizontalHeader(), settings, "documents")
        columns.remember(self.spans_panel.table.horizontalHeader(), settings, "spans")
        toolbar = QToolBar("Labels")
        toolbar.setObjectName("labels_toolbar")
        toolbar.addWidget(self.labels_bar)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.progress_label = plain(QLabel())
        self.statusBar().addPermanentWidget(self.progress_label)

        self.undo_group = QUndoGroup(self)
        self._listed_key: tuple[object, ...] | None = None  # the filters and project state ``_listed`` was read at
        self._listed: object = None
        self.doc_filter = DocumentFilter(self)  # a text filter: its first page at once, the rest off this thread
        self.list_order = ListOrder(self)  # the list sorted by a column: its order read off this thread
        self.session = Session(project, self)
        self.editor = Editor(self.session, self.view, self)
        self.files = Files(self)
        self.file_watch = FileWatcher(self)
        self.menus = {name: self.menuBar().addMenu(name) for name in action_table.MENUS}
        self.actions_ = action_table.build(action_table.SPECS, {"files": self.files, "editor": self.editor,
                                                                  "window": self}, self, self.view)
        self._build_menus()
        self.label_actions: list[QAction] = []
        self.guide: guide.GuideDialog | None = None
        span_selected = lambda: self.view.selected_span_id is not None  # noqa: E731
        self.guard = ShortcutGuard(self.view, {k: span_selected for k in (
            "Ctrl+Shift+Left", "Ctrl+Shift+Right", "Ctrl+Alt+Shift+Left", "Ctrl+Alt+Shift+Right", "Escape")})

        self.documents.documentActivated.connect(self.open_document)
        self.documents.filtersChanged.connect(self.documents_changed)
        self.spans_panel.spanActivated.connect(self._span_activated_in_panel)
        self.spans_panel.model.noteEdited.connect(lambda span, note: self.editor.set_note(span, note))
        self.labels_bar.labelClicked.connect(lambda key: self.editor.apply_label(key))
        self.view.spanSelected.connect(self.spans_panel.select_later)
        self.find_bar.findRequested.connect(self._find)
        self.find_bar.closed.connect(lambda: self.view.setFocus(Qt.FocusReason.OtherFocusReason))

        self._bind(self.session)
        # features that add their own menus, keys and docks; before the layout is restored, so their docks are too
        self.review = review.install(self)
        restore.install(self)
        self.outside = watch.install(self)  # changes by other processes show up by themselves
        self.reading = reading.install(self)  # zoom, font, spacing, line width of every statement view
        self.properties = properties.install(self)
        self.statements = documents.install(self)  # Delete Statement…; a title shown where it is named
        self.search = search.install(self)  # the Search dock (Ctrl+Shift+F)
        self.corpus_views = corpus_views.install(self)  # the Corpus menu: tables, charts, span retrieval
        self.suggestions = suggest.install(self)  # ghost spans, their keys, the Suggestions dock (issue 13)
        # the docks below the statement (Review, Search, Suggestions) share its width as tabs: side by side, two of
        # them at a large font asked more width than the screen had, and the window grew past its edge
        bottom = [d for d in self.findChildren(QDockWidget)
                  if self.dockWidgetArea(d) == Qt.DockWidgetArea.BottomDockWidgetArea]
        for dock in bottom[1:]:
            self.tabifyDockWidget(bottom[0], dock)
        # the right-hand docks keep the window's height: a dock below took its height from them too, and Document
        # Properties shrank to a scroll box, its memo and Variables… out of sight (a newcomer's finding)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self._restore_window_state()

    # ------------------------------------------------------------------ building
    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_menus(self) -> None:
        file_menu = self.menus["&File"]
        action_table.fill_menus(self.menus, action_table.SPECS, self.actions_)
        self.recent_menu = QMenu("Open &Recent", self)
        file_menu.insertMenu(self.actions_["import"], self.recent_menu)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        edit = self.menus["&Edit"]
        undo = self.undo_group.createUndoAction(self, "&Undo")
        undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        redo = self.undo_group.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        first = edit.actions()[0] if edit.actions() else None
        edit.insertActions(first, [undo, redo])
        edit.insertSeparator(first)
        self.addActions([undo, redo])
        view_menu = self.menus["&View"]
        for dock in self.findChildren(QDockWidget):
            view_menu.addAction(dock.toggleViewAction())
        for toolbar in self.findChildren(QToolBar):
            view_menu.addAction(toolbar.toggleViewAction())

    def _rebuild_label_actions(self) -> None:
        """One action per label in the Labels menu with its key; Ctrl+key applies it with character precision."""
        menu = self.menus["&Labels"]
        for action in self.label_actions:
            menu.removeAction(action)
            self.view.removeAction(action)
            action.deleteLater()
        self.label_actions = []
        first = menu.actions()[0] if menu.actions() else None
        group = QActionGroup(self)
        group.setExclusive(False)
        for label in self.session.labels:
            for exact in (False, True):
                name = terminal_safe(label.name).replace("&", "&&")  # an & in a name is no mnemonic
                text = f"Apply “{name}”" + (" (exact characters)" if exact else "")
                action = QAction(text, self)
                if label.shortcut:
                    action.setShortcut(QKeySequence(("Ctrl+" if exact else "") + label.shortcut))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                action.triggered.connect(lambda _=False, k=label.key, e=exact: self.editor.apply_label(k, e))
                self.view.addAction(action)
                if not exact:
                    menu.insertAction(first, action)
                self.label_actions.append(action)
        if first is not None and self.label_actions:
            menu.insertSeparator(first)
        keys = [k for a in (*self.label_actions, *self.actions_.values()) for k in a.shortcuts()]
        self.guard.set_keys(keys)

    # ------------------------------------------------------------------ session
    def _bind(self, session: Session) -> None:
        self.undo_group.addStack(session.undo_stack)
        self.undo_group.setActiveStack(session.undo_stack)
        session.documentOpened.connect(self._document_opened)
        session.spanAdded.connect(self._span_added)
        session.spanRemoved.connect(self._span_removed)
        session.spanChanged.connect(self._span_changed)
        session.spansReset.connect(self._spans_reset)
        session.labelsChanged.connect(self._labels_changed)
        session.statusChanged.connect(self._status_changed)
        session.failed.connect(lambda message: error(self, "Not saved", message))
        session.cancelled.connect(
            lambda what: self.statusBar().showMessage(f"{what}: cancelled, nothing was changed", 10000))
        self.editor.rebind(session)
        self._labels_changed()
        self.documents_changed()
        self._update_title()
        self.open_first_unfinished()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_first_unfinished(self) -> None:
        """The first statement still to do (else the first listed); an empty view when there is none."""
        session = self.session
        first = session.project.next_unfinished() or next(iter(r.id for r in self.documents.model.rows), None)
        if first is not None:
            self.open_document(first)
        else:  # the panels too: they showed the last project's statement
            self.view.set_document("", [], session.labels)
            self.spans_panel.model.reset("", session.index, session.labels, session.project.user)
            self.labels_bar.set_counts(self._counts())
            self._update_title()

    def open_project(self, path: Path, create: bool = False) -> bool:
        if inuse.open_project_of(path) is not None:  # already open here (by inode): nothing to do
            self.statusBar().showMessage(f"{path.name} is the project open in this window", 6000)
            return False
        try:  # with the editing lock, like the first project: a writing command then knows a window edits it
            project = open_for_editing(path, self.session.project.user, create=create)
        except AnnotatorError as exc:
            error(self, "Cannot open project", str(exc))
            return False
        if getattr(project, "readonly_reason", None):
            self.statusBar().showMessage(project.readonly_reason, 15000)  # type: ignore[attr-defined]
        old = self.session
        self.undo_group.removeStack(old.undo_stack)
        old.blockSignals(True)
        self.doc_filter.wait()  # their threads' connections closed first: the window's close is the file's last
        self.list_order.forget()
        self._listed_key = self._listed = None  # (its key holds the connection's id, which a new one may reuse)
        old.project.close()
        old.deleteLater()
        self.session = Session(project, self)
        self._bind(self.session)
        self.remember_recent(project.path)
        return True

    def focus_statement(self) -> None:
        """After a dialog, the keys go back to the statement, so labelling goes on without the mouse."""
        self.activateWindow()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_document(self, doc_id: int) -> None:
        self.spans_panel.commit_editing()  # a note being typed is saved on its own statement's span first
        try:
            self.session.open_document(doc_id)
        except AnnotatorError as exc:
            error(self, "Cannot open the statement", str(exc))
        self.documents.select(doc_id)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        # painted now, with what every part of the window showed of it (its suggestions too), before the panels
        # held by _document_opened: opened from a timer, the window's update request came after their first turn
        self.view.viewport().repaint()

    def step_document(self, delta: int) -> None:
        rows = self.documents.model.rows
        if not rows:
            return
        current = self.session.document.id if self.session.document else None
        i = self.documents.model.row_of(current) if current is not None else -1
        self.open_document(rows[(i + delta) % len(rows)].id)

    def _document_opened(self, doc: Document) -> None:
        # The statement is painted at once, the panels beside it after, one per turn of the event loop
        # (hold_paint_in_turns): Ctrl+U at 100 000 statements painted the scrolled documents list and the spans
        # table first, and a statement opened from a timer (Next Suggested Statement) painted everything in one
        # turn, 21-37 ms (issue #14). Of the Documents list only the table changes (its whole dock took 3-5 ms more).
        # The statement's scroll bars wait too: a new text changes their range, and Fusion paints a bar with fills
        # that Qt's raster engine splits over its thread pool and waits for (a fifth of Ctrl+U / Ctrl+Enter, py-spy)
        direct = Qt.FindChildOption.FindDirectChildrenOnly  # docks and toolbars are the window's own children
        table = self.documents.table
        docks = [d for d in self.findChildren(QDockWidget, options=direct) if d.isVisible()]
        hold_paint_in_turns([table], *([dock] for dock in docks if not dock.isAncestorOf(table)),
                            [*self.findChildren(QToolBar, options=direct), self.statusBar(),
                             self.view.verticalScrollBar(), self.view.horizontalScrollBar()],
                            before=self.documents.read_shown)
        self._show_document(doc)
        self.documents.select(doc.id)

    def _show_document(self, doc: Document | None) -> None:
        session = self.session
        if doc is None:
            return
        self.view.set_document(doc.text, session.index, session.labels)
        self.spans_panel.model.reset(doc.text, session.index, session.labels, session.project.user)
        self.labels_bar.set_counts(self._counts())
        self._update_title()

    def _spans_reset(self, doc_id: int) -> None:
        """The open statement's spans read again (many changed at once, here or elsewhere): shown where the
        analyst is reading, the selected span kept while it is there."""
        doc = self.session.document
        if doc is None or doc.id != doc_id or self.view.text != doc.text:
            self._show_document(doc)
            return
        session = self.session
        selected = self.view.selected_span_id
        self.view.set_spans(session.index, session.labels)
        self.spans_panel.model.reset(doc.text, session.index, session.labels, session.project.user)
        if selected is not None and session.span_by_id(selected) is not None:
            self.spans_panel.select(selected)
        self.labels_bar.set_counts(self._counts())
        self._update_title()

    def _counts(self) -> dict[str, int]:
        return self.session.counts

    def _is_current(self, span: Span) -> bool:
        return self.session.document is not None and span.doc_id == self.session.document.id

    def _span_added(self, span: Span) -> None:
        # the panels' models change now, their pixels on the next turn of the event loop: the key press returns
        # once the span is saved and the statement painted. The spans table (rows move) is held whole
        # (hold_paint); the documents list's row and the label counts are told of the change then.
        if self._is_current(span):
            hold_paint(self.spans_panel)
            self.view.add_span(span)
            self.spans_panel.model.inserted(span)
            self.labels_bar.counts_later(self._counts())
        self.documents.model.update(span.doc_id, span_count=self._span_count(span.doc_id))

    def _span_removed(self, span: Span) -> None:
        if self._is_current(span):
            hold_paint(self.spans_panel)
            self.view.remove_span(span.id)
            self.spans_panel.model.removed(span)
            self.labels_bar.counts_later(self._counts())
        self.documents.model.update(span.doc_id, span_count=self._span_count(span.doc_id))

    def _span_changed(self, before: Span, after: Span) -> None:
        if self._is_current(after):
            hold_paint(self.spans_panel)
            self.view.replace_span(after)
            self.spans_panel.model.changed(before, after)
            self.labels_bar.counts_later(self._counts())

    def _span_count(self, doc_id: int) -> int:
        if self.session.document is not None and doc_id == self.session.document.id:
            return len(self.session.index)
        return len(self.session.project.spans(doc_id))

    def _labels_changed(self) -> None:
        self.labels_bar.set_labels(self.session.labels, self._counts())
        self.view.set_labels(self.session.labels)
        self.spans_panel.model.labels = {lb.key: lb for lb in self.session.labels}
        self._rebuild_label_actions()

    def _status_changed(self, doc_id: int, status: str) -> None:
        hold_paint(self.documents, self.statusBar())
        self.documents.model.update(doc_id, status=status)
        self.update_progress()
        self._update_title()

    def _span_activated_in_panel(self, span_id: int) -> None:
        self.view.set_selected_span(span_id)

    def _find(self, text: str, backwards: bool) -> None:
        found = self.view.find_text(text, backwards)
        self.find_bar.status.setText("" if found or not text else "not found")

    # ------------------------------------------------------------------ status bar, title, recent
    def update_progress(self) -> None:
        done, total = self.session.project.progress()
        self.progress_label.setText(f"{done} of {total} done  ·  analyst: {self.session.project.user}")
        self.view.setPlaceholderText(guide.EMPTY_VIEW if total else guide.EMPTY_PROJECT)

    def _update_title(self) -> None:
        doc = self.session.document
        name = self.session.project.path.name
        self.setWindowTitle(f"{doc.title} — {name} — Annotator" if doc else f"{name} — Annotator")

    def remember_recent(self, path: Path) -> None:
        recent = [p for p in self.recent_projects() if p != str(path)]
        self.settings.setValue("recent_projects", [str(path), *recent][:MAX_RECENT])

    def recent_projects(self) -> list[str]:
        value = self.settings.value("recent_projects", [])
        return [value] if isinstance(value, str) else list(value or [])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.recent_projects():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.open_project(Path(p)))
        if not self.recent_menu.actions():
            self.recent_menu.addAction("No recent projects").setEnabled(False)

    # ------------------------------------------------------------------ help
    def show_shortcuts(self) -> None:
        review_rows = [(keys, f"Review: {what}") for keys, what in review.key_rows()]
        rows = (action_table.shortcut_rows(action_table.SPECS) + reading.key_rows() + self.properties.key_rows()
                + review_rows + search.key_rows() + corpus_views.key_rows() + suggest.key_rows())
        ShortcutsDialog(self, rows).exec()

    def change_analyst(self) -> None:
        analyst.change(self)

    def show_about(self) -> None:
        AboutDialog(self).exec()

    def show_guide(self) -> None:
        self.guide = guide.show_beside(self, self.guide)

    # ------------------------------------------------------------------ window state, drops
    def _restore_window_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()
        self.file_watch.timer.stop()
        self.outside.timer.stop()  # the project closes below: nothing to watch
        if self.guide is not None:
            self.guide.close()
            self.guide.deleteLater()
        self.suggestions.retrainer.stop()
        self.session.project.close()
        super().closeEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and drop_paths(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = drop_paths(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.files.import_paths(paths)
