"""Stepping through the open statement's suggestions by key (a mixin of
:class:`annotator.ui.suggest.controller.SuggestController`, which provides ``session``, ``view``, ``layer``,
``shown``, ``names``, ``refresh``, ``_paint``, ``_following`` and ``_note``): S and Shift+S step, Enter or a
label's key accepts the current one, Backspace rejects it; a click in the text ends the stepping, and a key on a
suggestion scrolled off screen shows it before acting on it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

from annotator.core.suggest.suggester import Suggestion
from annotator.ui.suggest import commands

_ACCEPT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)


class Stepping:
    session: Any
    view: Any
    layer: Any
    window: Any
    current: Suggestion | None
    shown: list[Suggestion]
    said: str
    why: Any  # the controller's: why a suggestion is made, in words

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
        if kind == QEvent.Type.MouseButtonPress and obj is self.view.viewport():
            if self.current is not None:
                self._end_stepping()
            return False
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(event, QKeyEvent):
            what = self._takes(event)
            if what is None:
                return False
            if kind == QEvent.Type.ShortcutOverride:
                event.accept()  # the key comes to the view as a key press; no shortcut fires
                return True
            if self.current is not None and self.layer.rect_of(self.current) is None:
                # the analyst scrolled away from it: what the key would accept is shown first, never taken unseen
                self.view.scroll_to_cp(self.current.start)
                self._paint()
                self._note("the suggestion is shown again; press the key again to act on it")
                return True
            if what == "accept":
                self.accept_current()
            elif what == "reject":
                self.reject_current()
            else:
                self.accept_current(what.split(":", 1)[1])
            return True
        return False

    def _end_stepping(self, why: str = "") -> None:
        """A click in the text: the analyst reads or selects elsewhere now, so stepping through the suggestions
        ends and a label key labels their selection (after a click in the title, 1 accepted a suggestion a page
        below: a newcomer's finding). S steps again."""
        self.current = None
        self._paint()
        self._note(f"{why}stepping ended; S steps to the next suggestion")

    def _span_selected(self, span_id: int | None) -> None:
        """A span selected (Tab, a click) while stepping: the keys act on the span now (Backspace deletes it, a
        label key relabels it), so the stepping ends and says so; the status bar had gone on saying "Backspace
        rejects" (trial 16, F3)."""
        if span_id is not None and self.current is not None:
            self._end_stepping("a span is selected: Delete or Backspace deletes it, a label key relabels it; ")

    # ------------------------------------------------------------------ commands
    def _describe(self) -> str:
        """What the status bar says of the current suggestion (the one the keys act on)."""
        sg = self.current
        if sg is None or sg not in self.shown:
            return "none left in this statement at this threshold"
        i = self.shown.index(sg) + 1
        why = self.why(sg)
        return (f"{i} of {len(self.shown)}: {self.names.get(sg.label, sg.label)} {sg.confidence:.2f} "
                f"({sg.source}) — Enter accepts, Backspace rejects, S next" + (f" — {why}" if why else ""))

    def _announce(self) -> None:
        self.said = self._describe()
        self._note(self.said)

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
        current = self.current
        if current is None:
            return
        self.current = None  # not named while the accept refreshes the statement's suggestions
        if label is None or label == current.label:
            commands.accept(self.session, [current], "Accept suggestion")
        else:
            # accepted with another label: the span has that label, and the suggested one is rejected, as one undo
            # step (it stayed offered: Shift+Enter then added it beside the correction, trial 16, F1)
            stack = self.session.undo_stack
            stack.beginMacro(f"Accept suggestion as {self.names.get(label, label)}")
            try:
                corrected = Suggestion(current.doc_id, current.start, current.end, label, current.confidence,
                                       current.source)
                if commands.accept(self.session, [corrected], "Accept suggestion"):
                    self.session.push(commands.Reject(self, self.session, [current]))
            finally:
                stack.endMacro()
        self.refresh()
        # the one after it, by clause and label (the list may have been made anew meanwhile: trial 10, D11)
        self._make_current(self._following(current))

    def reject_current(self) -> None:
        sg = self.current
        if sg is None:
            return
        self.current = None
        self.session.push(commands.Reject(self, self.session, [sg]))
        self.refresh()
        self._make_current(self._following(sg))
