"""The corpus window's *Statements* chooser (a newcomer's trial, D15): which statements every tab counts, by status,
with the same choices as ``annotator report --status`` (``annotator.store.counting``): all but the skipped ones (as
the window opens, and the command's default), all, or those of one status. Beside it, what is counted and what is
left out ("Counting 1,230 statements; 12 skipped statements left out"), read off the GUI thread.

A mixin of :class:`annotator.ui.corpus.window.CorpusWindow`, which provides ``jobs``, ``project``, ``TABS`` and
the ``_stale``/``_recount_shown`` of :class:`annotator.ui.corpus.follow.Following`."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel

from annotator.store import counting
from annotator.ui.text import plain


class StatusChooser:
    jobs: Any
    project: Any
    TABS: tuple[str, ...]
    _stale: set[str]
    _recount_shown: Any
    code_from: Any

    def _build_statuses(self) -> QHBoxLayout:
        self.statuses = QComboBox(objectName="corpus_statuses")
        for choice, title in counting.TITLES.items():
            self.statuses.addItem(title, choice)
        self.statuses.setCurrentIndex(self.statuses.findData(counting.DEFAULT))
        self.statuses.setToolTip("Which statements every tab counts, by their status (annotator report --status)")
        self.statuses.currentIndexChanged.connect(self._statuses_changed)
        label = QLabel("Statem&ents:")
        label.setBuddy(self.statuses)
        self.counted_note = plain(QLabel())
        self.counted_note.setObjectName("corpus_counted")
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.statuses)
        row.addWidget(self.counted_note, 1)
        return row

    def status_choice(self) -> str:
        """The choice of ``counting.CHOICES`` every figure counts."""
        return str(self.statuses.currentData())

    def refresh_counted(self) -> None:
        """Count what the choice keeps and leaves out (one read of the status index), off the GUI thread."""
        choice = self.status_choice()
        self.jobs.start("counted", self.project, lambda conn: counting.tally(conn, choice))

    def _show_counted(self, counted: counting.Counting) -> None:
        if counted.choice != self.status_choice():
            return  # an older choice's count
        kept = f"Counting {counted.counted:,} statement{'s' if counted.counted != 1 else ''}"
        out = counted.describe()
        self.counted_note.setText(f"{kept}; {out}" if out else kept)

    def _statuses_changed(self) -> None:
        """Every tab counts again: the shown one at once, the others when next shown; the codeline from its first
        statement (the statements it pages through are others)."""
        self.code_from.blockSignals(True)
        self.code_from.setValue(1)
        self.code_from.blockSignals(False)
        self.refresh_counted()
        self._stale = set(self.TABS)
        self._recount_shown()
