"""What a JSON value is, in JSON's words, for the messages of the readers that expected another kind ("got null",
"got a list"): a user who picked the wrong file reads their file's terms, never Python's (``NoneType``, ``dict``)."""

from __future__ import annotations

from typing import Any


def json_kind(value: Any) -> str:
    """``null``, ``true``/``false``, ``a number (3)``, ``a string``, ``a list``, ``an object`` (else the type's
    name: a value no JSON reader gives)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def keys_found(obj: dict[str, Any], at_most: int = 8) -> str:
    """The first keys of an object, quoted, for a message about a key it lacks ("found keys 'documents', …")."""
    keys = [repr(k) for k in list(obj)[:at_most]]
    more = len(obj) - len(keys)
    return (", ".join(keys) + (f" and {more} more" if more > 0 else "")) if keys else "none"
