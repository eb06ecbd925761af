"""The analyst's name as the window keeps it (``analyst=`` in ``settings.ini`` in the user data directory, written by
Qt's QSettings: Edit ▸ Your Name…), read without Qt for the command line, whose writes are recorded under it as the
window's are (trial 11, L2: ``annotator vars`` and ``annotator import`` beside the window were recorded as the
login name, ``root``, where the window recorded ``tess``).

QSettings' INI values are UTF-8 (Qt 6) and may hold escapes (a Qt 5 file wrote ``\\x`` and the UTF-16 code unit
for every character past ASCII), C escapes (``\\"``, ``\\\\``, ``\\t``), octal escapes and quoted parts (a name
with a comma, a leading space or a ``;``), and a value starting with ``@`` is written ``@@``: each read back here
as QSettings reads it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from annotator import paths

#: C escapes QSettings reads (``iniUnescapedStringList``)
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", '"': '"', "?": "?",
            "'": "'", "\\": "\\"}
_HEX = re.compile(r"[0-9a-fA-F]+")
_OCT = re.compile(r"[0-7]+")
#: the longest name taken (a name is shown in the status bar, the Spans panel and every review)
MOST_CHARS = 80


def problem(name: str) -> str | None:
    """Why ``name`` cannot be the analyst's name, or None (the window's Edit ▸ Your Name… asks it too)."""
    if not name:
        return "a name is needed"
    if len(name) > MOST_CHARS:
        return f"at most {MOST_CHARS} characters"
    if any(unicodedata.category(ch)[0] == "C" for ch in name):
        return "no control characters"
    return None


def saved_name(settings: Path | None = None, warn: Callable[[str], None] | None = None) -> str | None:
    """The name the window keeps (``settings.ini``), or None when there is none (never set, unreadable, or not a
    name the window would take). ``warn`` is told when the file is there but cannot be read (trial 17, F6: the
    command line then recorded its writes under the login name, saying nothing)."""
    path = settings or paths.settings_file()
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except OSError as exc:
        if warn is not None:
            warn(f"cannot read your name from {path} ({exc.strerror or exc}); this change is recorded under your "
                 "login name")
        return None
    raw = _general_value(text, "analyst")
    if raw is None:
        return None
    name = " ".join(unescape(raw).split())
    return None if problem(name) else name


def _general_value(text: str, key: str) -> str | None:
    """The raw text of ``key`` in the ``[General]`` section (QSettings' top-level keys); a line ending in an odd
    backslash goes on on the next."""
    section = ""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if line.startswith("["):
            section = line[1:line.find("]")] if "]" in line else line[1:]
            continue
        if section.lower() != "general" or "=" not in line or line.startswith((";", "#")):
            continue
        name, value = line.split("=", 1)
        if name.strip() != key:
            continue
        while value.endswith("\\") and (len(value) - len(value.rstrip("\\"))) % 2 and i < len(lines):
            value = value[:-1] + lines[i]
            i += 1
        return value.strip()
    return None


def unescape(raw: str) -> str:
    """An INI value as QSettings reads it: escapes decoded, quotes taken off (their commas kept), unquoted
    spaces around it dropped, ``@@`` read as ``@``; a list (unquoted commas) joined with ", "."""
    parts: list[str] = []
    units: list[str] = []  # of the value being read; \\x escapes give UTF-16 code units, paired at the end
    quoted = False
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw):
            nxt = raw[i + 1]
            i += 2
            if nxt in _ESCAPES:
                units.append(_ESCAPES[nxt])
            elif nxt == "x" and (found := _HEX.match(raw, i)):
                units.append(chr(int(found.group(), 16) & 0xFFFF))
                i = found.end()
            elif nxt in "01234567":
                found = _OCT.match(raw, i - 1)
                assert found is not None
                units.append(chr(int(found.group(), 8) & 0xFFFF))
                i = found.end()
            continue  # (any other escaped character is dropped, as QSettings does)
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            parts.append("".join(units).strip())
            units = []
        else:
            units.append(ch)
        i += 1
    parts.append("".join(units).strip() if '"' not in raw else "".join(units))
    value = ", ".join(_paired(p) for p in parts)
    if value.startswith("@@"):
        return value[1:]
    if value.startswith("@String(") and value.endswith(")"):
        return value[len("@String("):-1]
    return value


def _paired(text: str) -> str:
    """UTF-16 surrogate pairs (a Qt 5 file's escapes of a character past U+FFFF) as the character they make."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", errors="replace")
