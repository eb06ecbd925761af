"""View ▸ Zoom In / Zoom Out / Reset Zoom and Reading Settings…: the statement's font, size, spacing and line
width, applied to every statement view of the window (the statement, the review pane) and remembered."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from annotator.ui.statement.view import StatementView
from annotator.ui.reading import settings as stored
from annotator.ui.reading.dialog import ReadingDialog
from annotator.ui.reading.palette import follow_system_scheme
from annotator.ui.reading.settings import Reading

#: (id, text, keys, steps) of the zoom actions; steps 0 resets
ZOOM = (
    ("zoom_in", "Zoom &In", ("Ctrl+=", "Ctrl++"), 1),
    ("zoom_out", "Zoom &Out", ("Ctrl+-",), -1),
    ("zoom_reset", "&Reset Zoom", ("Ctrl+0",), 0),
)


class ReadingControl(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.reading = stored.load(window.settings)
        self.actions: dict[str, QAction] = {}
        menu = window.menus["&View"]
        first = menu.actions()[0] if menu.actions() else None
        for ident, text, keys, steps in ZOOM:
            action = QAction(text, window)
            action.setObjectName(ident)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _=False, s=steps: self.zoom(s))
            window.addAction(action)
            menu.insertAction(first, action)
            self.actions[ident] = action
        settings_action = QAction("Reading &Settings…", window)
        settings_action.setObjectName("reading_settings")
        settings_action.triggered.connect(self.edit)
        menu.insertAction(first, settings_action)
        self.actions["reading_settings"] = settings_action
        if first is not None:
            menu.insertSeparator(first)
        for view in self.views():
            view.zoomRequested.connect(self.zoom)
        self.apply()
        follow_system_scheme()  # a dark system scheme: a dark palette, if the style does not give one

    def views(self) -> list[StatementView]:
        return [self.window.view, *(v for v in self.window.findChildren(StatementView) if v is not self.window.view)]

    def apply(self) -> None:
        font = self.reading.font()
        for view in self.views():
            view.set_reading(font, self.reading.spacing, self.reading.max_chars)

    def set_reading(self, reading: Reading) -> None:
        self.reading = reading
        stored.save(self.window.settings, reading)
        self.apply()
        self.window.statusBar().showMessage(f"Text at {reading.points:g} pt", 2000)

    def zoom(self, steps: int) -> None:
        if steps == 0 and self.reading.zoom == 0:
            return
        zoomed = self.reading.zoomed(steps)
        if zoomed != self.reading:
            self.set_reading(zoomed)

    def edit(self) -> None:
        dialog = ReadingDialog(self.window, self.reading)
        if dialog.exec() == ReadingDialog.DialogCode.Accepted:
            self.set_reading(dialog.reading())
        self.window.focus_statement()


def key_rows() -> list[tuple[str, str]]:
    return [(", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys),
             text.replace("&", "")) for _ident, text, keys, _steps in ZOOM]


def install(window: Any) -> ReadingControl:
    return ReadingControl(window)
