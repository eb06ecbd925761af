"""The tester's sequence in the window (trial 14, F4): twelve statements done, the Suggestions dock's "Accept all
listed" clicked, the retrain waited for: the cue patterns' suggestions left keep their confidences, and none crosses
the threshold. Before, ``pattern:threat-condemn`` rose 0.39 -> 0.57 and three new suggestions were listed, which
a second "Accept all listed" would have taken."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from annotator.core.model import IncomingDocument
from annotator.store import Project
from tests.benchmarks.bench_suggest import read_eval_set
from tests.ui.conftest import show_window


def _all(ctl) -> dict[tuple[int, int, int, str], tuple[float, str]]:
    """Every suggestion the window holds (any confidence), by statement, clause and label."""
    return {row[:4]: (row[4], row[5]) for rows in ctl.suggestions.values() for row in rows}


def _ready(ctl, version=None) -> bool:
    return (ctl.version is not None and ctl.version != version and ctl.settled()
            and ctl.retrainer.corpus_done)


def half_labelled(tmp_path, count: int) -> Project:
    """``count`` statements of the evaluation set, the first 12 marked done with half their spans: the cues find
    clauses she left unlabelled in finished statements."""
    docs = read_eval_set()[:count]
    project = Project.open(tmp_path / "p.sqlite", create=True, user="mira",
                           populate=[IncomingDocument(d.text, f"eval {d.doc_id}") for d in docs])
    ids = [r[0] for r in project.conn.execute("SELECT id FROM documents ORDER BY id")]
    for n, (doc_id, doc) in enumerate(zip(ids, docs, strict=True)):
        if n < 12:
            for start, end, label in doc.spans[::2]:
                project.add_span(doc_id, start, end, label)
            project.set_status(doc_id, "done")
    return project


def test_accept_all_listed_in_the_dock_moves_no_cue_patterns_confidence(qtbot, tmp_path):
    from annotator.ui.mainwindow import MainWindow

    project = half_labelled(tmp_path, 16)
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    try:
        ctl = window.suggestions
        ctl.dock.toggleViewAction().trigger()  # View ▸ Suggestions, as she opens it
        panel = ctl.panel
        panel.threshold.setValue(0.5)
        qtbot.waitUntil(lambda: _ready(ctl) and ctl.version != "", timeout=180_000)
        before = _all(ctl)
        listed = list(panel.rows)
        assert len(listed) >= 10
        version = ctl.version
        panel.accept_listed.click()
        accepted = project.conn.execute("SELECT count(*) FROM spans WHERE origin LIKE 'suggested:%'").fetchone()[0]
        assert accepted == len(listed)
        qtbot.waitUntil(lambda: _ready(ctl, version), timeout=180_000)
        after = _all(ctl)
        patterns = {k: v for k, v in after.items() if v[1].startswith("pattern:")}
        assert patterns
        moved = {k: (before[k][0], conf) for k, (conf, _src) in patterns.items() if before[k][0] != conf}
        assert moved == {}
        said = f"({accepted} accepted suggestion(s) left out: no evidence for the suggester)"
        qtbot.waitUntil(lambda: said in " ".join(panel.figures.text().split()), timeout=60_000)  # the dock says it
        qtbot.waitUntil(lambda: not ctl.list_pending)
        wave = [row for row in panel.rows if row[5].startswith("pattern:")]
        assert wave == [], wave  # nothing of the cue patterns' newly above the threshold for a second click
    finally:
        window.close()
        project.close()
