"""Long titles and phrases show their start and end (elided in the middle), whole in the tooltip; columns are
resizable by dragging and remembered (issue 15, item 5)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPalette
from PySide6.QtWidgets import QApplication, QHeaderView, QStyleOptionViewItem

from annotator.core import review as core
from annotator.core.model import IncomingDocument
from annotator.store import Project
from annotator.ui.review.report import ReportDialog
from tests.ui.conftest import key_select, show_window

TITLE_A = "2023-10-26-joint-statement-condemning-dprk-russia-arms-transfers"
TITLE_B = "2023-10-26-joint-statement-condemning-dprk-missile-launches"
PHRASE = ("Deterrence of the Democratic People's Republic of Korea through the trilateral security cooperation "
          "of the three countries remains essential to peace")
TEXT = f"Opening words. {PHRASE}. Closing words."


@pytest.fixture
def paths(tmp_path):
    project = Project.open(tmp_path / "p.sqlite", create=True, user="tester",
                           populate=[IncomingDocument(TEXT, TITLE_A), IncomingDocument(TEXT + " Two.", TITLE_B)])
    project.close()
    return tmp_path / "p.sqlite", tmp_path / "settings.ini"


def open_window(qtbot, paths):
    from annotator.ui.mainwindow import MainWindow

    project = Project.open(paths[0], user="tester")
    return show_window(qtbot, MainWindow(project, QSettings(str(paths[1]), QSettings.Format.IniFormat)))


def shown(table, row: int, col: int) -> str:
    """The text the table paints in a cell: Qt's elision of the cell's text at the column's width."""
    index = table.model().index(row, col)
    width = table.columnWidth(col) - 2 * (table.style().pixelMetric(table.style().PixelMetric.PM_FocusFrameHMargin)
                                          + 1)
    return QFontMetrics(table.font()).elidedText(index.data(), table.textElideMode(), width)


def drag_edge(qtbot, header: QHeaderView, section: int, dx: int) -> None:
    """Drag the right edge of ``section`` by ``dx`` px, as the user does."""
    viewport = header.viewport()
    x = header.sectionViewportPosition(section) + header.sectionSize(section) - 1
    y = header.height() // 2
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    to = QPoint(x + dx, y)
    QApplication.sendEvent(viewport, QMouseEvent(QMouseEvent.Type.MouseMove, to, viewport.mapToGlobal(to),
                                                 Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton,
                                                 Qt.KeyboardModifier.NoModifier))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=to)


def test_documents_list_shows_both_ends_of_a_title_and_remembers_widths(qtbot, paths):
    window = open_window(qtbot, paths)
    table = window.documents.table
    rows = {table.model().index(r, 0).data(): r for r in range(table.model().rowCount())}
    a, b = shown(table, rows[TITLE_A], 0), shown(table, rows[TITLE_B], 0)
    assert "…" in a and a.startswith("2023") and a.endswith("transfers"[-4:])
    assert a != b  # the two titles differ only at the end: both ends show, so they can be told apart
    assert TITLE_A in table.model().index(rows[TITLE_A], 0).data(Qt.ItemDataRole.ToolTipRole)
    header = table.horizontalHeader()
    before = header.sectionSize(0)
    drag_edge(qtbot, header, 0, 60)
    assert header.sectionSize(0) == before + 60
    window.documents_changed()  # a refresh of the list keeps the width
    assert header.sectionSize(0) == before + 60
    # a variable's column (Date) too, through a change of the variables (its columns laid out again)
    assert header.model().headerData(3, Qt.Orientation.Horizontal) == "Date"
    date = header.sectionSize(3)
    drag_edge(qtbot, header, 3, 30)
    window.properties.definitions_changed()
    assert (header.sectionSize(0), header.sectionSize(3)) == (before + 60, date + 30)
    last = header.count() - 1  # the last (Issuer) takes what is left, the span count does not
    assert header.sectionResizeMode(last) == QHeaderView.ResizeMode.Stretch
    assert header.sectionResizeMode(2) == QHeaderView.ResizeMode.Interactive
    window.close()
    again = open_window(qtbot, paths)
    header = again.documents.table.horizontalHeader()
    assert (header.sectionSize(0), header.sectionSize(3)) == (before + 60, date + 30)
    again.close()


def test_spans_panel_phrase_elided_in_the_middle_whole_in_the_tooltip(qtbot, paths):
    window = open_window(qtbot, paths)
    view = window.view
    key_select(qtbot, view, TEXT.index(PHRASE), len(PHRASE))
    qtbot.keyClick(view, Qt.Key.Key_1)
    table = window.spans_panel.table
    text = shown(table, 0, 1)
    assert text.startswith("Deter") and text.endswith("peace") and "…" in text  # both ends show
    tip = table.model().index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert PHRASE.replace("'", "&#x27;") in tip
    header = table.horizontalHeader()
    drag_edge(qtbot, header, 1, -40)
    width = header.sectionSize(1)
    window.close()
    again = open_window(qtbot, paths)
    assert again.spans_panel.table.horizontalHeader().sectionSize(1) == width
    again.close()


