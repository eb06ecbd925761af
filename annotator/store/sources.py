"""Annotation files to compare: projects (opened read-only) and exports (jsonl, doccano, brat), mixed freely.

Each file becomes one annotation set, or one per annotator when asked to split. Documents are keyed by the SHA-256
of their text, so a project and a colleague's export of the same statements line up.

A project becomes a set whose documents are read when the comparison reaches them (:class:`ProjectDocs`): only
the three span fields agreement needs are held (start, end, label -- no ``Span`` objects), as one JSON array per
document until it is compared, and each text is read from the file when its document is compared, then dropped.
Two 100 000-statement projects hold 200 000 short strings, not 2 M tuples nor 2 × 100 000 texts (issue 14: 3.1 GB
before).
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from annotator import formats, inuse
from annotator.core.agreement import AnnotationSet, DocSpans, split_by_annotator
from annotator.core.model import ReadResult, counted
from annotator.core.text import sha256_text
from annotator.errors import AnnotatorError
from annotator.formats.common import open_input, reading_for
from annotator.store import connection, original, readonly, schema
from annotator.store.connection import SQLITE_HEADER, translated

if TYPE_CHECKING:
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


#: the file names a project goes by (the window's file dialogs offer these)
PROJECT_SUFFIXES = (".sqlite", ".sqlite3", ".db", ".annotator")


def check_new_project_folder(path: Path) -> None:
    """A project about to be created in a folder that does not exist: refused (AnnotatorError), nothing made. A
    mistyped folder had made every folder on the way and an empty project without a word, in the window and in
    ``annotator import`` (newcomers' findings)."""
    if not path.exists() and not path.is_symlink() and not path.parent.is_dir():
        raise AnnotatorError(f"{path} was not created: there is no folder {path.parent}. Check the path, or "
                             "create the folder first.")


#: how a file that cannot be compared ends its message (the readers' own is about importing)
NOT_COMPARED = "no agreement was computed"


def check_comparable(path: Path) -> None:
    """One clear line (AnnotatorError) for a path that holds nothing to compare: missing, a folder named like a
    project, a project-named file that is not SQLite, a folder without an annotation file in it."""
    if not path.exists() and not path.is_symlink():
        raise AnnotatorError(f"no such file or folder: {path}")
    if path.is_dir():
        if path.suffix.lower() in PROJECT_SUFFIXES:
            raise AnnotatorError(f"{path} is a folder, not an Annotator project file")
        if not formats.collect([path]):
            raise AnnotatorError(
                f"{path} is a folder holding no annotation files to compare (exports: "
                + ", ".join(sorted(formats.JSON_SUFFIXES)) + ", brat .ann/.txt pairs, ...)"
            )
        return
    if path.suffix.lower() in PROJECT_SUFFIXES and not is_project(path):
        empty = path.is_file() and path.stat().st_size == 0
        raise AnnotatorError(
            f"{path} is not an Annotator project ({'an empty file' if empty else 'not a SQLite database'})"
        )


def read_notes(file: Path, result: ReadResult) -> list[str]:
    """What the reader of one export said (a doubt about its offsets, ...), and what it read that a comparison
    leaves out, as an import's summary names them (``ImportReport.summary_lines``): for the review and ``annotator
    agree`` to show, never to drop."""
    notes = list(result.notes)
    if result.skipped_tasks:
        notes.append(f"{file.name}: skipped {result.skipped_tasks} rejected or ignored task(s)")
    if result.doc_labels:
        notes.append(f"{file.name}: not compared: {sum(result.doc_labels.values())} document-level label(s) "
                     f"(spans are compared): {counted(result.doc_labels)}")
    if result.attached:
        notes.append(f"{file.name}: not compared: {len(result.attached)} span(s) that name their statement by its "
                     "hash, without its text (a spans or csv export): compare the project or its JSONL export")
    return notes


def rows_of(path: Path, notes: list[str] | None = None, offsets: str | None = None) -> list[Row]:
    """(sha256, text, [(start, end, label, annotator)]) for every document of a project or an export (which
    :func:`check_comparable` let through); what the export's readers noted is added to ``notes``; ``offsets``: how
    the files of formats that count in a unit count (``formats.read``)."""
    if not path.exists():
        raise AnnotatorError(f"no such file: {path}")
    if is_project(path):
        from annotator.store.project import Project  # on first use: exports are read without it

        with Project.open(path, readonly=True) as project:
            return [
                (doc.sha256, doc.text, list(spans))
                for doc, spans in project.export_rows(fields=("start", "end", "label", "annotator"))
            ]
    files = formats.collect([path])
    rows: list[Row] = []
    with reading_for(NOT_COMPARED):
        for file in files:
            refusal = getattr(file, "refusal", "")  # a pipe, a device, a link out of the folder: never read
            if refusal:
                raise AnnotatorError(f"{file}: not read: {refusal}; {NOT_COMPARED}")
            result = formats.read(file, None, offsets)
            if notes is not None:
                notes += read_notes(file, result)
            for doc in result.documents:
                rows.append(
                    (sha256_text(doc.text), doc.text, [(s.start, s.end, s.label, s.annotator) for s in doc.spans])
                )
    return rows


class _Texts:
    """The last few texts read, by SHA-256, shared by the sets of one :func:`load`: comparing a document reads
    its text from one project, and the other sets holding that document (same SHA-256 and length) take it."""

    def __init__(self, keep: int = 8) -> None:
        self._keep = keep
        self._texts: OrderedDict[str, str] = OrderedDict()

    def get(self, sha: str, length: int) -> str | None:
        text = self._texts.get(sha)
        return text if text is not None and len(text) == length else None

    def put(self, sha: str, text: str) -> None:
        self._texts[sha] = text
        self._texts.move_to_end(sha)
        while len(self._texts) > self._keep:
            self._texts.popitem(last=False)


class ProjectDocs(Mapping[str, DocSpans]):
    """A project's documents for agreement, by SHA-256, in import order: spans held, texts read on access.

    The spans are checked here, as :class:`DocSpans` would (within the text, non-empty label), so a bad file is
    refused when it is loaded, not halfway through a comparison. The project stays open while this lives.
    """

    def __init__(self, project: Project, texts: _Texts, before_adjudication: bool = False) -> None:
        self._project = project
        self._texts = texts
        self._cursor: Iterator[tuple[int, str]] | None = None
        self._ahead: tuple[int, str] | None = None
        conn = project.conn
        # bounded as every read of a colleague's file (DESIGN.md §2.2): these reads are linear in the file
        with translated("read", project.path), connection.bounded(conn, connection.budget_for(project.path),
                                                                    project.path):
            # the types of what is read here and when a text is read (a large file is not checked whole first,
            # see _open): the table's type check, which reads no text (typeof does not load a text's pages)
            if conn.execute("SELECT EXISTS (SELECT 1 FROM documents WHERE typeof(text) != 'text'"
                            " OR typeof(length) != 'integer' OR typeof(sha256) != 'text')").fetchone()[0]:
                raise ValueError("damaged: a document's text, length or hash has the wrong type")
            # sha -> (id, length): the listing index covers these, no text is read
            self._docs = {sha: (doc_id, length) for doc_id, sha, length in conn.execute(
                "SELECT id, sha256, length FROM documents ORDER BY id")}
            # Each document's spans as one JSON array, made by SQLite in one pass over the covering index and read
            # when the document is compared: no Python object per span until then (1 M spans: 2.5 s of CPU and
            # ~100 MB of tuples per project before). The same pass checks them; a document's bad span is then
            # looked for by the query that names it.
            self._spans: dict[int, str | tuple[tuple[int, int, str], ...]] = {}
            lengths = {doc_id: length for doc_id, length in self._docs.values()}
            for doc_id, spans, low, high, odd in conn.execute(
                'SELECT doc_id, json_group_array(json_array(start, "end", label)), min(start), max("end"),'
                " max(typeof(start) != 'integer' OR typeof(\"end\") != 'integer' OR start >= \"end\""
                " OR typeof(label) != 'text' OR label = '') FROM spans GROUP BY doc_id"
            ):
                length = lengths.get(doc_id)
                if length is None or odd or low < 0 or high > length:
                    bad = conn.execute(
                        "SELECT s.start, s.\"end\", s.label, d.length FROM spans s LEFT JOIN documents d"
                        " ON d.id = s.doc_id WHERE s.doc_id = ? AND (d.id IS NULL OR typeof(s.start) != 'integer'"
                        " OR typeof(s.\"end\") != 'integer' OR NOT (0 <= s.start AND s.start < s.\"end\""
                        " AND s.\"end\" <= d.length) OR typeof(s.label) != 'text' OR s.label = '') LIMIT 1",
                        (doc_id,)).fetchone()
                    raise ValueError(f"invalid span ({bad[0]}, {bad[1]}, {bad[2]!r}) for a text of {bad[3]} characters")
                self._spans[doc_id] = spans
            #: statements whose spans were put back as they were before adjudication (store/original.py)
            self.reconstructed = 0
            if before_adjudication:
                for doc_id, undone in original.changes(conn).items():
                    rows = conn.execute('SELECT id, start, "end", label FROM spans WHERE doc_id = ?', (doc_id,))
                    self._spans[doc_id] = tuple(original.before(((i, (s, e, lb)) for i, s, e, lb in rows), undone))
                    self.reconstructed += 1
        self._closer = weakref.finalize(self, project.close)

    def _text(self, doc_id: int) -> str:
        """A text by id. Documents are compared in import order, so one cursor walks the texts in id order; an id
        behind it is read by a query of its own."""
        conn = self._project.conn
        if self._cursor is None:
            self._cursor = iter(conn.execute("SELECT id, text FROM documents ORDER BY id"))
        ahead = self._ahead
        while ahead is None or ahead[0] < doc_id:
            ahead = next(self._cursor, None)
            if ahead is None:
                break
        self._ahead = ahead
        if ahead is not None and ahead[0] == doc_id:
            return ahead[1]
        return conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]

    def close(self) -> None:
        self._closer()

    def __len__(self) -> int:
        return len(self._docs)

    def __iter__(self) -> Iterator[str]:
        return iter(self._docs)

    def __contains__(self, sha: object) -> bool:
        return sha in self._docs

    def __getitem__(self, sha: str) -> DocSpans:
        doc_id, length = self._docs[sha]
        text = self._texts.get(sha, length)
        if text is None:
            with translated("read", self._project.path):
                text = self._text(doc_id)
            if len(text) != length:  # the spans were checked against the stored length
                raise AnnotatorError(f"{self._project.path} is damaged (a document's length is not its text's)")
            self._texts.put(sha, text)
        spans = self._spans.get(doc_id, ())
        if type(spans) is str:
            spans = tuple(map(tuple, orjson.loads(spans)))
        return DocSpans.checked(text, spans)  # type: ignore[arg-type]


