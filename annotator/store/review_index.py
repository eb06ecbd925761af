"""Which of my statements hold open disagreements with each colleague of a file, found in the background.

:func:`walk` (run in a thread, on its own connections) compares my statements with a colleague file one at a time,
in the order the reviewer walks them: from the statement shown, forward, and (one in every few) backward, so what
J and K reach first is known first. It hands over batches; :class:`ReviewIndex` (owned by the window's thread)
keeps them as compact arrays -- my aligned ids and one byte per colleague -- never as spans or hashes.

What the window learns afterwards wins over what the walk found: a statement reviewed in the window is
:meth:`ReviewIndex.settle` d (its open state as of now), one changed by a bulk adjudication is :meth:`ReviewIndex.stale`
(looked at again when J reaches it). So J / K / the counts stay right while the walk runs and after.
"""

from __future__ import annotations

import time
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from annotator import gcpause, pacing
from annotator.core import review as core
from annotator.store import report_entries
from annotator.store.colleague import ColleagueFile
from annotator.store.listing import has_listing
from annotator.store.project import Project

FORWARD_PER_BACKWARD = 4  # the walk's pace: four statements after the start for each one before it
#: The walk keeps three objects per statement for the report (store/report_entries.py) and the collector's full
#: pass, which holds every thread, walks all of them (and the window's): the walk freezes what exists when it starts
#: and, every this many statements, what it kept since, so a full pass meets a few thousand objects at most
_REFREEZE = 2048


@dataclass
class Batch:
    """What the walk found since the last batch: (my doc id, a bit per colleague with open items) going forward
    and going backward, how far each direction got, and how many statements were looked at."""

    forward: list[tuple[int, int]] = field(default_factory=list)
    backward: list[tuple[int, int]] = field(default_factory=list)
    reached: tuple[int, int] = (0, 0)  # the last id looked at forward, backward
    done: tuple[bool, bool] = (False, False)
    examined: int = 0
    aligned: int = 0


def _rejections(reader: Project) -> dict[int, set[tuple[str, str]]]:
    out: dict[int, set[tuple[str, str]]] = {}
    for doc_id, origin, key in reader.conn.execute(
            "SELECT doc_id, origin, item_key FROM review_decisions WHERE decision = 'reject'"):
        out.setdefault(doc_id, set()).add((origin, key))
    return out


def open_bits(reader: Project, doc_id: int, sha: str, cfile: ColleagueFile, conn: object,
              rejected: set[tuple[str, str]], theirs: list[tuple[Any, ...]] | None = None,
              mine: list[tuple[Any, ...]] | None = None) -> int | None:
    """A bit per colleague of ``cfile`` (in its order) whose items of this statement include an open one; None if
    they lack the statement. Without a rejection in it, a statement is settled exactly when both sides hold the
    same (start, end, label) multiset -- no classification needed; with one, the items are classified.
    ``theirs`` (:meth:`ColleagueFile.triples`) and ``mine`` (sorted triples) when read already."""
    if theirs is None:
        theirs = cfile.triples(sha, conn)  # type: ignore[arg-type]
    if theirs is None:
        return None
    colleagues = cfile.colleagues
    if rejected:
        mine_spans = reader.spans(doc_id)
        all_theirs = cfile.spans(sha, None, conn)  # type: ignore[arg-type]
        bits = 0
        for n, c in enumerate(colleagues):
            items = core.classify(mine_spans, [s for s in all_theirs if (s.annotator or cfile.default_name) == c.name])
            if any(i.is_disagreement and (c.origin, i.key) not in rejected for i in items):
                bits |= 1 << n
        return bits
    if mine is None:
        mine = _mine(reader, doc_id)
    if len(colleagues) == 1:
        return int(mine != theirs)
    by_name = _by_colleague(theirs, cfile)
    bits = 0
    for n, c in enumerate(colleagues):
        if sorted(by_name.get(c.name, [])) != mine:
            bits |= 1 << n
    return bits


def _mine(reader: Project, doc_id: int) -> list[tuple[Any, ...]]:
    return reader.conn.execute(
        'SELECT start, "end", label FROM spans WHERE doc_id = ? ORDER BY start, "end", label', (doc_id,)).fetchall()