def test_report_statement_column_elided_in_the_middle(qtbot, window):
    docs = [core.ReportDoc(f"{i:064x}", title, TEXT, [], []) for i, title in enumerate((TITLE_A, TITLE_B))]
    dialog = ReportDialog(window, core.build_report(docs))
    qtbot.addWidget(dialog)
    dialog.show()
    table = dialog.documents_table
    table.horizontalHeader().resizeSection(0, 200)
    a, b = shown(table, 0, 0), shown(table, 1, 0)
    assert a.startswith("2023") and a.endswith("fers") and b.endswith("ches")
    assert TITLE_A in table.model().index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert window.settings.value("columns/report_statement/Statement") == 200


def test_many_spans_scroll_the_spans_panel_down_never_sideways(qtbot, paths):
    """Qt's stretched last column kept its first 100 px: once the spans' vertical scroll bar appeared, the
    columns ran past the panel's edge and a horizontal scroll bar covered the last row (seen on Xvfb)."""
    with Project.open(paths[0], user="tester") as project:
        doc = project.documents()[0].id
        for i in range(30):
            project.add_span(doc, TEXT.index(PHRASE) + i, TEXT.index(PHRASE) + 40 + i, "threat")
    window = open_window(qtbot, paths)
    window.open_document(doc)
    table = window.spans_panel.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 30)
    qtbot.waitUntil(table.verticalScrollBar().isVisible)
    header = table.horizontalHeader()
    assert sum(header.sectionSize(s) for s in range(header.count())) <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    window.close()


def test_a_colleagues_label_shows_whole_until_the_user_sizes_the_column(qtbot, paths):
    """The Label column fits the codebook's names beside a colleague's ("Call t… · ana" was cut at 112 px); once
    the user drags it, their width holds across statements and runs. Its swatch keeps a ring of the paper's colour,
    so the label's colour reads on a selected row's highlight too."""
    project = Project.open(paths[0], user="tester")
    label = max(project.labels(), key=lambda lb: len(lb.name))
    for row in project.documents():
        project.add_span(row.id, TEXT.index(PHRASE), TEXT.index(PHRASE) + 12, label.key, annotator="ana")
    project.close()
    window = open_window(qtbot, paths)
    table = window.spans_panel.table
    header = table.horizontalHeader()
    index = table.model().index(0, 0)
    assert index.data() == f"{label.name} · ana"
    option = QStyleOptionViewItem()
    option.initFrom(table)
    needs = table.itemDelegate().sizeHint(option, index).width()
    assert needs <= header.sectionSize(0) <= table.viewport().width() * 0.45, (needs, header.sectionSize(0))
    table.selectRow(0)
    swatch = index.data(Qt.ItemDataRole.DecorationRole).toImage()
    paper = table.palette().color(QPalette.ColorRole.Base)
    middle = swatch.width() // 2
    assert swatch.pixelColor(middle, 0) == paper and swatch.pixelColor(middle, middle) == QColor(label.color)
    assert QSettings(str(paths[1]), QSettings.Format.IniFormat).value("columns/spans/Label") is None  # not theirs
    drag_edge(qtbot, header, 0, -40)
    width = header.sectionSize(0)
    first = window.session.document.id
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)  # the next statement
    qtbot.waitUntil(lambda: window.session.document.id != first)
    assert table.model().rowCount() == 1 and header.sectionSize(0) == width
    window.close()
    again = open_window(qtbot, paths)
    assert again.spans_panel.table.horizontalHeader().sectionSize(0) == width
    again.close()


def test_a_width_the_user_never_chose_is_not_remembered_as_theirs(qtbot, paths):
    """The Documents list's variable columns (Date, Issuer) get default widths when laid out: those are not the
    user's, so a later run at a larger font fits its dates again instead of keeping the first run's px."""
    window = open_window(qtbot, paths)
    header = window.documents.table.horizontalHeader()
    assert header.model().headerData(3, Qt.Orientation.Horizontal) == "Date"
    window.properties.definitions_changed()  # laid out again, as after `annotator vars`
    window.close()
    settings = QSettings(str(paths[1]), QSettings.Format.IniFormat)
    assert settings.value("columns/documents/Date") is None
    app = QApplication.instance()
    font = app.font()
    larger = app.font()
    larger.setPointSizeF(font.pointSizeF() * 1.6)
    app.setFont(larger)
    try:
        again = open_window(qtbot, paths)
        header = again.documents.table.horizontalHeader()
        metrics = again.documents.table.fontMetrics()
        assert header.sectionSize(3) >= metrics.horizontalAdvance("2026-12-31")  # the date shows whole
        again.close()
    finally:
        app.setFont(font)
