"""``annotator search PROJECT QUERY``: keyword in context across the statements (issue 12).

Reads only (like ``export`` and ``stats``): the project is opened read-only, in place, beside a window that may be
editing it. ``--json`` prints ``{"total", "documents", "hits": [{"doc_id", "sha256", "title", "start", "end",
"left", "match", "right"}]}``, offsets in code points with ``text[start:end] == match``; a memo hit also has
``"field": "note"`` (its offsets are into the memo).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.errors import AnnotatorError

NAME = "search"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        NAME, help="keyword in context: every place the statements (and memos) say QUERY",
        description="QUERY is words (all must occur), \"a phrase\", a prefix*, OR, NOT, NEAR(a b, 10), with case "
        "and diacritics folded (ÉVIAN finds évian); or with --regex a regular expression (Python syntax, case "
        "sensitive unless it starts with (?i)). Exit status 1 for a malformed query.",
    )
    p.add_argument("project", type=Path)
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--regex", action="store_true", help="QUERY is a regular expression, matched in every statement")
    p.add_argument("--exact-diacritics", action="store_true", help="évian does not find Evian")
    p.add_argument("--label", metavar="L", help="only hits a span of label L covers")
    p.add_argument("--unlabelled", action="store_true", help="only hits no span covers yet")
    p.add_argument("--context", type=int, default=40, metavar="N", help="characters of context each side (40)")
    p.add_argument("--json", action="store_true", help="print the hits as JSON")


def run(args: argparse.Namespace) -> int:
    from annotator.core.codebook import label_named
    from annotator.core.neutral import terminal_safe
    from annotator.core.search.hits import shown
    from annotator.core.search.query import parse
    from annotator.store import Project, search

    if args.context < 0:
        raise AnnotatorError("--context must be 0 or more")
    if args.label is not None and args.unlabelled:
        raise AnnotatorError("give --label or --unlabelled, not both")
    query = parse(args.query, regex=args.regex, exact_diacritics=args.exact_diacritics)
    labelled = "" if args.unlabelled else args.label
    for _attempt in (1, 2):  # a second read takes SQLite's locks if a window opened it meanwhile
        with Project.open(args.project, readonly=True, trusted=True) as project:
            if args.label is not None:
                labelled = args.label = label_named(project.labels(), args.label)
            from annotator.store import connection

            with connection.translated("search", args.project):
                found = search.search_all(project.conn, query, args.context, labelled)
            if not project.changed_while_reading():
                break
    documents = len({h.doc_id for h in found})
    if args.json:
        import orjson

        out = {"total": len(found), "documents": documents, "hits": [h.as_json() for h in found]}
        sys.stdout.write(orjson.dumps(out).decode() + "\n")
        return 0
    for h in found:
        where = f"{h.title[:40]}{' ' + h.date if h.date else ''}{' (memo)' if h.in_memo else ''}"
        line = f"{where}:{h.start}  {shown(h.left):>{args.context}}[{shown(h.match)}]{shown(h.right)}"
        print(terminal_safe(line))
    print(f"{len(found)} hit(s) in {documents} statement(s)", file=sys.stderr)
    return 0
