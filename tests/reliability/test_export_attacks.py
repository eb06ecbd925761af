"""Exports never attack their reader (issue 9, item 12; DESIGN.md §6).

A CSV cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, TAB, CR first) gets a ``'`` in front
(OWASP), in the spans export and the agreement report, reversibly; label names, titles and file names with ESC
sequences or other control characters are printed escaped by ``import``, ``stats`` and ``agree``.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import orjson
from hypothesis import given
from hypothesis import strategies as st

from annotator import cli
from annotator.core import review
from annotator.core.model import IncomingDocument, IncomingSpan
from annotator.core.neutral import csv_cell, csv_cell_original, csv_row, terminal_lines, terminal_safe
from annotator.store import Project
from tests.helpers import run_cli

FORMULA = ("=", "+", "-", "@", "\t", "\r")
TEXT = "=HYPERLINK(\"http://evil\",\"x\") +1+2 -3 @SUM(A1) \tcmd \rcr 'quoted =ok"
#: (start, end) of spans starting on each dangerous character
STARTS = [(TEXT.index(c), TEXT.index(c) + 4) for c in ("=H", "+1", "-3", "@S", "\tc", "\rc", "'q")]
ESC_LABEL = "\x1b]0;pwned\x07threat\x1b[2J\u202e"
ESC_TITLE = "\x1b[31mred title\x1b[0m"


def spreadsheet_would_run(cell: str) -> bool:
    return cell.startswith(FORMULA)


def hostile_project(path: Path) -> Path:
    spans = [IncomingSpan(a, b, lb, who, note) for (a, b), lb, who, note in zip(
        STARTS, ["=label", "+l", "-l", "@l", "\tl", "\rl", "'l"], ["@alice", "=b", "", "", "", "", ""],
        ["+note", "-n", "", "", "", "", "=1+1"], strict=True)]
    docs = [IncomingDocument(TEXT, "=cmd|' /C calc'!A0", spans=spans),
            IncomingDocument("A plain statement.", "-minus title")]
    with Project.open(path, create=True, user="tester", populate=docs):
        pass
    return path


def test_csv_export_neutralises_formulas(tmp_path):
    project = hostile_project(tmp_path / "p.sqlite")
    target = tmp_path / "spans.csv"
    assert cli.main(["export", str(project), "--format", "csv", "-o", str(target)]) == 0
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8"), newline="")))
    header, body = rows[0], rows[1:]
    assert len(body) == len(STARTS)
    cells = [cell for row in body for cell in row]
    assert not [c for c in cells if spreadsheet_would_run(c)]
    # every cell gives back what the project holds
    by_column = [dict(zip(header, map(csv_cell_original, row), strict=True)) for row in body]
    with Project.open(project, readonly=True) as p:
        stored = [(doc.title, TEXT[s.start:s.end], s.label, s.annotator, s.note)
                  for doc, spans in p.iter_documents() for s in spans]
    assert sorted((r["title"], r["text"], r["label"], r["annotator"], r["note"]) for r in by_column) == sorted(stored)
    assert {r["text"][0] for r in by_column} == {"=", "+", "-", "@", "\t", "\r", "'"}


def test_agreement_report_csv_neutralises_formulas():
    docs = [review.ReportDoc("sha", "=1+1", "We urge calm.", [review.TheirSpan(0, 2, "-x")],
                             [review.TheirSpan(0, 2, "-x")]),
            review.ReportDoc("sha2", "@title", "Other text.", [], [review.TheirSpan(0, 5, "=y")])]
    report = review.build_report(docs, mine="@me", theirs="+bob", label_names={"-x": "-minus", "=y": "=SUM(A1)"})
    rows = list(csv.reader(io.StringIO(review.report_to_csv(report).decode("utf-8"), newline="")))
    cells = [cell for row in rows for cell in row]

    def number(cell: str) -> bool:  # a negative figure (κ, α_u) is a number to a spreadsheet, not a formula
        try:
            float(cell)
        except ValueError:
            return False
        return True

    assert not [c for c in cells if spreadsheet_would_run(c) and not number(c)]
    assert any(c.startswith("-") and number(c) for c in cells)  # α_u below 0 here
    assert {"'=1+1", "'@title", "'-minus", "'=SUM(A1)"} <= set(cells)
    # numbers stay numbers, even negative ones (kappa can be below 0)
    assert all(not c.startswith("'") or not c[1:].lstrip("-").replace(".", "").isdigit() for c in cells)


@given(st.text())
def test_csv_cell_reverses_exactly(text):
    cell = csv_cell(text)
    assert not spreadsheet_would_run(cell)
    assert csv_cell_original(cell) == text
    assert csv_row(["x", text, 3, -1.5]) == ["x", cell, 3, -1.5]


@given(st.text())
def test_terminal_safe_has_no_control_characters(text):
    safe = terminal_safe(text)
    assert not any(ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0 or c in "\u202e\u2066\u2028" for c in safe)
    assert safe == text or "\\" in safe
    line = text.replace("\n", "")
    assert terminal_lines(f"{line}\n{line}") == f"{terminal_safe(line)}\n{terminal_safe(line)}"


def clean(out: bytes) -> bool:
    """No raw ESC, BEL or bidi override in what a command printed; their escapes are there instead."""
    return b"\x1b" not in out and b"\x07" not in out and "\u202e".encode() not in out


def test_commands_print_control_characters_escaped(tmp_path):
    line = {"text": "We urge calm and restraint.", "spans": [{"start": 3, "end": 7, "label": ESC_LABEL}],
            "meta": {"title": ESC_TITLE}}
    mine = tmp_path / "mine.jsonl"
    mine.write_bytes(orjson.dumps(line) + b"\n")
    theirs = tmp_path / "bob\x1b[2J.jsonl"
    theirs.write_bytes(orjson.dumps({**line, "spans": [{"start": 8, "end": 12, "label": ESC_LABEL}]}) + b"\n")
    bad = tmp_path / "bad\x1b[31m.jsonl"
    bad.write_bytes(b'{"text": "x", "spans": [{"start": 0, "end": 9, "label": "\\u001b[2J"}]}\n')
    project = tmp_path / "p.sqlite"
    printed = {}
    for name, args in {
        "import": ("import", project, mine, bad),
        "stats": ("stats", project),
        "agree": ("agree", mine, theirs),
        "agree --by-annotator": ("agree", "--by-annotator", mine, theirs),
    }.items():
        done = run_cli(*args, env={"ANNOTATOR_DATA_DIR": os.environ["ANNOTATOR_DATA_DIR"]})
        printed[name] = done.stdout + done.stderr
        assert b"Traceback" not in printed[name], printed[name]
        assert clean(printed[name]), (name, printed[name])
    assert b"\\x1b]0;pwned\\x07threat\\x1b[2J\\u202e" in printed["import"]  # the new label, escaped
    assert b"bad\\x1b[31m.jsonl" in printed["import"]  # the rejected file's name
    assert b"\\x1b]0;pwned" in printed["stats"]
    assert b"bob\\x1b[2J.jsonl" in printed["agree"]
