"""Review ▸ Agreement Report, Export Gold JSONL and Review Keys: the report computed in the background and shown when
ready, the gold file written, the keys listed. Mixed into the ReviewController."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core import review as core
from annotator.errors import AnnotatorError
from annotator.store import review as store
from annotator.ui.dialogs import ShortcutsDialog, error
from annotator.ui.opening import open_in_turns
from annotator.ui.review.commands import key_rows
from annotator.ui.review.worker import ReportJob

if TYPE_CHECKING:
    from annotator.ui.review.report import ReportDialog


class Reporting:
    """The report's, gold's and keys' part of the ReviewController (its attributes are set there)."""

    window: Any
    session: Any
    files: list[store.ColleagueFile]
    report_job: ReportJob | None
    report_dialog: ReportDialog | None
    colleague: Callable[[], tuple[store.ColleagueFile, store.Colleague] | None]
    say: Callable[..., str]

    def show_report(self) -> None:
        """Compute the report in the background (progress, cancel); the dialog opens when it is ready."""
        chosen = self.colleague()
        if chosen is None:
            return
        if self.report_job is not None:
            self.report_job.wait()
        try:
            job = ReportJob(self.window, self.session.project, *chosen)
        except AnnotatorError as exc:
            error(self.window, "Agreement report", str(exc))
            return
        self.report_job = job
        job.done.connect(self._report_ready)
        job.failed.connect(lambda message: error(self.window, "Agreement report", message))
        job.ended.connect(lambda: self._report_ended(job))
        job.start()

    def _report_ended(self, job: ReportJob) -> None:
        if self.report_job is job:
            self.report_job = None
            if job.worker.cancelled:
                self.say("Agreement report cancelled", 4000)
        job.deleteLater()

    def _report_ready(self, report: core.Report) -> None:
        if self.report_dialog is not None:
            self.report_dialog.close()
        from annotator.ui.review.report import ReportDialog  # loaded by the report's thread, not at start

        dialog = self.report_dialog = ReportDialog(self.window, report)
        dialog.finished.connect(lambda _r: self.window.focus_statement())
        # made, readied, shown and activated in turns of the event loop of their own: in one, it held the window
        # 15-34 ms (issue #14)
        open_in_turns(self.window, dialog, lambda: self.report_dialog is dialog)

    def export_gold(self) -> Path | None:
        from annotator.ui.review.report import export_gold

        path = export_gold(self.window, self.session.project, self.files)
        self.window.focus_statement()
        return path

    def show_keys(self) -> None:
        dialog = ShortcutsDialog(self.window, [*key_rows(), ("Ctrl+Z, Ctrl+Shift+Z", "Undo, redo an accept or reject")])
        dialog.setWindowTitle("Review keys")
        dialog.exec()
        self.window.focus_statement()
