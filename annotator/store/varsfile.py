"""Setting document variables in bulk from a CSV or JSON file (``annotator vars PROJECT FILE``; File ▸ Set Document
Variables…), DESIGN.md §2.6.

The file names each statement by a ``sha256`` column (the SHA-256 of its text, as ``meta.sha256`` in exports) or
a ``title`` column; every other column is a variable: ``date`` (ISO 8601, an impossible date such as 2023-02-30 is
a bad row), ``issuer``, ``url``, ``note`` (the memo) or one of the project's own variables. A column naming a
variable the project lacks adds it, with the type its values spell (yes/no, number, date, else text). A
``new_title`` column gives the statement a new title (the ``title`` column names the statement as it is titled
now). An empty cell leaves the value as it is -- or, with ``empty_clears`` (``annotator vars --empty-clears``),
clears it (a title is never cleared: an empty ``new_title`` cell leaves it). The file is applied whole or not at
all: every bad row is named.

CSV: a header row, UTF-8 (a BOM is fine) or a detected legacy encoding. JSON: a list of objects (or
``{"documents": [...]}``), values as JSON text, numbers, true/false; ``null`` leaves the value as it is (clears it
with ``empty_clears``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from annotator.core import variables as cv
from annotator.core.json_kind import json_kind
from annotator.core.text import decode_bytes
from annotator.core.titles import parse_title
from annotator.core.variables import Variable
from annotator.errors import AnnotatorError, FormatError
from annotator.formats.common import Problems, read_bytes, utf8_problem
from annotator.store import docvars
from annotator.store import variables as sv
from annotator.store.project import Project

KEYS = ("sha256", "title")
#: the column that gives a statement a new title (``title`` names the statement)
NEW_TITLE = "new_title"
#: how a refused vars file ends its message
APPLIED_NOTHING = "nothing from this file was applied"
#: the memo may be headed "memo" as the window calls it
ALIASES = {"memo": "note"}


@dataclass(slots=True)
class VarsReport:
    documents: int = 0
    #: values set (to something); ``cleared``: values emptied by an empty cell (with ``empty_clears``)
    values: int = 0
    new_variables: list[Variable] = field(default_factory=list)
    cleared: int = 0
    empty_clears: bool = False
    #: what changed, per statement (``variables.set_many``): :func:`undo` puts it back, :func:`redo` again
    changes: list[sv.Change] = field(default_factory=list, repr=False)

    def summary_lines(self) -> list[str]:
        lines = [f"set {self.values} value(s) on {self.documents} statement(s)"]
        if self.empty_clears:
            lines.append(f"cleared {self.cleared} value(s) whose cell was empty")
        if self.new_variables:
            added = ", ".join(f"{v.name} ({cv.TYPE_NAMES[v.type].lower()})" for v in self.new_variables)
            lines.append(f"added variable(s) to the project: {added}")
        return lines


def read_rows(path: Path) -> tuple[list[tuple[str, dict[str, Any]]], bool]:
    """(where, row) for each row of the file, and whether the values are text cells (CSV) or JSON values."""
    data = read_bytes(path)
    if not data.strip():
        raise FormatError(f"{path}: the file is empty")
    if path.suffix.lower() == ".json" or data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        try:
            doc = orjson.loads(data.removeprefix(b"\xef\xbb\xbf"))
        except orjson.JSONDecodeError as exc:
            bad = utf8_problem(data)
            raise FormatError(f"{path}: {bad} (the file must be UTF-8)" if bad else f"{path}: not valid JSON ({exc})"
                              ) from None
        if isinstance(doc, dict) and isinstance(doc.get("documents"), list):
            doc = doc["documents"]
        if not isinstance(doc, list):
            raise FormatError(f"{path}: expected a JSON list of objects, one per document")
        return [(f"item {i}", obj) for i, obj in enumerate(doc, 1)], False
    try:
        text = decode_bytes(data).text
    except FormatError as exc:
        raise FormatError(f"{path}: {exc.message}") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        rows = []
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            where = f"line {reader.line_num}"
            if len(cells) != len(header):
                rows.append((where, {"\0": f"has {len(cells)} cells, the header has {len(header)}"}))
                continue
            rows.append((where, dict(zip(header, cells, strict=True))))
    except csv.Error as exc:
        raise FormatError(f"{path}: not a valid CSV file (line {reader.line_num}: {exc})") from None
    return rows, True


def plan(project: Project, path: Path, empty_clears: bool = False,
         ) -> tuple[list[tuple[int, dict[str, Any]]], list[Variable]]:
    """The values to set per document id (a new title as ``title``) and the variables to add; raises
    AnnotatorError naming every bad row. ``empty_clears``: an empty cell (or JSON null) clears its value."""
    rows, cells = read_rows(path)
    problems = Problems(path, APPLIED_NOTHING)
    if not rows:
        raise FormatError(f"{path}: no rows")
    columns: dict[str, str] = {}  # as written -> the variable it sets
    for _, row in rows:
        if isinstance(row, dict):
            for col in row:
                columns.setdefault(col, ALIASES.get(col.strip().lower(), col.strip()))
    lowered = {c.strip().lower() for c in columns}
    key = next((k for k in KEYS if k in lowered), None)
    if key is None:
        raise FormatError(f"{path}: no 'sha256' or 'title' column to say which document each row is for")
    known = {v.name.lower(): v for v in sv.definitions(project)}
    new: dict[str, Variable] = {}
    for col, name in columns.items():
        low = name.lower()
        if col == "\0" or low in KEYS or low == NEW_TITLE or low in cv.FIXED or low in known:
            continue
        problem = cv.name_problem(name)
        if problem:
            problems.add(f"column {col!r}", problem)
            continue
        column = [row.get(col) for _, row in rows if isinstance(row, dict)]
        new[low] = Variable(name, docvars.guess_type(column, cells=cells))
    types = {**{k: v.type for k, v in known.items()}, **{k: v.type for k, v in new.items()}}
    names = {**{k: v.name for k, v in known.items()}, **{k: v.name for k, v in new.items()}}
    docs = project.documents()
    by_sha = {d.sha256: d.id for d in docs}
    by_title: dict[str, list[int]] = {}
    for d in docs:
        by_title.setdefault(d.title, []).append(d.id)
    planned: dict[int, tuple[str, dict[str, Any]]] = {}
    seen: dict[int, str] = {}
    for where, row in rows:
        if not isinstance(row, dict):
            problems.add(where, f"expected an object, got {json_kind(row)}")
            continue
        if "\0" in row:
            problems.add(where, row["\0"])
            continue
        ident = next((v for c, v in row.items() if c.strip().lower() == key), None)
        if not isinstance(ident, str) or not ident.strip():
            problems.add(where, f"no {key}")
            continue
        ident = ident.strip()
        if key == "sha256":
            doc_id = by_sha.get(ident.lower())
            if doc_id is None:
                problems.add(where, f"no document with sha256 {ident[:16]}… in the project")
                continue
        else:
            found = by_title.get(ident, [])
            if len(found) != 1:
                why = "no document" if not found else f"{len(found)} documents"
                problems.add(where, f"{why} titled {ident!r} in the project")
                continue
            doc_id = found[0]
        values: dict[str, Any] = {}
        bad = False
        for col, raw in row.items():
            name = columns[col]
            low = name.lower()
            if low in KEYS:
                continue
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if empty_clears and low != NEW_TITLE and (low in cv.FIXED or low in known):
                    values[low if low in cv.FIXED else names[low]] = "" if low in cv.FIXED else None
                continue
            try:
                if low == NEW_TITLE:
                    values["title"] = parse_title(raw)
                elif low in cv.FIXED:
                    values[low] = cv.parse_fixed(low, raw)
                elif low in types:
                    values[names[low]] = cv.parse_value(types[low], raw)
            except ValueError as exc:
                problems.add(where, f"{col}: {exc}")
                bad = True
        if doc_id in seen:
            problems.add(where, f"the same document as {seen[doc_id]}")
            continue
        seen[doc_id] = where
        if not bad:
            planned[doc_id] = (where, values)
    problems.raise_if_any()
    return [(doc_id, values) for doc_id, (_, values) in planned.items()], list(new.values())


def apply(project: Project, path: str | Path, empty_clears: bool = False) -> VarsReport:
    """Read the vars file and set its values in one transaction (whole file or nothing)."""
    path = Path(path)
    try:
        rows, new = plan(project, path, empty_clears)
    except AnnotatorError:
        raise
    changes: list[sv.Change] = []
    changed = sv.set_many(project, rows, new, changes)
    cleared = sum(1 for _, _, after in changes for value in after.values() if value in ("", None))
    return VarsReport(documents=len(rows), values=changed - cleared, new_variables=new, cleared=cleared,
                      empty_clears=empty_clears, changes=changes)


def undo(project: Project, report: VarsReport) -> None:
    """Put back what :func:`apply` changed: every value set or cleared as it was, a title as it was, the variables
    it added taken away; one transaction. Refused whole (``conflicts.Conflict``, naming what changed) when another
    writer changed one of those values since: the undo never overwrites it."""
    sv.put_back(project, report.changes, report.new_variables)


def redo(project: Project, report: VarsReport) -> None:
    """Set again what :func:`apply` set (after :func:`undo`); one transaction, refused as :func:`undo` is when a
    value is no longer what the undo left."""
    sv.set_many(project, [(doc_id, after) for doc_id, _, after in report.changes], report.new_variables,
                expected=[(doc_id, before) for doc_id, before, _ in report.changes])
