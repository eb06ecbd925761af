"""Ghost tags (issue 13): several ghosts on one line, two on one clause -- their "Label 0.73" tags never cover each
other and never run off the statement's right edge."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QRectF, QSettings

from annotator.core.model import IncomingDocument
from annotator.store import Project
from annotator.ui.suggest.ghosts import place_tags
from tests.ui.conftest import show_window

TEXT = ("Title line\n\nWe condemn it; we urge calm; we will defend; they threaten us; "
        "we call on them to stop and we condemn this threat. We reaffirm our commitment.")


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
