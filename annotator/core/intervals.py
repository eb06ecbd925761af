"""A sorted interval index over one document's spans, so the view paints only what is on screen.

DESIGN.md §5/§7: with 10 000 spans on a 1 M-character statement, a paint must find the spans of a screenful in
microseconds and applying a label must update the index in well under a millisecond. Spans are kept in one list
sorted by ``(start, end, label, id)`` (the store's order), with parallel lists of starts and ends for ``bisect``.
Overlap queries need more than the starts (a long span that began far earlier still covers the screen), so the
list is cut into blocks of :data:`BLOCK` spans, each with the largest end it holds, plus the running maximum of
those: a query skips every block before the first that reaches the window and every block in between whose spans
all end before it. An insert or removal is a ``list.insert``/``del`` (a memmove) plus keeping the block maxima
as upper bounds in C-level passes (each later block gained one span and lost one); every few dozen edits they are
dropped and the next overlap query recomputes them exactly with C-level ``max`` over slices (about 0.1 ms for
10 000 spans).

Positions are code points (DESIGN.md §2.1); spans are half-open ``[start, end)``. Qt-free (DESIGN.md §4).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from heapq import heapify, heappop, heappush
from itertools import accumulate, compress, islice
from operator import attrgetter, eq, le

from annotator.core.model import Span

#: spans per block of the overlap index; small enough to scan, large enough that blocks are few
BLOCK = 64
#: edits that keep the block maxima as upper bounds before they are computed exactly again
LOOSE_EDITS = 64


def _key(span: Span) -> tuple[int, int, str, int]:
    return (span.start, span.end, span.label, span.id)


_ID = attrgetter("id")


def _is_sorted(starts: list[int], ends: list[int]) -> bool:
    """Whether the spans are in (start, end) order, in C-level passes only (timsort on a sorted list is one
    linear compare). Spans with the same start and end are taken in the order given -- the store's order is
    (label, id) -- rather than checked one by one: a dense statement has thousands of such ties."""
    if starts != sorted(starts):
        return False
    same = list(map(eq, starts, islice(starts, 1, None)))
    return True not in same or all(compress(map(le, ends, islice(ends, 1, None)), same))


class IntervalIndex:
    """Spans of one document, sorted by ``(start, end, label, id)``, with fast overlap and neighbour queries.

    Spans with the same start and end that were handed over in another order keep that order among themselves
    (nothing here depends on it; the store and the session always give (label, id) order).
    """

    __slots__ = ("_spans", "_starts", "_ends", "_by_id", "_bmax", "_pmax", "_loose", "_shared")

    def __init__(self, spans: Iterable[Span] = (), presorted: bool = False) -> None:
        """Build in O(n) when ``spans`` is already sorted by (start, end, label, id), as the store returns them.

        ``presorted``: the caller guarantees that order (the session keeps its spans so), and the check -- a
        third of the build on a dense statement -- is skipped. Span ids must be unique (they are the store's
        keys). The id lookup is built on first use: opening a statement and painting it never needs it.
        """
        items = spans if isinstance(spans, list) else list(spans)
        self._shared: list[int] | None = None  # see copy()
        self._by_id: dict[int, Span] | None = None
        starts = [s.start for s in items]
        ends = [s.end for s in items]
        if not presorted and not _is_sorted(starts, ends):
            items = sorted(items, key=_key)
            starts = [s.start for s in items]
            ends = [s.end for s in items]
        self._spans: list[Span] = items if items is not spans else list(items)
        self._starts: list[int] = starts
        self._ends: list[int] = ends
        self._bmax: list[int] = []  # largest end per block: a valid prefix (edits cut it; queries complete it)
        self._pmax: list[int] = []  # running maximum of _bmax, the same length
        self._loose = 0  # edits since the maxima were exact (after an edit they are upper bounds)
        self._complete_blocks()

    def copy(self) -> IntervalIndex:
        """An independent index of the same spans, copied on write: both read the same lists until either is
        changed, which then takes lists of its own (list copies: 0.6 ms for 10 000 spans, paid by the first change,
        not by every open; the view takes one of the session's each time a statement is shown). The lists' shared
        count (``_shared``) says how many indexes read them."""
        cell = self._shared
        if cell is None:
            cell = self._shared = [1]
        cell[0] += 1
        new = IntervalIndex.__new__(IntervalIndex)
        new._spans, new._starts, new._ends = self._spans, self._starts, self._ends
        new._bmax, new._pmax = self._bmax, self._pmax  # a query completing them completes them for both alike
        new._by_id, new._loose, new._shared = None, self._loose, cell
        return new

    def _own(self) -> None:
        """Lists of its own before a change, if another index still reads these."""
        cell = self._shared
        if cell is None:
            return
        if cell[0] > 1:
            self._spans, self._starts, self._ends = self._spans.copy(), self._starts.copy(), self._ends.copy()
            self._bmax, self._pmax = self._bmax.copy(), self._pmax.copy()
            cell[0] -= 1
        self._shared = None

    def __del__(self) -> None:
        cell = getattr(self, "_shared", None)
        if cell is not None:
            cell[0] -= 1

    # ------------------------------------------------------------------ container protocol
    def __len__(self) -> int:
        return len(self._spans)

    def __iter__(self) -> Iterator[Span]:
        return iter(self._spans)

    def __getitem__(self, i: int) -> Span:
        """The ``i``-th span in order (a table row reads its span so, without a copy of the list)."""
        return self._spans[i]

    def __contains__(self, span_id: object) -> bool:
        return span_id in self._ids()

    def _ids(self) -> dict[int, Span]:
        ids = self._by_id
        if ids is None:
            ids = self._by_id = dict(zip(map(_ID, self._spans), self._spans, strict=True))
            if len(ids) != len(self._spans):  # a repeated id (a caller's bug): keep one, as add() would
                self._own()
                kept = set(map(id, ids.values()))
                self._spans = [s for s in self._spans if id(s) in kept]
                self._starts = [s.start for s in self._spans]
                self._ends = [s.end for s in self._spans]
                self._reblock(0)
        return ids

    def get(self, span_id: int) -> Span | None:
        return self._ids().get(span_id)

    @property
    def starts(self) -> list[int]:
        """Start of each span, in order: the index's own list, for bulk reads (do not modify)."""
        return self._starts

    @property
    def ends(self) -> list[int]:
        """End of each span, in the spans' order: the index's own list, for bulk reads (do not modify)."""
        return self._ends

    def spans(self) -> list[Span]:
        """All spans in order (a copy)."""
        return list(self._spans)

    def index_of(self, span_id: int) -> int:
        """Position of the span in the sorted order; ValueError if absent."""
        span = self._ids().get(span_id)
        if span is None:
            raise ValueError(f"no span {span_id}")
        return self._find(span)

    def rank(self, span: Span) -> int:
        """How many spans come before ``span``'s (start, end, label, id) key: its place if it is here, where it
        would go if it is not (a bisect)."""
        return bisect_left(self._spans, _key(span), key=_key)

    # ------------------------------------------------------------------ updates
    def add(self, span: Span) -> None:
        """Insert ``span`` (replacing a span with the same id)."""
        self._own()
        if span.id in self._ids():
            self.remove(span.id)
        i = bisect_left(self._spans, _key(span), key=_key)
        self._spans.insert(i, span)
        self._starts.insert(i, span.start)
        self._ends.insert(i, span.end)
        self._ids()[span.id] = span
        self._shift_blocks(i // BLOCK, 0, span.end)

    def remove(self, span_id: int) -> Span | None:
        """Remove and return the span with this id (None if there is none)."""
        span = self._ids().pop(span_id, None)
        if span is None:
            return None
        self._own()
        i = self._find(span)
        del self._spans[i], self._starts[i], self._ends[i]
        self._shift_blocks(i // BLOCK, BLOCK - 1, -1)
        return span

    def replace(self, span: Span) -> Span | None:
        """Put ``span`` in place of the span with its id; returns the old one (None if it was new)."""
        old = self.remove(span.id)
        self.add(span)
        return old

    def _find(self, span: Span) -> int:
        spans = self._spans
        i = bisect_left(spans, _key(span), key=_key)
        if i < len(spans) and spans[i].id == span.id:
            return i
        # spans sharing its start and end, given in another order than (label, id): look through them
        lo = bisect_left(self._starts, span.start)
        for j in range(lo, bisect_right(self._starts, span.start, lo)):
            if spans[j].id == span.id:
                return j
        raise ValueError(f"span {span.id} is not where its key says")  # pragma: no cover - our bug

    def _reblock(self, first_block: int) -> None:
        """Forget the block maxima from ``first_block`` on (an insert or removal shifts every later span); the
        next overlap query recomputes them, so a burst of edits -- or edits to an index no one asks for overlaps,
        like the session's -- costs no recomputation per edit."""
        del self._bmax[first_block:]
        del self._pmax[first_block:]
        if not first_block:
            self._loose = 0  # all computed exactly again

    def _shift_blocks(self, first_block: int, offset: int, end: int) -> None:
        """Keep the block maxima valid after an insert (``offset`` 0, the new span's ``end``) or a removal
        (``offset`` BLOCK - 1, ``end`` -1) in block ``first_block``: every later span moved one place, so each
        later block gained one span at its start (insert) or its end (removal) and lost one. Its maximum becomes
        at most the larger of its old one and the span that came in -- an upper bound, which is all a query
        needs (it still checks each span's end) -- in C-level passes, not a recomputation of every block (a
        tenth of a millisecond per label key on 10 000 spans). Bounds only grow, so after :data:`LOOSE_EDITS`
        edits all maxima are dropped and the next query computes them exactly."""
        bmax, pmax = self._bmax, self._pmax
        self._loose += 1
        if self._loose > LOOSE_EDITS:
            self._reblock(0)
            return
        if first_block >= len(bmax):
            self._reblock(first_block)
            return
        blocks = -(-len(self._ends) // BLOCK)
        del bmax[blocks:]  # a removal emptied the last block
        del pmax[blocks:]
        n = len(bmax)
        if first_block >= n:
            return
        if end > bmax[first_block]:
            bmax[first_block] = end
        came = self._ends[first_block * BLOCK + offset : n * BLOCK : BLOCK]
        came += [-1] * (n - first_block - len(came))  # a removal from a short last block: nothing came in
        bmax[first_block:n] = map(max, bmax[first_block:n], came)
        pmax[first_block:] = accumulate(bmax[first_block:], max, initial=pmax[first_block - 1] if first_block else -1)
        del pmax[first_block]  # the seed itself

    def _complete_blocks(self) -> None:
        """Compute the block maxima missing after the valid prefix (C-level ``max`` over slices)."""
        ends, bmax = self._ends, self._bmax
        first_block = len(bmax)
        start = first_block * BLOCK
        if start >= len(ends):
            return
        bmax.extend(max(ends[i : i + BLOCK]) for i in range(start, len(ends), BLOCK))
        seed = self._pmax[-1] if self._pmax else -1
        self._pmax.extend(accumulate(bmax[first_block:], max, initial=seed))
        self._pmax.pop(first_block)  # the seed itself

    # ------------------------------------------------------------------ queries
    def overlapping(self, a: int, b: int) -> list[Span]:
        """Spans sharing a code point with ``[a, b)`` (for ``a == b``: containing ``a``), in order."""
        if b <= a:
            b = a + 1
        hi = bisect_left(self._starts, b)  # spans [0, hi) start before b
        if hi == 0:
            return []
        if len(self._bmax) * BLOCK < len(self._ends):
            self._complete_blocks()
        # first block holding a span that ends after a (every earlier span ends at or before a)
        block = bisect_right(self._pmax, a)
        ends, spans, bmax = self._ends, self._spans, self._bmax
        out: list[Span] = []
        last_block = (hi - 1) // BLOCK
        while block <= last_block:
            if bmax[block] > a:
                lo = block * BLOCK
                for i in range(lo, min(lo + BLOCK, hi)):
                    if ends[i] > a:
                        out.append(spans[i])
            block += 1
        return out

    def depths(self, a: int, b: int, cap: int) -> tuple[int, int]:
        """(how many spans cover code point ``a``, the most that cover ``a`` or the start of any span starting in
        ``(a, b)``), each counted up to ``cap``: the overlap depth of a stretch of text, for the underline lanes.

        No sorted copy of the ends is needed (sorting 10 000 ends took a millisecond per open of a dense
        statement): the spans covering ``a`` are those before ``bisect_right(starts, a)`` and from the first
        block whose running maximum end passes ``a``; they are looked through backwards, a block at a time in
        C-level passes, and only until ``cap`` are found (deep overlaps have them among the last spans started).
        Then one sweep over the spans starting in ``(a, b)`` with a heap of the covering spans' ends.
        """
        starts, ends = self._starts, self._ends
        hi = first = bisect_right(starts, a)
        if len(self._bmax) * BLOCK < len(ends):
            self._complete_blocks()
        lo = bisect_right(self._pmax, a) * BLOCK  # every span before lo ends at or before a
        active: list[int] = []
        while hi > lo and len(active) < cap:
            cut = max(lo, hi - BLOCK)
            active += filter(a.__lt__, ends[cut:hi])
            hi = cut
        at_a = depth = min(len(active), cap)
        if depth >= cap:
            return cap, cap
        heapify(active)
        i, j = first, bisect_left(starts, b, first)
        while i < j:
            start = starts[i]
            while i < j and starts[i] == start:
                heappush(active, ends[i])
                i += 1
            while active and active[0] <= start:
                heappop(active)
            if len(active) > depth:
                depth = len(active)
                if depth >= cap:
                    return at_a, cap
        return at_a, depth

    def starting_in(self, a: int, b: int) -> list[Span]:
        """Spans whose start is in ``[a, b)``, in order."""
        lo = bisect_left(self._starts, a)
        return self._spans[lo : bisect_left(self._starts, b, lo)]

    def at(self, pos: int) -> list[Span]:
        """Spans containing code point ``pos``, innermost (shortest) first."""
        found = self.overlapping(pos, pos + 1)
        found.sort(key=lambda s: (s.end - s.start, s.start, s.id))
        return found

    def innermost_at(self, pos: int) -> Span | None:
        found = self.at(pos)
        return found[0] if found else None

    def next_span(self, pos: int, after_id: int | None = None) -> Span | None:
        """The span after span ``after_id`` in order, or (no such span) the first from ``pos`` on."""
        if after_id is not None and after_id in self._ids():
            i = self.index_of(after_id) + 1
        else:
            i = bisect_left(self._starts, pos)
        return self._spans[i] if i < len(self._spans) else None

    def previous_span(self, pos: int, before_id: int | None = None) -> Span | None:
        """The span before span ``before_id`` in order, or (no such span) the last starting before ``pos``."""
        if before_id is not None and before_id in self._ids():
            i = self.index_of(before_id) - 1
        else:
            i = bisect_left(self._starts, pos) - 1
        return self._spans[i] if i >= 0 else None


def assign_lanes(spans: Sequence[Span], cap: int | None = None) -> list[int]:
    """Give overlapping spans different lanes (0, 1, 2, ...) so each can be drawn at its own height.

    ``spans`` must be in index order (start, end, label, id); the result is parallel to it. Greedy first fit: each
    span takes the lowest lane whose span has ended, so the number of lanes is the greatest overlap depth;
    spans sharing a start are taken longest first, so the outer of two nested spans gets the lower lane. With
    ``cap``, only lanes ``0..cap-1`` are tracked and deeper spans get ``cap``: O(cap) per span however dense
    the overlaps (a screenful of a 50 k-character statement with 10 000 spans holds thousands).
    """
    lane_ends: list[int] = []  # end of the span holding each lane
    n = len(spans)
    out = [0] * n
    full_until = -1  # with all ``cap`` lanes taken: the first position where one frees up
    overflow = -1 if cap is None else cap
    i = 0
    while i < n:
        j = i + 1
        start = spans[i].start
        while j < n and spans[j].start == start:
            j += 1
        if start < full_until:  # the common case in dense overlaps: every lane still busy
            out[i:j] = [overflow] * (j - i)
            i = j
            continue
        for k in range(j - 1, i - 1, -1):  # same start: longest (last in index order) first
            for lane, end in enumerate(lane_ends):
                if end <= start:
                    lane_ends[lane] = spans[k].end
                    out[k] = lane
                    break
            else:
                if cap is None or len(lane_ends) < cap:
                    out[k] = len(lane_ends)
                    lane_ends.append(spans[k].end)
                else:
                    out[k] = overflow
        if cap is not None and len(lane_ends) == cap:
            full_until = min(lane_ends)
        i = j
    return out


def joined(regions: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """``(start, end)`` regions sorted, those that overlap made one; regions that only touch stay apart (an
    annotator's units of one label, ``agreement/unitizing.py``; the hits ``highlight()`` marks as one, the search)."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(regions):
        if out and s < out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out
