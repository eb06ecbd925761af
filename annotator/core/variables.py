"""Document variables (DESIGN.md §2.6): the fixed ones every statement has, the project's own typed ones, and how a
value of each type is read from text or JSON, checked and shown.

A value is kept in its type so it sorts as it should: text as ``str``, number as ``int`` or ``float``, date as an ISO
8601 ``YYYY-MM-DD`` string (``YYYY-MM`` or ``YYYY`` when the day is not known), yes/no as ``bool`` (``1``/``0`` in the
project file). An empty value is ``None``.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass
from typing import Any

from annotator.core.text import storable_problem

#: the types of a project's own variables, with the names the user sees
TYPES: tuple[str, ...] = ("text", "number", "date", "bool")
TYPE_NAMES: dict[str, str] = {"text": "Text", "number": "Number", "date": "Date", "bool": "Yes/no"}

#: every statement has these (columns of ``documents``); ``note`` is the memo
FIXED: tuple[str, ...] = ("date", "issuer", "url", "note")
FIXED_NAMES: dict[str, str] = {"date": "Date", "issuer": "Issuer", "url": "URL", "note": "Memo"}
#: names a project variable cannot take: the fixed variables and the keys that identify a document in a vars file
RESERVED = frozenset({*FIXED, "title", "new_title", "sha256", "doc_id", "id", "text", "source", "status"})

MAX_NAME = 100
#: how a date is written, as messages and placeholders say
DATE_FORMS = "YYYY-MM-DD (or YYYY-MM, YYYY when the day is not known)"
MAX_VALUE = 10_000

#: a calendar date, or one of reduced precision (ISO 8601): a month, a year
_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_TRUE = {"yes", "y", "true", "1", "ja", "oui"}
_FALSE = {"no", "n", "false", "0", "nein", "non"}


@dataclass(frozen=True, slots=True)
class Variable:
    """One of the project's own variables: its name (its identity) and type."""

    name: str
    type: str = "text"


def name_problem(name: Any) -> str | None:
    """Why ``name`` cannot name a project variable, or None."""
    if not isinstance(name, str) or not name.strip():
        return "a variable needs a name"
    if name != name.strip():
        return f"the variable name {name!r} starts or ends with spaces"
    if len(name) > MAX_NAME:
        return f"the variable name {name[:20]!r}... is longer than {MAX_NAME} characters"
    if name.lower() in RESERVED:
        return f"{name!r} is a built-in field, not a variable name"
    return storable_problem(name)


def definition_problems(variables: list[Variable]) -> list[str]:
    problems = []
    seen: set[str] = set()
    for var in variables:
        problem = name_problem(var.name)
        if problem:
            problems.append(problem)
        if var.type not in TYPES:
            problems.append(f"variable {var.name!r}: unknown type {var.type!r}; expected one of {', '.join(TYPES)}")
        if var.name.lower() in seen:
            problems.append(f"variable {var.name!r} is defined twice")
        seen.add(var.name.lower())
    return problems


def parse_date(raw: Any) -> str:
    """An ISO 8601 calendar date ``YYYY-MM-DD`` that exists (2023-02-30 does not), a month ``YYYY-MM`` or a year
    ``YYYY`` when the day or the month is not known (ISO 8601's reduced precision: a statement dated "March 2024"
    is counted in 2024-Q1 and 2024-03, never on a day no one wrote), or "" for empty.

    Raises ValueError naming the problem.
    """
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise ValueError(f"a date must be text like 2023-10-26, got {raw!r}")
    text = raw.strip()
    if not text:
        return ""
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(f"{raw!r} is not a date written as {DATE_FORMS}")
    try:
        _dt.date.fromisoformat(text if len(text) == 10 else (text + "-01-01")[:10])
    except ValueError:
        raise ValueError(f"{raw!r} is not a date that exists") from None
    return text


def parse_fixed(name: str, raw: Any, what: str = "") -> str:
    """A fixed variable's text (issuer, url, memo; the date: :func:`parse_date`); ``what`` names it in a message
    (else "the issuer" …). An issuer is a name the corpus groups by: spaces around it are not part of it (" Council
    of the EU" typed, in a vars file or a JSONL file was a second issuer that read the same, splitting its counts:
    trial 15, F5)."""
    if name == "date":
        return parse_date(raw)
    text = parse_text(raw, what or f"the {FIXED_NAMES[name].lower()}")
    return text.strip() if name == "issuer" else text


