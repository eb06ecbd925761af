"""Colleagues' files for review (annotator/store/review.py holds the rest of the review). Documents align with mine
by SHA-256 of the text only: a document whose text differs is never aligned.

A colleague's *project* is never read whole into memory (100 000 statements and a million spans took 3 GB that way):
a :class:`ColleagueFile` keeps one read-only connection to it (``immutable`` in place, or a private copy when its
``-wal`` must be applied or its schema is older, as ``store/readonly.py`` does) and reads one document at a time,
found through the file's unique index on ``sha256`` (the reading itself: ``store/colleague_rows.py``). Their stored
hash is never trusted: the text it names is hashed again before its spans are used (a forged hash names a different
text: that document counts as missing), and their spans are checked against that text. What is checked whole before
any read stays the same for a small file; a large file's whole check (``quick_check`` and the type checks, seconds
at 600 MB) is :meth:`ColleagueFile.check_whole`, which the review runs in the background
(``store/review_index.py``).

An *export* (jsonl, doccano, brat, text) is read through the format readers, which hold it whole anyway.
"""

from __future__ import annotations

import sqlite3
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator import formats, pacing
from annotator.core import review as core
from annotator.core.model import Label
from annotator.core.text import sha256_text
from annotator.errors import AnnotatorError, Cancelled
from annotator.formats.common import reading_for
from annotator.store import connection, readonly
from annotator.store.colleague_rows import Rows, check_bounds, connect_read_only
from annotator.store.project import Project
from annotator.store.sources import check_comparable, is_project, read_notes


@dataclass(frozen=True, slots=True)
class Colleague:
    """One colleague in one file: the provenance an accepted span carries."""

    name: str
    file: str
    codebook: tuple[Label, ...] = field(default=(), compare=False)  # their labels, when the file is a project

    @property
    def origin(self) -> str:
        return f"{self.name}@{self.file}"


@dataclass(frozen=True, slots=True)
class TheirDocument:
    """A colleague's document as the review needs it: aligned by ``sha256`` to mine, whose text is the same, so
    theirs is not kept."""

    sha256: str
    title: str
    spans: tuple[core.TheirSpan, ...]


@dataclass(frozen=True, slots=True)
class Alignment:
    """How a colleague file's documents line up with my project's."""

    pairs: list[tuple[int, str]]  # (my doc_id, sha256), in my project's order
    only_theirs: list[TheirDocument]
    only_mine: list[int]
    #: my doc_id and their document with the same title but a different text: never aligned, worth a warning
    text_differs: list[tuple[int, TheirDocument]]


#: a colleague's project of this schema or later is read in place (it holds all the review reads: the listing index,
#: the stored lengths); an older one is copied and migrated first. Not SCHEMA_VERSION: what a later version adds
#: (v6: my project's span revisions, store/report_entries.py) is never read from a colleague's file, and copying a
#: 900 MB file on every open would cost what reading it in place saves
READ_IN_PLACE_FROM = 5
#: items between two paces in the alignment's passes over every statement: 30-60 us of Python
SLICE = 512

#: how a refusal of a colleague's file ends: it is read for the review, nothing of it is imported (it said "nothing
#: from this file was imported", which made a reviewer fear a write into the project: a newcomer's finding)
NOT_OPENED = "it is not opened for review"


class _Documents(Mapping[str, TheirDocument]):
    """``ColleagueFile.documents``: their documents by the SHA-256 of their text, read when looked up."""

    def __init__(self, owner: ColleagueFile) -> None:
        self._owner = owner

    def __contains__(self, sha: object) -> bool:
        return isinstance(sha, str) and self._owner.has(sha)

    def __getitem__(self, sha: str) -> TheirDocument:
        doc = self._owner.document(sha)
        if doc is None:
            raise KeyError(sha)
        return doc

    def __len__(self) -> int:
        return self._owner.count

    def __iter__(self) -> Iterator[str]:
        return iter(self._owner.shas())


