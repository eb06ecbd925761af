r"""The one conversion between Qt text positions and Unicode code points (DESIGN.md §2.1).

Spans are stored in code points (Python ``str`` indices). Qt counts UTF-16 code units (an astral character
such as 😀 or 𝐃 is two of them) and its ``setPlainText`` turns ``\r\n`` into one block separator. Every place
in the UI that moves between the two worlds goes through :class:`PositionMap`; nothing else does arithmetic
on Qt positions.

What we hand to Qt
    The stored text itself, through :func:`set_plain_text`. ``setPlainText`` turns ``\r\n`` into one block
    separator and each of ``\r``, ``\n``, U+2029, U+FDD0 and U+FDD1 into one (``selectedText()`` reports every
    one as U+2029), keeps U+2028 as a character, and keeps every other UTF-16 unit as one position. So a Qt
    position is exactly a UTF-16 offset into :func:`display_text` (the text with ``\r\n`` and ``\r`` made
    ``\n``), which is what the map computes; the property tests check it against a real QPlainTextEdit.
    (Passing the text as is rather than ``display_text`` saves a copy of a million characters per open.) Never
    use a bare ``setPlainText``: PySide6 converts a Python ``str`` that *starts* with U+FEFF or U+FFFE as if
    it were a byte-order mark, dropping the U+FEFF or byte-swapping the whole string (measured with 6.11.3).

The map
    Only two things make the positions differ: an astral character (one code point, two Qt positions) and a
    CRLF pair (two code points, one Qt position). When there are neither, the map is the identity and holds
    no tables; that check takes about a millisecond for a million characters. Otherwise we keep the sorted
    positions where the offset changes and look them up with ``bisect`` (under a microsecond a lookup), never
    a per-character table. The tables are built on first use, per chunk of 4 096 code points, so opening a 1 M
    character statement dense with emoji and CRLFs costs the chunks on screen, not 30-70 ms for all of them.

Totality
    Every code point position ``0..len(text)`` and every Qt position ``0..qt_length`` maps (out-of-range input
    is clamped). A code point position between ``\r`` and ``\n`` maps to the block end (the separator's Qt
    position), so ``to_cp(to_qt(i)) == i`` for every ``i`` except those. A Qt position inside a surrogate
    pair maps to the code point it is in (``ceil=True`` rounds up to the next code point, for range ends).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate, chain, count, repeat
from operator import add, and_, mul, rshift, sub

from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit

from annotator.ui.text import BOM_LIKE

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

#: Qt's block separator, as ``QTextCursor.selectedText()`` returns line breaks
PARAGRAPH_SEPARATOR = "\u2029"


def display_text(text: str) -> str:
    r"""The string whose UTF-16 offsets are Qt positions: ``text`` with ``\r\n`` and ``\r`` made ``\n``."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: a Python str starting with one of these reaches Qt mangled (read as a byte-order mark)


def set_plain_text(target: QPlainTextEdit | QTextDocument, text: str) -> None:
    """Show the stored ``text`` in ``target`` so that Qt positions are exactly what :class:`PositionMap` says.

    A text starting with U+FEFF/U+FFFE is loaded behind a sacrificial first character that is then deleted
    (with undo off), because PySide6 would otherwise read it as a byte-order mark.
    """
    if not text.startswith(BOM_LIKE):
        target.setPlainText(text)
        return
    target.setPlainText("x" + text)
    doc = target.document() if isinstance(target, QPlainTextEdit) else target
    undo = doc.isUndoRedoEnabled()
    doc.setUndoRedoEnabled(False)
    cursor = QTextCursor(doc)
    cursor.setPosition(1, QTextCursor.MoveMode.KeepAnchor)
    cursor.removeSelectedText()
    doc.setUndoRedoEnabled(undo)


#: code points per chunk of the position tables (see :class:`PositionMap`)
CHUNK = 1 << 12  # a screen's worth of text or so: the first paint builds one or two (64 k: +0.4 ms on a 50 k
# statement dense with emoji, +1.7 ms on the 1 M one with CRLFs, measured against a bare editor in the same run)


