"""The retrain's answers reach the window without stalling it (issue 13): the waiting thread only reads bytes; the
window's thread decodes the frames a few a turn of its event loop; what the window keeps is untracked by the cycle
collector; a change met while an answer is decoded drops it. Through the real window, with the Suggestions list
open."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QTimer

from annotator.core.model import IncomingDocument
from annotator.core.suggest import batch, frames
from annotator.ui.suggest import worker
from tests.benchmarks import data
from tests.ui.conftest import window_over


def _corpus() -> list[IncomingDocument]:
    """Ten statements labelled and done, forty more: a corpus batch of several frames."""
    labelled = [IncomingDocument(d.text, d.title, d.source, d.spans, status="done")
                for d in data.statements(10, 1200, seed=13, spans_each=6)]
    return labelled + list(data.statements(40, 1200, seed=14))


def _settle(qtbot, ctl) -> None:
    qtbot.waitUntil(lambda: ctl.version is not None and ctl.settled(), timeout=180_000)


def test_answers_are_decoded_on_the_window_s_thread_one_frame_a_turn(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(worker, "DECODE_BUDGET", 0.0)  # one frame a turn of the event loop
    turns = [0]
    ticker = QTimer()
    ticker.setInterval(0)
    ticker.timeout.connect(lambda: turns.__setitem__(0, turns[0] + 1))
    decoded: list[tuple[str, bool, int]] = []  # (what, on the window's thread, the turn it was decoded in)
    for name in ("doc_from_json", "region_from_json"):
        original = getattr(batch, name)

        def spy(item, _original=original, _name=name):
            decoded.append((_name, threading.current_thread() is threading.main_thread(), turns[0]))
            return _original(item)

        monkeypatch.setattr(batch, name, spy)
    with window_over(qtbot, tmp_path, _corpus()) as (window, _project):
        ctl = window.suggestions
        ctl.dock.show()
        ticker.start()
        _settle(qtbot, ctl)
        ticker.stop()
        assert {name for name, _main, _turn in decoded} == {"doc_from_json", "region_from_json"}
        assert all(main for _name, main, _turn in decoded)  # nothing made into objects in the waiting thread
        # 40 statements of the corpus come in one answer of three frames (16 statements each): three turns
        corpus_turns = sorted({turn for name, _main, turn in decoded if name == "doc_from_json"})
        assert len(corpus_turns) >= 3
        assert len(ctl.suggestions) > 16 and ctl.panel.rows  # and all of it arrived, and is listed
        assert ctl.shown and ctl.figures() is not None


def test_what_the_window_keeps_is_not_tracked_by_the_cycle_collector_and_the_figures_are_its_own(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, _corpus()) as (window, _project):
        ctl = window.suggestions
        ctl.dock.show()
        _settle(qtbot, ctl)
        gc.collect()
        gc.collect()
        kept = [*ctl.suggestions.values(), *ctl.texts.values(), *ctl.evaluation.regions]
        assert kept and not [k for k in kept if gc.is_tracked(k)]
        # the suggestions' texts in the list, found by the row's place among its statement's
        rows = ctl.panel.rows
        assert rows and all(ctl._text_of(row) for row in rows[:50])
        doc = next(iter(ctl.texts))
        assert len(ctl.texts[doc]) == len(ctl.suggestions[doc])
        # the figures the dock shows came computed by the retrain process: the same as the window's own
        assert ctl.figures() == ctl.evaluation.figures(ctl.threshold)
        ctl.set_threshold(0.8)  # another threshold: computed here
        assert ctl.figures() == ctl.evaluation.figures(0.8)


def test_a_change_while_an_answer_is_decoded_drops_the_answer(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(worker, "DECODE_BUDGET", 0.0)
    dropped: list[worker._Thread] = []
    original = worker.Retrainer._decode

    def decode(self):
        thread = self.thread
        original(self)
        if (not dropped and thread is not None and thread.kind == "corpus" and self.thread is thread
                and isinstance(thread.result, frames.Parts) and not thread.result.done):
            dropped.append(thread)
            self.start_now()  # a change, one frame into the answer

    monkeypatch.setattr(worker.Retrainer, "_decode", decode)
    with window_over(qtbot, tmp_path, _corpus()) as (window, _project):
        ctl = window.suggestions
        ctl.dock.show()
        arrived: list[object] = []
        ctl.retrainer.suggested.connect(lambda result, _corpus: arrived.append(result))
        _settle(qtbot, ctl)
        assert dropped, "no corpus answer was being decoded"
        thread = dropped[0]
        assert isinstance(thread.result, frames.Parts) and not thread.result.done  # left undecoded
        assert thread.generation < ctl.retrainer.generation
        assert all(isinstance(a, worker.Arrived) for a in arrived)
        assert ctl.retrainer.corpus_done and len(ctl.suggestions) > 16  # the next retrain got everything


def test_closing_the_window_while_an_answer_is_decoded_stops_the_decoding(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(worker, "DECODE_BUDGET", 0.0)
    with window_over(qtbot, tmp_path, _corpus()) as (window, _project):
        ctl = window.suggestions
        retrainer = ctl.retrainer
        seen: list[worker._Thread] = []
        original = worker.Retrainer._decode

        def decode(self):
            original(self)
            thread = self.thread
            if not seen and thread is not None and isinstance(thread.result, frames.Parts) and not thread.result.done:
                seen.append(thread)
                window.close()  # closed between two frames

        monkeypatch.setattr(worker.Retrainer, "_decode", decode)
        _ = qtbot.waitUntil(lambda: bool(seen) or (ctl.version is not None and retrainer.idle()), timeout=180_000)
        if not seen:  # the first round's answers all fit in a frame: a retrain with the window still open
            retrainer.start_now()
            qtbot.waitUntil(lambda: bool(seen), timeout=180_000)
        assert retrainer.thread is None and not retrainer.decode_timer.isActive() and not worker._RUNNING
        assert isinstance(seen[0].result, frames.Parts) and not seen[0].result.done
        qtbot.wait(20)  # nothing more happens in the closed window
        assert retrainer.thread is None