def _by_colleague(theirs: list[tuple[Any, ...]], cfile: ColleagueFile) -> dict[str, list[tuple[Any, ...]]]:
    """Their ``(start, end, label, annotator)`` rows as each colleague's ``(start, end, label)``."""
    by_name: dict[str, list[tuple[Any, ...]]] = {}
    for start, end, label, annotator in theirs:
        by_name.setdefault(annotator or cfile.default_name, []).append((start, end, label))
    return by_name


class _Shares:
    """What the walk keeps for the agreement report (``store/report_entries.py``): each aligned statement's share
    for each colleague, with the statement's revision read before its spans."""

    def __init__(self, reader: Project, cfile: ColleagueFile) -> None:
        self.revisions = report_entries.revisions(reader.conn)
        codebook = [lb.key for lb in reader.labels()] if self.revisions is not None else []
        self.kept = [report_entries.kept_for(cfile, reader, c.name, codebook) for c in cfile.colleagues] \
            if self.revisions is not None else []
        self.reader, self.cfile = reader, cfile

    def add(self, doc_id: int, theirs: list[tuple[Any, ...]], mine: list[tuple[Any, ...]]) -> None:
        if self.revisions is None:
            return
        revision = self.revisions.get(doc_id, 0)
        text = self.reader.conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
        if len(self.kept) == 1:
            self.kept[0].put(doc_id, revision, self.kept[0].make(text, mine, theirs))
            return
        by_name = _by_colleague(theirs, self.cfile)
        for c, shares in zip(self.cfile.colleagues, self.kept, strict=True):
            shares.put(doc_id, revision, shares.make(text, mine, by_name.get(c.name, [])))


def walk(reader: Project, cfile: ColleagueFile, start: int, emit: Callable[[Batch], None],
         cancelled: Callable[[], bool], every: float = 0.1) -> None:
    """Compare every statement of mine (``reader``: my project, read-only, this thread's) with ``cfile``, from
    ``start`` on; ``emit`` a :class:`Batch` every ``every`` seconds and at the end. Stops when ``cancelled()``."""
    conn = cfile.connect()
    gcpause.hold()  # see _REFREEZE
    try:
        rejected = _rejections(reader)
        shares = _Shares(reader, cfile)  # its revisions read before any span
        if has_listing(reader.conn):  # (id, ..., sha256) in a small index: the texts' pages are never read
            forward = reader.conn.execute("SELECT id, sha256 FROM documents INDEXED BY documents_listing"
                                          " WHERE id >= ? ORDER BY id", (start,))
            backward = reader.conn.execute("SELECT id, sha256 FROM documents INDEXED BY documents_listing"
                                           " WHERE id < ? ORDER BY id DESC", (start,))
        else:
            forward = reader.conn.execute("SELECT id, sha256 FROM documents WHERE id >= ? ORDER BY id", (start,))
            backward = reader.conn.execute("SELECT id, sha256 FROM documents WHERE id < ? ORDER BY id DESC", (start,))
        batch = Batch(reached=(start - 1, start))
        ahead: Iterator[tuple[int, str]] | None = iter(forward)
        behind: Iterator[tuple[int, str]] | None = iter(backward)
        last = time.monotonic()
        n = 0
        while ahead is not None or behind is not None:
            if cancelled():
                return
            go_back = ahead is None or (behind is not None and n % (FORWARD_PER_BACKWARD + 1) == FORWARD_PER_BACKWARD)
            n += 1
            row = next(behind if go_back else ahead, None)  # type: ignore[arg-type]
            if row is None:
                if go_back:
                    behind = None
                else:
                    ahead = None
                batch.done = (ahead is None, behind is None)
                continue
            doc_id, sha = row
            theirs = cfile.triples(sha, conn)
            bits = None
            if theirs is not None:
                mine = _mine(reader, doc_id)
                bits = open_bits(reader, doc_id, sha, cfile, conn, rejected.get(doc_id, set()), theirs, mine)
                shares.add(doc_id, theirs, mine)
            if bits is not None:
                batch.aligned += 1
                (batch.backward if go_back else batch.forward).append((doc_id, bits))
            batch.examined += 1
            if n % _REFREEZE == 0:
                with gcpause.held():  # what the walk kept so far joins the frozen objects (the outer hold stays)
                    pass
            pacing.pace()  # hands the GIL to the window's thread for real (annotator/pacing.py)
            batch.reached = (batch.reached[0], doc_id) if go_back else (doc_id, batch.reached[1])
            if time.monotonic() - last >= every:
                emit(batch)
                batch = Batch(reached=batch.reached, done=batch.done)
                last = time.monotonic()
        batch.done = (True, True)
        emit(batch)
        if shares.revisions is not None:
            # kept by the file: the agreement report starts from it (1.7 s at 100 000). Its 100 000-row lists set off
            # full collector passes of 10-14 ms each in this thread, which hold the window's thread too (#14)
            with gcpause.collector_off():
                cfile.align(reader, conn)
    finally:
        gcpause.release()
        if conn is not None:
            conn.close()


