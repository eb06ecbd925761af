"""Why a span is suggested (trial 14, F5): the status bar said "Threat 0.55 (pattern:threat-condemn)" and not which
words matched, a model's suggestion only its version, and a cue's confidence changed without a word. Now the status
line and the Suggestions dock's row (its tooltip) say the words the cue matched and its record in the finished
statements, or how many of her spans of that label the model learned from."""

from __future__ import annotations

import re

from PySide6.QtCore import QSettings, Qt

from annotator.core.suggest.cues import Cue, find
from annotator.core.suggest.why import explain, matched_words
from annotator.store import suggest as store
from tests.ui.conftest import show_window
from tests.ui.test_trial14_suggest_vouch import half_labelled

NAMES = {"threat": "Threat", "commitment": "Commitment", "call_to_action": "Call to action"}


def test_the_words_a_cue_matched_and_its_record_in_plain_words():
    cue = Cue("threat-condemn", "tokens", "condemn*|deplore*|denounce*")
    text = "We  strongly\ncondemn and deplore the attacks, and condemn them again"
    assert matched_words(cue, text) == ["condemn", "deplore"]
    known = {"cues": {"threat-condemn": ["threat", cue.kind, cue.pattern, 9, 5]}, "learned": {"threat": 12}}
    assert explain("pattern:threat-condemn", "threat", 0.57, text, known, NAMES) == \
        "matched “condemn”, “deplore” (right in 5 of 9 matches in finished statements)"
    known["cues"]["threat-condemn"][3:] = [0, 0]
    assert "(no match in a finished statement yet: its starting confidence)" in \
        explain("pattern:threat-condemn", "threat", 0.64, text, known, NAMES)
    # held down beside a call to action's cue in the same clause (defaults.IN_COMPANY)
    assert explain("pattern:threat-condemn", "threat", 0.36, text, known, NAMES).endswith(
        "held to 0.36: a Call to action or Commitment cue matches this clause too")
    assert explain("model:12s-abc", "threat", 0.8, text, known, NAMES) == "learned from 12 of your Threat span(s)"
    assert explain("pattern:gone", "threat", 0.5, text, known, NAMES) == ""  # a cue no longer in the codebook
    assert explain("model:12s-abc", "threat", 0.8, text, {}, NAMES) == ""  # an answer that says nothing of it


def test_the_status_line_and_the_dock_say_why(qtbot, tmp_path):
    from annotator.ui.mainwindow import MainWindow

    project = half_labelled(tmp_path, 14)
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    try:
        ctl = window.suggestions
        ctl.dock.toggleViewAction().trigger()
        panel = ctl.panel
        panel.threshold.setValue(0.2)
        qtbot.waitUntil(lambda: bool(ctl.version) and ctl.settled() and ctl.retrainer.corpus_done,
                        timeout=180_000)
        qtbot.waitUntil(lambda: not ctl.list_pending)
        cues = {c.name: c for cs in store.cues(project).values() for c in cs}
        mine = {lb: n for lb, n in project.conn.execute("SELECT label, count(*) FROM spans GROUP BY label")}
        rows = panel.model.rows
        pattern = next(i for i, r in enumerate(rows) if r[5].startswith("pattern:"))
        model = next(i for i, r in enumerate(rows) if r[5].startswith("model:"))
        # the dock's row: hovered, its tooltip names the words and the record
        tip = panel.model.data(panel.model.index(pattern, 3), Qt.ItemDataRole.ToolTipRole)
        row = rows[pattern]
        clause = project.document(row[0]).text[row[1]:row[2]]
        words = [" ".join(clause[s:e].split()) for s, e, _c in find([cues[row[5].split(":")[1]]], clause)]
        assert words and f"matched “{words[0]}”" in tip, tip
        assert re.search(r"right in \d+ of \d+ matches in finished statements", tip), tip
        tip = panel.model.data(panel.model.index(model, 0), Qt.ItemDataRole.ToolTipRole)
        label = rows[model][3]
        assert f"learned from {mine[label]} of your {ctl.names[label]} span(s)" in tip, tip
        # the status line: the statement opened, S steps to its first suggestion, which it names with its words
        window.open_document(row[0])
        qtbot.waitUntil(lambda: bool(ctl.shown))
        view = window.view
        view.setFocus()
        qtbot.keyClick(view, Qt.Key.Key_S)
        said = window.statusBar().currentMessage()
        sg = ctl.current
        assert said.startswith("Suggestions: 1 of") and f"({sg.source}) — Enter accepts" in said, said
        if sg.source.startswith("pattern:"):
            assert re.search(r" — matched “[^”]+”.* \(right in \d+ of \d+ matches in finished statements\)", said) \
                or "no match in a finished statement yet" in said, said
        else:
            assert re.search(r" — learned from \d+ of your .+ span\(s\)$", said), said
    finally:
        window.close()
        project.close()
