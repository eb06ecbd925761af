"""Document variables in the project file (DESIGN.md §2.6; schema v3): each statement's date, issuer, url and memo,
the project's own typed variables (defined like the codebook: add, rename, delete, order) with their values, and
each imported statement's provenance.

Every change is one transaction with a history row, committed before the function returns, and returns what the
undo needs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core import variables as cv
from annotator.core.model import Provenance
from annotator.core.urls import parse_url
from annotator.core.variables import Variable
from annotator.errors import AnnotatorError
from annotator.store import conflicts, connection, search_index, statements
from annotator.store.docvars import definitions_of, values_of
from annotator.store.project import Project
from annotator.store.writing import now


@dataclass(frozen=True, slots=True)
class Fields:
    """A statement's variables: the fixed ones and the project's own (by name, in their type; absent = empty)."""

    date: str = ""
    issuer: str = ""
    url: str = ""
    note: str = ""
    values: dict[str, Any] = field(default_factory=dict, compare=True, hash=False)
    #: the statement's title, edited beside its variables (Document Properties); not one of them: not compared
    title: str = field(default="", compare=False)

    def get(self, name: str) -> Any:
        if name in cv.FIXED or name == "title":
            return getattr(self, name)
        return self.values.get(name)


# ---------------------------------------------------------------------- reading
@connection.reading
def definitions(project: Project) -> list[Variable]:
    """The project's own variables, in order."""
    return definitions_of(project.conn)


@connection.reading
def fields(project: Project, doc_id: int) -> Fields:
    found = _fields(project, (doc_id,)).get(doc_id)
    if found is None:
        raise AnnotatorError(f"no document {doc_id} in {project.path}")
    return found


@connection.reading
def all_fields(project: Project) -> dict[int, Fields]:
    """Every document's variables by id (for the Documents list: one read for all)."""
    return _fields(project, None)


@connection.reading
def fields_of(project: Project, doc_ids: Sequence[int]) -> dict[int, Fields]:
    """The variables of the documents ``doc_ids`` (a screen of the Documents list, at most a few hundred) in two
    queries, where one document at a time took three each; an id no longer in the project is left out."""
    return _fields(project, doc_ids) if doc_ids else {}


def _fields(project: Project, doc_ids: Sequence[int] | None) -> dict[int, Fields]:
    """The variables of the documents ``doc_ids`` (an ``IN (?, ?, ...)`` list of placeholders), or of all."""
    sql, params = "SELECT id, date, issuer, url, note, title FROM documents", list(doc_ids or ())
    if doc_ids is not None:
        sql += f" WHERE id IN ({', '.join('?' * len(doc_ids))})"
    values = values_of(project.conn, doc_ids)
    rows = project.conn.execute(sql, params)
    return {r[0]: Fields(r[1], r[2], r[3], r[4], values=values.get(r[0], {}), title=r[5]) for r in rows}


@connection.reading
def issuers(project: Project) -> list[str]:
    """The issuers the documents name (for the filter): one scan of the listing index, no row of text read."""
    return [r[0] for r in project.conn.execute("SELECT DISTINCT issuer FROM documents WHERE issuer != ''")]


@connection.reading
def provenance(project: Project, doc_id: int) -> tuple[Provenance, str] | None:
    """Where an imported statement came from, and when it was imported; None for one made otherwise."""
    row = project.conn.execute(
        "SELECT file_name, file_sha256, extractor, extractor_version, imported FROM imports WHERE doc_id = ?",
        (doc_id,),
    ).fetchone()
    return None if row is None else (Provenance(*row[:4]), row[4])


# ---------------------------------------------------------------------- writing values
def _log(project: Project, action: str, doc_id: int | None, before: Any, after: Any) -> None:
    project._log(action, doc_id, None, before, after)


