"""The File and codebook commands: new, open, recent, import (menu and drop), export, codebook files.

Imports and exports run in a thread with a cancellable progress dialog (``ui/files/job.py``), the window painting
meanwhile; an import ends with a summary of what was imported, skipped and rejected, and why. Every failure is
shown to the user; nothing is swallowed.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from annotator import formats
from annotator.core import codebook
from annotator.core import variables as cv
from annotator.errors import AnnotatorError, Cancelled
from annotator.formats.common import ExportOptions, read_bytes
from annotator.store import variables as sv
from annotator.ui import commands, filedialogs
from annotator.ui.codebook.dialog import CodebookDialog
from annotator.ui.dialogs import FORMAT_NAMES, ExportDialog, error, show_import_report
from annotator.ui.files import job

IMPORT_FILTER = (
    "Statements and annotations (*.txt *.md *.html *.htm *.pdf *.docx *.jsonl *.ndjson *.json *.ann *.csv *.conll"
    " *.iob *.bio *.spacy);;All files (*)"
)
PROJECT_FILTER = f"Annotator projects ({filedialogs.PROJECT_PATTERNS});;All files (*)"


def _drop_if_empty(stack) -> None:  # type: ignore[no-untyped-def]
    """Take the macro just ended off the stack when none of its changes happened (the first was refused or
    cancelled): Edit ▸ Undo must not offer a step that changes nothing."""
    if stack.count() and stack.index() == stack.count():
        top = stack.command(stack.count() - 1)
        if top.childCount() == 0:
            top.setObsolete(True)
            stack.undo()  # an obsolete command is deleted from the stack when undone


#: the export formats that need spaCy (an optional dependency), by their name in the Export dialog
NEEDS_SPACY = {"spacy": "spaCy DocBin", "prodigy": "Prodigy JSONL with tokens"}


def spacy_missing(fmt: str) -> str:
    """What to do when export format ``fmt`` needs spaCy and it is not installed: another place would fail the
    same way (the dialog said "Choose another place, or cancel")."""
    others = ", ".join(FORMAT_NAMES[f].split(" — ")[0].split(" (")[0] for f in formats.EXPORT_FORMATS
                       if f not in NEEDS_SPACY and f in FORMAT_NAMES)
    return (f"The {NEEDS_SPACY[fmt]} format needs spaCy, which is not installed in the Python that runs "
            f"Annotator.\n\nInstall it, then export again:\n    pip install spacy\n(that is, {sys.executable} -m pip "
            f"install spacy, or pip install 'annotator[spacy]').\n\nThe other formats work without it: {others}.")


def _spacy_imports() -> bool:
    """Whether spaCy imports (at once when the export's thread imported it already)."""
    try:
        import spacy  # noqa: F401
    except ImportError:
        return False
    return True


class Files:
    def __init__(self, window) -> None:  # type: ignore[no-untyped-def]
        self.window = window
        self.export_notes: QMessageBox | None = None  # what the last export could not hold as is

    @property
    def session(self):  # type: ignore[no-untyped-def]
        return self.window.session

    # ------------------------------------------------------------------ projects
    def new_project(self) -> None:
        path = filedialogs.save_file(self.window, "New project", "", PROJECT_FILTER)
        if not path:
            return
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(".sqlite")
        if target.exists():
            error(self.window, "New project", f"{target} already exists; open it with File ▸ Open instead.")
            return
        self.window.open_project(target, create=True)

    def open_project(self) -> None:
        path = filedialogs.open_file(self.window, "Open project", PROJECT_FILTER)
        if path:
            self.window.open_project(Path(path))

    # ------------------------------------------------------------------ import
    def import_files(self) -> None:
        paths = filedialogs.open_files(self.window, "Import files", IMPORT_FILTER)
        if paths:
            self.import_paths(paths)

    def import_folder(self) -> None:
        path = filedialogs.existing_folder(self.window, "Import folder")
        if path:
            self.import_paths([path])

    def import_paths(self, paths: Iterable[str | Path]) -> None:
        """Import in a thread, with a window-modal progress dialog (``ui/files/job.py``); returns when it is done."""
        try:
            report = job.run_import(self.window, self.session.project, list(paths))
        except Cancelled:  # before anything was written: while the files were read, or at the question on offsets
            self.window.statusBar().showMessage("Import cancelled: nothing was imported", 8000)
            return
        except AnnotatorError as exc:
            error(self.window, "Import failed", str(exc))
            self.window.documents_changed(statements_added=True)  # the files imported before the failing one
            self.session.reload_document()  # they may have added spans to the statement shown
            self.session.documentsChanged.emit()
            return
        if report.new_labels:
            self.session.labels_set()
        if report.duplicates:  # spans, notes or values added to statements already in the project: perhaps the one
            self.session.reload_document()  # shown (its panels, label counts and view showed the old until reopened)
            self.window.properties.changed_elsewhere()  # a date, issuer, memo or variable filled (trial 13, F10)
        self.window.documents_changed(statements_added=True)
        self.session.documentsChanged.emit()  # the suggestions learn from them and suggest for them
        if self.session.document is None and report.imported:  # a project that was empty: its first statement
            self.window.open_first_unfinished()
        show_import_report(self.window, report)

    # ------------------------------------------------------------------ export
    def export(self) -> None:
        """File ▸ Export: until it succeeds or is cancelled, the same dialog comes back with the user's choices
        (after a refused overwrite or a failed write, nothing typed is lost)."""
        dialog = ExportDialog(self.window, self.session.project.path)
        while dialog.exec() == ExportDialog.DialogCode.Accepted:
            fmt, status, target = dialog.values()
            if target.exists() and fmt != "brat" and not self._confirm_overwrite(target):
                continue
            if fmt in NEEDS_SPACY and importlib.util.find_spec("spacy") is None:  # before any progress dialog
                error(self.window, "Export needs spaCy", spacy_missing(fmt))
                continue
            options = ExportOptions(offsets=dialog.offset_unit())
            try:
                n = job.run_export(self.window, self.session.project, fmt, target, status, options)
            except Cancelled:
                self.window.statusBar().showMessage(f"Export cancelled: {target} was not written", 8000)
                return
            except AnnotatorError as exc:
                if fmt in NEEDS_SPACY and not _spacy_imports():  # installed, but it does not import
                    error(self.window, "Export needs spaCy", spacy_missing(fmt))
                else:
                    error(self.window, "Export failed", f"{exc}\n\nChoose another place, or cancel.")
                continue
            self.window.statusBar().showMessage(f"Exported {n} record(s) to {target}", 8000)
            filedialogs.remember(target, saving=True)  # the next export starts there, typed or browsed
            if options.notes:  # what the format could not hold as is, or warns of: said, not hidden
                self.export_notes = QMessageBox(
                    QMessageBox.Icon.Information, "Export",
                    f"Exported {n} record(s) to {target}.\n\n" + "\n".join(options.notes),
                    QMessageBox.StandardButton.Ok, self.window,
                )
                self.export_notes.setTextFormat(Qt.TextFormat.PlainText)
                self.export_notes.open()  # window-modal, not blocking: the export is done
            return

    def _confirm_overwrite(self, target: Path) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "Export", f"{target.name} exists. Replace it?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)  # a file name is never rich text
        return box.exec() == QMessageBox.StandardButton.Yes

    # ------------------------------------------------------------------ codebook
    def edit_codebook(self) -> None:
        session = self.session
        from annotator.store import suggest as cue_store  # each label's cue patterns are edited there too

        dialog = CodebookDialog(self.window, session.labels, session.project.label_counts(),
                                cue_store.cues(session.project))
        accepted = dialog.exec() == CodebookDialog.DialogCode.Accepted
        if accepted:
            self.apply_codebook(dialog.labels(), dialog.deletions, dialog.cues())
        self.window.focus_statement()

    def apply_codebook(self, labels, deletions: dict[str, str | None] | None = None,  # type: ignore[no-untyped-def]
                       cues: dict | None = None) -> None:
        session = self.session
        stack = session.undo_stack
        staged, failed, steps = False, False, stack.index()
        stack.beginMacro("Edit codebook")
        try:
            before = session.project.labels()
            if any(to is not None and to not in {lb.key for lb in before} for to in (deletions or {}).values()):
                # spans move to a label added in the same dialog: it exists first (the labels deleted kept
                # without a shortcut meanwhile, which the new codebook may give to another label)
                staged = True
                if not session.push(commands.SetCodebook(session, labels + [
                        replace(lb, shortcut="") for lb in before if lb.key in (deletions or {})])):
                    return
            failed = True
            for key, relabel_to in (deletions or {}).items():
                if not session.push(commands.DeleteLabel(session, key, relabel_to)):
                    return
            if labels != session.project.labels() and not session.push(commands.SetCodebook(session, labels)):
                return
            failed = False
            if cues is not None:  # after the labels: a label's cues are stored under its key as it now is
                self.window.suggestions.set_cues(cues)
        finally:
            stack.endMacro()
            if staged and failed:  # not left halfway, the new label there and the deleted one without its key
                self._take_back(stack, steps)
            else:
                _drop_if_empty(stack)

    def export_codebook(self) -> None:
        path = filedialogs.save_file(self.window, "Export codebook", self.session.project.path.stem + ".codebook.json",
                                     "Codebook (*.json)")
        if not path:
            return
        from annotator.formats.common import output_file

        try:
            with output_file(path) as out:
                from annotator.store import suggest as cue_store  # each label's cue patterns travel too

                out.write(codebook.codebook_to_json(self.session.labels, sv.definitions(self.session.project),
                                                    cue_store.cues(self.session.project)))
        except AnnotatorError as exc:
            error(self.window, "Export codebook", str(exc))
            return
        self.window.statusBar().showMessage(f"Codebook saved to {path}", 6000)

    def import_codebook(self) -> None:
        """Labels ▸ Import Codebook…: the file read, what it would change shown (``ui/codebook/preview.py``), and on
        OK applied as one undoable step; Cancel, or a file the codebook matches already, changes nothing."""
        from annotator.core.codebook_merge import plan_import
        from annotator.store import suggest as cue_store
        from annotator.ui.codebook import preview as codebook_import

        path = filedialogs.open_file(self.window, "Import codebook", "Codebook (*.json)")
        if not path:
            return
        try:
            data = read_bytes(Path(path), codebook.MAX_CODEBOOK_BYTES)
            labels = codebook.codebook_from_json(data)
            shared = cv.from_codebook_json(data)
            shared_cues = codebook.cues_from_json(data)
        except ValueError as exc:
            error(self.window, "Import codebook", f"the codebook's variables are invalid: {exc}")
            return
        except (AnnotatorError, OSError) as exc:
            error(self.window, "Import codebook", str(exc))
            return
        project, name = self.session.project, Path(path).name
        current, counts = project.labels(), project.label_counts()
        cues, variables = cue_store.cues(project), sv.definitions(project)

        def plan(remove_unused: bool):  # type: ignore[no-untyped-def]
            return plan_import(current, counts, labels, cues, shared_cues, variables, shared, remove_unused)

        first = plan(False)
        if not first.changes_anything() and not first.can_remove:
            codebook_import.inform(self.window, codebook_import.TITLE,
                                   f"The codebook in “{name}” is this project's already: nothing was changed.")
            return
        preview = codebook_import.ImportPreview(self.window, name, plan)
        accepted = preview.exec() == preview.DialogCode.Accepted
        self.window.focus_statement()  # the keys back in the statement: Ctrl+Z, or labelling on
        if not accepted:
            self.window.statusBar().showMessage("Codebook import cancelled: nothing was changed", 8000)
            return
        chosen = preview.plan
        if not chosen.changes_anything():
            self.window.statusBar().showMessage(f"Imported the codebook of {name}: nothing changed", 8000)
        elif self._apply_import(chosen, name):
            self.window.statusBar().showMessage(
                f"Imported the codebook of {name}: {chosen.summary()} (Edit ▸ Undo undoes it)", 12000)

    def _apply_import(self, plan, name: str) -> bool:  # type: ignore[no-untyped-def]
        """The labels, cue patterns and variables of ``plan`` (``core.codebook_merge.ImportPlan``) as one step of
        the undo stack; when one of them is refused, those done before it are undone, and False."""
        from annotator.ui.suggest.commands import SetCues

        session = self.session
        stack = session.undo_stack
        done, steps = False, stack.index()
        stack.beginMacro(f"Import codebook “{name}”")
        try:
            if plan.labels != session.project.labels() and not session.push(commands.SetCodebook(session,
                                                                                                 plan.labels)):
                return False
            if plan.cues and not session.push(SetCues(self.window.suggestions, session, plan.cues)):
                return False
            done = self._add_shared_variables(plan.variables)
            return done
        finally:
            stack.endMacro()
            if not done:
                self._take_back(stack, steps)
            else:
                _drop_if_empty(stack)

    @staticmethod
    def _take_back(stack, steps: int) -> None:  # type: ignore[no-untyped-def]
        """The macro just ended (above ``steps`` commands), part of which was refused: what it did undone, and the
        macro off the stack (Edit ▸ Redo must not offer half of it)."""
        if stack.index() == steps + 1 and stack.count() == steps + 1:
            stack.undo()  # undone first: an obsolete command is dropped without being undone
            stack.command(steps).setObsolete(True)
            stack.redo()  # an obsolete command is deleted, not redone

    def _add_shared_variables(self, shared: list) -> bool:  # type: ignore[type-arg]
        """The codebook's document variables the project lacks are added (a step each, in the import's macro);
        none is removed or retyped, so no value is lost. False when one was refused."""
        from annotator.ui.properties.commands import AddVariable

        have = {v.name.lower() for v in sv.definitions(self.session.project)}
        for variable in shared:
            if variable.name.lower() not in have and not self.session.push(AddVariable(self.window.properties,
                                                                                       variable)):
                return False
        return True


def drop_paths(urls) -> list[Path]:  # type: ignore[no-untyped-def]
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
