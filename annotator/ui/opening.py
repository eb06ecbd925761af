"""Opening a large dialog over the main window in turns of the event loop, so the window never stalls a frame.

Made, shown and activated in one turn, the agreement report held the window 15-34 ms (issue #14): the style's
polish and layout of every widget in it, its native window, its first paint, and the main window repainting every
widget in inactive colours as it lost the activation. :func:`open_in_turns` does each in a turn of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDockWidget,
    QHeaderView,
    QMainWindow,
    QToolBar,
    QWidget,
)

from annotator.ui.panels import hold_paint_in_turns

#: the dialog takes the keyboard this long after it is shown (after its tables, which come 20 ms after its first
#: paint), so the main window's repaint on losing the focus has an event-loop turn of its own
ACTIVATE_AFTER_MS = 60

#: a timer this short is a later turn of the event loop (one of 0 ms runs in the same pass in Qt 6)
NEXT_TURN_MS = 1

#: the main window's parts repaint in inactive colours from this long after the dialog shows, one part per
#: :data:`WINDOW_PAINT_STEP_MS`: all at once, with the dialog's first paint, they held the window 28-34 ms (on a
#: platform that activates a window as it shows, offscreen; issue #14)
WINDOW_PAINT_AFTER_MS = ACTIVATE_AFTER_MS + 20
WINDOW_PAINT_STEP_MS = 20


def open_in_turns(window: QMainWindow, dialog: QDialog, wanted: Callable[[], bool],
                  then: Callable[[], None] | None = None) -> None:
    """Open ``dialog`` (window-modal) over ``window``: readied in the next turn, shown in the one after, activated
    :data:`ACTIVATE_AFTER_MS` later. ``wanted()`` is asked before each step: False (the dialog was replaced or its
    source closed meanwhile) stops there. ``then()`` is called in a turn of its own once the main window has
    repainted (work that would compete with the opening for the window's thread: a progress dialog's job)."""
    QTimer.singleShot(NEXT_TURN_MS, dialog, lambda: _ready(window, dialog, wanted, then))


def _ready(window: QMainWindow, dialog: QDialog, wanted: Callable[[], bool],
           then: Callable[[], None] | None) -> None:
    """What showing the dialog does before its first paint, done a turn earlier: the style's polish of every widget
    in it, its layout (3-4 ms for the report at 100 000 statements), its native window."""
    if not wanted():
        return
    dialog.ensurePolished()
    for child in dialog.findChildren(QWidget):
        child.ensurePolished()
    layout = dialog.layout()
    if layout is not None:
        layout.activate()
    dialog.create()  # its native window; not winId(), which marks it native and so every child of the main window too
    QTimer.singleShot(NEXT_TURN_MS, dialog, lambda: _show(window, dialog, wanted, then))


def _show(window: QMainWindow, dialog: QDialog, wanted: Callable[[], bool],
          then: Callable[[], None] | None) -> None:
    """Shown first without the activation, which it takes :data:`ACTIVATE_AFTER_MS` later: the window losing it
    repaints every widget it has (12-16 ms), and that repaint shared one turn of the event loop with the dialog's
    first paint (issue #14). Keys meanwhile reach neither window: the dialog is modal."""
    if not wanted():
        return
    repainted_ms = _hold_window_paint(window)
    if then is not None:
        QTimer.singleShot(repainted_ms + WINDOW_PAINT_STEP_MS, dialog, then)
    dialog.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    dialog.open()

    def activate() -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, False)
        if dialog.isVisible():
            dialog.activateWindow()

    QTimer.singleShot(ACTIVATE_AFTER_MS, dialog, activate)


def _hold_window_paint(window: QMainWindow) -> int:
    """The main window's docks, its central widget and its bars repaint one at a time, in turns of their own, from
    :data:`WINDOW_PAINT_AFTER_MS` on (a modal dialog is opening: nothing in the window changes meanwhile but its
    colours, as it loses the activation). Each dock's tables repaint whole then (an item view repaints its viewport
    on every activation change, whatever the palette)."""
    direct = Qt.FindChildOption.FindDirectChildrenOnly
    parts: list[list[QWidget]] = []
    for dock in window.findChildren(QDockWidget, options=direct):
        if dock.isVisible():
            # a table's rows after the rest of its dock: the Documents dock whole took 15-18 ms at 100 000
            # statements (its table's 17 rows alone 9-10 ms; File > Import's worst stall)
            parts += [[dock], *([view.viewport()] for view in dock.findChildren(QAbstractItemView)
                                if view.isVisible() and not isinstance(view, QHeaderView))]
    parts += [[window.centralWidget()], [*window.findChildren(QToolBar, options=direct), window.statusBar(),
                                          window.menuBar()]]
    return hold_paint_in_turns(*parts, first_ms=WINDOW_PAINT_AFTER_MS, step_ms=WINDOW_PAINT_STEP_MS)
