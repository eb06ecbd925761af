"""File ▸ Import's question about a doccano file whose offsets read as plausibly in two countings
(``annotator/formats/counting.py``, rule 3): asked before anything is written, the file imported in the counting
the user chooses; Cancel imports nothing.

The command line warns of such a file instead (its advice: ``annotator import --offsets codepoints``); in the
window, the warning's advice could not be followed. :func:`find` reads the files in the import's thread
(``ui/files/job.py``) and returns the doubts; :func:`ask` asks on the window's thread, and the import then runs with
the answers (``store.transfer.import_paths``'s ``offsets``, a counting per file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator import formats, inuse
from annotator.errors import AnnotatorError, Cancelled
from annotator.formats import doccano
from annotator.formats.counting import NAMES, Doubt

#: a counting's button in the question
BUTTONS = {
    "utf16": "Count UTF-16 units (as doccano)",
    "codepoints": "Count code points",
    "graphemes": "Count grapheme clusters",
}


def find(paths: list[str | Path], job: Any) -> list[tuple[Path, Doubt]]:
    """The doubtful doccano files among ``paths`` (files and folders, as the import collects them), each with its
    doubt. ``job`` (``ui/files/job.Job``) is told which file is read and stops the search (``Cancelled``) once the
    user cancels. A file that cannot be read is passed over: its import says why."""
    files = formats.collect(paths)  # a missing path: raised, as the import would
    found = []
    for n, path in enumerate(files):
        if job.cancelled:
            raise Cancelled("cancelled")
        try:
            if formats.reader_for(path) is not doccano.read:
                continue
            job.report(n, len(files), f"Reading {path.name}…")
            inuse.refuse_if_open_here(path)
            doubt = doccano.doubt(path)
        except (AnnotatorError, OSError, ValueError):
            continue
        if doubt is not None:
            found.append((path, doubt))
    return found


def ask(parent: QWidget, found: list[tuple[Path, Doubt]]) -> dict[Path, str]:
    """The counting the user chooses for each doubtful file; raises ``Cancelled`` on Cancel (nothing imported)."""
    answers = {}
    for path, doubt in found:
        answers[path] = _ask_one(parent, doubt, len(found))
    return answers


def _ask_one(parent: QWidget, doubt: Doubt, files: int) -> str:
    units = doubt.distinct or (doubt.chosen, *doubt.others)
    ways = " or ".join(NAMES[u] for u in units)
    nothing = "Cancel imports none of the files." if files > 1 else "Cancel imports nothing."
    text = (f"{doubt.name}: its offsets may count {ways}, and the file does not prove which.\n\n"
            f"{doubt.difference[:1].upper()}{doubt.difference[1:]}.\n\n"
            f"How does the file count its offsets? Nothing is imported until you choose; {nothing}")
    box = QMessageBox(QMessageBox.Icon.Question, "Import: how does the file count?", text,
                      QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # file names and statements' words, never rich text
    choices = [(box.addButton(BUTTONS.get(u, f"Count {NAMES[u]}"), QMessageBox.ButtonRole.AcceptRole), u)
               for u in units]
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setEscapeButton(cancel)
    box.setDefaultButton(choices[0][0])  # the counting the file was read in so far
    box.exec()
    clicked = box.clickedButton()
    unit = next((u for button, u in choices if button is clicked), None)
    box.deleteLater()
    if unit is None:
        raise Cancelled("cancelled: nothing was imported")
    return unit
