"""The Suggestions menu (issue 13): its actions and keys (``commands.ACTIONS``), each calling the controller, and
where they also appear: Edit Cue Patterns… beside Edit Codebook in the Labels menu, the dock's toggle in the View
menu, Next Suggested Statement beside Next Unfinished in the Document menu."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from annotator.ui.suggest import commands


def build(controller: Any) -> dict[str, QAction]:
    """Add the Suggestions menu to the controller's window, before View; its actions by id."""
    window = controller.window
    menu = QMenu("&Suggestions", window)
    menu.setObjectName("suggestions_menu")
    window.menuBar().insertMenu(window.menus["&View"].menuAction(), menu)
    window.menus["&Suggestions"] = menu
    actions: dict[str, QAction] = {}
    for ident, text, keys, handler, local, separator in commands.ACTIONS:
        action = QAction(text, window)
        action.setObjectName(ident)
        action.setShortcuts([QKeySequence(k) for k in keys])
        slot = getattr(controller, handler)
        action.triggered.connect(lambda _=False, h=slot: h())
        if local:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            controller.view.addAction(action)
        else:
            window.addAction(action)
        if separator and menu.actions():
            menu.addSeparator()
        menu.addAction(action)
        actions[ident] = action
    menu.addSeparator()
    menu.addAction(controller.dock.toggleViewAction())
    edit_cues = QAction("Edit C&ue Patterns…", window)  # &P is Previous Suggestion, &C the Labels menu's Codebook
    edit_cues.setObjectName("suggest_edit_cues")
    edit_cues.triggered.connect(controller.edit_cues)
    menu.addAction(edit_cues)
    labels_menu = window.menus["&Labels"]
    labels_menu.insertAction(window.actions_["codebook_export"], edit_cues)  # beside Edit Codebook
    actions["suggest_edit_cues"] = edit_cues
    window.menus["&View"].addAction(controller.dock.toggleViewAction())
    # beside Next Unfinished in the Document menu
    document = window.menus["&Document"]
    after = window.actions_["next_doc"]
    document.insertAction(after, actions["suggest_next_doc"])
    return actions
