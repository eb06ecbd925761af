"""A corpus analyst's trial: after labelling 11 hits across the corpus the toolbar read "[3] Call to action 1",
taken for the project's count. The button's tooltip says whose count it is."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core.model import IncomingDocument
from tests.ui.conftest import window_over


def test_a_label_buttons_count_says_it_is_this_statements(qtbot, tmp_path):
    text = "We urge restraint and we urge calm."
    docs = [IncomingDocument(text, "one", "t"), IncomingDocument("We urge peace.", "two", "t")]
    with window_over(qtbot, tmp_path, docs) as (window, _project):
        view = window.view
        for word in ("urge restraint", "urge calm"):
            at = text.index(word)
            view.select_cp(at, at + len(word))
            qtbot.keyClick(view, Qt.Key.Key_3)
        button = window.labels_bar.buttons["call_to_action"]
        qtbot.waitUntil(lambda: button.text().endswith("  2"))
        assert "2 span(s) of it in this statement" in button.toolTip()
        assert "Call to action: " in button.toolTip()