def _open(path: Path) -> Project:
    """A colleague's project, read-only, as ``Project.open(path, readonly=True)`` opens it, except a large one.

    A file beyond :data:`connection.FULL_CHECK_BYTES` that SQLite reads as it is (no ``-wal`` to apply, the current
    schema) is not checked whole before the comparison (``quick_check`` and the type check of every row: 2.4 s of
    CPU for each 100 000-statement file, more than reading it; issue 14): its identity is (header, version, exactly
    our schema), and what agreement reads is checked as it is read: the spans' types and bounds by the query that
    reads them, the documents' types at once (a scan that reads no text), each text's length when it is read. A
    read that fails on damage is one clear line (``translated``). A colleague's review opens a large file the
    same way (``store/colleague.py``)."""
    from annotator.store.project import Project, default_user  # on first use: exports are read without it

    if inuse.open_project_of(path) is None:
        with translated("open", path):
            connection.check_header(path)
            if (path.stat().st_size > connection.FULL_CHECK_BYTES and not connection.wal_pending(path)
                    and readonly._version_of(path) == schema.SCHEMA_VERSION):
                conn = connection._connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
                try:
                    connection.check_identity(conn, path)
                    conn.execute("PRAGMA query_only = ON")
                except BaseException:
                    conn.close()
                    raise
                return Project(conn, path, True, default_user(), None)
    return Project.open(path, readonly=True)


