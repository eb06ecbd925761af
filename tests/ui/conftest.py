"""Fixtures for driving the real window offscreen."""

from __future__ import annotations

import time
from contextlib import contextmanager

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from annotator.core.model import IncomingDocument
from annotator.store import Project

HOSTILE = (
    "Seoul 😀 said:\r\n"
    "The 𝐃𝐏𝐑𝐊 threatens peace. 한국어 문장입니다.\r\n"
    "We urge restraint; <b>bold</b> &amp; <img src=x onerror=alert(1)> stays literal.\r\n"
)
SECOND = "Second statement: we commit to defend our allies."
#: a plain paragraph the key-press tests repeat into long statements
PARAGRAPH = (
    "The ministers reaffirmed their commitment to a free and open region, and they condemned the launches "
    "in the strongest terms, calling on all parties to refrain from further provocations. "
)


@pytest.fixture
def project(tmp_path):
    docs = [IncomingDocument(HOSTILE, "hostile"), IncomingDocument(SECOND, "second")]
    project = Project.open(tmp_path / "p.sqlite", create=True, user="tester", populate=docs)
    yield project
    project.close()


@pytest.fixture
def window(qtbot, project, tmp_path):
    from annotator.ui.mainwindow import MainWindow

    return show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "settings.ini"),
                                                            QSettings.Format.IniFormat)))


@contextmanager
def window_over(qtbot, tmp_path, docs, prepare=None):
    """A new project holding ``docs`` in the real window (1100 × 700), shown: (window, project), both closed after.
    ``prepare(project)`` runs before the window opens."""
    from annotator.ui.mainwindow import MainWindow

    project = Project.open(tmp_path / "p.sqlite", create=True, user="ana", populate=docs)
    if prepare is not None:
        prepare(project)
    window = MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window.resize(1100, 700)
    try:
        yield show_window(qtbot, window), project
    finally:
        window.close()
        project.close()


def show_window(qtbot, window):
    """Show ``window`` as the app does, active with the keyboard in the statement (so its shortcuts work)."""
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.view.setFocus()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def shown_search_panel(qtbot, width: int | None = None):
    """The Search dock's panel on its own, shown (``width`` × 300 when given)."""
    from annotator.ui.search.panel import SearchPanel

    panel = SearchPanel()
    qtbot.addWidget(panel)
    if width is not None:
        panel.resize(width, 300)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def record_messages(monkeypatch, *modules) -> list[tuple[str, str]]:
    """Message boxes of ``modules`` (their ``error``, ``inform`` and ``show_import_report``) recorded as
    (title, message) instead of shown: a modal box would wait for a click."""
    shown: list[tuple[str, str]] = []
    for module in modules:
        for name in ("error", "inform"):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, lambda _parent, title, message: shown.append((title, message)))
        if hasattr(module, "show_import_report"):
            monkeypatch.setattr(module, "show_import_report", lambda _parent, report: shown.append(("report",
                                                                                                     str(report))))
    return shown


