"""File ▸ Import asks how a doccano file counts its offsets when two countings read it as plausibly (a newcomer's
finding: the warning's advice, ``annotator import --offsets codepoints``, could only be followed on the command
line). Driven through the real File ▸ Import action, the file dialog answered, the question answered by a click on
its button; the database read afterwards."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from annotator.ui import filedialogs
from annotator.ui import files as files_ui
from tests.ui.conftest import on_dialog, record_messages

#: code point offsets with an emoji before each span: read as UTF-16 units (doccano's editor) they fit too, marking
#: " urg" and "ey threa" -- plausible enough that the file does not prove which
CODE_POINTS = [
    {"id": 1, "text": "🚀 We urge restraint.", "label": [[5, 9, "call"]]},
    {"id": 2, "text": "🚀🚀 They threaten retaliation.", "label": [[8, 16, "threat"]]},
]
#: UTF-16 offsets (as doccano's editor writes them) that code points would read as "rge ": no doubt, no question
UTF16 = [{"id": 1, "text": "🌍 Allies commit to deterrence.", "label": [[10, 16, "commitment"]]}]
WORDS = {"urge", "threaten", "commit"}


def write(path, objects):
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects), encoding="utf-8")
    return path


def _trigger_import(window):
    action = next(a for a in window.findChildren(type(window.menuBar().actions()[0]))
                  if a.text().replace("&", "") == "Import Files…")
    action.trigger()


def _marked(project):
    """(the text each stored span marks, its label), read from the file (not the window's connection)."""
    conn = sqlite3.connect(f"file:{project.path}?mode=ro", uri=True)
    try:
        rows = conn.execute('SELECT d.text, s.start, s."end", s.label FROM spans s JOIN documents d ON d.id = s.doc_id'
                            ).fetchall()
        documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        conn.close()
    return sorted((text[start:end], label) for text, start, end, label in rows), documents


def _answer(asked, text):
    def click(box):
        default = box.defaultButton()
        asked.append((box.text(), [b.text() for b in box.buttons()], default.text() if default else ""))
        next(b for b in box.buttons() if b.text() in (text, "Cancel" if text == "Cancel" else None)).click()

    return click


def test_import_asks_how_a_doubtful_doccano_file_counts_and_imports_it_so(window, project, qtbot, monkeypatch,
                                                                           tmp_path):
    doubtful = write(tmp_path / "emoji_cp.jsonl", CODE_POINTS)
    clear = write(tmp_path / "editor.jsonl", UTF16)
    monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: [str(doubtful), str(clear)])
    shown = record_messages(monkeypatch, files_ui)
    reports: list[list[str]] = []
    monkeypatch.setattr(files_ui, "show_import_report", lambda _parent, report: (
        shown.append(("report", "")), reports.append(report.summary_lines())))
    asked: list[tuple[str, list[str], str]] = []
    timer = on_dialog(QMessageBox, _answer(asked, "Mark 'urge'"))
    _trigger_import(window)
    timer.stop()

    assert len(asked) == 1, asked  # one question: the file UTF-16 units read plainly is not asked about
    question, buttons, default = asked[0]
    assert "emoji_cp.jsonl" in question and "'urge'" in question and "' urg'" in question, question
    assert "as doccano's editor counts" in question and "as scripts count" in question, question
    assert buttons == ["Mark ' urg'", "Mark 'urge'", "Cancel"], buttons  # each reading by the text it marks
    assert default == "Mark 'urge'"  # Enter takes the reading that marks whole words
    spans, documents = _marked(project)
    # the doubtful file read in code points, the other still in UTF-16 units: the answer is for its file only
    assert spans == [("commit", "commitment"), ("threaten", "threat"), ("urge", "call")], spans
    assert documents == 2 + 3
    assert [title for title, _ in shown] == ["report"], shown
    assert reports[0][0] == "imported 3 statement(s) with 3 span(s)", reports
    assert "emoji_cp.jsonl: offsets read as code points, as chosen when importing it" in reports[0], reports
    assert not any("warning:" in line for line in reports[0]), reports  # asked, so not warned of


def test_cancel_at_the_question_imports_nothing(window, project, qtbot, monkeypatch, tmp_path):
    doubtful = write(tmp_path / "emoji_cp.jsonl", CODE_POINTS)
    clear = write(tmp_path / "editor.jsonl", UTF16)
    monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: [str(clear), str(doubtful)])
    shown = record_messages(monkeypatch, files_ui)
    before = _marked(project)
    asked: list[tuple[str, list[str], str]] = []
    timer = on_dialog(QMessageBox, _answer(asked, "Cancel"))
    _trigger_import(window)
    timer.stop()

    assert len(asked) == 1, asked
    assert _marked(project) == before  # not even the file that was not in doubt: nothing is written
    assert not shown, shown  # no report of an import that did not happen, no error
    assert "nothing was imported" in window.statusBar().currentMessage()


def test_a_file_without_doubt_is_imported_without_a_question(window, project, qtbot, monkeypatch, tmp_path):
    clear = write(tmp_path / "editor.jsonl", UTF16)
    monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: [str(clear)])
    shown = record_messages(monkeypatch, files_ui)
    asked: list[tuple[str, list[str], str]] = []
    timer = on_dialog(QMessageBox, _answer(asked, "Cancel"))
    _trigger_import(window)
    timer.stop()

    assert not asked
    assert _marked(project)[0] == [("commit", "commitment")]
    assert any(title == "report" for title, _ in shown), shown