class _Tables:
    """Breakpoints of one chunk, in chunk-local positions.

    ``cp_thr[i]``: from this code point on, Qt positions are shifted by ``off[i]`` (Qt minus code point);
    ``qt_thr[i]``: the same breakpoint in Qt space. An astral character adds one, a CRLF pair takes one away.
    """

    __slots__ = ("cp_thr", "qt_thr", "off")

    def __init__(self, piece: str, astral: bool) -> None:
        # Everything runs in C-level iterators (split, accumulate, map): ~0.2 µs per breakpoint, where a
        # Python loop took over 1 µs. The k-th astral character sits at (length of the pieces before it) + k,
        # the k-th CRLF at (length of the pieces before it) + 2k; a breakpoint is the position after its first
        # unit.
        pieces = _ASTRAL.split(piece) if astral else [piece]
        astrals = map(add, accumulate(map(len, pieces[:-1])), count(1))
        pieces = piece.split("\r\n") if "\r\n" in piece else [piece]
        crlfs = map(add, accumulate(map(len, pieces[:-1])), count(1, 2))
        del pieces
        # Merge both sorted runs (timsort merges two runs in linear time), tagging each breakpoint with its
        # kind in the lowest bit (1: astral, 0: CRLF). Breakpoints never coincide (each follows its own char).
        tagged = sorted(chain(map(add, map(mul, astrals, repeat(2)), repeat(1)), map(mul, crlfs, repeat(2))))
        self.cp_thr = list(map(rshift, tagged, repeat(1)))
        kinds = list(map(and_, tagged, repeat(1)))
        del tagged
        self.off = list(accumulate(map(sub, map(add, kinds, kinds), repeat(1))))
        # In Qt space an astral character at Qt position q is passed at q + 2 = t + off; a CRLF separator at q
        # is passed at q + 1 = t + off + 1.
        self.qt_thr = list(map(add, map(add, self.cp_thr, self.off), map(sub, repeat(1), kinds)))

    def to_qt(self, cp: int) -> int:
        i = bisect_right(self.cp_thr, cp) - 1
        return cp + self.off[i] if i >= 0 else cp

    def to_cp(self, qt: int, ceil: bool) -> int:
        thr, off = self.qt_thr, self.off
        i = bisect_right(thr, qt) - 1
        before = off[i] if i >= 0 else 0
        cp = qt - before
        # An astral character at Qt position q has its breakpoint at q + 2; q + 1 is its low surrogate.
        if not ceil and i + 1 < len(thr) and thr[i + 1] == qt + 1 and off[i + 1] - before == 1:
            cp -= 1
        return cp


