"""The Search dock keeps the window answering while a search fills it (issue 12: "typing in the search box never
delays a key press by more than a frame"). Traced at 100 000 statements: the window's longest steps were the hits
table laid out and painted again -- when the progress bar and Cancel appeared (the table shrank), when the first hits
brought the scroll bar (it narrowed) -- each while the search took the GIL back and forth with it, and a Python
delegate eliding the left context at every paint of every cell. These tests go through the real widgets."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QFontMetrics

from annotator import pacing
from annotator.core.model import IncomingDocument
from annotator.core.search.hits import make_hit
from annotator.store import Project
from tests.ui.conftest import show_window, shown_search_panel

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
#: statements enough for several batches of hits (16, 32, 64 statements a batch) and far more hits than rows shown
MANY = 200


@pytest.fixture
def many(tmp_path):
    project = Project.open(tmp_path / "p.sqlite", create=True, user="tester")
    project.import_documents([
        IncomingDocument(f"Statement {i}: the pledge is ironclad, the alliance is ironclad, and so is the word.",
                         f"statement {i:03}") for i in range(MANY)])
    yield project
    project.close()


@pytest.fixture
def win(qtbot, many, tmp_path):
    from annotator.ui.mainwindow import MainWindow

    return show_window(qtbot, MainWindow(many, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))


class _Resizes(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[tuple[int, int]] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.sizes.append(event.size().toTuple())  # type: ignore[attr-defined]
        return False


def test_the_hits_keep_their_room_while_a_search_fills_them(qtbot, win):
    """From Enter to the last hit shown the hits table is never resized (each resize lays out and paints every hit
    shown again, the window's longest step while the search runs), and the search switches the GIL quickly
    (``pacing.switch_quickly``) only while it runs."""
    win.suggestions.retrainer.stop()  # its requests switch quickly too, while they run: the search's alone here
    default = sys.getswitchinterval()
    qtbot.keyClick(win.view, Qt.Key.Key_F, CTRL | SHIFT)
    controller = win.search
    box, table = controller.panel.query, controller.panel.table
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClicks(box, "ironclad")
    controller.timer.stop()  # the search starts at Enter below, not after the pause
    qtbot.wait(50)
    spy = _Resizes()
    table.viewport().installEventFilter(spy)
    intervals: list[float] = []
    batches: list[int] = []
    # the interval while the search's thread runs (a progress signal handled after it ended reads the default)
    controller.panel.progress.valueChanged.connect(
        lambda _v: intervals.append(sys.getswitchinterval())
        if controller.running is not None and controller.running.isRunning() else None)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    thread = controller.running
    assert thread is not None
    thread.found.connect(lambda _g, rows: batches.append(len(rows)))
    qtbot.waitUntil(lambda: controller.running is None, timeout=20000)
    qtbot.wait(100)  # the last hits laid out and painted
    assert controller.model.rowCount() == 2 * MANY
    assert len(batches) > 2, batches  # they came in several batches...
    assert table.rowAt(table.viewport().height() - 1) < controller.model.rowCount() - 1  # ...more than are shown
    assert spy.sizes == []  # neither the progress bar nor the scroll bar took room from the hits
    assert controller.panel.progress.isHidden() and controller.panel.cancel.isHidden()
    assert intervals and max(intervals) <= min(default, pacing.SWITCH)
    assert sys.getswitchinterval() == default


def test_the_left_context_is_painted_elided_on_its_left_to_its_column(qtbot):
    """The left context keeps its end (next to the hit) and loses its start, at the column's width as it changes;
    what the model gives for it otherwise (``data``) is the whole context."""
    from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan

    from annotator.ui.search.model import LEFT, MATCH

    panel = shown_search_panel(qtbot, 1200)
    table, model = panel.table, panel.model
    text = "word " * 40 + "the ironclad 👍🏽 end"
    start = text.index("ironclad")
    model.append([make_hit(1, "s", "t", "", text, start, start + 8, 60)])
    index = model.index(0, LEFT)
    style = table.style()
    margins = 2 * (style.pixelMetric(style.PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
    metrics = QFontMetrics(table.font())

    def painted() -> str:
        asked = QModelRoleData(Qt.ItemDataRole.DisplayRole)
        model.multiData(index, QModelRoleDataSpan(asked))
        return str(asked.data())

    whole = text[start - 60 : start]
    assert index.data() == whole
    for width in (300, 120):
        table.setColumnWidth(LEFT, width)
        shown = painted()
        assert shown.startswith("…") and whole.endswith(shown[1:]) and len(shown) < len(whole)
        assert metrics.horizontalAdvance(shown) <= width - margins  # the view does not elide it again, on its right
    table.setColumnWidth(LEFT, 2000)
    assert painted() == whole
    assert painted() == index.data() and model.index(0, MATCH).data() == "ironclad"


def test_a_new_search_frees_the_hits_it_replaces_a_slice_per_turn_of_the_event_loop(qtbot, qapp):
    """Clearing a search's hits (a new search starts, as the user types on) leaves the table empty at once and frees
    the old hits at most :data:`~annotator.ui.search.model.DROP_SLICE` per turn of the event loop (freeing 100 000
    at once took the window 20 ms), every one of them in the end."""
    from annotator.ui.search import model as hits_model

    freed: list[int] = []

    class Tracked(tuple):  # a hit's labels that count their own freeing
        def __del__(self) -> None:
            freed.append(1)

    panel = shown_search_panel(qtbot)
    count = 3 * hits_model.DROP_SLICE + 5
    panel.model.append_rows([(i, "s", "t", "", 0, 3, "", "the", "", "text", Tracked()) for i in range(count)])
    panel.model.sort(0)  # ``rows`` a sorted copy of ``all``: the same hits held twice
    panel.model.clear()
    assert panel.model.rowCount() == 0 and freed == []
    turns = 0
    while len(freed) < count:
        before = len(freed)
        qapp.processEvents()
        assert len(freed) - before <= hits_model.DROP_SLICE
        turns += 1
        assert turns < 100, "the old hits are never all freed"
    assert turns >= 4


def test_the_search_steps_aside_after_the_dock_took_in_hits(qtbot, many, monkeypatch):
    """``give_way`` (the dock has just been handed hits to lay out and paint) ends the search's turn, and its next
    turn is given :data:`~annotator.ui.search.worker.GIVE_WAY` later even though the event loop runs meanwhile: the
    paint does not share the GIL with the search."""
    import time

    from annotator.core.search.query import parse
    from annotator.ui.search import worker

    monkeypatch.setattr(worker, "SLICE", 0.0)  # a turn a step: the search waits for the event loop all the time
    monkeypatch.setattr(worker, "GIVE_WAY", 0.4)
    thread = worker.SearchThread(many.path, parse("ironclad"), 1, 20)
    thread.start()
    qtbot.waitUntil(lambda: thread.turns > 5, timeout=10000)  # running, turn after turn
    given = time.perf_counter()  # measured from the give-way itself: the 50 ms wait below ran 70 ms in CI
    thread.give_way()
    qtbot.wait(50)  # the step it was in ends; its next turn is asked for
    asked = thread.turns
    qtbot.wait(200)  # the event loop runs, but the turn is not given yet
    assert thread.turns == asked and thread.isRunning()
    qtbot.waitUntil(lambda: thread.turns > asked, timeout=10000)
    assert time.perf_counter() - given >= 0.4 - 0.02
    thread.cancel()
    assert thread.wait(5000)
