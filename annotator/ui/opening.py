"""Opening a large dialog over the main window in turns of the event loop, so the window never stalls a frame.

Made, shown and activated in one turn, the agreement report held the window 15-34 ms (issue #14): the style's
polish and layout of every widget in it, its native window, its first paint, and the main window repainting every
widget in inactive colours as it lost the activation. :func:`open_in_turns` does each in a turn of its own.
"""

from __future__ import annotations

import time
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

from annotator.ui.panels import hold_paint_in_turns, repainting

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

#: the longest a dialog waits to be shown for the window to finish repainting part by part
WAIT_FOR_REPAINT_MS = 250


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
          then: Callable[[], None] | None, since: float | None = None) -> None:
    """Shown first without the activation, which it takes :data:`ACTIVATE_AFTER_MS` later: the window losing it
    repaints every widget it has (12-16 ms), and that repaint shared one turn of the event loop with the dialog's
    first paint (issue #14). Keys meanwhile reach neither window: the dialog is modal.

    Shown once the window has repainted what came before, part by part (the end of a file job, an opened statement:
    :func:`hold_paint_in_turns`), for at most :data:`WAIT_FOR_REPAINT_MS`: a part still held then would not be
    held again, and would repaint in one pass with every other such part as the window loses the activation."""
    if not wanted():
        return
    since = time.monotonic() if since is None else since
    if repainting(window) and time.monotonic() - since < WAIT_FOR_REPAINT_MS / 1000:
        QTimer.singleShot(NEXT_TURN_MS, dialog, lambda: _show(window, dialog, wanted, then, since))
        return
    repainted_ms = hold_window_paint(window, WINDOW_PAINT_AFTER_MS, WINDOW_PAINT_STEP_MS)
    if then is not None:
        QTimer.singleShot(repainted_ms + WINDOW_PAINT_STEP_MS, dialog, then)
    dialog.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    dialog.open()

    def activate() -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, False)
        if dialog.isVisible():
            dialog.activateWindow()

    QTimer.singleShot(ACTIVATE_AFTER_MS, dialog, activate)


def hold_window_paint(window: QMainWindow, first_ms: int = NEXT_TURN_MS, step_ms: int = NEXT_TURN_MS) -> int:
    """The main window's docks, its central widget and its bars repaint one at a time, in turns of their own, from
    ``first_ms`` on, ``step_ms`` apart; the ms until the last is released. For a change of the window's activation
    (a modal dialog opening or closing: nothing else in the window changes then but its colours), when Qt repaints
    every widget of it. Each dock's tables repaint whole then (an item view repaints its viewport on every
    activation change, whatever the palette)."""
    direct = Qt.FindChildOption.FindDirectChildrenOnly
    parts: list[list[QWidget]] = []
    for dock in window.findChildren(QDockWidget, options=direct):
        if dock.isVisible():
            # a table's rows after the rest of its dock: the Documents dock whole took 15-18 ms at 100 000
            # statements (its table's 17 rows alone 9-10 ms; File > Import's worst stall)
            parts += [[dock], *([view.viewport()] for view in dock.findChildren(QAbstractItemView)
                                if view.isVisible() and not isinstance(view, QHeaderView))]
    central = window.centralWidget()
    parts += [[central] if central is not None else [],
              [*window.findChildren(QToolBar, options=direct), window.statusBar(), window.menuBar()]]
    return hold_paint_in_turns(*parts, first_ms=first_ms, step_ms=step_ms)
