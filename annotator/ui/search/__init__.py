"""The Search dock (issue 12, DESIGN.md §3): keyword in context across the statements and their memos, open a
hit in its statement, label selected hits in one undoable step, filter to hits not yet labelled / labelled with L.

``install(window)`` adds it to a MainWindow (Edit ▸ Search All Statements…, ``Ctrl+Shift+F``; View ▸ Search, its
dock; Edit ▸ Rebuild Search Index).
Typing never waits for a search: the query runs 200 ms after the last key, in a thread (``worker.py``), and its
hits arrive in batches; a new key cancels the run before. Arriving hits are shown at most every :data:`SHOW_MS`
(each showing lays out and repaints the hits); the search takes turns with the window (see ``worker.py``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QDockWidget

from annotator.core.search.query import Query, parse
from annotator.errors import AnnotatorError, Cancelled
from annotator.store import Project, hit_labels, search, search_index
from annotator.ui.dialogs import error
from annotator.ui.files import job
from annotator.ui.reading import columns
from annotator.ui.search.commands import LabelHits, Reader
from annotator.ui.search.follow import REFUSED, Follow
from annotator.ui.search.model import HitList
from annotator.ui.search.panel import SearchPanel
from annotator.ui.search.worker import MAX_HITS, SearchThread

#: how long after the last key the query runs
DEBOUNCE_MS = 200
#: arriving hits are shown at most this often while a search runs (the first at once)
SHOW_MS = 150
#: what a step labelling hits reads again for the dock: the hit list it read, and its hits with their labels now
Relabelled = tuple[HitList, list[tuple[Any, ...]]]


def key_rows() -> list[tuple[str, str]]:
    """The Search dock's keys, for the F1 list."""
    return [
        (QKeySequence("Ctrl+Shift+F").toString(QKeySequence.SequenceFormat.NativeText), "Search: show the Search dock"),
        ("Enter (in the search box)", "Search: go to the hits"),
        ("Enter (on a hit)", "Search: open its statement with the hit selected"),
        ("Ctrl+A, then 1 … 9 (in the hits)", "Search: label every selected hit, one undoable step"),
    ]


def install(window: Any) -> SearchController:
    existing = getattr(window, "_search_controller", None)
    if existing is None:
        existing = window._search_controller = SearchController(window)
    return existing


