"""Which statements the corpus figures count, by their status (a newcomer's trial, D15): ``annotator report
--status`` and the Corpus window's *Statements* chooser offer the same choices, read here.

An analyst marks a statement Skipped when it is out of scope, and expects it not to be counted: by default
(:data:`DEFAULT`) the figures count every statement but the skipped ones, and say how many they left out; ``all``
counts every statement; a status counts only the statements that have it.

The counts the figures read (``label_doc_counts``, ``overlap_pairs``, ``sentence_pairs``) have no status: a
:class:`Counting` turns the choice into a condition on a statement's id, ``id [NOT] IN (SELECT id FROM documents
INDEXED BY documents_by_status WHERE status IN (...))``, on the smaller side (the statements left out, or those
kept), which SQLite reads once from the status index into a small in-memory set; nothing left out, no condition.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from annotator.core.model import STATUS_NAMES, STATUSES
from annotator.errors import AnnotatorError

#: every choice, in the order the window lists them, with the statuses it counts
CHOICES: dict[str, tuple[str, ...]] = {
    "not_skipped": tuple(s for s in STATUSES if s != "skipped"),
    "all": STATUSES,
    **{s: (s,) for s in STATUSES},
}
#: what the command line counts without --status, and the window when it opens
DEFAULT = "not_skipped"
#: every statement, whatever its status (what the store's functions count unless told otherwise)
ALL = "all"
#: each choice in the window's words
TITLES: dict[str, str] = {"not_skipped": "All but skipped", "all": "All", **STATUS_NAMES}

#: statements per status, from the status index (no row with its text is read)
_PRESENT = "SELECT status, count(*) FROM documents INDEXED BY documents_by_status GROUP BY status"
_IDS = "SELECT id FROM documents INDEXED BY documents_by_status WHERE status IN "


@dataclass(frozen=True)
class Counting:
    """A choice resolved against a project: the statuses it counts and how many statements had each status."""

    choice: str
    statuses: tuple[str, ...]
    present: dict[str, int] = field(default_factory=dict)  # statements per status when read

    @property
    def left_out(self) -> dict[str, int]:
        """Statements not counted, per status (statuses no statement has are not listed), in workflow order."""
        return {s: self.present[s] for s in (*STATUSES, *sorted(set(self.present) - set(STATUSES)))
                if self.present.get(s) and s not in self.statuses}

    @property
    def counted(self) -> int:
        """Statements counted."""
        return sum(n for s, n in self.present.items() if s in self.statuses)

    def condition(self, column: str) -> tuple[str, tuple[str, ...]]:
        """An SQL condition on ``column`` (a statement's id, a constant SQL name such as ``c.doc_id``) keeping the
        statements counted, and its parameters; ``""`` when nothing is left out."""
        out = self.left_out
        if not out:
            return "", ()
        if sum(out.values()) <= self.counted:  # the statements left out are the smaller set
            return f"{column} NOT IN ({_IDS}({','.join('?' * len(out))}))", tuple(out)
        kept = tuple(s for s in self.present if s in self.statuses)
        if not kept:  # no statement has a status counted
            return "0", ()
        return f"{column} IN ({_IDS}({','.join('?' * len(kept))}))", kept

    def where(self, column: str, joiner: str = " WHERE ") -> tuple[str, tuple[str, ...]]:
        """:meth:`condition` led by ``joiner`` (" WHERE ", " AND "), or ``""``."""
        sql, params = self.condition(column)
        return (joiner + sql if sql else ""), params

    def describe(self) -> str:
        """What is left out, in words ("12 skipped statements left out"); ``""`` when nothing is."""
        return describe(self.left_out)


def describe(left_out: dict[str, int]) -> str:
    """Statements left out (:attr:`Counting.left_out`) in words: "12 skipped statements left out", "3 to do,
    1 in progress and 12 skipped statements left out"; ``""`` when none is."""
    if not left_out:
        return ""
    parts = [f"{n:,} {STATUS_NAMES.get(s, s).lower()}" for s, n in left_out.items()]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{listed} statement{'s' if sum(left_out.values()) != 1 else ''} left out"


def counting(conn: sqlite3.Connection, choice: str = ALL) -> Counting:
    """Resolve ``choice`` (a key of :data:`CHOICES`) against the project: one read of the status index."""
    if choice not in CHOICES:
        raise AnnotatorError(f"unknown status {choice!r}; expected one of {', '.join(CHOICES)}")
    present = {str(s): int(n) for s, n in conn.execute(_PRESENT)}
    return Counting(choice, CHOICES[choice], present)
