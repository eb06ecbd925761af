"""The agreement report of a colleague file against my project (annotator/store/review.py holds the rest of the
review), computed from documents read one at a time, and the read-only connection it runs on off the GUI thread."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote

from annotator.core import review as core
from annotator.store import original
from annotator.store.connection import BUSY_TIMEOUT_MS, translated
from annotator.store.project import Project

if TYPE_CHECKING:
    from annotator.store.review import Colleague, ColleagueFile


class _ReportDocs(Sequence[core.ReportDoc]):
    """The aligned documents of a report, each read from my project when the report reaches it (its text, my
    spans, their spans, and my spans before adjudication where an accept changed them): a 100 000-statement
    report holds one text at a time, not all of them."""

    def __init__(self, project: Project, pairs: list[tuple[int, str]], colleague_file: ColleagueFile,
                 colleague: Colleague | None) -> None:
        self._project, self._pairs, self._file, self._colleague = project, pairs, colleague_file, colleague
        self._undone = original.changes(project.conn)
        self.has_before = bool(self._undone)  # build_report sums the figures before adjudication only then
        self.sha256s = [sha for _, sha in pairs]
        self._last: tuple[int, core.ReportDoc] | None = None

    def __len__(self) -> int:
        return len(self._pairs)

    def __getitem__(self, i: int) -> core.ReportDoc:  # type: ignore[override]
        if self._last is not None and self._last[0] == i:
            return self._last[1]
        doc_id, sha = self._pairs[i]
        doc = self._project.document(doc_id)
        mine = self._project.spans(doc_id)
        undone = self._undone.get(doc_id)
        earlier = None
        if undone is not None:
            earlier = [core.TheirSpan(*t) for t in original.before_sequence(mine, undone)]
        found = core.ReportDoc(sha, doc.title, doc.text, mine, self._file.spans(sha, self._colleague), earlier)
        self._last = (i, found)
        return found


def review_report(
    project: Project, colleague_file: ColleagueFile, colleague: Colleague | None = None,
    progress: core.Progress | None = None,
) -> core.Report:
    """The agreement report of one colleague (or the whole file) against my project, over aligned documents.

    ``progress(done, total)`` as documents are read; an exception it raises (a cancel) stops the report.
    """
    alignment = colleague_file.align(project)
    labels = project.labels()
    titles = project.conn.execute  # a title comes before the text in its row: no text is read for it
    return core.build_report(
        _ReportDocs(project, alignment.pairs, colleague_file, colleague),
        labels=[lb.key for lb in labels],
        mine=f"{project.user}@{project.path.name}",
        theirs=colleague.origin if colleague else colleague_file.name,
        # their names for the labels my codebook lacks, mine for the rest
        label_names={
            **{lb.key: lb.name for c in colleague_file.colleagues for lb in c.codebook},
            **{lb.key: lb.name for lb in labels},
        },
        only_mine=[titles("SELECT title FROM documents WHERE id = ?", (i,)).fetchone()[0] for i in alignment.only_mine],
        only_theirs=[d.title for d in alignment.only_theirs],
        progress=progress,
    )


def reader(project: Project) -> Project:
    """A second, read-only connection to ``project``'s file, for work off the GUI thread (a report): it reads
    what is committed, never writes, and may be used from the thread that asks for it."""
    with translated("open", project.path):
        conn = sqlite3.connect(f"file:{quote(str(project.path.resolve()))}?mode=ro", uri=True,
                               isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return Project(conn, project.path, True, project.user, None)
