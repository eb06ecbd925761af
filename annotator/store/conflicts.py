"""Undo and redo refuse to overwrite another writer's change (trial 11, D2: Ctrl+Z of "Set Issuer" in the window
put the issuer back over the value ``annotator vars`` had set beside it since, and the command line's acknowledged
value was gone). An undo step puts back the value its change found; it may do so only while the value is still
what its change left. When it is not, :class:`Conflict` says which statement, which field, what it holds now and
who set it when (the newest ``history`` row that wrote it), and nothing is written.

No Qt here: the window's commands (``ui/commands.py``, ``ui/properties``) and the store's bulk undo
(``store/varsfile.py``) raise it alike.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import orjson

from annotator.core import variables as cv
from annotator.errors import AnnotatorError
from annotator.store import connection

if TYPE_CHECKING:  # span_edits, a part of Project, raises these
    from annotator.store.project import Project

#: history rows looked at, newest first, for who set a value (only when a step is refused)
_LOOKED_AT = 500
#: how many fields one refusal names (a vars file's undo may meet many)
_NAMED = 5


class Conflict(AnnotatorError):
    """An undo or redo step refused: the value it would overwrite was changed by someone else since."""


def field_name(name: str) -> str:
    """A field as Document Properties labels it (``issuer`` → "Issuer"; a project variable by its own name)."""
    if name == "title":
        return "Title"
    if name == "status":
        return "Status"
    return cv.FIXED_NAMES.get(name, name)


def shown(value: Any, name: str = "") -> str:
    """A value as a message quotes it: “…”, cut to 60 characters; "empty" for none."""
    if value is None or value == "":
        return "empty"
    if name == "status":
        text = str(value).replace("_", " ")
    elif isinstance(value, bool):
        text = cv.display("bool", value)
    else:
        text = " ".join(str(value).split())
    return f"“{text if len(text) <= 60 else text[:59] + '…'}”"


def when(at: Any) -> str:
    """A history row's time (UTC, ISO 8601) as the analyst's clock reads it: ``2026-12-03 16:10:02``."""
    try:
        return datetime.fromisoformat(str(at).replace("Z", "+00:00")).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return str(at)


def same(a: Any, b: Any) -> bool:
    """Equal values, an empty text and no value alike (a fixed field is "" where a variable is None)."""
    return (a in ("", None) and b in ("", None)) or a == b


@connection.reading
def statement_name(project: Project, doc_id: int) -> str:
    """A statement as the user knows it: “its title”; a deleted one by the title its deletion recorded."""
    row = project.conn.execute("SELECT title FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is not None:
        return f"“{row[0]}”"
    row = project.conn.execute("SELECT before FROM history WHERE doc_id = ? AND action = 'delete_statement'"
                               " ORDER BY id DESC LIMIT 1", (doc_id,)).fetchone()
    try:
        title = orjson.loads(row[0]).get("title") if row is not None and row[0] else None
    except (orjson.JSONDecodeError, AttributeError):
        title = None
    return f"the deleted statement “{title}”" if title else "a statement no longer in the project"


@connection.reading
def who_set(project: Project, doc_id: int, name: str, value: Any) -> str:
    """" by NAME at TIME" of the newest history row that wrote ``value`` to field ``name`` of the statement, or ""
    when the history does not say (the value compared as :func:`same` does, dates and numbers as stored)."""
    rows = project.conn.execute("SELECT actor, at, after FROM history WHERE doc_id = ? ORDER BY id DESC LIMIT ?",
                                (doc_id, _LOOKED_AT))
    for actor, at, after in rows:
        try:
            wrote = orjson.loads(after) if after else None
        except orjson.JSONDecodeError:
            continue
        if isinstance(wrote, dict) and name in wrote:
            if not (same(wrote[name], value) or str(wrote[name]) == str(value)):
                return ""  # the newest write of the field is not the value now: not known who
            return f" (set by {actor} at {when(at)})"
    return ""


def refuse(project: Project, doc_id: int, changes: list[tuple[str, Any, Any]], undoing: bool = True,
           others: int = 0) -> Conflict:
    """The refusal of a step that expected each ``(field, expected, now)`` of statement ``doc_id`` (and found
    values changed in ``others`` more statements)."""
    where = statement_name(project, doc_id)
    parts = [f"the {field_name(name)} of {where} is now {shown(now, name)}{who_set(project, doc_id, name, now)}, not "
             f"{shown(expected, name)} as the change left it" for name, expected, now in changes[:_NAMED]]
    if len(changes) > _NAMED:
        parts.append(f"and {len(changes) - _NAMED} more")
    if others:
        parts.append(f"and values of {others} other statement(s) changed too")
    step = "undone" if undoing else "done again"
    return Conflict(f"{'; '.join(parts)}. It was not {step}, so that change is kept; nothing was "
                    "changed.")


def check_fields(project: Project, doc_id: int, expected: dict[str, Any], current: dict[str, Any],
                 undoing: bool = True) -> None:
    """Raise :class:`Conflict` unless every field of ``expected`` holds its value in ``current``."""
    differ = [(name, value, current.get(name)) for name, value in expected.items()
              if not same(value, current.get(name))]
    if differ:
        raise refuse(project, doc_id, differ, undoing)


def check_status(project: Project, doc_id: int, expected: str, undoing: bool = True) -> None:
    """Raise :class:`Conflict` when the statement's status is no longer ``expected``. A statement labelled since
    is In progress where it was To do: that is the window's own labelling, not another writer's choice."""
    now = project.status_of(doc_id)
    if now is None:
        raise AnnotatorError(f"{statement_name(project, doc_id)} is no longer in the project")
    if now != expected and not (expected == "todo" and now == "in_progress"):
        raise refuse(project, doc_id, [("status", expected, now)], undoing)


def _span_key(span: Any) -> tuple[Any, ...]:
    return (span.start, span.end, span.label, span.note)


def check_span(project: Project, expected: Any, now: Any, undoing: bool = True) -> None:
    """Raise :class:`Conflict` unless span ``now`` (None: gone) is still ``expected`` (place, label and note): an
    undo of a label, a relabel, a resize or a note never takes back or overwrites a span changed since."""
    if now is not None and _span_key(now) == _span_key(expected):
        return
    where = statement_name(project, expected.doc_id)
    row = project.conn.execute("SELECT actor, at FROM history WHERE span_id = ? ORDER BY id DESC LIMIT 1",
                               (expected.id,)).fetchone()
    who = f" by {row[0]} at {when(row[1])}" if row is not None else ""
    what = "deleted" if now is None else "changed"
    step = "undone" if undoing else "done again"
    raise Conflict(f"a span labelled “{expected.label}” in {where} (characters {expected.start}-"
                   f"{expected.end}) was {what}{who} after this change. It was not {step}, so that change is kept; "
                   "nothing was changed.")


def variable_added(project: Project, name: str) -> Conflict:
    """The refusal of putting a deleted variable back (its undo) when the project has a variable of that name again
    (``annotator vars`` added one with a column of that name since): its values would be replaced."""
    rows = project.conn.execute(
        "SELECT actor, at, after FROM history WHERE action IN ('add_variable', 'add_variables', 'rename_variable',"
        " 'restore_variable', 'set_variables_defined') ORDER BY id DESC LIMIT ?", (_LOOKED_AT,))
    who = next((f" (by {actor} at {when(at)})" for actor, at, after in rows
                if after and name.lower() in str(after).lower()), "")
    return Conflict(f"the project has a variable “{name}” again, added since this change{who}; "
                    "putting the deleted one back would replace it and its values. It was not undone, so that "
                    "change is kept; nothing was changed.")
