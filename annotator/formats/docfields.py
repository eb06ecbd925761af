"""A statement's own fields beyond its text and title — source, status, date, issuer, URL, memo and variables —
as the formats with a free-form place for them carry them: Label Studio's task ``data``, a spaCy Doc's
``user_data`` (our ``jsonl`` keeps them in ``meta``, see :mod:`annotator.formats.jsonl`).

Written with :func:`fields`, read back with :func:`incoming_fields`, which validates them as ``jsonl``'s ``meta``
is validated, so a round trip through either format gives back the same statement.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from annotator.core.model import STATUSES, Document
from annotator.formats.jsonl import meta, meta_variables

#: the keys :func:`fields` writes
KEYS = ("source", "status", "date", "issuer", "url", "note", "variables")
_VARIABLE_KEYS = frozenset(("date", "issuer", "url", "note", "variables"))


def fields(doc: Document) -> dict[str, Any]:
    """The statement's :data:`KEYS` as our jsonl's ``meta`` writes them."""
    found = meta(doc)
    return {key: dict(found[key]) if key == "variables" else found[key] for key in KEYS}


def incoming_fields(data: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The ``IncomingDocument`` keyword arguments ``data`` holds (none it does not); raises ValueError naming
    ``where`` and the key when one holds what no statement can (a date that is no date, a status that is none)."""
    out: dict[str, Any] = {}
    source = data.get("source")
    if isinstance(source, str) and source:
        out["source"] = source
    status = data.get("status")
    if status is not None:
        if status not in STATUSES:
            raise ValueError(f"{where}.status {status!r} is not a status: one of {', '.join(STATUSES)}, or none")
        out["status"] = status
    for key in _VARIABLE_KEYS & data.keys():
        try:
            value = meta_variables({key: data[key]})[key]
        except ValueError as exc:
            message = str(exc).removeprefix("meta: ").removeprefix(f"meta.{key}: ").replace("meta.", f"{where}.")
            raise ValueError(f"{where}.{key}: {message.removeprefix(f'{where}.{key}: ')}") from None
        out[key] = value
    return out


def taken_fields(data: Mapping[str, Any], where: str, ours: bool) -> tuple[dict[str, Any], str | None]:
    """:func:`incoming_fields` of a record ``ours`` (our own export: a wrong field is a damaged file, raised) or
    another tool's (whose keys of the same names may mean something else: a field no statement can hold is left
    out, and what is wrong with it returned for the summary)."""
    try:
        return incoming_fields(data, where), None
    except ValueError as exc:
        if ours:
            raise
        return {}, str(exc)
