"""An outside trial: a suggestion's tag ("Threat 0.83") is drawn above the words suggested; on the statement's first
line there was no room above, and the tag was drawn over the first line, hiding its words. The view now keeps room
above the first line for a tag: the tags of first-line suggestions lie inside the view and over no line of text, and
the text, its label bands and the mouse still agree on where each word is."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSettings, Qt
from PySide6.QtGui import QColor, QTextCursor

from annotator.core.model import IncomingDocument
from annotator.store import Project
from tests.ui.conftest import drag, show_window

FIRST = "We condemn it; we urge calm; we will defend; they threaten us."
TEXT = (FIRST + " We call on them to stop and we condemn this threat.\n\n"
        "We reaffirm our commitment. We condemn it and we urge calm.\n\n"
        + "\n\n".join(f"Paragraph {i}: we condemn the launches and we urge restraint." for i in range(40)))


def _text_lines(view) -> list[QRectF]:
    """Viewport rectangles of the laid-out lines on screen, from Qt's own block layout (not the view's helpers)."""
    out = []
    block, offset, height = view.firstVisibleBlock(), view.contentOffset(), view.viewport().height()
    while block.isValid():
        geo = view.blockBoundingGeometry(block).translated(offset)
        if geo.top() > height:
            break
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            out.append(QRectF(geo.left() + line.x(), geo.top() + line.y(), max(line.naturalTextWidth(), 1.0),
                              line.height()))
        block = block.next()
    return out


def _caret_rect(view, cp: int) -> QRectF:
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.position_map.to_qt(cp))
    return QRectF(view.cursorRect(cursor))


def _first_line_tags(window):
    """(ghost, its tag's box in viewport coordinates) for each shown suggestion starting on the first line."""
    view, layer = window.view, window.suggestions.layer
    shift = QPointF(layer.geometry().topLeft() - view.viewport().geometry().topLeft())
    first_top = _caret_rect(view, 0).top()
    on_screen = [g for g in layer.suggestions if view.cp_rects(g.start, g.end)]
    boxes = layer.tag_boxes()
    assert len(boxes) == len(on_screen)
    return [(g, box.translated(shift)) for g, box in zip(on_screen, boxes, strict=True)
            if _caret_rect(view, g.start).top() == first_top]


def _check_tags(window) -> int:
    view = window.view
    lines = _text_lines(view)
    assert lines and abs(lines[0].top() - _caret_rect(view, 0).top()) < 0.5  # Qt's caret agrees with the layout
    inside = QRectF(view.viewport().rect())
    tags = _first_line_tags(window)
    for ghost, box in tags:
        over = [line for line in lines if line.intersects(box)]
        assert not over, f"the tag of {ghost} at {box} covers the text line(s) {over}"
        assert inside.contains(box), f"the tag of {ghost} at {box} leaves the view {inside}"
    return len(tags)


def test_the_tag_of_a_suggestion_on_the_first_line_hides_no_text(qtbot, tmp_path):
    from annotator.ui.mainwindow import MainWindow

    project = Project.open(tmp_path / "p.sqlite", create=True, user="tester", populate=[IncomingDocument(TEXT, "t")])
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    try:
        window.resize(1500, 800)
        view, ctl = window.view, window.suggestions
        qtbot.waitUntil(lambda: ctl.version is not None and ctl.retrainer.idle() and ctl.shown
                        and ctl.layer.isVisible() and bool(_first_line_tags(window)), timeout=120_000)
        assert ctl.shown[0].start == 0  # "We condemn it" opens the statement
        view.setFocus()
        qtbot.keyClick(view, Qt.Key.Key_S)  # step to the first suggestion: drawn as the current one
        assert ctl.current == ctl.shown[0]
        assert _check_tags(window) >= 2

        # down and back by the keyboard: the same
        qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: view.verticalScrollBar().value() > 0)
        qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: view.verticalScrollBar().value() == 0)
        assert _check_tags(window) >= 2

        # the pixels: the tag of the current suggestion is drawn where tag_boxes() says, in its label's colour
        ghost, box = next((g, b) for g, b in _first_line_tags(window) if g == ctl.current)
        grab = view.grab().toImage()  # the view with the layer over its viewport
        ratio = grab.devicePixelRatio()
        at = box.translated(QPointF(view.viewport().geometry().topLeft()))
        want = QColor(next(lb.color for lb in window.session.labels if lb.key == ghost.label))
        pixel = grab.pixelColor(int((at.left() + 2) * ratio), int(at.center().y() * ratio))
        assert max(abs(pixel.red() - want.red()), abs(pixel.green() - want.green()),
                   abs(pixel.blue() - want.blue())) < 60, (pixel.name(), want.name())

        # the mouse still finds the words of the first line, and a label's band lies on them
        start = FIRST.index("urge")
        drag(qtbot, view, start, start + len("urge calm"))
        assert view.selection_cp() == (start, start + len("urge calm"))
        qtbot.keyClick(view, Qt.Key.Key_3)
        spans = project.spans(window.session.document.id)
        assert [(s.start, s.end) for s in spans] == [(start, start + len("urge calm"))]
        band = view.cp_rects(start, start + len("urge calm"))
        a, b = _caret_rect(view, start), _caret_rect(view, start + len("urge calm"))
        assert len(band) == 1 and abs(band[0].top() - a.top()) < 0.5 and abs(band[0].height() - a.height()) < 0.5
        assert abs(band[0].left() - a.left()) < 1.5 and abs(band[0].right() - b.left()) < 1.5
        qtbot.keyClick(view, Qt.Key.Key_Escape)
        view.set_selected_span(None)
        qtbot.wait(50)
        grab = view.viewport().grab().toImage()
        base = view.palette().color(view.viewport().backgroundRole())
        row = int((a.top() + 1) * grab.devicePixelRatio())  # the band's top row: above the letters
        tinted = [grab.pixelColor(int(x * grab.devicePixelRatio()), row) != base
                  for x in range(int(a.left()) + 2, int(b.left()) - 2, 3)]
        assert tinted and all(tinted), "the band does not cover its words' line box"
        assert _check_tags(window) >= 1
    finally:
        window.close()
        project.close()


