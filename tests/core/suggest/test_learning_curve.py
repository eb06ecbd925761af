"""The benchmark's learning curve reads the evaluation set's shape (the app's jsonl export, labels by the default
codebook's names) and gives figures per size and mode; checked here on a small set made from the samples."""

from __future__ import annotations

import orjson

from tests.benchmarks.bench_suggest import learning_curve, read_eval_set
from tests.core.suggest.fixtures import PHRASES_1, SAMPLE_1, SAMPLE_2, spans_of

NAMES = {"threat": "Threat", "commitment": "Commitment", "call_to_action": "Call to action"}


def test_learning_curve_on_a_small_set_in_the_evaluation_sets_shape(tmp_path):
    lines = []
    for i in range(6):
        text = (SAMPLE_1 if i % 2 == 0 else SAMPLE_2) + f"\n\nStatement {i}."
        spans = spans_of(text, PHRASES_1) if i % 2 == 0 else ()
        lines.append(orjson.dumps({
            "text": text,
            "spans": [{"start": s, "end": e, "label": NAMES[lb]} for s, e, lb in spans],
            "meta": {"title": f"statement {i}", "date": "2023-10-26", "issuer": "U.S. Department of State",
                     "url": f"https://www.state.gov/{i}"},
        }))
    path = tmp_path / "statements.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    docs = read_eval_set(path)
    assert len(docs) == 6 and {lb for d in docs for *_x, lb in d.spans} == set(NAMES)
    curve = learning_curve(docs, sizes=(8, 16))
    assert [(size, mode) for size, _used, mode, _f in curve] == [
        (8, "patterns"), (8, "model"), (8, "both"), (16, "patterns"), (16, "model"), (16, "both")]
    size, used, mode, figures = curve[-1]
    assert used == 16 and set(figures) == set(NAMES)
    assert figures["call_to_action"]["spans"] == 1  # the test statements: every third, here one sample 1
    assert figures["threat"]["overlap"]["recall"] is not None
