"""Every command of the window, declared once: id, text, shortcuts, handler, menu (after Picard's actions.py).

``scope="view"`` actions fire only while the statement has the keyboard focus (so typing `1` in the search box
types a 1); ``scope="window"`` actions fire anywhere in the window. Help ▸ Keyboard shortcuts is generated from
this table, so it cannot drift from what the keys do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

Std = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    handler: str  # "object.method" on the window's handler objects
    shortcuts: tuple[str | QKeySequence.StandardKey, ...] = ()
    menu: str = ""
    scope: str = "window"
    args: tuple[Any, ...] = ()
    tip: str = ""
    separator_before: bool = False
    checkable: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


MENUS = ("&File", "&Edit", "&Document", "&Labels", "&Review", "&View", "&Help")

SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("new", "&New Project…", "files.new_project", (Std.New,), "&File"),
    ActionSpec("open", "&Open Project…", "files.open_project", (Std.Open,), "&File"),
    ActionSpec("import", "&Import Files…", "files.import_files", ("Ctrl+I",), "&File", separator_before=True),
    ActionSpec("import_folder", "Import &Folder…", "files.import_folder", ("Ctrl+Shift+I",), "&File"),
    ActionSpec("export", "&Export…", "files.export", ("Ctrl+E",), "&File"),
    ActionSpec("quit", "&Quit", "window.close", ("Ctrl+Q",), "&File", separator_before=True),
    ActionSpec("find", "&Find in Statement…", "editor.find", (Std.Find,), "&Edit", separator_before=True),
    ActionSpec("delete_span", "&Delete Span", "editor.delete_span", ("Delete", "Backspace"), "&Edit", "view",
               separator_before=True),
    ActionSpec("note", "Edit &Note…", "editor.edit_note", ("N",), "&Edit", "view"),
    ActionSpec("next_span", "Next Span", "editor.next_span", ("Tab",), "&Edit", "view", separator_before=True),
    # one key only: X reports Shift+Tab as Backtab *and* Shift+Tab, so a second shortcut "Backtab" makes the
    # press ambiguous there ("Ambiguous shortcut overload: Backtab") and nothing fires; Qt maps Shift+Backtab
    # to Shift+Tab on every platform
    ActionSpec("prev_span", "Previous Span", "editor.prev_span", ("Shift+Tab",), "&Edit", "view"),
    ActionSpec("grow", "Grow Span by a Word", "editor.grow", ("Ctrl+Shift+Right",), "&Edit", "view"),
    ActionSpec("shrink", "Shrink Span by a Word", "editor.shrink", ("Ctrl+Shift+Left",), "&Edit", "view"),
    ActionSpec("grow_start", "Grow Span Start by a Word", "editor.grow_start", ("Ctrl+Alt+Shift+Left",), "&Edit",
               "view"),
    ActionSpec("shrink_start", "Shrink Span Start by a Word", "editor.shrink_start", ("Ctrl+Alt+Shift+Right",),
               "&Edit", "view"),
    ActionSpec("clear", "Clear Selection", "editor.clear_selection", ("Escape",), "&Edit", "view"),
    ActionSpec("analyst", "&Your Name…", "window.change_analyst", (), "&Edit", separator_before=True,
               tip="The name recorded on every span you label"),
    ActionSpec("done_next", "Mark &Done and Open Next", "editor.done_and_next", ("Ctrl+Return", "Ctrl+Enter"),
               "&Document"),
    ActionSpec("mark_in_progress", "Mark &In Progress", "editor.set_status", (), "&Document", args=("in_progress",)),
    ActionSpec("mark_skipped", "Mark S&kipped", "editor.set_status", (), "&Document", args=("skipped",)),
    ActionSpec("mark_todo", "Mark &To Do", "editor.set_status", (), "&Document", args=("todo",)),
    ActionSpec("next_unfinished", "Next &Unfinished", "editor.next_unfinished", ("Ctrl+U",), "&Document",
               separator_before=True),
    ActionSpec("next_doc", "&Next Document", "editor.step_document", ("Ctrl+PgDown",), "&Document", args=(1,)),
    ActionSpec("prev_doc", "P&revious Document", "editor.step_document", ("Ctrl+PgUp",), "&Document", args=(-1,)),
    ActionSpec("codebook", "Edit &Codebook…", "files.edit_codebook", ("Ctrl+K",), "&Labels"),
    ActionSpec("codebook_export", "Export Codebook…", "files.export_codebook", (), "&Labels"),
    ActionSpec("codebook_import", "Import Codebook…", "files.import_codebook", (), "&Labels"),
    ActionSpec("guide", "&User Guide", "window.show_guide", (), "&Help"),
    ActionSpec("shortcuts", "&Keyboard Shortcuts", "window.show_shortcuts", ("F1",), "&Help"),
    ActionSpec("about", "&About Annotator", "window.show_about", (), "&Help"),
)

#: label keys: `1`–`9` snap to whole words; with Ctrl, character precision
LABEL_KEYS = tuple(str(i) for i in range(1, 10))


def build(specs: tuple[ActionSpec, ...], handlers: dict[str, object], parent: QWidget,
          view: QWidget) -> dict[str, QAction]:
    """Create the QActions, connect each to its handler, and attach view-scoped ones to the view."""
    actions: dict[str, QAction] = {}
    for spec in specs:
        action = QAction(spec.text, parent)
        action.setObjectName(spec.id)
        keys = [QKeySequence(k) for k in spec.shortcuts]
        if keys:
            action.setShortcuts(keys)
        if spec.tip:
            action.setStatusTip(spec.tip)
        owner_name, method = spec.handler.split(".")
        handler: Callable[..., Any] = getattr(handlers[owner_name], method)
        args = spec.args
        action.triggered.connect(lambda _checked=False, h=handler, a=args: h(*a))
        if spec.scope == "view":
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            view.addAction(action)
        else:
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            parent.addAction(action)
        actions[spec.id] = action
    return actions


def fill_menus(menus: dict[str, QMenu], specs: tuple[ActionSpec, ...], actions: dict[str, QAction]) -> None:
    for spec in specs:
        if not spec.menu:
            continue
        menu = menus[spec.menu]
        if spec.separator_before and menu.actions():
            menu.addSeparator()
        menu.addAction(actions[spec.id])


def shortcut_rows(specs: tuple[ActionSpec, ...]) -> list[tuple[str, str]]:
    """(keys, what they do) for Help ▸ Keyboard shortcuts."""
    rows = [
        ("1 … 9", "Apply the label with that shortcut (selection snaps to whole words); relabel the selected span"),
        ("Ctrl+1 … Ctrl+9", "Apply a label with character precision (no snapping)"),
        ("Shift+arrows, mouse drag", "Select text in the statement"),
        ("Click a span", "Select the span"),
    ]
    for spec in specs:
        if spec.shortcuts:
            keys = ", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in spec.shortcuts)
            rows.append((keys, spec.text.replace("&", "").rstrip("…")))
    rows.append(("Ctrl+Z, Ctrl+Shift+Z", "Undo, redo (every kind of change, across documents)"))
    return rows
