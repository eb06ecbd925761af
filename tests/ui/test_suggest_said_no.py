"""Trial 12, F10: the analyst accepted both suggestions of a statement (Shift+Enter), relabelled the first (Tab, 3)
and deleted the second (Tab, Delete); both were offered again, in the window and by ``annotator suggest``, the
first over her own span of the same words. Deleting or relabelling an accepted suggestion is her "not this label
here": remembered as a rejection, forgotten again when she undoes the delete or the relabel (and undoing the accept
itself rejects nothing: the suggestions come back)."""

from __future__ import annotations

import orjson
from PySide6.QtCore import Qt

from annotator.core.model import IncomingDocument
from tests.helpers import run_cli
from tests.ui.conftest import window_over

TEXT = ("Statement on the 🚀 test\r\nWe condemn the launch that threatens peace.\r\n"
        "We urge restraint by all parties.\r\nCafe\u0301 diplomacy continues.\r\n")
THREAT = "We condemn the launch that threatens peace"
URGE = "We urge restraint by all parties"
CTRL = Qt.KeyboardModifier.ControlModifier


def _place(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def _offered(ctl) -> set[tuple[int, int, str]]:
    return {(sg.start, sg.end, sg.label) for sg in ctl.shown}


def _listed(ctl) -> set[tuple[int, int, str]]:
    return {(row[1], row[2], row[3]) for row in ctl.panel.rows}


def _cli(path) -> set[tuple[int, int, str]]:
    done = run_cli("suggest", path, "--json")
    assert done.returncode == 0, done.stderr.decode()
    return {(s["start"], s["end"], s["label"]) for s in orjson.loads(done.stdout)["suggestions"]}


def test_deleting_or_relabelling_an_accepted_suggestion_rejects_it_and_undo_forgets(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, [IncomingDocument(TEXT, "crlf_new")]) as (window, project):
        view, ctl, doc_id = window.view, window.suggestions, window.session.document.id
        both = {(*_place(THREAT), "threat"), (*_place(URGE), "call_to_action")}
        qtbot.waitUntil(lambda: ctl.settled() and both <= _offered(ctl), timeout=60_000)
        ctl.dock.show()
        qtbot.waitUntil(lambda: both <= _listed(ctl), timeout=10_000)
        assert both <= _cli(project.path)

        view.setFocus()
        qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
        qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # accept all above the threshold
        assert {(s.start, s.end, s.label) for s in project.spans(doc_id)} >= both
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        assert window.editor.selected_span().start == _place(THREAT)[0]
        qtbot.keyClick(view, Qt.Key.Key_3)  # relabelled: a call to action, not a threat
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        assert window.editor.selected_span().start == _place(URGE)[0]
        qtbot.keyClick(view, Qt.Key.Key_Delete)  # deleted: no call to action here
        assert [(s.start, s.end, s.label) for s in project.spans(doc_id)] == [(*_place(THREAT), "call_to_action")]

        refused = {(*_place(THREAT), "threat"), (*_place(URGE), "call_to_action")}
        rows = project.conn.execute('SELECT doc_id, start, "end", label FROM suggest_rejections').fetchall()
        assert {tuple(r[1:]) for r in rows} == refused and {r[0] for r in rows} == {doc_id}
        assert not refused & _offered(ctl), "offered again in the statement"
        qtbot.waitUntil(lambda: not refused & _listed(ctl), timeout=10_000)  # and in the Suggestions dock
        assert not refused & _cli(project.path)  # and by the command
        # a retrain reads them from the project: still not offered
        ctl.retrain_now()
        qtbot.waitUntil(ctl.settled, timeout=60_000)
        assert not refused & _offered(ctl) and not refused & _listed(ctl)
        # never a suggestion over a span of the same extent and label: hers, relabelled, is not offered to her
        assert (*_place(THREAT), "call_to_action") not in _offered(ctl) | _listed(ctl) | _cli(project.path)

        qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)  # the delete undone: the rejection it made forgotten
        rows = project.conn.execute('SELECT start, "end", label FROM suggest_rejections').fetchall()
        assert set(rows) == {(*_place(THREAT), "threat")}
        qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)  # the relabel undone: so is its rejection
        assert project.conn.execute("SELECT count(*) FROM suggest_rejections").fetchone()[0] == 0
        assert {(s.start, s.end, s.label) for s in project.spans(doc_id)} >= both
        qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)  # the accept undone: nothing rejected, both offered again
        assert project.spans(doc_id) == []
        assert project.conn.execute("SELECT count(*) FROM suggest_rejections").fetchone()[0] == 0
        qtbot.waitUntil(lambda: ctl.settled() and both <= _offered(ctl) and both <= _listed(ctl), timeout=60_000)
        assert both <= _cli(project.path)


def test_a_resize_or_a_note_is_no_rejection(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, [IncomingDocument(TEXT, "crlf_new")]) as (window, project):
        view, ctl, doc_id = window.view, window.suggestions, window.session.document.id
        qtbot.waitUntil(lambda: ctl.settled() and (*_place(URGE), "call_to_action") in _offered(ctl), timeout=60_000)
        view.setFocus()
        qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
        qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        qtbot.keyClick(view, Qt.Key.Key_Left, CTRL | Qt.KeyboardModifier.ShiftModifier)  # shrunk by a word
        start, end = _place(THREAT)
        assert sorted((s.start, s.end < end, s.origin.startswith("suggested:")) for s in project.spans(doc_id)) == \
            [(start, True, True), (_place(URGE)[0], False, True)]
        window.editor.set_note(window.editor.selected_span(), "a note")
        assert project.conn.execute("SELECT count(*) FROM suggest_rejections").fetchone()[0] == 0
