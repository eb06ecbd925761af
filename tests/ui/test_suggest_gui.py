"""Suggestions through the real window (issue 13, "done when"): a fresh project with the sample statements, a
handful of spans labelled by keys, dashed suggestions with confidences in the next statement, three accepted with
one key each, one rejected, the rejection undone, the per-label figures read -- the same as the command prints."""

from __future__ import annotations

import orjson
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QColor

from annotator.core.suggest.suggester import Suggestion
from annotator.store import Project
from annotator.ui.app import sample_documents
from annotator.ui.codebook.preview import ImportPreview
from tests.core.suggest.fixtures import PHRASES_1
from tests.helpers import run_cli
from tests.ui.conftest import on_dialog, show_window


def _settled(ctl) -> bool:
    return ctl.version is not None and ctl.settled()


def finished_from_the_evaluation_set(project: Project, n: int) -> None:
    """``n`` statements of the evaluation set added to ``project`` with their hand-made spans, marked done: the model
    learns only from ten finished statements on (trial 10, D9), and the samples are two."""
    from annotator.core.model import IncomingDocument
    from tests.benchmarks.bench_suggest import read_eval_set

    docs = read_eval_set()[:n]
    project.import_documents([IncomingDocument(d.text, f"eval {d.doc_id}") for d in docs])
    ids = project.conn.execute("SELECT id FROM documents ORDER BY id DESC LIMIT ?", (n,)).fetchall()
    for (doc_id,), doc in zip(sorted(ids), docs, strict=True):
        for start, end, label in doc.spans:
            project.add_span(doc_id, start, end, label)
        project.set_status(doc_id, "done")


def test_done_when_label_suggest_accept_reject_undo_and_read_the_figures(qtbot, tmp_path):
    from annotator.ui.mainwindow import MainWindow

    project = Project.open(tmp_path / "p.sqlite", create=True, user="tester", populate=sample_documents())
    finished_from_the_evaluation_set(project, 9)
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    try:
        _done_when(window, qtbot)
    finally:
        window.close()
        project.close()


def _done_when(window, qtbot):
    view = window.view
    ctl = window.suggestions
    project = window.session.project
    first = window.session.document
    assert "strongly condemn the provision" in first.text
    # nine statements done: the cue patterns suggest alone, and the dock says what the model waits for
    qtbot.waitUntil(lambda: _settled(ctl) and ctl.evaluation is not None, timeout=120_000)
    assert ctl.version == "" and ctl.layer.suggestions
    assert all(g.source.startswith("pattern:") for g in ctl.layer.suggestions)
    ctl.dock.show()
    said = " ".join(ctl.panel.figures.text().split())
    assert "the model learns once 10 statements are marked done (1 more needed)" in said, said
    assert "Only 9 statement(s) marked done: too few" in said
    ctl.dock.hide()
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
    assert ctl.layer.isVisible()  # hidden while it had nothing to draw, shown with the ghosts
    assert all(0.5 <= g.confidence <= 1 for g in ghosts)
    assert any(g.source.startswith("model:") for g in ghosts) and any(g.source.startswith("pattern:") for g in ghosts)
    assert all(ctl.layer.tag(g).split()[-1].replace(".", "").isdigit() for g in ghosts)
    grab = view.grab().toImage()  # the pixels: each ghost's tag is drawn, filled in its label's colour
    colors = {lb.key: QColor(lb.color) for lb in window.session.labels}
    ratio = grab.devicePixelRatio()
    on_screen = [g for g in ghosts if view.cp_rects(g.start, g.end)]  # tag_boxes() has those only
    checked = 0
    for ghost, box in zip(on_screen, ctl.layer.tag_boxes(), strict=True):
        at = ctl.layer.mapTo(view, box.center().toPoint() - QPoint(int(box.width() / 2) - 2, 0))
        if not view.rect().contains(at):
            continue
        pixel, want = grab.pixelColor(int(at.x() * ratio), int(at.y() * ratio)), colors[ghost.label]
        assert max(abs(pixel.red() - want.red()), abs(pixel.green() - want.green()),
                   abs(pixel.blue() - want.blue())) < 60, (ghost, pixel.name(), want.name())
        checked += 1
    assert checked >= 2  # the tags on the first screen (three in the test window)

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
    ctl.dock.toggleViewAction().trigger()
    assert ctl.dock.isVisible()  # opened as a user does, from the Suggestions or View menu
    figures = ctl.figures()
    assert set(figures) == {"threat", "commitment", "call_to_action"}
    assert figures["threat"]["spans"] >= 4 and figures["threat"]["overlap"]["recall"] is not None
    shown = ctl.panel.figures.text()
    assert "Threat" in shown and "Call to action" in shown and f"{figures['threat']['overlap']['f1']:.2f}" in shown
    assert "too few" not in shown and "cross-validated on 10 statement(s)" in " ".join(shown.split()).lower()

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
    listed = [Suggestion._make(row) for row in panel.rows]  # kept as plain tuples
    assert listed and {sg.label for sg in listed} == {"call_to_action"}
    assert {sg.doc_id for sg in listed} == {d[0] for d in project.conn.execute("SELECT id FROM documents")}
    panel.accept_listed.click()
    origins = [r[0] for r in project.conn.execute("SELECT origin FROM spans")]
    assert len(origins) == len(listed) and all(o.startswith("suggested:pattern:call-") for o in origins)
    assert panel.rows == []
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one undo step for all of them
    assert project.conn.execute("SELECT count(*) FROM spans").fetchone()[0] == 0


