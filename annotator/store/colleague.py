"""Colleagues' files for review (annotator/store/review.py holds the rest of the review): a :class:`ColleagueFile`
is read once and kept in memory — a project opened read-only (a private copy, so the colleague's file keeps its
bytes and nothing appears beside it), an export through the format readers. Its documents align with mine by
SHA-256 of the text only: a document whose text differs is never aligned."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import starmap
from pathlib import Path

from annotator import formats
from annotator.core import review as core
from annotator.core.model import Label
from annotator.core.text import sha256_text
from annotator.errors import AnnotatorError
from annotator.store.project import Project
from annotator.store.sources import is_project


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
    theirs is not kept (100 000 statements: the texts were most of the 3 GB a colleague file took)."""

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


#: problems listed one by one in a message; more are counted
MAX_LISTED = 20


class ColleagueFile:
    """A colleague's project or export, loaded read-only; documents keyed by SHA-256 of their text."""

    def __init__(self, path: Path, documents: Mapping[str, TheirDocument], labels: Iterable[Label] = ()) -> None:
        self.path = path
        self.name = path.name
        self.documents = dict(documents)
        found = dict.fromkeys(s.annotator for d in self.documents.values() for s in d.spans)
        labels = tuple(labels)
        names = [n or self.default_name for n in found] or [self.default_name]
        self.colleagues = [Colleague(n, self.name, labels) for n in dict.fromkeys(names)]

    @property
    def default_name(self) -> str:
        """Whose spans carry no annotator: the file's stem (``bob.jsonl`` → ``bob``)."""
        return self.path.stem or self.path.name

    @classmethod
    def load(cls, path: str | Path, progress: core.Progress | None = None) -> ColleagueFile:
        """Read a project (never written, migrated or touched) or an export (jsonl, doccano, brat, text).

        ``progress(done, total)``: documents of a project read (or files of an export); an exception it raises (a
        cancel) stops the load."""
        path = Path(path)
        if not path.exists():
            raise AnnotatorError(f"no such file: {path}")
        docs: dict[str, TheirDocument] = {}

        def add(sha: str, title: str, spans: Iterable[core.TheirSpan]) -> None:
            old = docs.get(sha)
            docs[sha] = TheirDocument(sha, old.title if old else title, (old.spans if old else ()) + tuple(spans))

        labels: list[Label] = []
        if is_project(path):
            with Project.open(path, readonly=True) as project:
                labels = project.labels()
                total = project.progress()[1]
                bad: list[str] = []
                # the span fields a TheirSpan holds, as tuples straight from SQLite (no Span object per span);
                # hashes recomputed (Project._checked), spans checked against their text
                rows_of = project.export_rows(fields=("start", "end", "label", "annotator", "note"))
                for n, (doc, rows) in enumerate(rows_of, 1):
                    length = len(doc.text)
                    bad += [f"{s}-{e} in statement {doc.id} of {length} characters"
                            for s, e, *_ in rows if not 0 <= s < e <= length]
                    add(doc.sha256, doc.title, starmap(core.TheirSpan, rows))
                    if progress is not None and (n % 500 == 0 or n == total):
                        progress(n, total)
                if bad:
                    raise AnnotatorError(
                        f"{path} is damaged: {len(bad)} span(s) lie outside their statement's text; "
                        "nothing of it was opened", bad[:MAX_LISTED])
        else:
            files = formats.collect([path])
            for n, file in enumerate(files, 1):
                if progress is not None:
                    progress(n - 1, len(files))
                for incoming in formats.read(file).documents:
                    add(
                        sha256_text(incoming.text),
                        incoming.title,
                        (core.TheirSpan(s.start, s.end, s.label, s.annotator, s.note) for s in incoming.spans),
                    )
        return cls(path, docs, labels)

    def colleague_of(self, span: core.TheirSpan) -> Colleague:
        name = span.annotator or self.default_name
        return next(c for c in self.colleagues if c.name == name)

    def spans(self, sha256: str, colleague: Colleague | None = None) -> list[core.TheirSpan]:
        """Their spans of a document: one colleague's, or everyone's in the file (None); [] if they lack it."""
        doc = self.documents.get(sha256)
        if doc is None:
            return []
        if colleague is None:
            return list(doc.spans)
        return [s for s in doc.spans if (s.annotator or self.default_name) == colleague.name]

    def align(self, project: Project) -> Alignment:
        mine = project.documents()
        by_sha = {d.sha256: d.id for d in mine}
        by_title = {d.title: d.id for d in mine}
        pairs = [(d.id, d.sha256) for d in mine if d.sha256 in self.documents]
        only_theirs = [d for sha, d in self.documents.items() if sha not in by_sha]
        differs = [(by_title[d.title], d) for d in only_theirs if d.title in by_title]
        return Alignment(pairs, only_theirs, [d.id for d in mine if d.sha256 not in self.documents], differs)


