"""The suggestions' undoable changes and keys (issue 13). Accepting is the ordinary AddSpan with the suggestion's
origin (several accepted at once: one undo macro); rejecting is remembered in the project and undone by forgetting
it."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence

from annotator.core.suggest.suggester import Suggestion
from annotator.store import suggest as store
from annotator.ui.commands import AddSpan, _Command
from annotator.ui.session import Session

#: (id, menu text, keys, controller method, on the statement only, separator before)
ACTIONS: tuple[tuple[str, str, tuple[str, ...], str, bool, bool], ...] = (
    ("suggest_next", "&Next Suggestion", ("S",), "next_suggestion", True, False),
    ("suggest_prev", "&Previous Suggestion", ("Shift+S",), "previous_suggestion", True, False),
    # Enter and Backspace are read by the controller's key filter, and only while a suggestion is current:
    # as shortcuts they would clash with Delete Span's Backspace (an ambiguous shortcut fires neither)
    ("suggest_accept", "&Accept Suggestion\tEnter", (), "accept_current", True, True),
    ("suggest_reject", "&Reject Suggestion\tBackspace", (), "reject_current", True, False),
    ("suggest_accept_all", "Accept A&ll Above the Threshold in This Statement", ("Shift+Return",),
     "accept_all_here", True, True),
    ("suggest_next_doc", "Next &Suggested Statement", ("Ctrl+Shift+U",), "next_suggested_statement", False, True),
    ("suggest_retrain", "Re&train Now", (), "retrain_now", False, True),
)

def key_rows() -> list[tuple[str, str]]:
    rows = [("Enter (with a suggestion current)", "Suggestions: accept the current suggestion"),
            ("Backspace (with a suggestion current, no span selected)", "Suggestions: reject the current suggestion")]
    for _ident, text, keys, _handler, _local, _sep in ACTIONS:
        if keys:
            shown = ", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
            rows.append((shown, "Suggestions: " + text.replace("&", "")))
    rows.append(("1 … 9 (with a suggestion current)", "Suggestions: accept the current suggestion with that label"))
    return rows


def accept(session: Session, suggestions: list[Suggestion], text: str) -> int:
    """Accept suggestions as spans with their origin, as one undo step; returns how many were saved."""
    if not suggestions:
        return 0
    stack = session.undo_stack
    if len(suggestions) > 1:
        stack.beginMacro(text)
    saved = 0
    try:
        for sg in suggestions:
            command = AddSpan(session, sg.doc_id, sg.start, sg.end, sg.label, origin=sg.origin)
            if session.push(command):
                saved += 1
            else:
                break
    finally:
        if len(suggestions) > 1:
            stack.endMacro()
    return saved


class Reject(_Command):
    """Remember suggestions as rejected; undo forgets them. The controller is told either way."""

    def __init__(self, controller: Any, session: Session, suggestions: list[Suggestion]) -> None:
        text = "Reject suggestion" if len(suggestions) == 1 else f"Reject {len(suggestions)} suggestions"
        super().__init__(session, text, suggestions[0].doc_id if suggestions else None)
        self.controller = controller
        self.suggestions = suggestions
        self.ids: list[int] = []

    def do(self) -> None:
        self.ids = store.reject(self.session.project, self.suggestions)
        self.controller.rejections_changed(self.suggestions, rejected=True)

    def undo_step(self) -> None:
        store.unreject(self.session.project, self.ids)
        self.controller.rejections_changed(self.suggestions, rejected=False)


class SetCues(_Command):
    """Replace the cue patterns of some labels (label key -> cues); undo puts the previous ones back."""

    def __init__(self, controller: Any, session: Session, changes: dict[str, list[Any]]) -> None:
        super().__init__(session, "Change cue patterns", None)
        self.controller = controller
        self.changes = changes
        self.before: dict[str, Any] | None = None

    def do(self) -> None:
        before = store.set_cues(self.session.project, self.changes)
        if self.before is None:
            self.before = {k: list(before[k]) for k in self.changes}
        self.controller.cues_changed()

    def undo_step(self) -> None:
        assert self.before is not None
        store.set_cues(self.session.project, self.before)
        self.controller.cues_changed()