def test_threshold_hides_suggestions_and_next_suggested_statement(sample_window, qtbot, monkeypatch):
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
    chosen = window.session.document.id
    # a corpus too large to score at once: a slice a turn, the window answering between them, the same statement
    from annotator.ui.suggest import best

    window.open_document(first)
    monkeypatch.setattr(best, "AT_ONCE", 0)
    ctl.actions["suggest_next_doc"].trigger()
    assert ctl.best_statement.running and window.session.document.id == first
    qtbot.waitUntil(lambda: not ctl.best_statement.running, timeout=10_000)
    assert window.session.document.id == chosen
    # from there: the open statement is never scored, nor a finished one; every unfinished one is, in order
    scored: list[int] = []
    score = ctl.best_statement._score
    monkeypatch.setattr(ctl.best_statement, "_score", lambda doc_id: scored.append(doc_id) or score(doc_id))
    project = window.session.project
    project.set_status(first, "done")
    ctl.actions["suggest_next_doc"].trigger()
    qtbot.waitUntil(lambda: not ctl.best_statement.running, timeout=10_000)
    unfinished = sorted(project.documents("todo").ids + project.documents("in_progress").ids)
    assert scored == [d for d in unfinished if d != chosen] and first not in scored


def test_the_best_statement_of_a_large_corpus_is_scored_a_slice_a_turn(qtbot, monkeypatch):
    """Each slice of the scan ends within its time and the event loop runs between slices; the answer is the first
    of the highest scores, the same as one pass; a cancel (the project closed) tells nothing."""
    from PySide6.QtCore import QObject, QTimer

    from annotator.ui.suggest import best

    monkeypatch.setattr(best, "SLICE_S", 0.0)  # a slice ends at its first check: every 64 statements
    scores = {i: float((i * 37) % 1000) for i in range(1, 5001)}
    turns, scored, found = [0], [], []

    def score(doc_id: int) -> float:
        scored.append((turns[0], doc_id))
        return scores[doc_id]

    def tick() -> None:
        turns[0] += 1

    owner = QObject()
    scan = best.BestStatement(owner, score, found.append)
    timer = QTimer(owner)
    timer.timeout.connect(tick)
    timer.start(0)
    scan.start(sorted(scores))
    assert scan.running and not found
    qtbot.waitUntil(lambda: bool(found), timeout=10_000)
    timer.stop()
    top = max(scores.values())
    assert found == [min(i for i, v in scores.items() if v == top)]
    assert [d for _t, d in scored] == sorted(scores)  # each once, in order
    assert len({t for t, _d in scored}) > 10  # the window's timer ran between the slices
    found.clear()
    scan.start(sorted(scores))
    scan.cancel()
    qtbot.wait(50)
    assert found == [] and not scan.running


