"""The Suggestions list's model: a retrain's batch replaces its statements' rows in place, the rest kept."""

from __future__ import annotations

from annotator.ui.suggest.panel import SuggestionsModel


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
