"""Import files into a project and export a project, with progress and cancellation for long runs.

Each file is imported whole or not at all (one transaction per file); an export is written to a temporary file
and renamed into place, so the target is the old file or the complete new one.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from annotator import formats, inuse
from annotator.core.model import ImportReport, IncomingDocument
from annotator.errors import AnnotatorError, Cancelled, ProjectFileError
from annotator.formats.common import ExportOptions, output_file
from annotator.formats.counting import NAMES as COUNTINGS
from annotator.store import reconcile
from annotator.store.connection import SQLITE_HEADER
from annotator.store.import_backup import ImportBackup
from annotator.store.project import Project

#: progress(done, total, current file name)
Progress = Callable[[int, int, str], None]
#: within(bytes of the current file read, its size): after each batch of a file read in batches
Within = Callable[[int, int], None]


def import_paths(
    project: Project,
    paths: Iterable[str | Path],
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    fmt: str | None = None,
    offsets: str | Mapping[Path, str] | None = None,
    within: Within | None = None,
    in_window: bool = False,
) -> ImportReport:
    """Import files and folders. Bad files are rejected (with every reason) and the others still go in.

    A problem with the project itself (disk full, read-only) stops the run with a ProjectFileError; files
    imported before it are complete, the one being imported is absent. ``fmt`` forces a reader (else each file's
    is chosen from it); ``offsets`` (``codepoints``/``utf16``) overrides the unit of formats that count in one, for
    every file, or for the files it maps (each to its own: File ▸ Import's answers about doubtful doccano files).
    ``cancelled`` is asked before each file and between the batches of a file read in batches (that file is then
    left out whole); ``within`` is told how far into such a file the import is. A project that held statements is
    backed up first when that is cheap, and the summary says how to take the import back (``store/import_backup.py``;
    ``in_window``: said as File ▸ Restore from Backup…, else as ``annotator restore``).
    """
    report = ImportReport()
    files = formats.collect(paths)
    taking_back = ImportBackup(project, files, in_window)
    read_as: dict[tuple[str, str], list[str]] = {}
    changed = False  # whether the import wrote anything (its summary then says how to take it back)
    for done, path in enumerate(files):
        if cancelled is not None and cancelled():
            report.cancelled = True
            break
        if progress is not None:
            progress(done, len(files), path.name)
        unit = offsets.get(path) if isinstance(offsets, Mapping) else offsets
        try:
            stream = _stream(path, fmt, unit)
            if stream is not None:  # a JSON Lines file, read and written in batches (one transaction)
                outcome = project.import_batches(_batches(stream, within, cancelled), source=path.name)
                result: Any = stream
            else:
                result = formats.read(path, fmt, unit)
                docs = result.documents
                if result.attached:
                    docs = docs + formats.spans.resolve(path, result.attached, _texts(project, result.attached))
                outcome = project.import_documents(docs, source=path.name)
        except Cancelled:
            report.cancelled = True
            break
        except ProjectFileError:
            raise
        except AnnotatorError as exc:
            problems = exc.problems if exc.problems else []
            report.rejected.append((str(path), [exc.message, *problems]))
            continue
        changed = changed or any(outcome.get(k) for k in (
            "imported", "spans", "new_labels", "filled_values", "new_variables"))
        report.imported += outcome["imported"]
        # our spans/csv export: no texts, no statements (a file read in batches is a stream: JSON Lines with texts)
        spans_only = bool(getattr(result, "attached", None)) and not getattr(result, "documents", None)
        # such a file's statements are the project's own, named by their SHA-256: not "skipped, the same text" (it
        # carries none) but statements whose spans were all there already (trial 13, F14)
        report.duplicates += outcome["extended"] if spans_only else outcome["duplicates"]
        _name_duplicates(report, path, outcome, spans_only)
        report.extended += outcome["extended"]
        report.merged_tasks += outcome["merged"]
        report.spans += outcome["spans"]
        report.extended_spans += outcome["extended_spans"]
        report.present_spans += outcome["present"]
        for who, n in outcome["by_annotator"].items():
            report.spans_by_annotator[who] = report.spans_by_annotator.get(who, 0) + n
        for label, n in result.doc_labels.items():
            report.doc_labels[label] = report.doc_labels.get(label, 0) + n
        report.new_labels += [k for k in outcome["new_labels"] if k not in report.new_labels]
        report.notes += label_notes(path.name, outcome, read_as)
        report.notes += reconcile.summary_notes(path.name, outcome)
        report.skipped_tasks += result.skipped_tasks
        if not outcome["duplicates"] or outcome["imported"] or outcome["extended"]:
            # how the file was read (its header, page chrome, encoding, offsets) is not said where all it held was
            # skipped as already in the project: it described text that was not stored (a file refused, or with
            # nothing to import, keeps its notes: they say why)
            report.notes += getattr(result, "notes", [])
            if isinstance(offsets, Mapping) and unit is not None:
                counted = COUNTINGS.get(unit, unit)
                report.notes.append(f"{path.name}: offsets read as {counted}, as chosen when importing it")
    report.notes += read_as_note(read_as) + taking_back.note(changed)
    if progress is not None:
        progress(len(files), len(files), "")
    return report


def label_notes(name: str, outcome: Mapping[str, Any], read_as: dict[tuple[str, str], list[str]]) -> list[str]:
    """The file's labels read as the codebook's (``store/label_matching.py``, rule 2) gathered into ``read_as``
    ((text, label's name) -> files), said once for the whole import by :func:`read_as_note`; the notes of a new label
    named apart from one it would look like (rule 3's guard)."""
    for text, there in (outcome.get("label_read_as") or {}).items():
        files = read_as.setdefault((text, there), [])
        if name not in files:
            files.append(name)
    return [f"{name}: new label {key!r} is named {shown!r}, as another label already shows its name"
            for key, shown in (outcome.get("label_renamed") or {}).items()]


def read_as_note(read_as: dict[tuple[str, str], list[str]]) -> list[str]:
    """One line for the whole import (a folder of one tool's files spells a label alike in each)."""
    if not read_as:
        return []
    each = []
    for (text, there), files in read_as.items():
        named = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
        each.append(f"{text!r} read as {there} ({named})")
    return ["labels read as the codebook's (the same name ignoring case, '_', '-' and spaces): " + "; ".join(each)]


def _name_duplicates(report: ImportReport, path: Path, outcome: Mapping[str, Any], spans_only: bool = False) -> None:
    """Which statements of the file were skipped as already in the project, and as which statement there (the
    summary's count named neither: trial 10, D6). ``spans_only``: the file names statements of the project by their
    SHA-256 and carries spans only (our ``spans``/``csv`` export): those it added nothing to are named as such."""
    # "extended" holds one title per statement that received spans, and titles repeat ("Statement", "Joint
    # Statement"): each is taken off one duplicate of its title, not off all of them (a statement skipped beside
    # another of its title that received spans went unnamed). Which of two same-titled ones received them the
    # titles do not say: where their titles in the project differ, the "there as" named may be the other's
    # (populate would have to return the skipped ones themselves)
    extended = Counter(outcome["extended"])
    pairs: list[tuple[str, str]] = []
    for title, there in zip(outcome["duplicates"], outcome.get("duplicate_of", []), strict=False):
        if extended[title]:
            extended[title] -= 1
        else:
            pairs.append((title, there))
    if not pairs:
        return
    named = [repr(title) if title == there else f"{title!r} (there as {there!r})" for title, there in pairs[:5]]
    more = f" and {len(pairs) - 5} more" if len(pairs) > 5 else ""
    if spans_only:
        report.notes.append(f"{path.name}: every span it holds for {len(pairs)} statement(s) of the project was "
                            f"there already (nothing added to them): {'; '.join(named)}{more}")
        return
    report.notes.append(f"{path.name}: skipped, the same text as a statement already in the project: "
                        f"{'; '.join(named)}{more}")


#: a JSON Lines file larger than this is imported in batches, never held in memory whole (issue #14: 100 000
#: statements, 450 MB, took 2.35 GB read at once), with progress and cancel between batches (:func:`_batches`);
#: a smaller one (a few hundred statements, less than a batch) is read whole, as fast.
STREAM_BYTES = 1024 * 1024


class _Stamped:
    """A :class:`~annotator.formats.jsonl.Stream` whose documents carry the file's provenance, as
    :func:`annotator.formats.read` gives every document it reads."""

    def __init__(self, path: Path) -> None:
        from annotator import __version__
        from annotator.core.model import Provenance
        from annotator.sources.provenance import file_sha256

        self.stream = formats.jsonl.Stream(path)
        self.provenance = Provenance(path.name, file_sha256(path), "jsonl", __version__)

    def positioned(self) -> Iterator[tuple[list[IncomingDocument], int]]:
        """(batch, bytes of the file read once it was made)."""
        for batch in self.stream:
            for doc in batch:
                if doc.provenance is None:
                    doc.provenance = self.provenance
            yield batch, self.stream.position

    def __getattr__(self, name: str) -> Any:  # skipped_tasks, doc_labels: complete once iterated
        return getattr(self.stream, name)


def _batches(stream: _Stamped, within: Within | None, cancelled: Callable[[], bool] | None,
             ) -> Iterator[list[IncomingDocument]]:
    """The stream's batches; ``within`` told after each how far into the file it is, ``cancelled`` asked before
    each. (Reading the next batch in a thread while one is written saved 0-0.1 s of 1.7 s for 10 000 statements:
    the parsing thread held the GIL the writer needs back after each row, so it was not kept.)"""
    size = stream.stream.path.stat().st_size
    for batch, position in stream.positioned():
        if cancelled is not None and cancelled():
            raise Cancelled
        yield batch
        if within is not None:
            within(position, size)


def _stream(path: Path, fmt: str | None, offsets: str | None) -> _Stamped | None:
    """A large JSON Lines file that :func:`formats.read` would give to the ``jsonl`` reader, read in batches."""
    try:
        if path.stat().st_size <= STREAM_BYTES:
            return None
    except OSError:
        return None  # the reader says why
    if offsets is not None:
        return None
    inuse.refuse_if_open_here(path)
    if formats.reader_for(path, fmt) is not formats.jsonl.read or not formats.jsonl.Stream.takes(path):
        return None
    return _Stamped(path)


def _texts(project: Project, attached: list[tuple[str, dict[str, Any]]]) -> dict[str, tuple[str, str]]:
    """(title, text) of the project's documents that rows attached by ``doc_sha256`` name."""
    wanted = {row["doc_sha256"] for _, row in attached}
    ids = {d.sha256: d.id for d in project.documents() if d.sha256 in wanted}
    texts = {}
    for sha, doc_id in ids.items():
        doc = project.document(doc_id)
        texts[sha] = (doc.title, doc.text)
    return texts


def refuse_project_target(project: Project, target: str | Path | None) -> None:
    """An export never overwrites the project it reads, its ``-wal``/``-shm``, nor any other SQLite file
    (DESIGN.md §6): ``annotator export P -o P`` would replace the project with JSONL."""
    if target is None or str(target) == "-":
        return
    path = Path(target)
    for suffix in ("", "-wal", "-shm", "-journal"):
        own = Path(f"{project.path}{suffix}")
        if (path.exists() and own.exists() and os.path.samefile(path, own)) or (
                not path.exists() and os.path.abspath(path) == os.path.abspath(own)):
            raise AnnotatorError(f"cannot export to {path}: it is the project being exported (choose another file)")
    if inuse.open_project_of(path) is not None:
        raise AnnotatorError(f"cannot export to {path}: it is a project open in this window (choose another file)")
    if path.is_file():
        try:
            with open(path, "rb") as fh:
                head = fh.read(len(SQLITE_HEADER))
        except OSError:
            return
        if head == SQLITE_HEADER:
            raise AnnotatorError(
                f"cannot export to {path}: it is a SQLite database (perhaps a project), which an export never "
                "replaces; choose another file"
            )


def export_project(
    project: Project,
    fmt: str,
    target: str | Path | None,
    status: str | None = None,
    options: ExportOptions | None = None,
    step: Callable[[int], None] | None = None,
) -> int:
    """Write the project (or the documents with ``status``) as ``fmt``; returns the number of records.

    ``options``: the offset unit and spaCy spans key asked for; the writer leaves in ``options.notes`` what the
    export summary must say (texts normalised for brat, overlaps doccano refuses, spans a format cannot hold).
    ``step(n)`` is told after each document read, ``n`` so far; what it raises (:class:`Cancelled`) stops the
    export with nothing written.
    """
    options = options if options is not None else ExportOptions()
    if options.offsets is not None and fmt not in formats.OFFSET_WRITERS:
        raise AnnotatorError(
            f"the {fmt} format counts code points only; a choice of offsets applies to "
            + ", ".join(sorted(formats.OFFSET_WRITERS))
        )
    refuse_project_target(project, target)
    items = project.iter_documents(status, step)
    if fmt in formats.STREAM_WRITERS:
        with output_file(target) as out:
            n = formats.write_stream(fmt, items, out, options)
            _check_snapshot(project)  # before the output is put in place
            return n
    if target is None or str(target) == "-":
        raise AnnotatorError(f"the {fmt} format is a folder of files: give one with -o FOLDER")
    n = formats.write_folder(fmt, items, Path(target), options)
    _check_snapshot(project)
    return n


class ChangedWhileReading(AnnotatorError):
    """The project was written while a lock-free read of it ran; the read is void (nothing was written)."""


def _check_snapshot(project: Project) -> None:
    if project.changed_while_reading():
        raise ChangedWhileReading(f"{project.path} changed while it was being read (a window opened it and saved "
                                  "a change); nothing was written: run the command again")
