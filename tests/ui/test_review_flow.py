"""Issue #15, items 8 and 10, through the real review dock and keys.

8: accepting a colleague's span that replaces mine keeps both notes, each marked with whose it is
(``core/review_notes.py``); the gold export carries both; undo puts my span back exactly.
10: A and R settle the selected disagreement and the selection stays on it; J and K move on from there, so none
is skipped; going round the end says so in the status bar; the "every disagreement ... is settled" message goes
when J opens a statement with open items.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from annotator.core.review_notes import kept_note
from annotator.store import review as rv
from annotator.ui import filedialogs
from annotator.ui.review import controller as review_ui
from tests.ui.test_review_gui import (  # fixtures and helpers only (no test is imported, so none runs twice)
    ARMS,
    BOB,
    MINE,
    MISSILES,
    RESOLVED,
    TOLL,
    WORK,
    WORK_BOB,
    at,
    current_row,
    key,
    make,
    open_files,
    redo,
    table,
    undo,
)

MY_NOTE = "a pledge, not a demand:\nsee para. 4"
HIS_NOTE = "reads as a demand 😀"
J, K, A, R = Qt.Key.Key_J, Qt.Key.Key_K, Qt.Key.Key_A, Qt.Key.Key_R


def with_note(spans, phrase, note):
    return [(d, w, lb, note if w == phrase else n) for d, w, lb, n in spans]


@pytest.fixture
def project(tmp_path):
    """Mine, with a note on the "resolved" span bob labels differently (and "mine" on the boundary conflict)."""
    p = make(tmp_path / "ana.sqlite", "ana", with_note(MINE, RESOLVED, MY_NOTE))
    yield p
    p.close()


@pytest.fixture
def bob_path(tmp_path):
    folder = tmp_path / "from_bob"
    folder.mkdir()
    make(folder / "bob.sqlite", "bob", [s for s in with_note(BOB, RESOLVED, HIS_NOTE) if s[2] != "sanction"]).close()
    return folder / "bob.sqlite"


@pytest.fixture
def review(window):
    return review_ui.install(window)


def status(window) -> str:
    return window.statusBar().currentMessage()


def full_spans(project, doc_id=ARMS):
    return sorted(project.spans(doc_id), key=lambda s: s.id)


# -- item 8: accepting theirs keeps my note ----------------------------------------------------------------------


def test_the_kept_note_marks_whose_each_part_is():
    assert kept_note("theirs", "bob", "mine", "ana") == "bob: theirs\n\nana: mine"
    assert kept_note("", "bob", "mine", "ana") == "ana: mine"
    assert kept_note("theirs", "bob", "", "ana") == "theirs"  # nothing of mine to keep: theirs as it was
    assert kept_note("theirs", "bob", "  \n", "ana") == "theirs"
    assert kept_note("same", "bob", "same", "ana") == "same"
    assert kept_note("", "bob", "", "ana") == ""


def test_accepting_theirs_over_mine_keeps_both_notes_in_the_project_panel_and_gold_export(
    window, review, project, bob_path, tmp_path, qtbot, monkeypatch
):
    open_files(monkeypatch, qtbot, window, bob_path)
    view = window.view
    before = full_spans(project)
    for _ in range(3):
        key(qtbot, view, J)
    assert current_row(review)[:2] == ("Conflict: label", "Commitment → Call to action")
    key(qtbot, view, A)
    copy = next(s for s in project.spans(ARMS) if (s.start, s.end) == at(project, ARMS, RESOLVED))
    assert (copy.label, copy.annotator, copy.origin) == ("call_to_action", "bob", "bob@bob.sqlite")
    assert copy.note == f"bob: {HIS_NOTE}\n\nana: {MY_NOTE}"
    # the Spans panel shows the kept note (on one line) and edits it whole
    model = window.spans_panel.model
    row = model.row_of(copy.id)
    assert model.index(row, 2).data() == " ⏎ ".join(copy.note.splitlines())
    assert model.index(row, 2).data(Qt.ItemDataRole.EditRole) == copy.note
    after = full_spans(project)

    # the gold export carries both notes
    gold = tmp_path / "gold.jsonl"
    monkeypatch.setattr(filedialogs, "save_file", lambda *a, **k: str(gold))
    review.actions["review_gold"].trigger()
    records = [json.loads(line) for line in gold.read_text("utf-8").splitlines()]
    arms = next(r for r in records if r["meta"]["source"].startswith("2023-10-26"))
    (resolved,) = [s for s in arms["spans"] if s["text"] == RESOLVED]
    assert resolved["note"] == f"bob: {HIS_NOTE}\n\nana: {MY_NOTE}" and resolved["annotator"] == "bob"

    # undo puts my span back exactly (id, note, times); redo brings the same copy back
    qtbot.waitUntil(window.isActiveWindow)  # back from the export's progress dialog (activation is asynchronous)
    undo(qtbot, window)
    assert full_spans(project) == before
    redo(qtbot, window)
    assert full_spans(project) == after


def test_a_note_edited_after_the_review_was_shown_is_the_one_kept_and_restored(
    window, review, project, bob_path, qtbot, monkeypatch
):
    open_files(monkeypatch, qtbot, window, bob_path)
    view = window.view
    key(qtbot, view, J)
    key(qtbot, view, J)
    assert current_row(review)[0] == "Conflict: boundary"  # my note "mine", bob has none
    mine = next(s for s in project.spans(ARMS) if (s.start, s.end) == at(project, ARMS, WORK))
    model = window.spans_panel.model
    model.setData(model.index(model.row_of(mine.id), 2), "mine, edited")  # the panel's in-place editor
    before = full_spans(project)
    key(qtbot, view, A)
    copy = next(s for s in project.spans(ARMS) if (s.start, s.end) == at(project, ARMS, WORK_BOB))
    assert copy.note == "ana: mine, edited"
    undo(qtbot, window)
    assert full_spans(project) == before


# -- item 10: predictable review navigation ----------------------------------------------------------------------


@pytest.mark.parametrize("decide", [A, R], ids=["accept", "reject"])
def test_a_decision_stays_on_its_item_and_j_goes_to_the_very_next_one(
    window, review, project, bob_path, qtbot, monkeypatch, decide
):
    open_files(monkeypatch, qtbot, window, bob_path)
    view = window.view
    key(qtbot, view, J)
    assert current_row(review)[3] == TOLL
    key(qtbot, view, decide)
    assert current_row(review)[3:] == (TOLL, "accepted" if decide == A else "rejected")  # not moved on by itself
    key(qtbot, view, J)
    assert current_row(review)[0] == "Conflict: boundary"  # the next open one: none skipped
    key(qtbot, view, decide)
    assert current_row(review)[0] == "Conflict: boundary"
    key(qtbot, view, J)
    assert current_row(review)[0] == "Conflict: label"
    key(qtbot, view, K)  # back over the settled boundary conflict to the open one before it: none here
    assert window.session.document.id == MISSILES  # so the previous statement's (going round, with a message)


def test_k_from_the_first_and_j_from_the_last_go_round_with_a_message(
    window, review, project, bob_path, qtbot, monkeypatch
):
    open_files(monkeypatch, qtbot, window, bob_path)
    view = window.view
    key(qtbot, view, J)
    assert window.session.document.id == ARMS and current_row(review)[3] == TOLL
    window.statusBar().clearMessage()
    key(qtbot, view, K)  # before the first statement's first: round to the last statement
    assert window.session.document.id == MISSILES
    assert "Went round past the first statement" in status(window)
    assert current_row(review)[3] == "blatant violations"  # its only open disagreement
    window.statusBar().clearMessage()
    key(qtbot, view, J)  # after the last statement's last one: round to the first statement
    assert window.session.document.id == ARMS and current_row(review)[3] == TOLL
    assert "Went round past the last statement" in status(window)


def test_going_round_inside_the_only_statement_with_open_items_says_so(
    window, review, project, bob_path, qtbot, monkeypatch
):
    open_files(monkeypatch, qtbot, window, bob_path)
    view = window.view
    window.open_document(MISSILES)
    key(qtbot, view, J)
    key(qtbot, view, R)  # MISSILES settled: only ARMS has open items
    assert [r[-1] for r in table(review)] == ["rejected"]
    key(qtbot, view, J)
    assert window.session.document.id == ARMS and current_row(review)[3] == TOLL
    window.statusBar().clearMessage()
    key(qtbot, view, K)  # from the first: round to the last of this statement, said in the status bar
    assert current_row(review)[:2] == ("Mine only", "Call to action")
    assert "Went round to the last open disagreement" in status(window)
    window.statusBar().clearMessage()
    key(qtbot, view, J)  # from the last: round to the first
    assert current_row(review)[3] == TOLL
    assert "Went round to the first open disagreement" in status(window)
    window.statusBar().clearMessage()
    key(qtbot, view, J)  # an ordinary step says nothing
    assert current_row(review)[0] == "Conflict: boundary" and status(window) == ""


def _reject_every_one_of_the_first_statement(monkeypatch, qtbot, window, bob_path):  # type: ignore[no-untyped-def]
    """bob's file opened, and each of the first statement's four disagreements rejected by R, J between them."""
    open_files(monkeypatch, qtbot, window, bob_path)
    view = window.view
    key(qtbot, view, J)
    for n in range(4):
        key(qtbot, view, R)
        if n < 3:
            key(qtbot, view, J)
    return view


def test_the_settled_message_goes_when_j_opens_a_statement_with_open_items(
    window, review, project, bob_path, qtbot, monkeypatch
):
    view = _reject_every_one_of_the_first_statement(monkeypatch, qtbot, window, bob_path)
    assert [r[-1] for r in table(review)] == ["rejected"] * 4
    assert "Every disagreement in this statement is settled" in status(window)
    assert len(rv.decisions(project)) == 4
    key(qtbot, view, J)
    assert window.session.document.id == MISSILES and current_row(review)[-1] == "open"
    assert "settled" not in status(window)
    assert "1 open disagreement(s) with bob" in status(window)


def test_help_says_how_the_review_keys_move(window, review):
    from annotator.ui.review.commands import key_rows

    rows = dict((what.split(":")[0], what) for _keys, what in key_rows())
    assert "stays on it" in rows["Accept Theirs"] and "stays on it" in rows["Reject Theirs (Keep Mine)"]
    assert "going round says so" in rows["Next Disagreement"]


def test_undoing_the_last_decision_takes_the_settled_message_away(window, review, project, bob_path, qtbot,
                                                                 monkeypatch):
    """The status bar said "Every disagreement … is settled" after its undo had opened one again (a newcomer's
    finding): an undo says what it undid instead."""
    view = _reject_every_one_of_the_first_statement(monkeypatch, qtbot, window, bob_path)
    assert "Every disagreement in this statement is settled" in status(window)
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "settled" not in status(window) and status(window).startswith("Undone: Keep")
    assert [r[-1] for r in table(review)].count("open") == 1
