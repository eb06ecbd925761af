"""A newcomer's finding on the Documents list's date filter: "from 2023-13-45" was silently ignored, every
statement still listed as if filtered. A date that is not one is shown as such (as the Properties panel refuses
it), and the list says the bound is not applied."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from annotator.core.model import IncomingDocument
from tests.ui.conftest import window_over

DOCS = [
    IncomingDocument("We urge calm.", "october", date="2023-10-26"),
    IncomingDocument("We commit to peace.", "december", date="2023-12-21"),
]


def _type_into(qtbot, editor, text: str) -> None:
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def _titles(window) -> list[str]:
    model = window.documents.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_an_invalid_from_date_is_shown_invalid_not_applied_silently(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, DOCS) as (window, _project):
        filters = window.properties.filters
        problem = filters.findChild(QLabel, "filter_problem")
        assert problem is None or not problem.isVisible()
        _type_into(qtbot, filters.date_from, "2023-13-45")
        problem = filters.findChild(QLabel, "filter_problem")
        assert problem is not None and problem.isVisible(), "an invalid date was silently ignored"
        assert "2023-13-45" in problem.text() and "not" in problem.text()
        assert filters.date_from.property("invalid") is True
        assert "2023-13-45" in filters.date_from.toolTip()
        # not pretending: both statements listed, the message saying the bound is not applied
        qtbot.waitUntil(lambda: sorted(_titles(window)) == ["december", "october"])
        # corrected, the mark goes and the filter applies
        _type_into(qtbot, filters.date_from, "2023-11-01")
        qtbot.waitUntil(lambda: _titles(window) == ["december"])
        assert not problem.isVisible() and filters.date_from.property("invalid") is False
        # a day that does not exist, in the "to" field: the same
        _type_into(qtbot, filters.date_to, "2023-02-30")
        assert problem.isVisible() and "2023-02-30" in problem.text()
        assert filters.date_to.property("invalid") is True
