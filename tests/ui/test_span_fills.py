"""The rectangles a paint fills for the spans on screen (span_layer): the fast paths draw the same picture as the
plain definitions they replace (each stretch coloured by its innermost span; each range placed by ``x_ranges``)."""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPalette

from annotator.core.intervals import IntervalIndex, assign_lanes
from annotator.core.model import Label, Span
from annotator.ui.statement import span_layer
from annotator.ui.statement.span_layer import MAX_LANES, innermost_stretches, lane_metrics, span_fills, x_ranges
from annotator.ui.statement.view import StatementView

LABELS = [Label("threat", "Threat", "1", "#d55e00"), Label("commitment", "Commitment", "2", "#0072b2"),
          Label("call_to_action", "Call to action", "3", "#009e73")]
KEYS = [label.key for label in LABELS]


def ordered(spans: list[Span]) -> list[Span]:
    return sorted(spans, key=lambda s: (s.start, s.end, s.label, s.id))


def brute_stretches(spans: list[Span]) -> list[tuple[int, int, str]]:
    """Per code point: the label of the span that started last (of those, the one ending first, then the first
    in order); runs of one label merged."""
    out: list[tuple[int, int, str]] = []
    for p in range(max((s.end for s in spans), default=0)):
        over = [(-s.start, s.end, i, s.label) for i, s in enumerate(spans) if s.start <= p < s.end]
        if not over:
            continue
        label = min(over)[3]
        if out and out[-1][1] == p and out[-1][2] == label:
            out[-1] = (out[-1][0], p + 1, label)
        else:
            out.append((p, p + 1, label))
    return out


@given(st.lists(st.tuples(st.integers(0, 60), st.sampled_from([0, 1, 2, 3, 7, 30, 90]), st.sampled_from(KEYS)),
                max_size=40))
def test_innermost_stretches_agree_with_the_per_character_definition(triples):
    spans = ordered([Span(i, 1, s, s + n, label) for i, (s, n, label) in enumerate(triples)])
    assert innermost_stretches(spans) == brute_stretches(spans)


def reference_fills(shown, visible, lanes, to_qt_many, color_of, shade, lane):
    """span_fills as first written: every range on every line placed through x_ranges."""
    starts = [ln.qa for ln in shown]
    thickness, pitch = lane
    fills: dict[int, tuple[QColor, list[QRectF]]] = {}

    def put(qs, qe, colour, below, height, trim=0):
        rects = fills.setdefault(id(colour), (colour, []))[1]
        for i in range(max(0, bisect_right(starts, qs) - 1), bisect_left(starts, qe)):
            line = shown[i]
            for x1, x2 in x_ranges(line, qs, qe):
                top = line.top if below is None else line.top + line.height + below
                rects.append(QRectF(x1, top, max(1.0, x2 - x1 - trim), line.height if below is None else height))

    unions: dict[str, list[list[int]]] = {}
    for start, end, label in brute_stretches(visible):
        unions.setdefault(label, []).append([start, end])
    for label, segments in unions.items():
        qt = to_qt_many([p for segment in segments for p in segment])
        for i in range(0, len(qt), 2):
            put(qt[i], qt[i + 1], color_of(label)[0], None, 0)
    lined = [(s, d) for s, d in zip(visible, lanes, strict=True) if d < MAX_LANES]
    for span, depth in lined:
        qs, qe = to_qt_many([span.start, span.end])
        put(qs, qe, color_of(span.label)[1], span_layer.LANE_TOP + depth * pitch, thickness, 1)
    deep = [s for s, d in zip(visible, lanes, strict=True) if d >= MAX_LANES]
    merged: list[list[int]] = []
    for s in deep:
        if merged and s.start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], s.end)
        else:
            merged.append([s.start, s.end])
    for a, b in merged:
        qs, qe = to_qt_many([a, b])
        put(qs, qe, shade, span_layer.LANE_TOP + MAX_LANES * pitch, 1)
    return list(fills.values())


def as_tuples(fills):
    return [(c.name(QColor.NameFormat.HexArgb), [(r.x(), r.y(), r.width(), r.height()) for r in rects])
            for c, rects in fills if rects]


def _shown_view(qtbot, rng: random.Random, words: list[str], paragraphs: int) -> tuple[str, StatementView, QColor]:
    """A statement of ``paragraphs`` CRLF-separated paragraphs of ``words``, a shown view, and its deep-lane shade."""
    text = "\r\n".join(" ".join(rng.choice(words) for _ in range(rng.randint(1, 40))) for _ in range(paragraphs))
    view = StatementView()
    qtbot.addWidget(view)
    view.resize(420, 900)
    with qtbot.waitExposed(view):
        view.show()
    return text, view, QColor(view.palette().color(QPalette.ColorRole.Text))


