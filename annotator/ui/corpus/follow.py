"""The corpus window's figures follow the project: counted when the window opens, and again while it is shown
whenever the project changed, the shown tab at once and the others when next shown (a newcomer's finding: an open
table kept its old counts after a span was added, its CSV saved them, and Enter on a cell listed a span more than the
cell said). A change is seen by one read of the history's last id: every write, the window's or another process's,
appends to it. A mixin of :class:`annotator.ui.corpus.window.CorpusWindow`, which provides ``TABS``, ``tabs``,
``project``, ``_read_choices``, ``_run_query``, ``spans_note`` and a ``refresh_*`` method per figure tab."""

from __future__ import annotations

import sqlite3
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QHideEvent, QShowEvent

#: how often a shown corpus window looks whether the project changed (one read of the history's last id)
FOLLOW_MS = 1500


class Following:
    TABS: tuple[str, ...]
    tabs: Any
    spans_note: Any
    project: Any
    _read_choices: Any
    _run_query: Any
    refresh_table: Any
    refresh_cooccurrence: Any
    refresh_timeline: Any
    refresh_codeline: Any

    def _start_following(self) -> None:
        self._mark = 0  # the project's change the figures were counted at (``_change_mark``)
        self._stale: set[str] = set()  # tabs to count again when next shown
        self.tabs.currentChanged.connect(lambda _index: self._recount_shown())
        self.follow = QTimer(self)  # the window
        self.follow.setInterval(FOLLOW_MS)
        self.follow.timeout.connect(self._follow)

    def reload(self) -> None:
        """Read the codebook and groupings, then compute every view (the project may have changed)."""
        self._mark = self._change_mark()
        self._read_choices()
        for tab in self.TABS:
            self._recount(tab)

    def _change_mark(self) -> int:
        """The project's last change: every write, this window's or another process's, appends to its history."""
        return int(self.project.conn.execute("SELECT coalesce(max(id), 0) FROM history").fetchone()[0])

    def _follow(self) -> None:
        """While shown: after a change the shown tab is counted again, the others when next shown."""
        if not self.isVisible():
            return
        try:
            mark = self._change_mark()
        except sqlite3.ProgrammingError:  # the project closed under the window (the app quitting): nothing to follow
            self.follow.stop()
            return
        if mark == self._mark:
            return
        self._mark = mark
        self._read_choices()
        self._stale = set(self.TABS)
        self._recount_shown()

    def _recount_shown(self) -> None:
        tab = self.TABS[self.tabs.currentIndex()]
        if tab in self._stale:
            self._stale.discard(tab)
            self._recount(tab)

    def _recount(self, tab: str) -> None:
        if tab == "spans":
            if self.spans_note.text():  # a list was asked for: the same query again
                self._run_query()
            return
        {"table": self.refresh_table, "cooccurrence": self.refresh_cooccurrence, "timeline": self.refresh_timeline,
         "codeline": self.refresh_codeline}[tab]()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.follow.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self.follow.stop()
        super().hideEvent(event)