def _project_set(path: Path, texts: _Texts, before_adjudication: bool) -> AnnotationSet:
    project = _open(path)
    try:
        return AnnotationSet(path.name, ProjectDocs(project, texts, before_adjudication))
    except BaseException:
        project.close()
        raise


def load(paths: Iterable[Path], by_annotator: bool = False, before_adjudication: bool = False,
         notes: list[str] | None = None, offsets: str | None = None) -> list[AnnotationSet]:
    """One set per file (named by the file), or per annotator in each file (``FILE:annotator``); what the readers of
    exports noted is added to ``notes``; ``offsets``: how exports in formats that count in a unit count.

    ``before_adjudication``: a project's spans as they were before its review decisions (store/original.py);
    exports keep no decisions and are read as they are. Not with ``by_annotator``, which splits every file but a
    first project compared with others (the reference: whole, as the review reads it)."""
    if before_adjudication and by_annotator:
        raise AnnotatorError("--before-adjudication compares whole projects; it cannot be used with --by-annotator")
    sets: list[AnnotationSet] = []
    names: set[str] = set()
    texts = _Texts()
    paths = [Path(p) for p in paths]
    for at, path in enumerate(paths):
        check_comparable(path)
        try:
            # the reference, my project beside colleagues' files, is whole as the review reads it: its accepted
            # copies are mine (split, they made "p.sqlite:bob" of my own project: α_u -6.4, a newcomer's finding)
            whole = not by_annotator or (at == 0 and len(paths) > 1)
            if whole and is_project(path):
                new = [_project_set(path, texts, before_adjudication)]
            else:
                rows = rows_of(path, notes, offsets)
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
