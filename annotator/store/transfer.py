"""Import files into a project and export a project, with progress and cancellation for long runs.

Each file is imported whole or not at all (one transaction per file); an export is written to a temporary file
and renamed into place, so the target is the old file or the complete new one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from annotator import formats
from annotator.core.model import ImportReport
from annotator.errors import AnnotatorError, ProjectFileError
from annotator.formats.common import ExportOptions, output_file
from annotator.store.project import Project

#: progress(done, total, current file name)
Progress = Callable[[int, int, str], None]


def import_paths(
    project: Project,
    paths: Iterable[str | Path],
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    fmt: str | None = None,
    offsets: str | None = None,
) -> ImportReport:
    """Import files and folders. Bad files are rejected (with every reason) and the others still go in.

    A problem with the project itself (disk full, read-only) stops the run with a ProjectFileError; files
    imported before it are complete, the one being imported is absent. ``fmt`` forces a reader (else each file's
    is chosen from it); ``offsets`` (``codepoints``/``utf16``) overrides the unit of formats that count in one.
    """
    report = ImportReport()
    files = formats.collect(paths)
    for done, path in enumerate(files):
        if cancelled is not None and cancelled():
            report.cancelled = True
            break
        if progress is not None:
            progress(done, len(files), path.name)
        try:
            result = formats.read(path, fmt, offsets)
            docs = result.documents
            if result.attached:
                docs = docs + formats.spans.resolve(path, result.attached, _texts(project, result.attached))
            outcome = project.import_documents(docs, source=path.name)
        except ProjectFileError:
            raise
        except AnnotatorError as exc:
            problems = exc.problems if exc.problems else []
            report.rejected.append((str(path), [exc.message, *problems]))
            continue
        report.imported += outcome["imported"]
        report.duplicates += outcome["duplicates"]
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
        report.skipped_tasks += result.skipped_tasks
        report.notes += result.notes
    if progress is not None:
        progress(len(files), len(files), "")
    return report


def _texts(project: Project, attached: list[tuple[str, dict[str, Any]]]) -> dict[str, tuple[str, str]]:
    """(title, text) of the project's documents that rows attached by ``doc_sha256`` name."""
    wanted = {row["doc_sha256"] for _, row in attached}
    ids = {d.sha256: d.id for d in project.documents() if d.sha256 in wanted}
    texts = {}
    for sha, doc_id in ids.items():
        doc = project.document(doc_id)
        texts[sha] = (doc.title, doc.text)
    return texts


def export_project(
    project: Project,
    fmt: str,
    target: str | Path | None,
    status: str | None = None,
    options: ExportOptions | None = None,
) -> int:
    """Write the project (or the documents with ``status``) as ``fmt``; returns the number of records.

    ``options``: the offset unit and spaCy spans key asked for; the writer leaves in ``options.notes`` what the
    export summary must say (texts normalised for brat, overlaps doccano refuses, spans a format cannot hold).
    """
    options = options if options is not None else ExportOptions()
    if options.offsets is not None and fmt not in formats.OFFSET_WRITERS:
        raise AnnotatorError(
            f"the {fmt} format counts code points only; a choice of offsets applies to "
            + ", ".join(sorted(formats.OFFSET_WRITERS))
        )
    items = project.iter_documents(status)
    if fmt in formats.STREAM_WRITERS:
        with output_file(target) as out:
            return formats.write_stream(fmt, items, out, options)
    if target is None or str(target) == "-":
        raise AnnotatorError(f"the {fmt} format is a folder of files: give one with -o FOLDER")
    return formats.write_folder(fmt, items, Path(target), options)
