"""My annotations before adjudication: what my project held before any review decision, reconstructed from the
decisions and the spans' ``origin`` (issue #15 item 9: the report measures both).

What an accept leaves behind (annotator/store/review.py): the decision row in ``review_decisions`` (kept while
the accept stands; undoing it deletes the row), whose ``item_key`` is ``[my (start, end, label) or null, their
(start, end, label) or null]``, and the copy of their span in ``spans`` with ``origin`` = the colleague's origin
(``"a@x; b@y"`` for a consensus copy). The history table logs the same steps (``delete_span``, ``add_span``,
``review_accept``) but in no transaction of its own, so the decisions are read, not the history. A reject
changes no span and needs no undoing.

So, per document with a standing accept: my spans now, minus every copy that a standing accept of its origin
made (same span, origin listed), plus my span each accept replaced. A copy I edited afterwards no longer matches
its accept and stays counted as mine.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.errors import AnnotatorError

Triple = tuple[int, int, str]
_SUFFIX = re.compile(r"#\d+$")


@dataclass(frozen=True, slots=True)
class Undone:
    """What the standing accepts changed in one document: the ids of the copies they added, my spans they removed."""

    copies: frozenset[int]
    replaced: tuple[Triple, ...]


def _triple(value: Any) -> Triple | None:
    if value is None:
        return None
    if (isinstance(value, list) and len(value) == 3 and all(type(v) is int for v in value[:2])
            and isinstance(value[2], str) and 0 <= value[0] < value[1] and value[2]):
        return (value[0], value[1], value[2])
    raise ValueError(value)


def parse_key(key: str) -> tuple[Triple | None, Triple | None]:
    """(mine, theirs) of a review item's key (annotator/core/review.py ``classify``)."""
    try:
        mine, theirs = json.loads(_SUFFIX.sub("", key))
        return _triple(mine), _triple(theirs)
    except (ValueError, TypeError) as exc:
        raise AnnotatorError(f"a review decision is damaged (item {key[:80]!r}); "
                             "the figures before adjudication cannot be reconstructed") from exc


def changes(conn: sqlite3.Connection) -> dict[int, Undone]:
    """Per document with a standing accept, what it changed (see the module docstring)."""
    decided: dict[int, list[tuple[Triple | None, Triple | None, str]]] = defaultdict(list)
    for doc_id, key, origin in conn.execute(
        "SELECT doc_id, item_key, origin FROM review_decisions WHERE decision = 'accept' ORDER BY id"
    ):
        decided[doc_id].append((*parse_key(key), origin))
    found: dict[int, Undone] = {}
    for doc_id, rows in decided.items():
        wanted = {(theirs, origin) for _, theirs, origin in rows if theirs is not None}
        copies = frozenset(
            span_id
            for span_id, s, e, label, origin in conn.execute(
                'SELECT id, start, "end", label, origin FROM spans WHERE doc_id = ? AND origin != \'\'', (doc_id,)
            )
            if any(((s, e, label), o) in wanted for o in origin.split("; "))
        )
        found[doc_id] = Undone(copies, tuple(mine for mine, _, _ in rows if mine is not None))
    return found


def before(spans: Iterable[tuple[int, Triple]], undone: Undone) -> list[Triple]:
    """My spans of one document before adjudication, from its spans now as ``(id, (start, end, label))``."""
    kept = [triple for span_id, triple in spans if span_id not in undone.copies]
    return sorted([*kept, *undone.replaced])


def before_sequence(spans: Sequence[Any], undone: Undone) -> list[Triple]:
    """:func:`before` of Span-like objects (``id``, ``start``, ``end``, ``label``)."""
    return before(((s.id, (s.start, s.end, s.label)) for s in spans), undone)
