"""File ▸ Import's question about a doccano file whose offsets read as plausibly in two countings
(``annotator/formats/counting.py``, rule 3): asked before anything is written, the file imported in the counting
the user chooses; Cancel imports nothing.

The command line warns of such a file instead (its advice: ``annotator import --offsets codepoints``); in the
window, the warning's advice could not be followed. :func:`find` reads the files in the import's thread
(``ui/files/job.py``) and returns the doubts; :func:`ask` asks on the window's thread, and the import then runs with
the answers (``store.transfer.import_paths``'s ``offsets``, a counting per file).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QMessageBox, QWidget

from annotator import formats, inuse
from annotator.errors import AnnotatorError, Cancelled
from annotator.formats import doccano
from annotator.formats.counting import NAMES, Doubt

#: how each counting is named to a user (who may not know what a code unit is)
PLAIN = {
    "utf16": "as doccano's editor counts (UTF-16 units)",
    "codepoints": "as scripts count (code points)",
    "graphemes": "as characters are seen (grapheme clusters)",
}


def button_name(unit: str) -> str:
    """The object name of the question's button that reads a file in ``unit`` (its text is the text it marks)."""
    return f"count_{unit}"


def find(paths: list[str | Path], job: Any) -> list[tuple[Path, Doubt]]:
    """The doubtful doccano files among ``paths`` (files and folders, as the import collects them), each with its
    doubt. ``job`` (``ui/files/job.Job``) is told which file is read and stops the search (``Cancelled``) once the
    user cancels, also during the last file. A file that cannot be read is passed over: its import says why."""
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
        except Cancelled:  # an AnnotatorError too: never passed over as a file that cannot be read
            raise
        except (AnnotatorError, OSError, ValueError):
            continue
        if doubt is not None:
            found.append((path, doubt))
    if job.cancelled:
        raise Cancelled("cancelled")
    return found


def ask(parent: QWidget, found: list[tuple[Path, Doubt]], doing: str = "Import") -> dict[Path, str]:
    """The counting the user chooses for each doubtful file (one answer may be kept for the files after it); raises
    ``Cancelled`` on Cancel (nothing imported). ``doing``: what the files are read for, as the question's title
    says it ("Import", "Review")."""
    answers: dict[Path, str] = {}
    names = _names([path for path, _ in found])
    kept: str | None = None
    for n, (path, doubt) in enumerate(found):
        if kept is not None and kept in (doubt.distinct or (doubt.chosen, *doubt.others)):
            answers[path] = kept
            continue
        answers[path], keep = _ask_one(parent, doubt, names[path], n, len(found), doing)
        kept = answers[path] if keep else None
    return answers


def _names(paths: list[Path]) -> dict[Path, str]:
    """Each file as the question names it: its name, or more of its path where two share a name."""
    names = {path: path.name for path in paths}
    if len(set(names.values())) < len(names):
        common = Path(os.path.commonpath([str(p) for p in paths]))
        names = {path: str(path.relative_to(common)) if path != common else path.name for path in paths}
    return names


def _ask_one(parent: QWidget, doubt: Doubt, name: str, n: int, files: int, doing: str) -> tuple[str, bool]:
    """The counting chosen for one file, and whether it is kept for the doubtful files after it."""
    units = doubt.distinct or (doubt.chosen, *doubt.others)
    marks = doubt.marks or ("",) * len(units)
    more = f"; {doubt.lines} lines differ so" if doubt.lines > 1 else ""
    readings = "\n".join(f"  • {PLAIN.get(u, NAMES[u])}: {mark}" for u, mark in zip(units, marks, strict=True))
    which = f" ({n + 1} of {files})" if files > 1 else ""
    ways = {2: "two", 3: "three"}.get(len(units), str(len(units)))
    verb = "imports" if doing == "Import" else "opens"
    nothing = f"Cancel {verb} none of the files." if files > 1 else f"Cancel {verb} nothing."
    text = (f"{name}{which}: the file's spans can be read in {ways} ways, and the file does not say which.\n\n"
            f"Where they first differ ({doubt.where or 'its first span'}{more}), the span marks:\n{readings}\n\n"
            f"Which text did the annotator mark? {nothing}")
    box = QMessageBox(QMessageBox.Icon.Question, f"{doing}: which text is marked?", text,
                      QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # file names and statements' words, never rich text
    alike = len(set(marks)) < len(marks)  # two readings mark the same there (they differ elsewhere): named too
    choices = [(box.addButton(f"Mark {mark}" + (f" ({NAMES[u]})" if alike else "") if mark else f"Count {NAMES[u]}",
                              QMessageBox.ButtonRole.AcceptRole), u)
               for u, mark in zip(units, marks, strict=True)]
    for button, u in choices:
        button.setToolTip(f"Read the file's offsets {PLAIN.get(u, NAMES[u])}")
        button.setObjectName(button_name(u))
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setEscapeButton(cancel)
    likelier = doubt.likelier if doubt.likelier in units else units[0]
    box.setDefaultButton(next(button for button, u in choices if u == likelier))  # the reading that looks right
    keep = None
    if files > n + 1:
        keep = QCheckBox(f"Read the other {files - n - 1} doubtful file(s) the same way")
        box.setCheckBox(keep)
    box.exec()
    clicked = box.clickedButton()
    unit = next((u for button, u in choices if button is clicked), None)
    kept = keep is not None and keep.isChecked()
    box.deleteLater()
    if unit is None:
        raise Cancelled("cancelled: nothing was imported")
    return unit, kept