class SearchController(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.panel = SearchPanel()
        self.model = self.panel.model
        self.dock = QDockWidget("Search", window)
        self.dock.setObjectName("search_dock")
        self.dock.setWidget(self.panel)
        # widths the user drags are kept (and win over the Hit and context columns' fitting: panel.fit_columns)
        columns.remember(self.panel.table.horizontalHeader(), window.settings, "search")
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        self.generation = 0
        self.running: SearchThread | None = None
        self._threads: set[SearchThread] = set()
        self._session: Any = None
        self._last: tuple[str, bool, bool] | None = None  # the search the hits are of
        self._query: Query | None = None  # the same, parsed (None: no hits, or a malformed search)
        self._truncated = False  # its hits stopped at MAX_HITS
        self.follow = Follow(self)  # the hits read again when the project changes (``follow.py``)
        self._to_hits = False  # Enter was pressed in the box: the keyboard goes to the first hits

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run)
        self._arrived: list[tuple[Any, ...]] = []  # hits of the running search not shown yet
        self._shown_once = False
        self.show_timer = QTimer(self)
        self.show_timer.setSingleShot(True)
        self.show_timer.setInterval(SHOW_MS)
        self.show_timer.timeout.connect(self._show_arrived)
        self.panel.query.textChanged.connect(lambda _t: self.timer.start())
        self.panel.query.returnPressed.connect(self._enter_in_query)
        self.panel.regex.toggled.connect(lambda _on: self.timer.start())
        self.panel.exact.toggled.connect(lambda _on: self.timer.start())
        self.panel.cancel.clicked.connect(lambda: (self.cancel(), self.update_counts()))
        self.panel.filterChanged.connect(self._filter)
        self.panel.table.activated.connect(lambda index: self.open_hit(index.row(), focus_statement=True))
        self.panel.table.clicked.connect(lambda index: self.open_hit(index.row(), focus_statement=False))

        self.show_action = QAction("&Search All Statements…", window)
        self.show_action.setObjectName("search_show")
        self.show_action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.show_action.setStatusTip("Find every place the statements say something; label the hits")
        self.show_action.triggered.connect(self.focus)
        window.addAction(self.show_action)
        self.rebuild_action = QAction("Rebuild Search &Index", window)
        self.rebuild_action.setObjectName("search_rebuild")
        self.rebuild_action.triggered.connect(self.rebuild_index)
        # beside Find in Statement; the View menu keeps only the dock's toggle (both there read as one thing twice:
        # a newcomer's finding)
        edit = window.menus["&Edit"]
        find = window.actions_["find"]
        after = edit.actions()[edit.actions().index(find) + 1:]
        edit.insertAction(after[0] if after else None, self.show_action)
        window.menus["&View"].addAction(self.dock.toggleViewAction())
        edit.addAction(self.rebuild_action)
        window.restoreDockWidget(self.dock)
        self.dock.visibilityChanged.connect(self.follow.shown)
        window.installEventFilter(self)  # closing the window stops a running search first
        self.panel.table.installEventFilter(self)  # a label key in the hits labels the selected ones
        self.bind()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and watched is self.window:
            self.wait()
        elif watched is self.panel.table and event.type() == QEvent.Type.KeyPress:
            key = self._label_key(event)  # type: ignore[arg-type]
            if key is not None:
                self.label_selected(key)
                return True
        return False

    # ------------------------------------------------------------------ the session
    def bind(self) -> None:
        """(Re)attach to the window's session (a project opened in the window gets a new one)."""
        session = self.window.session
        if session is self._session:
            return
        self._session = session
        session.labelsChanged.connect(self._labels_changed)
        # statements, spans or memos changed by another process, statements imported or deleted in this window
        session.changedElsewhere.connect(self.follow.changed)
        session.documentsChanged.connect(self.follow.changed)
        self._labels_changed()
        self.cancel()
        self.follow.reset()
        self._query = None
        self.model.clear()
        self._update_counts()

    def _labels_changed(self) -> None:
        self.panel.set_labels(self.window.session.labels)

    def _label_key(self, event: QKeyEvent) -> str | None:
        """The label whose key was pressed in the hits (no Ctrl/Alt/Meta), or None. A key press, not a second
        QAction on the statement's label keys: one physical key bound twice is ambiguous to Qt under X11."""
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                                | Qt.KeyboardModifier.MetaModifier):
            return None
        text = event.text()
        if not text:
            return None
        return next((lb.key for lb in self.window.session.labels
                     if lb.shortcut and lb.shortcut.casefold() == text.casefold()), None)

    # ------------------------------------------------------------------ searching
    def focus(self) -> None:
        self.bind()
        self.dock.show()
        self.dock.raise_()
        self.panel.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.panel.query.selectAll()

    def _asked(self) -> tuple[str, bool, bool]:
        return self.panel.query.text(), self.panel.regex.isChecked(), self.panel.exact.isChecked()

    def _enter_in_query(self) -> None:
        """Enter: search now (unless this search already ran) and take the keyboard to the hits once there are."""
        self.timer.stop()
        if self._asked() != self._last or self.follow.stale:  # (hits out of date: searched again)
            self.run()
        self._to_hits = True
        self._focus_hits()

    def _focus_hits(self) -> None:
        if self._to_hits and self.model.rowCount():
            self._to_hits = False
            self.panel.table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.panel.table.setCurrentIndex(self.model.index(0, 0))

    def cancel(self) -> None:
        if self.running is not None:
            self.running.cancel()
            self.running = None
        self.follow.cancelled()
        self.show_timer.stop()
        self._arrived = []
        self.panel.progress.hide()
        self.panel.cancel.hide()

    def run(self) -> None:
        """Start the search the box holds (the one before is cancelled; its late batches are dropped)."""
        self.bind()
        self.timer.stop()
        self.cancel()
        self.generation += 1
        self._shown_once = False
        self.model.clear()
        self.panel.reset_hits()
        self.follow.reset()
        self._last, self._to_hits, self._query = self._asked(), False, None
        text = self.panel.query.text()
        if not text.strip():
            self.panel.show_problem("")
            self._update_counts()
            return
        try:
            query = parse(text, regex=self.panel.regex.isChecked(), exact_diacritics=self.panel.exact.isChecked())
        except AnnotatorError as exc:
            self.panel.show_problem(str(exc))
            self._update_counts()
            return
        self.panel.show_problem("")
        self._query, self._truncated = query, False
        self.panel.counts.setText("Searching…")
        self._start(query)

    def searched(self) -> Query | None:
        """The search whose hits the dock shows (None: none, or a malformed one)."""
        return self._query

    def search_again(self) -> int | None:
        """Run the search the hits are of again (the project changed: ``follow.py``), the hits shown kept until
        it ends; its generation (None: no search to run)."""
        self.bind()  # (a project opened since: no search)
        if self._query is None:
            return None
        self.cancel()
        self.generation += 1
        self._start(self._query)
        return self.generation

    def _start(self, query: Query) -> None:
        thread = SearchThread(self.window.session.project.path, query, self.generation, 60)
        thread.found.connect(self._found)
        thread.progressed.connect(self._progressed)
        thread.ended.connect(self._ended)
        thread.finished.connect(lambda t=thread: self._finished(t))
        self._threads.add(thread)
        self.running = thread
        # shown now, before the thread takes the GIL (a widget's first show polishes it: milliseconds of Python)
        self.panel.progress.setRange(0, 1)
        self.panel.progress.setValue(0)
        self.panel.progress.show()
        self.panel.cancel.show()
        thread.start()

    def _finished(self, thread: SearchThread) -> None:
        self._threads.discard(thread)
        thread.deleteLater()

    def wait(self) -> None:
        """Stop every search and wait for it (closing the window or the project)."""
        for thread in list(self._threads):
            thread.cancel()
            thread.wait()

    def _found(self, generation: int, batch: list[tuple[Any, ...]]) -> None:
        if generation != self.generation or self.follow.found(generation, batch):
            return
        self._arrived += batch
        if not self.show_timer.isActive():
            self.show_timer.start(0 if not self._shown_once else SHOW_MS)

    def _show_arrived(self) -> None:
        """Show the hits that arrived (the view lays them out and paints them on the event loop's next turns; how
        the search gives way meanwhile: ``worker.py``)."""
        arrived, self._arrived = self._arrived, []
        if not arrived:
            return
        self._shown_once = True
        if self.running is not None:
            self.running.give_way()  # what changes is painted before the search's next turn
        self.model.append_rows(arrived)
        self.panel.fit_hits(arrived)
        self._update_counts(running=self.running is not None)
        self._focus_hits()

    def _progressed(self, generation: int, done: int, total: int) -> None:
        if generation != self.generation or total <= 0:
            return
        self.panel.progress.setMaximum(total)
        self.panel.progress.setValue(done)

    def _ended(self, generation: int, problem: str, truncated: bool) -> None:
        if generation != self.generation:
            return
        self.running = None
        self.show_timer.stop()
        self.panel.progress.hide()
        self.panel.cancel.hide()
        self.panel.show_problem(problem)
        if self.follow.ended(generation, problem):  # the hits read again after a change: shown at once
            if not problem:
                self._truncated = truncated
            self.update_counts()
            return
        self._show_arrived()
        self._truncated = truncated
        self._update_counts(truncated=truncated)

    def update_counts(self) -> None:
        """The count line as the hits stand (a search running or not)."""
        self._update_counts(running=self.running is not None and self.follow.generation is None,
                            truncated=self._truncated and self.running is None)

    def _update_counts(self, running: bool = False, truncated: bool = False) -> None:
        hits, statements = self.model.rowCount(), self.model.statements()
        if not self.panel.query.text().strip():
            self.panel.counts.setText("")
            return
        text = f"{hits:,} hit(s) in {statements:,} statement(s)"
        hidden = len(self.model.all) - hits
        if hidden:
            text += f" ({hidden:,} more hidden by the filter)"
        if truncated:
            text += f" — stopped at the first {MAX_HITS:,}: narrow the search"
        if running:
            text += " — searching…"
        elif self.follow.stale:
            text += self.follow.note()
        elif hits:
            text += " — select hits (Ctrl+A: all) and press a label key"
        self.panel.counts.setText(text)

    def _filter(self, labelled: str | None) -> None:
        self.model.set_filter(labelled)
        self._update_counts(running=self.running is not None)

    # ------------------------------------------------------------------ opening and labelling
    def open_hit(self, row: int, focus_statement: bool) -> None:
        if not 0 <= row < self.model.rowCount():
            return
        hit = self.model.hit(row)
        window = self.window
        window.open_document(hit.doc_id)
        if hit.in_memo:
            window.statusBar().showMessage("The hit is in the statement's memo (Document Properties)", 5000)
        else:
            window.view.set_selected_span(None)
            window.view.select_cp(hit.start, hit.end)
            window.view.scroll_to_cp(hit.start)
        if focus_statement:
            window.view.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.panel.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def selected_ranges(self) -> list[tuple[int, int]]:
        """The rows selected as runs ``(first, last + 1)`` in order, runs that overlap or touch made one: read from
        the selection's ranges (whole rows, the table selects rows), not ``selectedRows()``, which asks the model
        about every cell (0.5 s for 6 000 hits). Ctrl+A over 100 000 hits is one run, not a list of 100 000 rows."""
        runs = sorted((s.top(), s.bottom() + 1) for s in self.panel.table.selectionModel().selection())
        merged: list[tuple[int, int]] = []
        for first, stop in runs:
            if merged and first <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
            else:
                merged.append((first, stop))
        return merged

    def selected_rows(self) -> list[int]:
        """The rows selected, in order."""
        return [row for first, stop in self.selected_ranges() for row in range(first, stop)]

    def select_all(self) -> None:
        self.panel.table.selectAll()

    def label_selected(self, key: str) -> None:
        self.bind()  # hits of a project the window has since closed are dropped, never labelled in the new one
        if self.follow.stale:  # hits found before the project changed: perhaps fewer than the search finds now
            self.window.statusBar().showMessage(REFUSED, 8000)
            self.update_counts()
            return
        hits = self.model.rows.rows_in(self.selected_ranges())  # plain tuples: each a Hit again in the step's thread
        if not hits:
            self.window.statusBar().showMessage("Select hits (Ctrl+A for all), then press a label key", 5000)
            return
        session = self.window.session
        session.push(LabelHits(session, hits, key, self._reader, self._labelled))

    def _reader(self) -> Reader[Relabelled]:
        """As a step begins: the dock's hits then, read again with their labels once it is done (in its thread)."""
        hits = self.model.all
        rows = hits.snapshot()
        return lambda project, done: (hits, search.relabelled(project.conn, rows, done.doc_ids))

    def _labelled(self, done: hit_labels.Labelled, undone: bool, read: Relabelled) -> None:
        """After the step (or its undo): the hits' labels it read again (those of hits that arrived meanwhile, or of
        a search started meanwhile, read here), the window's lists, a summary."""
        window = self.window
        session = window.session
        touched = set(done.doc_ids)
        hits, fresh = read
        self.model.all.relabel(fresh if hits is self.model.all else [], touched,
                               lambda rows: search.add_labels_rows(session.project.conn, rows))
        selected = self.selected_ranges()
        if self.model.keeps_places():
            self.model.refilter()
            self._select_ranges(selected)
        else:
            wanted = set(self.model.rows.keys(row for first, stop in selected for row in range(first, stop)))
            self.model.refilter()
            self.select_rows([row for row, key in enumerate(self.model.rows.keys()) if key in wanted])
        if session.document is not None and session.document.id in touched:
            session.reload_document()
        window.documents_changed(same_statements=True)
        name = session.label_name(done.label)
        if undone:
            message = f"Took back {len(done.spans)} “{name}” span(s)"
        else:
            message = f"Labelled {len(done.spans)} hit(s) “{name}”"
            if done.skipped:
                message += f"; {done.skipped} already labelled, skipped"
            if done.in_memo:
                message += f"; {done.in_memo} in memos, not labelled"
        window.statusBar().showMessage(message + " (Ctrl+Z undoes)" if not undone else message, 8000)
        self._update_counts()

    def select_rows(self, rows: list[int]) -> None:
        """Select these rows (in order), one range per run of adjacent rows."""
        runs, start = [], 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or rows[i] != rows[i - 1] + 1:
                runs.append((rows[start], rows[i - 1] + 1))
                start = i
        self._select_ranges(runs)

    def _select_ranges(self, runs: list[tuple[int, int]]) -> None:
        """Select these runs of rows ``(first, last + 1)``: one range each (one after Ctrl+A)."""
        chosen = QItemSelection()
        last = self.model.columnCount() - 1
        for first, stop in runs:
            chosen.select(self.model.index(first, 0), self.model.index(stop - 1, last))
        self.panel.table.selectionModel().select(chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def rebuild_index(self) -> None:
        """Edit ▸ Rebuild Search Index: the index made again from every statement, in one transaction, in a thread
        with a progress dialog and a Cancel (``ui/files/job.py``), which leaves the index as it was."""
        def rebuild(project: Project) -> None:
            with project._write("rebuild the search index"):
                search_index.rebuild(project.conn)

        try:
            job.run_write(self.window, self.window.session.project, "Rebuild search index",
                          "Rebuilding the search index from every statement…", rebuild)
        except Cancelled:
            self.window.statusBar().showMessage("Rebuild search index: cancelled, the index is as it was", 8000)
            return
        except AnnotatorError as exc:
            error(self.window, "Cannot rebuild the search index", str(exc))
            return
        self.window.statusBar().showMessage("The search index was rebuilt from the statements", 6000)
