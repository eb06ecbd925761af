"""Tables and forms at a larger font (11 pt, a common system setting): default widths that were fixed pixels clipped
what they hold ("202…-26" for a date, "In p…ress" for a status, seen on Xvfb), and a long variable name took the
Document Properties fields' room. Through the real window, with the sample statements as the app imports them."""

from __future__ import annotations

import contextlib

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication

from annotator import paths
from annotator.sources.samples import sample_documents
from annotator.store import Project
from tests.ui.conftest import on_dialog, show_window, window_over


@pytest.fixture
def eleven_pt(qapp):
    before = QApplication.font()
    QApplication.setFont(QFont("DejaVu Sans", 11))
    yield
    QApplication.setFont(before)


def _cell_room(table) -> int:
    """The px of a column its text cannot use (the item's margins both sides)."""
    style = table.style()
    return 2 * (style.pixelMetric(style.PixelMetric.PM_FocusFrameHMargin, None, table) + 1)


def _clipped(table, columns) -> list[tuple[str, int, int]]:
    """(text, px it needs, px its column gives) of every cell and header title of ``columns`` shown cut."""
    metrics, header = QFontMetrics(table.font()), table.horizontalHeader()
    bold = QFont(header.font())
    bold.setBold(True)
    margins = 2 * table.style().pixelMetric(table.style().PixelMetric.PM_HeaderMargin, None, header)
    model, out = table.model(), []
    for col in columns:
        room = table.columnWidth(col)
        title = str(model.headerData(col, Qt.Orientation.Horizontal))
        if QFontMetrics(bold).horizontalAdvance(title) + margins > room:
            out.append((title, QFontMetrics(bold).horizontalAdvance(title) + margins, room))
        for row in range(model.rowCount()):
            text = str(model.index(row, col).data() or "")
            if metrics.horizontalAdvance(text) + _cell_room(table) > room:
                out.append((text, metrics.horizontalAdvance(text) + _cell_room(table), room))
    return out


@contextlib.contextmanager
def first_window(qtbot, tmp_path):
    """The real window at its first size (1280 x 800) on a new project of the sample statements."""
    from annotator.ui.mainwindow import MainWindow

    project = Project.open(tmp_path / "p.sqlite", create=True, user="ana",
                           populate=sample_documents(paths.sample_docs_dir()))
    window = MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    with contextlib.closing(project), contextlib.closing(show_window(qtbot, window)):
        yield window


def test_documents_list_shows_dates_statuses_and_counts_whole_at_11_pt(qtbot, tmp_path, eleven_pt):
    with first_window(qtbot, tmp_path) as window:
        table = window.documents.table
        model = table.model()
        titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
        assert titles[1:4] == ["Status", "Spans", "Date"], titles
        assert [model.index(r, 3).data() for r in range(2)] == ["2023-10-26", "2023-12-21"]
        assert _clipped(table, (1, 2, 3)) == []
        # and every column in view: the last (Issuer) takes what is left, never pushed past the dock's edge
        header = table.horizontalHeader()
        last = header.count() - 1
        assert titles[last] == "Issuer" and header.sectionSize(last) >= header.minimumSectionSize(), [
            header.sectionSize(c) for c in range(5)]
        assert header.sectionViewportPosition(last) + header.sectionSize(last) <= table.viewport().width()
        assert not table.horizontalScrollBar().isVisible()


def test_search_hits_show_their_dates_whole_at_11_pt(qtbot, tmp_path, eleven_pt):
    with window_over(qtbot, tmp_path, sample_documents(paths.sample_docs_dir())) as (window, _project):
        ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        qtbot.keyClick(window.view, Qt.Key.Key_F, ctrl_shift)
        controller = window.search
        qtbot.waitUntil(controller.panel.query.hasFocus)
        qtbot.keyClicks(controller.panel.query, "DPRK")
        qtbot.keyClick(controller.panel.query, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: controller.running is None and controller.panel.model.rowCount() > 0, timeout=10000)
        table = controller.panel.table
        assert table.model().headerData(1, Qt.Orientation.Horizontal) == "Date"
        assert _clipped(table, (1,)) == []


