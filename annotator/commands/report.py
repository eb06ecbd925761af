"""``annotator report PROJECT``: the corpus at a glance on the command line (issue 12).

Labels × a grouping (``--by``; spans per cell, or statements with at least one with ``--documents``), one label's
crosstab (``--rows issuer --label commitment --by date:quarter``: the window's Corpus ▸ Crosstab), or the labels ×
labels co-occurrence (``--cooccurrence``, by overlap or ``--same-sentence``); as an aligned table, ``--csv`` or
``--json``. It only reads: it opens the project read-only beside a window that edits it, as ``stats`` does.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path
from typing import Any

from annotator.core.neutral import csv_row, terminal_safe

NAME = "report"


def add_parser(sub: Any) -> None:
    p = sub.add_parser("report", help="labels per issuer, period, statement or variable; co-occurrence")
    p.add_argument("project", type=Path)
    p.add_argument("--by", default="issuer", metavar="GROUPING",
                   help="issuer, date:month, date:quarter, date:year, url:site (the site the statement was "
                        "published on), document, or a variable's name (default issuer)")
    p.add_argument("--rows", metavar="GROUPING",
                   help="with --label: a crosstab of that label, rows by this grouping (same choices as --by), "
                        "columns by --by; e.g. --rows issuer --label commitment --by date:quarter")
    p.add_argument("--label", metavar="KEY", help="with --rows: the label (its key) the crosstab counts")
    p.add_argument("--documents", action="store_true",
                   help="count statements with at least one span of the label, not spans")
    p.add_argument("--cooccurrence", action="store_true", help="labels × labels: pairs of spans that overlap")
    p.add_argument("--same-sentence", action="store_true",
                   help="with --cooccurrence: pairs of spans that start in the same sentence")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON")
    out.add_argument("--csv", action="store_true", help="print CSV (cells a spreadsheet would run are neutralised)")


def _read(args: argparse.Namespace) -> dict[str, Any]:
    from annotator.store import Project, corpus
    from annotator.store import cooccurrence as co

    result: dict[str, Any] = {}
    for _attempt in (1, 2):  # a second read takes SQLite's locks if a window opened it meanwhile
        with Project.open(args.project, readonly=True, trusted=True) as project:
            if args.cooccurrence:
                mode = "sentence" if args.same_sentence else "overlap"
                c = co.cooccurrence(project.conn, mode)
                result = {"cooccurrence": mode, "labels": c.labels, "names": [c.names[k] for k in c.labels],
                          "cells": c.cells}
            elif args.rows:
                result = _crosstab(project, args)
            else:
                t = corpus.label_table(project.conn, args.by)
                count = "statements" if args.documents else "spans"
                result = {
                    "by": args.by, "count": count, "labels": t.labels, "names": [t.names[k] for k in t.labels],
                    "groups": t.groups, "group_names": t.group_names, "cells": t.cells(count),
                    "row_totals": t.row_totals(count), "column_totals": t.column_totals(count),
                    "statements": t.group_statements,
                }
            if not project.changed_while_reading():
                break
    return result


def _crosstab(project: Any, args: argparse.Namespace) -> dict[str, Any]:
    from annotator.errors import AnnotatorError
    from annotator.store import corpus

    keys = [lb.key for lb in project.labels()]
    if args.label not in keys:
        raise AnnotatorError(f"no label {args.label!r} in the codebook; its labels are: {', '.join(keys)}")
    t = corpus.crosstab(project.conn, args.rows, args.by, args.label)
    count = "statements" if args.documents else "spans"
    return {
        "rows": args.rows, "label": args.label, "by": args.by, "count": count,
        "row_groups": t.labels, "row_names": [t.names[k] for k in t.labels],
        "groups": t.groups, "group_names": t.group_names, "cells": t.cells(count),
        "row_totals": t.row_totals(count), "column_totals": t.column_totals(count),
        "statements": t.group_statements,
    }


def _rows(result: dict[str, Any]) -> list[list[Any]]:
    if "cooccurrence" in result:
        head = ["label", *result["names"]]
        return [head, *([name, *row] for name, row in zip(result["names"], result["cells"], strict=True))]
    names = result["row_names"] if "rows" in result else result["names"]
    head = [result.get("rows", "label"), *result["group_names"], "total"]
    rows = [[name, *row, total] for name, row, total in
            zip(names, result["cells"], result["row_totals"], strict=True)]
    # the corner totals the row above it: spans, or statements (each in one group, so a statement with two labels
    # is counted once, as in the column totals; the total column counts it once per label)
    rows.append(["total", *result["column_totals"], sum(result["column_totals"])])
    return [head, *rows]


def run(args: argparse.Namespace) -> int:
    if args.same_sentence and not args.cooccurrence:
        from annotator.errors import AnnotatorError

        raise AnnotatorError("--same-sentence goes with --cooccurrence")
    if bool(args.rows) != bool(args.label) or (args.rows and args.cooccurrence):
        from annotator.errors import AnnotatorError

        raise AnnotatorError("--rows and --label go together (a crosstab of one label), without --cooccurrence")
    result = _read(args)
    if args.json:
        import orjson

        sys.stdout.write(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    rows = _rows(result)
    if args.csv:
        buf = io.StringIO()
        csv.writer(buf).writerows(csv_row(r) for r in rows)
        sys.stdout.write(buf.getvalue())
        return 0
    cells = [[str(c) for c in r] for r in rows]
    widths = [min(30, max(len(r[j]) for r in cells)) for j in range(len(cells[0]))]
    for r in cells:
        line = "  ".join((c[:30].ljust(w) if j == 0 else c[:30].rjust(w))
                         for j, (c, w) in enumerate(zip(r, widths, strict=True)))
        print(terminal_safe(line.rstrip()))
    return 0
