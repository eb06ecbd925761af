"""What the format readers said of a colleague's export opened for review (``ColleagueFile.notes``: tasks skipped,
labels the review cannot compare, a counting of offsets found otherwise than doccano's): shown as File ▸ Import shows
its summary, a line in the status bar and a box over the window, never dropped (a reviewer's finding: the review read
the file and said nothing of them). A doubt about a doccano file's offsets is asked before the file is read
(``worker.choose_offsets``), and the file read in the counting chosen notes no doubt: the box does not repeat it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from annotator.core.neutral import terminal_lines, terminal_safe
from annotator.store import review as store
from annotator.ui.opening import open_in_turns
from annotator.ui.review import status

#: characters of the notes in the box's text; all of them are in its details when there are more
TEXT_CHARS = 2000


def show_read_notes(window: Any, cfile: store.ColleagueFile) -> QMessageBox | None:
    """Say what was noted when ``cfile`` was read: a status bar line, and a window-modal box that is left to the
    user (the review goes on meanwhile); the box, or None when nothing was noted."""
    notes = cfile.notes
    if not notes:
        return None
    warned = any(note.startswith("warning:") for note in notes)
    status.say(window, f"Read {cfile.name} for review with {len(notes)} note(s): {notes[0]}", 15000)
    box = QMessageBox(window)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setWindowTitle("Open colleague file")
    box.setTextFormat(Qt.TextFormat.PlainText)  # file names and their statements' words, never rich text
    box.setIcon(QMessageBox.Icon.Warning if warned else QMessageBox.Icon.Information)
    text = (f"{terminal_safe(cfile.name)} was read for review (read-only, nothing of it imported), with "
            f"{len(notes)} note(s):")
    body = "\n\n".join(terminal_lines(note) for note in notes)  # labels and names from the file, escaped
    box.setText(f"{text}\n\n{body if len(body) <= TEXT_CHARS else body[:TEXT_CHARS - 1] + '…'}")
    if len(body) > TEXT_CHARS:
        box.setDetailedText(body)
    open_in_turns(window, box, lambda: True)
    return box