def test_a_cancel_while_the_last_file_is_read_imports_nothing_and_asks_nothing(window, project, qtbot, monkeypatch,
                                                                               tmp_path):
    """A reviewer's finding: Cancel pressed while the only file was read for doubts was not seen; the question came
    anyway and its answer imported."""
    import time

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    from annotator.formats import doccano
    from tests.ui.conftest import watch_progress

    doubtful = write(tmp_path / "emoji_cp.jsonl", CODE_POINTS)
    monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: [str(doubtful)])
    real = doccano.doubt
    monkeypatch.setattr(doccano, "doubt", lambda path: time.sleep(1.0) or real(path))  # a long file
    record_messages(monkeypatch, files_ui)
    asked: list[tuple[str, list[str], str]] = []
    answering = on_dialog(QMessageBox, _answer(asked, "Mark 'urge'"), timeout_ms=8000)
    clicked: list[str] = []

    def press_cancel(dialog):  # type: ignore[no-untyped-def]
        if "Reading" in dialog.labelText() and not clicked:
            clicked.append(dialog.labelText())
            qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)

    before = _marked(project)
    timer, _seen = watch_progress(window, press_cancel)
    _trigger_import(window)
    timer.stop()
    answering.stop()
    assert clicked and not asked, asked
    assert _marked(project) == before
    assert "nothing was imported" in window.statusBar().currentMessage()


def test_files_of_one_name_are_told_apart_and_one_answer_serves_the_rest(window, project, qtbot, monkeypatch,
                                                                          tmp_path):
    """A reviewer's finding: a folder of five doubtful files asked five times, two of them as 'statement.jsonl'."""
    folder = tmp_path / "batch"
    for sub in ("a", "b"):
        (folder / sub).mkdir(parents=True)
        write(folder / sub / "statement.jsonl", [dict(CODE_POINTS[0], text=CODE_POINTS[0]["text"] + f" {sub}")])
    for i in range(3):
        write(folder / f"s{i}.jsonl", [dict(CODE_POINTS[1], text=CODE_POINTS[1]["text"] + f" {i}")])
    monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: [str(folder)])
    record_messages(monkeypatch, files_ui)
    reports: list[list[str]] = []
    monkeypatch.setattr(files_ui, "show_import_report", lambda _p, report: reports.append(report.summary_lines()))
    asked: list[str] = []

    def first(box):  # type: ignore[no-untyped-def]
        asked.append(box.text())
        box.checkBox().setChecked(True)  # "Read the other 4 doubtful file(s) the same way"
        next(b for b in box.buttons() if b.text() == "Mark 'urge'").click()

    spans, documents = _marked(project)
    answering = on_dialog(QMessageBox, first, timeout_ms=8000)
    window.files.import_paths([str(folder)])
    answering.stop()
    assert len(asked) == 1, asked
    assert asked[0].startswith(f"{Path('a') / 'statement.jsonl'} (1 of 5):"), asked[0]
    after, now = _marked(project)
    assert now == documents + 5
    added = [text for text, _label in after if (text, _label) not in spans]
    assert sorted(added) == ["threaten"] * 3 + ["urge"] * 2, added  # every file read as the one answer said


def test_a_change_made_elsewhere_while_the_question_waits_is_still_taken(window, project, qtbot, monkeypatch,
                                                                        tmp_path):
    """A reviewer's finding: the reading for doubts was counted as the window's own write, so an `annotator import`
    committed while the question waited was taken for the window's and never listed."""
    from annotator.core.model import IncomingDocument
    from annotator.store.project import Project

    doubtful = write(tmp_path / "emoji_cp.jsonl", CODE_POINTS)
    monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: [str(doubtful)])
    record_messages(monkeypatch, files_ui)
    model = window.documents.table.model()
    before = model.rowCount()

    def elsewhere_then_cancel(box):  # type: ignore[no-untyped-def]
        other = Project.open(project.path, user="cli")
        try:
            other.import_documents([IncomingDocument("Added by annotator import elsewhere.", "elsewhere")],
                                   source="cli")
        finally:
            other.close()
        next(b for b in box.buttons() if b.text() == "Cancel").click()

    answering = on_dialog(QMessageBox, elsewhere_then_cancel, timeout_ms=8000)
    _trigger_import(window)
    answering.stop()
    qtbot.waitUntil(lambda: model.rowCount() == before + 1, timeout=5000)


def test_three_readings_are_shown_where_each_marks_its_own_text(tmp_path):
    """On a screen: code points and grapheme clusters both marked 'threatens' at the first difference (they part only
    after a CRLF), so two buttons read "Mark 'threatens'". The question now shows the first span the three readings
    mark apart, in plain words ('span 2', not 'label[1]')."""
    from annotator.formats import doccano

    text = "Seoul 😀 said: the 𝐃𝐏𝐑𝐊 threatens peace.\r\nWe urge restraint."
    s, u = text.index("threatens"), text.index("urge")
    doubt = doccano.doubt(write(tmp_path / "bob.jsonl", [{"id": 1, "text": text,
                                                           "label": [[s, s + 9, "threat"], [u, u + 4, "call"]]}]))
    assert doubt is not None and doubt.distinct == ("utf16", "codepoints", "graphemes")
    assert len(set(doubt.marks)) == 3 and doubt.marks[1] == "'urge'", doubt.marks
    assert doubt.where == "line 1, span 2" and doubt.likelier == "codepoints"
