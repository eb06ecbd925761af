"""A colleague's label the analyst's codebook lacks: accepting their span adds it to the codebook the team shares,
so the analyst is asked first (a newcomer's finding: A on a span labelled "menace" added "[4] menace" to the codebook
without a word, and it went on into the Corpus table and the gold file)."""

from __future__ import annotations

from typing import Any

from annotator.ui.dialogs import confirm

TITLE = "Accept a label your codebook lacks"


def may_add(window: Any, key: str) -> bool:
    """Whether accepting a span of label ``key`` may go ahead: at once when the codebook has it, else as the
    analyst answers (Cancel, the default, accepts nothing and says so)."""
    if key in {label.key for label in window.session.labels}:
        return True
    if confirm(window, TITLE, f"“{key}” is not a label of your codebook. Accepting this span adds it to your "
                              "codebook; Edit ▸ Undo takes both back.\n\nAdd the label and accept the span?"):
        return True
    window.statusBar().showMessage(f"Not accepted: “{key}” is not in your codebook", 6000)
    return False


def added_note(new_labels: Any) -> str:
    """What an adjudication added to the codebook, for its status-bar line ("" when nothing)."""
    keys = [getattr(label, "key", str(label)) for label in new_labels or ()]
    return f"; added {', '.join(f'“{k}”' for k in keys)} to your codebook (Edit ▸ Undo takes it back)" if keys else ""
