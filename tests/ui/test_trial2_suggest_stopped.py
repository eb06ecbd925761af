"""An outside trial: a codebook cue (a regular expression) stopped by its time limit went unsaid in the window,
where ``annotator suggest`` warns about it. The retrain process's answers now name the stopped cues, and the
Suggestions dock shows a line naming them (and the status bar says it once); fixed, the line goes."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel, QWidget

from annotator.core.model import IncomingDocument
from annotator.core.suggest.cues import Cue
from annotator.store import Project
from annotator.store import suggest as store
from tests.ui.conftest import show_window

SLOW = Cue("runaway", "regex", "(a|aa)+$")  # backtracks without end on a run of a's not at the end
WORD = Cue("urge", "phrase", "we urge")
TEXT = "We urge restraint. " + "a" * 40 + "b and more."


def test_the_suggestions_dock_names_a_cue_stopped_by_its_time_limit(qtbot, tmp_path):
    from annotator.ui.mainwindow import MainWindow

    project = Project.open(tmp_path / "p.sqlite", create=True, user="ana",
                           populate=[IncomingDocument(TEXT, "one"), IncomingDocument("We urge calm.", "two")])
    store.set_cues(project, {"call_to_action": [SLOW, WORD]})
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    try:
        ctl = window.suggestions
        ctl.dock.toggleViewAction().trigger()  # Suggestions ▸ Show Suggestions, as a user opens the dock
        assert ctl.dock.isVisible()
        qtbot.waitUntil(lambda: ctl.version is not None and ctl.settled(), timeout=120_000)
        line = ctl.panel.findChild(QWidget, "suggest_stopped")
        assert line is not None, "the dock has no line for stopped cues"
        assert line.isVisible(), "the dock does not say the cue was stopped"
        said = ctl.panel.findChild(QLabel, "suggest_stopped_text").text()
        assert "runaway" in said and "stopped" in said and "urge" not in said
        assert "Edit Codebook" in said  # where to fix it
        assert said == said[0].upper() + said[1:]
        assert "runaway" in window.statusBar().currentMessage()  # said once where a hidden dock cannot hide it
        # the other cue was still used: its suggestion is listed in the dock
        assert any(row[5] == "pattern:urge" for row in ctl.panel.rows)

        # the pattern fixed (one undoable change): the retrain says nothing is stopped, the line goes
        ctl.set_cues({"call_to_action": [Cue("runaway", "regex", r"a+b"), WORD]})
        qtbot.waitUntil(lambda: not line.isVisible(), timeout=120_000)
        assert ctl.panel.stopped_names == ()
    finally:
        window.close()
        project.close()