def parse_text(raw: Any, what: str = "the value") -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise ValueError(f"{what} must be text, got {raw!r}")
    if len(raw) > MAX_VALUE:
        raise ValueError(f"{what} is longer than {MAX_VALUE} characters")
    problem = storable_problem(raw)
    if problem:
        raise ValueError(problem)
    return raw


#: the whole numbers a number variable holds: SQLite's 64-bit integers
MAX_WHOLE = 2**63 - 1


def _whole(number: int) -> int:
    if not -MAX_WHOLE - 1 <= number <= MAX_WHOLE:
        raise ValueError(f"{number} is too large for a number variable (at most 19 digits); a text variable keeps "
                         "it digit for digit")
    return number


def parse_value(type_: str, raw: Any) -> Any:
    """A value of a variable of ``type_`` from text (a CSV cell, a form field) or JSON; None when empty.

    Raises ValueError naming the problem.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if type_ == "text":
        return parse_text(raw) if isinstance(raw, str) else parse_text(_json_scalar_text(raw))
    if type_ == "date":
        return parse_date(raw) or None
    if type_ == "number":
        if isinstance(raw, bool):
            raise ValueError(f"expected a number, got {raw!r}")
        if isinstance(raw, int):
            return _whole(raw)
        if isinstance(raw, float):
            number = raw
        elif isinstance(raw, str):
            text = raw.strip()
            if re.fullmatch(r"[+-]?\d+", text):
                return _whole(int(text))
            try:
                number = float(text)
            except ValueError:
                raise ValueError(f"{raw!r} is not a number") from None
        else:
            raise ValueError(f"expected a number, got {raw!r}")
        if not math.isfinite(number):
            raise ValueError(f"{raw!r} is not a finite number")
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if type_ == "bool":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int) and raw in (0, 1):
            return bool(raw)
        if isinstance(raw, str):
            word = raw.strip().lower()
            if word in _TRUE:
                return True
            if word in _FALSE:
                return False
        raise ValueError(f"{raw!r} is not yes or no")
    raise ValueError(f"unknown variable type {type_!r}")


def _json_scalar_text(raw: Any) -> str:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise ValueError(f"expected text, got {raw!r}")
    return str(raw)


def guess_type(values: list[Any], cells: bool = True) -> str:
    """The type of a variable a file introduces, from its non-empty values: yes/no, number, date, else text.

    ``cells``: the values are text cells (CSV), read for what they spell; otherwise they are JSON values, whose own
    type decides (a JSON string is text, or a date when every one is an ISO date), so an export round-trips.
    """
    present = [v for v in values if v is not None and v != ""]
    if not present:
        return "text"
    if not cells:
        if all(isinstance(v, bool) for v in present):
            return "bool"
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
            return "number"
        if not all(isinstance(v, str) for v in present):
            return "text"
    candidates = ("bool", "number", "date") if cells else ("date",)
    for type_ in candidates:
        if type_ == "bool" and any(isinstance(v, str) and v.strip().isdigit() for v in present):
            continue  # a column of 0s and 1s is a number
        try:
            for value in present:
                parse_value(type_, value)
        except ValueError:
            continue
        return type_
    return "text"


def to_store(type_: str, value: Any) -> Any:
    """A parsed value as the project file keeps it (yes/no as 1/0)."""
    if type_ == "bool" and value is not None:
        return 1 if value else 0
    return value


def from_store(type_: str, stored: Any) -> Any:
    """A stored value as its type (yes/no back to bool)."""
    if type_ == "bool" and stored is not None:
        return bool(stored)
    return stored


def display(type_: str, value: Any) -> str:
    """A value as the user reads it."""
    if value is None:
        return ""
    if type_ == "bool":
        return "yes" if value else "no"
    return str(value)


def from_codebook_json(data: bytes) -> list[Variable] | None:
    """The document variables of a codebook JSON file (``codebook_to_json``), or None when it has none.

    Raises ValueError naming every problem.
    """
    import orjson

    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or "variables" not in doc:
        return None
    items = doc["variables"]
    if not isinstance(items, list):
        raise ValueError("'variables' must be a list")
    found: list[Variable] = []
    problems: list[str] = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            problems.append(f"variable {i}: expected an object with a 'name'")
            continue
        found.append(Variable(item["name"], item.get("type", "text")))
    problems += definition_problems(found)
    if problems:
        raise ValueError("; ".join(problems))
    return found