def _type(qtbot, editor, text: str) -> None:
    """Type ``text`` into ``editor``, a line at a time (QTest cannot type a line break as a character)."""
    for i, line in enumerate(text.split("\n")):
        if i:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(editor, line)


def test_cue_patterns_edited_in_the_codebook_editor_kept_through_renames_and_rekeys(sample_window, qtbot,
                                                                                   monkeypatch):
    from annotator.core.suggest.cues import Cue
    from annotator.store import suggest as store
    from annotator.ui.codebook import dialog as codebook_dialog
    from tests.ui.conftest import on_dialog
    from tests.ui.test_dialogs import close_message_boxes

    window = sample_window
    ctl = window.suggestions
    project = window.session.project
    qtbot.waitUntil(lambda: _settled(ctl), timeout=120_000)
    monkeypatch.setattr(codebook_dialog.QInputDialog, "getText", lambda *a, **k: ("Sanction threat", True))
    seen: dict[str, object] = {}
    found: list[str] = []

    def bad(dialog):  # every problem named; nothing saved
        dialog.table.setCurrentCell(0, 0)
        seen["threat"] = dialog.cue_editor.toPlainText()
        dialog.cue_editor.clear()
        _type(qtbot, dialog.cue_editor, "bad name!  phrase  x\nr  regex  (unclosed\nonly-two  phrase\n")
        boxes = close_message_boxes(found)  # noqa: F841 - kept alive while the box runs
        dialog.findChild(codebook_dialog.QDialogButtonBox).button(
            codebook_dialog.QDialogButtonBox.StandardButton.Ok).click()
        seen["problems"] = dialog.cue_errors.text()
        seen["open"] = dialog.isVisible()
        boxes.stop()  # the edits are thrown away, once "Discard changes?" is answered
        discard = on_dialog(codebook_dialog.QMessageBox,  # noqa: F841 - kept alive while the box runs
                            lambda box: next(b for b in box.buttons() if b.text() == "Discard").click())
        dialog.reject()

    timer = on_dialog(codebook_dialog.CodebookDialog, bad)  # noqa: F841 - kept alive while the dialog runs
    ctl.actions["suggest_edit_cues"].trigger()  # Suggestions ▸ Edit Cue Patterns… opens the codebook editor
    assert "threat-condemn\ttokens\t" in seen["threat"]
    assert seen["open"] and found and "line 3" in seen["problems"]
    assert "not a valid regular expression" in seen["problems"] and "the name must be" in seen["problems"]
    assert store.cues(project)["threat"][0].name == "threat-threaten"  # nothing saved

    def good(dialog):
        dialog.table.setCurrentCell(0, 0)
        dialog.cue_editor.clear()
        _type(qtbot, dialog.cue_editor, "# mine\nblatant  phrase  blatant violations\n")
        dialog.table.item(0, 0).setText("Menace")  # renamed
        dialog.table.cellWidget(0, 2).setCurrentIndex(dialog.table.cellWidget(0, 2).findData("9"))  # re-keyed
        dialog.table.selectRow(0)
        dialog.move_down()  # moved: its cues go with it
        dialog.add_label()  # a new label: its key is edited after its cues were typed
        new = dialog.table.rowCount() - 1
        dialog.table.setCurrentCell(new, 0)
        _type(qtbot, dialog.cue_editor, "sanctions  tokens  sanction*\n")
        dialog.table.item(new, 1).setText("sanctions_threat")
        dialog.table.setCurrentCell(1, 0)
        seen["moved"] = dialog.cue_editor.toPlainText()
        dialog.findChild(codebook_dialog.QDialogButtonBox).button(
            codebook_dialog.QDialogButtonBox.StandardButton.Ok).click()

    timer = on_dialog(codebook_dialog.CodebookDialog, good)  # noqa: F841
    window.files.edit_codebook()
    assert seen["moved"] == "# mine\nblatant  phrase  blatant violations\n"
    labels = {lb.key: lb for lb in project.labels()}
    assert labels["threat"].name == "Menace" and labels["threat"].shortcut == "9"
    cues = store.cues(project)
    assert cues["threat"] == (Cue("blatant", "phrase", "blatant violations"),)
    assert cues["sanctions_threat"] == (Cue("sanctions", "tokens", "sanction*"),)
    assert cues["commitment"][0].name == "commitment-will"  # untouched labels keep theirs
    qtbot.waitUntil(lambda: _settled(ctl), timeout=120_000)
    window.open_document(2)
    qtbot.waitUntil(lambda: any(g.source == "pattern:blatant" for g in ctl.shown), timeout=60_000)
    assert not any(g.source.startswith("pattern:threat-") for g in ctl.shown)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one undo: labels and cues
    assert store.cues(project)["threat"][0].name == "threat-threaten"
    assert [lb.key for lb in project.labels()] == ["threat", "commitment", "call_to_action"]
    assert project.labels()[0].name == "Threat"


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
    timer = on_dialog(ImportPreview, lambda preview: preview.accept())  # noqa: F841 - alive while it runs
    window.files.import_codebook()
    assert store.cues(project)["commitment"] == (Cue("pledge", "phrase", "we pledge"),)
    assert store.cues(project)["threat"] == DEFAULT_CUES["threat"]  # a label without cues in the file keeps its own


