"""The ``annotator`` command (DESIGN.md §2.5). Sub-commands never import Qt, so they start fast.

Exit status: 0 success; 1 bad input (one clear line per problem on stderr, no traceback); 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from annotator import __version__
from annotator import commands as _commands_package
from annotator.core.neutral import terminal_lines, terminal_safe
from annotator.errors import AnnotatorError, about

_PLUGGED = _commands_package.load()
COMMANDS = ("import", "export", "agree", "stats", "check", "restore", "vars", *(m.NAME for m in _PLUGGED))
STATUS_CHOICES = ("todo", "in_progress", "done", "skipped")


class _Parser(argparse.ArgumentParser):
    """A command's parser: a missing project says where the app's own one is (``annotator stats`` alone gave only
    "the following arguments are required: project", a newcomer's finding)."""

    def error(self, message: str) -> NoReturn:
        if "project" in message.split(":", 1)[-1]:
            from annotator import paths  # only now: the commands' start does not load it

            message += f" (the app's default project is {paths.default_project()})"
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator",
        description=(
            "Label threats, commitments and calls to action in official statements.\n\n"
            "  annotator              open the GUI on the default project\n"
            "  annotator PROJECT      open the GUI on PROJECT (created if missing)"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("import", help="import statements (.txt, .md, .jsonl, ...) and their spans into a project")
    p.add_argument("project", type=Path, help="the project file (created if missing)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders; each file goes in whole or not at all")

    from annotator import format_names as formats  # the names only: the readers are imported when used
    from annotator.format_names import OFFSET_UNITS

    offsets_help = (
        "offset unit of doccano (export default utf16, as its editor counts; import default: the unit the file shows)"
        " and labelstudio (default codepoints)"
    )
    p.add_argument("--format", choices=formats.IMPORT_FORMATS, help="read every file as this (default: by each file)")
    p.add_argument("--offsets", choices=OFFSET_UNITS, help=offsets_help)

    p = sub.add_parser("export", help="export documents and spans")
    p.add_argument("project", type=Path)
    p.add_argument("-o", "--output", default=None, help="output file (or folder for brat); '-' or none: stdout")
    p.add_argument("--format", default="jsonl", choices=formats.EXPORT_FORMATS)
    p.add_argument("--status", choices=STATUS_CHOICES, help="only documents with this status")
    p.add_argument("--offsets", choices=OFFSET_UNITS, help=offsets_help)
    p.add_argument("--spans-key", default="sc", help="spacy: the doc.spans key the spans go in (default: sc)")

    import textwrap

    from annotator.core.agreement.render import MEASURES as AGREE_MEASURES  # no Qt; cheap

    p = sub.add_parser(
        "agree",
        help="agreement between annotation files (projects or JSONL exports)",
        description="Agreement of FILE 2.. against FILE 1, per label and overall, over the statements both hold "
        "(by text). Spans count as a multiset (a duplicate counts twice). What each measure counts:\n"
        + "\n".join(textwrap.fill(m, 100, initial_indent="  ", subsequent_indent="    ") for m in AGREE_MEASURES)
        + "\nWarnings follow the table when a label's figures need care: too few spans (< 5 from each), one "
        "annotator using it twice as often, a label covering under 2 % of the text (kappa understates), or overlap "
        "F1 far above exact F1 (boundaries differ) -- each with one line of advice.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--offsets", choices=("utf16", "codepoints"),
                   help="how the doccano (and Label Studio) files among FILE count their offsets (default: what each "
                   "shows; a file that could be read either way is read as UTF-16 units, and said so on stderr)")
    p.add_argument("--by-annotator", action="store_true", help="split files holding several annotators")
    p.add_argument(
        "--before-adjudication", action="store_true",
        help="compare each project's annotations as they were before its review decisions (accepted copies "
        "taken out, the spans they replaced put back); exports are read as they are",
    )

    p = sub.add_parser("stats", help="documents, status and spans per label")
    p.add_argument("project", type=Path)
    p.add_argument("--json", action="store_true", help="print the figures as JSON")

    p = sub.add_parser(
        "check",
        help="check a project whole: integrity, schema, stored hashes against texts, spans inside their texts",
        description="Reads the project (never changes it) and prints one line per problem found; exit status 1 "
        "if there is any. Opening a project checks only what every read needs; this checks everything.",
    )
    p.add_argument("project", type=Path)

    p = sub.add_parser(
        "restore",
        help="list a project's backups, or restore one",
        description="Backups are made when the GUI opens a project and every few minutes of work, and kept in "
        "the user data folder. With no BACKUP (or --list), list them; with BACKUP (its number in the list, "
        "1 = newest, its file name or a path), replace the project with it. The project as it is now is backed "
        "up first, so a restore can itself be undone.",
    )
    p.add_argument("project", type=Path)
    p.add_argument("backup", nargs="?", metavar="BACKUP", help="number in the list (1 = newest), file name or path")
    p.add_argument("--list", action="store_true", help="list the backups (the default without BACKUP)")

    p = sub.add_parser(
        "vars", help="set document variables (date, issuer, url, note, your own) from a CSV or JSON file",
        description="Each row names a document by its 'sha256' or 'title' column; the other columns are variables, "
        "and a 'new_title' column gives the statement a new title. "
        "The file is applied whole or not at all; every bad row is named. A column naming a variable the project "
        "lacks adds it.",
    )
    p.add_argument("project", type=Path)
    p.add_argument("file", type=Path, metavar="FILE", help="CSV with a header row, or a JSON list of objects")
    p.add_argument("--empty-clears", action="store_true",
                   help="an empty cell (JSON: null or \"\") clears its value; without it, an empty cell leaves it")
    for module in _PLUGGED:
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in COMMANDS and not args_list[0].startswith("-")):
        return _gui(args_list)
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        from annotator import leftovers

        leftovers.clean_temp_folder()  # private copies that killed commands and windows left in the temp folder
        return int(_COMMANDS[args.command](args))
    except AnnotatorError as exc:
        for line in exc.lines():
            print(f"annotator: {terminal_safe(line)}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. `annotator stats p | head -3`: the reader has what it wanted
        _quiet_stdout()
        return 0
    except (sqlite3.Error, OSError, UnicodeDecodeError) as exc:
        # a read the store did not wrap failed on the user's disk or file: one clear line, not a traceback
        from annotator.store.connection import user_problem

        where = getattr(args, "project", None) or getattr(args, "output", None) or ""
        problem = user_problem(exc, where or None)
        if problem is None:
            return _damaged(args, exc)
        print(terminal_safe(f"annotator: cannot {args.command} {where}: {problem}".replace("  ", " ")), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("annotator: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        return _damaged(args, exc)


def _damaged(args: argparse.Namespace, exc: Exception) -> int:
    """A command failed as no sound project makes it fail: a large project is not checked whole when opened
    (issue #14), so its damage is named here in one line; with none found, it is our bug and ``exc`` goes on."""
    from annotator.store.connection import damage_of

    project = getattr(args, "project", None)
    damage = damage_of(Path(project)) if isinstance(project, (str, Path)) else None
    if damage is None:
        raise exc
    print(terminal_safe(f"annotator: {damage.message}"), file=sys.stderr)
    return 1


def _quiet_stdout() -> None:
    """After the reader of our output closed the pipe, point stdout at the null device, so that the flush at exit
    does not fail again (Python would print "Exception ignored ... BrokenPipeError")."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real stdout (embedded): nothing to flush
        pass


def _gui(args: list[str]) -> int:
    if len(args) > 1:
        print("usage: annotator [PROJECT] | annotator COMMAND ... (see annotator --help)", file=sys.stderr)
        return 2
    problem, status = _gui_problem(args[0] if args else None)
    if problem:  # Qt would abort (exit 134, "Reinstalling the application may fix this"), or make a project "bogus"
        print(f"annotator: {terminal_safe(problem)}", file=sys.stderr)
        return status
    from annotator.ui.app import run  # the only path that imports Qt

    return run(Path(args[0]) if args else None)


def _gui_problem(project: str | None) -> tuple[str | None, int]:
    """Why the window cannot open, said before Qt is loaded, with the exit status: a name that is neither a command
    nor a project file (``annotator exprot``, a usage error: 2), or no display to show it on (1). A data scientist's
    trial: both ended in Qt's abort."""
    if project is not None and not Path(project).exists() and not Path(project).is_symlink():
        from annotator.store.sources import PROJECT_SUFFIXES

        if Path(project).suffix.lower() not in PROJECT_SUFFIXES:
            import difflib

            close = difflib.get_close_matches(project, COMMANDS, n=1)
            hint = f"did you mean 'annotator {close[0]} …'? " if close else ""
            return (f"{project!r} is neither a command nor a project file: {hint}A new project's name ends in "
                    f"{', '.join(PROJECT_SUFFIXES)}; the commands are {', '.join(COMMANDS)} (annotator --help)."), 2
    if sys.platform.startswith("linux") and not any(
            os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        return ("there is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set). The "
                "commands work without one: annotator --help."), 1
    return None, 0


def _progress(label: str):  # type: ignore[no-untyped-def]
    """(progress, within): an import's progress on stderr, only when it is a terminal: the file it is at, and how far
    into a large one (``import_paths``' two callbacks)."""
    if not sys.stderr.isatty():
        return None, None
    at = ["", 0, 0]  # the line shown, files done, files

    def report(done: int, total: int, name: str) -> None:
        end = "\n" if done >= total else ""
        at[:] = [f"{label} {done}/{total} {terminal_safe(name)}", done, total]
        print(f"\r\x1b[K{at[0]}", end=end, file=sys.stderr, flush=True)

    def within(read: int, size: int) -> None:
        if size and at[1] < at[2]:
            print(f"\r\x1b[K{at[0]} {100 * read // size}%", end="", file=sys.stderr, flush=True)

    return report, within


def _steps():  # type: ignore[no-untyped-def]
    """Long work's steps on stderr, only when it is a terminal: what it is doing, and its percent where it knows
    (``restoring.prepare``'s ``progress``); the line is cleared once the work is done."""
    if not sys.stderr.isatty():
        return None

    def show(text: str, done: int, total: int) -> None:
        percent = f" {100 * done // total}%" if total else ""
        print(f"\r\x1b[K{terminal_safe(text)}{percent}", end="", file=sys.stderr, flush=True)

    return show


def analyst_name() -> str | None:
    """Whom a command's writes are recorded under: the analyst's name the window keeps (Edit ▸ Your Name…, in
    ``settings.ini``), as the window records its own; None (the login name) when the window has none (trial 11,
    L2)."""
    from annotator.analyst import saved_name

    return saved_name(warn=lambda said: print(f"annotator: warning: {terminal_safe(said)}", file=sys.stderr))


def _cmd_import(args: argparse.Namespace) -> int:
    from annotator.formats.doubts import settle as settle_doubts
    from annotator.store import Project
    from annotator.store.editlock import check_command_may_write
    from annotator.store.sources import check_new_project_folder
    from annotator.store.transfer import import_paths

    missing = [str(p) for p in args.paths if not Path(p).exists()]
    if missing:  # before the project is created: bad input changes nothing
        raise AnnotatorError(f"no such file or folder: {missing[0]}", [f"no such file or folder: {m}"
                                                                      for m in missing[1:]])
    check_new_project_folder(args.project)
    check_command_may_write(args.project)
    offsets: str | dict[Path, str] | None = args.offsets
    read_as: list[str] = []
    if offsets is None:  # a doubtful doccano file: read as the window's question defaults to, or refused
        offsets, read_as = settle_doubts(args.paths, args.format)
    created = not args.project.exists() and not args.project.is_symlink()
    with Project.open(args.project, create=True, user=analyst_name()) as project:
        progress, within = _progress("importing")
        report = import_paths(project, args.paths, progress=progress, fmt=args.format, offsets=offsets or None,
                              within=within)
    for line in read_as:
        print(terminal_safe(line))
    for line in report.summary_lines():
        stream = sys.stderr if line.startswith(("rejected", "  ")) else sys.stdout
        print(terminal_safe(line), file=stream)
    if created and report.rejected and not report.imported and not report.spans and _remove_new(args.project):
        print(terminal_safe(f"annotator: nothing was imported, so {args.project} was not created"), file=sys.stderr)
    return 1 if report.rejected else 0


def _remove_new(project: Path) -> bool:
    """Remove the empty project this import created (every file it was given was rejected), unless a window
    opened it meanwhile; whether it was removed."""
    from annotator.store.editlock import window_holding

    if window_holding(project) is not None:
        return False
    try:
        for suffix in ("-wal", "-shm", "-journal", ""):
            Path(f"{project}{suffix}").unlink(missing_ok=True)
    except OSError:
        return False
    return True


def _cmd_export(args: argparse.Namespace) -> int:
    from annotator.formats.common import ExportOptions
    from annotator.store import Project
    from annotator.store.transfer import ChangedWhileReading, export_project

    options = ExportOptions(offsets=args.offsets, spans_key=args.spans_key)
    # read-only, in place: never migrates, writes or checkpoints the project, while a window may be editing it
    for attempt in (1, 2):
        try:
            with Project.open(args.project, readonly=True, trusted=True) as project:
                n = export_project(project, args.format, args.output, args.status, options)
            break
        except ChangedWhileReading:
            if attempt == 2:
                raise  # a window opened it meanwhile: the second read takes SQLite's locks beside it
    if args.output not in (None, "-"):
        print(f"exported {n} record(s) to {args.output}", file=sys.stderr)
    for note in options.notes:
        print(f"annotator: {note}", file=sys.stderr)
    return 0


def _cmd_stats(args: argparse.Namespace) -> int:
    from annotator.store.stats import read

    stats, names = read(args.project)
    if args.json:
        import orjson

        sys.stdout.write(orjson.dumps(stats, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    print(f"documents  {stats['documents']}")
    for status, n in stats["status"].items():
        print(terminal_safe(f"  {status:<12}{n}"))
    print(f"spans      {stats['spans']}")
    for key, n in stats["labels"].items():
        print(terminal_safe(f"  {names.get(key, key):<24}{n}"))
    return 0


def _cmd_agree(args: argparse.Namespace) -> int:
    import orjson

    from annotator.core import agreement
    from annotator.store import sources

    notes: list[str] = []
    sets = sources.load(args.files, by_annotator=args.by_annotator, before_adjudication=args.before_adjudication,
                        notes=notes, offsets=args.offsets)
    for note in notes:  # a doccano file's doubtful offsets, tasks skipped: on stderr, beside a --json answer
        print(terminal_safe(f"annotator: {note}"), file=sys.stderr)
    if len(sets) < 2:
        raise AnnotatorError(
            f"need at least two annotators to compare, found {len(sets)}"
            + ("" if args.by_annotator else " (give two files, or --by-annotator for a file holding several)")
        )
    title = ""
    if args.before_adjudication:
        rebuilt = sum(getattr(s.docs, "reconstructed", 0) for s in sets)
        title = f"before adjudication: {rebuilt} statement(s) put back as they were before the review decisions"
    if len(sets) == 2:
        result = agreement.compare(sets[0], sets[1])
        text = agreement.format_compare(result, sets[0].name, sets[1].name, title)
    else:
        result = agreement.agree_many(sets)
        text = (title + "\n" if title else "") + agreement.format_many(result)
    if args.json:
        if args.before_adjudication:
            result["before_adjudication"] = True
        sys.stdout.write(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        print(terminal_lines(text))
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from annotator.store.check import check_project

    problems, counted = check_project(args.project)
    for line in problems:
        print(f"annotator: {about(args.project, line)}", file=sys.stderr)
    if problems:
        return 1
    print(f"{args.project}: ok ({counted['documents']} statement(s), {counted['spans']} span(s) checked)")
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from annotator.store import backups, restoring

    if args.list or args.backup is None:
        infos = backups.list_backups(args.project)
        if not infos:
            raise AnnotatorError(
                f"no backups of {args.project} yet (they are made when the GUI opens a project, "
                "and every few minutes of work)"
            )
        print(f"backups of {args.project} (in {backups.folder_for(args.project)}), newest first:")
        print(f"  {'#':>3}  {'time':<19}  {'size':>9}  {'documents':>9}  {'spans':>7}  why")
        for n, item in enumerate(infos, 1):
            docs = "?" if item.documents is None else str(item.documents)
            spans = "?" if item.spans is None else str(item.spans)
            why = item.why + (f" (unreadable: {item.problem})" if item.problem else "")
            size = backups.human_size(item.size)
            print(f"  {n:>3}  {item.local_time():<19}  {size:>9}  {docs:>9}  {spans:>7}  {why}")
        return 0
    chosen = backups.find(args.project, args.backup)
    steps = _steps()
    try:
        done = restoring.restore(args.project, chosen, progress=steps)
    finally:
        if steps is not None:
            print("\r\x1b[K", end="", file=sys.stderr, flush=True)  # the steps' line cleared
    print(f"restored {args.project} from {chosen.name}")
    if done.previous is not None:
        print(f"the project as it was is kept as backup {done.previous.name}")
    if done.damaged_copy is not None:
        print(f"the project was unreadable; its bytes are kept in {done.damaged_copy}")
    return 0


def _cmd_vars(args: argparse.Namespace) -> int:
    from annotator.store import Project
    from annotator.store.varsfile import apply

    with Project.open(args.project, user=analyst_name()) as project:
        report = apply(project, args.file, empty_clears=args.empty_clears)
    for line in report.summary_lines():
        print(line)
    return 0


_COMMANDS = {
    "import": _cmd_import,
    "export": _cmd_export,
    "stats": _cmd_stats,
    "agree": _cmd_agree,
    "check": _cmd_check,
    "restore": _cmd_restore,
    "vars": _cmd_vars,
    **{module.NAME: module.run for module in _PLUGGED},
}


if __name__ == "__main__":
    sys.exit(main())