class PositionMap:
    """Total, monotone conversion between code point positions in ``text`` and Qt positions.

    Tables, when needed at all, are built per chunk of :data:`CHUNK` code points on first use: opening a
    statement and painting its first screen builds one or two chunks, not the whole million characters. Chunk
    k starts at code point ``k * chunk`` and Qt position ``qt_starts[k]``; a CRLF pair cut by a chunk boundary
    is counted in the next chunk's start (its ``\n`` opens that chunk: ``straddles[k]``).
    """

    __slots__ = (
        "_text",
        "_qt_length",
        "_identity",
        "_chunk",
        "_count",
        "_qt_starts",
        "_straddles",
        "_astral",
        "_tables",
    )

    def __init__(self, text: str, chunk: int = CHUNK) -> None:
        self._text = text
        self._chunk = max(4, chunk)
        self._count = max(1, -(-len(text) // self._chunk))  # chunks
        self._qt_starts: list[int] = []  # of the chunks prepared so far (a prefix: chunk starts add up)
        self._straddles: list[bool] = []
        self._astral: list[bool] = []
        self._tables: list[_Tables | None] = []
        self._qt_length = len(text)
        # Plain texts stop here: isascii() is a flag lookup and a "\r" search runs at memchr speed. A text with
        # a CRLF can never be the identity: its chunks are measured on first use, those before the position
        # asked for only (opening a statement and painting its first screen measures one or two). Without a
        # CRLF, one UTF-16 encode (a widening copy, ~1 ms per 1 M characters) tells whether there is any
        # astral character at all.
        no_crlf = "\r" not in text or "\r\n" not in text
        self._identity: bool | None = None  # None: not decided until every chunk is measured
        if no_crlf and (text.isascii() or len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text)):
            self._identity = True

    # ------------------------------------------------------------------ properties
    @property
    def text(self) -> str:
        return self._text

    @property
    def cp_length(self) -> int:
        return len(self._text)

    @property
    def qt_length(self) -> int:
        """Qt positions run from 0 to this (``QTextDocument.characterCount() - 1``)."""
        if self._identity is None:
            self._prepare(self._count - 1)
        return self._qt_length

    @property
    def is_identity(self) -> bool:
        if self._identity is None:
            self._prepare(self._count - 1)
        return bool(self._identity)

    @property
    def display_text(self) -> str:
        return display_text(self._text)

    # ------------------------------------------------------------------ conversion
    def to_qt(self, cp: int) -> int:
        """The Qt position of code point position ``cp`` (clamped to ``0..len(text)``)."""
        cp = 0 if cp < 0 else min(cp, len(self._text))
        if self._identity:
            return cp
        k = min(cp // self._chunk, self._count - 1)
        if k >= len(self._qt_starts):
            self._prepare(k)
            if self._identity:
                return cp
        base = k * self._chunk
        return self._qt_starts[k] + self._chunk_tables(k).to_qt(cp - base)

    def to_cp(self, qt: int, ceil: bool = False) -> int:
        """The code point position of Qt position ``qt`` (clamped to ``0..qt_length``).

        Inside a surrogate pair: the code point it is in, or with ``ceil`` the one after it (use for the end
        of a range so a half-selected astral character is included whole).
        """
        if qt < 0:
            qt = 0
        if self._identity:
            return min(qt, self._qt_length)
        starts = self._qt_starts
        if len(starts) < self._count and (not starts or starts[-1] <= qt):
            self._prepare_to_qt(qt)  # the chunk holding qt, and the next one's start if there is one
            if self._identity:
                return min(qt, self._qt_length)
        if len(starts) == self._count:
            qt = min(qt, self._qt_length)
        k = bisect_right(starts, qt) - 1
        local = qt - self._qt_starts[k]
        base = k * self._chunk
        if local == 0 and self._straddles[k]:
            return base - 1  # the separator of a CRLF cut by the chunk boundary: the block end, before its \r
        return base + self._chunk_tables(k).to_cp(local, ceil)

    def to_qt_many(self, cps: list[int]) -> list[int]:
        """``[to_qt(cp) for cp in cps]`` at half the cost, for a paint's thousands of span ends (the chunk's
        tables are looked up once per run of positions in the same chunk)."""
        n = len(self._text)
        if self._identity:
            return [0 if cp < 0 else cp if cp < n else n for cp in cps]
        out: list[int] = []
        append = out.append
        chunk, last = self._chunk, self._count - 1
        current = -1
        thr: list[int] = []
        off: list[int] = []
        base = qbase = 0
        for cp in cps:
            cp = 0 if cp < 0 else cp if cp < n else n
            k = cp // chunk
            if k > last:
                k = last
            if k != current:
                if k >= len(self._qt_starts):
                    self._prepare(k)
                    if self._identity:
                        return self.to_qt_many(cps)
                tables = self._chunk_tables(k)
                thr, off, base, qbase, current = tables.cp_thr, tables.off, k * chunk, self._qt_starts[k], k
            local = cp - base
            i = bisect_right(thr, local) - 1
            append(qbase + (local + off[i] if i >= 0 else local))
        return out

    def to_qt_range(self, start: int, end: int) -> tuple[int, int]:
        return self.to_qt(start), self.to_qt(end)

    def to_cp_range(self, qt_start: int, qt_end: int) -> tuple[int, int]:
        """A Qt range as code points, widened to whole code points."""
        if qt_start > qt_end:
            qt_start, qt_end = qt_end, qt_start
        return self.to_cp(qt_start), self.to_cp(qt_end, ceil=True)

    # ------------------------------------------------------------------ tables
    def _prepare(self, last: int) -> None:
        """Measure chunks up to ``last``: the Qt start of each from its UTF-16 length and CRLF count (C-level:
        ~0.1-0.2 ms a chunk). Once every chunk is measured, decides whether the map is the identity after all."""
        text, size = self._text, self._chunk
        starts, straddles, astral = self._qt_starts, self._straddles, self._astral
        q = self._qt_length if starts else 0  # the running Qt start: the length so far once chunks exist
        for k in range(len(starts), min(last, self._count - 1) + 1):
            base = k * size
            piece = text[base : base + size]
            units = len(piece) if piece.isascii() else len(piece.encode("utf-16-le", "surrogatepass")) // 2
            straddle = k > 0 and text[base - 1] == "\r" and piece.startswith("\n")
            q -= straddle  # the CRLF cut by this boundary is one Qt position, counted here
            starts.append(q)
            straddles.append(straddle)
            astral.append(units != len(piece))
            self._tables.append(None)
            q += units - piece.count("\r\n")
            self._qt_length = q  # while chunks are missing: the Qt end of the last one measured
        if len(starts) == self._count and self._identity is None:
            self._identity = q == len(text) and not any(astral)  # no astral characters, and then no CRLF
            if self._identity:
                self._qt_starts, self._straddles, self._astral, self._tables = [], [], [], []

    def _prepare_to_qt(self, qt: int) -> None:
        """Measure chunks until one starts after Qt position ``qt`` (or all are measured)."""
        while len(self._qt_starts) < self._count and (not self._qt_starts or self._qt_starts[-1] <= qt):
            self._prepare(len(self._qt_starts))

    def _chunk_tables(self, k: int) -> _Tables:
        tables = self._tables[k]
        if tables is None:
            base = k * self._chunk
            tables = self._tables[k] = _Tables(self._text[base : base + self._chunk], self._astral[k])
        return tables
