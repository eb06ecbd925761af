"""``annotator delete PROJECT --title T | --sha256 H``: delete one statement with all that is its own (its spans,
variables, provenance, review decisions), as Document ▸ Delete Statement… does in the window (trial 10, D7).

A writing command that changes what a window shows under the analyst's hands: refused while a window edits the
project (as ``annotator restore`` is); delete it there, where Edit ▸ Undo brings it back. The project is backed up
first ("before a delete" in ``annotator restore PROJECT --list``), so ``annotator restore PROJECT 1`` undoes it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.errors import ProjectFileError

NAME = "delete"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        NAME, help="delete a statement (and its spans, variables, provenance) from a project",
        description="Deletes the one statement titled T exactly, or whose text has SHA-256 H (meta.sha256 in an "
        "export; a unique start of 8 or more hex digits will do). The project is backed up first: "
        "'annotator restore PROJECT 1' brings the statement back. Refused while a window edits the project: use "
        "Document > Delete Statement... there (Edit > Undo brings it back).",
    )
    p.add_argument("project", type=Path)
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--title", metavar="T", help="the statement's title, exactly as listed")
    which.add_argument("--sha256", metavar="H", help="the SHA-256 of the statement's text")


def run(args: argparse.Namespace) -> int:
    from annotator.core.neutral import terminal_safe
    from annotator.store import Project, backups, statements
    from annotator.store.editlock import window_holding

    path: Path = args.project
    if not path.is_file():
        raise ProjectFileError(f"no such project: {path}")
    holding = window_holding(path)
    if holding is not None:  # refused before anything is written, the backup included
        raise ProjectFileError(f"cannot delete from {path.name}: it is open for editing in {holding[1]}; delete it "
                               "there (Document ▸ Delete Statement…, which Edit ▸ Undo takes back), or close it first")
    from annotator.cli import analyst_name  # recorded under the window's analyst name, as its own deletes are

    with Project.open(path, user=analyst_name()) as project:
        doc_id = statements.find(project, title=args.title, sha256=args.sha256)
        backup = backups.backup_project(project, "before-delete")
        removed = statements.delete_statement(project, doc_id)
    spans = f"{removed.spans} span" + ("" if removed.spans == 1 else "s")
    print(terminal_safe(f"deleted {removed.title!r} and its {spans} from {path}"))
    print(terminal_safe(f"the project as it was is kept as backup {backup.name}; 'annotator restore {path} 1' "
                        "brings it back"))
    return 0