def test_statements_imported_after_the_corpus_was_suggested_for_get_their_suggestions(sample_window, qtbot,
                                                                                     tmp_path, monkeypatch):
    """A tester imported a Word file after the suggestions had gone through the corpus: the dock never listed it
    (the command line did), as nothing told the suggestions that statements came."""
    from annotator.ui import files as files_ui

    window = sample_window
    ctl = window.suggestions
    window.suggestions.dock.show()
    qtbot.waitUntil(lambda: _settled(ctl), timeout=120_000)
    before = {row[0] for row in ctl.panel.rows}
    assert before
    statement = tmp_path / "communique.txt"
    statement.write_text("Communiqué of the Ministers\n\nWe pledge to strengthen cooperation.\n\n"
                         "We call on Russia to withdraw.\n", encoding="utf-8")
    monkeypatch.setattr(files_ui, "show_import_report", lambda *_a: None)
    window.files.import_paths([statement])
    new = window.session.project.conn.execute("SELECT max(id) FROM documents").fetchone()[0]
    assert new not in before
    qtbot.waitUntil(lambda: _settled(ctl) and new in {row[0] for row in ctl.panel.rows}, timeout=120_000)
    assert {row[3] for row in ctl.panel.rows if row[0] == new} == {"commitment", "call_to_action"}
    assert "so far" not in ctl.panel.count.text()


def test_the_dock_says_when_the_figures_count_accepted_suggestions(qtbot, tmp_path):
    """A newcomer's trial read recall 1.00 after two finished statements where most spans were accepted
    suggestions: the dock's figures now say how many of the spans compared were (the suggester finds them again)."""
    from annotator.ui.mainwindow import MainWindow

    project = Project.open(tmp_path / "p.sqlite", create=True, user="tester", populate=sample_documents())
    first = project.documents()[0]
    text = project.document(first.id).text
    for n, (phrase, label) in enumerate(PHRASES_1):
        start = text.index(phrase)
        project.add_span(first.id, start, start + len(phrase), label,
                         origin="suggested:pattern:test" if n < 2 else "")
    project.set_status(first.id, "done")
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    try:
        ctl = window.suggestions
        ctl.dock.toggleViewAction().trigger()  # Suggestions ▸ the dock, as a user opens it
        qtbot.waitUntil(lambda: _settled(ctl) and ctl.evaluation is not None, timeout=120_000)
        qtbot.waitUntil(lambda: "accepted suggestions" in ctl.panel.figures.text(), timeout=10_000)
        assert f"2 of the {ctl.evaluation.spans()} span(s) compared were accepted suggestions" in \
            ctl.panel.figures.text()
    finally:
        window.close()
        project.close()
