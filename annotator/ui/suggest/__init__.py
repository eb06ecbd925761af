"""Suggestions in the window (issue 13): ghost spans over the statement (``ghosts``), their keys and undoable
changes (``commands``), the Suggestions menu (``menu``), the Suggestions dock (``panel``), the background retrain
(``worker``) and the glue (``controller``)."""

from annotator.ui.suggest.commands import key_rows
from annotator.ui.suggest.controller import SuggestController


def install(window) -> SuggestController:  # type: ignore[no-untyped-def]
    return SuggestController(window)


__all__ = ["install", "key_rows"]
