"""The Review dock's background comparison of a colleague file with my statements (``store/review_index.py``):
started when a file is opened, from the statement shown; its progress and Cancel in the dock; J / K stepping
across statements by what it found, and waiting for it where it has not been yet; a file it finds damaged closed
with a message. Mixed into the ReviewController."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop

from annotator.errors import AnnotatorError
from annotator.store import review as store
from annotator.store.review_index import ReviewIndex
from annotator.ui.dialogs import error
from annotator.ui.review import status
from annotator.ui.review.panel import OPEN
from annotator.ui.review.worker import IndexJob

#: files and projects up to this many statements are compared whole (and checked for alignment) when opened
SMALL = 500
#: what _other_document says when the background comparison has not reached the next statement yet
WAIT = "wait"
#: how to walk another colleague's disagreements, said when the chosen one's are all settled
SWITCH = "Ctrl+F8 (Review ▸ Next Colleague) or Alt+O switches colleague"
#: the dock's progress row follows the comparison at most this often (seconds); its batches come ten times a second
PROGRESS_EVERY = 0.25


class Comparing:
    """The background comparison's part of the ReviewController (its attributes are set there)."""

    window: Any
    files: list[store.ColleagueFile]
    indexes: dict[int, ReviewIndex]
    index_jobs: dict[int, IndexJob]
    pending: tuple[bool, int, int] | None
    choice: int
    #: when the progress row was last shown (time.monotonic)
    _progress_shown: float = 0.0
    report_job: Any
    panel: Any
    session: Any
    rows: list[Any]
    current_key: str | None
    # the controller's own, used here
    refresh: Callable[[], None]
    _show_info: Callable[[], None]
    go_to: Callable[[str | None], None]
    _row: Callable[[str | None], Any]
    close_review: Callable[[], None]
    colleague: Callable[[], tuple[store.ColleagueFile, store.Colleague] | None]
    colleagues: Callable[[], list[tuple[store.ColleagueFile, store.Colleague]]]
    say: Callable[..., str]
    _colleagues_changed: Callable[[], None]

    def _start_comparing(self, loaded: store.ColleagueFile) -> None:
        session = self.session
        doc = session.document
        first = session.project.conn.execute("SELECT min(id) FROM documents").fetchone()[0] or 1
        start = doc.id if doc is not None else first
        index = self.indexes[id(loaded)] = ReviewIndex(start, session.project.progress()[1], len(loaded.colleagues))
        try:
            job = IndexJob(self.window, session.project, loaded, start)
        except AnnotatorError as exc:
            index.stopped = True
            self.say(f"Cannot compare {loaded.name} in the background: {exc}", 10000)
            return
        self.index_jobs[id(loaded)] = job
        job.batch.connect(lambda batch: self._compared(loaded, batch))
        job.failed.connect(lambda message: self._comparing_failed(loaded, message))
        job.ended.connect(lambda: self._comparing_ended(loaded, job))
        job.start()

    def _small(self, cfile: store.ColleagueFile) -> bool:
        """Whether the file and my project are small enough to compare whole before the review is shown."""
        return cfile.count <= SMALL and self.session.project.progress()[1] <= SMALL

    def _wait_comparing(self, cfile: store.ColleagueFile) -> None:
        """Let the comparison of a small file end (the window's events run meanwhile)."""
        job = self.index_jobs.get(id(cfile))
        if job is None:
            return
        worker = job.worker  # the job may be gone (deleteLater) once the loop ran
        loop = QEventLoop()
        worker.finished.connect(loop.quit)  # the thread's own: a failure disconnects the job's
        if worker.isRunning():
            loop.exec()
        worker.wait()
        if self.index_jobs.get(id(cfile)) is job:  # it ended before the loop began: its last batch and its end
            QCoreApplication.sendPostedEvents(job)  # its last batch and its end, when it ended before the loop began

    def _compared(self, cfile: store.ColleagueFile, batch: Any) -> None:
        index = self.indexes.get(id(cfile))
        if index is None:
            return
        index.add(batch)
        now = time.monotonic()
        if index.finished or now - self._progress_shown >= PROGRESS_EVERY:  # a repaint each: a few a second will do
            self._progress_shown = now
            self._show_progress()
        if self.pending is not None:
            forward, doc_id, choice = self.pending
            doc = self.session.document
            if doc is None or doc.id != doc_id or choice != self.choice:
                self.pending = None
            else:
                self._step(forward, waited=True)

    def _comparing_failed(self, cfile: store.ColleagueFile, message: str) -> None:
        if cfile not in self.files:
            return
        self._drop_file(cfile)
        error(self.window, "Cannot review the colleague file", f"{cfile.path}:\n{message}\nIts review was closed.")

    def _comparing_ended(self, cfile: store.ColleagueFile, job: IndexJob) -> None:
        if self.index_jobs.get(id(cfile)) is job:
            del self.index_jobs[id(cfile)]
            index = self.indexes.get(id(cfile))
            if index is not None and not index.finished:
                index.stopped = True
            if index is not None and index.finished and not self._small(cfile) and index.aligned == 0:
                self.say(
                    f"None of the {cfile.count} statement(s) in {cfile.name} has the exact text of one of yours: "
                    "nothing to compare", 15000)
            if self.pending is not None and index is not None and index.stopped:
                self.pending = None
                self.say(self._stopped_message(cfile, index), 8000)
            self._show_progress()
            # the walk only read: the statement, its items and the table are as the last refresh showed them; only
            # the line of counts says more now. A whole refresh here (the review read again, the combined view and
            # the table made anew) held the window's thread 8-12 ms as the comparison ended (issue #14)
            self._show_info()
        job.deleteLater()

    def cancel_comparing(self) -> None:
        """The dock's Cancel: stop comparing the chosen colleague's file (J and K stay among what was compared)."""
        chosen = self.colleague()
        if chosen is not None and (job := self.index_jobs.get(id(chosen[0]))) is not None:
            job.cancel()

    def _stopped_message(self, cfile: store.ColleagueFile, index: ReviewIndex) -> str:
        return (f"Comparing {cfile.name} was stopped after {index.examined} of {index.total} statement(s): J and K "
                "stay among the statements compared (open the file again to compare the rest)")

    def _show_progress(self) -> None:
        chosen = self.colleague()
        index = self.indexes.get(id(chosen[0])) if chosen else None
        running = chosen is not None and id(chosen[0]) in self.index_jobs
        if index is None or not running or index.total == 0:
            self.panel.show_comparing("", 0, 0)
            return
        self.panel.show_comparing(f"Comparing with your statements: {index.examined} of {index.total}",
                                  index.examined, index.total)

    def _index_of(self, cfile: store.ColleagueFile, colleague: store.Colleague) -> tuple[ReviewIndex | None, int]:
        index = self.indexes.get(id(cfile))
        return index, cfile.colleagues.index(colleague) if colleague in cfile.colleagues else 0

    def _drop_file(self, cfile: store.ColleagueFile) -> None:
        """Stop comparing one file and give it back (a damaged file found in the background)."""
        job = self.index_jobs.pop(id(cfile), None)
        if job is not None:
            job.dispose()
        index = self.indexes.pop(id(cfile), None)
        if index is not None:
            index.release()
        if self.report_job is not None:
            self.report_job.wait()
        self.files = [f for f in self.files if f is not cfile]
        cfile.close()
        self.pending = None
        if not self.files:
            self.close_review()
            return
        self.choice = 0
        self._colleagues_changed()

    # ------------------------------------------------------------------ J / K across statements
    def _step(self, forward: bool, waited: bool = False) -> None:
        """The next (previous) open disagreement after (before) the selected one, in text order; past the last
        (first) one, the first (last) of the next (previous) statement that has any. Going round -- past the end
        of the statements, or back to the top of this one -- always says so in the status bar."""
        if not self.files:
            return
        if not waited:
            self.pending = None
        open_rows = [i for i, r in enumerate(self.rows) if r.status == OPEN]
        here = self.rows.index(self._row(self.current_key)) if self._row(self.current_key) else None
        if here is None:
            ahead = open_rows if forward else open_rows[::-1]
        else:
            ahead = [i for i in open_rows if i > here] if forward else [i for i in open_rows[::-1] if i < here]
        if ahead:
            self.go_to(self.rows[ahead[0]].key)
            return
        chosen = self.colleague()
        who = chosen[1].name if chosen else "your colleague"
        other = self._other_document(forward)
        here_id = self.session.document.id if self.session.document is not None else None
        if other == WAIT:
            if here_id is not None:
                self.pending = (forward, here_id, self.choice)
                index = self.indexes.get(id(chosen[0])) if chosen else None
                how_far = f" ({index.examined} of {index.total} compared)" if index is not None else ""
                self.say(f"Still comparing your statements with {who}{how_far}: "
                         f"{'J' if forward else 'K'} goes on by itself when the "
                         f"{'next' if forward else 'previous'} disagreement is found", 0, about=here_id)
            return
        if isinstance(other, str):  # the comparison was stopped before it got there
            self.say(other, 8000)
            return
        if other is not None:
            doc_id, wrapped = other
            self.window.open_document(doc_id)
            rows = [r for r in self.rows if r.status == OPEN]
            if rows:
                self.go_to(rows[0 if forward else -1].key)
            doc = self.session.document
            went = (f"Went round past the {'last' if forward else 'first'} statement to " if wrapped else "On to ")
            self.say(f"{went}“{status.TITLE}”: {len(rows)} open disagreement(s) with {who}", 6000,
                     title=doc.title if doc is not None else "", about=doc.id if doc is not None else None)
            return
        self._show_info()  # the statements J compared again on its way are counted as they are now
        if open_rows:
            target = open_rows[0] if forward else open_rows[-1]
            self.go_to(self.rows[target].key)
            if target == here:
                self.say(f"This is the only open disagreement left with {who}{self._elsewhere()}", 6000,
                         about=here_id)
            else:
                self.say(f"Went round to the {'first' if forward else 'last'} open disagreement of this "
                         "statement (no other statement has any)", 6000, about=here_id)
            return
        self.say(f"No open disagreements left with {who}{self._elsewhere()}", 6000)

    def _elsewhere(self) -> str:
        """What the other colleagues open still have open, and how to switch to them ("" when nothing): J and K
        walk the chosen colleague only (trial 12, F5: "No open disagreements left with kim" said nothing of sato's
        three statements)."""
        left = []
        for n, (cfile, colleague) in enumerate(self.colleagues()):
            if n == self.choice:
                continue
            index, k = self._index_of(cfile, colleague)
            if index is None:
                continue
            count = index.open_count(k)
            if count:
                left.append(f"{colleague.name} in {count}" + ("" if index.finished else " so far"))
        if not left:
            return ""
        return f"; still open with {', '.join(left)} statement(s) — {SWITCH}"

    def _other_document(self, forward: bool) -> tuple[int, bool] | str | None:
        """The next (previous) aligned statement with an open item, after the current one and going round, and
        whether it is reached by going round the end (the start) of the statements; :data:`WAIT` when the
        background comparison has not reached where it would be yet; a message when it was stopped before."""
        chosen = self.colleague()
        session = self.session
        if chosen is None or session.document is None:
            return None
        cfile, colleague = chosen
        index, n = self._index_of(cfile, colleague)
        if index is None:
            return None

        def exact(doc_id: int) -> bool:
            is_open = bool(store.review_document(session.project, doc_id, cfile, colleague).open_items)
            index.settle(doc_id, n, is_open)
            return is_open

        found, doc_id, wrapped = index.step(session.document.id, forward, n, exact)
        if found == "found" and doc_id is not None:
            return doc_id, wrapped
        if found == "wait":
            return self._stopped_message(cfile, index) if index.stopped else WAIT
        return None