def test_span_fills_place_every_range_as_x_ranges_does(qtbot):
    """Lines covered whole (taken from their kept extent), ranges running on over line and paragraph breaks,
    astral characters, CRLF and right-to-left lines: the same rectangles, colours and order as placing each
    range on each line through x_ranges."""
    rng = random.Random(14)
    words = ["alpha", "beta", "gamma", "δέλτα", "😀x", "𝐃ee", "שלום", "done.", "epsilon", "zeta"]
    text, view, shade = _shown_view(qtbot, rng, words, 12)
    for round_ in range(25):
        n = rng.choice([3, 20, 120])
        spans = []
        for i in range(n):
            a = rng.randrange(len(text))
            spans.append(Span(i + 1, 1, a, min(len(text), a + rng.choice([0, 1, 4, 30, 200, 900])), rng.choice(KEYS)))
        view.set_document(text, ordered(spans), LABELS)
        view.viewport().repaint()
        lines = view._visible_lines()
        view._find_directions(lines)
        visible = view._visible_spans(lines)
        lanes = assign_lanes(visible, MAX_LANES)
        args = (view._map.to_qt_many, view._color, shade, lane_metrics(lines[0].height))
        got = as_tuples(span_fills(lines, visible, lanes, *args))
        for line in lines:  # the reference starts from lines that have kept nothing
            line.extent, line.xs = None, {}
        assert got == as_tuples(reference_fills(lines, visible, lanes, *args)), round_


def test_rectangles_kept_between_paints_of_the_same_lines_stay_right_as_spans_come_and_go(qtbot):
    """``kept`` carries the rectangles of each range from paint to paint while the lines stay (a label key repaints
    a screen whose ranges are nearly all known): after every addition, removal and change of lane, the fills are
    the reference's, as if nothing had been kept."""
    rng = random.Random(15)
    text, view, shade = _shown_view(qtbot, rng, ["alpha", "beta", "😀x", "שלום", "done.", "epsilon"], 10)
    spans = [Span(i + 1, 1, a, min(len(text), a + rng.choice([1, 4, 30, 200])), rng.choice(KEYS))
             for i, a in enumerate(rng.randrange(len(text)) for _ in range(60))]
    view.set_document(text, ordered(spans), LABELS)
    view.viewport().repaint()
    lines = view._visible_lines()
    view._find_directions(lines)
    args = (view._map.to_qt_many, view._color, shade, lane_metrics(lines[0].height))
    kept: dict = {}
    next_id = len(spans) + 1
    for step in range(40):
        if spans and rng.random() < 0.4:
            spans.remove(rng.choice(spans))
        else:
            a = rng.randrange(len(text))
            spans.append(Span(next_id, 1, a, min(len(text), a + rng.choice([1, 4, 30, 200])), rng.choice(KEYS)))
            next_id += 1
        on_screen = view._map.to_cp(lines[0].qa), view._map.to_cp(lines[-1].qb + 1, ceil=True)
        visible = IntervalIndex(ordered(spans)).overlapping(*on_screen)
        lanes = assign_lanes(visible, MAX_LANES)
        got = as_tuples(span_fills(lines, visible, lanes, *args, kept))
        assert got == as_tuples(reference_fills(lines, visible, lanes, *args)), step
    assert kept  # the ranges were kept


def test_a_label_key_repaints_the_same_picture_as_a_fresh_view_of_the_same_spans(qtbot, tmp_path):
    """End to end: label keys and a removal in the window (its paints keep rectangles between them), then the
    window's view is grabbed beside a new view given the same statement and spans."""
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest

    from annotator.core.model import IncomingDocument
    from annotator.store import Project
    from annotator.ui.mainwindow import MainWindow

    rng = random.Random(16)
    words = ["alpha", "beta", "😀x", "done.", "epsilon", "zeta"]
    text = "\r\n".join(" ".join(rng.choice(words) for _ in range(rng.randint(5, 30))) for _ in range(6))
    project = Project.open(tmp_path / "p.sqlite", create=True, user="ana")
    project.import_documents([IncomingDocument(text, "t")])
    window = MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1600, 900)
    with qtbot.waitExposed(window):
        window.show()
    window.open_document(project.documents()[0].id)
    view = window.view
    assert view.viewport().width() > 300
    view.setFocus()
    view.select_cp(10, len(text) - 10)  # one span over every line: the short ones below cut its band in pieces
    QTest.keyClick(view, Qt.Key.Key_2)
    qtbot.wait(5)
    for i in range(12):
        a = rng.randrange(20, len(text) - 40)
        view.select_cp(a, a + rng.choice([3, 9, 25]))
        QTest.keyClick(view, [Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3][i % 3])
        qtbot.wait(5)  # the key's own repaint: the span's lines only
        if i % 4 == 3:
            view.viewport().repaint()  # and now and then the whole screen
    QTest.keyClick(view, Qt.Key.Key_Delete)  # the selected (last) span goes
    qtbot.wait(5)
    assert view._fills_kept is not None and len(view._fills_kept[1]) > 1  # a full paint and partial ones
    spans = project.spans(project.documents()[0].id)
    assert len(spans) == 12 and len(view.index) == 12
    fresh = StatementView()
    qtbot.addWidget(fresh)
    fresh.set_reading(*view.reading)
    fresh.resize(view.size())
    with qtbot.waitExposed(fresh):
        fresh.show()
    fresh.set_document(text, spans, view.labels)
    qtbot.wait(1)
    want, got = view.viewport().size(), fresh.viewport().size()
    fresh.resize(fresh.width() + want.width() - got.width(), fresh.height() + want.height() - got.height())
    qtbot.waitUntil(lambda: fresh.viewport().size() == view.viewport().size())
    fresh.viewport().repaint()
    view.set_selected_span(None)
    view.viewport().repaint()
    assert view.viewport().grab().toImage() == fresh.viewport().grab().toImage()
