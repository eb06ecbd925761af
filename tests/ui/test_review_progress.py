"""Issue #14: what the window's thread does while a colleague file is compared in the background stays small.

The dock's progress row changes its two widgets and nothing else (no new layout of the dock, no repaint inside the
call), a few times a second at most but always with the last batch; the comparison's end says the counts without
reading the statement again -- and what it says is what a whole refresh says. Driven through the real window with the
background walk held (``test_review_staged.Gate``), then the widgets read.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject

from annotator.store import review as rv
from annotator.store.review_index import Batch
from annotator.ui.review import comparing
from tests.ui.test_review_gui import ARMS, bob_path, project, review  # noqa: F401
from tests.ui.test_review_staged import open_held


class Events(QObject):
    """Counts the events of some types a widget gets."""

    def __init__(self, widget: QObject, *kinds: QEvent.Type) -> None:
        super().__init__()
        self.kinds = kinds
        self.seen: list[QEvent.Type] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in self.kinds:
            self.seen.append(event.type())
        return False


def settle(qtbot) -> None:
    qtbot.wait(50)


def test_the_progress_row_repaints_later_and_never_lays_out_the_dock(window, review, bob_path, qtbot,  # noqa: F811
                                                                     monkeypatch):
    window.open_document(ARMS)
    open_held(monkeypatch, qtbot, window, review, bob_path)
    panel = review.panel
    assert panel.comparing.isVisible()
    panel.show_comparing("Comparing with your statements: 7 of 100000", 7, 100_000)
    settle(qtbot)  # the label's first fixed size: laid out once
    paints = Events(panel.progress, QEvent.Type.Paint)
    layouts = Events(panel.comparing, QEvent.Type.LayoutRequest)
    for done in (9_999, 10_000, 55_555, 99_999):
        text = f"Comparing with your statements: {done} of 100000"
        panel.show_comparing(text, done, 100_000)
        assert paints.seen == []  # not painted inside the call (QProgressBar.setValue repaints at once)
        settle(qtbot)
        assert paints.seen, "the bar is painted with the next paint"
        paints.seen.clear()
        label = panel.progress_text
        assert label.text() == text and label.width() >= label.fontMetrics().horizontalAdvance(text)
        assert (panel.progress.value(), panel.progress.maximum()) == (done, 100_000)
    assert layouts.seen == []  # a new text in a fixed-size label asks for no new layout
    panel.show_comparing("", 0, 0)
    assert not panel.comparing.isVisible()


def test_progress_is_shown_a_few_times_a_second_and_always_at_the_end(window, review, bob_path, qtbot,  # noqa: F811
                                                                      monkeypatch):
    window.open_document(ARMS)
    open_held(monkeypatch, qtbot, window, review, bob_path)
    (cfile,) = review.files
    index = review.indexes[id(cfile)]
    shown = review.panel.progress_text.text()
    assert shown == f"Comparing with your statements: 0 of {index.total}"
    monkeypatch.setattr(comparing, "PROGRESS_EVERY", 3600.0)
    review._progress_shown = time.monotonic()
    review._compared(cfile, Batch(examined=1, reached=(ARMS, ARMS)))
    assert review.panel.progress_text.text() == shown  # too soon after the last: not shown
    assert index.examined == 1  # ... but kept
    review._compared(cfile, Batch(examined=1, reached=(ARMS, ARMS), done=(True, True)))
    assert review.panel.progress_text.text() == f"Comparing with your statements: 2 of {index.total}"


def test_the_end_of_the_comparison_shows_the_counts_a_refresh_shows_without_reading_again(
        window, review, bob_path, qtbot, monkeypatch):  # noqa: F811
    window.open_document(ARMS)
    gate = open_held(monkeypatch, qtbot, window, review, bob_path)
    assert "1 with open disagreements so far" in review.panel.info.text()
    rows, table = list(review.rows), review.panel.table.rowCount()
    reads = []
    real = rv.review_document
    monkeypatch.setattr(rv, "review_document", lambda *a, **k: reads.append(a[1]) or real(*a, **k))
    gate.release()
    qtbot.waitUntil(lambda: not review.index_jobs, timeout=10000)
    assert reads == []  # the walk's end did not review the statement shown again
    assert not review.panel.comparing.isVisible()
    ended = review.panel.info.text()
    assert "2 of yours with open disagreements" in ended and "so far" not in ended  # both statements differ
    assert review.rows == rows and review.panel.table.rowCount() == table
    review.refresh()  # a whole refresh says the same
    assert reads == [ARMS] and review.panel.info.text() == ended


def test_closing_the_window_while_comparing_stops_the_comparison(window, review, bob_path, qtbot,  # noqa: F811
                                                                 monkeypatch):
    window.open_document(ARMS)
    open_held(monkeypatch, qtbot, window, review, bob_path)
    (job,) = review.index_jobs.values()
    worker = job.worker
    assert worker.isRunning()
    window.close()  # as the window's close button does: its thread must not outlive it (Qt aborts at exit)
    assert worker.isFinished()
