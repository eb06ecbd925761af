"""My annotations before adjudication: what my project would hold had no review decision standing now been made,
my other work kept (issue #15 item 9: the report measures both; trial 12, F4).

What an accept leaves behind (annotator/store/review.py): the decision row in ``review_decisions`` (kept while
the accept stands; undoing it deletes the row, a later decision on the same item and colleague replaces it),
whose ``item_key`` is ``[my (start, end, label) or null, their (start, end, label) or null]``, and the copy of
their span in ``spans`` with ``origin`` = the colleague's origin (``"a@x; b@y"`` for a consensus copy) and
``created`` = the moment of the accept, which the decision's ``at`` follows in the same transaction. An edit of
the copy keeps its origin and ``created`` (its annotator becomes me). The history table logs the same steps but in
no transaction of its own, so the decisions and spans are read, not the history. A reject changes no span.

**The rule.** Per document, my spans before adjudication are:

1. every span of mine now, as it is now (labelled by hand, by search, from a suggestion; edited after the review
   too: "before adjudication" means without the review's decisions, not as of a date), except
2. the copy each **standing accept** made, whatever became of it: still as copied, resized, relabelled or with a
   new note, it is the review's span, not one I had; and
3. the span each standing accept replaced (the key's "mine") is put back, whether its copy is still there,
   changed or deleted (deleting a copy is no reason to lose the span the accept took away).
4. An accept that no longer stands adds and removes nothing: undone, its copy is gone and my span is back; replaced
   by a later decision on the same item (the copy was edited back to my boundaries, the item showed again, and I
   kept mine with ``R``), its copy is my span now, as ``R`` said, and counts as mine like any other. Decided again
   with ``A``, the new accept replaced the span the item showed, and puts back the one span its key names.

Which span is an accept's copy (one of the spans whose origin lists the accept's colleague, not yet taken for
another of its accepts): the one created in the accept's moment (:data:`MOMENT` before the decision: the copy and
its decision are written in one transaction, and an analyst's decisions are seconds apart), changed since or not;
else one still exactly as copied (their start, end and label), created before the decision, the latest such; else
one changed since, created before the decision, the latest such, but not the copy of an accept a reject replaced
(rule 4: its boundaries and label are the "mine" of a standing reject of a conflict with another span of theirs);
else none (the copy was deleted). Only moments tell apart which of a colleague's changed copies in one statement
belongs to which accept; without them (a clock set back) a copy may be taken for another accept's, and the counts
stay right while each accept's copy is still there. A copy Accept All Agreed made is the copy of each of its
colleagues' accepts: one span, however many decisions.

Consequence for the figures: spans count as a multiset, and no span is counted twice for one accept — the copy and
the span it replaced are never both "mine" (trial 12, F4: an accepted copy grown back to my boundaries was kept as
mine *and* my span put back). A span I label again by hand after deleting a copy is mine and counts beside the one
put back until I decide that item again (it shows as open in the review).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from annotator.errors import AnnotatorError

Triple = tuple[int, int, str]
_SUFFIX = re.compile(r"#\d+$")


@dataclass(frozen=True, slots=True)
class Undone:
    """What the standing accepts changed in one document: the ids of the copies they added (``edited``: those
    changed since), my spans they removed."""

    copies: frozenset[int]
    replaced: tuple[Triple, ...]
    edited: frozenset[int] = frozenset()


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


def colleague_origins(origin: str) -> list[str]:
    """The colleagues (``name@file``) a span's origin names: none for my own, a search's or a suggestion's."""
    return [o for o in origin.split("; ") if "@" in o and not o.startswith("suggested:")] if origin else []


@dataclass(frozen=True, slots=True)
class _Accept:
    mine: Triple | None
    theirs: Triple | None
    origin: str
    at: str


def changes(conn: sqlite3.Connection) -> dict[int, Undone]:
    """Per document with a standing accept, what it changed (the rule of the module docstring)."""
    accepts: dict[int, list[_Accept]] = defaultdict(list)
    # per document, (colleague, my triple) -> their triples: a standing reject of a conflict keeps mine against theirs
    kept: dict[int, dict[tuple[str, Triple], set[Triple]]] = defaultdict(lambda: defaultdict(set))
    for doc_id, key, decision, origin, at in conn.execute(
        "SELECT doc_id, item_key, decision, origin, at FROM review_decisions ORDER BY id"
    ):
        mine, theirs = parse_key(key)
        if decision == "accept":
            accepts[doc_id].append(_Accept(mine, theirs, origin, at))
        elif mine is not None and theirs is not None:
            kept[doc_id][(origin, mine)].add(theirs)
    return {doc_id: _undone(conn, doc_id, rows, kept.get(doc_id, {})) for doc_id, rows in accepts.items()}


def _undone(conn: sqlite3.Connection, doc_id: int, accepts: list[_Accept],
            kept: dict[tuple[str, Triple], set[Triple]]) -> Undone:
    spans = [(span_id, (s, e, label), colleague_origins(origin), created) for span_id, s, e, label, origin, created
             in conn.execute('SELECT id, start, "end", label, origin, created FROM spans'
                             " WHERE doc_id = ? AND origin != '' ORDER BY id", (doc_id,))]
    claimed: set[tuple[int, str]] = set()  # (span, colleague): a consensus copy is claimed once per colleague
    copies: set[int] = set()
    edited: set[int] = set()
    waiting = [a for a in accepts if a.theirs is not None]
    for moment_only, exact_only in ((True, False), (False, True), (False, False)):
        left = []
        for a in waiting:
            found = [(t == a.theirs, created, i) for i, t, names, created in spans
                     if a.origin in names and (i, a.origin) not in claimed and created <= a.at
                     and (i not in copies or t == a.theirs)
                     and (t == a.theirs or not exact_only)
                     and (_moment(created, a.at) if moment_only
                          else t == a.theirs or not any(kept.get((o, t), set()) - {a.theirs} for o in names))]
            if not found:
                left.append(a)
                continue
            is_exact, _created, span_id = max(found)
            claimed.add((span_id, a.origin))
            copies.add(span_id)
            if not is_exact:
                edited.add(span_id)
        waiting = left
    return Undone(frozenset(copies), tuple(a.mine for a in accepts if a.mine is not None), frozenset(edited))


#: a copy is written in its accept's transaction, a moment before the decision; an analyst's decisions are further apart
MOMENT = timedelta(seconds=2)


def _moment(created: str, at: str) -> bool:
    """Whether a span created at ``created`` was made in the moment of a decision made at ``at``."""
    try:
        return datetime.fromisoformat(at) - datetime.fromisoformat(created) <= MOMENT
    except ValueError:  # a stamp no writer of ours made
        return False


def before(spans: Iterable[tuple[int, Triple]], undone: Undone) -> list[Triple]:
    """My spans of one document before adjudication, from its spans now as ``(id, (start, end, label))``."""
    kept = [triple for span_id, triple in spans if span_id not in undone.copies]
    return sorted([*kept, *undone.replaced])


def before_sequence(spans: Sequence[Any], undone: Undone) -> list[Triple]:
    """:func:`before` of Span-like objects (``id``, ``start``, ``end``, ``label``)."""
    return before(((s.id, (s.start, s.end, s.label)) for s in spans), undone)
