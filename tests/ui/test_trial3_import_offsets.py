"""File ▸ Import asks how a doccano file counts its offsets when two countings read it as plausibly (a newcomer's
finding: the warning's advice, ``annotator import --offsets codepoints``, could only be followed on the command
line). Driven through the real File ▸ Import action, the file dialog answered, the question answered by a click on
its button; the database read afterwards."""

from __future__ import annotations

import json
import sqlite3

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
        asked.append((box.text(), [b.text() for b in box.buttons()]))
        next(b for b in box.buttons() if b.text() == text).click()

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
    asked: list[tuple[str, list[str]]] = []
    timer = on_dialog(QMessageBox, _answer(asked, "Count code points"))
    _trigger_import(window)
    timer.stop()

    assert len(asked) == 1, asked  # one question: the file UTF-16 units read plainly is not asked about
    question, buttons = asked[0]
    assert "emoji_cp.jsonl" in question and "'urge'" in question and "' urg'" in question, question
    assert buttons == ["Count UTF-16 units (as doccano)", "Count code points", "Cancel"], buttons
    spans, documents = _marked(project)
    # the doubtful file read in code points, the other still in UTF-16 units: the answer is for its file only
    assert spans == [("commit", "commitment"), ("threaten", "threat"), ("urge", "call")], spans
    assert documents == 2 + 3
    assert [title for title, _ in shown] == ["report"], shown
    assert reports[0][0] == "imported 3 document(s) with 3 span(s)", reports
    assert "emoji_cp.jsonl: offsets read as code points, as chosen when importing it" in reports[0], reports
    assert not any("warning:" in line for line in reports[0]), reports  # asked, so not warned of


def test_cancel_at_the_question_imports_nothing(window, project, qtbot, monkeypatch, tmp_path):
    doubtful = write(tmp_path / "emoji_cp.jsonl", CODE_POINTS)
    clear = write(tmp_path / "editor.jsonl", UTF16)
    monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: [str(clear), str(doubtful)])
    shown = record_messages(monkeypatch, files_ui)
    before = _marked(project)
    asked: list[tuple[str, list[str]]] = []
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
    asked: list[tuple[str, list[str]]] = []
    timer = on_dialog(QMessageBox, _answer(asked, "Cancel"))
    _trigger_import(window)
    timer.stop()

    assert not asked
    assert _marked(project)[0] == [("commit", "commitment")]
    assert any(title == "report" for title, _ in shown), shown
