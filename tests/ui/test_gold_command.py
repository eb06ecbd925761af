"""``annotator gold`` (trial 12, F9) writes the same bytes as the window's Review ▸ Export Gold JSONL… with the same
colleague files open: the window driven by keys (open two colleagues, accept, reject, grow an accepted copy by a
word), its export taken through the menu action, then the command run beside it on the same files."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from annotator.ui import filedialogs
from tests.helpers import run_cli
from tests.ui.test_review_gui import (  # noqa: F401  (fixtures)
    ARMS,
    WORK,
    WORK_BOB,
    at,
    bob_path,
    carol_path,
    current_row,
    key,
    open_files,
    project,
    review,
)


def test_the_gold_command_writes_what_the_window_exports(
        window, review, project, bob_path, carol_path, tmp_path, qtbot, monkeypatch):  # noqa: F811 - pytest fixtures
    open_files(monkeypatch, qtbot, window, carol_path, bob_path)  # bob, opened last, is the one reviewed
    view = window.view
    key(qtbot, view, Qt.Key.Key_J)
    key(qtbot, view, Qt.Key.Key_A)  # bob's theirs-only threat
    key(qtbot, view, Qt.Key.Key_J)
    assert current_row(review)[0] == "Conflict: boundary"
    key(qtbot, view, Qt.Key.Key_A)  # bob's boundary replaces mine
    key(qtbot, view, Qt.Key.Key_J)
    key(qtbot, view, Qt.Key.Key_R)  # the label conflict: keep mine
    copy = at(project, ARMS, WORK_BOB)
    for _ in range(12):  # Tab to the accepted copy, then grow its start by a word, as the lead did
        if (s := view.index.get(view.selected_span_id)) is not None and (s.start, s.end) == copy:
            break
        key(qtbot, view, Qt.Key.Key_Tab)
    key(qtbot, view, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        | Qt.KeyboardModifier.ShiftModifier)
    grown = [s for s in project.spans(ARMS) if s.origin == "bob@bob.sqlite" and s.end == copy[1]]
    assert len(grown) == 1 and grown[0].start < copy[0] and grown[0].annotator == "ana"
    assert at(project, ARMS, WORK)[0] <= grown[0].start

    from_window = tmp_path / "window.gold.jsonl"
    monkeypatch.setattr(filedialogs, "save_file", lambda *a, **k: str(from_window))
    review.actions["review_gold"].trigger()  # Review ▸ Export Gold JSONL…
    qtbot.waitUntil(from_window.exists, timeout=10000)
    from_command = tmp_path / "command.gold.jsonl"
    result = run_cli("gold", project.path, carol_path, bob_path, "-o", from_command)  # beside the open window
    assert result.returncode == 0, result.stderr
    assert from_command.read_bytes() == from_window.read_bytes()
    assert run_cli("gold", project.path, carol_path, bob_path).stdout == from_window.read_bytes()  # stdout too
    records = [json.loads(line) for line in from_window.read_text("utf-8").splitlines()]
    spans = [s for r in records for s in r["spans"]]
    assert [(s["annotator"], s["origin"]) for s in spans if s["edited"]] == [("ana", "bob@bob.sqlite")]
    assert any(s["origin"] and not s["edited"] for s in spans)  # the theirs-only copy, taken as it was
    assert any(r["meta"]["reviewed_against"] == ["carol@carol.jsonl", "bob@bob.sqlite"] for r in records)
