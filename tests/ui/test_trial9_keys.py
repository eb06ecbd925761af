"""A ninth newcomer's trial (a data scientist labelling hostile text by keys): after a label, Ctrl+End to the end of
the statement and Shift+Ctrl+Left twice shrank and relabelled the span just made (its end was the statement's end),
where the analyst meant a new span of the last words."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core.model import IncomingDocument
from tests.ui.conftest import spans_in_db, window_over

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_moving_the_caret_to_a_spans_end_leaves_it_and_keys_select_anew(qtbot, tmp_path):
    text = "We condemn the launch and we urge restraint now"
    with window_over(qtbot, tmp_path, [IncomingDocument(text, "s", "t")]) as (window, project):
        view, doc = window.view, window.session.document.id
        view.select_cp(0, len(text))  # the whole statement: the span ends where Ctrl+End goes
        qtbot.keyClick(view, Qt.Key.Key_2)
        assert view.selected_span_id is not None
        qtbot.keyClick(view, Qt.Key.Key_End, CTRL)  # to the span's end, which is the text's: the span is left
        assert view.selected_span_id is None
        qtbot.keyClick(view, Qt.Key.Key_Left, CTRL_SHIFT)
        qtbot.keyClick(view, Qt.Key.Key_Left, CTRL_SHIFT)
        qtbot.keyClick(view, Qt.Key.Key_3)
        assert sorted(spans_in_db(project, doc)) == [(0, len(text), "commitment", ""),
                                                     (text.index("restraint"), len(text), "call_to_action", "")]
        # within a span the caret keeps it selected: Tab to it, a step right, and the resize keys still resize it
        qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        selected = view.selected_span_id
        assert selected is not None
        qtbot.keyClick(view, Qt.Key.Key_Right)
        assert view.selected_span_id == selected
