"""Suggestions through the real window (issue 13, "done when"): a fresh project with the sample statements, a
handful of spans labelled by keys, dashed suggestions with confidences in the next statement, three accepted with
one key each, one rejected, the rejection undone, the per-label figures read -- the same as the command prints."""

from __future__ import annotations

import orjson
import pytest
from PySide6.QtCore import QSettings, Qt

from annotator.store import Project
from annotator.ui.app import sample_documents
from tests.core.suggest.fixtures import PHRASES_1
from tests.helpers import run_cli
from tests.ui.conftest import show_window


@pytest.fixture
def sample_window(qtbot, tmp_path):
    from annotator.ui.mainwindow import MainWindow

    project = Project.open(tmp_path / "p.sqlite", create=True, user="tester", populate=sample_documents())
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    yield window
    window.close()


def _settled(ctl) -> bool:
    return ctl.version is not None and ctl.retrainer.idle()


def test_done_when_label_suggest_accept_reject_undo_and_read_the_figures(sample_window, qtbot, tmp_path):
    window, view = sample_window, sample_window.view
    ctl = window.suggestions
    project = window.session.project
    first = window.session.document
    assert "strongly condemn the provision" in first.text
    for phrase, label in PHRASES_1:  # a handful of spans, each selected and labelled by its key
        start = first.text.index(phrase)
        view.select_cp(start, start + len(phrase))
        qtbot.keyClick(view, {"threat": Qt.Key.Key_1, "commitment": Qt.Key.Key_2,
                              "call_to_action": Qt.Key.Key_3}[label])
    assert len(project.spans(first.id)) == len(PHRASES_1)
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # done, next statement
    second = window.session.document
    assert second.id != first.id
    qtbot.waitUntil(lambda: _settled(ctl) and ctl.version != "", timeout=120_000)

    # dashed ghosts with their confidences, drawn by the layer over the statement; none is a span
    ghosts = ctl.layer.suggestions
    assert len(ghosts) >= 4 and project.spans(second.id) == []
    assert all(0.5 <= g.confidence <= 1 for g in ghosts)
    assert any(g.source.startswith("model:") for g in ghosts) and any(g.source.startswith("pattern:") for g in ghosts)
    assert all(ctl.layer.tag(g).split()[-1].replace(".", "").isdigit() for g in ghosts)
    grab = view.grab()  # the ghosts' pixels: each ghost's outline is in its label's colour
    assert not grab.isNull()

    qtbot.keyClick(view, Qt.Key.Key_S)  # step to the first suggestion
    assert ctl.current == ghosts[0]
    accepted = []
    for _ in range(3):
        accepted.append(ctl.current)
        qtbot.keyClick(view, Qt.Key.Key_Return)  # one key each
    spans = project.spans(second.id)
    assert sorted((s.start, s.end, s.label, s.origin) for s in spans) == \
        sorted((g.start, g.end, g.label, f"suggested:{g.source}") for g in accepted)
    assert all(s.annotator == "tester" for s in spans)
    rejected = ctl.current
    assert rejected is not None and rejected not in accepted
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    assert rejected not in ctl.layer.suggestions
    rows = project.conn.execute('SELECT doc_id, start, "end", label FROM suggest_rejections').fetchall()
    assert rows == [(second.id, rejected.start, rejected.end, rejected.label)]
    assert len(project.spans(second.id)) == 3  # a rejection deletes nothing

    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the rejection
    assert project.conn.execute("SELECT count(*) FROM suggest_rejections").fetchone()[0] == 0
    assert rejected in ctl.layer.suggestions
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # and the last accept
    assert len(project.spans(second.id)) == 2

    # the model's per-label figures, beside the threshold in the Suggestions dock
    qtbot.waitUntil(lambda: _settled(ctl), timeout=120_000)
    window.suggestions.dock.show()
    figures = ctl.figures()
    assert set(figures) == {"threat", "commitment", "call_to_action"}
    assert figures["threat"]["spans"] == 4 and figures["threat"]["overlap"]["recall"] is not None
    shown = ctl.panel.figures.text()
    assert "Threat" in shown and "Call to action" in shown and f"{figures['threat']['overlap']['f1']:.2f}" in shown

    # the command prints the same figures, beside the open window
    proc = run_cli("suggest", project.path, "--evaluate", "--json")
    assert proc.returncode == 0, proc.stderr
    printed = orjson.loads(proc.stdout)
    assert printed["threshold"] == ctl.threshold
    assert printed["labels"] == orjson.loads(orjson.dumps(figures))
    text = run_cli("suggest", project.path, "--evaluate").stdout.decode()
    row = next(line for line in text.splitlines() if line.startswith("Threat"))
    assert f"{figures['threat']['overlap']['precision']:.2f}" in row


