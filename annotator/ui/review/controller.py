"""Review ▸ …: colleagues' files read-only beside my project, their disagreements settled by key (DESIGN.md §3).

:func:`install` adds the Review menu and the "Review" dock to the main window and returns the
:class:`ReviewController`. The review follows the document the window shows; each accept or reject is a command
on the session's undo stack (so Ctrl+Z / Ctrl+Shift+Z undo and redo it like any edit), which calls the store's
adjudication (``annotator.store.review``) and then refreshes the window. A colleague's project is read one
statement at a time from its read-only connection (an export is held in memory): the review never writes it.

Opening a file shows its review of the statement at once; an :class:`IndexJob` then compares every statement
in the background, from the one shown onwards (``store/review_index.py``), with its progress and a Cancel in the
dock. J / K use what it found; when the next open disagreement lies where it has not been yet, J says so in the
status bar and goes on by itself as soon as it is found (pressing J or K again, or going to another statement,
drops that wish). Closing the review stops the walk and gives the file's connection and memory back.

Keys (listed in Help ▸ Review Keys and F1), active while the keyboard is in the statement or the review dock:
``A`` accept theirs, ``R`` reject theirs / keep mine -- each settles the selected item and stays on it; ``J`` or
``F8`` the next open disagreement after the selected one, ``K`` or ``Shift+F8`` the previous one (on to the next or
previous statement that has any; going round the end says so in the status bar); ``Ctrl+Shift+O`` opens a
colleague file (a doccano file whose offsets read as plausibly in two countings is asked about first, as File ▸
Import asks, and compared as counted the way chosen; Cancel there opens nothing).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget

from annotator import inuse
from annotator.core import review as core
from annotator.core.neutral import terminal_safe
from annotator.errors import Cancelled, about
from annotator.store import review as store
from annotator.store.review_index import ReviewIndex
from annotator.ui import filedialogs
from annotator.ui.dialogs import error
from annotator.ui.files import job as filejob
from annotator.ui.review import labels, status
from annotator.ui.review.commands import (
    BUTTONS,
    OPEN_FILTER,
    Adjudicate,
    build_actions,
    install_actions,
    set_enabled,
)
from annotator.ui.review.comparing import Comparing
from annotator.ui.review.notes import show_read_notes
from annotator.ui.review.panel import ACCEPTED, OPEN, REJECTED, ReviewPanel, Row, build_rows
from annotator.ui.review.reporting import Reporting
from annotator.ui.review.worker import IndexJob, ReportJob, choose_offsets, load_colleague_file
from annotator.ui.session import Session

if TYPE_CHECKING:
    from annotator.ui.review.report import ReportDialog


def install(window: Any) -> ReviewController:
    """Add the Review menu and dock to ``window`` (a MainWindow), after its ``__init__``; a second call returns
    the controller the first one installed."""
    existing = getattr(window, "_review_controller", None)
    if existing is None:
        existing = window._review_controller = ReviewController(window)
    return existing


#: Accept All Agreed on the window's thread in a project of at most this many statements (about a millisecond each);
#: in a larger one it runs in a thread, with a progress dialog and a Cancel (100 000 took minutes)
ACCEPT_ALL_IN_PLACE = 200
IDLE = "Open a colleague's project or export with Review ▸ Open Colleague File… (Ctrl+Shift+O)."


class ReviewController(Comparing, Reporting, QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.files: list[store.ColleagueFile] = []
        self.choice = 0  # index into self.colleagues()
        self.review: store.DocumentReview | None = None
        self.rows: list[Row] = []
        self.current_key: str | None = None
        #: the info line's part about the statement shown, as the last refresh found it (None: a message is shown)
        self._doc_info: str | None = None
        self.report_dialog: ReportDialog | None = None
        self.report_job: ReportJob | None = None
        self._session: Session | None = None
        self._doc_id: int | None = None
        self.indexes: dict[int, ReviewIndex] = {}  # by id() of the colleague file
        self.index_jobs: dict[int, IndexJob] = {}
        #: a J / K that waits for the background comparison: (forward, from doc id, colleague choice)
        self.pending: tuple[bool, int, int] | None = None

        self.messages = status.messages_of(window)
        self.say = self.messages.say
        self.actions = build_actions(self, window)
        self.panel = ReviewPanel([self.actions[k] for k in BUTTONS])
        self.dock = QDockWidget("Review", window)
        self.dock.setObjectName("review_dock")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        window.restoreDockWidget(self.dock)
        self.dock.hide()
        install_actions(window, self.actions, self.dock)
        self.panel.clear(IDLE)

        self.panel.rowSelected.connect(self.go_to)
        self.panel.cancelComparing.connect(self.cancel_comparing)
        self.panel.colleagueChosen.connect(self._colleague_chosen)
        window.view.spanSelected.connect(self._main_span_selected)
        window.undo_group.activeStackChanged.connect(lambda _stack: self._sync_session())
        self._sync_session()
        self._update_actions()

    # ------------------------------------------------------------------ the window's session
    @property
    def session(self) -> Session:
        self._sync_session()
        return self.window.session

    def _sync_session(self) -> None:
        """Follow a project switch (File ▸ Open): the review of the old project closes."""
        session = self.window.session
        if session is self._session:
            return
        if self._session is not None and self.files:
            self.close_review()
            self.say("Review closed: another project was opened", 6000)
        self._session = session
        session.documentOpened.connect(self._document_opened)
        for signal in (session.spansReset, session.spanAdded, session.spanRemoved):
            signal.connect(lambda *_: self.refresh())
        session.spanChanged.connect(lambda *_: self.refresh())
        session.labelsChanged.connect(self.refresh)

    def _document_opened(self, doc: Any) -> None:
        self.messages.document_shown(getattr(doc, "id", None))  # a line about the statement before goes
        self.refresh()

    # ------------------------------------------------------------------ colleague files
    def colleagues(self) -> list[tuple[store.ColleagueFile, store.Colleague]]:
        return [(f, c) for f in self.files for c in f.colleagues]

    def colleague(self) -> tuple[store.ColleagueFile, store.Colleague] | None:
        pairs = self.colleagues()
        return pairs[min(self.choice, len(pairs) - 1)] if pairs else None

    def open_colleague_file(self) -> None:
        paths = filedialogs.open_files(self.window, "Open colleague files (read-only)", OPEN_FILTER)
        if paths:
            self.open_paths(paths)
        self.window.focus_statement()

    def open_colleague_folder(self) -> None:
        path = filedialogs.existing_folder(self.window, "Open a colleague's brat folder (read-only)")
        if path:
            self.open_paths([path])
        self.window.focus_statement()

    def open_paths(self, paths: list[str | Path]) -> int:
        """Load each file read-only and show the review; the number opened (failures are shown, one by one)."""
        opened = 0
        for raw in paths:
            path = Path(raw)
            if inuse.open_project_of(path) is not None:  # by inode: a link or a -wal of it too; never read raw
                error(self.window, "Open colleague file", f"{path} is your own project (or one of its files), open "
                      "in this window; open a colleague's file.")
                continue
            if any(f.path.resolve() == path.resolve() for f in self.files):
                self.say(f"{path.name} is already open for review", 6000)
                continue
            try:  # a doubtful doccano file: how it counts its offsets, asked as File ▸ Import asks, before it is read
                answers, problem = choose_offsets(self.window, path)
            except Cancelled:
                self.say(f"Opening {path.name} was cancelled: nothing of it was opened",
                                                    6000)
                continue
            loaded = None
            if problem is None:
                loaded, problem = load_colleague_file(self.window, path, answers)
            if problem is not None:
                error(self.window, "Cannot open the colleague file", about(path, problem, ":\n"))
                continue
            if loaded is None:  # cancelled
                self.say(f"Opening {path.name} was cancelled", 6000)
                continue
            # show the newly opened colleague: in a copy of my project they worked on, the first who is not me (my
            # own spans in their file were chosen first, as if I were the colleague: a newcomer's finding)
            me = self.window.session.project.user
            others = [i for i, c in enumerate(loaded.colleagues) if c.name != me]
            self.choice = len(self.colleagues()) + (others[0] if others else 0)
            self.files.append(loaded)
            opened += 1
            show_read_notes(self.window, loaded)  # what its reader said (an unaligned file's line comes after)
            self._start_comparing(loaded)
            if self._small(loaded):
                self._wait_comparing(loaded)  # a fraction of a second: J and the counts are whole from the start
                if loaded not in self.files:  # found damaged meanwhile: closed, with a message
                    opened -= 1
                    continue
                self._warn_if_unaligned(loaded)  # at once when it is cheap; else when the comparison ends
        if opened:
            self._colleagues_changed()
            self.dock.show()
            self.dock.raise_()
        return opened

    def _warn_if_unaligned(self, loaded: store.ColleagueFile) -> None:
        """Documents align by their exact text only: say so when some (or all) of theirs do not."""
        alignment = loaded.align(self.session.project)
        if not alignment.pairs:
            message = (f"None of the {len(loaded.documents)} statement(s) in {loaded.name} has the exact text of one "
                       "of yours: nothing to compare")
        elif alignment.text_differs:
            message = (f"{len(alignment.text_differs)} statement(s) in {loaded.name} have one of your titles but a "
                       "different text: they are not compared")
            endings = labels.line_endings_only(self.session.project, alignment.text_differs)
            if endings:  # the cause said: a file saved on Windows drops its statements from the review
                message += (f"; {endings} of them differ from yours only in line endings (\\r\\n against \\n), "
                            "which move every offset: ask for the file as Annotator wrote it")
        else:  # every statement lines up: an earlier file's warning of this kind goes (not what its reading said)
            if self.window.statusBar().currentMessage() == getattr(self, "_unaligned", None):  # as shown
                self.window.statusBar().clearMessage()
            return
        self._unaligned = self.say(message, 30000)

    def close_review(self) -> None:
        for job in self.index_jobs.values():
            job.dispose()
        self.index_jobs = {}
        for index in self.indexes.values():
            index.release()
        self.indexes = {}
        self.pending = None
        if self.report_job is not None:
            self.report_job.wait()
        for cfile in self.files:
            cfile.close()
        self.files = []
        self.choice = 0
        self.review, self.rows, self.current_key, self._doc_info = None, [], None, None
        if self.report_dialog is not None:
            self.report_dialog.close()
            self.report_dialog = None
        self.panel.set_colleagues([], 0)
        self.panel.clear(IDLE)
        self.panel.show_comparing("", 0, 0)
        self.dock.setWindowTitle("Review")
        self.dock.hide()
        self._update_actions()

    def _colleagues_changed(self) -> None:
        self.panel.set_colleagues([f"{c.name} — {f.name}" for f, c in self.colleagues()], self.choice)
        self.refresh()

    def next_colleague(self) -> None:
        """Review ▸ Next Colleague: J and K walk the next colleague's disagreements (round to the first)."""
        pairs = self.colleagues()
        if len(pairs) < 2:
            self.say("Only one colleague is open: open another's file to switch (Ctrl+Shift+O)", 6000)
            return
        self.panel.colleague.setCurrentIndex((self.choice + 1) % len(pairs))  # emits colleagueChosen
        self.say(f"J and K now walk {pairs[self.choice][1].name}'s disagreements", 6000)

    def _colleague_chosen(self, index: int) -> None:
        self.choice = max(0, index)
        self.current_key = None
        self.pending = None
        self.refresh()

    # ------------------------------------------------------------------ what the dock shows
    def names(self) -> dict[str, str]:
        """Label names: mine, then the colleague's for labels my codebook lacks."""
        chosen = self.colleague()
        theirs = {lb.key: lb.name for lb in chosen[1].codebook} if chosen else {}
        return {**theirs, **{lb.key: lb.name for lb in self.session.labels}}

    def refresh(self) -> None:
        """Re-classify the current statement against the chosen colleague and show it."""
        chosen = self.colleague()
        session = self.session
        doc = session.document
        if chosen is None:
            return
        cfile, colleague = chosen
        self._show_progress()
        if self.pending is not None and (doc is None or doc.id != self.pending[1]):
            self.pending = None  # the reviewer went elsewhere: a waiting J no longer applies
            self.window.statusBar().clearMessage()
        self.dock.setWindowTitle(terminal_safe(f"Review — {colleague.name} ({cfile.name})"))
        if doc is not None:  # what the window shows now wins over what the background comparison found
            for other in self.indexes.values():
                other.stale(doc.id)
        if doc is None or doc.sha256 not in cfile.documents:
            self.review, self.rows, self.current_key, self._doc_info = None, [], None, None
            missing = "No statement is open." if doc is None else terminal_safe(
                f"“{doc.title}” is not in {cfile.name} (its text differs or it is missing): nothing to compare.")
            self.panel.clear(missing)
            self._update_actions()
            return
        if doc.id != self._doc_id:
            self._doc_id, self.current_key = doc.id, None
        review = store.review_document(session.project, doc.id, cfile, colleague)
        self.review = review
        index, n = self._index_of(cfile, colleague)
        if index is not None:
            index.settle(doc.id, n, bool(review.open_items))
        decided = store.decisions(session.project, doc.id)
        self.rows = build_rows(review, decided, session.project.spans(doc.id))
        if self.current_key is not None and self._row(self.current_key) is None:
            self.current_key = None
        names = self.names()
        self.panel.show_document(doc.text, review.items, names, colleague.name, review.rejected,
                                 [lb.color for lb in session.labels])
        self.panel.set_rows(doc.text, self.rows, self.current_key, names)
        self.panel.select_key(self.current_key)
        counts = Counter(r.status for r in self.rows)
        self._doc_info = (f"“{doc.title}”: {counts[OPEN]} open, {counts[REJECTED]} rejected, {counts[ACCEPTED]} "
                          f"accepted, {sum(1 for i in review.items if i.kind == core.AGREED)} agreed")
        self._show_info()
        self._update_actions()

    def _show_info(self) -> None:
        """The info line: the statement's counts as the last refresh found them, and how far the comparison with
        the chosen colleague's file got (alone when the comparison ends: nothing else changed)."""
        chosen = self.colleague()
        if chosen is None or self._doc_info is None:
            return
        cfile, colleague = chosen
        index, n = self._index_of(cfile, colleague)
        alignment = f"{cfile.count} statement(s) in {cfile.name}"
        if index is not None and index.finished:
            alignment += f"; {index.open_count(n)} of yours with open disagreements"
        elif index is not None:
            alignment += f"; {index.open_count(n)} with open disagreements so far"
        changed = index.unsettled(n) if index is not None else 0
        if changed:  # after Accept All Agreed: counted as compared before it, until J reaches them
            alignment += f" as compared ({changed} changed since, compared again as J reaches them)"
        self.panel.info.setText(terminal_safe(f"{self._doc_info}  ·  {alignment}"))

    def _row(self, key: str | None) -> Row | None:
        return next((r for r in self.rows if r.key == key), None)

    def _update_actions(self) -> None:
        reviewing = bool(self.files)
        row = self._row(self.current_key)
        for ident in ("review_close", "review_next", "review_prev", "review_next_colleague", "review_report",
                      "review_gold"):
            set_enabled(self.actions[ident], reviewing)
        set_enabled(self.actions["review_accept"], row is not None and row.status != ACCEPTED)
        set_enabled(self.actions["review_reject"], row is not None and row.status == OPEN)
        set_enabled(self.actions["review_accept_agreed"], len(self.colleagues()) >= 2)

    # ------------------------------------------------------------------ selecting and stepping
    def go_to(self, key: str | None) -> None:
        """Make ``key`` the current disagreement: select it in the table and in both statements."""
        self.current_key = key
        row = self._row(key)
        self.panel.select_key(key if row is not None else None)
        view = self.window.view
        if row is not None:
            mine = row.item.mine if row.item is not None else None
            if mine is None and row.status == ACCEPTED and row.theirs is not None:
                start = row.theirs[0]
                mine = next(
                    (s for s in self.session.index.starting_in(start, start + 1) if core.triple(s) == row.theirs), None
                )
            if mine is not None:
                view.set_selected_span(mine.id)
            else:
                view.set_selected_span(None)
                view.select_cp(row.start, row.end)
                view.scroll_to_cp(row.start)
        self._update_actions()

    def _main_span_selected(self, span_id: int | None) -> None:
        """A click on one of my spans in the statement selects its disagreement, if it has one."""
        if span_id is None or not self.rows:
            return
        row = next((r for r in self.rows if r.item is not None and r.item.mine is not None
                    and r.item.mine.id == span_id), None)
        if row is not None and row.key != self.current_key:
            self.current_key = row.key
            self.panel.select_key(row.key)
            self._update_actions()

    def next(self) -> None:
        self._step(True)

    def previous(self) -> None:
        self._step(False)

    # ------------------------------------------------------------------ adjudication
    def accept(self) -> None:
        self._decide(store.ACCEPT)

    def reject(self) -> None:
        self._decide(store.REJECT)

    def _decide(self, decision: str) -> None:
        row = self._row(self.current_key)
        chosen = self.colleague()
        session = self.session
        if row is None or chosen is None or session.document is None:
            self.say("Pick a disagreement first (J / K or the list)", 4000)
            return
        if row.item is None or (decision == store.REJECT and row.status == REJECTED):
            self.say(f"Already {row.status}; Ctrl+Z undoes it", 4000)
            return
        colleague = chosen[1]
        item, doc_id = row.item, session.document.id
        names = self.names()
        key = item.theirs.label if item.theirs else item.mine.label
        label = names.get(key, key)  # an export's label has no name of its own: "Accept ito's “”" named none
        label, who = terminal_safe(label), terminal_safe(colleague.name)  # also the Edit menu's Undo / Redo text
        if decision == store.ACCEPT and item.theirs is not None and not labels.may_add(self.window, item.theirs.label):
            return
        if decision == store.ACCEPT:
            text = f"Accept {who}'s “{label}”" if item.theirs else f"Drop my “{label}” as {who}"
            run = lambda project: store.accept(project, doc_id, item, colleague)  # noqa: E731
        else:
            text = f"Keep mine over {who}'s “{label}”" if item.theirs else f"Keep my “{label}”"
            run = lambda project: store.reject(project, doc_id, item, colleague)  # noqa: E731
        if not session.push(Adjudicate(self, session, text, doc_id, run, row.key)):
            self.refresh()  # the store refused (the span changed?): show what is there now

    def accept_all_agreed(self) -> None:
        session = self.session
        if len(self.colleagues()) < 2:
            self.say(
                "Accept all agreed takes what at least two colleagues agree on: open a second colleague's file", 6000)
            return
        files = list(self.files)
        many = "Accepting the spans two or more colleagues agree on…" \
            if session.project.progress()[1] > ACCEPT_ALL_IN_PLACE else None  # (a dialog would only flash by)
        command = Adjudicate(self, session, "Accept all agreed spans", None,
                             lambda project: store.accept_all_agreed(project, files, progress=filejob.step), None,
                             many=many)
        if session.push(command) and command.done is not None and command.done.empty:
            self.say(
                "Nothing to accept: no span two or more colleagues agree on is missing", 6000)

    def adjudicated(self, command: Adjudicate, undone: bool, redone: bool = False) -> None:
        """After a command ran (or was undone/redone): the window shows the project as it is now, and the status
        bar says what was done (a redo too: the "Undone: …" before it stood over the redone step, trial 12, F1)."""
        session, done = command.session, command.done
        if session is not self.window.session or done is None:
            return
        for index in self.indexes.values():  # looked at again when J reaches them
            index.stale_all(done.doc_ids)
        if done.new_labels:
            session.labels_set()  # re-reads the document as well
        else:
            session.reload_document()
        self.window.documents_changed(same_statements=True)
        if session.document is None:  # else the document read again has refreshed the review (its spansReset)
            self.refresh()
        if command.key is None:
            n = len(done.added)
            did = "Undid" if undone else "Redone: accepted" if redone else "Accepted"
            added = "" if undone else labels.added_note(done.new_labels)
            self.say(f"{did} {n} agreed span(s){added}" if n else "", 8000)
            return
        # A and R settle the selected item and the selection stays on it (now accepted or rejected); J and K move
        # on from there, so no open item is ever passed over (Help ▸ Review Keys says so)
        self.go_to(command.key if self._row(command.key) else None)
        doc_id = command.doc_id
        settled = not any(r.status == OPEN for r in self.rows)
        if undone:  # not the message of what was undone ("… is settled") standing over it
            self.say(f"Undone: {command.text()}", 6000, about=doc_id)
        elif redone:
            self.say(f"Redone: {command.text()}" + ("; every disagreement in this statement is settled" if settled
                                                    else ""), 6000, about=doc_id)
        elif settled:
            self.say("Every disagreement in this statement is settled; J goes on to the next statement", 6000,
                     about=doc_id)
