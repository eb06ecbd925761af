"""The agreement report of a colleague file against my project (annotator/store/review.py holds the rest of the
review), computed from documents read one at a time, and the read-only connection it runs on off the GUI thread."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from annotator import gcpause, pacing
from annotator.core import review as core
from annotator.core import review_kept as kept_mod
from annotator.store import original
from annotator.store import report_entries as entries
from annotator.store.connection import beside_window, translated
from annotator.store.project import Project

if TYPE_CHECKING:
    from annotator.store.review import Colleague, ColleagueFile


class _ReportDocs(Sequence[core.ReportDoc]):
    """The aligned documents of a report, read from my project as the report walks them: its text, my spans,
    their spans, and my spans before adjudication where an accept changed them. A 100 000-statement report holds
    one batch of texts at a time, not all of them.

    Walked in order (:meth:`__iter__`, what :func:`~annotator.core.review.build_report` does), it reads the wanted
    statements only, a batch at a time (``report_entries.batches``: one query for their texts, one for my spans, a
    few for theirs). Indexing one document reads it alone."""

    def __init__(self, project: Project, pairs: list[tuple[int, str]], colleague_file: ColleagueFile,
                 colleague: Colleague | None) -> None:
        self._project, self._pairs, self._file, self._colleague = project, pairs, colleague_file, colleague
        self._undone = original.changes(project.conn)
        self.has_before = bool(self._undone)  # build_report sums the figures before adjudication only then
        self.sha256s = [sha for _, sha in pairs]

    def __len__(self) -> int:
        return len(self._pairs)

    def _doc(self, doc_id: int, sha: str, title: str, text: str, mine: list[tuple[int, tuple[int, int, str]]],
             theirs: Sequence[core.SpanLike] | Sequence[tuple[int, int, str]]) -> core.ReportDoc:
        undone = self._undone.get(doc_id)
        earlier = None if undone is None else original.before(mine, undone)
        return core.ReportDoc(sha, title, text, [t for _, t in mine], theirs, earlier)

    def __getitem__(self, i: int) -> core.ReportDoc:  # type: ignore[override]
        doc_id, sha = self._pairs[i]
        conn = self._project.conn
        with translated("read", self._project.path):
            title, text = conn.execute("SELECT title, text FROM documents WHERE id = ?", (doc_id,)).fetchone()
            mine = [(span_id, (s, e, label)) for span_id, s, e, label in conn.execute(
                'SELECT id, start, "end", label FROM spans WHERE doc_id = ? ORDER BY start, "end", label, id',
                (doc_id,))]
        return self._doc(doc_id, sha, title, text, mine, self._file.spans(sha, self._colleague))

    def __iter__(self) -> Iterator[core.ReportDoc]:
        name = self._colleague.name if self._colleague is not None else None
        for batch in entries.batches(self._project, self._file, self._pairs):
            for doc_id, sha, title, text, mine, rows in batch:
                pacing.pace()
                yield self._doc(doc_id, sha, title, text, mine, entries.theirs_of(rows, self._file, name))


def review_report(
    project: Project, colleague_file: ColleagueFile, colleague: Colleague | None = None,
    progress: core.Progress | None = None, keep: bool = True,
) -> core.Report:
    """The agreement report of one colleague (or the whole file) against my project, over aligned documents.

    One colleague's report adds the shares kept for it (``store/report_entries.py``: made by the background
    comparison, or by an earlier report) and computes only those missing or changed since, keeping them;
    ``keep=False`` (or a whole file's report) computes every document. The figures are the same either way.
    ``progress(done, total)`` as documents are read; an exception it raises (a cancel) stops the report.
    """
    # Objects that exist before the report are frozen out of the cyclic collector while it runs: a full
    # collection halfway through would walk every one of them (a colleague file's million spans) holding the GIL,
    # and the window, whose thread waits for it, froze for a second (measured at 10 000 statements).
    conn = project.conn
    began = not conn.in_transaction
    with gcpause.held(), translated("read", project.path):
        if began:  # one snapshot: the revisions read first are those of the spans read after
            conn.execute("BEGIN")
        try:
            alignment = colleague_file.align(project)
            labels = project.labels()
            codebook = [lb.key for lb in labels]
            common: dict[str, Any] = {
                "labels": codebook,
                "mine": f"{project.user}@{project.path.name}",
                "theirs": colleague.origin if colleague else colleague_file.name,
                # their names for the labels my codebook lacks, mine for the rest
                "label_names": {
                    **{lb.key: lb.name for c in colleague_file.colleagues for lb in c.codebook},
                    **{lb.key: lb.name for lb in labels},
                },
                "only_mine": [conn.execute("SELECT title FROM documents WHERE id = ?", (i,)).fetchone()[0]
                              for i in alignment.only_mine],  # a title comes before the text in its row
                "only_theirs": [d.title for d in alignment.only_theirs],
            }
            revisions = entries.revisions(conn) if keep and colleague is not None else None
            if revisions is not None and colleague is not None:
                shares = entries.kept_for(colleague_file, project, colleague.name, codebook)
                found = _kept_report(project, colleague_file, colleague.name, alignment.pairs, revisions, shares,
                                     progress, common)
                if found is not None:
                    return found
            return core.build_report(_ReportDocs(project, alignment.pairs, colleague_file, colleague),
                                     progress=progress, **common)
        finally:
            if began and conn.in_transaction:
                conn.execute("COMMIT")


def _kept_report(project: Project, cfile: ColleagueFile, colleague: str, pairs: list[tuple[int, str]],
                 revisions: dict[int, int], shares: entries.KeptShares, progress: core.Progress | None,
                 common: dict[str, Any]) -> core.Report | None:
    """The report from the kept shares, those missing or stale computed (and kept) first; None if the kept shares
    kept moving on (a later revision each time) while it was summed."""
    shares.follow(common["labels"])
    undone = original.changes(project.conn)
    kept = shares.entries
    local: dict[int, tuple[kept_mod.Entry, kept_mod.Values]] = {}  # shares as this report's snapshot has them
    befores: dict[int, kept_mod.Entry] = {}
    total = len(pairs)
    todo = [(d, s) for d, s in pacing.rows(pairs, _PACED)  # paced: at once, the report's first stall (py-spy)
            if d in undone or (e := kept.get(d)) is None or kept_mod.revision_of(e) != revisions.get(d, 0)]
    read, planned = 0, len(todo) + total
    for _round in range(3):
        for batch in entries.batches(project, cfile, todo):
            for doc_id, _sha, _title, text, mine, their_rows in batch:
                pacing.pace()
                theirs = entries.theirs_of(their_rows, cfile, colleague)
                if doc_id not in local:
                    made = shares.make(text, [t for _, t in mine], theirs)
                    local[doc_id] = made[:2]
                    shares.put(doc_id, revisions.get(doc_id, 0), made)
                    if (u := undone.get(doc_id)) is not None:
                        earlier = original.before(mine, u)
                        measured, counts = kept_mod.share(text, earlier, theirs)
                        befores[doc_id] = kept_mod.encode(measured, counts, len(earlier), len(theirs), shares.labels)
            read += len(batch)
            if progress is not None:
                progress(min(read, planned - total), planned)
        with shares.lock:
            chosen, totals, todo = _snapshot(pairs, revisions, shares, local)
        if not todo:
            break
    else:
        return None
    after = totals.side(shares.labels)
    before = None
    if befores:
        earlier_totals = totals.copy()
        for doc_id, entry in befores.items():
            earlier_totals.add(kept_mod.entry_of(chosen[doc_id]), -1)
            earlier_totals.add(entry)
        before = earlier_totals.side(shares.labels)
    titles = dict(pacing.rows(project.conn.execute("SELECT id, title FROM documents INDEXED BY documents_listing")))
    rows = []
    base = planned - total
    for n in range(0, total, _ROWS):
        pacing.pace()
        rows += [kept_mod.row(sha, titles[d], kept_mod.values_of(chosen[d]))
                 for d, sha in pacing.rows(pairs[n:n + _ROWS], _PACED)]
        if progress is not None:
            progress(base + min(total, n + _ROWS), base + total)
    report = core.assemble(after, before, len(befores), rows, common["labels"], common["label_names"],
                           totals.n_theirs, common["mine"], common["theirs"], common["only_mine"],
                           common["only_theirs"])
    pacing.drop(titles, chosen)  # 100 000 entries each, freed a slice at a time in the report's thread
    return report


#: document rows made between two progress calls (a cancel is seen that often)
_ROWS = 4096
#: statements a loop of the report handles between two looks at :func:`annotator.pacing.pace`: 4 096 rows made
#: without one, or the 100 000 statements of :func:`_snapshot`, held the GIL in 5 ms turns against the window's
#: thread, which needs it a few times per event, and kept it waiting 40 ms (measured, issue #14)
_PACED = 64


def _snapshot(pairs: list[tuple[int, str]], revisions: dict[int, int], shares: entries.KeptShares,
              local: dict[int, tuple[kept_mod.Entry, kept_mod.Values]]
              ) -> tuple[dict[int, bytes], kept_mod.Totals, list[tuple[int, str]]]:
    """(each wanted statement's share as of the report's revisions, their sum, the statements with neither a kept
    nor a local share of that revision); the caller holds the lock."""
    kept = shares.entries
    totals = shares.totals.copy()
    chosen: dict[int, bytes] = {}  # as kept (core/review_kept.py keep)
    missing = []
    for doc_id, sha in pacing.rows(pairs, _PACED):
        found = kept.get(doc_id)
        if found is not None and kept_mod.revision_of(found) == revisions.get(doc_id, 0):
            chosen[doc_id] = found
            continue
        mine = local.get(doc_id)
        if mine is None:
            missing.append((doc_id, sha))
            continue
        if found is not None:  # a later revision is kept (written after this report's snapshot): not this one's
            totals.add(kept_mod.entry_of(found), -1)
        totals.add(mine[0])
        chosen[doc_id] = kept_mod.keep(revisions.get(doc_id, 0), mine[1], mine[0])
    if not missing:
        for doc_id in pacing.rows(kept, _PACED):  # kept but not wanted (not aligned now); a set difference of the
            if doc_id not in chosen:              # keys, in one step, held the GIL 30 ms at 100 000 (issue #14)
                totals.add(kept_mod.entry_of(kept[doc_id]), -1)
    return chosen, totals, missing


def reader(project: Project) -> Project:
    """A second, read-only connection to ``project``'s file, for work off the GUI thread (a report): it reads
    what is committed, never writes, and may be used from the thread that asks for it."""
    return Project(beside_window(project.path, write=False), project.path, True, project.user, None)
