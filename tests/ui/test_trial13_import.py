"""Trial 13 through File ▸ Import in the real window (the file dialog answered, the summary read, then the
database and the widgets): labels spelled as the codebook's (F11), an edited JSONL of our own (F10), our CSV export
(F14) and how to take an import back (F12)."""

from __future__ import annotations

import json
import sqlite3

from PySide6.QtCore import Qt

from annotator.core.model import IncomingDocument
from tests.ui.conftest import window_over
from tests.ui.test_import_summary import _import

TEXT = "We warn them. We will act. Stop now."


def _rows(project, sql):
    conn = sqlite3.connect(f"file:{project.path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_labels_spelled_as_the_codebooks_go_onto_its_labels_and_the_toolbar_shows_each_name_once(
        qtbot, tmp_path, monkeypatch):
    brat = tmp_path / "brat"
    brat.mkdir()
    (brat / "a.txt").write_text(TEXT, encoding="utf-8")
    (brat / "a.ann").write_text("T1\tThreat 0 7\tWe warn\nT2\tCall_to_action 27 35\tStop now\n", encoding="utf-8")
    doccano = tmp_path / "d.jsonl"
    doccano.write_text(json.dumps({"text": "Another one.", "label": [[0, 7, "COMMITMENT"]]}) + "\n", encoding="utf-8")
    with window_over(qtbot, tmp_path, [IncomingDocument("First statement.", "first")]) as (window, project):
        said = _import(qtbot, window, monkeypatch, [brat / "a.txt", doccano])
        assert ("'Threat' read as Threat (a.txt); 'Call_to_action' read as Call to action (a.txt); 'COMMITMENT' read "
                "as Commitment (d.jsonl)") in said, said
        assert said.count("read as the codebook's") == 1, said  # one line for the import, not one per file
        assert "added label(s)" not in said, said
        assert _rows(project, "SELECT key FROM labels ORDER BY position") == [
            ("threat",), ("commitment",), ("call_to_action",)]
        assert sorted(_rows(project, "SELECT label FROM spans")) == [("call_to_action",), ("commitment",),
                                                                     ("threat",)]
        shown = [button.text() for button in window.labels_bar.buttons.values()]
        names = [text.split("] ", 1)[-1].rsplit("  ", 1)[0] for text in shown]
        assert len(shown) == 3 and len(set(names)) == 3, shown


def test_an_edited_export_imported_again_says_which_values_it_did_not_take(qtbot, tmp_path, monkeypatch):
    text = "English:\n\nHello World\n\nRussian:\n\nПривет, мир"
    doc = IncomingDocument(text, "multilang", issuer="Ministère", note="memo")
    edited = {"text": text, "spans": [{"start": 10, "end": 21, "label": "threat", "note": "file's note"}],
              "meta": {"title": "multilang", "issuer": "Quai d'Orsay", "note": "memo", "date": "2024-02-29"}}
    path = tmp_path / "edited.jsonl"
    path.write_text(json.dumps(edited, ensure_ascii=False) + "\n", encoding="utf-8")
    with window_over(qtbot, tmp_path, [doc]) as (window, project):
        window.open_document(project.documents()[0].id)
        panel = window.properties.panel
        assert panel.editors["date"].text() == ""
        said = _import(qtbot, window, monkeypatch, [path])
        assert "'multilang': issuer in the file \"Quai d'Orsay\" not taken (the project's 'Ministère'; kept)" in said
        assert "filled 1 value(s) the project's statements lacked: 'multilang': date set to '2024-02-29'" in said
        assert _rows(project, "SELECT issuer, date FROM documents") == [("Ministère", "2024-02-29")]
        # the statement shown has its date at once, as it has the file's spans
        qtbot.waitUntil(lambda: panel.editors["date"].text() == "2024-02-29")
        assert panel.editors["issuer"].text() == "Ministère"


def test_our_csv_export_imported_again_says_its_spans_were_there(qtbot, tmp_path, monkeypatch):
    from annotator.store.transfer import export_project

    doc = IncomingDocument(TEXT, "first")
    with window_over(qtbot, tmp_path, [doc]) as (window, project):
        window.open_document(project.documents()[0].id)
        qtbot.keyClick(window.view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
        for _ in range(7):
            qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
        qtbot.keyClick(window.view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: len(_rows(project, "SELECT id FROM spans")) == 1)
        csv = tmp_path / "out.csv"
        export_project(project, "csv", csv)
        said = _import(qtbot, window, monkeypatch, [csv])
        assert "out.csv: every span it holds for 1 statement(s) of the project was there already" in said, said
        assert "same text" not in said and "skipped" not in said, said


def test_file_import_says_how_to_take_the_import_back(qtbot, tmp_path, monkeypatch):
    """F12: the summary names the backup made just before the import as File ▸ Restore from Backup… lists it."""
    from annotator.store import backups

    wrong = tmp_path / "wrong.txt"
    wrong.write_text("A statement from the wrong folder.", encoding="utf-8")
    with window_over(qtbot, tmp_path, [IncomingDocument("First statement.", "first")]) as (window, project):
        said = _import(qtbot, window, monkeypatch, [wrong])
        (made,) = backups.list_backups(project.path)
        assert made.reason == "before-import" and made.documents == 1
        assert (f"to take this import back: File ▸ Restore from Backup…, the backup 'before an import' of "
                f"{made.local_time()} (changes made after the import would go with it)") in said, said
