"""Whose judgement a span records: relabelling or resizing a colleague's span makes it the analyst's (a newcomer's
finding: carol relabelled ana's span in a copy of ana's project, and the export still said "ana", so a review read
carol's file as two annotators); an undo gives it back; a note alone keeps it the colleague's. Through the real
keys (Tab selects the span, 2 relabels it); the database and the JSONL export read."""

from __future__ import annotations

import orjson
from PySide6.QtCore import QSettings, Qt

from annotator.core.model import IncomingDocument
from annotator.store import Project
from annotator.store.transfer import export_project
from tests.ui.conftest import show_window

TEXT = "The ministers condemn the launch and urge restraint."


def _row(project):
    return tuple(project.conn.execute('SELECT label, annotator, start, "end" FROM spans').fetchone())


def test_relabelling_a_colleagues_span_makes_it_mine_and_undo_gives_it_back(qtbot, tmp_path):
    from annotator.ui.mainwindow import MainWindow

    path = tmp_path / "copy-of-ana.sqlite"
    with Project.open(path, create=True, user="ana", populate=[IncomingDocument(TEXT, "one")]) as ana:
        start = TEXT.index("condemn")
        ana.add_span(1, start, start + len("condemn"), ana.labels()[0].key)
    project = Project.open(path, user="carol")
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    labels = [lb.key for lb in project.labels()]
    try:
        assert _row(project)[:2] == (labels[0], "ana")
        qtbot.keyClick(window.view, Qt.Key.Key_Tab)  # the span selected
        assert window.view.selected_span_id is not None
        qtbot.keyClick(window.view, Qt.Key.Key_2)  # relabelled: carol's judgement now
        assert _row(project)[:2] == (labels[1], "carol")
        export_project(project, "jsonl", tmp_path / "carol.jsonl")
        record = orjson.loads((tmp_path / "carol.jsonl").read_bytes().splitlines()[0])
        assert [(s["label"], s["annotator"]) for s in record["spans"]] == [(labels[1], "carol")]
        qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert _row(project)[:2] == (labels[0], "ana")
        # a note alone is no judgement of the span: it stays ana's
        project.update_span(project.spans(1)[0].id, note="seen by carol")
        assert _row(project)[:2] == (labels[0], "ana")
    finally:
        window.close()
        project.close()
