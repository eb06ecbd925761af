"""Spans another process adds to the statement open in the window show there by themselves, where the analyst is
reading (a newcomer's finding: after `annotator import` added a span to the open statement, the view, the Spans
panel and the label counts kept the old ones, and after one label and its undo the Documents list counted 0 spans
of the 1 the project held)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
from PySide6.QtCore import Qt

from annotator.core.model import IncomingDocument
from tests.ui.conftest import key_select, spans_in_db, window_over

ROOT = Path(__file__).resolve().parents[2]
PARAGRAPH = "The ministers met again today and spoke at length about the weather and the harvest. "
TEXT = "".join(f"{PARAGRAPH * 3}\n\n" for _ in range(40)) + "At the end we strongly condemn the launch."


def annotator(*args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "annotator", *args], capture_output=True, text=True, env=env,
                            timeout=60)
    assert result.returncode == 0, result.stderr


def test_a_span_imported_elsewhere_shows_in_the_open_statement_where_the_analyst_reads(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, [IncomingDocument(TEXT, "long"), IncomingDocument("Other.", "b")]) as (
            window, project):
        view, doc = window.view, window.session.document
        assert doc.title == "long"
        bar = view.verticalScrollBar()
        assert bar.maximum() > 0
        bar.setValue(bar.maximum() // 2)  # the analyst has read down to the middle
        read_to = bar.value()
        key_select(qtbot, view, TEXT.index("harvest"), len("harvest"))  # the caret mid-text, a phrase selected
        bar.setValue(read_to)
        selected = view.selection_cp()

        phrase = "strongly condemn"
        start = TEXT.index(phrase)
        record = {"text": TEXT, "spans": [{"start": start, "end": start + len(phrase), "label": "threat"}],
                  "_annotator_id": "lee"}
        path = tmp_path / "lee.jsonl"
        path.write_bytes(orjson.dumps(record) + b"\n")
        annotator("import", str(project.path), str(path))

        threat = next(label.name for label in window.session.labels if label.key == "threat")
        qtbot.waitUntil(lambda: len(view.index) == 1, timeout=5000)  # the view shows the span
        assert window.spans_panel.model.rowCount() == 1
        assert window.labels_bar.buttons["threat"].text().endswith(f"{threat}  1")
        assert (bar.value(), view.selection_cp()) == (read_to, selected)  # where the analyst was, as they left it
        assert window.session.document.status == "in_progress"

        # a label of their own and its undo: the list counts what the project holds
        qtbot.keyClick(view, Qt.Key.Key_2)
        qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert len(spans_in_db(project, doc.id)) == 1
        row = window.documents.model.row_of(doc.id)
        assert window.documents.model.rows[row].span_count == 1
