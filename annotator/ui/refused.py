"""What the analyst is asked when Edit ▸ Undo (Redo) refuses a step (``ui/commands.py``): the step's change stands
(another writer changed its values since, or its statement is gone), and it is either kept where it is, to be tried
again once the values are back to what it left, or removed from the undo history, so that Edit ▸ Undo goes on to
the step before it (a step kept for ever would stop every undo under it: trial 11, D3)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.ui.dialogs import roomy

KEEP = "&Keep the Step"
REMOVE_UNDO = "&Remove It from Undo"
REMOVE_REDO = "&Remove It from Redo"


def remove(parent: QWidget, message: str, undoing: bool) -> bool:
    """Show the refusal; True if the analyst removes the step (Keep is the default: Enter and Escape keep it)."""
    what = "Undo" if undoing else "Redo"
    box = QMessageBox(QMessageBox.Icon.Warning, f"Not {what.lower()}ne", message, QMessageBox.StandardButton.NoButton,
                      parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if undoing:
        box.setInformativeText("Keep the step to undo it once the values are back to what it left, or remove it "
                               "from Edit ▸ Undo: its change stays, and Undo goes on to the step before it.")
    else:
        box.setInformativeText("Keep the step to redo it once the values are back to what its undo left, or remove "
                               "it from Edit ▸ Redo: it is not made, and Redo goes on to the step after it.")
    keep = box.addButton(KEEP, QMessageBox.ButtonRole.RejectRole)
    drop = box.addButton(REMOVE_UNDO if undoing else REMOVE_REDO, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    roomy(box).exec()
    return box.clickedButton() is drop
