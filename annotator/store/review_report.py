"""The agreement report of a colleague file against my project (annotator/store/review.py holds the rest of the
review), computed from documents read one at a time, and the read-only connection it runs on off the GUI thread."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING
from urllib.parse import quote

from annotator import gcpause
from annotator.core import review as core
from annotator.store import original
from annotator.store.connection import BUSY_TIMEOUT_MS, translated
from annotator.store.project import Project

if TYPE_CHECKING:
    from annotator.store.review import Colleague, ColleagueFile


class _ReportDocs(Sequence[core.ReportDoc]):
    """The aligned documents of a report, read from my project as the report walks them: its text, my spans,
    their spans, and my spans before adjudication where an accept changed them. A 100 000-statement report holds
    one text at a time, not all of them.

    Walked in order (:meth:`__iter__`, what :func:`~annotator.core.review.build_report` does), it reads in bulk:
    one cursor over the documents (id, title, text) and one over my spans as plain ``(start, end, label)`` tuples
    (the covering index ``spans_by_doc``, in its order), side by side; their spans come from the colleague file.
    Indexing one document reads it alone."""

    def __init__(self, project: Project, pairs: list[tuple[int, str]], colleague_file: ColleagueFile,
                 colleague: Colleague | None) -> None:
        self._project, self._pairs, self._file, self._colleague = project, pairs, colleague_file, colleague
        self._undone = original.changes(project.conn)
        self.has_before = bool(self._undone)  # build_report sums the figures before adjudication only then
        self.sha256s = [sha for _, sha in pairs]

    def __len__(self) -> int:
        return len(self._pairs)

    def _doc(self, doc_id: int, sha: str, title: str, text: str, mine: list[tuple[int, tuple[int, int, str]]]
             ) -> core.ReportDoc:
        undone = self._undone.get(doc_id)
        earlier = None if undone is None else original.before(mine, undone)
        return core.ReportDoc(sha, title, text, [t for _, t in mine], self._file.spans(sha, self._colleague), earlier)

    def __getitem__(self, i: int) -> core.ReportDoc:  # type: ignore[override]
        doc_id, sha = self._pairs[i]
        conn = self._project.conn
        with translated("read", self._project.path):
            title, text = conn.execute("SELECT title, text FROM documents WHERE id = ?", (doc_id,)).fetchone()
            mine = [(span_id, (s, e, label)) for span_id, s, e, label in conn.execute(
                'SELECT id, start, "end", label FROM spans WHERE doc_id = ? ORDER BY start, "end", label, id',
                (doc_id,))]
        return self._doc(doc_id, sha, title, text, mine)

    def __iter__(self) -> Iterator[core.ReportDoc]:
        ids = [doc_id for doc_id, _ in self._pairs]
        if any(a >= b for a, b in pairwise(ids)):  # not in id order (never from align): one at a time
            yield from (self[i] for i in range(len(self._pairs)))
            return
        conn = self._project.conn
        wanted = dict(self._pairs)
        intern: dict[str, str] = {}
        with translated("read", self._project.path):
            docs = conn.execute("SELECT id, title, text FROM documents ORDER BY id")
            spans = conn.execute('SELECT doc_id, id, start, "end", label FROM spans ORDER BY doc_id, start, "end",'
                                 " label, id")
            ahead = next(spans, None)
            for doc_id, title, text in docs:
                mine: list[tuple[int, tuple[int, int, str]]] = []
                while ahead is not None and ahead[0] <= doc_id:
                    if ahead[0] == doc_id:
                        label = ahead[4]
                        mine.append((ahead[1], (ahead[2], ahead[3], intern.setdefault(label, label))))
                    ahead = next(spans, None)
                sha = wanted.get(doc_id)
                if sha is not None:
                    yield self._doc(doc_id, sha, title, text, mine)


def review_report(
    project: Project, colleague_file: ColleagueFile, colleague: Colleague | None = None,
    progress: core.Progress | None = None,
) -> core.Report:
    """The agreement report of one colleague (or the whole file) against my project, over aligned documents.

    ``progress(done, total)`` as documents are read; an exception it raises (a cancel) stops the report.
    """
    # Objects that exist before the report are frozen out of the cyclic collector while it runs: a full
    # collection halfway through would walk every one of them (a colleague file's million spans) holding the GIL,
    # and the window, whose thread waits for it, froze for a second (measured at 10 000 statements).
    with gcpause.held():
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
            only_mine=[titles("SELECT title FROM documents WHERE id = ?", (i,)).fetchone()[0]
                       for i in alignment.only_mine],
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
