"""The agreement report kept between reports (issue 14): each statement's share of it, computed once, kept compact,
and summed as it is kept, so a report over 100 000 statements only adds what changed since.

A statement's *share* is a pure function of its text, my spans and their spans: its
:class:`~annotator.core.agreement.tally.DocTally` and its review item counts (:func:`annotator.core.review.build_report`
computes both per document). It is kept as one array of ints (:func:`encode`), labels as small ids
(:class:`Labels`):

    length, chars, n_mine, n_theirs, agreed, conflict, mine_only, theirs_only, n_measured, n_items,
    per label measured: id, A, B, EXACT, OVERLAP, COV_A, COV_B, BOTH, OBSERVED, n_lengths, n_gaps, *lengths, *gaps,
    per label counted: id, agreed, conflict, mine_only, theirs_only

and beside it the values of its document row (:func:`values`; they depend on the codebook's order, through κ's mean).
:class:`Totals` holds the sum of the shares kept (a share can be taken out again: integers only, so the sums are
exact) and gives it as the report's figure set (:meth:`Totals.side`), equal to what summing the documents one by one
gives (tests/store/test_review_kept.py holds them equal).
"""

from __future__ import annotations

import struct
import threading
from array import array
from collections import Counter
from collections.abc import Sequence
from typing import Any

from annotator.core import review as core
from annotator.core.agreement import lean
from annotator.core.agreement.sets import SpanTuple
from annotator.core.agreement.tally import DocTally
from annotator.core.agreement.unitizing import LabelSums

#: the ints of the module docstring in bytes (a typecode, then the array's): bytes are never tracked by the cycle
#: collector, so 100 000 kept entries add nothing to its full passes (an array each did: they hold every thread)
Entry = bytes
#: a document row's values after its key and title: mine, theirs, the four item counts, the six P/R/F1, κ
Values = tuple[Any, ...]
_HEAD = 10


class Labels:
    """Label keys as small ids, shared by every share of one kept report (thread-safe)."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self._ids: dict[str, int] = {}
        self._lock = threading.Lock()

    def id(self, label: str) -> int:
        found = self._ids.get(label)
        if found is None:
            with self._lock:
                found = self._ids.get(label)
                if found is None:
                    found = self._ids[label] = len(self.names)
                    self.names.append(label)
        return found


def share(text: str, mine: Sequence[SpanTuple], theirs: Sequence[SpanTuple]) -> tuple[DocTally, core.Counts]:
    """One statement's share of the report: what :func:`annotator.core.review.build_report` computes for it."""
    return lean.measure(text, mine, theirs), core._item_counts(mine, theirs)


def encode(measured: DocTally, counts: core.Counts, n_mine: int, n_theirs: int, labels: Labels) -> Entry:
    ints: list[int] = [measured.length, measured.chars, n_mine, n_theirs, *counts[0], len(measured.counts),
                       len(counts[1])]
    for label, row in measured.counts.items():
        lengths, gaps = measured.lengths[label], measured.gaps[label]
        ints += (labels.id(label), *row, len(lengths), len(gaps), *lengths, *gaps)
    for label, row in counts[1].items():
        ints += (labels.id(label), *row)
    try:
        packed = array("i", ints)
    except OverflowError:  # α_u's observed distance of a long statement: eight bytes a number
        packed = array("q", ints)
    return packed.typecode.encode() + packed.tobytes()


def ints(entry: Entry) -> array:
    """The numbers of an entry (see the module docstring)."""
    found = array(chr(entry[0]))
    found.frombytes(entry[1:])
    return found


def values(measured: DocTally, counts: core.Counts, n_mine: int, n_theirs: int, overall: lean.Overall) -> Values:
    """The document row's values (:func:`annotator.core.review.build_report`'s per-document row)."""
    figures = overall(measured)
    exact, overlap = figures["exact"], figures["overlap"]
    return (n_mine, n_theirs, *counts[0], exact["precision"], exact["recall"], exact["f1"], overlap["precision"],
            overlap["recall"], overlap["f1"], figures["kappa"])


def row(sha256: str, title: str, kept: Values) -> dict[str, Any]:
    return dict(zip(core.COLUMNS, ("document", sha256, title, *kept, None), strict=True))


#: a kept statement's head: its revision, the six ints and seven figures of its values, a bit per figure that is None
_HEAD_STRUCT = struct.Struct("<q6q7dB")
_REVISION = struct.Struct("<q")


def keep(revision: int, values: Values, entry: Entry) -> bytes:
    """A statement as it is kept: one bytes object (never tracked by the cycle collector, and a third of the size of
    the tuples it stands for): the revision and the values (:data:`_HEAD_STRUCT`), then the entry."""
    figures = []
    none = 0
    for k, value in enumerate(values[6:]):
        if value is None:
            none |= 1 << k
            figures.append(0.0)
        elif type(value) is float:
            figures.append(value)
        else:  # every figure is a quotient: a float, or None
            raise TypeError(f"a report figure is {value!r}, not a float")
    return _HEAD_STRUCT.pack(revision, *values[:6], *figures, none) + entry


