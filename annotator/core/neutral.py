"""Text from files, made harmless for the program that shows it next (DESIGN.md §6 "Exports never attack their
reader"): spreadsheet cells that would run as formulas, and control characters bound for a terminal.

Both are applied where text leaves us (the CSV writers, the command line's printing, and the window: every label
name, colleague name or file name from a file that enters a message, a question, the status bar, a table cell or a
tooltip goes through :func:`terminal_safe`, so a bidi override in a colleague's label cannot turn a question
backwards), never to what is stored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

#: a spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection"); a leading quote
#: is in the set so that neutralising is reversible (see :func:`csv_cell`)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def csv_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs: text starting with ``=``, ``+``, ``-``, ``@``, TAB or CR gets a single
    quote in front (OWASP's advice; the spreadsheet then shows the text as text).

    Text that already starts with a quote gets one more, so the rule reverses exactly: a reader recovers the
    original by removing one leading ``'`` from every text cell that starts with one (:func:`csv_cell_original`).
    Numbers are written as they are (``-0.25`` is a number to a spreadsheet, not a formula).
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


_STARTS = frozenset(_FORMULA_STARTS)


def csv_row(values: Sequence[Any]) -> Sequence[Any]:
    """:func:`csv_cell` on each value of a row; the row itself when no cell needs it (the usual case, cheaply)."""
    for value in values:
        if value.__class__ is str and value[:1] in _STARTS:
            return [csv_cell(v) for v in values]
    return values


def csv_cell_original(cell: str) -> str:
    """The text a :func:`csv_cell` cell was made from."""
    return cell[1:] if cell.startswith("'") else cell


#: C0 and C1 controls, DEL, and the invisible characters that reorder or split what a terminal shows: bidi
#: embeddings, overrides and isolates ("Trojan Source"), the Arabic letter mark, LINE/PARAGRAPH SEPARATOR
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """One line of text fit to print to a terminal: every control character is shown as an escape (``\\x1b``,
    ``\\u202e``), so a label name cannot move the cursor, retitle the window, clear the screen or fake a line.

    A backslash stays as it is: the result is for reading, not for parsing back.
    """
    if text.isprintable():  # the common case, at C speed
        return text
    return _UNSAFE.sub(_escape, text)


def terminal_lines(text: str) -> str:
    """:func:`terminal_safe` for text of several lines: the line breaks are kept, everything else escaped."""
    return "\n".join(terminal_safe(line) for line in text.split("\n"))
