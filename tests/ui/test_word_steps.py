"""Growing and shrinking a span by a word with the real keys keeps brackets whole (issue 15, item 4)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from annotator.core.model import IncomingDocument
from annotator.store import Project
from tests.ui.conftest import key_select, show_window

SEED = ("The United States, Japan, and the Republic of Korea (ROK) strongly condemn the provision of military "
        "equipment by the Democratic People's Republic of Korea (DPRK) to Russia.")
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
CTRL_ALT_SHIFT = CTRL_SHIFT | Qt.KeyboardModifier.AltModifier


@pytest.fixture
def seed_window(qtbot, tmp_path):
    from annotator.ui.mainwindow import MainWindow

    project = Project.open(tmp_path / "p.sqlite", create=True, user="tester",
                           populate=[IncomingDocument(SEED, "seed")])
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    yield show_window(qtbot, MainWindow(project, settings)), project
    project.close()


def phrase(project, window) -> str:
    (span,) = project.spans(window.session.document.id)
    return SEED[span.start : span.end]


def test_grow_start_takes_the_bracket_whole(seed_window, qtbot):
    window, project = seed_window
    view = window.view
    key_select(qtbot, view, SEED.index("strongly"), len("strongly condemn the"))
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert phrase(project, window) == "strongly condemn the"
    qtbot.keyClick(view, Qt.Key.Key_Left, CTRL_ALT_SHIFT)
    assert phrase(project, window) == "(ROK) strongly condemn the"
    qtbot.keyClick(view, Qt.Key.Key_Right, CTRL_ALT_SHIFT)  # shrink the start: the bracket goes whole
    assert phrase(project, window) == "strongly condemn the"


def test_grow_end_takes_apostrophe_words_and_brackets_whole(seed_window, qtbot):
    window, project = seed_window
    view = window.view
    start = SEED.index("the Democratic")
    key_select(qtbot, view, start, len("the Democratic"))
    qtbot.keyClick(view, Qt.Key.Key_2)
    qtbot.keyClick(view, Qt.Key.Key_Right, CTRL_SHIFT)
    assert phrase(project, window) == "the Democratic People's"
    for _ in range(4):  # Republic, of, Korea, (DPRK)
        qtbot.keyClick(view, Qt.Key.Key_Right, CTRL_SHIFT)
    assert phrase(project, window) == "the Democratic People's Republic of Korea (DPRK)"
    qtbot.keyClick(view, Qt.Key.Key_Left, CTRL_SHIFT)
    assert phrase(project, window) == "the Democratic People's Republic of Korea"
