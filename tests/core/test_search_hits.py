"""The hit helpers a search runs by the hundred thousand (issue 12), against their plain definitions on hostile
text: the marked regions read back with one regular expression, the labels that cover many regions at once, the
hits cut as plain tuples."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.search.hits import Hit, covered, cut, make_hit, marked_regions, shown, unmark
from tests.hostile import hostile_text

OPEN, CLOSE = "\ufdd0", "\ufdd1"


def _regions_one_by_one(marked: str, opener: str, closer: str) -> list[tuple[int, int]]:
    """The definition: each opener, the first closer after it, offsets less the marks before."""
    out, removed, pos = [], 0, 0
    while (i := marked.find(opener, pos)) >= 0 and (j := marked.find(closer, i + 1)) >= 0:
        start, end = i - removed, j - removed - 1
        removed, pos = removed + 2, j + 1
        if end > start:
            out.append((start, end))
    return out


@given(st.lists(st.one_of(hostile_text, st.sampled_from([OPEN, CLOSE, OPEN + CLOSE]), st.just("word")), max_size=30))
def test_marked_regions_are_the_regions_between_the_marks(pieces):
    marked = "".join(pieces)
    assert marked_regions(marked, OPEN, CLOSE) == _regions_one_by_one(marked, OPEN, CLOSE)


@given(text=hostile_text, picks=st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12)), max_size=8))
def test_regions_marked_in_a_text_come_back_as_its_own_characters(text, picks):
    bounds = sorted({(min(s, len(text)), min(s + n, len(text))) for s, n in picks})
    regions, last = [], 0
    for s, e in bounds:  # apart and in order, as FTS5 marks them
        if s >= last and e > s:
            regions.append((s, e))
            last = e
    marked, pos = "", 0
    for s, e in regions:
        marked += text[pos:s] + OPEN + text[s:e] + CLOSE
        pos = e
    marked += text[pos:]
    assert unmark(marked, OPEN, CLOSE) == text
    assert marked_regions(marked, OPEN, CLOSE) == regions


spans_st = st.lists(st.tuples(st.integers(0, 50), st.integers(0, 20), st.sampled_from(["a", "b", "threat"])),
                    max_size=12).map(lambda xs: [(s, s + n, label) for s, n, label in xs])
regions_st = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8)), max_size=15).map(
    lambda xs: sorted((s, s + n) for s, n in xs))


def covering(spans, start, end):  # type: ignore[no-untyped-def]
    """The definition: the labels of the spans that cover ``start``-``end`` whole, sorted, each once."""
    return tuple(sorted({label for s, e, label in spans if s <= start and e >= end}))


@given(spans=spans_st, regions=regions_st)
def test_labels_covering_many_regions_at_once_are_those_of_each_alone(spans, regions):
    expected = {i: covering(spans, s, e) for i, (s, e) in enumerate(regions) if covering(spans, s, e)}
    assert covered(spans, regions) == expected


@given(text=hostile_text, start=st.integers(0, 80), length=st.integers(0, 10), context=st.integers(0, 50))
def test_a_hit_cut_as_a_plain_tuple_is_the_hit(text, start, length, context):
    start = min(start, len(text))
    end = min(start + length, len(text))
    row = cut(7, "sha", "title", "2024-01-01", text, [(start, end)], context)[0]
    hit = make_hit(7, "sha", "title", "2024-01-01", text, start, end, context)
    assert type(row) is tuple and Hit._make(row) == hit
    assert hit.left == text[max(0, start - context) : start] and hit.match == text[start:end]
    assert hit.right == text[end : end + context] and hit.labels == ()


@given(hostile_text)
def test_a_context_is_shown_on_one_line_character_for_character(text):
    flat = shown(text)
    assert len(flat) == len(text)
    assert flat == "".join(" " if ch in "\r\n\t\u2028\u2029\x0b\x0c\x85" else ch for ch in text)
