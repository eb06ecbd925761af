"""What every format shares: span validation with line numbers, and atomic output files."""

from __future__ import annotations

import bisect
import contextlib
import contextvars
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO

import orjson

from annotator import leftovers, paths
from annotator.core.json_kind import json_kind
from annotator.core.model import IncomingSpan
from annotator.core.text import MAX_TEXT_BYTES, storable_problem
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
    if text is None:
        return "'text' is missing or null: each statement is an object with its 'text' (Annotator's JSONL, doccano)"
    if not isinstance(text, str):
        return f"'text' must be a string, got {json_kind(text)}"
    if not text:
        return "'text' is empty"
    return statement_size_problem(text) or storable_problem(text)


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


#: what a rejected file means for the command reading it, ending every refusal of a reader: an import takes
#: nothing from it; ``agree`` (:func:`reading_for`) compares nothing
_CONSEQUENCE: contextvars.ContextVar[str] = contextvars.ContextVar(
    "consequence", default="nothing from this file was imported"
)


def consequence() -> str:
    """How a refusal of an input file ends, for the command reading it ("nothing from this file was imported")."""
    return _CONSEQUENCE.get()


@contextlib.contextmanager
def reading_for(phrase: str) -> Iterator[None]:
    """Readers called inside end their refusals with ``phrase`` (``agree``: "no agreement was computed")."""
    token = _CONSEQUENCE.set(phrase)
    try:
        yield
    finally:
        _CONSEQUENCE.reset(token)


