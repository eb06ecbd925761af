"""File ▸ Import of a colleague's spans on the statement shown: the Spans panel, the label counts and the view show
them at once (a newcomer's finding: the Documents list said 3 spans, the Spans panel listed 2 and the toolbar kept
"Threat 1" until another statement was opened and this one again), naming whose they are (two colleagues' equal
spans were two equal rows). Through the real action, the database read."""

from __future__ import annotations

import orjson
from PySide6.QtCore import Qt

from annotator.store.transfer import export_project
from annotator.ui import filedialogs
from tests.ui.conftest import on_dialog
from tests.ui.test_trial3_import_offsets import _trigger_import


def test_spans_imported_onto_the_statement_shown_appear_at_once(qtbot, window, project, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    doc = window.session.document
    label = window.session.labels[0]
    export = tmp_path / "mine.jsonl"
    export_project(project, "jsonl", export)
    records = [orjson.loads(line) for line in export.read_bytes().splitlines()]
    shown = next(r for r in records if r["text"] == doc.text)
    start = doc.text.index(" ") + 1
    end = doc.text.index(" ", start)
    shown["spans"] = [{"start": start, "end": end, "label": label.key, "annotator": "bob"}]
    colleague = tmp_path / "bob.jsonl"
    colleague.write_bytes(orjson.dumps(shown) + b"\n")
    before, counted = window.spans_panel.model.rowCount(), window.session.counts[label.key]

    monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: [str(colleague)])
    timer = on_dialog(QMessageBox, lambda box: box.accept())
    _trigger_import(window)
    qtbot.waitUntil(lambda: window.spans_panel.model.rowCount() == before + 1, timeout=10000)
    timer.stop()
    stored = project.conn.execute('SELECT start, "end", label, annotator FROM spans WHERE doc_id = ? AND annotator = ?',
                                  (doc.id, "bob")).fetchall()
    assert [tuple(r) for r in stored] == [(start, end, label.key, "bob")]
    assert window.session.document.id == doc.id  # still the statement shown
    assert any(s.annotator == "bob" and (s.start, s.end) == (start, end) for s in window.session.spans)
    assert window.session.counts[label.key] == counted + 1
    # and whose it is, beside its label (the analyst's own spans name nobody)
    model = window.spans_panel.model
    shown = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert f"{label.name} · bob" in shown and all("·" not in t for t in shown if "bob" not in t), shown
    row = shown.index(f"{label.name} · bob")
    assert "by bob" in model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    button = window.labels_bar.buttons[label.key]
    assert button.text().endswith(f" {window.session.counts[label.key]}"), button.text()
