"""What a colleague's file holds that the analyst's project does not take as it is, said plainly.

A label the codebook lacks: accepting their span adds it to the codebook the team shares, so the analyst is asked
first (a newcomer's finding: A on a span labelled "menace" added "[4] menace" to the codebook without a word, and it
went on into the Corpus table and the gold file). A statement that differs from the analyst's only in its line
endings (a file saved on Windows) is not compared, and the message says why."""

from __future__ import annotations

from typing import Any

from annotator.core.neutral import terminal_safe
from annotator.ui.dialogs import confirm
from annotator.ui.review import status

TITLE = "Accept a label your codebook lacks"


def may_add(window: Any, key: str) -> bool:
    """Whether accepting a span of label ``key`` may go ahead: at once when the codebook has it, else as the
    analyst answers (Cancel, the default, accepts nothing and says so)."""
    if key in {label.key for label in window.session.labels}:
        return True
    shown = terminal_safe(key)  # a bidi override in it turned the whole question backwards (trial 12, F8)
    if confirm(window, TITLE, f"“{shown}” is not a label of your codebook. Accepting this span adds it to your "
                              "codebook; Edit ▸ Undo takes both back.\n\nAdd the label and accept the span?"):
        return True
    status.say(window, f"Not accepted: “{shown}” is not in your codebook", 6000)
    return False


def added_note(new_labels: Any) -> str:
    """What an adjudication added to the codebook, for its status-bar line ("" when nothing)."""
    keys = [getattr(label, "key", str(label)) for label in new_labels or ()]
    shown = ", ".join(f"“{terminal_safe(k)}”" for k in keys)
    return f"; added {shown} to your codebook (Edit ▸ Undo takes it back)" if keys else ""


def line_endings_only(project: Any, differing: Any) -> int:
    """How many of the (my doc_id, their document) pairs that share a title differ only in line endings: my text
    with ``\\n`` made ``\\r\\n`` (or the other way) has their text's SHA-256."""
    from annotator.core.text import sha256_text

    n = 0
    for doc_id, theirs in differing:
        text = project.document(doc_id).text
        variants = (text.replace("\r\n", "\n").replace("\n", "\r\n"), text.replace("\r\n", "\n"))
        n += any(sha256_text(v) == theirs.sha256 for v in variants)
    return n
