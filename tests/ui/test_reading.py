"""Reading comfort (issue 15, item 1): zoom keys, font, size, line spacing and line width, remembered; the
span geometry, the overview strip and the review pane follow every change; colours follow a dark palette."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPalette, QTextCursor
from PySide6.QtWidgets import QApplication

from annotator.ui.palette import BAND_ALPHA_DARK
from annotator.ui.reading.dialog import ReadingDialog
from annotator.ui.statement.span_layer import MIN_LANES, lane_room
from tests.ui.conftest import HOSTILE, key_select, on_dialog, show_window

CTRL = Qt.KeyboardModifier.ControlModifier


def label(qtbot, window, word: str, key=Qt.Key.Key_1):
    key_select(qtbot, window.view, HOSTILE.index(word), len(word))
    qtbot.keyClick(window.view, key)
    return window.view.index.get(window.view.selected_span_id)


def caret_rect(view, cp: int):
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.position_map.to_qt(cp))
    return view.cursorRect(cursor)


def assert_geometry_follows(view, span):
    """The span's painted rectangle starts where the caret at its first character is, on the same line, and is
    as tall as that line at the current font."""
    view.viewport().repaint()
    (rect, *_rest) = view._span_rects(span, view._visible_lines())
    caret = caret_rect(view, span.start)
    assert abs(rect.left() - caret.left()) <= 1.5
    assert abs(rect.top() - caret.top()) <= 1.5
    assert abs(rect.height() - caret.height()) <= 1.5
    assert caret.height() >= QFontMetricsF(view.font()).height() - 1


def point_size(view) -> float:
    return view.font().pointSizeF()


def test_zoom_keys_resize_the_text_and_everything_follows(window, qtbot, tmp_path):
    view = window.view
    span = label(qtbot, window, "threatens")
    review_view = window.review.panel.view
    start = point_size(view)
    assert point_size(review_view) == start
    assert_geometry_follows(view, span)
    qtbot.keyClick(view, Qt.Key.Key_Equal, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Equal, CTRL)
    bigger = point_size(view)
    assert bigger > start and point_size(review_view) == bigger  # the review pane follows
    assert_geometry_follows(view, span)
    strip = view.overview
    qtbot.waitUntil(lambda: strip.built)
    assert strip.grab().height() == view.viewport().height()
    qtbot.keyClick(view, Qt.Key.Key_Minus, CTRL)
    assert start < point_size(view) < bigger
    assert_geometry_follows(view, span)
    qtbot.keyClick(view, Qt.Key.Key_Minus, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Minus, CTRL)
    assert point_size(view) < start
    qtbot.keyClick(view, Qt.Key.Key_0, CTRL)
    assert point_size(view) == start
    qtbot.keyClick(view, Qt.Key.Key_Equal, CTRL)
    zoomed = point_size(view)
    window.close()

    from annotator.store import Project
    from annotator.ui.mainwindow import MainWindow

    again = show_window(qtbot, MainWindow(Project.open(window.session.project.path, user="tester"),
                                          QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)))
    assert point_size(again.view) == zoomed  # remembered
    again.close()
    again.session.project.close()


def test_reading_settings_font_spacing_and_width(window, qtbot):
    window.resize(1600, 900)  # the docks (documents, spans, properties) leave the statement room for a margin
    qtbot.wait(50)
    view = window.view
    span = label(qtbot, window, "restraint", Qt.Key.Key_3)

    def choose(dialog: ReadingDialog):
        dialog.size.setValue(14.0)
        dialog.spacing.setValue(2.0)
        dialog.width.setValue(40)
        dialog.accept()

    timer = on_dialog(ReadingDialog, choose)  # noqa: F841 - kept alive while the dialog runs
    window.reading.actions["reading_settings"].trigger()
    assert point_size(view) == 14.0
    height = QFontMetricsF(view.font()).height()
    assert view.line_gap() >= round(height)  # double spacing: a line's height of room below each line
    lines = view._visible_lines()
    assert len(lines) > 3
    pitches = {round(b.top - a.top) for a, b in zip(lines, lines[1:], strict=False) if a.block_pos == b.block_pos}
    assert pitches and all(p >= 2 * height - 1 for p in pitches)
    column = 40 * QFontMetricsF(view.font()).averageCharWidth() + 2 * view.document().documentMargin()
    assert view.viewport().width() <= column + 2  # the line width is limited, the column centred
    margin_left = view.viewport().geometry().left() - view.contentsRect().left()
    assert margin_left > 50
    assert_geometry_follows(view, span)
    strip = view.overview.geometry()
    assert strip.right() >= view.contentsRect().right() - view.verticalScrollBar().width() - 1  # at the edge
    settings = window.settings
    assert float(settings.value("reading/spacing")) == 2.0 and int(settings.value("reading/max_chars")) == 40


def test_a_dark_palette_gets_readable_span_colours(window, qtbot):
    view = window.view
    label(qtbot, window, "threatens", Qt.Key.Key_2)  # commitment: a dark blue on white paper
    app = QApplication.instance()
    light = QPalette(app.palette())
    dark = QPalette(light)
    for role, colour in ((QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.Window, "#2b2b2b"),
                         (QPalette.ColorRole.Text, "#e6e6e6"), (QPalette.ColorRole.WindowText, "#e6e6e6"),
                         (QPalette.ColorRole.AlternateBase, "#262626")):
        dark.setColor(role, QColor(colour))
    try:
        app.setPalette(dark)
        qtbot.waitUntil(lambda: view._color("commitment")[0].alpha() == BAND_ALPHA_DARK)
        band, line = view._color("commitment")
        assert line.lightnessF() - 0.12 >= 0.35  # stands out from the near-black paper
        brush = window.documents.model.index(0, 1).data(Qt.ItemDataRole.ForegroundRole)
        assert brush.color().lightnessF() >= 0.4  # the status colour reads on dark paper
        image = view.viewport().grab().toImage()
        assert QColor(image.pixel(2, 2)).lightnessF() < 0.3  # the statement is on dark paper
    finally:
        app.setPalette(light)
    qtbot.waitUntil(lambda: view._color("commitment")[0].alpha() != BAND_ALPHA_DARK)


@pytest.mark.parametrize("steps", [3])
def test_ctrl_wheel_zooms_through_the_settings(window, qtbot, steps):
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent

    view = window.view
    start = point_size(view)
    event = QWheelEvent(QPointF(10, 10), QPointF(view.viewport().mapToGlobal(QPoint(10, 10))), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton, CTRL, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)
    assert point_size(view) > start
    assert window.reading.reading.zoom == steps


def test_minimum_lane_room_is_kept_without_spans(window):
    view = window.view
    assert view.line_gap() >= lane_room(MIN_LANES, QFontMetricsF(view.font()).height())


def test_a_dark_system_scheme_gets_a_dark_palette_and_back(window, qtbot):
    from annotator.ui.palette import follow_system_scheme, is_dark

    view = window.view
    label(qtbot, window, "threatens", Qt.Key.Key_2)
    follower = follow_system_scheme()
    assert follower is not None and not is_dark()
    try:
        follower.follow(Qt.ColorScheme.Dark)  # what colorSchemeChanged says when the desktop turns dark
        assert is_dark()
        qtbot.waitUntil(lambda: is_dark(view.palette()))
        qtbot.waitUntil(lambda: view._color("commitment")[0].alpha() == BAND_ALPHA_DARK)
        image = view.viewport().grab().toImage()
        assert QColor(image.pixel(2, 2)).lightnessF() < 0.3
    finally:
        follower.follow(Qt.ColorScheme.Light)
    assert not is_dark()
    qtbot.waitUntil(lambda: view._color("commitment")[0].alpha() != BAND_ALPHA_DARK)