def revision_of(kept: bytes) -> int:
    return int(_REVISION.unpack_from(kept)[0])


def entry_of(kept: bytes) -> Entry:
    return kept[_HEAD_STRUCT.size:]


def values_of(kept: bytes) -> Values:
    found = _HEAD_STRUCT.unpack_from(kept)
    none = found[14]
    return (*found[1:7], *(None if none >> k & 1 else v for k, v in enumerate(found[7:14])))


def decode(packed: Entry, labels: Labels) -> tuple[DocTally, core.Counts, int, int]:
    """(the DocTally, the item counts, n_mine, n_theirs) an entry was made of (lengths and gaps left out)."""
    entry = ints(packed)
    n_measured, n_items = entry[8], entry[9]
    counts: dict[str, list[int]] = {}
    pos = _HEAD
    for _ in range(n_measured):
        counts[labels.names[entry[pos]]] = list(entry[pos + 1:pos + 9])
        pos += 11 + entry[pos + 9] + entry[pos + 10]
    per_label = {}
    for _ in range(n_items):
        per_label[labels.names[entry[pos]]] = list(entry[pos + 1:pos + 5])
        pos += 5
    return (DocTally(entry[0], entry[1], counts, {}, {}), (list(entry[4:8]), per_label), entry[2], entry[3])


class _LabelTotals:
    __slots__ = ("docs", "counts", "observed", "lengths", "gaps")

    def __init__(self) -> None:
        self.docs = 0  # statements with a span of the label: the label is in the report's sums while any is kept
        self.counts = [0] * 7
        self.observed = 0
        self.lengths: Counter[int] = Counter()
        self.gaps: Counter[int] = Counter()

    def copy(self) -> _LabelTotals:
        other = _LabelTotals()
        other.docs, other.counts, other.observed = self.docs, list(self.counts), self.observed
        other.lengths, other.gaps = Counter(self.lengths), Counter(self.gaps)
        return other


def _take(counter: Counter[int], found: Sequence[int]) -> None:
    counter.subtract(found)
    for value in set(found):
        if counter[value] == 0:
            del counter[value]


class Totals:
    """The sum of the shares added (:meth:`add` with ``sign`` -1 takes one out again)."""

    def __init__(self) -> None:
        self.length = self.chars = self.n_mine = self.n_theirs = 0
        self.items = [0, 0, 0, 0]
        self.labels: dict[int, _LabelTotals] = {}
        self.item_labels: dict[int, list[int]] = {}

    def copy(self) -> Totals:
        other = Totals()
        other.length, other.chars, other.n_mine, other.n_theirs = self.length, self.chars, self.n_mine, self.n_theirs
        other.items = list(self.items)
        other.labels = {k: v.copy() for k, v in self.labels.items()}
        other.item_labels = {k: list(v) for k, v in self.item_labels.items()}
        return other

    def add(self, packed: Entry, sign: int = 1) -> None:
        entry = ints(packed)
        self.length += sign * entry[0]
        self.chars += sign * entry[1]
        self.n_mine += sign * entry[2]
        self.n_theirs += sign * entry[3]
        items = self.items
        for k in range(4):
            items[k] += sign * entry[4 + k]
        n_measured, n_items = entry[8], entry[9]
        pos = _HEAD
        for _ in range(n_measured):
            lid = entry[pos]
            n_lengths, n_gaps = entry[pos + 9], entry[pos + 10]
            start = pos + 11
            lengths, gaps = entry[start:start + n_lengths], entry[start + n_lengths:start + n_lengths + n_gaps]
            found = self.labels.get(lid)
            if found is None:
                found = self.labels[lid] = _LabelTotals()
            counts = found.counts
            for k in range(7):
                counts[k] += sign * entry[pos + 1 + k]
            found.observed += sign * entry[pos + 8]
            found.docs += sign
            if sign > 0:
                found.lengths.update(lengths)
                found.gaps.update(gaps)
            elif found.docs == 0:
                del self.labels[lid]
            else:
                _take(found.lengths, lengths)
                _take(found.gaps, gaps)
            pos = start + n_lengths + n_gaps
        for _ in range(n_items):
            lid = entry[pos]
            row = self.item_labels.get(lid)
            if row is None:
                row = self.item_labels[lid] = [0, 0, 0, 0]
            for k in range(4):
                row[k] += sign * entry[pos + 1 + k]
            pos += 5

    def side(self, labels: Labels) -> core._Side:
        """These sums as one figure set of the report, as summing the documents one by one makes it."""
        side = core._Side()
        tally = side.tally
        tally.chars = self.chars
        tally.unitizing.length = self.length
        for lid, found in self.labels.items():
            name = labels.names[lid]
            tally.counts[name] = list(found.counts)
            sums = tally.unitizing.labels[name] = LabelSums()
            sums.observed = found.observed
            sums.lengths.update(found.lengths)
            sums.gaps.update(found.gaps)
        side.total = list(self.items)
        side.per_label = {labels.names[lid]: list(row) for lid, row in self.item_labels.items()}
        side.n_mine = self.n_mine
        return side