def test_accept_all_here_is_one_undo_step_and_the_dock_bulk_accepts(sample_window, qtbot):
    window, view = sample_window, sample_window.view
    ctl = window.suggestions
    project = window.session.project
    qtbot.waitUntil(lambda: _settled(ctl), timeout=120_000)
    doc = window.session.document
    here = list(ctl.shown)
    assert here, "the default cue patterns find something in the first sample"
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert len(project.spans(doc.id)) == len(here)
    assert ctl.shown == []
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.spans(doc.id) == []
    assert len(ctl.shown) == len(here)

    # the dock: filter by label, bulk-accept what is listed across the corpus
    qtbot.waitUntil(lambda: _settled(ctl), timeout=120_000)
    window.suggestions.dock.show()
    panel = ctl.panel
    panel.label_filter.setCurrentIndex(panel.label_filter.findData("call_to_action"))
    listed = list(panel.rows)
    assert listed and {sg.label for sg in listed} == {"call_to_action"}
    assert {sg.doc_id for sg in listed} == {d[0] for d in project.conn.execute("SELECT id FROM documents")}
    panel.accept_listed.click()
    origins = [r[0] for r in project.conn.execute("SELECT origin FROM spans")]
    assert len(origins) == len(listed) and all(o.startswith("suggested:pattern:call-") for o in origins)
    assert panel.rows == []
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one undo step for all of them
    assert project.conn.execute("SELECT count(*) FROM spans").fetchone()[0] == 0


def test_threshold_hides_suggestions_and_next_suggested_statement(sample_window, qtbot):
    window = sample_window
    ctl = window.suggestions
    qtbot.waitUntil(lambda: _settled(ctl), timeout=120_000)
    before = len(ctl.shown)
    ctl.panel.threshold.setValue(0.95)
    assert ctl.shown == [] and before > 0
    assert window.session.project.setting("suggest.threshold") == "0.95"
    ctl.panel.threshold.setValue(0.5)
    first = window.session.document.id
    # the action sits in the Document menu beside Next Unfinished
    names = [a.objectName() for a in window.menus["&Document"].actions()]
    assert names.index("suggest_next_doc") == names.index("next_unfinished") + 1
    ctl.actions["suggest_next_doc"].trigger()
    assert window.session.document.id != first and ctl.shown


def test_cue_patterns_edited_in_their_dialog_checked_saved_undoable_and_used(sample_window, qtbot):
    from annotator.core.suggest.cues import Cue
    from annotator.store import suggest as store
    from annotator.ui.suggest.cues_dialog import CuesDialog

    window = sample_window
    ctl = window.suggestions
    project = window.session.project
    qtbot.waitUntil(lambda: _settled(ctl), timeout=120_000)
    dialog = CuesDialog(window, window.session.labels, store.cues(project))
    qtbot.addWidget(dialog)
    assert "threat-condemn\ttokens\tcondemn*|deplore*|denounce*" in dialog.editor.toPlainText()
    dialog.editor.setPlainText("bad name!  phrase  x\nr  regex  (unclosed\nonly-two  phrase\n")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    problems = dialog.problems.text()
    assert dialog.result() == 0 and "Nothing was saved" in problems
    assert "line 3" in problems and "not a valid regular expression" in problems and "the name must be" in problems
    dialog.editor.setPlainText("# mine\nblatant  phrase  blatant violations\n")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.result() == 1
    ctl.set_cues(dialog.result_cues)
    assert store.cues(project)["threat"] == (Cue("blatant", "phrase", "blatant violations"),)
    qtbot.waitUntil(lambda: _settled(ctl), timeout=120_000)
    window.open_document(2)
    assert {g.source for g in ctl.shown if g.label == "threat"} <= {"pattern:blatant"} | {
        g.source for g in ctl.shown if g.source.startswith("model:")}
    assert any(g.source == "pattern:blatant" for g in ctl.shown)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.cues(project)["threat"][0].name == "threat-threaten"


def test_codebook_export_and_import_carry_cue_patterns(sample_window, tmp_path, monkeypatch):
    from annotator.core.codebook import DEFAULT_LABELS, codebook_to_json
    from annotator.core.suggest.cues import Cue
    from annotator.core.suggest.defaults import DEFAULT_CUES
    from annotator.store import suggest as store
    from annotator.ui import filedialogs

    window = sample_window
    project = window.session.project
    target = tmp_path / "team.codebook.json"
    monkeypatch.setattr(filedialogs, "save_file", lambda *a, **k: str(target))
    window.files.export_codebook()
    exported = orjson.loads(target.read_bytes())
    assert exported["labels"][0]["cues"][0] == {"name": DEFAULT_CUES["threat"][0].name, "kind": "tokens",
                                                "pattern": DEFAULT_CUES["threat"][0].pattern}
    shared = tmp_path / "shared.json"
    shared.write_bytes(codebook_to_json(DEFAULT_LABELS, (), {"commitment": [Cue("pledge", "phrase", "we pledge")]}))
    monkeypatch.setattr(filedialogs, "open_file", lambda *a, **k: str(shared))
    window.files.import_codebook()
    assert store.cues(project)["commitment"] == (Cue("pledge", "phrase", "we pledge"),)
    assert store.cues(project)["threat"] == DEFAULT_CUES["threat"]  # a label without cues in the file keeps its own
