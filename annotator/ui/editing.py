"""What the analyst's keys do to the statement: label, relabel, resize, delete, annotate, navigate, finish.

The editor reads the view's selection (in code points), asks the core where word boundaries are, and pushes
undoable commands; it never edits spans itself.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget

from annotator.core import codebook, wordstep
from annotator.core.model import Span
from annotator.core.text import snap_to_words, trim_span
from annotator.ui import commands
from annotator.ui.dialogs import ask_note
from annotator.ui.session import Session

#: the keys a label may have (1-9), by their Qt key
_DIGITS = {getattr(Qt.Key, f"Key_{d}"): d for d in codebook.SHORTCUTS}


class Editor(QObject):
    def __init__(self, session: Session, view, window: QWidget) -> None:  # type: ignore[no-untyped-def]
        super().__init__(window)
        self.session = session
        self.view = view
        self.window = window

        view.cursorPositionChanged.connect(self._caret_moved)
        view.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """A digit that reaches the text as a key press has no label: a label's key is an action's shortcut, which
        takes the key before the view. Said in the status bar (trial 14, F6: after deleting the label of key 2,
        pressing 2 over a selection did nothing, silently)."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            digit = _DIGITS.get(event.key(), "")
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if digit and modifiers in (Qt.KeyboardModifier.NoModifier,
                                                            Qt.KeyboardModifier.ControlModifier):
                self.window.statusBar().showMessage(
                    f"No label on key {digit} — Labels ▸ Edit Codebook… (Ctrl+K) to give it one", 6000)
                return True
        return False

    def _caret_moved(self) -> None:
        """Moving the caret out of the selected span, or to its end, leaves it: the next keys act on the text again.
        At its end it had stayed selected, so after Ctrl+End over a span ending the statement, Shift+Ctrl+Left
        shrank and relabelled it (a data scientist's trial) where a new selection was meant."""
        span = self.selected_span()
        if span is not None and not span.start <= self.view.cursor_cp() < span.end:
            self.view.set_selected_span(None)

    def rebind(self, session: Session) -> None:
        self.session = session

    @property
    def text(self) -> str:
        return self.session.document.text if self.session.document else ""

    def selected_span(self) -> Span | None:
        span_id = self.view.selected_span_id
        return self.session.span_by_id(span_id) if span_id is not None else None

    # ------------------------------------------------------------------ labels
    def apply_label(self, key: str, exact: bool = False) -> None:
        """With text selected: a new span (snapped to words unless ``exact``, white space trimmed from its ends
        always). Else with a span selected: relabel."""
        doc = self.session.document
        if doc is None:
            return
        selection = self.view.selection_cp()
        if selection is not None and selection[0] < selection[1]:
            start, end = selection
            # character precision keeps the characters chosen but never white space at the ends: Ctrl+Shift+Right
            # selects up to the next word's start, and a span ending in a space is one spaCy's char_span cannot
            # give (trial 13, F7)
            bounds = trim_span(doc.text, start, end) if exact else snap_to_words(doc.text, start, end)
            if bounds is None:
                self.window.statusBar().showMessage("Nothing to label: the selection is only whitespace", 4000)
                return
            same = self._held(bounds[0], bounds[1], key)
            if same is not None:  # a second press on the same phrase (a duplicate counted twice in every export)
                self.view.set_selected_span(same.id)
                self.window.statusBar().showMessage(
                    f"Already labelled “{self.session.label_name(key)}” here: nothing added", 4000)
                return
            command = commands.AddSpan(self.session, doc.id, bounds[0], bounds[1], key)
            if self.session.push(command) and command.span is not None:
                self.view.set_selected_span(command.span.id)
            return
        span = self.selected_span()
        if span is not None and span.label != key:
            text = f"Relabel as “{self.session.label_name(key)}”"
            self.session.push(commands.ChangeSpan(self.session, span, text, label=key))
            self.view.set_selected_span(span.id)
        elif span is None:
            self.window.statusBar().showMessage("Select a phrase (Shift+arrows or the mouse), then press a label key",
                                                4000)

    def _held(self, start: int, end: int, key: str) -> Span | None:
        """The analyst's own span of label ``key`` over exactly ``start``-``end``, if the statement holds one."""
        me = self.session.project.user
        return next((s for s in self.session.index.starting_in(start, start + 1)
                     if s.end == end and s.label == key and s.annotator == me), None)

    def delete_span(self) -> None:
        span = self.selected_span()
        if span is not None:
            self.session.push(commands.DeleteSpan(self.session, span))
            self.view.set_selected_span(None)

    def edit_note(self) -> None:
        span = self.selected_span()
        if span is None:
            self.window.statusBar().showMessage("Select a span (click it or press Tab) to edit its note", 4000)
            return
        label = self.session.label_name(span.label)
        phrase = " ".join(self.text[span.start : span.end].split())  # one line, a span over a line break too
        phrase = phrase if len(phrase) <= 80 else phrase[:77] + "…"
        note = ask_note(self.window, f"Note on {label}: “{phrase}”", span.note)
        self.window.focus_statement()
        if note is not None and note != span.note:
            self.set_note(span, note)

    def set_note(self, span: Span, note: str) -> None:
        self.session.push(commands.ChangeSpan(self.session, span, "Edit note", note=note))

    # ------------------------------------------------------------------ span navigation and resizing
    def _step(self, forward: bool) -> None:
        """Select the next (previous) span in order after the selected one, or from the caret; wraps around."""
        index = self.session.index
        if not len(index):
            return
        current = self.selected_span()
        after = current.id if current is not None else None
        pos = self.view.cursor_cp()
        if forward:
            span = index.next_span(pos, after) or index.next_span(0)
        else:
            span = index.previous_span(pos, after) or index.previous_span(len(self.text) + 1)
        if span is not None:
            self.view.set_selected_span(span.id)

    def next_span(self) -> None:
        self._step(True)

    def prev_span(self) -> None:
        self._step(False)

    def _resize(self, start: int, end: int, what: str) -> None:
        span = self.selected_span()
        if span is None or (start, end) == (span.start, span.end) or not 0 <= start < end <= len(self.text):
            return
        self.session.push(commands.ChangeSpan(self.session, span, what, start=start, end=end))
        self.view.set_selected_span(span.id)

    def _word_step(self, step: Callable[[str, int, int], tuple[int, int]], what: str) -> None:
        """Move an end of the selected span by a word; brackets and quotes stay whole (core/wordstep.py)."""
        span = self.selected_span()
        if span is not None:
            start, end = step(self.text, span.start, span.end)
            self._resize(start, end, what)

    def grow(self) -> None:
        self._word_step(wordstep.grow_end, "Grow span")

    def shrink(self) -> None:
        self._word_step(wordstep.shrink_end, "Shrink span")

    def grow_start(self) -> None:
        self._word_step(wordstep.grow_start, "Grow span")

    def shrink_start(self) -> None:
        self._word_step(wordstep.shrink_start, "Shrink span")

    def clear_selection(self) -> None:
        self.view.set_selected_span(None)
        cp = self.view.cursor_cp()
        self.view.select_cp(cp, cp)

    # ------------------------------------------------------------------ documents
    def set_status(self, status: str) -> None:
        if self.session.document is not None:
            self.session.push(commands.SetStatus(self.session, self.session.document.id, status))

    def done_and_next(self) -> None:
        doc = self.session.document
        if doc is None:
            return
        if doc.status != "done" and not self.session.push(commands.SetStatus(self.session, doc.id, "done")):
            return
        self._open_next_unfinished(doc.id)

    def next_unfinished(self) -> None:
        doc = self.session.document
        self._open_next_unfinished(doc.id if doc else None)

    def _open_next_unfinished(self, after: int | None) -> None:
        """The next unfinished statement (of the list, when a filter is on) opened, or the analyst told none is."""
        following = self.window.next_unfinished(after)
        if following is not None:
            self.window.open_document(following)
            return
        done, total = self.session.project.progress()
        if self.window.filtering():
            self.window.statusBar().showMessage("Every statement the list shows is finished: clear the filter for "
                                                f"the rest ({done} of {total} done)", 6000)
        else:
            self.window.statusBar().showMessage(f"All statements are finished ({done} of {total} done)", 6000)

    def step_document(self, delta: int) -> None:
        self.window.step_document(delta)

    def find(self) -> None:
        self.window.find_bar.open()


class ShortcutGuard(QObject):
    """Lets the window's actions have keys the text view would otherwise keep for itself.

    A read-only QPlainTextEdit claims Ctrl+Shift+arrows (select by word) and friends through ShortcutOverride;
    for the keys of our actions we decline the override, so the action's shortcut fires instead. Keys listed in
    ``only_when`` are taken only while their condition holds (Ctrl+Shift+arrows resize a selected span, and
    otherwise select by word as everywhere else).
    """

    def __init__(self, view: QWidget, only_when: dict[str, Callable[[], bool]] | None = None) -> None:
        super().__init__(view)
        self.keys: set[str] = set()
        self.only_when = {QKeySequence(k).toString(): cond for k, cond in (only_when or {}).items()}
        view.installEventFilter(self)

    def set_keys(self, keys: list[QKeySequence]) -> None:
        self.keys = {k.toString() for k in keys if not k.isEmpty()}

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            combo = QKeySequence(event.keyCombination()).toString()
            if combo in self.keys:
                condition = self.only_when.get(combo)
                if condition is not None and not condition():
                    event.accept()  # the view keeps the key as a key press; the action does not fire
                    return False
                event.ignore()
                return True
        return False