def check_value(conn: sqlite3.Connection, name: str, raw: Any) -> Any:
    """``raw`` parsed for variable ``name`` (fixed or the project's); raises AnnotatorError naming the problem."""
    try:
        if name in cv.FIXED:
            return cv.parse_fixed(name, raw)
        row = conn.execute("SELECT type FROM variables WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise AnnotatorError(f"no variable {name!r} in this project")
        return cv.parse_value(row[0], raw)
    except ValueError as exc:
        raise AnnotatorError(f"{name}: {exc}") from None


def check_entry(conn: sqlite3.Connection, name: str, raw: Any) -> Any:
    """What a user typed for variable ``name``, parsed as :func:`check_value` does, and a URL held to be an http(s)
    or file: address, trimmed (``core/urls.py``). Files and undo keep any URL text a statement already has."""
    if name == "url":
        try:
            raw = parse_url(raw)
        except ValueError as exc:  # it names the value and says what a URL is: no field name before it
            raise AnnotatorError(str(exc)) from None
    return check_value(conn, name, raw)


def _write_value(conn: sqlite3.Connection, doc_id: int, name: str, value: Any) -> None:
    if name in cv.FIXED:
        if name == "note":  # the memo is searchable: out of the full-text index as it was, back in as it is
            search_index.forget(conn, [doc_id])
        conn.execute(  # one constant statement for the four (SQL text is never built from a value)
            "UPDATE documents SET date = CASE ?1 WHEN 'date' THEN ?2 ELSE date END,"
            " issuer = CASE ?1 WHEN 'issuer' THEN ?2 ELSE issuer END, url = CASE ?1 WHEN 'url' THEN ?2 ELSE url END,"
            " note = CASE ?1 WHEN 'note' THEN ?2 ELSE note END, updated = ?3 WHERE id = ?4",
            (name, value or "", now(), doc_id),
        )
        if name == "note":
            search_index.remember(conn, [doc_id])
        return
    type_ = conn.execute("SELECT type FROM variables WHERE name = ?", (name,)).fetchone()[0]
    if value is None:
        conn.execute("DELETE FROM document_values WHERE doc_id = ? AND variable = ?", (doc_id, name))
    else:
        conn.execute(
            "INSERT INTO document_values (doc_id, variable, value) VALUES (?, ?, ?)"
            " ON CONFLICT(doc_id, variable) DO UPDATE SET value = excluded.value",
            (doc_id, name, cv.to_store(type_, value)),
        )


#: ``expect`` of :func:`set_value` when the value it replaces may be anything (a first edit)
ANY = object()


def set_value(project: Project, doc_id: int, name: str, raw: Any, expect: Any = ANY,
              undoing: bool = True) -> tuple[Any, Any]:
    """Set one variable of one statement (``date``, ``issuer``, ``url``, ``note`` or a project variable).

    Returns (before, after) in the variable's type; an empty value is "" for the fixed ones, None for the others.
    ``expect`` (an undo's or redo's): the value it must find, else :class:`conflicts.Conflict` and nothing written.
    """
    with project._write("set the document variable"):
        value = check_value(project.conn, name, raw)
        before = fields(project, doc_id).get(name)
        if expect is not ANY:
            conflicts.check_fields(project, doc_id, {name: expect}, {name: before}, undoing)
        if before != value:
            _write_value(project.conn, doc_id, name, value)
            _log(project, "set_variable", doc_id, {name: before}, {name: value})
    return before, value


#: what :func:`set_many` changed of one statement: (its id, the values before, the values after), by name
Change = tuple[int, dict[str, Any], dict[str, Any]]


def set_many(
    project: Project, rows: Iterable[tuple[int, Mapping[str, Any]]], new_variables: Iterable[Variable] = (),
    changes: list[Change] | None = None, expected: Sequence[tuple[int, Mapping[str, Any]]] = (),
) -> int:
    """Set variables of many statements at once (a vars file), adding ``new_variables`` first; one transaction.

    The values must already be parsed (:func:`check_value` or ``core.variables.parse_value``). Returns the number of
    values that changed; ``changes``, when given, is told each statement's, for :func:`put_back` (the undo).
    ``expected`` (a redo's): the values each statement must hold still, else nothing is set.
    """
    changed = 0
    with project._write("set the document variables"):
        conn = project.conn
        _unchanged(project, expected, False)
        added = list(new_variables)
        if added:
            existing = definitions_of(conn)
            problems = cv.definition_problems(existing + added)
            if problems:
                raise AnnotatorError("cannot add the variables", problems)
            _write_definitions(conn, existing + added)
            _log(project, "add_variables", None, None, {"variables": [[v.name, v.type] for v in added]})
        current = all_fields(project)
        for doc_id, values in rows:
            if doc_id not in current:
                raise AnnotatorError(f"no document {doc_id} in {project.path}")
            before = {n: _title(conn, doc_id) if n == "title" else current[doc_id].get(n) for n in values}
            after = {n: v for n, v in values.items() if before[n] != v}
            for name, value in after.items():
                if name == "title":  # a vars file's new_title (``varsfile.NEW_TITLE``)
                    statements.write_title(project, doc_id, value)
                else:
                    _write_value(conn, doc_id, name, value)
            if after:
                changed += len(after)
                _log(project, "set_variables", doc_id, {n: before[n] for n in after}, after)
                if changes is not None:
                    changes.append((doc_id, {n: before[n] for n in after}, after))
    return changed


def put_back(project: Project, changes: Sequence[Change], added: Sequence[Variable] = ()) -> None:
    """Undo :func:`set_many`: every value it changed (set or cleared, a title too) as it was before, and the
    variables it added taken away with their values; one transaction. A statement deleted since is passed over."""
    with project._write("put the document variables back"):
        conn = project.conn
        gone = {v.name for v in added}
        _unchanged(project, [(doc_id, after) for doc_id, _, after in changes], True)
        for doc_id, before, after in changes:
            if conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is None:
                continue
            for name, value in before.items():
                if name == "title":
                    statements.write_title(project, doc_id, value)
                elif name not in gone:  # (their values go with them)
                    _write_value(conn, doc_id, name, value)
            _log(project, "set_variables", doc_id, after, before)
        if gone:
            for name in gone:
                conn.execute("DELETE FROM document_values WHERE variable = ?", (name,))
                conn.execute("DELETE FROM variables WHERE name = ?", (name,))
            _write_definitions(conn, definitions_of(conn))
            _log(project, "delete_variables", None, {"variables": [[v.name, v.type] for v in added]}, None)


def _unchanged(project: Project, expected: Sequence[tuple[int, Mapping[str, Any]]], undoing: bool) -> None:
    """Refuse (:class:`conflicts.Conflict`, naming every field changed) when a statement's values are no longer
    ``expected``: a file's undo or redo never overwrites what another writer set since. A statement deleted since
    is passed over, as :func:`put_back` does."""
    current = fields_of(project, [doc_id for doc_id, _ in expected])
    differ: list[tuple[int, str, Any, Any]] = []
    for doc_id, values in expected:
        if doc_id in current:
            now = current[doc_id]
            differ += [(doc_id, n, v, now.title if n == "title" else now.get(n)) for n, v in values.items()
                       if not conflicts.same(v, now.title if n == "title" else now.get(n))]
    if differ:
        first = differ[0][0]
        raise conflicts.refuse(project, first, [(n, v, now) for d, n, v, now in differ if d == first], undoing,
                               others=len({d for d, *_ in differ}) - 1)


def _title(conn: sqlite3.Connection, doc_id: int) -> str:
    return str(conn.execute("SELECT title FROM documents INDEXED BY documents_listing WHERE id = ?",
                            (doc_id,)).fetchone()[0])


# ---------------------------------------------------------------------- definitions
def _write_definitions(conn: sqlite3.Connection, variables: list[Variable]) -> None:
    conn.executemany(
        "INSERT INTO variables (name, type, position) VALUES (?, ?, ?)"
        " ON CONFLICT(name) DO UPDATE SET type = excluded.type, position = excluded.position",
        [(v.name, v.type, i) for i, v in enumerate(variables)],
    )


def add_variable(project: Project, variable: Variable, position: int | None = None) -> None:
    with project._write("add the variable"):
        existing = definitions_of(project.conn)
        ordered = list(existing)
        ordered.insert(len(existing) if position is None else position, variable)
        problems = cv.definition_problems(ordered)
        if problems:
            raise AnnotatorError(f"cannot add the variable {variable.name!r}", problems)
        _write_definitions(project.conn, ordered)
        _log(project, "add_variable", None, None, {"name": variable.name, "type": variable.type})


def rename_variable(project: Project, old: str, new: str) -> None:
    """Rename a variable; its values follow it (``ON UPDATE CASCADE``)."""
    with project._write("rename the variable"):
        existing = definitions_of(project.conn)
        if old not in {v.name for v in existing}:
            raise AnnotatorError(f"no variable {old!r} in this project")
        renamed = [Variable(new, v.type) if v.name == old else v for v in existing]
        problems = cv.definition_problems(renamed)
        if problems:
            raise AnnotatorError(f"cannot rename {old!r} to {new!r}", problems)
        if old != new:
            project.conn.execute("UPDATE variables SET name = ? WHERE name = ?", (new, old))
            _log(project, "rename_variable", None, {"name": old}, {"name": new})


def delete_variable(project: Project, name: str, empty: bool = False) -> tuple[Variable, int, dict[int, Any]]:
    """Remove a variable and its values. Returns (the variable, its position, its values by document) for undo.
    ``empty`` (the undo of adding it): refused (``conflicts.Conflict``) when a statement has a value of it, which
    another writer set since (``annotator vars``): the undo would take it away for good."""
    with project._write("delete the variable"):
        existing = definitions_of(project.conn)
        found = [i for i, v in enumerate(existing) if v.name == name]
        if not found:
            raise AnnotatorError(f"no variable {name!r} in this project")
        variable = existing[found[0]]
        values = {d: v[name] for d, v in values_of(project.conn).items() if name in v}
        if empty and values:
            first = min(values)
            raise conflicts.refuse(project, first, [(name, None, values[first])], others=len(values) - 1)
        project.conn.execute("DELETE FROM variables WHERE name = ?", (name,))  # values go by ON DELETE CASCADE
        project.conn.execute("DELETE FROM document_values WHERE variable = ?", (name,))
        _write_definitions(project.conn, [v for v in existing if v.name != name])
        _log(project, "delete_variable", None, {"name": name, "type": variable.type, "values": len(values)}, None)
    return variable, found[0], values


def restore_variable(project: Project, variable: Variable, position: int, values: Mapping[int, Any]) -> None:
    """Undo :func:`delete_variable`: the variable where it was, with its values; refused (``conflicts.Conflict``)
    when a variable of its name was added since, whose values it would replace."""
    with project._write("restore the variable"):
        if any(v.name.lower() == variable.name.lower() for v in definitions_of(project.conn)):
            raise conflicts.variable_added(project, variable.name)
        ordered = [v for v in definitions_of(project.conn) if v.name != variable.name]
        ordered.insert(min(position, len(ordered)), variable)
        _write_definitions(project.conn, ordered)
        project.conn.executemany(
            "INSERT OR REPLACE INTO document_values (doc_id, variable, value) VALUES (?, ?, ?)",
            [(d, variable.name, cv.to_store(variable.type, v)) for d, v in values.items()],
        )
        _log(project, "restore_variable", None, None, {"name": variable.name, "values": len(values)})


def reorder_variables(project: Project, names: list[str]) -> list[str]:
    """Put the variables in the order of ``names`` (all of them); returns the order before."""
    with project._write("reorder the variables"):
        existing = definitions_of(project.conn)
        if sorted(names) != sorted(v.name for v in existing):
            raise AnnotatorError("the new order must name every variable once")
        by_name = {v.name: v for v in existing}
        _write_definitions(project.conn, [by_name[n] for n in names])
        before = [v.name for v in existing]
        _log(project, "reorder_variables", None, {"order": before}, {"order": names})
    return before


def set_definitions(project: Project, variables: list[Variable]) -> list[Variable]:
    """Make the project's variables exactly ``variables`` (as the codebook JSON states them): variables not named
    are deleted with their values, new ones added, types and order as given. Returns the definitions before.

    A type change of a variable that has values is refused (their values would no longer be of their type).
    """
    problems = cv.definition_problems(variables)
    if problems:
        raise AnnotatorError("the variable definitions are invalid; nothing was changed", problems)
    with project._write("change the variables"):
        conn = project.conn
        before = definitions_of(conn)
        old_types = {v.name: v.type for v in before}
        used = {r[0] for r in conn.execute("SELECT DISTINCT variable FROM document_values")}
        retyped = [v.name for v in variables if v.name in used and old_types.get(v.name) not in (None, v.type)]
        if retyped:
            raise AnnotatorError("the type of a variable with values cannot change: " + ", ".join(retyped))
        keep = {v.name for v in variables}
        dropped = [(v.name,) for v in before if v.name not in keep]
        conn.executemany("DELETE FROM document_values WHERE variable = ?", dropped)
        conn.executemany("DELETE FROM variables WHERE name = ?", dropped)
        _write_definitions(conn, variables)
        _log(project, "set_variables_defined", None, {"variables": [[v.name, v.type] for v in before]},
             {"variables": [[v.name, v.type] for v in variables]})
    return before
