"""A seventh newcomer's trial, the label keys: a second press on the same phrase adds nothing, a click elsewhere ends
stepping through the suggestions, and a key never accepts or rejects one off screen unseen."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import point_of


def test_the_same_label_on_the_same_phrase_twice_adds_one_span(sample_window, qtbot):
    window, view = sample_window, sample_window.view
    doc = window.session.document
    phrase = "provision of military"
    start = doc.text.index(phrase)
    for _ in range(2):
        view.select_cp(start, start + len(phrase))
        qtbot.keyClick(view, Qt.Key.Key_1)
    spans = window.session.project.spans(doc.id)
    assert [(s.start, s.end, s.label) for s in spans] == [(start, start + len(phrase), "threat")]
    assert "Already labelled" in window.statusBar().currentMessage()
    assert view.selected_span_id == spans[0].id
    view.select_cp(start, start + len(phrase))  # another label on it is another judgement: kept
    qtbot.keyClick(view, Qt.Key.Key_2)
    assert sorted(s.label for s in window.session.project.spans(doc.id)) == ["commitment", "threat"]


def test_a_click_elsewhere_ends_stepping_and_a_label_key_accepts_nothing(sample_window, qtbot):
    window, view = sample_window, sample_window.view
    ctl, project = window.suggestions, window.session.project
    doc = window.session.document
    qtbot.waitUntil(lambda: len(ctl.shown) >= 3, timeout=60_000)  # the codebook's cue patterns' suggestions
    qtbot.keyClick(view, Qt.Key.Key_S)
    assert ctl.current == ctl.shown[0]
    qtbot.keyClick(view, Qt.Key.Key_Return)  # accepted; the next one is current
    qtbot.wait(50)  # the turns of the event loop a hand leaves between two keys
    assert ctl.current is not None
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.wait(50)
    assert len(project.spans(doc.id)) == 2 and ctl.current is not None

    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(view, 5))  # in the first line
    assert ctl.current is None
    assert "stepping ended" in window.statusBar().currentMessage()
    qtbot.keyClick(view, Qt.Key.Key_1)  # no selection, no suggestion: nothing is labelled
    assert len(project.spans(doc.id)) == 2
    qtbot.keyClick(view, Qt.Key.Key_S)  # S steps again
    current = ctl.current
    assert current is not None

    # scrolled away by the keyboard, the suggestion stays current, but a key shows it before it acts on it
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: ctl.layer.rect_of(current) is None)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert len(project.spans(doc.id)) == 2  # not accepted unseen
    assert ctl.layer.rect_of(current) is not None and "shown again" in window.statusBar().currentMessage()
    qtbot.keyClick(view, Qt.Key.Key_Return)  # seen now: accepted
    assert len(project.spans(doc.id)) == 3
