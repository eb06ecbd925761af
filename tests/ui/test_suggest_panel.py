"""The Suggestions list's model: a retrain's batch replaces its statements' rows in place, the rest kept."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject

from annotator.ui.suggest.panel import SuggestionsModel, SuggestionsPanel


def _row(doc: int, start: int, label: str = "threat") -> tuple:
    return (doc, start, start + 4, label, 0.8, "model:v1")


def test_a_batch_replaces_its_statements_rows_and_keeps_the_others(qapp):
    model = SuggestionsModel()
    model.set_rows([_row(5, 0), _row(1, 0), _row(1, 9), _row(3, 2), _row(7, 1)])
    assert [r[0] for r in model.rows] == [1, 1, 3, 5, 7]
    inserted, removed = [], []
    model.rowsInserted.connect(lambda _p, a, b: inserted.append((a, b)))
    model.rowsRemoved.connect(lambda _p, a, b: removed.append((a, b)))
    # statements 3 and 5 anew (3 loses its row, 5 gets two, 4 is new), 1 and 7 untouched
    model.replace_docs({3: [], 4: [_row(4, 0)], 5: [_row(5, 3), _row(5, 8)]})
    assert model.rows == [_row(1, 0), _row(1, 9), _row(4, 0), _row(5, 3), _row(5, 8), _row(7, 1)]
    assert model.doc_ids == [1, 1, 4, 5, 5, 7]
    assert removed == [(2, 3)] and inserted == [(2, 4)]  # one block out, one block in
    assert model.rowCount() == 6 and model.data(model.index(2, 2)) == "0.80"
    model.replace_docs({9: [_row(9, 1)]})  # after every listed statement
    assert model.rows[-1] == _row(9, 1)
    model.replace_docs({1: []})
    assert model.doc_ids == [4, 5, 5, 7, 9]


class _Paints(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.n = 0

    def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            self.n += 1
        return False


def _settle(qapp) -> None:
    for _ in range(5):  # the view's delayed layout, then the paint it posts
        qapp.processEvents()


def _panel(qapp, docs: range) -> SuggestionsPanel:
    panel = SuggestionsPanel()
    panel.resize(900, 300)
    panel.show()
    panel.set_rows([_row(d, s) for d in docs for s in range(0, 40, 10)], {}, {}, lambda _row: "")
    _settle(qapp)
    return panel


def test_rows_coming_below_the_shown_ones_leave_the_list_unpainted_and_above_them_repaint_it(qapp):
    panel = _panel(qapp, range(0, 400, 2))
    table, paints = panel.table, _Paints()
    table.viewport().installEventFilter(paints)
    shown = table.rowAt(table.viewport().height() - 1)
    assert 0 < shown < 100
    panel.replace_docs({301: [_row(301, 0)], 303: [_row(303, 0)]}, {}, {}, lambda _row: "")  # far below
    _settle(qapp)
    assert paints.n == 0
    assert table.verticalScrollBar().maximum() > 0 and panel.model.rowCount() == 802  # laid out all the same
    panel.replace_docs({301: []}, {}, {}, lambda _row: "")  # removed below
    _settle(qapp)
    assert paints.n == 0 and panel.model.rowCount() == 801
    panel.replace_docs({2: [_row(2, 5)]}, {}, {}, lambda _row: "")  # the second statement's rows: on screen
    _settle(qapp)
    assert paints.n >= 1
    assert table.model().data(table.model().index(4, 0)) == "2"
    paints.n = 0
    table.scrollToBottom()
    _settle(qapp)
    paints.n = 0
    panel.replace_docs({1: [_row(1, 0)]}, {}, {}, lambda _row: "")  # above the rows shown: they move down
    _settle(qapp)
    assert paints.n >= 1
    panel.close()


def test_the_count_changing_lays_nothing_out_again(qapp):
    panel = _panel(qapp, range(3))
    size = panel.count.size()
    assert panel.count.sizeHint().width() <= size.width()
    layouts = _Paints()
    layouts.eventFilter = lambda _obj, event: (  # type: ignore[method-assign]
        setattr(layouts, "n", layouts.n + 1) if event.type() == QEvent.Type.LayoutRequest else None) or False
    panel.installEventFilter(layouts)
    for n in (1, 12, 345, 67_890):
        panel.replace_docs({10 + n: [_row(10 + n, 0)] * 1}, {}, {}, lambda _row: "")
        panel.set_count_suffix(" so far; still suggesting…")
        _settle(qapp)
    assert layouts.n == 0 and panel.count.size() == size
    assert panel.count.text() == f"{panel.model.rowCount()} suggestion(s) so far; still suggesting…"
    panel.say("retraining…")
    assert panel.count.text() == "retraining…"
    panel.close()


def test_the_filter_read_once_passes_what_passes_passes(qapp):
    panel = SuggestionsPanel()
    panel.set_labels([("threat", "Threat"), ("commitment", "Commitment")])
    rows = [_row(1, 0), _row(1, 5, "commitment"), (2, 0, 4, "threat", 0.9, "pattern:condemn")]
    for label in range(panel.label_filter.count()):
        for source in range(panel.source_filter.count()):
            panel.label_filter.setCurrentIndex(label)
            panel.source_filter.setCurrentIndex(source)
            passes = panel.filter()
            assert [passes(r) for r in rows] == [panel.passes(r) for r in rows]
    panel.label_filter.setCurrentIndex(1)
    panel.source_filter.setCurrentIndex(2)
    assert [panel.filter()(r) for r in rows] == [True, False, False]
