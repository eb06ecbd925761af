"""Suggestions in the window (issue 13): ghost spans in the statement, their keys, the Suggestions dock and the
background retrain. Nothing here is an annotation until accepted: ghosts live in a layer of their own and in this
controller, never in the session's spans."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu

from annotator.commands.suggest import DEFAULT_THRESHOLD, THRESHOLD_SETTING
from annotator.core.suggest.batch import Trained
from annotator.core.suggest.suggester import Suggestion
from annotator.errors import AnnotatorError
from annotator.ui.suggest import commands
from annotator.ui.suggest.ghosts import GhostLayer
from annotator.ui.suggest.panel import SuggestionsPanel
from annotator.ui.suggest.worker import Retrainer

_ACCEPT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)


class SuggestController(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.view = window.view
        self.trained: Trained | None = None
        self.rejected: set[tuple[int, int, int, str]] = set()
        self.current: Suggestion | None = None
        self.shown: list[Suggestion] = []
        self.threshold = DEFAULT_THRESHOLD
        self.layer = GhostLayer(self.view)
        self.panel = SuggestionsPanel()
        self.dock = QDockWidget("Suggestions", window)
        self.dock.setObjectName("suggestions_dock")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        self.retrainer = Retrainer(lambda: self.window.session.project, self)
        self.retrainer.trained.connect(self._trained)
        self.retrainer.failed.connect(lambda msg: self.window.statusBar().showMessage(f"Retraining failed: {msg}",
                                                                                      8000))
        # said in the dock, not the status bar: a retrain follows every change and must not hide its messages
        self.retrainer.started.connect(lambda: self.panel.count.setText("retraining…"))
        self.actions = self._build_actions()
        self.panel.thresholdChanged.connect(self.set_threshold)
        self.panel.filtersChanged.connect(self._fill_panel)
        self.panel.suggestionActivated.connect(self.show_suggestion)
        self.panel.acceptListedRequested.connect(self.accept_listed)
        self.panel.acceptHereRequested.connect(self.accept_all_here)
        self.view.installEventFilter(self)
        self.session: Any = None
        window.undo_group.activeStackChanged.connect(lambda _stack: self._bind())
        self._bind()

    # ------------------------------------------------------------------ wiring
    def _build_actions(self) -> dict[str, QAction]:
        menu = QMenu("&Suggestions", self.window)
        menu.setObjectName("suggestions_menu")
        self.window.menuBar().insertMenu(self.window.menus["&View"].menuAction(), menu)
        self.window.menus["&Suggestions"] = menu
        actions: dict[str, QAction] = {}
        for ident, text, keys, handler, local, separator in commands.ACTIONS:
            action = QAction(text, self.window)
            action.setObjectName(ident)
            action.setShortcuts([QKeySequence(k) for k in keys])
            slot = getattr(self, handler)
            action.triggered.connect(lambda _=False, h=slot: h())
            if local:
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.view.addAction(action)
            else:
                self.window.addAction(action)
            if separator and menu.actions():
                menu.addSeparator()
            menu.addAction(action)
            actions[ident] = action
        menu.addSeparator()
        menu.addAction(self.dock.toggleViewAction())
        edit_cues = QAction("Edit Cue &Patterns…", self.window)
        edit_cues.setObjectName("suggest_edit_cues")
        edit_cues.triggered.connect(self.edit_cues)
        menu.addAction(edit_cues)
        labels_menu = self.window.menus["&Labels"]
        labels_menu.insertAction(self.window.actions_["codebook_export"], edit_cues)  # beside Edit Codebook
        actions["suggest_edit_cues"] = edit_cues
        self.window.menus["&View"].addAction(self.dock.toggleViewAction())
        # beside Next Unfinished in the Document menu
        document = self.window.menus["&Document"]
        after = self.window.actions_["next_doc"]
        document.insertAction(after, actions["suggest_next_doc"])
        return actions

    def _bind(self) -> None:
        session = self.window.session
        if session is self.session:
            return
        self.session = session
        self.trained = None
        self.current = None
        for signal in (session.spanAdded, session.spanRemoved):
            signal.connect(self._spans_changed)
        session.spanChanged.connect(self._spans_changed)
        session.spansReset.connect(self._spans_changed)
        session.statusChanged.connect(lambda *_: self.retrainer.schedule())
        session.labelsChanged.connect(self._labels_changed)
        session.documentOpened.connect(lambda _doc: self.refresh(reset_current=True))
        try:
            value = float(session.project.setting(THRESHOLD_SETTING) or DEFAULT_THRESHOLD)
        except ValueError:
            value = DEFAULT_THRESHOLD
        self.threshold = min(max(value, 0.2), 1.0)
        self.panel.threshold.blockSignals(True)
        self.panel.threshold.setValue(self.threshold)
        self.panel.threshold.blockSignals(False)
        self._labels_changed()
        self.retrainer.start_now()

    def _labels_changed(self) -> None:
        self.panel.set_labels([(lb.key, lb.name) for lb in self.session.labels])
        self.retrainer.schedule()
        self.refresh()

    def _spans_changed(self, *_args: object) -> None:
        self.retrainer.schedule()
        self.refresh()

    @property
    def names(self) -> dict[str, str]:
        return {lb.key: lb.name for lb in self.session.labels}

    # ------------------------------------------------------------------ what is shown
    def _trained(self, trained: Trained) -> None:
        self.trained = trained
        self.rejected = {key for key in self._stored_rejections()}
        self.refresh()
        self._fill_panel()

    def _stored_rejections(self) -> set[tuple[int, int, int, str]]:
        from annotator.store import suggest as store

        return store.rejected(self.session.project)

    def visible(self, doc_id: int, spans: list[tuple[int, int, str]] | None = None) -> list[Suggestion]:
        """A statement's suggestions as they are shown: at or above the threshold, not rejected, not touching a
        span of their label (``spans``: the statement's, read from the project when not given)."""
        if self.trained is None:
            return []
        if spans is None:
            spans = [(s.start, s.end, s.label) for s in self.session.project.spans(doc_id)]
        out = []
        for sg in self.trained.suggestions.get(doc_id, ()):
            if sg.confidence < self.threshold or sg.key in self.rejected:
                continue
            if any(lb == sg.label and s < sg.end and sg.start < e for s, e, lb in spans):
                continue
            out.append(sg)
        return out

    def refresh(self, reset_current: bool = False) -> None:
        doc = self.session.document if self.session is not None else None
        if doc is None or self.trained is None:  # untrained: nothing to show (no 10 000-span copy per key)
            self.shown = []
        else:
            self.shown = self.visible(doc.id, [(s.start, s.end, s.label) for s in self.session.index])
        if reset_current:
            self.current = None  # a suggestion becomes current only when stepped to (S): keys are never taken
        elif self.current is not None and self.current not in self.shown:
            self.current = self._following(self.current)
        self._paint()

    def _following(self, after: Suggestion | None) -> Suggestion | None:
        if not self.shown:
            return None
        if after is None:
            caret = self.view.cursor_cp()
            return next((s for s in self.shown if s.end > caret), self.shown[0])
        key = (after.start, after.end, after.label)
        return next((s for s in self.shown if (s.start, s.end, s.label) > key), self.shown[0])

    def _paint(self) -> None:
        colors = {lb.key: lb.color for lb in self.session.labels} if self.session else {}
        self.layer.show_suggestions(self.shown, self.current, self.names if self.session else {}, colors)

    def _fill_panel(self) -> None:
        if self.trained is None or self.session is None:
            self.panel.set_rows([], {}, {}, lambda sg: "")
            return
        project = self.session.project
        spans: dict[int, list[tuple[int, int, str]]] = {}
        for doc_id, start, end, label in project.conn.execute('SELECT doc_id, start, "end", label FROM spans'):
            spans.setdefault(doc_id, []).append((start, end, label))
        rows = [sg for doc_id in sorted(self.trained.suggestions) for sg in self.visible(doc_id, spans.get(doc_id, []))
                if self.panel.passes(sg)]
        titles = dict(project.conn.execute("SELECT id, title FROM documents").fetchall())
        texts: dict[int, str] = {}

        def text_of(sg: Suggestion) -> str:
            if sg.doc_id not in texts:
                texts[sg.doc_id] = project.document(sg.doc_id).text
            return texts[sg.doc_id][sg.start : sg.end]

        self.panel.set_rows(rows, titles, self.names, text_of)
        self._show_figures()

    def _show_figures(self) -> None:
        if self.trained is None:
            self.panel.set_figures(None, {}, "Not trained yet")
            return
        ev = self.trained.evaluation
        note = (f"cross-validated on {ev.documents} statement(s) marked done (folds by {ev.by}) at threshold "
                f"{self.threshold:.2f}; model {self.trained.version or 'not trained (too few labels)'}, "
                f"retrained in {self.trained.seconds:.2f} s")
        if not ev.documents:
            self.panel.set_figures(None, {}, "Mark statements done to see how good the suggestions are. " + note)
            return
        self.panel.set_figures(ev.figures(self.threshold), self.names, note)

    def figures(self) -> dict[str, Any] | None:
        """The last retrain's figures per label at the current threshold (what the dock shows)."""
        return self.trained.evaluation.figures(self.threshold) if self.trained else None

    def _note(self, text: str) -> None:
        self.window.statusBar().showMessage(f"Suggestions: {text}", 3000)

    def set_threshold(self, value: float) -> None:
        self.threshold = value
        try:
            self.session.project.set_setting(THRESHOLD_SETTING, f"{value:.2f}")
        except AnnotatorError as exc:
            self.window.statusBar().showMessage(str(exc), 6000)
        self.refresh()
        self._fill_panel()

    # ------------------------------------------------------------------ keys
    def _takes(self, event: QKeyEvent) -> str | None:
        """What the key does to the current suggestion: "accept", "reject", a label key, or None (not ours)."""
        if self.current is None or self.view.selected_span_id is not None or self.view.textCursor().hasSelection():
            return None
        if event.modifiers() not in _PLAIN and event.modifiers() != Qt.KeyboardModifier.NoModifier:
            return None
        if event.key() in _ACCEPT_KEYS:
            return "accept"
        if event.key() == Qt.Key.Key_Backspace:
            return "reject"
        text = event.text()
        label = next((lb.key for lb in self.session.labels if lb.shortcut and lb.shortcut == text), None)
        return f"label:{label}" if label else None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(event, QKeyEvent):
            what = self._takes(event)
            if what is None:
                return False
            if kind == QEvent.Type.ShortcutOverride:
                event.accept()  # the key comes to the view as a key press; no shortcut fires
                return True
            if what == "accept":
                self.accept_current()
            elif what == "reject":
                self.reject_current()
            else:
                self.accept_current(what.split(":", 1)[1])
            return True
        return False

    # ------------------------------------------------------------------ commands
    def _announce(self) -> None:
        sg = self.current
        if sg is None:
            self._note("none left in this statement at this threshold")
            return
        i = self.shown.index(sg) + 1
        self._note(f"{i} of {len(self.shown)}: {self.names.get(sg.label, sg.label)} {sg.confidence:.2f} "
                   f"({sg.source}) — Enter accepts, Backspace rejects, S next")

    def _make_current(self, sg: Suggestion | None) -> None:
        self.current = sg
        self._paint()
        if sg is not None and self.layer.rect_of(sg) is None:
            self.view.scroll_to_cp(sg.start)
        self._announce()

    def next_suggestion(self) -> None:
        self._make_current(self._following(self.current))

    def previous_suggestion(self) -> None:
        if not self.shown:
            return self._make_current(None)
        i = self.shown.index(self.current) if self.current in self.shown else 0
        self._make_current(self.shown[i - 1])

    def accept_current(self, label: str | None = None) -> None:
        sg = self.current
        if sg is None:
            return
        if label is not None and label != sg.label:
            sg = Suggestion(sg.doc_id, sg.start, sg.end, label, sg.confidence, sg.source)
        after = self._following(self.current)
        commands.accept(self.session, [sg], "Accept suggestion")
        self.refresh()
        self._make_current(after if after in self.shown else self._following(None))

    def reject_current(self) -> None:
        sg = self.current
        if sg is None:
            return
        after = self._following(sg)
        self.session.push(commands.Reject(self, self.session, [sg]))
        self._make_current(after if after in self.shown else self._following(None))

    def rejections_changed(self, suggestions: list[Suggestion], rejected: bool) -> None:
        for sg in suggestions:
            (self.rejected.add if rejected else self.rejected.discard)(sg.key)
        self.refresh()
        self._fill_panel()

    def accept_all_here(self) -> None:
        chosen = list(self.shown)
        if not chosen:
            return self._note("nothing to accept in this statement at this threshold")
        n = commands.accept(self.session, chosen, f"Accept {len(chosen)} suggestions")
        self.refresh(reset_current=True)
        self._note(f"accepted {n} suggestion(s) in this statement")

    def accept_listed(self) -> None:
        if self.trained is None:
            return
        project = self.session.project
        chosen = []
        for doc_id in sorted(self.trained.suggestions):
            spans = [(s.start, s.end, s.label) for s in project.spans(doc_id)]
            chosen += [sg for sg in self.visible(doc_id, spans) if self.panel.passes(sg)]
        if not chosen:
            return
        here = self.session.document.id if self.session.document else None
        n = commands.accept(self.session, chosen, f"Accept {len(chosen)} suggestions")
        if here is not None:
            self.window.open_document(here)
        self.refresh(reset_current=True)
        self._fill_panel()
        self._note(f"accepted {n} suggestion(s) across the corpus")

    def show_suggestion(self, sg: Suggestion) -> None:
        self.window.open_document(sg.doc_id)
        self.refresh()
        if sg in self.shown:
            self._make_current(sg)

    def next_suggested_statement(self) -> None:
        """The unfinished statement (not the open one) whose shown suggestions add up to the most confidence."""
        if self.trained is None:
            return self._note("not trained yet")
        here = self.session.document.id if self.session.document else None
        unfinished = {r[0] for r in self.session.project.conn.execute(
            "SELECT id FROM documents WHERE status IN ('todo', 'in_progress')")}
        best, best_score = None, 0.0
        for doc_id in sorted(unfinished - {here}):
            score = sum(sg.confidence for sg in self.visible(doc_id))
            if score > best_score:
                best, best_score = doc_id, score
        if best is None:
            return self._note("no unfinished statement has suggestions at this threshold")
        self.window.open_document(best)

    def edit_cues(self) -> None:
        from annotator.store import suggest as store
        from annotator.ui.suggest.cues_dialog import CuesDialog

        dialog = CuesDialog(self.window, self.session.labels, store.cues(self.session.project))
        if dialog.exec() == CuesDialog.DialogCode.Accepted:
            self.set_cues(dialog.result_cues)
        self.window.focus_statement()

    def set_cues(self, changes: dict[str, list[Any]]) -> None:
        """Store cue patterns (label key -> cues) as one undoable change, then retrain."""
        from annotator.store import suggest as store

        current = store.cues(self.session.project)
        changed = {k: v for k, v in changes.items() if tuple(v) != current.get(k)}
        if changed:
            self.session.push(commands.SetCues(self, self.session, changed))

    def cues_changed(self) -> None:
        self.retrainer.schedule()

    def retrain_now(self) -> None:
        self.retrainer.start_now()
