"""Which of the project's labels an imported span's label is (``writing.populate`` asks for every span it reads).

The rule (README "Formats", "a label not in the codebook"):

1. A label that is a key of the codebook is that label (``threat``).
2. Otherwise, a label whose text equals a label's **key or name** ignoring case and ``_``, ``-`` and spaces (runs of
   them as one space: ``Threat``, ``THREAT``, ``Call_to_action``, ``call-to-action``, ``CALL TO ACTION``) is that
   label: its spans are stored under the existing key, and the import's summary says so ("'THREAT' read as Threat").
   Where two labels would match (a codebook holding ``Threat`` and ``threat`` already), the first in codebook
   order is taken.
3. Otherwise the label is added to the codebook with the text as its key and name, and later spellings of it in the
   same import are read as it (rule 2), so "ORG" and "Org" never become two labels.

So no label is added whose visible name folds to another's: two toolbar buttons never read "[1] Threat" and
"[4] Threat" (trial 13, F11). A new label's name that would still repeat one (a match rule 2 cannot see: none today,
kept as a guard) is made distinct with its key in brackets, and the summary names it.

Other tools write labels in their own case (brat and spaCy ``ORG``, Label Studio ``Threat`` from a config's value,
Prodigy ``COMMITMENT``); our own exports write the key. A label is compared, never rewritten, where the user chose
it: the codebook dialog and Labels ▸ Import Codebook keep their own rules (``core.codebook.name_problems``).
"""

from __future__ import annotations

import re
import sqlite3

from annotator.core.codebook import fold_name

_SEPARATORS = re.compile(r"[\s_\-]+")


def fold_label(text: str) -> str:
    """A label's key or name as rule 2 compares it: case folded, ``_``, ``-`` and white space as one space."""
    return fold_name(_SEPARATORS.sub(" ", text)) or fold_name(text)  # "_" and "-" stay two labels


class LabelMatcher:
    """The project's labels as an import reads them: :meth:`key` gives the key a span's label is stored under."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        rows = conn.execute("SELECT key, name FROM labels ORDER BY position, key").fetchall()
        self.keys: set[str] = {key for key, _ in rows}
        self.names: dict[str, str] = {key: name for key, name in rows}
        self.folded: dict[str, str] = {}  # folded key or name -> key (the first label in codebook order)
        for key, _name in rows:
            self.folded.setdefault(fold_label(key), key)
        for key, name in rows:
            self.folded.setdefault(fold_label(name), key)
        #: incoming text -> existing key it was read as (rule 2), in the order first met
        self.read_as: dict[str, str] = {}
        #: keys this import adds (rule 3), in the order first met
        self.new: list[str] = []

    def key(self, label: str) -> str:
        """The key ``label`` is stored under; a label matching none is noted as new (rule 3)."""
        if label in self.keys:
            return label
        found = self.read_as.get(label)
        if found is not None:
            return found
        folded = fold_label(label)
        found = self.folded.get(folded) if folded else None
        if found is not None:
            self.read_as[label] = found
            return found
        self.keys.add(label)
        self.names[label] = label
        if folded:
            self.folded[folded] = label
        self.new.append(label)
        return label

    def read_as_names(self) -> dict[str, str]:
        """incoming text -> the visible name of the label it was read as."""
        return {text: self.names.get(key, key) for text, key in self.read_as.items()}


def distinct_name(name: str, key: str, taken: set[str]) -> str:
    """``name`` for a new label, or ``name (key)`` when a label's name already folds to it (the guard of rule 3)."""
    if fold_label(name) not in taken:
        return name
    return f"{name} ({key})"
