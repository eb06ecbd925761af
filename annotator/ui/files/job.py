"""Long work off the window's thread: File ▸ Import (:func:`run_import`); one change of many statements
(:func:`run_write`: deleting a label and its undo, labelling thousands of search hits, a vars file, Accept All
Agreed, a variable renamed or deleted, the search index rebuilt); long reading (:func:`run_read`: File ▸ Export, the
gold JSONL); File ▸ Restore from Backup calls :func:`run`. A thread with a connection of its own does it, while the
window keeps painting and a window-modal progress dialog says how far it is and cancels it.

An import of 100 000 statements (about 500 MB of JSON Lines) takes two minutes, an export of a million spans several
seconds. On the window's thread the window froze for all of it, the dialog unpainted and its Cancel unanswered
(issue #14: the window never freezes). The window's own connection is left idle meanwhile (the dialog is
window-modal: nothing in the window writes) and sees what the thread committed once it is done; SQLite keeps the
two connections apart.

:func:`run` returns when the work has ended, as the call on the window's thread did, so its callers (menu, drop,
tests) go on as before: with the work's result, or the exception that stopped it raised again here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QEventLoop, Qt, QThread, Signal
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QProgressDialog, QPushButton

from annotator import gcpause, pacing
from annotator.core.model import ImportReport
from annotator.errors import Cancelled
from annotator.formats.common import ExportOptions
from annotator.formats.counting import Doubt
from annotator.store import connection
from annotator.store.project import Project
from annotator.store.transfer import export_project, import_paths
from annotator.ui import background
from annotator.ui.files import offsets
from annotator.ui.opening import hold_window_paint, open_in_turns
from annotator.ui.text import plain

T = TypeVar("T")
U = TypeVar("U")

#: the progress dialog's own "show me after this long" (it is opened by :func:`run`, never by itself)
NEVER_BY_ITSELF_MS = 1 << 30


class Job(background.Thread):
    """What the work is given: :meth:`report` its progress, :attr:`cancelled` once the user cancels."""

    moved = Signal(int, int, str)  # value, maximum, what is being done ("": as before)

    def __init__(self, work: Callable[[Job], object]) -> None:
        super().__init__()
        self._work = work
        self.cancelled = False
        self.final = False  # past the point where a Cancel can still leave everything as it was
        self.result: object = None
        self.error: BaseException | None = None  # raised again on the window's thread

    def report(self, value: int, maximum: int, label: str = "") -> None:
        self.moved.emit(value, maximum, label)

    def finishing(self, label: str) -> None:
        """The work is done and kept (committed); what is left cannot be cancelled: the dialog's Cancel is greyed, so
        it never says "nothing is changed" of work that stays."""
        self.final = True
        self.moved.emit(0, 0, label)

    def work(self) -> None:
        try:
            # the window's thread gets the GIL and a core while the work runs Python, and the collector's full
            # passes set off by the work's objects do not walk the window's (annotator/pacing.py, gcpause.py)
            with pacing.paced(), gcpause.held():
                self.result = self._work(self)
        except BaseException as exc:  # a ProjectFileError (disk full, ...), a cancel, or a bug: the caller's
            self.error = exc


def step(done: int, total: int) -> None:
    """For a store function given a ``progress(done, total)``, run by :func:`run_write`: moves the dialog's bar, and
    stops the work (raises ``Cancelled``, which rolls its change back) once the user has cancelled. Called on any
    other thread (the work run directly, without a window), it does nothing."""
    current = QThread.currentThread()
    if isinstance(current, Job):
        if current.cancelled and not current.final:
            raise Cancelled("cancelled")
        current.report(done, total)


def run(parent: QMainWindow, title: str, label: str, work: Callable[[Job], T], cancelling: str = "Cancelling…",
        writes: bool | Callable[[T | None], bool] = True) -> T:
    """``work(job)`` in a thread, with a progress dialog over ``parent`` whose Cancel sets
    ``job.cancelled`` and shows ``cancelling``; returns its result or raises what it raised. The window's watch of
    changes made elsewhere (``ui/watch``) is paused meanwhile; ``writes``: the work's own commits are not taken for
    such changes after it (a function of its result when only some results come with commits)."""
    job = Job(work)
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setLabel(plain(QLabel(label)))  # it shows file names: never as rich text
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    # opened at once, in turns of the event loop (ui/opening.py), and the work started once the main window has
    # repainted, not shown by itself 0.4 s into the work: the dialog's show and the main window's repaint as it
    # lost the activation (40 ms of the window's thread, its Python paints waiting for the lock the work held)
    # stalled the window 60-90 ms at 100 000 statements
    dialog.setMinimumDuration(NEVER_BY_ITSELF_MS)

    def moved(value: int, maximum: int, text: str) -> None:
        button = dialog.findChild(QPushButton) if job.final else None
        if button is not None and button.isEnabled():
            # nothing can be cancelled any more: the button greyed (its Escape and the close box reach cancel(), which
            # does nothing now). Not taken away: the dialog laid out again and shrank, its repaints waiting for the
            # GIL the work's last Python held -- the worst stall of labelling 100 000 hits from the dock (issue #14)
            button.setEnabled(False)
        if job.cancelled:
            return
        dialog.setMaximum(maximum)
        dialog.setValue(value)
        if text:
            dialog.setLabelText(text)

    def cancel() -> None:
        if job.final:
            return
        job.cancelled = True
        dialog.setLabelText(cancelling)

    focused = QApplication.focusWidget()  # where the keyboard goes back to once the work is done
    active = QApplication.activeWindow() or parent  # the window, or a dialog of it the work was started from
    job.moved.connect(moved, Qt.ConnectionType.QueuedConnection)
    dialog.canceled.connect(cancel)
    loop = QEventLoop()
    job.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    outside = getattr(parent, "outside", None)  # the window's watch of changes made elsewhere
    if outside is not None:
        outside.pause()
    try:
        open_in_turns(parent, dialog, lambda: True, job.start)
        loop.exec()
        job.wait()
    finally:
        if outside is not None:
            outside.resume(ours=writes(job.result) if callable(writes) else writes)
    # the window repaints part by part as it takes the activation back, each part in a turn of its own: in one, with
    # the Documents list taking an import's new statements, it held the window 30-40 ms at 100 000 (issue #14)
    hold_window_paint(parent)
    dialog.close()
    dialog.deleteLater()
    if not shiboken6.isValid(active) or not active.isVisible():  # (closed or deleted meanwhile)
        active = parent
    active.activateWindow()  # as the dialog closes; without a window manager (and on some) it stays unactivated
    if focused is not None and shiboken6.isValid(focused) and focused.window() is active:
        focused.setFocus(Qt.FocusReason.OtherFocusReason)
    if job.error is not None:
        raise job.error
    return job.result  # type: ignore[return-value]


#: the progress bar's steps per imported file (a file read in batches moves the bar within its step)
STEPS = 1000


def run_import(parent: QMainWindow, project: Project, paths: list[str | Path]) -> ImportReport:
    """``paths`` into ``project`` through a connection of the import's own; a cancel leaves out the file being
    imported (whole) and those not reached.

    A doccano file whose offsets read as plausibly in another counting is asked about before anything is written
    (``ui/files/offsets.py``): the thread reads the files first and returns the doubts, the window asks, then the
    import runs with the counting chosen for each such file. A Cancel there, or of the reading, raises
    ``Cancelled``: nothing is imported."""
    if project.readonly:
        return import_paths(project, paths)  # refused at once, with the usual message
    path, user = project.path, project.user

    def importing(answers: dict[Path, str] | None) -> Callable[[Job], ImportReport | list[tuple[Path, Doubt]]]:
        def work(job: Job) -> ImportReport | list[tuple[Path, Doubt]]:
            if answers is None:
                doubts = offsets.find(paths, job)
                if doubts:
                    return doubts  # asked on the window's thread, then imported with the answers
                if job.cancelled:  # pressed as the last file was read: nothing written
                    raise Cancelled("cancelled: nothing was imported")
            at = [0, 1]  # files done, files

            def progress(done: int, total: int, name: str) -> None:
                at[:] = [done, max(1, total)]
                job.report(done * STEPS, at[1] * STEPS, f"Importing {name}…" if name else "Finishing…")

            def within(read: int, size: int) -> None:
                job.report(at[0] * STEPS + (STEPS * read // size if size else 0), at[1] * STEPS)

            writer = _writer(path, user)
            try:
                return import_paths(writer, paths, progress, lambda: job.cancelled, offsets=answers, within=within,
                                    in_window=True)
            finally:
                writer.close()

        return work

    cancelling = "Cancelling: the file being imported is left out…"
    # reading for doubts writes nothing: a change made elsewhere meanwhile is still the window's to take
    done = run(parent, "Import", "Importing…", importing(None), cancelling,
               writes=lambda result: not isinstance(result, list))
    if isinstance(done, ImportReport):
        return done
    answers = offsets.ask(parent, done)  # raises Cancelled: nothing written
    report = run(parent, "Import", "Importing…", importing(answers), cancelling)
    assert isinstance(report, ImportReport)
    return report


def run_write(parent: QMainWindow, project: Project, title: str, label: str, work: Callable[[Project], T],
              then: Callable[[Project, T], U] | None = None, finishing: str = "") -> T | U:
    """``work(writer)``: one change of the whole project (a label's spans: a third of a 100 000-statement corpus's
    million took 7-15 s), through a connection of its own onto the window's files. Its Cancel interrupts the
    change, rolled back whole, and raises ``Cancelled``. ``then(writer, result)``, when given, reads what the
    window needs of the change once it is committed (shown as ``finishing``, its Cancel greyed) and its
    result is returned instead."""
    if project.readonly:
        return work(project)  # refused at once, with the usual message
    path, user = project.path, project.user

    def change(job: Job) -> T | U:
        if job.cancelled:  # before it began
            raise Cancelled("cancelled")
        writer = _writer(path, user)
        try:
            # no cycle-collector pass while the work runs (process-wide; what it made is given back as the job ends,
            # ``Job.run``'s hold): the objects such work keeps (100 000 labelled hits' spans, Accept All Agreed's
            # copies and decisions) set off full passes over them all, each one long C call holding the interpreter's
            # lock: at 100 000 statements the window's thread could not run for 124 ms while the dock's hits were
            # labelled, 229 ms during Accept All Agreed (traced: ``gc_collect_main`` in the job's thread)
            with gcpause.collector_off():
                with connection.bounded(writer.conn, None, path, lambda: job.cancelled):
                    done = work(writer)
                job.final = True  # committed: a Cancel now could only say "nothing is changed" of work that stays
                if then is None:
                    return done
                job.finishing(finishing)
                return then(writer, done)
        finally:
            writer.close()

    return run(parent, title, label, change, "Cancelling: nothing is changed…")


def _writer(path: Path, user: str) -> Project:
    """The window's project through a second connection (``connection.beside_window``), for this thread."""
    return Project(connection.beside_window(path, write=True), path, False, user, None)