class ReviewIndex:
    """One colleague file's walk as the window keeps it: my aligned ids and their open bits, both directions."""

    def __init__(self, start: int, total: int, colleagues: int) -> None:
        self.start, self.total, self.colleagues = start, total, colleagues
        self.fwd_ids, self.bwd_ids = array("q"), array("q")  # ascending from start; descending below it
        self.fwd_bits: list[bytearray] = [bytearray() for _ in range(colleagues)]
        self.bwd_bits: list[bytearray] = [bytearray() for _ in range(colleagues)]
        self.reached = (start - 1, start)
        self.done = (False, False)
        self.examined = 0
        self.aligned = 0
        self.overrides: dict[tuple[int, int], bool] = {}  # (doc id, colleague) → open, as the window last saw it
        #: changed since the walk saw them, not looked at again yet: these, and every one of ``bulk_ids``
        self.stale_ids: set[int] = set()
        #: the ones a bulk adjudication changed (not the window's views): the adjudication's own set, kept as it is
        #: (Accept All Agreed's hundred thousand, copied into two sets per colleague file, held the window 20-40 ms)
        self.bulk_ids: AbstractSet[int] = frozenset()
        self._settled_bulk = [0] * colleagues  # per colleague: bulk ids the window has settled for it since
        self.stopped = False  # the walk was cancelled or failed: what it did not reach stays unknown

    @property
    def finished(self) -> bool:
        return self.done == (True, True)

    def add(self, batch: Batch) -> None:
        for pairs, ids, bits in ((batch.forward, self.fwd_ids, self.fwd_bits),
                                 (batch.backward, self.bwd_ids, self.bwd_bits)):
            for doc_id, b in pairs:
                ids.append(doc_id)
                for n in range(self.colleagues):
                    bits[n].append((b >> n) & 1)
        self.reached, self.done = batch.reached, batch.done
        self.examined += batch.examined
        self.aligned += batch.aligned

    def release(self) -> None:
        self.__init__(self.start, 0, 0)  # type: ignore[misc]

    # ------------------------------------------------------------------ what is known
    def examined_id(self, doc_id: int) -> bool:
        if doc_id >= self.start:
            return self.done[0] or doc_id <= self.reached[0]
        return self.done[1] or doc_id >= self.reached[1]

    def walked(self, doc_id: int, colleague: int) -> bool | None:
        """The walk's answer for an aligned statement it reached: open or not; None if it is not aligned."""
        if doc_id >= self.start:
            i = bisect_left(self.fwd_ids, doc_id)
            if i < len(self.fwd_ids) and self.fwd_ids[i] == doc_id:
                return bool(self.fwd_bits[colleague][i])
            return None
        i = self._bwd_above(doc_id)  # bwd_ids descending: the first entry <= doc_id
        if i < len(self.bwd_ids) and self.bwd_ids[i] == doc_id:
            return bool(self.bwd_bits[colleague][i])
        return None

    def _bwd_above(self, doc_id: int) -> int:
        """How many of the (descending) backward ids are above ``doc_id``."""
        lo, hi = 0, len(self.bwd_ids)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.bwd_ids[mid] > doc_id:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def settle(self, doc_id: int, colleague: int, is_open: bool) -> None:
        """The window reviewed this statement against this colleague just now: it is (not) open."""
        if (doc_id, colleague) not in self.overrides and doc_id in self.bulk_ids:
            self._settled_bulk[colleague] += 1
        self.overrides[(doc_id, colleague)] = is_open

    def stale(self, doc_id: int) -> None:
        """This statement may have changed (the window shows it: an edit): look at it again before trusting any
        answer."""
        self._forget({doc_id})
        self.stale_ids.add(doc_id)

    def stale_all(self, doc_ids: AbstractSet[int]) -> None:
        """A bulk adjudication changed these statements: :meth:`stale`, at once for all (Accept All Agreed touches
        tens of thousands: one call each, for each colleague file, took a good part of the window's 0.26 s after it
        at 100 000 statements), and counted by :meth:`unsettled` until reviewed again. The set is kept as it is, not
        copied (100 000 ids copied twice per colleague file held the window 20-40 ms): the caller changes it no more
        (an adjudication's own, ``Adjudication.doc_ids``)."""
        self._forget(doc_ids)
        if doc_ids:
            self.bulk_ids = doc_ids if not self.bulk_ids else frozenset(self.bulk_ids | doc_ids)

    def _forget(self, doc_ids: AbstractSet[int]) -> None:
        """What the window saw of these statements no longer holds."""
        for key in [key for key in self.overrides if key[0] in doc_ids]:
            del self.overrides[key]
            if key[0] in self.bulk_ids:
                self._settled_bulk[key[1]] -= 1

    def unsettled(self, colleague: int) -> int:
        """Statements a bulk adjudication changed since the walk compared them, not reviewed against this colleague
        since: :meth:`open_count` still counts them as the walk found them; J compares each again as it comes."""
        return len(self.bulk_ids) - self._settled_bulk[colleague]

    def open_count(self, colleague: int) -> int:
        """Statements with open disagreements with this colleague, of those known (walked or seen since)."""
        count = self.fwd_bits[colleague].count(1) + self.bwd_bits[colleague].count(1) if self.colleagues else 0
        for (doc_id, n), is_open in self.overrides.items():
            if n != colleague:
                continue
            walked = self.walked(doc_id, n) if self.examined_id(doc_id) else None  # what the bytes above hold
            count += int(is_open) - int(bool(walked))
        return count

    def _aligned_after(self, doc_id: int) -> Iterator[int]:
        """Aligned ids the walk found, ascending, after ``doc_id``."""
        for i in range(self._bwd_above(doc_id) - 1, -1, -1):
            yield self.bwd_ids[i]
        for i in range(bisect_right(self.fwd_ids, doc_id), len(self.fwd_ids)):
            yield self.fwd_ids[i]

    def _aligned_before(self, doc_id: int) -> Iterator[int]:
        """Aligned ids the walk found, descending, before ``doc_id``."""
        for i in range(bisect_left(self.fwd_ids, doc_id) - 1, -1, -1):
            yield self.fwd_ids[i]
        for i in range(self._bwd_above(doc_id - 1), len(self.bwd_ids)):
            yield self.bwd_ids[i]

    def step(self, current: int, forward: bool, colleague: int, exact: Callable[[int], bool]
             ) -> tuple[str, int | None, bool]:
        """The next (previous) statement after ``current`` with open items, going round the end: ("found", id,
        wrapped), ("wait", None, False) when the walk has not reached the part where it would be, or ("none", None,
        False). ``exact(doc_id)`` reviews a statement that changed since the walk saw it (and settles it)."""
        low_known = self.done[1]  # everything below the start was walked
        high_known = self.done[0]

        def state(doc_id: int) -> bool:
            if (doc_id, colleague) in self.overrides:
                return self.overrides[(doc_id, colleague)]
            if doc_id in self.stale_ids or doc_id in self.bulk_ids:
                return exact(doc_id)
            return bool(self.walked(doc_id, colleague))

        # the ids between the current statement and where the walk stopped are unknown: wait for them
        if not self.examined_id(current):
            return "wait", None, False
        for doc_id in self._aligned_after(current) if forward else self._aligned_before(current):
            if state(doc_id):
                return "found", doc_id, False
        if not (high_known if forward else low_known):
            return "wait", None, False
        # round the end: from the other end back to the current statement
        if not (low_known if forward else high_known):
            return "wait", None, False
        ids = self._aligned_after(-(2**62)) if forward else self._aligned_before(2**62)
        for doc_id in ids:
            if doc_id == current:
                break
            if state(doc_id):
                return "found", doc_id, True
        return "none", None, False
