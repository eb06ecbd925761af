"""The Review dock's background comparison of a colleague file with my statements (``store/review_index.py``):
started when a file is opened, from the statement shown; its progress and Cancel in the dock; J / K waiting for
it where it has not been yet; a file it finds damaged closed with a message. Mixed into the ReviewController."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop

from annotator.errors import AnnotatorError
from annotator.store import review as store
from annotator.store.review_index import ReviewIndex
from annotator.ui.dialogs import error
from annotator.ui.review.worker import IndexJob

#: files and projects up to this many statements are compared whole (and checked for alignment) when opened
SMALL = 500
#: what _other_document says when the background comparison has not reached the next statement yet
WAIT = "wait"


class Comparing:
    """The background comparison's part of the ReviewController (its attributes are set there)."""

    window: Any
    files: list[store.ColleagueFile]
    indexes: dict[int, ReviewIndex]
    index_jobs: dict[int, IndexJob]
    pending: tuple[bool, int, int] | None
    choice: int
    report_job: Any
    panel: Any
    session: Any
    # the controller's own, used here
    _step: Callable[..., None]
    refresh: Callable[[], None]
    close_review: Callable[[], None]
    colleague: Callable[[], tuple[store.ColleagueFile, store.Colleague] | None]
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
            self.window.statusBar().showMessage(f"Cannot compare {loaded.name} in the background: {exc}", 10000)
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
                self.window.statusBar().showMessage(
                    f"None of the {cfile.count} statement(s) in {cfile.name} has the exact text of one of yours: "
                    "nothing to compare", 15000)
            if self.pending is not None and index is not None and index.stopped:
                self.pending = None
                self.window.statusBar().showMessage(self._stopped_message(cfile, index), 8000)
            self._show_progress()
            self.refresh()
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
