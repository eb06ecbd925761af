"""The search dock's hits model keeps its hits where Python's cyclic collector does not walk them (a full
collection walked 100 000 tracked hits on every pass while a search filled the dock, stalling the window)."""

from __future__ import annotations

import gc

from annotator.core.search.hits import Hit
from annotator.ui.search.model import HitList, HitsModel
from tests.ui.conftest import shown_search_panel


def _hit(i: int, labels: tuple[str, ...] = ()) -> Hit:
    return Hit(i, "ab" * 32, f"statement {i}", "2023-01-01", i, i + 3, "left 👍🏽", "hit", "right", "text", labels)


def test_hits_are_kept_untracked_and_read_back_as_hits(qapp):
    model = HitsModel()
    hits = [_hit(i, ("threat",) if i % 2 else ()) for i in range(2000)]
    model.append(hits)
    gc.collect()
    assert not any(gc.is_tracked(t) for t in model.all._rows)
    assert not any(gc.is_tracked(t) for t in model.rows._rows)
    assert list(model.all) == hits and model.rows[5] == hits[5] and isinstance(model.rows[5], Hit)
    assert model.rows == hits and model.rows[:2] == hits[:2]
    model.sort(3)  # by the hit (the same in all), then statement
    assert [h.doc_id for h in model.rows] == list(range(2000))
    model.all[3] = hits[3]._replace(labels=("commitment",))
    assert model.all[3].labels == ("commitment",)


def test_hitlist_is_a_sequence_of_hits():
    hits = HitList([_hit(2), _hit(1)])
    hits.insert(0, _hit(0))
    hits.sort(key=lambda h: h.doc_id, reverse=True)
    assert [h.doc_id for h in hits] == [2, 1, 0]
    del hits[0]
    assert len(hits) == 2 and hits == [_hit(1), _hit(0)]


def test_hits_arriving_below_the_rows_shown_repaint_only_the_scroll_bar(qtbot):
    from PySide6.QtCore import QEvent, QObject, Qt


    panel = shown_search_panel(qtbot, 700)
    table, model = panel.table, panel.model
    paints = []

    class Paints(QObject):
        def eventFilter(self, watched, event):  # type: ignore[no-untyped-def]
            if event.type() == QEvent.Type.Paint:
                paints.append(watched)
            return False

    spy = Paints()
    table.viewport().installEventFilter(spy)

    def settle() -> None:
        qtbot.wait(50)
        paints.clear()

    model.append([_hit(i) for i in range(3)])  # the rows shown change: painted
    qtbot.waitUntil(lambda: table.viewport() in paints)
    assert table.rowAt(table.viewport().height() - 1) == -1  # room below them
    model.append([_hit(i) for i in range(3, 200)])  # some of these show: painted
    qtbot.waitUntil(lambda: table.viewport() in paints)
    shown = table.rowAt(table.viewport().height() - 1)
    assert 3 <= shown < 199
    settle()
    bar = table.verticalScrollBar()
    before = bar.maximum()
    model.append([_hit(i) for i in range(200, 1200)])  # all below the last row shown: only the scroll bar
    qtbot.waitUntil(lambda: bar.maximum() > before)
    qtbot.wait(50)
    assert table.viewport() not in paints
    assert model.rowCount() == 1200 and table.rowAt(table.viewport().height() - 1) == shown
    table.scrollToBottom()  # the rows that arrived unpainted are there to read
    qtbot.waitUntil(lambda: table.viewport() in paints)
    last = table.rowAt(table.viewport().height() - 1)
    assert last == 1199 and table.model().index(last, 0).data(Qt.ItemDataRole.DisplayRole) == "statement 1199"
    settle()
    model.sort(0, Qt.SortOrder.DescendingOrder)  # a layout change repaints as before
    qtbot.waitUntil(lambda: table.viewport() in paints)
    settle()
    table.scrollToTop()
    qtbot.waitUntil(lambda: table.viewport() in paints)
    settle()
    model.append([_hit(99999)])  # sorted: arrives first, among the rows shown
    qtbot.waitUntil(lambda: table.viewport() in paints)
    assert table.model().index(0, 0).data(Qt.ItemDataRole.DisplayRole) == "statement 99999"


def test_relabel_takes_a_snapshots_fresh_labels_and_reads_only_the_hits_that_arrived_since(qapp):
    """After a step labelling hits: the hits of the snapshot taken as it began get the labels its thread read; of
    those that arrived since, only the ones in the texts of the statements it touched are read here."""
    model = HitsModel()
    model.append([_hit(i) for i in range(6)])
    snapshot = model.all.snapshot()
    model.all[0] = _hit(0, ("changed after",))  # the snapshot is a list of its own
    assert snapshot[0] == tuple(_hit(0))
    fresh = [tuple(_hit(i, ("threat",) if i in (1, 2) else ())) for i in range(6)]
    model.append([_hit(1)._replace(start=9, end=12), _hit(7)])  # arrived while the step ran
    asked: list[list[tuple[object, ...]]] = []

    def read(rows):
        asked.append(rows)
        return [(*r[:-1], ("commitment",)) for r in rows]

    model.all.relabel(fresh, {1, 2}, read)
    assert [h.labels for h in model.all] == [(), ("threat",), ("threat",), (), (), (), ("commitment",), ()]
    assert asked == [[tuple(_hit(1)._replace(start=9, end=12))]]
    gc.collect()
    assert not any(gc.is_tracked(t) for t in model.all._rows)  # still plain tuples
