"""Trial 16: three ways a correction of a suggestion was not taken as one.

F1: a suggestion accepted with another label's key (S, then 2 on a Threat) made the Commitment span, and the Threat
stayed offered: Shift+Enter then added it beside the correction. F3: with a suggestion current, Tab selected a span
and Backspace deleted it, while the status bar still said "Backspace rejects". F10: a suggestion accepted, shrunk by a
word and then deleted was remembered as rejected at its shrunk extent, and the clause's suggestion came back."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core.model import IncomingDocument
from tests.ui.conftest import window_over
from tests.ui.test_suggest_said_no import TEXT, THREAT, URGE, _cli, _listed, _offered, _place

CTRL = Qt.KeyboardModifier.ControlModifier
THREAT_SG = (*_place(THREAT), "threat")
URGE_SG = (*_place(URGE), "call_to_action")


def _spans(project, doc_id) -> set[tuple[int, int, str]]:
    return {(s.start, s.end, s.label) for s in project.spans(doc_id)}


def _step_to(qtbot, window, wanted: tuple[int, int, str]) -> None:
    ctl, view = window.suggestions, window.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
    for _ in range(len(ctl.shown) + 1):
        qtbot.keyClick(view, Qt.Key.Key_S)
        if ctl.current is not None and (ctl.current.start, ctl.current.end, ctl.current.label) == wanted:
            return
    raise AssertionError(f"never stepped to {wanted}: {_offered(ctl)}")


def _ready(qtbot, ctl) -> None:
    qtbot.waitUntil(lambda: ctl.settled() and {THREAT_SG, URGE_SG} <= _offered(ctl), timeout=60_000)


def test_a_suggestion_accepted_with_another_label_is_no_longer_offered(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, [IncomingDocument(TEXT, "t16")]) as (window, project):
        view, ctl, doc_id = window.view, window.suggestions, window.session.document.id
        _ready(qtbot, ctl)
        _step_to(qtbot, window, THREAT_SG)
        qtbot.keyClick(view, Qt.Key.Key_2)  # not a threat: a commitment
        corrected = (*_place(THREAT), "commitment")
        assert _spans(project, doc_id) == {corrected}
        assert THREAT_SG not in _offered(ctl), "the corrected-away label is offered no more"
        ctl.dock.show()
        qtbot.waitUntil(lambda: URGE_SG in _listed(ctl) and THREAT_SG not in _listed(ctl), timeout=10_000)
        assert THREAT_SG not in _cli(project.path)
        qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # accept all the rest
        assert _spans(project, doc_id) == {corrected, URGE_SG}, "Shift+Enter adds no threat beside the correction"
        assert window.session.undo_stack.undoText() != ""
        qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)  # the accept all
        assert window.session.undo_stack.undoText().startswith("Accept suggestion as ")
        qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)  # the correction, its rejection with it: one step
        assert _spans(project, doc_id) == set()
        assert project.conn.execute("SELECT count(*) FROM suggest_rejections").fetchone()[0] == 0
        qtbot.waitUntil(lambda: ctl.settled() and THREAT_SG in _offered(ctl), timeout=60_000)


def test_a_span_selected_while_stepping_ends_the_stepping_and_says_what_backspace_does(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, [IncomingDocument(TEXT, "t16")]) as (window, project):
        view, ctl, doc_id = window.view, window.suggestions, window.session.document.id
        _ready(qtbot, ctl)
        _step_to(qtbot, window, THREAT_SG)
        qtbot.keyClick(view, Qt.Key.Key_Return)  # the threat accepted; the next suggestion is current
        assert ctl.current is not None
        assert "Backspace rejects" in window.statusBar().currentMessage()
        qtbot.keyClick(view, Qt.Key.Key_Tab)  # the analyst selects her span
        assert window.editor.selected_span() is not None and ctl.current is None
        said = window.statusBar().currentMessage()
        assert "Backspace rejects" not in said and "Backspace deletes it" in said, said
        qtbot.keyClick(view, Qt.Key.Key_Backspace)  # as the status bar says: the span is deleted
        assert _spans(project, doc_id) == set()


def test_an_accepted_suggestion_shrunk_then_deleted_is_not_offered_again(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, [IncomingDocument(TEXT, "t16")]) as (window, project):
        view, ctl, doc_id = window.view, window.suggestions, window.session.document.id
        _ready(qtbot, ctl)
        _step_to(qtbot, window, THREAT_SG)
        qtbot.keyClick(view, Qt.Key.Key_Return)
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        qtbot.keyClick(view, Qt.Key.Key_Left, CTRL | Qt.KeyboardModifier.ShiftModifier)  # shrunk by a word
        ((start, end, label),) = _spans(project, doc_id)
        assert label == "threat" and start == THREAT_SG[0] and end < THREAT_SG[1]
        qtbot.keyClick(view, Qt.Key.Key_Delete)  # no threat here after all
        assert _spans(project, doc_id) == set()
        assert THREAT_SG not in _offered(ctl), "the clause's threat comes back in the statement"
        ctl.dock.show()
        qtbot.waitUntil(lambda: URGE_SG in _listed(ctl), timeout=10_000)
        assert THREAT_SG not in _listed(ctl)
        assert THREAT_SG not in _cli(project.path)
        ctl.retrain_now()
        qtbot.waitUntil(ctl.settled, timeout=60_000)
        assert THREAT_SG not in _offered(ctl) and URGE_SG in _offered(ctl)


def test_what_the_status_bar_said_of_one_statement_goes_when_the_next_opens(qtbot, tmp_path):
    """Trial 16, F6: "accepted 2 suggestion(s) in this statement" stayed in the status bar over the next statement
    Ctrl+Enter opened."""
    docs = [IncomingDocument(TEXT, "t16"), IncomingDocument("We urge restraint.\n", "two")]
    with window_over(qtbot, tmp_path, docs) as (window, project):
        view, ctl = window.view, window.suggestions
        _ready(qtbot, ctl)
        first = window.session.document.id
        view.setFocus()
        qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
        assert "in this statement" in window.statusBar().currentMessage()
        qtbot.keyClick(view, Qt.Key.Key_Return, CTRL)  # done: the next statement opens
        assert window.session.document.id != first
        assert "in this statement" not in window.statusBar().currentMessage()


def test_next_suggested_statement_looks_among_what_the_documents_filter_lists(qtbot, tmp_path):
    """Trial 16, F11: with the Documents list filtered, Ctrl+Shift+U opened a statement the filter hid (Ctrl+U and
    Ctrl+Enter keep to the list)."""
    docs = [IncomingDocument("Opening words.\n", "first"), IncomingDocument(TEXT, "full of suggestions"),
            IncomingDocument("Closing remarks on the weather.\nWe urge restraint by all parties.\n", "kept")]
    with window_over(qtbot, tmp_path, docs) as (window, project):
        ctl = window.suggestions
        qtbot.waitUntil(lambda: ctl.settled() and ctl.retrainer.corpus_done, timeout=60_000)
        ids = {d.title: d.id for d in project.documents()}
        window.open_document(ids["first"])
        ctl.actions["suggest_next_doc"].trigger()
        qtbot.waitUntil(lambda: not ctl.best_statement.running, timeout=10_000)
        assert window.session.document.id == ids["full of suggestions"], "without a filter, the best of all"
        window.open_document(ids["first"])
        box = window.documents.search
        box.setFocus()
        qtbot.keyClicks(box, "weather")
        qtbot.waitUntil(lambda: not window.documents._debounce.isActive() and window.doc_filter.running is None)
        qtbot.waitUntil(lambda: [r.id for r in window.documents.model.rows] == [ids["kept"]])
        ctl.actions["suggest_next_doc"].trigger()
        qtbot.waitUntil(lambda: not ctl.best_statement.running, timeout=10_000)
        assert window.session.document.id == ids["kept"], "the one the list shows, not the one it hides"
