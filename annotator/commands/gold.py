"""``annotator gold PROJECT COLLEAGUE_FILE... [-o OUT]``: the adjudicated result as gold JSONL, as the window's
Review ▸ Export Gold JSONL… writes it with the same colleague files open (trial 12, F9): the same bytes, by the same
writer (``store/gold.py``). The colleague files are projects or exports, as Review ▸ Open Colleague File… takes
them (our JSONL, doccano, Prodigy; a brat folder), read read-only; the project is read in place, never written,
beside a window that edits it.

Bad input (a missing or unreadable colleague file, the project itself given as a colleague, an output that is a
project) is one line and exit 1, checked before anything is written; the output is written whole or not at all.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from annotator.errors import AnnotatorError

NAME = "gold"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        NAME, help="write the adjudicated project as gold JSONL (provenance of each span, adjudicated statements)",
        description="Writes PROJECT after review as JSONL, as Review > Export Gold JSONL... does with the same "
        "colleague files open: each span's origin ('' yours, 'name@file' an accepted copy) and 'edited', each "
        "statement's 'adjudicated', 'reviewed_against' and 'open_disagreements' (against the COLLEAGUE_FILEs). "
        "A colleague file is a project or an export (JSONL, doccano, Prodigy, a brat folder), read read-only.",
    )
    p.add_argument("project", type=Path)
    p.add_argument("colleague_files", nargs="+", type=Path, metavar="COLLEAGUE_FILE")
    p.add_argument("-o", "--output", default=None, help="output file; '-' or none: stdout")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def run(args: argparse.Namespace) -> int:
    from annotator.core.neutral import terminal_safe
    from annotator.store import Project
    from annotator.store.colleague import ColleagueFile
    from annotator.store.gold import write_gold
    from annotator.store.transfer import ChangedWhileReading

    project_path: Path = args.project
    if not project_path.is_file():
        raise AnnotatorError(f"no such project: {project_path}")
    chosen: list[Path] = []
    for path in args.colleague_files:
        if any(_same_file(path, Path(f"{project_path}{suffix}")) for suffix in ("", "-wal", "-shm", "-journal")):
            raise AnnotatorError(f"{path} is the project itself (or one of its files); give a colleague's file")
        if not path.exists():
            raise AnnotatorError(f"no such colleague file: {path}")
        if any(_same_file(path, seen) for seen in chosen):  # as the window: a file already open is not read again
            continue
        chosen.append(path)
    files: list[ColleagueFile] = []
    try:
        for path in chosen:  # every file read before anything is written
            try:
                files.append(ColleagueFile.load(path))
            except AnnotatorError as exc:  # one line: the file, what is wrong, its first problem
                text = ": ".join(line.strip() for line in exc.lines()[:2])
                raise AnnotatorError(text if str(path) in text else f"{path}: {text}") from None
        for attempt in (1, 2):
            try:
                with Project.open(project_path, readonly=True, trusted=True) as project:
                    n = write_gold(project, args.output, files)
                break
            except ChangedWhileReading:
                if attempt == 2:
                    raise  # a window opened it meanwhile: the second read takes SQLite's locks beside it
    finally:
        for f in files:
            f.close()
    if args.output not in (None, "-"):
        print(terminal_safe(f"wrote {n} gold record(s) to {args.output}"), file=sys.stderr)
    return 0
