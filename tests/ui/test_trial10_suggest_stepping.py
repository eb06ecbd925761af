"""Trial 10, D11: S four times to "4 of 6: Call to action 0.69", 2 accepted it as Commitment; the outline moved on,
but the status bar said "1 of 5: ..." naming the first suggestion, and Backspace then rejected the outlined one. The
retrain the accept started made the statement's suggestions anew (new confidences, the model's new version) under
the stepping. The status bar now always names the suggestion the keys act on."""

from __future__ import annotations

import re

from PySide6.QtCore import QSettings, Qt

from annotator.store import Project
from annotator.ui.app import sample_documents
from tests.ui.conftest import show_window
from tests.ui.test_suggest_gui import finished_from_the_evaluation_set

KEYS = {"threat": Qt.Key.Key_1, "commitment": Qt.Key.Key_2, "call_to_action": Qt.Key.Key_3}
SAID = re.compile(r"Suggestions: (\d+) of (\d+): (.+) (\d\.\d\d) \((\S+)\) — Enter accepts")


def _named(window, said: str):
    """The suggestion a status bar message names: (position, count, label name, confidence, source)."""
    m = SAID.match(said)
    assert m, said
    return int(m.group(1)), int(m.group(2)), m.group(3), m.group(4), m.group(5)


def _current(ctl):
    sg = ctl.current
    return ctl.shown.index(sg) + 1, len(ctl.shown), ctl.names[sg.label], f"{sg.confidence:.2f}", sg.source


def test_after_an_accept_and_the_retrain_it_starts_the_status_bar_names_what_backspace_rejects(qtbot, tmp_path):
    from annotator.ui.mainwindow import MainWindow

    project = Project.open(tmp_path / "p.sqlite", create=True, user="tester", populate=sample_documents())
    finished_from_the_evaluation_set(project, 10)  # the model learns
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    try:
        view, ctl = window.view, window.suggestions
        said: list[str] = []
        window.statusBar().messageChanged.connect(lambda text: said.append(text) if text else None)
        qtbot.waitUntil(lambda: bool(ctl.version) and ctl.settled() and len(ctl.shown) >= 5, timeout=120_000)
        assert any(sg.source.startswith("model:") for sg in ctl.shown), (ctl.version, ctl.train_info, ctl.shown)
        version = ctl.version
        for _ in range(4):
            qtbot.keyClick(view, Qt.Key.Key_S)
        assert _named(window, said[-1])[0] == 4
        stepped = ctl.current
        other = next(lb for lb in KEYS if lb != stepped.label)
        qtbot.keyClick(view, KEYS[other])  # accepted with another label
        doc = window.session.document.id
        assert [(s.start, s.end, s.label) for s in project.spans(doc)] == [(stepped.start, stepped.end, other)]
        assert _named(window, said[-1]) == _current(ctl)
        key = (ctl.current.start, ctl.current.end, ctl.current.label)
        assert key > (stepped.start, stepped.end, stepped.label)  # the one after it, not the first (the trial's 1)
        # the retrain the accept started answers: the statement's suggestions are made anew under the stepping
        qtbot.waitUntil(lambda: ctl.version != version and ctl.settled(), timeout=120_000)
        assert (ctl.current.start, ctl.current.end, ctl.current.label) == key  # the same clause and label
        assert _named(window, said[-1]) == _current(ctl), (said[-3:], _current(ctl))
        named = ctl.current
        qtbot.keyClick(view, Qt.Key.Key_Backspace)
        rows = project.conn.execute('SELECT doc_id, start, "end", label FROM suggest_rejections').fetchall()
        # the label the accept corrected away (trial 16, F1), and the one Backspace rejected
        assert sorted(rows) == sorted([(doc, stepped.start, stepped.end, stepped.label),
                                       (doc, named.start, named.end, named.label)])
        assert _named(window, said[-1]) == _current(ctl)
    finally:
        window.close()
        project.close()
