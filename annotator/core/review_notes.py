"""The note an accepted span carries when it replaces mine (issue #15, item 8): accepting a colleague's span never
throws my note away.

Their span replaces mine, and the copy is theirs (their name as annotator, their origin), so the note says whose
each part is: their note first, then mine, each led by its author's name and a colon, the two parts a blank line
apart::

    bob: escalation, see para. 3

    ana: check against the 2022 statement

A side with no note (blank) adds nothing, and when the notes are the same, theirs is kept as it is. When I had no
note, the copy's note is theirs, unchanged. Qt-free (DESIGN.md §4).
"""

from __future__ import annotations

SEPARATOR = "\n\n"


def kept_note(their_note: str, their_name: str, my_note: str, my_name: str) -> str:
    """The note of their accepted copy replacing my span whose note was ``my_note``."""
    if not my_note.strip() or my_note == their_note:
        return their_note
    mine = f"{my_name or 'me'}: {my_note}"
    if not their_note.strip():
        return mine
    return f"{their_name or 'colleague'}: {their_note}{SEPARATOR}{mine}"
