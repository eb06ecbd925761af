"""Deep overlaps stay readable (issue 15, item 2): each of 2, 3, 5 and 8 overlapping spans has its own
underline lane below the line's text, in its label's colour, with the line spacing making room; nothing is
drawn through the glyphs. The screenshots are kept (ANNOTATOR_SHOTS=folder) to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor

from annotator.core.model import IncomingDocument
from annotator.store import Project
from annotator.ui.statement.span_layer import LANE_TOP, MAX_LANES, lane_metrics, lane_room
from tests.ui.conftest import show_window

TEXT = (
    "The United States, Japan, and the Republic of Korea (ROK) stand together, resolute in our opposition to "
    "arms transfers and related military cooperation between the DPRK and Russia and the deleterious effect "
    "such actions have on global security and nonproliferation. We urge the DPRK and Russia to abide by all "
    "relevant UN Security Council resolutions."
)
LABELS = ("threat", "commitment", "call_to_action")


def window_with(qtbot, tmp_path, depth: int):
    from annotator.ui.mainwindow import MainWindow

    project = Project.open(tmp_path / "p.sqlite", create=True, user="ana", populate=[IncomingDocument(TEXT, "t")])
    doc = project.documents()[0].id
    words = [i for i, ch in enumerate(TEXT) if ch == " "]
    for k in range(depth):  # nested and crossing: each starts a word later and ends two words later
        project.add_span(doc, words[2 + k] + 1, words[12 + 2 * k], LABELS[k % 3], "")
    window = MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window.resize(1000, 700)
    return show_window(qtbot, window), project


@pytest.mark.parametrize("depth", [2, 3, 5, 8])
def test_every_overlapping_span_has_its_own_lane_below_the_text(qtbot, tmp_path, depth):
    window, project = window_with(qtbot, tmp_path, depth)
    try:
        view = window.view
        view.viewport().repaint()
        spans = view.spans_in_order()
        assert len(spans) == depth
        lines = view._visible_lines()
        last_start = view._span_rects(spans[-1], lines)[0]
        x = last_start.left() + 3  # every span covers this point
        i = next(i for i, line in enumerate(lines) if abs(line.top - last_start.top()) < 0.5)
        first = lines[i]
        thickness, pitch = lane_metrics(first.height)
        # the line spacing makes room for all the lanes before the next line's text
        assert lines[i + 1].top >= first.top + first.height + lane_room(depth, first.height) - 0.5
        image = view.viewport().grab().toImage()
        ratio = image.devicePixelRatio()
        for lane, span in enumerate(spans):
            y = first.top + first.height + LANE_TOP + lane * pitch + thickness / 2
            pixel = QColor(image.pixel(int(x * ratio), int(y * ratio)))
            assert pixel.name() == view._color(span.label)[1].name(), (depth, lane)
        # nothing in the lanes' colours inside the text box (no strikethrough look): only bands and glyphs
        underline_colours = {view._color(s.label)[1].name() for s in spans}
        inside = [QColor(image.pixel(int(x * ratio), int(y * ratio))).name()
                  for y in range(int(first.top) + 1, int(first.top + first.height) - 1)]
        assert not underline_colours & set(inside)
        folder = os.environ.get("ANNOTATOR_SHOTS")
        if folder:
            window.grab().save(str(Path(folder) / f"overlaps-{depth}.png"))
    finally:
        window.close()
        project.close()


def test_a_span_that_deepens_the_overlap_moves_the_lines_apart(qtbot, tmp_path):
    window, project = window_with(qtbot, tmp_path, 2)
    try:
        view = window.view
        view.viewport().repaint()
        lines = view._visible_lines()
        before = lines[1].top - lines[0].top
        words = [i for i, ch in enumerate(TEXT) if ch == " "]
        for k in range(2, MAX_LANES):
            start, end = words[2 + k] + 1, words[12 + 2 * k]
            view.select_cp(start, end)
            window.editor.apply_label(LABELS[k % 3], exact=True)
        view.viewport().repaint()
        lines = view._visible_lines()
        assert lines[1].top - lines[0].top >= before + (MAX_LANES - 2) * lane_metrics(lines[0].height)[1] - 0.5
        assert len(project.spans(window.session.document.id)) == MAX_LANES
    finally:
        window.close()
        project.close()


def test_clicking_a_lane_selects_its_span_and_its_tooltip_names_it(qtbot, tmp_path):
    from PySide6.QtCore import QPoint, Qt

    window, project = window_with(qtbot, tmp_path, 5)
    try:
        view = window.view
        view.viewport().repaint()
        spans = view.spans_in_order()
        lines = view._visible_lines()
        last_start = view._span_rects(spans[-1], lines)[0]
        line = next(ln for ln in lines if abs(ln.top - last_start.top()) < 0.5)
        thickness, pitch = lane_metrics(line.height)
        x = int(last_start.left() + 3)
        for lane in (3, 1):
            y = int(line.top + line.height + LANE_TOP + lane * pitch + thickness / 2)
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, y))
            assert view.selected_span_id == spans[lane].id
            names = {"threat": "Threat", "commitment": "Commitment", "call_to_action": "Call to action"}
            assert names[spans[lane].label] in view.tooltip_at(QPoint(x, y))
    finally:
        window.close()
        project.close()


def test_a_span_running_on_into_the_next_paragraph_keeps_its_lane_room(qtbot, tmp_path):
    from annotator.ui.mainwindow import MainWindow

    text = TEXT + "\n" + TEXT
    project = Project.open(tmp_path / "p.sqlite", create=True, user="ana", populate=[IncomingDocument(text, "t")])
    doc = project.documents()[0].id
    cut = len(TEXT)
    for k in range(4):  # four nested spans inside paragraph one
        project.add_span(doc, 10 + k, 60 - k, LABELS[k % 3], "")
    project.add_span(doc, 20, cut + 30, "threat", "")  # the fifth lane, running on into paragraph two
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    try:
        view = window.view
        view.viewport().repaint()
        second = view.document().findBlockByNumber(1)
        height = view._visible_lines()[0].height
        assert view._room(second) >= lane_room(5, height)
    finally:
        window.close()
        project.close()
