"""The docks below the statement (Search, Review, Suggestions) take their height from the statement and the
Documents list, never from the right-hand docks: Document Properties shrank to a scroll box, its memo and
Variables… out of sight, each time one of them opened (a newcomer's finding)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from annotator.core.model import IncomingDocument
from tests.ui.conftest import window_over

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_opening_the_search_dock_leaves_document_properties_whole(qtbot, tmp_path):
    docs = [IncomingDocument("We warn them. We will act. " * 40, f"statement {i}") for i in range(3)]
    with window_over(qtbot, tmp_path, docs) as (window, _project):
        window.resize(1280, 800)
        qtbot.wait(50)
        props = window.properties.dock
        spans = window.findChild(QDockWidget, "spans_dock")
        before = (props.height(), spans.height())
        memo = window.properties.panel.editors["note"]

        qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL_SHIFT)  # Edit ▸ Search All Statements…
        search = window.search.dock
        qtbot.waitUntil(search.isVisible)
        qtbot.wait(50)
        assert (props.height(), spans.height()) == before
        assert search.geometry().right() < props.geometry().left()  # below the statement and the list, not them
        assert search.height() > 150
        top = memo.mapTo(props, memo.rect().topLeft()).y()
        assert top + memo.height() <= props.height()  # the memo whole, not scrolled out of the dock
