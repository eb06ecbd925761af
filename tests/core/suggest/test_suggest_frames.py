"""The retrain process's answers travel in frames of a few statements (the window's thread decoding one holds the
interpreter's lock), and the window keeps suggestions as plain tuples the cycle collector stops tracking."""

from __future__ import annotations

import gc
import io

from annotator.core.suggest import batch, frames
from annotator.core.suggest.suggester import Suggestion


def _answer(n_docs: int) -> dict:
    docs = [[d, f"T{d}", [[d, i, i + 3, "threat", 0.5 + i / 100, "model:v1", f"text {d} {i} 😀"] for i in range(5)]]
            for d in range(1, n_docs + 1)]
    return {"docs": docs, "last": n_docs, "more": True, "version": "v1"}


def test_a_long_answer_goes_in_frames_and_comes_back_whole():
    answer = _answer(3 * frames.PART + 1)
    stream = io.BytesIO()
    frames.send_answer(stream, answer)
    sent = 0
    stream.seek(0)
    while stream.tell() < len(stream.getvalue()):
        size = frames.HEADER.unpack(stream.read(frames.HEADER.size))[0]
        assert size < 120_000 or sent == 0
        stream.read(size)
        sent += 1
    assert sent == 1 + 4  # the head, then four frames of at most PART statements
    stream.seek(0)
    got = frames.receive_answer(stream, batch.doc_from_json)
    assert got["last"] == answer["last"] and got["more"] is True
    assert [d[0] for d in got["docs"]] == [d[0] for d in answer["docs"]]
    doc_id, title, rows, texts = got["docs"][2]
    assert (doc_id, title) == (3, "T3") and rows[1] == (3, 1, 4, "threat", 0.51, "model:v1")
    assert texts[1] == "text 3 1 😀" and len(texts) == len(rows)  # in the rows' order
    assert Suggestion._make(rows[1]).key == (3, 1, 4, "threat")
    assert answer["docs"][0][0] == 1  # the sender's answer is left as it was


def test_an_evaluation_comes_back_in_frames_as_the_in_process_one():
    regions = [[[[0, 5, "threat"]], [[d, 0, 5, "threat", 0.9, "pattern:x"]]] for d in range(40)]
    answer = {"evaluation": {"labels": ["threat"], "documents": 40, "by": "statements", "regions": regions},
              "version": "v1", "seconds": 0.1}
    stream = io.BytesIO()
    frames.send_answer(stream, answer)
    stream.seek(0)
    got = frames.receive_answer(stream, batch.region_from_json)
    ev = batch.evaluation_from_json(got["evaluation"])
    assert ev.figures(0.5) == batch.evaluation_from_json(answer["evaluation"]).figures(0.5)


def test_the_window_s_suggestions_are_not_tracked_by_the_cycle_collector():
    _doc_id, _title, rows, _texts = batch.doc_from_json(_answer(1)["docs"][0])
    gc.collect()
    gc.collect()  # a tuple is left untracked by a pass that finds its items untracked
    assert rows and not any(gc.is_tracked(r) for r in rows) and not gc.is_tracked(rows)
    assert gc.is_tracked(Suggestion._make(rows[0]))  # why the window does not keep named tuples


def test_parts_read_without_decoding_then_decode_a_frame_a_step():
    answer = _answer(2 * frames.PART + 3)
    stream = io.BytesIO()
    frames.send_answer(stream, answer)
    stream.seek(0)
    parts = frames.receive_parts(stream)
    assert len(parts.frames) == 3 and all(isinstance(f, bytes) for f in parts.frames) and not parts.items
    assert parts.step(batch.doc_from_json) is True and len(parts.items) == frames.PART
    assert parts.frames[0] == b""  # a decoded frame's bytes are let go
    whole = parts.whole(batch.doc_from_json)
    assert parts.done and [d[0] for d in whole["docs"]] == list(range(1, 2 * frames.PART + 4))
    assert parts.step(batch.doc_from_json) is False


def test_a_frame_that_is_not_a_list_of_items_is_refused_in_one_line():
    import pytest

    for bad in (b"{not json", b'{"a": 1}'):
        parts = frames.Parts({"docs": 1, "last": 1, "more": False, "version": "v"}, [bad])
        with pytest.raises(EOFError, match="answered nonsense"):
            parts.step(batch.doc_from_json)
    stream = io.BytesIO()
    frames.send(stream, {"docs": 2, "last": 1, "more": False, "version": "v"})
    frames.send(stream, [])
    stream.seek(0)
    with pytest.raises(EOFError, match="ended"):
        frames.receive_parts(stream)


def test_an_evaluate_request_with_a_threshold_carries_the_figures_at_it():
    from annotator.core.suggest.evaluate import Evaluation

    ev = Evaluation(("threat",), documents=1)
    ev.regions = [(((0, 5, "threat"),), (Suggestion(1, 0, 5, "threat", 0.9, "pattern:x"),))]
    figures = ev.figures(0.5)
    assert batch.figures_from_json(figures) == figures
    assert batch.figures_from_json(None) is None and batch.figures_from_json({"threat": {"overlap": 1}}) is None
    plain = Evaluation(("threat",), documents=1)
    plain.regions = [(((0, 5, "threat"),), ((1, 0, 5, "threat", 0.9, "pattern:x"),))]  # as the window keeps them
    assert plain.figures(0.5) == figures