def point_of(view, cp: int) -> QPoint:
    """The viewport point at the left edge of code point ``cp`` (vertically centred in its line)."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.position_map.to_qt(cp))
    rect = view.cursorRect(cursor)
    return QPoint(rect.left() + 1, rect.center().y())


def drag(qtbot, view, start_cp: int, end_cp: int) -> None:
    """Select from ``start_cp`` to ``end_cp`` with the mouse, as a user drags."""
    viewport = view.viewport()
    a, b = point_of(view, start_cp), point_of(view, end_cp)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=a)
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    move = QMouseEvent(QMouseEvent.Type.MouseMove, b, viewport.mapToGlobal(b), Qt.MouseButton.NoButton,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, move)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=b)


def key_select(qtbot, view, start_cp: int, length_cp: int) -> None:
    """Put the cursor at ``start_cp`` with the keyboard (Ctrl+Home, Right…), then Shift+Right ``length_cp`` times."""
    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    while view.textCursor().position() < view.position_map.to_qt(start_cp):
        qtbot.keyClick(view, Qt.Key.Key_Right)
    target = view.position_map.to_qt(start_cp + length_cp)
    while view.textCursor().position() < target:
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)


def type_into(qtbot, editor, text):
    """Replace what a line edit holds by typing, as a user does (select all, Delete, the keys, Return)."""
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def spans_in_db(project, doc_id):
    return [(s.start, s.end, s.label, s.note) for s in project.spans(doc_id)]


def on_dialog(cls, *actions, timeout_ms: int = 10_000):
    """Run each of ``actions`` (``action(dialog)``) on a visible ``cls`` dialog, one per opening: the user's
    stand-in for a modal dialog, shown again after an error keeps the next action for its next opening.

    Polls instead of firing once: under load a dialog may open later than a fixed delay, and a missed dialog
    would wait for input (until the modal watchdog closes it).
    """
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    clock = QElapsedTimer()
    clock.start()
    timer = QTimer()
    pending = list(actions)
    handled: list[object] = []  # the dialog acted on, until it finishes (its next exec() is a new opening)

    def poll():
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible()]
        if found and not handled and pending:
            dialog = found[-1]
            handled.append(dialog)
            dialog.finished.connect(lambda _result: handled.clear())
            clock.restart()
            pending.pop(0)(dialog)
        if not pending or clock.elapsed() > timeout_ms:
            timer.stop()

    timer.timeout.connect(poll)
    timer.start(20)
    _WATCHERS.append(timer)
    return timer


#: every :func:`on_dialog` watcher of the running test, stopped when it ends: one still polling for a dialog that
#: never came (its timeout not yet over) answered the next test's message box with a button it did not have
_WATCHERS: list[object] = []


@pytest.fixture(autouse=True)
def _stop_dialog_watchers():
    yield
    while _WATCHERS:
        _WATCHERS.pop().stop()  # type: ignore[attr-defined]


def watch_progress(window, on_dialog=None):  # type: ignore[no-untyped-def]
    """A 10 ms timer on the window's thread: its ticks (and whether a progress dialog showed at each), the
    dialog's (value, maximum) and label seen, and the report's text once it opens (accepted, as the user would)."""
    seen = {"ticks": [], "shown": [], "values": [], "labels": [], "report": []}

    def tick():
        seen["ticks"].append(time.monotonic())
        seen["shown"].append(False)  # whether a progress dialog showed at this tick
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QProgressDialog) and widget.isVisible():
                seen["shown"][-1] = True
                seen["values"].append((widget.value(), widget.maximum()))
                seen["labels"].append(widget.labelText())
                if on_dialog is not None:
                    on_dialog(widget)
            if isinstance(widget, QMessageBox) and widget.isVisible():
                seen["report"].append(widget.text())
                widget.accept()

    timer = QTimer(window)
    timer.timeout.connect(tick)
    timer.start(10)
    return timer, seen


def cancel_once(qtbot, clicked: list[str], under_way: bool = False):  # type: ignore[no-untyped-def]
    """For :func:`watch_progress`: click a progress dialog's Cancel the first time it shows (``under_way``: once
    its bar has moved and not ended), noting its label in ``clicked``."""
    from PySide6.QtWidgets import QPushButton

    def cancel(dialog):  # type: ignore[no-untyped-def]
        if clicked or (under_way and not 0 < dialog.value() < dialog.maximum()):
            return
        clicked.append(dialog.labelText())
        qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)

    return cancel


def gaps_while_shown(seen) -> list[float]:  # type: ignore[no-untyped-def]
    """The gaps between two ticks of :func:`watch_progress` at both of which a progress dialog showed: how long
    the window could not answer while a thread did the work (not the window's own work before or after it)."""
    ticks, shown = seen["ticks"], seen["shown"]
    return [ticks[i + 1] - ticks[i] for i in range(len(ticks) - 1) if shown[i] and shown[i + 1]]


def choose_in_file_dialog(path) -> None:
    """The analyst picks ``path`` in the (Qt) file dialog that opens next."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog

    def pick() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()]
        if not dialogs:
            QTimer.singleShot(20, pick)
            return
        dialogs[0].selectFile(str(path))
        dialogs[0].accept()

    QTimer.singleShot(0, pick)


@pytest.fixture
def sample_window(qtbot, tmp_path):
    """The real window on a new project of the two sample statements (analyst "tester"), closed after."""
    from annotator.ui.app import sample_documents
    from annotator.ui.mainwindow import MainWindow

    project = Project.open(tmp_path / "p.sqlite", create=True, user="tester", populate=sample_documents())
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    yield window
    window.close()
    project.close()
