"""Review ▸ Open Colleague File shows what the format reader said of a colleague's export (a reviewer's finding:
the doccano reader's warning that the offsets may count otherwise, and the tasks it skipped, were dropped, so the
reviewer compared against spans read one way without being told). Driven through the real action (its key), the
file dialog answered; the status bar and the box the user sees read afterwards."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.store import review as rv
from annotator.ui import filedialogs
from annotator.ui.files import offsets
from tests.ui.conftest import HOSTILE, SECOND
from tests.ui.test_trial3_review_offsets import answer


def write(path, objects):
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects), encoding="utf-8")
    return path


def words(text, word):
    start = text.index(word)
    return [start, start + len(word)]


def _open_colleague(monkeypatch, qtbot, window, path):
    """Review ▸ Open Colleague File… by its key, the file dialog answered with ``path``."""
    monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: [str(path)])
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


def _notes_box():
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
                 and w.windowTitle() == "Open colleague file"), None)


def test_a_colleague_doccano_file_read_with_notes_says_so(window, qtbot, monkeypatch, tmp_path):
    # bob counted code points (an emoji and four mathematical letters before "threatens"): UTF-16 units fit too, so
    # the window asks how the file counts before it is read (tests/ui/test_trial3_review_offsets.py); his labels of
    # a whole statement are not compared: said in the box, and the doubt, answered, is not repeated there
    bob = write(tmp_path / "bob.jsonl", [
        {"id": 1, "text": HOSTILE, "label": [[*words(HOSTILE, "threatens"), "threat"], "urgent"]},
        {"id": 2, "text": SECOND, "label": [[*words(SECOND, "defend"), "commitment"]]},
    ])
    timer = answer([], offsets.button_name("utf16"))  # as the file was read so far
    _open_colleague(monkeypatch, qtbot, window, bob)
    timer.stop()
    qtbot.waitUntil(lambda: _notes_box() is not None, timeout=5000)
    box = _notes_box()
    text = box.text()
    assert "bob.jsonl" in text and "not compared: 1 document-level label(s)" in text and "urgent" in text, text
    assert "warning" not in text and "may count" not in text, text  # the counting was chosen: no doubt left
    status = window.statusBar().currentMessage()
    assert "bob.jsonl" in status and "document-level" in status, status
    review = window.review
    assert [f.name for f in review.files] == ["bob.jsonl"]  # the review goes on: the file is open for review
    box.accept()


def test_a_colleague_file_read_without_notes_opens_no_box(window, qtbot, monkeypatch, tmp_path):
    plain = write(tmp_path / "carol.jsonl", [{"id": 2, "text": SECOND, "label": [[*words(SECOND, "defend"),
                                                                                    "commitment"]]}])
    _open_colleague(monkeypatch, qtbot, window, plain)
    qtbot.waitUntil(lambda: [f.name for f in window.review.files] == ["carol.jsonl"], timeout=5000)
    qtbot.wait(200)
    assert _notes_box() is None


def test_skipped_tasks_are_noted(tmp_path):
    """Prodigy's rejected tasks, which the review leaves out, are counted (as File ▸ Import's summary counts them)."""
    path = write(tmp_path / "dora.jsonl", [
        {"text": SECOND, "spans": [{"start": 0, "end": 6, "label": "commitment"}], "answer": "accept"},
        {"text": HOSTILE, "spans": [], "answer": "reject"},
    ])
    notes = rv.ColleagueFile.load(path).notes
    assert any("skipped 1 rejected or ignored task(s)" in n and "dora.jsonl" in n for n in notes), notes
