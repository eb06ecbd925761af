"""The statement's title in Document Properties (trial 10, D7: statements imported under their file names,
``13_uk_fcdo``, could not be given their real titles): checked as ``core/titles.py`` says, saved as one undoable
change ("Set Title to “…”"), and shown at once wherever the title is (``ui/documents``)."""

from __future__ import annotations

from typing import Any

from annotator.errors import AnnotatorError
from annotator.store import statements
from annotator.store import variables as sv
from annotator.ui.properties.commands import SetValue


class SetTitle(SetValue):
    """Give one statement a new title; undo puts the title before back."""

    def _write(self, title: Any, expect: Any, undoing: bool) -> None:
        """The title, over ``expect`` only in an undo or redo (not over another writer's title: trial 11, D2)."""
        from annotator.ui.documents import title_changed

        statements.set_title(self.session.project, self.doc_id, title,  # type: ignore[arg-type]
                             None if expect is sv.ANY else expect, undoing)
        title_changed(self.controller.window, self.doc_id)  # type: ignore[arg-type]


def edit(controller: Any, doc_id: int, raw: Any) -> None:
    """What was typed in the Title field of statement ``doc_id``: saved, or refused with the reason below the
    fields (an empty title shows the saved one again; another one stays as typed, marked, to be corrected)."""
    panel = controller.panel
    try:
        title = statements.check_title(raw)
    except AnnotatorError as exc:
        if isinstance(raw, str) and raw.strip():
            panel.mark("title", str(exc))
        else:
            panel.refuse("title", str(exc))
        return
    if doc_id == panel.doc_id:
        panel.unmark("title")
    try:
        before = statements.title_of(controller.session.project, doc_id)
    except AnnotatorError:  # the statement is gone (deleted, or another project opened)
        return
    if title == before:
        if doc_id == panel.doc_id:
            panel.settle("title")  # typed with spaces around it: the saved title
        return
    command = SetTitle(controller, doc_id, "title", before, title)
    if not controller.session.push(command):
        panel.refuse("title", command.failure or "")
