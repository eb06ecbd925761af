"""The Spans panel reads the session's span index (DESIGN.md §4; issue #15, "Shape"): no sorted copy of its own,
rows that follow every kind of edit in the index's order, and Qt's model contract kept throughout."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import HOSTILE, key_select, spans_in_db

GROW = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
UNDO = (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def rows(window) -> list[tuple[int, int, str]]:
    """(start, end, label key) of every row the panel shows, top to bottom, read through the model."""
    model, index = window.spans_panel.model, window.session.index
    ids = [model.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(model.rowCount())]
    return [(index.get(i).start, index.get(i).end, index.get(i).label) for i in ids]


def test_the_panel_shows_the_sessions_index_through_every_edit(window, project, qtbot, qtmodeltester):
    view, model = window.view, window.spans_panel.model
    doc = window.session.document.id
    assert model.spans is window.session.index  # the session's index itself, not a copy
    qtmodeltester.check(model, force_py=True)  # from here on, every signal the model sends is checked

    def same_as_db() -> None:
        assert model.spans is window.session.index
        assert rows(window) == [(s, e, lb) for s, e, lb, _note in spans_in_db(project, doc)]

    for word, key in (("restraint", Qt.Key.Key_3), ("Seoul", Qt.Key.Key_1), ("peace", Qt.Key.Key_2)):
        key_select(qtbot, view, HOSTILE.index(word), len(word))
        qtbot.keyClick(view, key)  # each lands in its place in the order, not at the end
        same_as_db()
    qtbot.keyClick(view, Qt.Key.Key_1)  # relabel "peace": same place
    same_as_db()
    view.set_selected_span(window.session.index[0].id)
    for _ in range(3):  # grow the end of "Seoul": its row keeps its place
        qtbot.keyClick(view, Qt.Key.Key_Right, GROW)
        same_as_db()
    view.set_selected_span(window.session.index[-1].id)
    qtbot.keyClick(view, Qt.Key.Key_Left, GROW)  # shrink "restraint": below "peace" still
    same_as_db()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    same_as_db()
    for _ in range(9):
        qtbot.keyClick(view, *UNDO)
        same_as_db()
    assert model.rowCount() == 0


def test_a_span_moving_in_the_order_moves_its_row(window, project, qtbot, qtmodeltester):
    """Shrinking a span's start past another's start changes its place in (start, end) order."""
    view, model = window.view, window.spans_panel.model
    doc = window.session.document.id
    qtmodeltester.check(model, force_py=True)
    start = HOSTILE.index("The 𝐃𝐏𝐑𝐊")
    key_select(qtbot, view, start, len("The 𝐃𝐏𝐑𝐊 threatens"))
    qtbot.keyClick(view, Qt.Key.Key_1)
    key_select(qtbot, view, HOSTILE.index("𝐃𝐏𝐑𝐊"), len("𝐃𝐏𝐑𝐊"))
    qtbot.keyClick(view, Qt.Key.Key_2)
    first = window.session.index[0]
    view.set_selected_span(first.id)
    assert first.label == "threat"
    qtbot.keyClick(view, Qt.Key.Key_Right, GROW | Qt.KeyboardModifier.AltModifier)  # shrink its start by a word
    assert HOSTILE[window.session.index[1].start:window.session.index[1].end] == "𝐃𝐏𝐑𝐊 threatens"
    assert rows(window) == [(s, e, lb) for s, e, lb, _note in spans_in_db(project, doc)]
    assert [r[2] for r in rows(window)] == ["commitment", "threat"]
    qtbot.keyClick(view, *UNDO)
    assert [r[2] for r in rows(window)] == ["threat", "commitment"]
    assert rows(window) == [(s, e, lb) for s, e, lb, _note in spans_in_db(project, doc)]
