"""Ghost tags (issue 13): several ghosts on one line, two on one clause -- their "Label 0.73" tags never cover each
other and never run off the statement's right edge."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPointF, QRectF, QSettings

from annotator.core.model import IncomingDocument
from annotator.store import Project
from annotator.ui.suggest.ghosts import place_tags
from tests.ui.conftest import show_window

TEXT = ("Title line\n\nWe condemn it; we urge calm; we will defend; they threaten us; "
        "we call on them to stop and we reaffirm our pledge. We reaffirm our commitment.")


def _overlapping(boxes: list[QRectF]) -> list[tuple[int, int]]:
    return [(i, j) for i, a in enumerate(boxes) for j, b in enumerate(boxes) if i < j and a.intersects(b)]


def test_tags_of_ghosts_on_one_line_and_on_one_clause_do_not_overlap(qtbot, tmp_path):
    from annotator.ui.mainwindow import MainWindow

    project = Project.open(tmp_path / "p.sqlite", create=True, user="tester", populate=[IncomingDocument(TEXT, "t")])
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    window.resize(1700, 800)
    ctl = window.suggestions
    qtbot.waitUntil(lambda: ctl.version is not None and ctl.retrainer.idle() and len(ctl.shown) >= 6,
                    timeout=120_000)
    shown = ctl.shown
    assert len({(g.start, g.end) for g in shown}) < len(shown)  # two labels on one clause
    lines = {round(ctl.layer.view.cp_rects(g.start, g.end)[0].top()) for g in shown}
    assert len(lines) < len(shown)  # several ghosts start on one line
    boxes = ctl.layer.tag_boxes()
    assert len(boxes) == len(shown)
    assert _overlapping(boxes) == []
    assert all(b.left() >= 0 and b.right() <= ctl.layer.width() for b in boxes)
    wide = ctl.layer.width()
    window.resize(1300, 800)  # narrower: the lines wrap again, the tags are laid out again
    qtbot.waitUntil(lambda: ctl.layer.width() < wide)
    qtbot.wait(100)
    boxes = ctl.layer.tag_boxes()
    assert ctl.layer.width() > 150, ctl.layer.width()
    assert _overlapping(boxes) == [] and all(b.right() <= ctl.layer.width() for b in boxes)
    assert not window.grab().isNull()
    window.close()
    project.close()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 500), st.integers(30, 160)), min_size=1, max_size=6))
def test_placed_tags_never_overlap_nor_leave_the_width(anchors):
    height, width = 14.0, 600.0
    rects = [(QRectF(x, 100 + line * 24, 40, 20), float(w)) for line, x, w in anchors]
    boxes = place_tags(rects, height, width)
    assert _overlapping(boxes) == []
    assert all(b.left() >= 0 and b.right() <= width for b in boxes)
    assert all(b.width() == w for b, (_r, w) in zip(boxes, rects, strict=True))


def test_a_caret_move_repaints_the_ghosts_over_its_lines_not_the_whole_statement(qtbot, tmp_path):
    """The ghost layer lies over the whole statement and repaints with its text. A caret's move (or blink) asks for a
    line: the layer repainted whole then, and the statement under it with it (a second full paint of a statement
    opened by Next Suggested Statement, in the Documents list's turn; issue #14). Now only the caret's lines; the
    whole layer when the text scrolls, its ghosts drawn where the text moved."""
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtWidgets import QAbstractSlider

    from annotator.ui.mainwindow import MainWindow

    long_text = TEXT + "\n\n" + "\n\n".join(f"Paragraph {i}: we condemn it and we urge calm." for i in range(60))
    project = Project.open(tmp_path / "p.sqlite", create=True, user="tester",
                           populate=[IncomingDocument(long_text, "t")])
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    ctl = window.suggestions
    qtbot.waitUntil(lambda: ctl.version is not None and ctl.retrainer.idle() and len(ctl.shown) >= 6,
                    timeout=120_000)
    layer, view = ctl.layer, window.view
    qtbot.waitUntil(layer.isVisible)

    class Painted(QObject):
        rects: list[tuple[str, object]] = []

        def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint:
                self.rects.append(("layer" if obj is layer else "text", event.rect()))
            return False

    painted = Painted()
    layer.installEventFilter(painted)
    view.viewport().installEventFilter(painted)
    view.setFocus()
    qtbot.wait(50)
    painted.rects.clear()
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Right)
        qtbot.wait(20)
    whole = layer.rect()
    assert painted.rects, "the caret's moves repainted nothing"
    assert all(r != whole and r.height() < whole.height() // 2 for _w, r in painted.rects), painted.rects
    painted.rects.clear()
    view.verticalScrollBar().triggerAction(QAbstractSlider.SliderAction.SliderPageStepAdd)
    qtbot.waitUntil(lambda: ("layer", whole) in painted.rects)
    layer.removeEventFilter(painted)
    view.viewport().removeEventFilter(painted)
    window.close()
    project.close()


#: a statement of several lines, thick with descenders (g, p, y, q, j), labelled spans under some of its suggestions
DESCENDERS = ("Gypsy groups urge calm; we condemn it; they threaten us; gangs plainly ignore our policy; "
              "we urge everybody to stop, and we condemn this threat. Yesterday's gaping gulf is pretty ugly; "
              "we will defend our allies; they threaten peace; we call on them to stop. We reaffirm our commitment.")
#: spans labelled on the clauses suggested for another label (the ghost's outline runs around the span's lane)
UNDER = (("we condemn it", "commitment"), ("we urge everybody to stop", "threat"),
         ("they threaten peace", "commitment"), ("plainly ignore our", "threat"))


def _descender_window(qtbot, tmp_path, width: int = 1150):  # type: ignore[no-untyped-def]
    from annotator.ui.mainwindow import MainWindow

    project = Project.open(tmp_path / "p.sqlite", create=True, user="tester",
                           populate=[IncomingDocument(DESCENDERS, "t")])
    for phrase, label in UNDER:
        start = DESCENDERS.index(phrase)
        project.add_span(1, start, start + len(phrase), label)
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    window.resize(width, 700)
    ctl = window.suggestions
    qtbot.waitUntil(lambda: ctl.version is not None and ctl.retrainer.idle() and len(ctl.shown) >= 6,
                    timeout=120_000)
    qtbot.waitUntil(lambda: ctl.layer.width() > 200)  # the lines wrap in a column of a few words
    qtbot.wait(100)
    return window, project


def _line_boxes(view) -> list[QRectF]:  # type: ignore[no-untyped-def]
    """Each line's text box on screen, ascent to descent (the glyphs and their descenders), the viewport wide."""
    return [QRectF(0, ln.top, view.viewport().width(), ln.line.ascent() + ln.line.descent())
            for ln in view._visible_lines()]


def _lane_rects(view) -> list[tuple[QRectF, str]]:  # type: ignore[no-untyped-def]
    """The underline lanes drawn on screen (viewport coordinates) and their spans' labels, as span_layer puts them."""
    from annotator.ui.statement.span_layer import LANE_TOP, lane_metrics

    lines = view._visible_lines()
    spans, lanes = view._visible_lanes(lines)
    thickness, pitch = lane_metrics(lines[0].height)
    return [(QRectF(r.left(), r.bottom() + LANE_TOP + lane * pitch, r.width() - 1, thickness), span.label)
            for span, lane in zip(spans, lanes, strict=True) for r in view.cp_rects(span.start, span.end)]


def test_tags_and_outlines_cover_no_descender_and_no_lane_of_a_statement_of_several_lines(qtbot, tmp_path):
    """A newcomer's report: the tag of a ghost on a line other than the first sat with its bottom on the line's top,
    over the line above's descenders and underline lanes (8 px of room below a line at 10 pt, the tag 10.6 px tall),
    and a ghost's outline ran its bottom edge 2 px below the line, along the first lane (1-3 px below it). Now the
    lines keep a row for the tags below their lanes while suggestions are shown, and an outline runs below the lanes:
    every tag lies clear of every line's glyphs and lanes, every outline's top and bottom edges too, and the lanes'
    pixels are all in their span's colour (nothing drawn over them)."""
    from annotator.ui.statement.spacing import tag_height

    window, project = _descender_window(qtbot, tmp_path)
    view, layer, ctl = window.view, window.suggestions.layer, window.suggestions
    lines = view._visible_lines()
    assert len(lines) >= 5, [(ln.top, ln.qa) for ln in lines]
    shown = [g for g in ctl.shown if view.cp_rects(g.start, g.end)]
    first_top = lines[0].top
    later = [g for g in shown if view.cp_rects(g.start, g.end)[0].top() > first_top]
    assert later, "no ghost starts below the statement's first line"
    under = {(DESCENDERS.index(p), DESCENDERS.index(p) + len(p)) for p, _label in UNDER}
    assert any((g.start, g.end) in under for g in shown), "no ghost over a labelled span"
    texts, lanes = _line_boxes(view), _lane_rects(view)
    assert lanes and all(lane.top() > text.bottom() for lane, _l in lanes for text in texts if lane.top() > text.top())
    boxes = layer.tag_boxes()
    assert len(boxes) == len(shown)
    for ghost, box in zip(shown, boxes, strict=True):
        assert box.height() >= tag_height(view.font()) - 0.01
        assert box.top() >= 0 and box.right() <= layer.width(), (ghost, box)
        assert [t for t in texts if t.intersects(box)] == [], (ghost, box, [t for t in texts if t.intersects(box)])
        assert [r for r, _l in lanes if r.intersects(box)] == [], (ghost, box)
    for ghost in shown:  # the outline's edges (a 2 px pen, the current ghost's) over no lane, no glyph
        for r in layer.outline_rects(ghost):
            edges = [QRectF(r.left(), r.top() - 1, r.width(), 2), QRectF(r.left(), r.bottom() - 1, r.width(), 2)]
            assert [t for t in texts for e in edges if t.intersects(e)] == [], (ghost, r)
            assert [lane for lane, _l in lanes for e in edges if lane.intersects(e)] == [], (ghost, r)
            assert any(r.contains(lane) for lane, _l in lanes) or (ghost.start, ghost.end) not in under
    # the pixels: every lane's middle row is in its span's colour from end to end (no outline, no tag over it)
    image = view.grab().toImage()
    ratio = image.devicePixelRatio()
    for lane, label in lanes:
        want = view._color(label)[1]
        y = lane.top() + lane.height() / 2
        for x in range(int(lane.left()) + 1, int(lane.right()) - 1):
            at = layer.mapTo(view, QPointF(x + 0.5, y).toPoint())
            pixel = image.pixelColor(int(at.x() * ratio), int(at.y() * ratio))
            assert max(abs(pixel.red() - want.red()), abs(pixel.green() - want.green()),
                       abs(pixel.blue() - want.blue())) < 40, (label, lane, x, pixel.name(), want.name())
    window.close()
    project.close()


def test_room_for_tags_between_lines_only_with_suggestions_and_kept_while_the_statement_is_open(qtbot):
    """No suggestions: the lines as dense as ever (the line spacing's and the lanes' room only). Suggestions shown:
    a row for their tags below each line's lanes; kept when they are gone (the text does not jump back as the last
    one is accepted) until another statement opens."""
    from annotator.core.model import Label
    from annotator.ui.statement.spacing import tag_row
    from annotator.ui.statement.view import StatementView

    view = StatementView()
    qtbot.addWidget(view)
    view.resize(300, 500)
    view.show()
    qtbot.waitExposed(view)
    labels = [Label("threat", "Threat", "1", "#d55e00", "")]

    def pitch() -> float:
        view._forget_lines()
        lines = view._visible_lines()
        assert len(lines) >= 3
        return lines[1].top - lines[0].top

    view.set_document(DESCENDERS, [], labels)
    view.set_reading(view.font(), 1.0, 0)  # as the window gives it: single spacing, room for the lanes
    dense = pitch()
    assert dense == lines_apart(view)
    view.keep_tag_rows([])
    assert pitch() == dense
    view.keep_tag_rows([40])
    assert pitch() == dense + tag_row(view.font())
    view.keep_tag_rows([])  # the last suggestion accepted: the room stays
    assert pitch() == dense + tag_row(view.font())
    view.set_document(DESCENDERS + " Again.", [], labels)  # another statement: as dense as before
    assert pitch() == dense
    view.set_reading(view.font(), 3.0, 0)  # a wide line spacing has room for the tags already: nothing moves
    wide = pitch()
    view.keep_tag_rows([0])
    assert pitch() == wide


def test_only_the_paragraphs_where_suggestions_start_and_the_one_before_each_make_room_for_tags(qtbot):
    """A heading, a paragraph with a suggestion in it, a closing paragraph without: the heading (two paragraphs
    before) and the closing paragraph read as densely as without suggestions; the suggestion's paragraph and the
    blank one before it (its tag may sit below that one's line) stand a row apart."""
    from annotator.core.model import Label
    from annotator.ui.statement.spacing import tag_row
    from annotator.ui.statement.view import StatementView

    view = StatementView()
    qtbot.addWidget(view)
    view.resize(300, 900)
    view.show()
    qtbot.waitExposed(view)
    closing = "We reaffirm our commitment to peace, to our allies and to the region, plainly and gladly, again."
    text = f"A heading of a statement that wraps over two lines here\n\n{DESCENDERS}\n\n{closing}"
    view.set_document(text, [], [Label("threat", "Threat", "1", "#d55e00", "")])
    view.set_reading(view.font(), 1.0, 0)

    def pitches() -> dict[int, float]:
        """For each paragraph of more than one line on screen, the px between its first two lines."""
        view._forget_lines()
        by_block: dict[int, list[float]] = {}
        for line in view._visible_lines():
            by_block.setdefault(view.document().findBlock(line.block_pos).blockNumber(), []).append(line.top)
        return {n: tops[1] - tops[0] for n, tops in by_block.items() if len(tops) > 1}

    dense = pitches()
    assert set(dense) == {0, 2, 4} and len(set(dense.values())) == 1
    view.keep_tag_rows([text.index("they threaten us")])  # in paragraph 2
    row = tag_row(view.font())
    assert pitches() == {0: dense[0], 2: dense[2] + row, 4: dense[4]}
    lines = view._visible_lines()
    blank = next(ln for ln in lines if view.document().findBlock(ln.block_pos).blockNumber() == 1)
    after = next(ln for ln in lines if ln.top > blank.top)
    assert after.top - blank.top == dense[0] + row  # below the blank paragraph before it: a row for its tags


def lines_apart(view) -> float:  # type: ignore[no-untyped-def]
    """The line pitch the view's spacing gives without suggestions: a line's height and the room below it."""
    return view._visible_lines()[0].height + view.line_gap()


def test_a_ghost_at_the_top_edge_hangs_its_tag_below_its_lanes_and_a_full_row_is_filled_before_going_up():
    from annotator.ui.suggest.ghosts import tag_anchor

    rooms = {-15.0: 8, 21.0: 8}
    scrolled = [QRectF(10, -15, 80, 16)]  # its line at the top edge, the row above it out of sight
    anchor = tag_anchor(scrolled, 10.6, 12, rooms)
    box = place_tags([(anchor, 60.0)], 10.6, 300.0)[0]
    assert box.top() >= 1 + 8 and box.bottom() <= 21  # below its lanes, above the next line (at 21)
    two = [QRectF(10, -15, 80, 16), QRectF(0, 21, 50, 16)]  # runs on to the next line: over that one
    assert tag_anchor(two, 10.6, 12, rooms) == two[1]
    # three ghosts at the right of a line 300 px wide: the third tag goes left of the others, in the same row
    line = [(QRectF(x, 100, 40, 16), 60.0) for x in (150, 200, 250)]
    boxes = place_tags(line, 10.6, 300.0)
    assert all(abs(b.bottom() - 100) < 1e-6 for b in boxes), boxes
    assert boxes[0].left() == 150 and boxes[1].left() == 213 and boxes[2].right() < 150, boxes
    assert _overlapping(boxes) == []
