"""The Review menu's actions and keys, and the undoable decisions: accept, reject (keep mine) and accept all
agreed are commands on the session's undo stack, so Ctrl+Z / Ctrl+Shift+Z take them back and forth like any edit,
across documents.

Keys: the letters act only while the keyboard is in the statement or the Review dock (so they never fire while
typing in a search box) and clash with none of the window's (1–9, Delete, Tab, N, Ctrl+…); Help ▸ Review Keys
lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QProxyStyle, QStyle, QWidget

from annotator.store import Project
from annotator.store import review as store
from annotator.ui import filedialogs
from annotator.ui.commands import _Command, many_statements
from annotator.ui.session import Session

T = TypeVar("T")
OPEN_FILTER = (f"Colleague projects and exports ({filedialogs.PROJECT_PATTERNS} *.jsonl *.ndjson *.json *.ann);;"
               f"Annotator projects ({filedialogs.PROJECT_PATTERNS});;Exports (*.jsonl *.ndjson *.json *.ann);;"
               "All files (*)")

#: (id, menu text, shortcuts, handler, on the dock and statement only, separator before); every mnemonic of the
#: menu its own (trial 12, F6: &C was Colleague File and Close, Alt+R, C only highlighted the one)
ACTIONS: tuple[tuple[str, str, tuple[str, ...], str, bool, bool], ...] = (
    ("review_open", "Open &Colleague File…", ("Ctrl+Shift+O",), "open_colleague_file", False, False),
    ("review_open_folder", "Open Colleague &Folder (brat)…", (), "open_colleague_folder", False, False),
    ("review_close", "C&lose Review", (), "close_review", False, False),
    ("review_accept", "&Accept Theirs", ("A",), "accept", True, True),
    ("review_reject", "&Reject Theirs (Keep Mine)", ("R",), "reject", True, False),
    ("review_next", "&Next Disagreement", ("J", "F8"), "next", True, False),
    ("review_prev", "&Previous Disagreement", ("K", "Shift+F8"), "previous", True, False),
    ("review_next_colleague", "Next Coll&eague", ("Ctrl+F8",), "next_colleague", False, False),
    ("review_accept_agreed", "Accept All Agree&d (2+ Colleagues)", (), "accept_all_agreed", False, True),
    ("review_report", "Agreemen&t Report…", (), "show_report", False, True),
    ("review_gold", "Export &Gold JSONL…", (), "export_gold", False, False),
)
#: the dock's buttons and their text (the key in brackets)
BUTTONS = {
    "review_accept": "Accept theirs (A)",
    "review_reject": "Reject / keep mine (R)",
    "review_prev": "Previous (K)",
    "review_next": "Next (J)",
    "review_accept_agreed": "Accept all agreed",
    "review_report": "Report…",
    "review_gold": "Export gold JSONL…",
}

#: what the stepping keys do, in Help ▸ Review Keys and F1 (issue #15, item 10: predictable review navigation)
HOW = {
    "review_accept": "settles the selected one and stays on it",
    "review_reject": "settles the selected one and stays on it",
    "review_next": "the open one after the selected, then the next statement's; going round says so",
    "review_prev": "the open one before the selected, then the previous statement's; going round says so",
    "review_next_colleague": "J and K walk the next colleague's disagreements (as the dock's Colleague box, Alt+O)",
}


#: why a review action is disabled, in its status tip (the status bar, as the menu entry is hovered) and tooltip:
#: after the project was reopened, Export Gold JSONL and Agreement Report were greyed out with nothing saying why
#: (trial 12, F9)
OPEN_FIRST = "Open a colleague's file first (Review ▸ Open Colleague File…, Ctrl+Shift+O)"
WHY_DISABLED = {
    "review_accept": "Select an open or rejected disagreement first (J / K or the Review dock's list)",
    "review_reject": "Select an open disagreement first (J / K or the Review dock's list)",
    "review_accept_agreed": "Open the files of at least two colleagues first (Review ▸ Open Colleague File…)",
}


def set_enabled(action: QAction, enabled: bool) -> None:
    """Enable ``action``, or disable it saying why in its status tip and tooltip (:data:`WHY_DISABLED`)."""
    action.setEnabled(enabled)
    why = "" if enabled else WHY_DISABLED.get(action.objectName(), OPEN_FIRST)
    name = action.text().replace("&", "").rstrip("…")
    action.setStatusTip(why and f"{name}: {why}")
    action.setToolTip(f"{name}: {why}" if why else action.iconText())


class SayWhyDisabled(QProxyStyle):
    """The window's style, but a disabled menu entry can be the current one (as on Windows): hovered or reached
    with the arrow keys, it shows its status tip -- why it is disabled -- in the status bar (Fusion passed it by,
    so nothing could say why)."""

    def styleHint(self, hint: QStyle.StyleHint, option: Any = None, widget: Any = None,  # noqa: N802 - Qt's
                  data: Any = None) -> int:
        if hint == QStyle.StyleHint.SH_Menu_AllowActiveAndDisabled:
            return 1
        return super().styleHint(hint, option, widget, data)


def build_actions(controller: Any, window: QWidget) -> dict[str, QAction]:
    """The Review actions, each calling the controller method named in :data:`ACTIONS`."""
    actions: dict[str, QAction] = {}
    for ident, text, keys, handler, _local, _sep in ACTIONS:
        action = QAction(text, window)
        action.setObjectName(ident)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setIconText(BUTTONS.get(ident, text.replace("&", "")))  # the dock's button text
        slot = getattr(controller, handler)
        action.triggered.connect(lambda _=False, h=slot: h())
        actions[ident] = action
    keys = QAction("&Review Keys", window)
    keys.setObjectName("review_keys")
    keys.triggered.connect(controller.show_keys)
    actions["review_keys"] = keys
    return actions


def install_actions(window: Any, actions: dict[str, QAction], dock: QDockWidget) -> None:
    """Keys where they belong, entries in the Review menu (made visible), View ▸ Review, Help ▸ Review Keys."""
    menu = window.menus["&Review"]
    for ident, _text, _keys, _handler, local, separator in ACTIONS:
        action = actions[ident]
        if local:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            window.view.addAction(action)
            dock.addAction(action)
        else:
            window.addAction(action)
        if separator:
            menu.addSeparator()
        menu.addAction(action)
    menu.menuAction().setVisible(True)
    menu.setToolTipsVisible(True)  # a disabled entry says why (set_enabled) when the pointer or the arrows reach it
    style = SayWhyDisabled()
    style.setParent(menu)
    menu.setStyle(style)
    window.menus["&View"].addAction(dock.toggleViewAction())
    window.menus["&Help"].addAction(actions["review_keys"])


def key_rows() -> list[tuple[str, str]]:
    """(keys, what they do) of every review action that has keys (Help ▸ Review Keys, and F1)."""
    rows = []
    for ident, text, keys, _handler, local, _sep in ACTIONS:
        if keys:
            shown = ", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
            where = " (in the statement or the Review dock)" if local else ""
            how = f": {HOW[ident]}" if ident in HOW else ""
            rows.append((shown, text.replace("&", "").rstrip("…") + how + where))
    return rows


class Adjudicate(_Command):
    """One adjudication: the first redo runs it, later ones replay it with the same ids (``store.redo``), undo
    puts the project back (``store.undo``); each then tells the controller, which refreshes the window.

    A store refusal (the span changed since it was shown, disk full, read-only) is reported by ``_Command`` and
    makes the command obsolete; an accept-all that found nothing to accept is obsolete too (no empty undo step).
    ``many`` (what the progress dialog says) runs it, its undo and its redo in a thread (``many_statements``): an
    accept-all reads every statement the colleagues share (100 000 took minutes).
    """

    def __init__(self, controller: Any, session: Session, text: str, doc_id: int | None,
                 run: Callable[[Project], store.Adjudication], key: str | None, many: str | None = None) -> None:
        super().__init__(session, text, doc_id)
        self.controller = controller
        self.run = run
        self.key = key  # the item decided (None: accept all agreed)
        self.many = many
        self.done: store.Adjudication | None = None

    def do(self) -> None:
        if self.done is None:
            self.done = self._apply(self.many, self.run)
            if self.done.empty:
                self.setObsolete(True)
            self.controller.adjudicated(self, undone=False)
        else:
            done = self.done
            self._apply("Accepting them again…", lambda project: store.redo(project, done))
            self.controller.adjudicated(self, undone=False, redone=True)

    def undo_step(self) -> None:
        assert self.done is not None
        done = self.done
        self._apply("Taking them back…", lambda project: store.undo(project, done))
        self.controller.adjudicated(self, undone=True)

    def _apply(self, label: str | None, change: Callable[[Project], T]) -> T:
        if self.many is None:
            return change(self.session.project)
        return many_statements(self.session, label or self.many, change, "Review")
