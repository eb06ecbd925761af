"""Trial 10, D13: after Document ▸ Mark Skipped the Suggestions dock still listed (and drew) the skipped statement's
169 suggestions, 228 against the 59 `annotator suggest` printed, and "Accept all listed" would have added spans to a
skipped statement. The dock now lists what the command prints when a statement's status changes, in the window or
in another process."""

from __future__ import annotations

import orjson
from PySide6.QtCore import Qt

from annotator.store import Project
from tests.helpers import run_cli


def _settled(ctl) -> bool:
    return ctl.version is not None and ctl.settled()


def _listed(ctl) -> set[tuple[int, int, int, str]]:
    return {row[:4] for row in ctl.panel.rows}


def _printed(path) -> set[tuple[int, int, int, str]]:
    proc = run_cli("suggest", path, "--json")
    assert proc.returncode == 0, proc.stderr
    return {(r["doc_id"], r["start"], r["end"], r["label"]) for r in orjson.loads(proc.stdout)["suggestions"]}


def test_the_dock_follows_the_command_when_a_statement_is_skipped_here_or_elsewhere(sample_window, qtbot):
    window = sample_window
    ctl = window.suggestions
    project = window.session.project
    ctl.dock.show()
    qtbot.waitUntil(lambda: _settled(ctl), timeout=120_000)
    first, second = sorted(project.documents().ids)
    assert {row[0] for row in ctl.panel.rows} == {first, second}
    assert _listed(ctl) == _printed(project.path)

    # Document ▸ Mark Skipped on the open statement: its suggestions leave the list and the text at once
    assert window.session.document.id == first and ctl.shown
    window.actions_["mark_skipped"].trigger()
    assert project.document(first).status == "skipped"
    qtbot.waitUntil(lambda: not ctl.list_pending, timeout=5_000)
    assert {row[0] for row in ctl.panel.rows} == {second} and ctl.shown == [] and not ctl.layer.suggestions
    qtbot.waitUntil(lambda: _settled(ctl), timeout=120_000)
    assert _listed(ctl) == _printed(project.path)
    # "Accept all listed" adds nothing to the skipped statement
    ctl.panel.accept_listed.click()
    assert project.spans(first) == [] and project.spans(second)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.spans(second) == []

    # another process marks the second statement skipped, while it is not open: once the window has seen it, the
    # dock lists nothing
    window.open_document(first)
    qtbot.waitUntil(lambda: _settled(ctl) and bool(ctl.panel.rows), timeout=120_000)
    other = Project.open(project.path, user="script")
    try:
        other.set_status(second, "skipped")
    finally:
        other.close()
    qtbot.waitUntil(lambda: _settled(ctl) and not ctl.panel.rows, timeout=120_000)
    assert _printed(project.path) == set()
    # ... and back to do: listed again, as the command prints it
    other = Project.open(project.path, user="script")
    try:
        other.set_status(second, "todo")
    finally:
        other.close()
    qtbot.waitUntil(lambda: _settled(ctl) and bool(ctl.panel.rows), timeout=120_000)
    qtbot.waitUntil(lambda: _listed(ctl) == _printed(project.path), timeout=30_000)
