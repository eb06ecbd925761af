"""Import files into a project and export a project, with progress and cancellation for long runs.

Each file is imported whole or not at all (one transaction per file); an export is written to a temporary file
and renamed into place, so the target is the old file or the complete new one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from annotator import formats
from annotator.core.model import ImportReport
from annotator.errors import AnnotatorError, ProjectFileError
from annotator.formats.common import output_file
from annotator.store.project import Project

#: progress(done, total, current file name)
Progress = Callable[[int, int, str], None]


def import_paths(
    project: Project,
    paths: Iterable[str | Path],
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import files and folders. Bad files are rejected (with every reason) and the others still go in.

    A problem with the project itself (disk full, read-only) stops the run with a ProjectFileError; files
    imported before it are complete, the one being imported is absent.
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
            result = formats.read(path)
            outcome = project.import_documents(result.documents, source=path.name)
        except ProjectFileError:
            raise
        except AnnotatorError as exc:
            problems = exc.problems if exc.problems else []
            report.rejected.append((str(path), [exc.message, *problems]))
            continue
        report.imported += outcome["imported"]
        report.duplicates += outcome["duplicates"]
        report.spans += outcome["spans"]
        report.new_labels += [k for k in outcome["new_labels"] if k not in report.new_labels]
        report.skipped_tasks += result.skipped_tasks
        report.notes += result.notes
    if progress is not None:
        progress(len(files), len(files), "")
    return report


def export_project(project: Project, fmt: str, target: str | Path | None, status: str | None = None) -> int:
    """Write the project (or the documents with ``status``) as ``fmt``; returns the number of records."""
    items = project.iter_documents(status)
    if fmt in formats.STREAM_WRITERS:
        with output_file(target) as out:
            return formats.STREAM_WRITERS[fmt](items, out)
    if target is None or str(target) == "-":
        raise AnnotatorError(f"the {fmt} format is a folder of files: give one with -o FOLDER")
    return formats.write_folder(fmt, items, Path(target))
