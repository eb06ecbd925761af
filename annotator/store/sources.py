"""Annotation files to compare: projects (opened read-only) and exports (jsonl, doccano, brat), mixed freely.

Each file becomes one annotation set, or one per annotator when asked to split. Documents are keyed by the SHA-256
of their text, so a project and a colleague's export of the same statements line up.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from annotator import formats, inuse
from annotator.core.agreement import AnnotationSet, split_by_annotator
from annotator.core.text import sha256_text
from annotator.errors import AnnotatorError
from annotator.formats.common import open_input
from annotator.store.connection import SQLITE_HEADER
from annotator.store.project import Project

Row = tuple[str, str, list[tuple[int, int, str, str]]]


def is_project(path: Path) -> bool:
    """Whether ``path`` is a SQLite file (read as a project) rather than an export or a folder of them.

    The file, and a ``-wal`` beside it (the read-only open copies both), must be regular files within the size
    limit: a named pipe, a device or a 4 GiB file is refused with one line before anything is read or copied.
    A file of the project open in this process is never read raw (``Project.open`` refuses it clearly).
    """
    if inuse.open_project_of(path) is not None:
        return True
    if path.is_dir():
        return False
    with open_input(path) as fh:
        if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            return False
    wal = Path(f"{path}-wal")
    if wal.exists():
        open_input(wal).close()
    return True


def rows_of(path: Path) -> list[Row]:
    """(sha256, text, [(start, end, label, annotator)]) for every document of a project or an export."""
    if not path.exists():
        raise AnnotatorError(f"no such file: {path}")
    if is_project(path):
        with Project.open(path, readonly=True) as project:
            return [
                (doc.sha256, doc.text, [(s.start, s.end, s.label, s.annotator) for s in spans])
                for doc, spans in project.iter_documents()
            ]
    files = formats.collect([path])
    rows: list[Row] = []
    for file in files:
        for doc in formats.read(file).documents:
            rows.append((sha256_text(doc.text), doc.text, [(s.start, s.end, s.label, s.annotator) for s in doc.spans]))
    return rows


def load(paths: Iterable[Path], by_annotator: bool = False) -> list[AnnotationSet]:
    """One set per file (named by the file), or per annotator in each file (``FILE:annotator``)."""
    sets: list[AnnotationSet] = []
    names: set[str] = set()
    for path in paths:
        rows = rows_of(Path(path))
        try:
            if by_annotator:
                found = split_by_annotator(rows, unnamed="(unnamed)")
                new = [AnnotationSet(f"{path.name}:{name}", s.docs) for name, s in found.items()]
            else:
                new = [AnnotationSet.from_rows(path.name, ((sha, text, [sp[:3] for sp in spans])
                                                           for sha, text, spans in rows))]
        except ValueError as exc:
            raise AnnotatorError(f"{path}: {exc}") from None
        for s in new:
            name, n = s.name, 2
            while name in names:
                name, n = f"{s.name} ({n})", n + 1
            names.add(name)
            sets.append(AnnotationSet(name, s.docs) if name != s.name else s)
    return sets