def utf8_problem(data: bytes) -> str | None:
    """Where ``data`` is not UTF-8 ("not valid UTF-8 at line 3, byte 12 of the line"), or None."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        return f"not valid UTF-8 at line {line}, byte {exc.start - line_start + 1} of the line"
    return None


def json_problem(line: bytes, exc: orjson.JSONDecodeError) -> str:
    """Why one line of JSON did not parse: its invalid UTF-8 named as such (orjson says "surrogates not allowed")."""
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as bad:
        return f"not valid JSON: not valid UTF-8 at byte {bad.start + 1} of the line (JSON files must be UTF-8)"
    return f"not valid JSON ({exc.msg})"


class Problems:
    """Collects every bad line of a file, then rejects the file whole."""

    def __init__(self, path: Path | str, consequence: str | None = None) -> None:
        self.path = str(path)
        self.items: list[str] = []
        self.count = 0
        self.consequence = consequence
        #: said after the problems, not counted as one (what was tried besides)
        self.afterwords: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.count += 1
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.count:
            items = list(self.items)
            if self.count > len(items):
                items.append(f"... and {self.count - len(items)} more")
            items += self.afterwords
            raise FormatError(f"{self.path}: {self.count} problem(s); {self.consequence or consequence()}", items)


#: a whole input file larger than this is refused before it is read (a statement is at most 64 MB, and a file of
#: statements that size is a library, not an import; a 4 GiB sparse file is refused without reading it)
MAX_INPUT_BYTES = 1 << 30


def _megabytes(n: int) -> str:
    return f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{n} bytes"


def open_input(path: str | Path, limit: int = MAX_INPUT_BYTES) -> BinaryIO:
    """Open an input file for reading: a regular file (a symlink counts as its target) of at most ``limit`` bytes.

    Anything else is refused with one clear line (FormatError) before a byte is read: a named pipe (opening it
    would wait for a writer forever), a device (``/dev/zero`` never ends), a socket, a folder, a file over the
    limit. The open itself cannot block (``O_NONBLOCK``) and the opened descriptor is checked again, so a file
    swapped for a pipe in between is refused too. Every reader of an untrusted file opens it here.
    """
    path = Path(path)
    try:
        st = os.stat(path)  # follows a symlink: its target must be a regular file
        _check_input(path, st, limit)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_BINARY", 0))
    except IsADirectoryError:
        raise FormatError(f"{path} is a folder") from None
    except OSError as exc:
        raise FormatError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        _check_input(path, os.fstat(fd), limit)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _check_input(path: Path, st: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise FormatError(f"{path} is a folder")
    if not stat.S_ISREG(st.st_mode):
        kind = ("a named pipe" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode)
                else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "not a file")
        raise FormatError(f"{path} is not a regular file ({kind}); only regular files are read")
    if st.st_size > limit:
        raise FormatError(f"{path} is too large ({_megabytes(st.st_size)}; the limit is {_megabytes(limit)})")


def read_at_most(fh: BinaryIO, limit: int) -> bytes:
    """What is left of ``fh``, up to ``limit`` + 1 bytes (one more tells the caller it is over). Asked for
    ``limit + 1`` bytes at once, Python allocates that much before reading a byte: 1 GiB for every file read
    (tracemalloc's peak for a 12 MB file), which a system that does not overcommit memory refuses. So: the size the
    file has now, then blocks only if it grew meanwhile."""
    size = os.fstat(fh.fileno()).st_size
    data = fh.read(min(size, limit) + 1)
    if len(data) <= size:
        return data
    parts, total = [data], len(data)
    while total <= limit and (block := fh.read(min(1 << 20, limit + 1 - total))):
        parts.append(block)
        total += len(block)
    return b"".join(parts)


def read_bytes(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The whole of an input file, through :func:`open_input` (regular files only, at most ``limit`` bytes)."""
    with open_input(path, limit) as fh:
        try:
            data = read_at_most(fh, limit)
        except OSError as exc:
            raise FormatError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > limit:  # it grew while being read
        raise FormatError(f"{path} is too large (over {_megabytes(limit)}, the limit)")
    return data


def statement_size_problem(text: str) -> str | None:
    """A statement over :data:`MAX_TEXT_BYTES` in UTF-8 (the limit of a ``.txt`` statement), or None."""
    if len(text) * 4 <= MAX_TEXT_BYTES:  # cheap: no statement this short can be over the limit
        return None
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_TEXT_BYTES:
        return f"the statement is too large ({_megabytes(size)}; the limit is {_megabytes(MAX_TEXT_BYTES)})"
    return None


@contextlib.contextmanager
def output_file(target: str | Path | None, mode: str = "wb") -> Iterator[IO[Any]]:
    """Write to ``target`` through a temporary file renamed into place on success; ``-``/None is stdout.

    A reader (or a crash) sees the old file or the whole new one, never a torn one. The temporary file is named
    with this process (``.NAME.HOST-PID-….part``); those of killed runs writing the same target are removed first.
    A target that is a device or a pipe (``/dev/null``, ``/dev/stdout``, a named pipe read by another program) is
    written straight into, as a shell's redirect does: renamed onto, ``/dev/null`` itself was replaced by a file
    (run as root). A folder is refused.
    """
    if target is None or str(target) == "-":
        stream = sys.stdout.buffer if "b" in mode else sys.stdout
        yield stream
        stream.flush()
        return
    target = Path(target)
    text_args: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
    try:
        kind = os.stat(target).st_mode
    except OSError:
        kind = None
    if kind is not None and stat.S_ISDIR(kind):
        raise AnnotatorError(f"cannot write {target}: it is a folder")
    if kind is not None and not stat.S_ISREG(kind):
        try:
            with open(target, mode, **text_args) as stream:
                yield stream
        except OSError as exc:
            raise AnnotatorError(f"cannot write {target}: {exc.strerror or exc}") from None
        return
    leftovers.clean_beside(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=leftovers.temp_prefix(target), suffix=".part", dir=target.parent or ".")
    except OSError as exc:
        raise AnnotatorError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
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
from annotator.format_names import OFFSET_UNITS  # noqa: E402, F401 - re-exported


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
                bad = utf8_problem(body)
                if bad:
                    problems.add("file", f"not valid JSON: {bad} (JSON files must be UTF-8)")
                else:
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
            problems.add(f"line {number}", json_problem(line, exc))
