"""A newcomer's trial (6): a click on the half-shown last row of the Documents list opened that statement, but the
list scrolled as the button went down and the release selected the row below: the list marked one statement while
another was open and took the label keys. Driven with the mouse on the real list."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from annotator.core.model import IncomingDocument
from tests.ui.conftest import window_over


def test_a_click_on_the_half_shown_last_row_marks_the_statement_it_opens(qtbot, tmp_path):
    docs = [IncomingDocument(f"Statement number {i} says a threat. " * 5, f"statement {i:02d}") for i in range(60)]
    with window_over(qtbot, tmp_path, docs) as (window, project):
        table = window.documents.table
        viewport = table.viewport()
        for _ in range(40):  # a window height where the list's last row is cut in half
            bottom = viewport.height() - 3
            row = table.rowAt(bottom)
            rect = table.visualRect(table.model().index(row, 0))
            if rect.bottom() > viewport.height() + 5:
                break
            window.resize(window.width(), window.height() + 7)
            qtbot.wait(20)
        assert rect.bottom() > viewport.height() + 5, "the row is only half shown"
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 20, bottom))
        opened = window.session.document
        assert opened.title == table.model().index(row, 0).data()
        assert [i.row() for i in table.selectionModel().selectedRows()] == [row]
        assert table.currentIndex().row() == row
        qtbot.keyClick(window.view, Qt.Key.Key_1)  # a label key: on the statement the list marks
        labelled = project.conn.execute("SELECT DISTINCT doc_id FROM spans").fetchall()
        assert [r[0] for r in labelled] in ([], [opened.id])
