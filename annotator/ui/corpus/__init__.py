"""Corpus views (issue 12, "See the corpus"): the Corpus menu and its window (``window``): label × group tables,
co-occurrence, timeline, codeline and span retrieval, computed off the GUI thread (``jobs``), shown through item
models (``models``) and pyqtgraph charts (``annotator/ui/charts.py``, ``codeline``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

#: (tab, menu text, shortcut)
ENTRIES = (
    ("table", "Label × &Group Table…", "Ctrl+Shift+C"),
    ("cooccurrence", "&Co-occurrence…", ""),
    ("timeline", "&Timeline…", ""),
    ("codeline", "Code&line…", ""),
    ("spans", "&Retrieve Spans…", "Ctrl+Shift+R"),
)


def key_rows() -> list[tuple[str, str]]:
    """The Corpus menu's shortcuts, for the F1 list."""
    return [(QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText), "Corpus: " + text.replace("&", "")
             .rstrip("…")) for _tab, text, keys in ENTRIES if keys]


class CorpusController(QObject):
    """The Corpus menu; opens the one corpus window on a tab, computing its figures afresh."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.corpus_window: Any = None
        view_menu = window.menus.get("&View")
        from PySide6.QtWidgets import QMenu

        self.menu = QMenu("&Corpus", window)
        self.menu.setObjectName("corpus_menu")
        if view_menu is not None:
            window.menuBar().insertMenu(view_menu.menuAction(), self.menu)
        else:
            window.menuBar().addMenu(self.menu)
        self.actions: dict[str, QAction] = {}
        for tab, text, keys in ENTRIES:
            action = QAction(text, window)
            action.setObjectName(f"corpus_{tab}")
            if keys:
                action.setShortcut(QKeySequence(keys))
            action.triggered.connect(lambda _=False, tab=tab: self.show(tab))
            window.addAction(action)
            self.menu.addAction(action)
            self.actions[tab] = action

    def show(self, tab: str = "table") -> Any:
        from annotator.ui.corpus.window import CorpusWindow

        if self.corpus_window is None:
            self.corpus_window = CorpusWindow(self.window)
        w = self.corpus_window
        w.tabs.setCurrentIndex(CorpusWindow.TABS.index(tab))
        w.reload()
        w.show()
        w.activateWindow()
        w.tabs.currentWidget().setFocus()
        return w

    def key_rows(self) -> list[tuple[str, str]]:
        return [(text.replace("&", "").rstrip("…"), keys) for _, text, keys in ENTRIES if keys]


def install(window: Any) -> CorpusController:
    existing = getattr(window, "_corpus_controller", None)
    if existing is None:
        existing = window._corpus_controller = CorpusController(window)
    return existing
