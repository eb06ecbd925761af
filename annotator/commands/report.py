"""``annotator report PROJECT``: the corpus at a glance on the command line (issue 12).

Labels × a grouping (``--by``; spans per cell, or statements with at least one with ``--documents``), one label's
crosstab (``--rows issuer --label commitment --by date:quarter``: the window's Corpus ▸ Crosstab), or the labels ×
labels co-occurrence (``--cooccurrence``, by overlap or ``--same-sentence``); as an aligned table, ``--csv`` or
``--json``. It only reads: it opens the project read-only beside a window that edits it, as ``stats`` does.

Every kind counts the statements ``--status`` keeps (D15): all but the skipped ones unless told, ``all``, or one
status, as the Corpus window's *Statements* chooser does; the table says under it (the CSV on stderr, the JSON in
``left_out``) how many statements it left out.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import unicodedata
from pathlib import Path
from typing import Any

from annotator.core.neutral import csv_row, terminal_safe

NAME = "report"
#: --status: ``annotator.store.counting.CHOICES`` (the Corpus window's *Statements*), spelled out here as cli.py spells
#: export's: importing the store's module would load dataclasses at every command's start
STATUS_CHOICES = ("not_skipped", "all", "todo", "in_progress", "done", "skipped")
DEFAULT_STATUS = "not_skipped"


def add_parser(sub: Any) -> None:
    p = sub.add_parser("report", help="labels per issuer, period, statement or variable; co-occurrence")
    p.add_argument("project", type=Path)
    p.add_argument("--by", default="issuer", metavar="GROUPING",
                   help="issuer, date:month, date:quarter, date:year, url:site (the site the statement was "
                        "published on), document, or a variable's name (default issuer)")
    p.add_argument("--rows", metavar="GROUPING",
                   help="with --label: a crosstab of that label, rows by this grouping (same choices as --by), "
                        "columns by --by; e.g. --rows issuer --label commitment --by date:quarter")
    p.add_argument("--label", metavar="LABEL", help="with --rows: the label (its key or name) the crosstab counts")
    p.add_argument("--documents", action="store_true",
                   help="count statements with at least one span of the label, not spans")
    p.add_argument("--status", choices=STATUS_CHOICES, default=DEFAULT_STATUS,
                   help="count only statements with this status; all: every statement; not_skipped (the "
                        "default): every statement but those marked skipped (the report says how many it left out)")
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
                c = co.cooccurrence(project.conn, mode, args.status)
                result = {"cooccurrence": mode, "labels": c.labels, "names": [c.names[k] for k in c.labels],
                          "cells": c.cells, **_counted(c.counting)}
            elif args.rows:
                result = _crosstab(project, args)
            else:
                t = corpus.label_table(project.conn, args.by, args.status)
                count = "statements" if args.documents else "spans"
                result = {
                    "by": args.by, "count": count, "labels": t.labels, "names": [t.names[k] for k in t.labels],
                    "groups": t.groups, "group_names": t.group_names, "cells": t.cells(count),
                    "row_totals": t.row_totals(count), "column_totals": t.column_totals(count),
                    "statements": t.group_statements, **_counted(t.counting),
                }
            if not project.changed_while_reading():
                break
    return result


def _crosstab(project: Any, args: argparse.Namespace) -> dict[str, Any]:
    from annotator.core.codebook import label_named
    from annotator.store import corpus

    args.label = label_named(project.labels(), args.label)
    t = corpus.crosstab(project.conn, args.rows, args.by, args.label, args.status)
    count = "statements" if args.documents else "spans"
    return {
        "rows": args.rows, "label": args.label, "by": args.by, "count": count,
        "row_groups": t.labels, "row_names": [t.names[k] for k in t.labels],
        "groups": t.groups, "group_names": t.group_names, "cells": t.cells(count),
        "row_totals": t.row_totals(count), "column_totals": t.column_totals(count),
        "statements": t.group_statements, **_counted(t.counting),
    }


def _counted(counting: Any) -> dict[str, Any]:
    """Which statements the figures count: the --status choice, its statuses, and the statements left out by status
    (``{"skipped": 12}``)."""
    return {"status": counting.choice, "statuses": list(counting.statuses), "left_out": counting.left_out}


def _note(result: dict[str, Any]) -> str:
    """The line under a table (on stderr under CSV) saying which statements were left out, "" when none was."""
    from annotator.store.counting import describe

    said = describe(result["left_out"])
    if not said:
        return ""
    if result["status"] == DEFAULT_STATUS:
        return f"{said} (--status all counts them)"
    return f"Counting only statements marked {result['status'].replace('_', ' ')}: {said}"


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
    note = _note(result)
    if args.csv:
        buf = io.StringIO()
        csv.writer(buf).writerows(csv_row(r) for r in rows)
        sys.stdout.write(buf.getvalue())
        if note:  # beside the CSV, never in it
            print(note, file=sys.stderr)
        return 0
    for line in _table(result, rows):
        print(line)
    if note:
        print(note)
    return 0


#: a name takes at most this many terminal columns in the table; a longer one is cut in the middle ("…")
WIDTH = 30
#: the key of a name the table itself gives ("label", "total"): it is never changed, a group's name like it is
_FIXED = object()


def _table(result: dict[str, Any], rows: list[list[Any]]) -> list[str]:
    """The aligned text table: names (the header, the first column) cut to :data:`WIDTH` so the cut shows and
    two names never look alike; each cell escaped first, so the escapes are measured with it."""
    cells = [[terminal_safe(str(c)) for c in r] for r in rows]
    if "cooccurrence" in result:
        head_keys, first_keys = [_FIXED, *result["labels"]], [_FIXED, *result["labels"]]
    else:
        keys = result["row_groups"] if "rows" in result else result["labels"]
        head_keys, first_keys = [_FIXED, *result["groups"], _FIXED], [_FIXED, *keys, _FIXED]
    cells[0] = _shown(cells[0], head_keys)
    for r, name in zip(cells, _shown([r[0] for r in cells], first_keys), strict=True):
        r[0] = name
    widths = [max(_columns(r[j]) for r in cells) for j in range(len(cells[0]))]
    return ["  ".join(_pad(c, w, left=j == 0) for j, (c, w) in enumerate(zip(r, widths, strict=True))).rstrip()
            for r in cells]


def _shown(names: list[str], keys: list[Any]) -> list[str]:
    """``names`` as the table shows them: alike ones (two statements titled the same, an issuer named "total")
    told apart by their keys, then each cut in the middle to :data:`WIDTH` (both ends show: "Ministry of
    Foreign Affairs of Japan" and "... of the Republic of Korea" differ at their ends), and names still cut alike
    widened together until they differ (at worst to their full length)."""
    names = _told_apart(names, keys)
    limits = [WIDTH] * len(names)
    shown = [_fit(name, WIDTH) for name in names]
    while True:
        alike: dict[str, list[int]] = {}
        for i, text in enumerate(shown):
            alike.setdefault(text, []).append(i)
        groups = [group for group in alike.values() if len(group) > 1]
        if not groups:
            return shown
        for group in groups:  # the names differ (told apart above), so in full they do not look alike
            # the least width that tells the group apart, found by halving (a wider cut shows more of both ends):
            # a thousand statements titled alike but for a number in the middle take a moment, not a minute
            low, high = max(limits[i] for i in group) + 1, max(_columns(names[i]) for i in group)
            while low < high:
                mid = (low + high) // 2
                if len({_fit(names[i], mid) for i in group}) == len(group):
                    high = mid
                else:
                    low = mid + 1
            for i in group:
                limits[i] = low
                shown[i] = _fit(names[i], low)


def _told_apart(names: list[str], keys: list[Any]) -> list[str]:
    """Each name that another also has gets its key ("Joint Statement [12]": a statement's id with --by document),
    or quotes when the name is its key (an issuer named "total"); the table's own names ("total", "(no issuer)")
    stay as they are."""
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    out = list(names)
    taken = set(names)
    for i, (name, key) in enumerate(zip(names, keys, strict=True)):
        if counts[name] == 1 or key is _FIXED or key is None:
            continue
        candidate = f"{name} [{terminal_safe(str(key))}]" if str(key) != name else f'"{name}"'
        while candidate in taken:  # a name that already reads so
            candidate = f"{candidate} [{i}]"
        taken.add(candidate)
        out[i] = candidate
    return out


def _fit(text: str, width: int) -> str:
    """``text`` in at most ``width`` terminal columns: its start and its end with "…" between when it is longer."""
    if _columns(text) <= width:
        return text
    room = width - 1  # the ellipsis takes one
    head = _take(text, (room + 1) // 2)
    tail = _take(text[len(head):][::-1], room // 2)[::-1]
    while tail and _columns(tail[0]) == 0:  # a combining mark cut from its letter
        tail = tail[1:]
    return head.rstrip() + "…" + tail.lstrip()


def _take(text: str, width: int) -> str:
    """The longest start of ``text`` that fits ``width`` terminal columns (with the marks of its last letter)."""
    if text.isascii():
        return text[:width]
    used = 0
    for i, ch in enumerate(text):
        used += _columns(ch)
        if used > width:
            return text[:i]
    return text


def _columns(text: str) -> int:
    """How many terminal columns ``text`` takes: two for a wide (CJK) character, none for a combining mark or a
    zero-width one, so names in Japanese or Korean stay aligned (escaped first: no control character is left)."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf")
               else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, left: bool) -> str:
    fill = " " * (width - _columns(text))
    return text + fill if left else fill + text
