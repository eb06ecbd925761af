"""With a filter on, the Documents list is the analyst's queue: Ctrl+U and Ctrl+Enter go to the next unfinished
statement it shows, and a statement it hides is never shown as another one's row (a newcomer's finding: with the
list filtered to "In progress", Ctrl+U opened a To do statement while the list still marked the previous one)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core.model import IncomingDocument
from tests.ui.conftest import window_over

DOCS = [IncomingDocument(f"Statement {name}: we {verb} the launch.", name)
        for name, verb in [("a", "condemn"), ("b", "welcome"), ("c", "condemn"), ("d", "note"), ("e", "condemn")]]


def marked(window) -> int | None:
    rows = window.documents.table.selectionModel().selectedRows()
    return rows[0].data(Qt.ItemDataRole.UserRole) if rows else None


def ids(project) -> dict[str, int]:
    return {row.title: row.id for row in project.documents()}


def type_filter(qtbot, window, text: str) -> None:
    box = window.documents.search
    box.clear()
    qtbot.keyClicks(box, text)
    qtbot.waitUntil(lambda: window.documents.model.rowCount() < len(DOCS) and window.doc_filter.running is None,
                    timeout=5000)


def test_ctrl_u_and_ctrl_enter_stay_in_the_filtered_list(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        by = ids(project)
        view = window.view
        assert window.session.document.id == by["a"]
        type_filter(qtbot, window, "condemn")  # a, c and e
        assert [r.title for r in window.documents.model.rows] == ["a", "c", "e"]
        view.setFocus()
        qtbot.keyClick(view, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
        assert window.session.document.id == by["c"]  # not b, which the filter hides
        assert marked(window) == by["c"]
        qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # c done, next: e
        assert project.status_of(by["c"]) == "done"
        assert window.session.document.id == by["e"]
        qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # e done, next: a
        assert window.session.document.id == by["a"]
        qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # a done: the list is finished
        assert window.session.document.id == by["a"]
        assert "Every statement the list shows is finished" in window.statusBar().currentMessage()
        assert project.status_of(by["b"]) == "todo"  # untouched, hidden by the filter

        window.documents.search.clear()  # without a filter, Ctrl+U goes on with the project: b
        qtbot.waitUntil(lambda: window.documents.model.rowCount() == len(DOCS), timeout=5000)
        qtbot.keyClick(view, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
        assert window.session.document.id == by["b"]


def test_a_statement_the_filter_hides_is_not_marked_as_another(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        by = ids(project)
        status = window.documents.status
        window.open_document(by["b"])
        window.view.setFocus()
        qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # b done, c opens
        status.setCurrentIndex(status.findData("done"))  # the list: b alone
        qtbot.waitUntil(lambda: window.documents.model.rowCount() == 1, timeout=5000)
        window.open_document(by["b"])
        assert marked(window) == by["b"]
        window.open_document(by["c"])  # as from a search hit: c is open and hidden by the filter
        assert window.session.document.id == by["c"]
        assert marked(window) is None  # b is not marked as if it were the one open
