"""Next Suggested Statement over a whole corpus: the statement whose shown suggestions add up to the most confidence,
scored a slice (at most 4 ms) a turn on the window's thread, and opened on a turn of its own, so the key never freezes
the window (100 000 statements with five suggestions each took 0.5-0.7 s in one go: its loop alone, timed). A small
corpus is scored at once."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from annotator.ui.opening import NEXT_TURN_MS

#: statements scored in one go (the answer comes at once); more are scored a slice at a time
AT_ONCE = 2000
#: the longest slice of the window's thread (seconds); the next one runs on the next turn of the event loop
SLICE_S = 0.004


class BestStatement(QObject):
    """``start(ids)`` scores each id with ``score(id)`` and tells ``found(best id or None)`` once all are scored (the
    first of the highest, above zero); ``cancel()`` drops a scan under way (the project closed meanwhile)."""

    def __init__(self, parent: QObject, score: Callable[[int], float], found: Callable[[int | None], None]) -> None:
        super().__init__(parent)
        self._score, self._found = score, found
        self._ids: list[int] = []
        self._next = 0
        self._best: tuple[int | None, float] = (None, 0.0)
        self._scan = 0  # which scan is under way (0: none), so a cancelled one's answer is never told
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._slice)

    @property
    def running(self) -> bool:
        """A scan is under way: its answer is still to be told."""
        return self._scan > 0

    def start(self, ids: list[int]) -> None:
        self._timer.stop()
        self._ids, self._next, self._best = ids, 0, (None, 0.0)
        self._scan = abs(self._scan) + 1
        if len(ids) <= AT_ONCE:
            self._slice(at_once=True)
        else:
            self._timer.start()

    def cancel(self) -> None:
        self._timer.stop()
        self._ids = []
        self._scan = -abs(self._scan)

    def _slice(self, at_once: bool = False) -> None:
        deadline = time.perf_counter() + SLICE_S
        ids, score = self._ids, self._score
        best, best_score = self._best
        i = self._next
        while i < len(ids):
            doc_id = ids[i]
            i += 1
            value = score(doc_id)
            if value > best_score:
                best, best_score = doc_id, value
            if not at_once and not i % 64 and time.perf_counter() > deadline:
                break
        self._next, self._best = i, (best, best_score)
        if i >= len(ids):
            self._timer.stop()
            self._ids = []
            scan = self._scan
            if at_once:
                self._tell(scan, best)
            else:  # the statement opened on a turn of its own, not on the last slice's (a 0 ms timer runs in this one)
                QTimer.singleShot(NEXT_TURN_MS, self, lambda: self._tell(scan, best))

    def _tell(self, scan: int, best: int | None) -> None:
        if scan != self._scan:  # cancelled, or another scan started since
            return
        self._scan = -scan
        self._found(best)
