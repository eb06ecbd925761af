"""The Search dock's Hit column (a newcomer's finding): it showed "strongly con…" at a fixed 110 px while the right
context had room to spare. It fits its hits now, up to a share of the table (a longer hit cut in its middle, whole
in the row's tooltip), the context columns share the rest, and a width the user dragged stays."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFont, QFontMetrics

from annotator.core.model import IncomingDocument
from annotator.store import Project
from annotator.ui.reading.columns import CELL_PAD
from annotator.ui.search.model import LEFT, MATCH, RIGHT
from tests.ui.conftest import show_window

HIT_SHARE = 0.35  # the most of the table the Hit column takes (panel.HIT_SHARE)
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
LONG_HIT = "strongly condemned the launches of ballistic missiles over the sea of japan " * 3
DOCS = [
    IncomingDocument("The ministers strongly condemned the launches and called for talks without conditions.", "one"),
    IncomingDocument("They strongly condemn it again.", "two"),
    IncomingDocument(f"Earlier: {LONG_HIT}and nothing more.", "three"),
]


@pytest.fixture
def win(qtbot, tmp_path):
    from annotator.ui.mainwindow import MainWindow

    project = Project.open(tmp_path / "p.sqlite", create=True, user="tester")
    project.import_documents(DOCS)
    window = MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window.resize(1400, 900)
    yield show_window(qtbot, window)
    project.close()


def _search(qtbot, win, text, regex=False):
    qtbot.keyClick(win.view, Qt.Key.Key_F, CTRL | SHIFT)
    controller = win.search
    box = controller.panel.query
    qtbot.waitUntil(box.hasFocus)
    controller.panel.regex.setChecked(regex)
    box.clear()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.running is None and controller.model.rowCount() > 0, timeout=10000)
    return controller


def _bold_width(table, text):
    bold = QFont(table.font())
    bold.setBold(True)
    return QFontMetrics(bold).horizontalAdvance(text)


def _painted(controller, row, col):
    controller.model._painted.clear()
    return controller.model._painted_texts(controller.model.rows._rows[row])[col]


def test_the_hit_column_shows_each_hit_whole_and_the_contexts_share_the_rest(qtbot, win, tmp_path):
    controller = _search(qtbot, win, '"strongly condemned the launches" OR "strongly condemn"')
    table = controller.panel.table
    header = table.horizontalHeader()
    hits = {controller.model.hit(r).match for r in range(controller.model.rowCount())}
    assert "strongly condemned the launches" in hits
    widest = max(_bold_width(table, h) for h in hits if len(h) < 40)
    assert header.sectionSize(MATCH) >= widest + CELL_PAD  # was 110 px: "strongly con…"
    for row in range(controller.model.rowCount()):
        if len(controller.model.hit(row).match) < 40:
            assert _painted(controller, row, MATCH) == controller.model.hit(row).match
    # the contexts have the room the columns leave, and the row fits the table (no sideways scrolling)
    assert header.sectionSize(LEFT) == header.sectionSize(RIGHT) >= 120
    assert header.length() <= table.viewport().width() + 1
    table.grab().save(str(tmp_path / "hits.png"))


def test_a_very_long_hit_is_cut_in_its_middle_whole_in_its_tooltip(qtbot, win):
    controller = _search(qtbot, win, r"strongly condemned the launches of ballistic.*japan", regex=True)
    table = controller.panel.table
    header = table.horizontalHeader()
    assert header.sectionSize(MATCH) <= table.viewport().width() * HIT_SHARE + 1
    row = next(r for r in range(controller.model.rowCount()) if len(controller.model.hit(r).match) > 100)
    hit = controller.model.hit(row).match
    painted = _painted(controller, row, MATCH)
    assert "…" in painted and painted[:10] == hit[:10] and painted[-5:] == hit[-5:]
    assert _bold_width(table, painted) <= header.sectionSize(MATCH)
    tip = controller.model.data(controller.model.index(row, MATCH), Qt.ItemDataRole.ToolTipRole)
    assert f"[{hit.strip()}" in tip or f"[{hit}]" in tip


def test_a_width_the_user_dragged_stays(qtbot, win):
    controller = _search(qtbot, win, "strongly")
    header = controller.panel.table.horizontalHeader()
    header.resizeSection(MATCH, 60)  # as a drag of its edge does
    header.resizeSection(RIGHT, 150)
    controller = _search(qtbot, win, '"strongly condemned the launches"')
    assert header.sectionSize(MATCH) == 60 and header.sectionSize(RIGHT) == 150
    assert win.settings.value("columns/search/Hit") in (60, "60")