def run_read(parent: QMainWindow, project: Project, title: str, label: str,
             work: Callable[[Project, Callable[[int], None]], T], status: str | None = None) -> T:
    """``work(reader, step)``: long reading of the whole project (an export, the gold JSONL), through a read-only
    connection of its own (one committed state). ``step(n)``, told after each statement (of ``status``) read, moves
    the bar and raises ``Cancelled`` once the user cancels. A read-only window's reader reads the very bytes the
    window shows (``Project.reader_beside``: its private copy, or the file as it opened it)."""

    def go(job: Job) -> T:
        reader = project.reader_beside() if project.readonly else Project(
            connection.beside_window(project.path, write=False), project.path, True, project.user, None,
            trusted_read=True)
        try:
            total = max(1, len(reader.documents(status)))  # ids only: 24 ms at 100 000
            every = max(1, total // 200)

            def step(n: int) -> None:
                if job.cancelled:
                    raise Cancelled
                if n % every == 0:
                    job.report(n, total)

            with gcpause.collector_off():  # as :func:`run_write`'s work
                return work(reader, step)
        finally:
            reader.close()

    return run(parent, title, label, go, writes=False)


def run_export(parent: QMainWindow, project: Project, fmt: str, target: Path, status: str | None,
               options: ExportOptions) -> int:
    """The export in a thread (:func:`run_read`); a cancel writes nothing."""
    return run_read(parent, project, "Export", f"Exporting to {target.name}…",
                    lambda reader, step: export_project(reader, fmt, target, status, options, step), status)
