"""The one conversion between Qt positions and code points (DESIGN.md §2.1), checked against real Qt.

The oracle is Qt itself: we load ``display_text`` into a QPlainTextEdit and check that selecting from
``to_qt(a)`` to ``to_qt(b)`` gives back ``text[a:b]`` (with line breaks as Qt reports them).
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from annotator.ui.statement.positions import CHUNK, PositionMap, display_text, set_plain_text
from tests.hostile import hostile_text

SEP = "\u2029"

#: tiny chunks put chunk boundaries everywhere: between \r and \n, next to astral characters
chunks = st.sampled_from([4, 5, 7, 16, CHUNK])


def as_qt_reports(s: str) -> str:
    """``s`` the way ``QTextCursor.selectedText()`` reports it: every block separator becomes U+2029."""
    s = s.replace("\r\n", SEP)
    for ch in "\r\n\ufdd0\ufdd1":
        s = s.replace(ch, SEP)
    return s


def inside_crlf(text: str, i: int) -> bool:
    return 0 < i < len(text) and text[i - 1] == "\r" and text[i] == "\n"


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


@pytest.fixture(scope="module")
def editor(qapp):
    edit = QPlainTextEdit()
    yield edit
    edit.deleteLater()


def selected(edit: QPlainTextEdit, a: int, b: int) -> str:
    cursor = QTextCursor(edit.document())
    cursor.setPosition(a)
    cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText()


# ---------------------------------------------------------------------- examples
def test_astral_characters_count_two_qt_positions():
    m = PositionMap("😀x𝐃")
    assert [m.to_qt(i) for i in range(4)] == [0, 2, 3, 5]
    assert m.qt_length == 5
    assert [m.to_cp(q) for q in range(6)] == [0, 0, 1, 2, 2, 3]
    assert [m.to_cp(q, ceil=True) for q in range(6)] == [0, 1, 1, 2, 3, 3]
    assert m.to_cp_range(1, 4) == (0, 3)


def test_crlf_is_one_qt_position_and_its_middle_maps_to_the_block_end():
    m = PositionMap("a\r\nb\rc\nd")
    assert m.display_text == "a\nb\nc\nd"
    assert m.qt_length == 7
    assert [m.to_qt(i) for i in range(9)] == [0, 1, 1, 2, 3, 4, 5, 6, 7]
    assert [m.to_cp(q) for q in range(8)] == [0, 1, 3, 4, 5, 6, 7, 8]


def test_out_of_range_positions_are_clamped():
    m = PositionMap("😀\r\n")
    assert m.to_qt(-5) == 0 and m.to_qt(99) == m.qt_length == 3
    assert m.to_cp(-1) == 0 and m.to_cp(99) == 3


def test_empty_text():
    m = PositionMap("")
    assert m.qt_length == 0 and m.to_qt(0) == 0 and m.to_cp(0) == 0 and m.is_identity


def test_display_text_is_the_text_itself_when_there_is_no_carriage_return():
    text = "plain ascii and Ünïcode\nwith lines\u2028and separators\u2029"
    assert display_text(text) is text


def test_fast_path_for_a_million_plain_characters_holds_no_tables():
    text = ("The United States, Japan, and the ROK condemn the launches.\n" * 17_000)[:1_000_000]
    started = time.perf_counter()
    m = PositionMap(text)
    elapsed = time.perf_counter() - started
    assert m.is_identity and m.to_qt(123_456) == 123_456 and m.to_cp(999_999) == 999_999
    assert not m._qt_starts  # no tables were built
    print(f"identity check on 1 M chars: {elapsed * 1e3:.2f} ms")
    assert elapsed < 0.05


def test_fast_path_for_a_million_non_ascii_characters_without_astral_or_crlf():
    line = "The U.S.–Japan–ROK statement’s “ironclad” commitments; 한국어 \u2028 e\u0301 \r "
    text = (line * 17_000)[:1_000_000]
    started = time.perf_counter()
    m = PositionMap(text)
    elapsed = time.perf_counter() - started
    assert m.is_identity and not m._qt_starts and m.qt_length == len(text)
    print(f"identity check on 1 M non-ASCII chars: {elapsed * 1e3:.2f} ms")
    assert elapsed < 0.1


def test_tables_for_a_million_hostile_characters_are_built_quickly():
    text = ("The DPRK 😀 launches\r\ncondemn 𝐃𝐏𝐑𝐊 e\u0301 ok\n" * 30_000)[:1_000_000]
    m = PositionMap(text)
    started = time.perf_counter()
    assert m.to_qt(500_000) == utf16_len(display_text(text[:500_000]))
    first = time.perf_counter() - started
    started = time.perf_counter()
    for i in range(0, len(text) + 1, 1000):
        m.to_cp(m.to_qt(i))
    everything = time.perf_counter() - started
    print(f"1 M hostile chars: first lookup {first * 1e3:.1f} ms, all chunks {everything * 1e3:.1f} ms")
    assert first < 1.0 and everything < 5.0  # generous: measured ~8 ms and ~60-90 ms
    assert m.qt_length == utf16_len(display_text(text))
    assert m.to_qt(len(text)) == m.qt_length and m.to_cp(m.qt_length) == len(text)


@pytest.mark.parametrize("chunk", [4, 5, 6])
def test_crlf_cut_by_a_chunk_boundary(chunk: int):
    text = "abc\r\ndef\r\r\n😀\r\n"
    m = PositionMap(text, chunk)
    reference = PositionMap(text)
    assert [m.to_qt(i) for i in range(len(text) + 1)] == [reference.to_qt(i) for i in range(len(text) + 1)]
    for q in range(m.qt_length + 1):
        assert m.to_cp(q) == reference.to_cp(q) and m.to_cp(q, ceil=True) == reference.to_cp(q, ceil=True)


@pytest.mark.parametrize("text", ["\ufeffab", "\ufffeab", "\ufeff😀\r\nb", "\ufffe", "\r\n\ufeff"])
def test_texts_starting_like_a_byte_order_mark_reach_qt_intact(editor: QPlainTextEdit, text: str):
    """PySide6 reads a str starting with U+FEFF/U+FFFE as a BOM (drops it / byte-swaps); we do not."""
    set_plain_text(editor, text)
    assert editor.toPlainText() == display_text(text)
    assert editor.document().characterCount() - 1 == PositionMap(text).qt_length
    assert not editor.document().isUndoAvailable()


# ---------------------------------------------------------------------- properties against real Qt
@given(hostile_text, chunks)
def test_map_agrees_with_qt_selection(editor: QPlainTextEdit, text: str, chunk: int):
    m = PositionMap(text, chunk)
    set_plain_text(editor, text)
    doc = editor.document()
    assert doc.characterCount() - 1 == m.qt_length
    boundaries = [i for i in range(len(text) + 1) if not inside_crlf(text, i)]
    # every prefix and every step between neighbouring boundaries: together they pin every position
    for i in boundaries:
        assert selected(editor, 0, m.to_qt(i)) == as_qt_reports(text[:i]), i
    for a, b in zip(boundaries, boundaries[1:], strict=False):
        assert selected(editor, m.to_qt(a), m.to_qt(b)) == as_qt_reports(text[a:b]), (a, b)


@given(hostile_text, chunks, st.data())
def test_random_ranges_agree_with_qt_selection(
    editor: QPlainTextEdit, text: str, chunk: int, data: st.DataObject
):
    m = PositionMap(text, chunk)
    set_plain_text(editor, text)
    boundaries = [i for i in range(len(text) + 1) if not inside_crlf(text, i)]
    for _ in range(10):
        a = data.draw(st.sampled_from(boundaries))
        b = data.draw(st.sampled_from(boundaries))
        a, b = min(a, b), max(a, b)
        assert selected(editor, m.to_qt(a), m.to_qt(b)) == as_qt_reports(text[a:b])
        # and back: the Qt selection converts to the same code point range
        assert m.to_cp_range(m.to_qt(a), m.to_qt(b)) == (a, b)


@given(hostile_text, chunks)
def test_round_trips_and_brute_force(text: str, chunk: int):
    m = PositionMap(text, chunk)
    assert m.qt_length == utf16_len(display_text(text))
    for i in range(len(text) + 1):
        q = m.to_qt(i)
        if inside_crlf(text, i):
            assert q == m.to_qt(i - 1)  # the block end
            assert m.to_cp(q) == i - 1
        else:
            assert q == utf16_len(display_text(text[:i]))
            assert m.to_cp(q) == i
            assert m.to_cp(q, ceil=True) == i


@given(hostile_text, chunks, st.lists(st.integers(-3, 400), max_size=60))
def test_batch_conversion_equals_one_at_a_time(text: str, chunk: int, cps: list[int]):
    fresh, warm = PositionMap(text, chunk), PositionMap(text, chunk)
    assert fresh.to_qt_many(cps) == [warm.to_qt(cp) for cp in cps]  # also from a map with no chunk measured yet
    assert warm.to_qt_many(sorted(cps)) == [warm.to_qt(cp) for cp in sorted(cps)]


@given(hostile_text, chunks)
def test_to_cp_is_total_and_monotone(text: str, chunk: int):
    m = PositionMap(text, chunk)
    floor = [m.to_cp(q) for q in range(m.qt_length + 1)]
    ceil = [m.to_cp(q, ceil=True) for q in range(m.qt_length + 1)]
    assert floor[0] == 0 and floor[-1] == len(text) and ceil[-1] == len(text)
    assert floor == sorted(floor) and ceil == sorted(ceil)
    for q, (lo, hi) in enumerate(zip(floor, ceil, strict=True)):
        assert lo <= hi <= lo + 1
        assert m.to_qt(lo) <= q <= m.to_qt(hi)
    assert [m.to_qt(i) for i in range(len(text) + 1)] == sorted(m.to_qt(i) for i in range(len(text) + 1))


@given(hostile_text, chunks)
def test_every_position_qt_lets_the_cursor_reach_maps_to_whole_code_points(
    editor: QPlainTextEdit, text: str, chunk: int
):
    """The caret lands on code point boundaries -- or, as Qt does for e.g. "𝐃𝐏𝐑𝐊\u0900" (an astral letter
    before a Devanagari mark), inside a surrogate pair, where floor and ceil give the two whole neighbours."""
    m = PositionMap(text, chunk)
    set_plain_text(editor, text)
    cursor = QTextCursor(editor.document())
    cursor.setPosition(0)
    while True:
        q = cursor.position()
        lo, hi = m.to_cp(q), m.to_cp(q, ceil=True)
        assert m.to_qt(lo) == q or (hi == lo + 1 and m.to_qt(lo) + 1 == q == m.to_qt(hi) - 1)
        if not cursor.movePosition(QTextCursor.MoveOperation.NextCharacter):
            break
    assert cursor.position() == m.qt_length


def test_qt_can_put_the_caret_inside_a_surrogate_pair(editor: QPlainTextEdit):
    text = "𝐃𝐏𝐑𝐊\u0900"
    set_plain_text(editor, text)
    cursor = QTextCursor(editor.document())
    cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
    m = PositionMap(text)
    if cursor.position() == 1:  # Qt 6.11 does; the map still gives whole code points
        assert (m.to_cp(1), m.to_cp(1, ceil=True)) == (0, 1)
        cursor.setPosition(0)
        cursor.setPosition(1, QTextCursor.MoveMode.KeepAnchor)
        assert m.to_cp_range(cursor.selectionStart(), cursor.selectionEnd()) == (0, 1)
