"""What every format shares: span validation with line numbers, and atomic output files."""

from __future__ import annotations

import bisect
import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from annotator import paths
from annotator.core.model import IncomingSpan
from annotator.core.text import storable_problem
from annotator.errors import AnnotatorError, FormatError

#: characters JSON allows raw in strings but that line splitters (``str.splitlines``, some JSONL readers) treat
#: as line breaks: NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR. Their UTF-8 bytes only ever encode these characters.
_LINE_BREAKERS = ((b"\xc2\x85", b"\\u0085"), (b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


def dumps_line(obj: Any) -> bytes:
    """One JSONL line: UTF-8, non-ASCII kept as is (``ensure_ascii=False``), ending in ``\\n``; the three
    Unicode line breaks are escaped so that every reader sees exactly one record per line."""
    data = orjson.dumps(obj)
    # most lines are ASCII (checked at C speed); otherwise a search in the decoded text costs a fifth of three
    # byte searches through the whole line (it was a fifth of an export's time)
    if not data.isascii():
        text = data.decode()
        if "\u2028" in text or "\u2029" in text or "\x85" in text:
            for raw, escaped in _LINE_BREAKERS:
                data = data.replace(raw, escaped)
    return data + b"\n"


#: more bad lines than this are summarised, so a wrong file gives a readable message
MAX_PROBLEMS = 50


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def span_problem(text: str, start: Any, end: Any, label: Any) -> str | None:
    """Why (start, end, label) is not a valid span of ``text`` (DESIGN.md §2.4), or None."""
    if not is_int(start) or not is_int(end):
        return f"start and end must be integers, got {start!r} and {end!r}"
    if not 0 <= start < end <= len(text):
        return f"span {start}-{end} is outside the text (length {len(text)}) or empty"
    if not isinstance(label, str) or not label.strip():
        return f"the label must be a non-empty string, got {label!r}"
    return None


def text_problem(text: Any) -> str | None:
    if not isinstance(text, str):
        return f"'text' must be a string, got {type(text).__name__}"
    if not text:
        return "'text' is empty"
    return storable_problem(text)


def check_span(text: str, start: Any, end: Any, label: Any, annotator: Any = "", note: Any = "") -> IncomingSpan:
    """Validate one span; raise ValueError with the reason."""
    problem = span_problem(text, start, end, label)
    if problem:
        raise ValueError(problem)
    if not isinstance(annotator, str):
        raise ValueError(f"the annotator must be a string, got {annotator!r}")
    if not isinstance(note, str):
        raise ValueError(f"the note must be a string, got {note!r}")
    for value in (label, annotator, note):
        bad = storable_problem(value)
        if bad:
            raise ValueError(bad)
    return IncomingSpan(start, end, label, annotator, note)


class Problems:
    """Collects every bad line of a file, then rejects the file whole."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self.items: list[str] = []
        self.count = 0

    def add(self, where: str, message: str) -> None:
        self.count += 1
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.count:
            items = list(self.items)
            if self.count > len(items):
                items.append(f"... and {self.count - len(items)} more")
            raise FormatError(f"{self.path}: {self.count} problem(s); nothing from this file was imported", items)


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise FormatError(f"{path} is a folder") from None
    except OSError as exc:
        raise FormatError(f"cannot read {path}: {exc.strerror or exc}") from None


@contextlib.contextmanager
def output_file(target: str | Path | None, mode: str = "wb") -> Iterator[IO[Any]]:
    """Write to ``target`` through a temporary file renamed into place on success; ``-``/None is stdout.

    A reader (or a crash) sees the old file or the whole new one, never a torn one.
    """
    if target is None or str(target) == "-":
        stream = sys.stdout.buffer if "b" in mode else sys.stdout
        yield stream
        stream.flush()
        return
    target = Path(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or ".")
    except OSError as exc:
        raise AnnotatorError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        text_args: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, mode, **text_args) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, paths.new_file_mode(target))
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise AnnotatorError(f"cannot write {target}: {exc.strerror or exc}") from None
        raise


#: how a format counts offsets: Unicode code points (Python ``str`` indices, our contract) or UTF-16 code units
#: (JavaScript string indices: doccano's and Label Studio's editors)
OFFSET_UNITS = ("codepoints", "utf16")


class Utf16Offsets:
    """Offsets of one text in UTF-16 code units ↔ code points. Only characters beyond U+FFFF (emoji, rare CJK)
    take two units, so a text without them maps to itself at no cost."""

    __slots__ = ("_astral", "_astral_u16")

    def __init__(self, text: str) -> None:
        self._astral = [] if text.isascii() else [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        # where each of those characters starts, in code units
        self._astral_u16 = [cp + n for n, cp in enumerate(self._astral)]

    def to_utf16(self, cp: int) -> int:
        return cp + bisect.bisect_left(self._astral, cp) if self._astral else cp

    def to_codepoints(self, unit: Any) -> Any:
        """The code point offset of a code unit offset; ValueError if it falls inside a surrogate pair. Anything
        that is not an integer is returned as is, for the span check to name it."""
        if not self._astral or not is_int(unit):
            return unit
        before = bisect.bisect_left(self._astral_u16, unit)  # astral characters starting before ``unit``
        if before and self._astral_u16[before - 1] + 1 == unit:
            raise ValueError(
                f"offset {unit} falls between the two UTF-16 units of a character beyond U+FFFF (an emoji?); "
                "if the file counts code points, import it with --offsets codepoints"
            )
        return unit - before


@dataclass
class ExportOptions:
    """What an export may be asked beyond its format: the offset unit (None: the format's own), the spaCy spans
    key, and the notes the writer leaves for the export summary (what it normalised, left out or warns of)."""

    offsets: str | None = None
    spans_key: str = "sc"
    notes: list[str] = field(default_factory=list)


def has_overlap(spans: Iterable[Any]) -> bool:
    """Whether two of ``spans`` (objects with ``start``/``end``) share a character."""
    reach = -1
    for start, end in sorted((s.start, s.end) for s in spans):
        if start < reach:
            return True
        reach = max(reach, end)
    return False


def split_lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(line number, line) for each non-blank line; a BOM and CRLF line terminators are tolerated."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for number, line in enumerate(data.split(b"\n"), 1):
        line = line.rstrip(b"\r")
        if line.strip():
            yield number, line


def _parses(line: bytes) -> bool:
    try:
        orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return True


def json_entries(data: bytes, path: Path, problems: Problems) -> Iterator[tuple[str, int, Any]]:
    """(where, number, parsed value) for each line of JSON Lines, or for each item of a JSON array, or once for a
    JSON object spread over several lines (pretty-printed, which is not JSON Lines but is read as what it is).

    Invalid JSON is added to ``problems`` and skipped, so every bad line is still reported. ``number`` is the
    line number (JSONL) or the 1-based item number (array), used for titles of documents without an id.
    """
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    stripped = body.lstrip()
    first = stripped[:1]
    first_line = stripped[: stripped.find(b"\n")] if b"\n" in stripped[: 1 << 20] else stripped
    if first == b"[" or (first == b"{" and not _parses(first_line)):
        # an array, or an object over several lines; a JSON Lines file (first line a whole object) is never
        # parsed whole, which would cost a pass over all of it
        whole: Any = None
        try:
            whole = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            if first == b"[" and (path.suffix.lower() == ".json" or first_line.strip() == b"["):
                problems.add(f"line {exc.lineno}, column {exc.colno}", f"not valid JSON ({exc.msg})")
                return
        if isinstance(whole, list):
            for i, item in enumerate(whole):
                yield f"item {i + 1} (index {i})", i + 1, item
            return
        if isinstance(whole, dict):
            yield "item 1", 1, whole  # one pretty-printed object
            return
    for number, line in split_lines(data):
        try:
            yield f"line {number}", number, orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            problems.add(f"line {number}", f"not valid JSON ({exc.msg})")