class ColleagueFile:
    """A colleague's project or export, read-only; documents keyed by the SHA-256 of their text.

    For a project, :meth:`close` gives its connection (and private copy, if any) back; an unreferenced file is
    closed when it is collected."""

    def __init__(self, path: Path, documents: Mapping[str, TheirDocument], labels: Iterable[Label] = (),
                 rows: Rows | None = None, names: Iterable[str] = (), count: int = 0,
                 notes: Iterable[str] = ()) -> None:
        self.path = path
        self.name = path.name
        #: what the format readers said of an export (a doubt about its offsets, tasks skipped, what it held that a
        #: review cannot compare): shown to the user, never dropped
        self.notes = list(notes)
        self._memory = dict(documents)
        self._rows = rows
        self.count = count if rows is not None else len(self._memory)
        found = dict.fromkeys(names) if rows is not None else dict.fromkeys(
            s.annotator for d in self._memory.values() for s in d.spans)
        labels = tuple(labels)
        listed = [n or self.default_name for n in found] or [self.default_name]
        self.colleagues = [Colleague(n, self.name, labels) for n in dict.fromkeys(listed)]
        self.documents: Mapping[str, TheirDocument] = _Documents(self) if rows is not None else self._memory
        #: a large project's whole check is still to run (:meth:`check_whole`)
        self.unchecked = False
        #: the agreement report's shares kept for it, by (my project, colleague) (store/report_entries.py)
        self.kept: dict[tuple[str, str], Any] = {}
        self._aligned: dict[str, tuple[tuple[Any, ...], Alignment]] = {}  # :meth:`align`'s, by my project
        self._finalizer = weakref.finalize(self, rows.close) if rows is not None else None

    @property
    def default_name(self) -> str:
        """Whose spans carry no annotator: the file's stem (``bob.jsonl`` → ``bob``)."""
        return self.path.stem or self.path.name

    @property
    def lazy(self) -> bool:
        """Whether documents are read from the file when needed (a project) rather than held (an export)."""
        return self._rows is not None

    def close(self) -> None:
        """Give the file back (its connection, its private copy); an export's documents are dropped."""
        if self._finalizer is not None:
            self._finalizer()
        self._memory = {}
        self.kept, self._aligned = {}, {}

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, path: str | Path, progress: core.Progress | None = None,
             offsets: Mapping[Path, str] | None = None) -> ColleagueFile:
        """Open a project (never written, migrated or touched) or read an export (jsonl, doccano, brat, text).

        ``progress(done, total)``: steps of a project's open (or files of an export); an exception it raises (a
        cancel) stops the load. ``offsets``: the counting of a file's offsets (``utf16``, ``codepoints``, ...) by
        the paths ``formats.collect([path])`` gives, as the user chose it for a doubtful doccano file (the review's
        question, ``ui/files/offsets.py``); a file not named there is read in the counting it shows."""
        path = Path(path)
        check_comparable(path)  # as `annotator agree` says it: a file named like a project that is not one, ...
        if is_project(path):
            return cls._open_project(path, progress)
        docs: dict[str, TheirDocument] = {}
        notes: list[str] = []
        files = formats.collect([path])
        for n, file in enumerate(files, 1):
            if progress is not None:
                progress(n - 1, len(files))
            with reading_for(NOT_OPENED):  # a refusal's last words: a review reads, never imports
                result = formats.read(file, None, offsets.get(file) if offsets else None)
            for incoming in result.documents:
                sha = sha256_text(incoming.text)
                old = docs.get(sha)
                spans = tuple(core.TheirSpan(s.start, s.end, s.label, s.annotator, s.note) for s in incoming.spans)
                docs[sha] = TheirDocument(sha, old.title if old else incoming.title, (old.spans if old else ()) + spans)
            notes += read_notes(file, result)
        return cls(path, docs, notes=notes)

    @classmethod
    def _open_project(cls, path: Path, progress: core.Progress | None) -> ColleagueFile:
        step = progress or (lambda _done, _total: None)
        step(0, 4)
        with connection.translated("open", path):
            stamp = readonly.file_stamp(path)
            connection.check_header(path)
            small = path.stat().st_size <= connection.FULL_CHECK_BYTES
            if (connection.wal_pending(path) or readonly._version_of(path) < READ_IN_PLACE_FROM) or small:
                # the whole file checked before any read (and a private copy where it must be): as any read-only
                # open of a colleague's file
                with Project.open(path, readonly=True, cancelled=_asking(step)) as probe:
                    workdir = probe._workdir
                    probe._workdir = None  # ours now: removed when this file is closed
                    target = str(workdir / "project.sqlite") if workdir is not None else \
                        path.resolve().as_uri() + "?mode=ro&immutable=1"
                    probe_stamp = probe._stamp
                conn = connect_read_only(target)
                unchecked, stamp_kept = False, probe_stamp
            else:  # large: its identity now, its whole check in the background (check_whole)
                target = path.resolve().as_uri() + "?mode=ro&immutable=1"
                conn = connect_read_only(target)
                workdir, unchecked, stamp_kept = None, True, stamp
                try:
                    connection.check_identity(conn, path)
                except BaseException:
                    conn.close()
                    raise
        rows = Rows(path, conn, target, workdir, stamp_kept)
        try:
            step(1, 4)
            labels = [Label(*r) for r in rows.read(
                "SELECT key, name, shortcut, color, description FROM labels ORDER BY position, key")]
            if any(not all(isinstance(v, str) for v in lb.__dict__.values()) if hasattr(lb, "__dict__") else False
                   for lb in labels):
                raise AnnotatorError(f"{path} is damaged: a label has the wrong type")
            step(2, 4)
            names = cls._names(rows)
            step(3, 4)
            if not unchecked:
                check_bounds(rows)
            count = rows.read("SELECT count(*) FROM documents")[0][0]
            step(4, 4)
        except BaseException:
            rows.close()
            raise
        loaded = cls(path, {}, labels, rows=rows, names=names, count=count)
        loaded.unchecked = unchecked
        return loaded

    @staticmethod
    def _names(rows: Rows) -> list[str]:
        """Annotators in the order their first span appears (by document, then position)."""
        found = [a for (a,) in rows.read("SELECT DISTINCT annotator FROM spans")]
        if len(found) < 2:  # the usual file: one annotator, no order to find (a scan less)
            return [a if isinstance(a, str) else str(a) for a in found]
        firsts = [(a, rows.read("SELECT min(doc_id) FROM spans WHERE annotator = ?", (a,))[0][0]) for a in found]
        ordered: list[str] = []
        for doc_id in sorted({d for _, d in firsts}):
            here = {a for a, d in firsts if d == doc_id}
            if len(here) == 1:
                ordered += here
                continue
            for (a,) in rows.read("SELECT annotator FROM spans WHERE doc_id = ? ORDER BY start, \"end\", label, id",
                                  (doc_id,)):
                if a in here and a not in ordered:
                    ordered.append(a)
        return [a if isinstance(a, str) else str(a) for a in ordered]

    def check_whole(self, cancelled: Any = None) -> None:
        """A large project's whole check (``quick_check`` and the type checks), on its own connection (run it in
        the background); raises ProjectFileError on damage, ``errors.Cancelled`` when ``cancelled()``."""
        if self._rows is None or not self.unchecked:
            return
        conn = self._rows.connect()
        try:
            with connection.translated("read", self.path), connection.bounded(
                    conn, connection.budget_for(self.path), self.path, cancelled=cancelled):
                connection.check_contents(conn, self.path, None)
                check_bounds(self._rows, conn)
        finally:
            conn.close()
        self.unchecked = False

    def connect(self) -> sqlite3.Connection | None:
        """A connection of its own for another thread's reads (:meth:`spans` with ``conn``); None for an export.
        The caller closes it before the file is closed."""
        return self._rows.connect() if self._rows is not None else None

    # ------------------------------------------------------------------ reading
    def has(self, sha256: str, conn: sqlite3.Connection | None = None) -> bool:
        if self._rows is None:
            return sha256 in self._memory
        return self._rows.their_id(sha256, conn) is not None

    def document(self, sha256: str) -> TheirDocument | None:
        if self._rows is None:
            return self._memory.get(sha256)
        found = self._rows.find(sha256)
        if found is None:
            return None
        title = self._rows.read("SELECT title FROM documents WHERE id = ?", (found[0],))[0][0]
        rows = self._rows.spans(found[0], None, found[1])
        return TheirDocument(sha256, str(title), tuple(core.TheirSpan(*r) for r in rows))

    def shas(self) -> list[str]:
        """The SHA-256 of each of their texts (each text read and hashed: a walk of the whole file)."""
        if self._rows is None:
            return list(self._memory)
        out = []
        last = 0
        while batch := self._rows.read("SELECT id, text FROM documents WHERE id > ? ORDER BY id LIMIT 256", (last,)):
            out += [sha256_text(t) for _, t in batch if isinstance(t, str)]
            last = batch[-1][0]
        return out

    def colleague_of(self, span: core.TheirSpan) -> Colleague:
        name = span.annotator or self.default_name
        return next(c for c in self.colleagues if c.name == name)

    def spans(self, sha256: str, colleague: Colleague | None = None,
              conn: sqlite3.Connection | None = None) -> list[core.TheirSpan]:
        """Their spans of a document: one colleague's, or everyone's in the file (None); [] if they lack it.
        ``conn``: a connection from :meth:`connect`, for a thread of its own."""
        if self._rows is None:
            doc = self._memory.get(sha256)
            found = list(doc.spans) if doc is not None else []
        else:
            where = self._rows.find(sha256, conn)
            found = [] if where is None else [core.TheirSpan(*r) for r in self._rows.spans(where[0], conn, where[1])]
        if colleague is None:
            return found
        return [s for s in found if (s.annotator or self.default_name) == colleague.name]

    def triples(self, sha256: str, conn: sqlite3.Connection | None = None) -> list[tuple[Any, ...]] | None:
        """Their (start, end, label) of a document, sorted -- with the annotator as a fourth field when the file
        holds more than one colleague -- or None if they lack it: the least a comparison reads (the background
        walk, ``store/review_index.py``)."""
        if self._rows is None:
            doc = self._memory.get(sha256)
            if doc is None:
                return None
            return sorted((s.start, s.end, s.label, s.annotator) if len(self.colleagues) > 1
                          else (s.start, s.end, s.label) for s in doc.spans)
        where = self._rows.find(sha256, conn)
        if where is None:
            return None
        sql = ('SELECT start, "end", label, annotator FROM spans WHERE doc_id = ? ORDER BY start, "end", label, id'
               if len(self.colleagues) > 1 else
               'SELECT start, "end", label FROM spans WHERE doc_id = ? ORDER BY start, "end", label')
        return self._rows.spans(where[0], conn, where[1], sql)

    def rows_of(self, shas: Sequence[str], conn: sqlite3.Connection | None = None, notes: bool = False
                ) -> dict[str, list[tuple[Any, ...]]]:
        """Their ``(start, end, label, annotator)`` -- and ``note`` with ``notes`` -- of several documents at once (by
        the SHA-256 of the text, each checked as :meth:`spans` checks it), in the order of :meth:`spans`; a document
        they lack is left out. A few queries for a batch of documents where :meth:`spans` makes three for each (a
        report's bulk read, Accept All Agreed's)."""
        if self._rows is None:
            return {sha: [(s.start, s.end, s.label, s.annotator, s.note) if notes else
                          (s.start, s.end, s.label, s.annotator) for s in doc.spans]
                    for sha in shas if (doc := self._memory.get(sha)) is not None}
        rows = self._rows
        marks = ",".join("?" * len(shas))
        found = [(i, s) for s, i in rows.read(f"SELECT sha256, id FROM documents WHERE sha256 IN ({marks})",
                                              tuple(shas), conn) if isinstance(s, str) and type(i) is int]
        rows.verify(found, conn)
        sha_of = {i: s for i, s in found if i in rows.checked}
        if not sha_of:
            return {}
        marks = ",".join("?" * len(sha_of))
        ids = tuple(sha_of)
        length = dict(rows.read(f"SELECT id, length(text) FROM documents WHERE id IN ({marks})", ids, conn))
        out: dict[str, list[tuple[Any, ...]]] = {sha_of[i]: [] for i in ids}
        for doc_id, start, end, label, annotator, *note in rows.read(
                f'SELECT doc_id, start, "end", label, annotator{", note" if notes else ""} FROM spans'
                f' WHERE doc_id IN ({marks}) ORDER BY doc_id, start, "end", label, id', ids, conn):
            if not (type(start) is int and type(end) is int and 0 <= start < end <= length[doc_id]
                    and all(isinstance(v, str) for v in (label, annotator, *note))):
                raise AnnotatorError(f"{self.path} is damaged: a span ({start!r}-{end!r}) lies outside its "
                                     f"statement's text or has the wrong type; nothing more of it is read")
            out[sha_of[doc_id]].append((start, end, label, annotator, *note))
        return out

    def align(self, project: Project, conn: sqlite3.Connection | None = None) -> Alignment:
        """Which of my documents they have (by the hash of the text; each hash recomputed), in my order.

        Kept while my statements stay the same ones: a statement's text (so its hash) and title never change and
        the app deletes none, so the same number of them and the same last one (id and text) is the same set (a report
        at 100 000 statements spent 1.7 s of its 2.6 aligning again)."""
        key = str(project.path.resolve())
        count = project.conn.execute("SELECT count(*), max(id), (SELECT sha256 FROM documents INDEXED BY"
                                     " documents_listing ORDER BY id DESC LIMIT 1) FROM documents").fetchone()
        kept = self._aligned.get(key)
        if kept is not None and kept[0] == count:
            return kept[1]
        found = self._align(project, conn)
        self._aligned[key] = (count, found)
        return found

    def _align(self, project: Project, conn: sqlite3.Connection | None) -> Alignment:
        # every pass over the 100 000 statements is paced (annotator/pacing.py): a comprehension between two paces
        # kept the window's thread from the GIL 12-18 ms at a time, and every stall above 12 ms while a colleague
        # file was compared fell in this second at the walk's end (measured, issue #14)
        mine = list(pacing.rows(project.conn.execute("SELECT id, sha256, title FROM documents ORDER BY id")))
        by_title = {title: doc_id for doc_id, _sha, title in pacing.rows(mine, SLICE)}
        if self._rows is None:
            theirs_by_sha = {sha: d.title for sha, d in pacing.rows(list(self._memory.items()), SLICE)}
            pairs = [(i, s) for i, s, _t in pacing.rows(mine, SLICE) if s in self._memory]
        else:
            held: dict[str, tuple[int, str]] = {}
            rows = self._rows.read("SELECT sha256, id, title FROM documents INDEXED BY documents_listing", conn=conn)
            for sha, doc_id, title in pacing.rows(rows, SLICE):
                if isinstance(sha, str) and type(doc_id) is int:
                    held[sha] = (doc_id, str(title))
            pacing.drop(rows)
            self._rows.verify([(held[s][0], s) for _i, s, _t in pacing.rows(mine, SLICE) if s in held], conn)
            forged = self._rows.forged
            theirs_by_sha = {sha: title for sha, (doc_id, title) in pacing.rows(held.items(), SLICE)
                             if doc_id not in forged}
            pacing.drop(held)
            pairs = [(i, s) for i, s, _t in pacing.rows(mine, SLICE) if s in theirs_by_sha]
        mine_shas = {s for _i, s, _t in pacing.rows(mine, SLICE)}
        paired = {s for _i, s in pacing.rows(pairs, SLICE)}
        unmatched = [(s, t) for s, t in pacing.rows(theirs_by_sha.items(), SLICE) if s not in mine_shas]
        only_theirs = [(self.document(s) if self._rows is None else None) or TheirDocument(s, t, ())
                       for s, t in unmatched]
        differs = [(by_title[d.title], d) for d in only_theirs if d.title in by_title]
        found = Alignment(pairs, only_theirs, [i for i, s, _t in pacing.rows(mine, SLICE) if s not in paired],
                          differs)
        # in the review's thread: freed a slice at a time (at once, the window waited 25-30 ms for the GIL)
        pacing.drop(mine, by_title, mine_shas, paired, theirs_by_sha)
        return found


def _asking(step: core.Progress, every: float = 0.05) -> Callable[[], bool]:
    """``cancelled()`` for a check that asks every few thousand SQLite steps, from a ``progress`` that raises
    ``Cancelled`` once the user cancels: it is told (0, 4), the step the check is part of, at most every ``every``
    seconds."""
    last = [0.0]

    def cancelled() -> bool:
        now = time.monotonic()
        if now - last[0] < every:
            return False
        last[0] = now
        try:
            step(0, 4)
        except Cancelled:
            return True
        return False

    return cancelled

