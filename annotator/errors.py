"""The one error type the user sees.

Storage and input problems split in two (DESIGN.md §4): an :class:`AnnotatorError` is about the user's file, disk
or input and carries a message fit to show as is; anything else is our bug and keeps its traceback.
"""

from __future__ import annotations


def about(path: object, message: str, sep: str = ": ") -> str:
    """``message`` about the file ``path``, which it names once: prefixed with the path unless it names it already
    ("fake.sqlite: fake.sqlite is not an Annotator project" said it twice)."""
    return message if str(path) in message else f"{path}{sep}{message}"


class AnnotatorError(Exception):
    """A problem with the user's input, file or disk, with a clear one-line message."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        #: every individual problem (e.g. one per bad line), each one line
        self.problems: list[str] = problems or []

    def lines(self) -> list[str]:
        """The message and each problem as separate lines, for stderr or a dialog."""
        return [self.message, *self.problems]

    def __str__(self) -> str:
        return "\n".join(self.lines())


class ProjectFileError(AnnotatorError):
    """The project file cannot be opened or written (not SQLite, not a project, newer schema, disk full...)."""


class FormatError(AnnotatorError):
    """An input file is malformed; ``problems`` lists every bad line."""


class Cancelled(AnnotatorError):
    """The user cancelled long work; what it was doing is left out whole: an imported file's transaction rolls
    back, an export's or a backup's temporary file is removed, a read or a check stops, a restore leaves the project
    as it was. An error that reaches a generic handler says only that it was cancelled."""

    def __init__(self, message: str = "cancelled") -> None:
        super().__init__(message)


class ReadOnlyError(ProjectFileError):
    """A change was attempted on a project opened read-only."""
