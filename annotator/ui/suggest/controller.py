"""Suggestions in the window (issue 13): ghost spans in the statement, their keys, the Suggestions dock and the
background retrain. Nothing here is an annotation until accepted: ghosts live in a layer of their own and in this
controller, never in the session's spans."""

from __future__ import annotations

import itertools
from bisect import bisect_left
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget

from annotator.commands.suggest import DEFAULT_THRESHOLD, THRESHOLD_SETTING, model_waits
from annotator.core.suggest import why as why_words
from annotator.core.suggest.batch import Row, stopped_of
from annotator.core.suggest.cues import stopped_message
from annotator.core.suggest.evaluate import Evaluation
from annotator.core.suggest.suggester import Suggestion
from annotator.errors import AnnotatorError
from annotator.store import suggest as store
from annotator.ui.suggest import best, commands, menu
from annotator.ui.suggest.ghosts import GhostLayer
from annotator.ui.suggest.panel import SuggestionsPanel
from annotator.ui.suggest.stepping import Stepping
from annotator.ui.suggest.worker import OUTSIDE_QUIET_MS, Arrived, Retrainer
from annotator.ui.text import sentence

#: statements suggested for at once when one opens: it and the next few
FOCUS_AHEAD = 3
#: statements of an answer put in the Suggestions list per turn of the event loop (a 100-statement batch at once
#: took 10-20 ms of the GUI thread's CPU, measured)
LIST_STEP = 16