def test_a_long_variable_name_leaves_the_fields_their_room(qtbot, tmp_path):
    from annotator.ui.properties.variables_dialog import VariablesDialog

    long_name = "country_of_origin_of_the_statement"
    with window_over(qtbot, tmp_path, sample_documents(paths.sample_docs_dir())) as (window, project):
        controller = window.properties

        def add(dialog):
            dialog.name.setFocus()
            qtbot.keyClicks(dialog.name, long_name)
            qtbot.keyClick(dialog.name, Qt.Key.Key_Return)  # Enter in the name field adds it
            dialog.accept()

        timer = on_dialog(VariablesDialog, add)
        controller.manage()
        timer.stop()
        assert [v.name for v in controller.variables] == [long_name]
        panel = controller.panel
        qtbot.waitUntil(lambda: panel.editors[long_name].isVisible())
        caption = panel.form.labelForField(panel.editors[long_name])
        assert "…" in caption.text() and long_name in caption.toolTip()
        # every field keeps at least half the form's width (with the name whole, the issuer's field had 90 of 330 px)
        form = panel.form_host.width()
        assert all(editor.width() >= form // 2 for editor in panel.editors.values()), (
            form, {n: e.width() for n, e in panel.editors.items()})
        assert project.conn.execute("SELECT count(*) FROM variables").fetchone()[0] == 1


def test_where_a_statement_came_from_is_never_cut_in_a_short_window(qtbot, tmp_path, eleven_pt):
    """At 1024 x 520 the "Imported … from …" line below the fields lost its last line to the dock's edge; it is
    under the fields now, scrolled with them: laid out whole, and every line of it can be scrolled into view."""
    from PySide6.QtWidgets import QScrollArea

    with first_window(qtbot, tmp_path) as window:
        origin = window.properties.panel.origin
        qtbot.waitUntil(lambda: origin.text().startswith("Imported "))
        assert "(the file's SHA-256 " in origin.text()  # not the text's, which exports carry
        qtbot.wait(50)
        assert origin.visibleRegion().boundingRect() == origin.rect()  # at the first size, shown without scrolling
        window.resize(1024, 520)
        qtbot.waitUntil(lambda: window.height() == 520)
        scroll = window.properties.panel.findChild(QScrollArea)
        qtbot.wait(50)
        assert origin.height() >= origin.heightForWidth(origin.width()), (origin.height(), origin.width())
        bottom = origin.mapTo(scroll.widget(), origin.rect().bottomLeft()).y()
        bar = scroll.verticalScrollBar()
        assert bottom < scroll.widget().height() <= bar.maximum() + scroll.viewport().height()
        bar.setValue(bar.maximum())  # scrolled to the end, its last line shows
        qtbot.wait(50)
        assert origin.visibleRegion().boundingRect().bottom() == origin.rect().bottom()


def test_docks_below_the_statement_share_its_width_as_tabs(qtbot, tmp_path, monkeypatch, eleven_pt):
    """A newcomer's finding: at a large font, Search then Review ▸ Open Colleague File put their docks side by side,
    asked more width than the screen had, and the window grew past its edge. They are tabs now; the one opened last
    is in front."""
    from PySide6.QtWidgets import QDockWidget

    from annotator.store.transfer import export_project
    from annotator.ui import filedialogs

    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    with first_window(qtbot, tmp_path) as window:
        width = window.width()
        qtbot.keyClick(window.view, Qt.Key.Key_F, ctrl_shift)
        search = window.findChild(QDockWidget, "search_dock")
        qtbot.waitUntil(search.isVisible)
        export_project(window.session.project, "jsonl", tmp_path / "colleague.jsonl")
        monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: [str(tmp_path / "colleague.jsonl")])
        window.view.setFocus()
        qtbot.keyClick(window.view, Qt.Key.Key_O, ctrl_shift)
        review = window.findChild(QDockWidget, "review_dock")
        qtbot.waitUntil(review.isVisible, timeout=10000)
        qtbot.wait(100)
        assert review in window.tabifiedDockWidgets(search)
        assert window.width() == width, (window.width(), width)