def test_a_tag_of_a_line_scrolled_to_the_top_edge_is_seen(qtbot, tmp_path):
    """A reviewer's finding: with its line at the view's top edge, the tag went above the edge, out of sight, while
    its dashed outline showed (and S, which scrolls only to an unseen ghost, did not bring it into sight)."""
    from annotator.core.model import IncomingDocument
    from annotator.core.suggest.suggester import Suggestion
    from tests.ui.conftest import window_over

    text = "\n\n".join(f"Paragraph {i}: we condemn the launches and we urge restraint, and we call on all parties." * 3
                       for i in range(40))
    with window_over(qtbot, tmp_path, [IncomingDocument(text, "t")]) as (window, _project):
        view, ctl = window.view, window.suggestions
        # the window's own suggestions first (its cue patterns find "we condemn" here): arriving after this test's
        # one, they replaced it in the layer (CI of 00e8806 saw three tags where the test showed one)
        qtbot.waitUntil(lambda: ctl.version is not None and ctl.settled() and bool(ctl.shown), timeout=120_000)
        block = view.document().findBlockByNumber(10)
        view.verticalScrollBar().setValue(block.firstLineNumber())
        qtbot.wait(50)
        start = block.position()  # the paragraph's first character, on the line now at the top edge
        cp = view.position_map.to_cp(start)
        sg = Suggestion(window.session.document.id, cp, cp + 9, "threat", 0.8, "model:1")
        layer = window.suggestions.layer
        layer.show_suggestions([sg], sg, {"threat": "Threat"}, {"threat": "#ff0000"})
        qtbot.wait(50)
        ghost = layer.rect_of(sg)
        assert ghost is not None and ghost.top() <= 2, ghost  # the line is at the top edge
        (tag,) = layer.tag_boxes()
        assert tag.top() >= 0 and tag.bottom() <= layer.height(), tag  # in sight