class SuggestController(Stepping, QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.view = window.view
        self.version: str | None = None  # the model's version once trained ("" without a model)
        self.train_info: dict[str, Any] = {}
        self.evaluation: Evaluation | None = None
        self._figures: dict[float, dict[str, Any]] = {}  # the evaluation's figures by threshold, once computed
        #: doc_id -> its suggestions (every confidence above the floor; the threshold filters when shown), as plain
        #: tuples (``batch.Row``: not tracked by the cycle collector); :meth:`visible` gives ``Suggestion`` objects
        self.suggestions: dict[int, tuple[Row, ...]] = {}
        self.titles: dict[int, str] = {}
        #: doc_id -> its suggestions' texts (for the list), in the order of its rows in :attr:`suggestions` (plain
        #: tuples, like the rows: not tracked by the cycle collector)
        self.texts: dict[int, tuple[str, ...]] = {}
        #: statements whose spans changed in this session (their spans are read when listed)
        self.touched: set[int] = set()
        #: statement id -> its rejected suggestions (start, end, label), as last read or rejected here (not undone)
        self.rejected: dict[int, set[tuple[int, int, str]]] = {}
        self.current: Suggestion | None = None
        self.said = ""  # what the status bar last said of the current suggestion
        self.shown: list[Suggestion] = []
        self.threshold = DEFAULT_THRESHOLD
        #: the cue patterns the retrain process stopped for running too long, as its last answer named them
        self.layer = GhostLayer(self.view)
        self.panel = SuggestionsPanel()
        self.dock = QDockWidget("Suggestions", window)
        self.dock.setObjectName("suggestions_dock")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        self.dock.visibilityChanged.connect(lambda shown: self._fill_panel() if shown else None)
        self.known: dict[str, Any] = {}  # what the last retrain says of its cues and model (``why.evidence``)
        self.panel.model.why_of = self.why
        self.retrainer = Retrainer(self._database_file, self)
        self.retrainer.trained.connect(self._trained)
        self.retrainer.suggested.connect(self._suggested)
        self.retrainer.evaluated.connect(self._evaluated)
        self.retrainer.corpusDone.connect(self._say_count)
        self.list_pending: dict[int, None] = {}  # statements whose answer the list has still to show, in order
        self.list_timer = QTimer(self)
        self.list_timer.setSingleShot(True)
        self.list_timer.setInterval(0)
        self.list_timer.timeout.connect(self._list_step)
        self.best_statement = best.BestStatement(self, self._score, self._best_found)  # Next Suggested Statement
        self._among = ""  # " the list shows" while it looks among the statements a Documents filter lists
        self.retrainer.failed.connect(lambda msg: self.window.statusBar().showMessage(f"Retraining failed: {msg}",
                                                                                      8000))
        # said in the dock, not the status bar: a retrain follows every change and must not hide its messages
        self.retrainer.started.connect(lambda: self.panel.say("retraining…"))
        self.actions = menu.build(self)
        self.panel.thresholdChanged.connect(self.set_threshold)
        self.panel.filtersChanged.connect(self._fill_panel)
        self.panel.suggestionActivated.connect(self.show_suggestion)
        self.panel.acceptListedRequested.connect(self.accept_listed)
        self.panel.acceptHereRequested.connect(self.accept_all_here)
        self.view.installEventFilter(self)
        self.view.viewport().installEventFilter(self)  # a click in the text ends the stepping
        self.view.spanSelected.connect(self._span_selected)  # and so does a span selected (Tab)
        self.session: Any = None
        window.undo_group.activeStackChanged.connect(lambda _stack: self._bind())
        self._bind()

    # ------------------------------------------------------------------ wiring
    def _bind(self) -> None:
        session = self.window.session
        if session is self.session:
            return
        self.session = session
        self.best_statement.cancel()  # a scan of the project before: nothing of it is opened in this one
        self.version, self.evaluation, self.train_info, self._figures = None, None, {}, {}
        self.suggestions, self.titles, self.texts = {}, {}, {}
        self.touched, self.rejected = set(), {}
        self.current = None
        self._say_stopped(())
        for signal in (session.spanAdded, session.spanRemoved):
            signal.connect(lambda span: self._spans_changed(span.doc_id))
        session.spanChanged.connect(lambda before, after: self._spans_changed(before.doc_id, after.doc_id))
        session.spansReset.connect(self._spans_changed)
        session.statusChanged.connect(self._status_changed)
        session.documentsChanged.connect(self.retrainer.schedule)  # an import: its statements were never suggested for
        session.changedElsewhere.connect(lambda: self.retrainer.schedule(OUTSIDE_QUIET_MS))  # once it stands still
        session.labelsChanged.connect(self._labels_changed)
        session.documentOpened.connect(self._opened)
        try:
            value = float(session.project.setting(THRESHOLD_SETTING) or DEFAULT_THRESHOLD)
        except ValueError:
            value = DEFAULT_THRESHOLD
        self.threshold = self.retrainer.threshold = min(max(value, 0.2), 1.0)
        self.panel.threshold.blockSignals(True)
        self.panel.threshold.setValue(self.threshold)
        self.panel.threshold.blockSignals(False)
        self._labels_changed()
        if session.document is not None:
            self.retrainer.focused = self._focus_ids(session.document.id)
        self.retrainer.start_now()

    def _labels_changed(self) -> None:
        self.panel.set_labels([(lb.key, lb.name) for lb in self.session.labels])
        self.retrainer.schedule()
        self.refresh()

    def _status_changed(self, doc_id: int, status: str) -> None:
        """A statement marked skipped has no suggestions, as ``annotator suggest`` prints none for it: dropped now
        (not at the corpus's next pass), from the statement, the list, Next Suggested Statement and "Accept all
        listed"; any status change teaches the model something, so it learns anew."""
        if status == "skipped":
            self._drop([doc_id])
        self.retrainer.schedule()

    def _drop(self, doc_ids: list[int]) -> None:
        """These statements' suggestions forgotten, and their rows taken out of the list."""
        doc_ids = [d for d in doc_ids if d in self.suggestions]
        if not doc_ids:
            return
        for doc_id in doc_ids:
            self.suggestions.pop(doc_id, None)
            self.texts.pop(doc_id, None)
        doc = self.session.document if self.session is not None else None
        if doc is not None and doc.id in doc_ids:
            self.refresh()
        if self.dock.isVisible():
            self.list_pending.update(dict.fromkeys(doc_ids))
            self.list_timer.start()

    def _spans_changed(self, *doc_ids: int) -> None:
        self.touched.update(doc_ids)
        self._read_rejections(doc_ids)
        self.retrainer.schedule()
        self.refresh()

    def _read_rejections(self, doc_ids: tuple[int, ...]) -> None:
        """These statements' rejections as the project has them now: deleting or relabelling an accepted suggestion
        rejected it (``store.said_no``), undoing that forgot it (trial 12, F10); the list shows it at once."""
        fresh = {d: {(s, e, lb) for _d, s, e, lb in store.rejected(self.session.project, d)} for d in set(doc_ids)}
        if all(self.rejected.get(d, set()) == found for d, found in fresh.items()):
            return
        for d, found in fresh.items():
            if found:
                self.rejected[d] = found
            else:
                self.rejected.pop(d, None)
        if self.dock.isVisible():
            self.list_pending.update(dict.fromkeys(doc_ids))
            self.list_timer.start()

    @staticmethod
    def _focus_ids(doc_id: int) -> list[int]:
        return [doc_id + i for i in range(FOCUS_AHEAD + 1)]  # ids the file lacks or skipped are passed over

    def _opened(self, doc: Any) -> None:
        bar, said = self.window.statusBar(), self.window.statusBar().currentMessage()
        if said.startswith("Suggestions: ") and "across the corpus" not in said:
            bar.clearMessage()  # "accepted 4 suggestion(s) in this statement" is not about the one now open
        if doc is not None:
            if doc.id in self.suggestions:  # shown now; made anew first after the next change
                self.retrainer.focused = self._focus_ids(doc.id)
            else:
                self.retrainer.focus(self._focus_ids(doc.id))
        self.refresh(reset_current=True)

    def _database_file(self) -> str:
        """The file the window's connection reads (a read-only project may be a private copy of ``path``; an edited
        one's folder may have been renamed while it was open, and followed)."""
        return str(self.window.session.project.database_file())

    @property
    def names(self) -> dict[str, str]:
        return {lb.key: lb.name for lb in self.session.labels}

    # ------------------------------------------------------------------ what is shown
    def _trained(self, info: dict[str, Any]) -> None:
        self.version = str(info.get("version", ""))
        self.train_info = info
        known = info.get("why")
        self.known = known if isinstance(known, dict) else {}
        self._say_stopped(stopped_of(info))
        self._show_figures()

    def _say_stopped(self, names: tuple[str, ...]) -> None:
        """The stopped cue patterns in the dock; newly stopped ones in the status bar too (the dock may be hidden)."""
        if self.panel.set_stopped(names):
            self.window.statusBar().showMessage(f"Suggestions: {stopped_message(names)}", 15000)

    def _suggested(self, result: Arrived, corpus: bool) -> None:
        # made in the worker's thread as the window keeps them: merged here in C (a 100-statement batch of 6 000
        # suggestions made into objects here took 10-25 ms of the event loop, measured)
        self.suggestions.update((doc_id, rows) for doc_id, (_title, rows) in result.docs.items())
        self.titles.update((doc_id, title) for doc_id, (title, _rows) in result.docs.items())
        self.texts.update(result.texts)
        self._drop(result.gone(self.suggestions))  # skipped meanwhile, here or by another process
        self._say_stopped(result.stopped)
        # ``touched`` and ``rejected`` stay: this answer may have read the file before the latest change
        doc = self.session.document if self.session is not None else None
        if doc is not None and doc.id in result.docs:
            self.refresh()
        if self.session is not None and self.dock.isVisible():  # only these statements' rows anew, a few a turn
            self.list_pending.update(dict.fromkeys(result.docs))
            self.list_timer.start()

    def _list_step(self) -> None:
        if self.session is None or not self.dock.isVisible():
            self.list_pending.clear()
            return
        step = list(itertools.islice(self.list_pending, LIST_STEP))
        for doc_id in step:
            del self.list_pending[doc_id]
        passes = self.panel.filter()
        self.panel.replace_docs({doc_id: self._listed(doc_id, passes) for doc_id in step}, self.titles, self.names,
                                self._text_of)
        self._say_count()
        if self.list_pending:
            self.list_timer.start()

    def settled(self) -> bool:
        """Nothing left to ask the retrain process nor to show of its answers."""
        return self.retrainer.idle() and not self.list_pending

    def _evaluated(self, evaluation: Evaluation, figures: dict[float, dict[str, Any]]) -> None:
        self.evaluation, self._figures = evaluation, dict(figures)
        self._show_figures()

    def visible(self, doc_id: int, spans: list[tuple[int, int, str]] | None = None) -> list[Suggestion]:
        """A statement's suggestions as they are shown: at or above the threshold, not touching a span of their
        label nor a rejection of it (``spans``: the statement's, read from the project when not given)."""
        return [Suggestion._make(row) for row in self._visible_rows(doc_id, spans)]

    def _visible_rows(self, doc_id: int, spans: list[tuple[int, int, str]] | None = None) -> list[Row]:
        """:meth:`visible` as plain tuples (``batch.Row``), as the Suggestions list keeps them."""
        found = self.suggestions.get(doc_id, ())
        if not found:
            return []
        if spans is None:
            spans = [(s.start, s.end, s.label) for s in self.session.project.spans(doc_id)]
        # a rejection anywhere in the clause says no to it, as in ``Suggester.suggest`` (an accepted suggestion
        # shrunk and then deleted is remembered at its last offsets: trial 16, F10)
        blocked = [*spans, *self.rejected.get(doc_id, ())]
        out = []
        threshold = self.threshold
        for row in found:
            _doc, start, end, label, confidence, _source = row
            if confidence < threshold:
                continue
            if any(lb == label and s < end and start < e for s, e, lb in blocked):
                continue
            out.append(row)
        return out

    def refresh(self, reset_current: bool = False) -> None:
        doc = self.session.document if self.session is not None else None
        if doc is None or not self.suggestions.get(doc.id):  # none for it: no 10 000-span copy per key press
            self.shown = []
        else:
            self.shown = self.visible(doc.id, [(s.start, s.end, s.label) for s in self.session.index])
        if reset_current:
            self.current = None  # a suggestion becomes current only when stepped to (S): keys are never taken
        elif self.current is not None:
            # a retrain's answer makes the statement's suggestions anew, with new confidences (and the model's new
            # version): the current one is the same clause and label, else the one after it; the status bar names
            # it again, since Enter, Backspace and the label keys act on it (trial 10, D11: it named another)
            self.current = self._same(self.current) or self._following(self.current)
            if self._describe() != self.said:
                self._announce()
        self._paint()

    def _same(self, sg: Suggestion) -> Suggestion | None:
        """The shown suggestion for the clause and label of ``sg`` (its confidence and source may be new)."""
        key = (sg.start, sg.end, sg.label)
        return next((s for s in self.shown if (s.start, s.end, s.label) == key), None)

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

    def _listed(self, doc_id: int, passes: Any) -> list[Row]:
        """A statement's suggestions as the list shows them (``passes``: the list's filters, ``panel.filter()``),
        plain tuples (the list holds the corpus's: named tuples would be tracked by the cycle collector); its spans
        read only if changed in this session."""
        spans: list[tuple[int, int, str]] | None = None if doc_id in self.touched else []
        return [row for row in self._visible_rows(doc_id, spans) if passes(row)]

    def why(self, row: Row | Suggestion) -> str:
        """Why a suggestion is made, in words: the cue's matched words and record, or what the model learned from
        (``core/suggest/why``), from the last retrain's answer."""
        doc = self.session.document if self.session is not None else None
        text = doc.text[row[1]:row[2]] if doc is not None and doc.id == row[0] else self._text_of(tuple(row))
        return why_words.explain(row[5], row[3], row[4], text, self.known, self.names)

    def _text_of(self, row: Row) -> str:
        """A listed suggestion's text (asked for the rows the list paints): found by its place among its statement's
        rows (a few dozen), "" when the statement's suggestions have been made anew without it."""
        rows, texts = self.suggestions.get(row[0], ()), self.texts.get(row[0], ())
        try:
            i = rows.index(row)
        except ValueError:
            return ""
        return texts[i] if i < len(texts) else ""

    def _fill_panel(self) -> None:
        """The corpus's suggestions, as far as they have come: nothing is read but the spans of the statements
        changed since their suggestions were made. The retrain's batches replace their statements' rows
        (:meth:`_suggested`), not the whole list."""
        if self.session is None:
            return
        if not self.dock.isVisible():  # filled when shown (the corpus's batches need not rebuild a hidden list)
            return
        self.list_pending.clear()
        passes = self.panel.filter()
        rows = [sg for doc_id in sorted(self.suggestions) for sg in self._listed(doc_id, passes)]
        self.panel.set_rows(rows, self.titles, self.names, self._text_of)
        self._say_count()

    def _say_count(self) -> None:
        if self.session is None or not self.dock.isVisible():
            return
        self.panel.set_count_suffix("" if self.retrainer.corpus_done else " so far; still suggesting…")

    def _show_figures(self) -> None:
        if self.version is None:
            self.panel.set_figures(None, {}, "Not trained yet")
            return
        info = self.train_info
        needs = int(info.get("needs", 0) or 0)
        if needs:  # the model waits: said first, not in the note's tail (trial 10, D9)
            model = f"{model_waits(needs)}; read in {info.get('seconds', 0.0):.2f} s"
        else:
            left_out = int(info.get("left_out", 0) or 0)
            left = f" ({left_out} accepted suggestion(s) left out: no evidence for the suggester)" if left_out else ""
            model = (f"model {self.version or 'not trained (too few labels)'} on {info.get('spans', 0)} span(s)"
                     f"{left}, retrained in {info.get('seconds', 0.0):.2f} s")
        ev = self.evaluation
        if ev is None:
            self.panel.set_figures(None, {}, f"Cross-validating…; {model}")
            return
        # what the figures lack first (too few finished statements, accepted suggestions), where it is read
        caveat = f"{sentence(ev.caveat())}. " if ev.caveat() else ""
        note = (f"{caveat}Cross-validated on {ev.documents} statement(s) marked done (folds by {ev.by}) at "
                f"threshold {self.threshold:.2f}; {model}")
        if not ev.documents:
            done = "Mark statements done to see how good the suggestions are."
            self.panel.set_figures(None, {}, f"{done} {sentence(note)}")
            return
        self.panel.set_figures(self.figures(), self.names, note)

    def figures(self) -> dict[str, Any] | None:
        """The last cross-validation's figures per label at the current threshold (what the dock shows)."""
        if self.evaluation is None:
            return None
        if self.threshold not in self._figures:
            self._figures[self.threshold] = self.evaluation.figures(self.threshold)
        return self._figures[self.threshold]

    def _note(self, text: str) -> None:
        self.window.statusBar().showMessage(f"Suggestions: {text}", 3000)

    def set_threshold(self, value: float) -> None:
        self.threshold = self.retrainer.threshold = value
        try:
            self.session.project.set_setting(THRESHOLD_SETTING, f"{value:.2f}")
        except AnnotatorError as exc:
            self.window.statusBar().showMessage(str(exc), 6000)
        self.refresh()
        self._fill_panel()
        self._show_figures()

    def rejections_changed(self, suggestions: list[Suggestion], rejected: bool) -> None:
        for sg in suggestions:
            if rejected:
                self.rejected.setdefault(sg.doc_id, set()).add((sg.start, sg.end, sg.label))
            else:
                self.rejected.get(sg.doc_id, set()).discard((sg.start, sg.end, sg.label))
        if not rejected:  # suggested again: the open statement's suggestions are made anew (they left it out)
            doc = self.session.document
            if doc is not None:
                self.retrainer.focus(self._focus_ids(doc.id))
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
        project = self.session.project
        chosen = []
        passes = self.panel.filter()
        for doc_id in sorted(self.suggestions):
            spans = [(s.start, s.end, s.label) for s in project.spans(doc_id)] if doc_id in self.touched else []
            chosen += [sg for sg in self.visible(doc_id, spans) if passes(sg)]
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
        """The unfinished statement (not the open one) whose shown suggestions add up to the most confidence (scored
        a slice at a time in a large corpus: ``best.py``)."""
        if not self.suggestions:
            return self._note("not trained yet")
        here = self.session.document.id if self.session.document else None
        project = self.session.project
        # the ids alone, each status's from its index (30 000 of 100 000: 9 ms, where a row each took 21 ms); one with
        # no suggestions (while the corpus is still being suggested for, most) scores nothing at once, in the scan's
        # slices: picking them out here took the key's own turn to 17-19 ms (issue #14)
        listed = self.window.unfinished_listed()  # with a Documents filter on, among those it lists
        self._among = "" if listed is None else " the list shows"
        if listed is None:
            listed = project.documents("todo").ids + project.documents("in_progress").ids
        ids = sorted(listed)
        i = bisect_left(ids, here) if here is not None else len(ids)
        if i < len(ids) and ids[i] == here:
            del ids[i]
        if len(ids) > best.AT_ONCE:
            self._note(f"looking through {len(ids):,} unfinished statements for the most suggestions…")
        self.best_statement.start(ids)

    def _score(self, doc_id: int) -> float:
        """How much confidence a statement's shown suggestions add up to."""
        return sum(row[4] for row in self._visible_rows(doc_id, None if doc_id in self.touched else []))

    def _best_found(self, doc_id: int | None) -> None:
        if doc_id is None:
            more = "" if self.retrainer.corpus_done else " yet (still suggesting for the corpus)"
            return self._note(f"no unfinished statement{self._among} has suggestions at this threshold{more}")
        self.window.open_document(doc_id)
        if not self.retrainer.corpus_done:
            self._note("the best among the statements suggested for so far (still suggesting for the corpus)")
        else:
            self.window.statusBar().clearMessage()

    def edit_cues(self) -> None:
        """Cue patterns are edited in the codebook editor, beside their label."""
        self.window.files.edit_codebook()

    def set_cues(self, changes: dict[str, list[Any]]) -> None:
        """Store cue patterns (label key -> cues) as one undoable change, then retrain."""
        current = store.cues(self.session.project)
        changed = {k: v for k, v in changes.items() if tuple(v) != current.get(k)}
        if changed:
            self.session.push(commands.SetCues(self, self.session, changed))

    def cues_changed(self) -> None:
        self.retrainer.schedule()

    def retrain_now(self) -> None:
        self.retrainer.start_now()
