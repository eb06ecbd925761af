"""The analyst's name, recorded on every span they label and on every change in the history: asked on the first
start, and changed at any time with Edit ▸ Your Name… (a newcomer's finding: a Cancel on the first start left the
login name, "root", and nothing in the window could change it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QInputDialog, QLineEdit

from annotator.analyst import MOST_CHARS, problem

__all__ = ["MOST_CHARS", "PROMPT", "change", "problem"]

PROMPT = "Your name, recorded on every span you label (Edit ▸ Your Name… changes it later):"


def change(window: Any) -> bool:
    """Ask for the analyst's name; spans labelled from now on carry it, those labelled before keep theirs.
    True if it changed."""
    project = window.session.project
    asked = project.user
    while True:
        text, ok = QInputDialog.getText(
            window, "Your name", "Your name, recorded on every span you label from now on\n"
            "(the spans labelled so far keep the name they were labelled under):", QLineEdit.EchoMode.Normal, asked)
        if not ok:
            return False
        asked = " ".join(text.split())
        why = problem(asked)
        if why is None:
            break
        window.statusBar().showMessage(f"Not a name: {why}", 6000)
    if asked == project.user:
        return False
    project.user = asked
    window.settings.setValue("analyst", asked)
    window.session.reload_document()  # the Spans panel tells the analyst's spans from others' by the name
    window.update_progress()
    window.statusBar().showMessage(f"Spans you label from now on are recorded as {asked}", 8000)
    return True
