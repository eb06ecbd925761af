"""A statement's title as the user may set it (Document Properties, ``annotator vars``'s ``new_title`` column).

One line of text: what is typed is trimmed and its runs of white space (a line break pasted from a PDF's title,
a tab) become one space; an empty title, one longer than :data:`MAX_TITLE` characters, one holding control
characters or text SQLite cannot store as UTF-8 (a lone surrogate from Qt) is refused with a message saying why.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from annotator.core.text import storable_problem

MAX_TITLE = 500
_SPACES = re.compile(r"\s+")


def parse_title(raw: Any) -> str:
    """``raw`` as a title; raises ValueError with a message the user reads."""
    if not isinstance(raw, str):
        raise ValueError(f"a title must be text, got {raw!r}")
    title = _SPACES.sub(" ", raw).strip()
    if not title:
        raise ValueError("a statement's title cannot be empty")
    if len(title) > MAX_TITLE:
        raise ValueError(f"a title is at most {MAX_TITLE} characters (this one has {len(title)})")
    problem = storable_problem(title)
    if problem:
        raise ValueError(f"the title cannot be stored: {problem}")
    bad = next((ch for ch in title if unicodedata.category(ch) == "Cc"), None)
    if bad is not None:
        raise ValueError(f"the title cannot be stored: it holds the control character U+{ord(bad):04X}")
    return title
