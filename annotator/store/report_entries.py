"""The agreement report's shares of my statements, kept while a colleague file is open for review
(``core/review_kept.py`` says what a share is), and the bulk reads that make them.

The background comparison (``store/review_index.py``) visits every aligned statement once: it makes each one's share
there and keeps it (:meth:`KeptShares.put`) with the statement's revision (``span_revisions``, schema v6, one more
on every write of one of its spans, by triggers). A report (``store/review_report.py``) reads the revisions first,
recomputes the shares that are missing or whose revision moved -- an edit in the window, an undo, a write from the
command line in another process -- and adds the rest from the running sums. A share is kept for one colleague of
one file against one project (:func:`kept_for`); the file's :meth:`~annotator.store.colleague.ColleagueFile.close`
lets go of them.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from annotator import pacing
from annotator.core import review_kept as kept
from annotator.core.agreement import lean
from annotator.core.agreement.sets import SpanTuple
from annotator.store.connection import translated
from annotator.store.project import Project

if TYPE_CHECKING:
    from annotator.store.colleague import ColleagueFile

#: statements read at once by :func:`batches` (one query each for their texts, my spans and theirs)
BATCH = 128


class KeptShares:
    """One colleague's shares of my statements: ``entries[doc_id]`` (:func:`~annotator.core.review_kept.keep`: the
    revision, the document row's values, the entry) and their running sum (:attr:`totals`), changed under
    :attr:`lock` only. The values (the document rows) follow the codebook's
    order :attr:`codebook` (:meth:`follow`)."""

    def __init__(self, codebook: Sequence[str]) -> None:
        self.lock = threading.Lock()
        self.labels = kept.Labels()
        self.entries: dict[int, bytes] = {}
        self.totals = kept.Totals()
        self.codebook = tuple(codebook)
        self.overall = lean.Overall(self.codebook)

    def make(self, text: str, mine: Sequence[SpanTuple], theirs: Sequence[SpanTuple]
             ) -> tuple[kept.Entry, kept.Values, lean.Overall]:
        measured, counts = kept.share(text, mine, theirs)
        overall = self.overall
        return (kept.encode(measured, counts, len(mine), len(theirs), self.labels),
                kept.values(measured, counts, len(mine), len(theirs), overall), overall)

    def put(self, doc_id: int, revision: int, made: tuple[kept.Entry, kept.Values, lean.Overall]) -> None:
        """Keep a statement's share as of ``revision``, unless a later one is kept already."""
        entry, values, overall = made
        with self.lock:
            old = self.entries.get(doc_id)
            if old is not None:
                if kept.revision_of(old) > revision:
                    return
                self.totals.add(kept.entry_of(old), -1)
            if overall is not self.overall:  # made while the codebook changed
                values = self._values(entry)
            self.entries[doc_id] = kept.keep(revision, values, entry)
            self.totals.add(entry)

    def _values(self, entry: kept.Entry) -> kept.Values:
        measured, counts, n_mine, n_theirs = kept.decode(entry, self.labels)
        return kept.values(measured, counts, n_mine, n_theirs, self.overall)

    def follow(self, codebook: Sequence[str]) -> None:
        """The codebook's order now (κ's mean per document adds the labels in it): every row again if it moved."""
        with self.lock:
            if tuple(codebook) == self.codebook:
                return
            self.codebook = tuple(codebook)
            self.overall = lean.Overall(self.codebook)
            for doc_id, found in self.entries.items():
                entry = kept.entry_of(found)
                self.entries[doc_id] = kept.keep(kept.revision_of(found), self._values(entry), entry)


_kept_lock = threading.Lock()


def kept_for(cfile: ColleagueFile, project: Project, colleague: str, codebook: Sequence[str]) -> KeptShares:
    """The shares kept for ``colleague`` of ``cfile`` against ``project`` (made empty when first asked)."""
    key = (str(project.path.resolve()), colleague)
    with _kept_lock:
        found = cfile.kept.get(key)
        if found is None:
            found = cfile.kept[key] = KeptShares(codebook)
    return found


def revisions(conn: sqlite3.Connection) -> dict[int, int] | None:
    """Every statement's revision (absent: 0); None for a project without them (older than schema 6, read-only):
    nothing can be kept for it."""
    try:
        return dict(pacing.rows(conn.execute("SELECT doc_id, revision FROM span_revisions")))
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise


def theirs_of(rows: Sequence[tuple[Any, ...]], cfile: ColleagueFile, colleague: str | None) -> list[SpanTuple]:
    """``(start, end, label)`` of one colleague's (or everyone's, None) of their rows ``(start, end, label,
    annotator)``."""
    if colleague is None:
        return [(r[0], r[1], r[2]) for r in rows]
    default = cfile.default_name
    return [(r[0], r[1], r[2]) for r in rows if (r[3] or default) == colleague]


Read = tuple[int, str, str, str, list[tuple[int, SpanTuple]], list[tuple[int, int, str, str]]]


def batches(project: Project, cfile: ColleagueFile, pairs: Sequence[tuple[int, str]]
            ) -> Iterator[list[Read]]:
    """``(doc_id, sha, title, text, my spans as (id, (start, end, label)) in (start, end, label, id) order, their
    rows)`` of ``pairs`` (my doc id, the text's SHA-256), in their order, :data:`BATCH` statements at a time."""
    conn = project.conn
    intern: dict[str, str] = {}
    for n in range(0, len(pairs), BATCH):
        chunk = pairs[n:n + BATCH]
        ids = tuple(doc_id for doc_id, _ in chunk)
        marks = ",".join("?" * len(ids))
        pacing.pace()  # each query below steps its rows letting go of the GIL: the window takes it here
        with translated("read", project.path):
            docs = {i: (t, x) for i, t, x in conn.execute(
                f"SELECT id, title, text FROM documents WHERE id IN ({marks})", ids)}
            pacing.pace()
            mine: dict[int, list[tuple[int, SpanTuple]]] = {i: [] for i in ids}
            for doc_id, span_id, start, end, label in conn.execute(
                    f'SELECT doc_id, id, start, "end", label FROM spans WHERE doc_id IN ({marks})'
                    ' ORDER BY doc_id, start, "end", label, id', ids):
                mine[doc_id].append((span_id, (start, end, intern.setdefault(label, label))))
        pacing.pace()
        theirs = cfile.rows_of([sha for _, sha in chunk])
        yield [(i, sha, *docs[i], mine[i], theirs.get(sha, [])) for i, sha in chunk]
