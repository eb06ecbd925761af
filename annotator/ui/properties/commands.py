"""Undoable changes of document variables: each is one saved transaction (``store/variables.py``) and one step of
the window's undo stack, like every other change (``ui/commands.py``). Renaming and deleting one change every
statement's values (0.4-0.5 s at 100 000 statements): a thread does them, their undo and redo, with a progress
dialog and a Cancel (``many_statements``)."""

from __future__ import annotations

from typing import Any

from annotator.core import variables as cv
from annotator.core.variables import Variable
from annotator.errors import AnnotatorError
from annotator.store import variables as sv
from annotator.store import varsfile
from annotator.ui.commands import _Command, many_statements

#: the progress dialog's title
TITLE = "Document variables"


def field_name(name: str) -> str:
    return "Title" if name == "title" else cv.FIXED_NAMES.get(name, name)


class SetValue(_Command):
    """Set one variable of one statement; undo puts the value before back."""

    def __init__(self, controller: Any, doc_id: int, name: str, before: Any, after: Any) -> None:
        shown = cv.display("bool", after) if isinstance(after, bool) else str(after or "")
        shown = " ".join(shown.split())  # one line: Qt's undo text is what follows a line break (a memo's "…")
        shown = shown if len(shown) <= 30 else shown[:29] + "…"
        text = f"Set {field_name(name)} to “{shown}”" if shown else f"Clear {field_name(name)}"
        super().__init__(controller.session, text, doc_id)
        self.controller = controller
        self.name, self.before, self.after = name, before, after
        self._first = True

    def redo(self) -> None:
        """The first time, save where the edit was made without bringing its statement back: a field left by
        opening another statement is saved for its own statement while the window goes on to the other one.
        Undo and redo later bring the statement into view, as every change does."""
        if not self._first:
            super().redo()
            return
        self._first = False
        try:
            self._write(self.after, sv.ANY, False)
        except AnnotatorError as exc:  # as _Command._run: said once, and no undo step for what was not saved
            self.failure = str(exc)
            self.setObsolete(True)
            self.session.report(exc)
        else:
            self._made = True

    def do(self) -> None:
        """Done again: only over the value its undo left (trial 11, D2)."""
        self._write(self.after, self.before, False)

    def undo_step(self) -> None:
        """The value before, only over the value this change left: never over one another writer (``annotator
        vars`` beside the window) set since (trial 11, D2)."""
        self._write(self.before, self.after, True)

    def _write(self, value: Any, expect: Any, undoing: bool) -> None:
        sv.set_value(self.session.project, self.doc_id, self.name, value, expect, undoing)  # type: ignore[arg-type]
        self.controller.values_changed(self.doc_id)


class AddVariable(_Command):
    def __init__(self, controller: Any, variable: Variable) -> None:
        super().__init__(controller.session, f"Add variable “{variable.name}”", None)
        self.controller = controller
        self.variable = variable

    def do(self) -> None:
        sv.add_variable(self.session.project, self.variable)
        self.controller.definitions_changed()

    def undo_step(self) -> None:
        """The variable taken away, only while no statement has a value of it (one set since by another writer
        would be lost for good: trial 11, D2)."""
        sv.delete_variable(self.session.project, self.variable.name, empty=True)
        self.controller.definitions_changed()


class RenameVariable(_Command):
    def __init__(self, controller: Any, old: str, new: str) -> None:
        super().__init__(controller.session, f"Rename variable “{old}” to “{new}”", None)
        self.controller = controller
        self.old, self.new = old, new

    def do(self) -> None:
        old, new = self.old, self.new
        many_statements(self.session, f"Renaming the variable “{old}”…",
                        lambda project: sv.rename_variable(project, old, new), TITLE)
        self.controller.definitions_changed()

    def undo_step(self) -> None:
        old, new = self.old, self.new
        many_statements(self.session, f"Renaming the variable “{new}” back…",
                        lambda project: sv.rename_variable(project, new, old), TITLE)
        self.controller.definitions_changed()


class DeleteVariable(_Command):
    """Delete a variable and its values; undo brings both back where they were."""

    def __init__(self, controller: Any, name: str) -> None:
        super().__init__(controller.session, f"Delete variable “{name}”", None)
        self.controller = controller
        self.name = name
        self.saved: tuple[Variable, int, dict[int, Any]] | None = None

    def do(self) -> None:
        name = self.name
        self.saved = many_statements(self.session, f"Deleting the variable “{name}”…",
                                     lambda project: sv.delete_variable(project, name), TITLE)
        self.controller.definitions_changed()

    def undo_step(self) -> None:
        assert self.saved is not None
        saved = self.saved
        many_statements(self.session, f"Putting the variable “{self.name}” back…",
                        lambda project: sv.restore_variable(project, *saved), TITLE)
        self.controller.definitions_changed()


class ReorderVariables(_Command):
    def __init__(self, controller: Any, before: list[str], after: list[str]) -> None:
        super().__init__(controller.session, "Reorder variables", None)
        self.controller = controller
        self.before, self.after = before, after

    def do(self) -> None:
        sv.reorder_variables(self.session.project, self._with_new(self.after))
        self.controller.definitions_changed()

    def undo_step(self) -> None:
        sv.reorder_variables(self.session.project, self._with_new(self.before))
        self.controller.definitions_changed()

    def _with_new(self, order: list[str]) -> list[str]:
        """``order`` with the variables another writer added since (``annotator vars``) after it, where they are
        now, and those gone since left out: the undo is never refused for them."""
        now = [v.name for v in sv.definitions(self.session.project)]
        return [n for n in order if n in now] + [n for n in now if n not in order]


class SetFromFile(_Command):
    """A vars file (File ▸ Set Document Variables…) as one step: pushed once it is applied (in a thread, its bad
    rows said, its summary shown: ``PropertiesController.apply_file``), so its first redo does nothing; undo puts
    back every value it set or cleared and every title it changed, and takes away the variables it added; redo sets
    them again. Both in a thread with a progress dialog, like renaming a variable."""

    def __init__(self, controller: Any, name: str, report: Any) -> None:
        super().__init__(controller.session, f"Set Document Variables from “{name}”", None)
        self.controller = controller
        self.report = report
        self._first = True

    def redo(self) -> None:
        if self._first:  # applied already
            self._first = False
            self._made = True
            return
        super().redo()

    def do(self) -> None:
        report = self.report
        many_statements(self.session, "Setting the document variables again…",
                        lambda project: varsfile.redo(project, report), TITLE)
        self.controller.file_applied(report)

    def undo_step(self) -> None:
        report = self.report
        many_statements(self.session, "Putting the document variables back…",
                        lambda project: varsfile.undo(project, report), TITLE)
        self.controller.file_applied(report)
