"""Word steps keep brackets and quotes whole (issue 15, item 4)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.wordstep import grow_end, grow_start, is_balanced, shrink_end, shrink_start

SEED = "The United States, Japan, and the Republic of Korea (ROK) strongly condemn the DPRK's launch."


def at(text: str, phrase: str) -> tuple[int, int]:
    i = text.index(phrase)
    return i, i + len(phrase)


def test_growing_left_takes_the_bracketed_group_whole():
    s, e = grow_start(SEED, *at(SEED, "strongly condemn the"))
    assert SEED[s:e] == "(ROK) strongly condemn the"
    s, e = grow_start(SEED, s, e)
    assert SEED[s:e] == "Korea (ROK) strongly condemn the"


def test_growing_right_takes_the_bracketed_group_whole_and_apostrophe_words():
    s, e = grow_end(SEED, *at(SEED, "Republic of Korea"))
    assert SEED[s:e] == "Republic of Korea (ROK)"
    s, e = grow_end(SEED, *at(SEED, "condemn the"))
    assert SEED[s:e] == "condemn the DPRK's"


def test_growing_out_of_brackets_brings_the_opener():
    text = "We thank (the Republic of Korea), Japan and others."
    s, e = grow_end(text, *at(text, "the Republic of Korea"))
    assert text[s:e] == "(the Republic of Korea), Japan"
    s, e = grow_start(text, *at(text, "Japan and"))
    assert text[s:e] == "(the Republic of Korea), Japan and"


def test_quotes_are_kept_whole():
    text = 'They called it "a grave provocation" and left.'
    s, e = grow_end(text, *at(text, "called it"))
    assert text[s:e] == 'called it "a grave provocation"'
    text = "They called it “a grave provocation” and left."
    s, e = grow_start(text, *at(text, "and left"))
    assert text[s:e] == "“a grave provocation” and left"


def test_an_unmatched_bracket_stops_the_step():
    text = "the (unclosed bracket runs on and on"
    s, e = grow_end(text, *at(text, "the"))
    assert (s, e) == at(text, "the")


def test_shrinking_drops_a_bracketed_word_with_its_brackets():
    s, e = shrink_end(SEED, *at(SEED, "the Republic of Korea (ROK)"))
    assert SEED[s:e] == "the Republic of Korea"
    s, e = shrink_start(SEED, *at(SEED, "(ROK) strongly condemn"))
    assert SEED[s:e] == "strongly condemn"
    text = "condemn the (DPRK's launch) now"
    s, e = shrink_end(text, *at(text, "condemn the (DPRK's launch)"))
    assert text[s:e] == "condemn the"


def test_one_word_is_not_shrunk_to_nothing():
    assert shrink_end(SEED, *at(SEED, "strongly")) == at(SEED, "strongly")
    assert shrink_start(SEED, *at(SEED, "strongly")) == at(SEED, "strongly")


PIECES = st.sampled_from(["word", "DPRK's", " ", "  ", "(", ")", "[", "]", '"', "“", "”", ",", ".", "😀", "e\u0301",
                          "\r\n", "\n", "ROK", "’", "«", "»", "-"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=40), st.data())
def test_steps_stay_in_range_and_never_unbalance_a_balanced_span(pieces, data):
    text = "".join(pieces)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    balanced = is_balanced(text, start, end)
    for step, grows in ((grow_end, True), (grow_start, True), (shrink_end, False), (shrink_start, False)):
        s, e = step(text, start, end)
        assert 0 <= s < e <= len(text)
        if grows:
            assert s <= start and e >= end
        else:
            assert start <= s and e <= end
        if balanced:
            assert is_balanced(text, s, e), (step.__name__, text, text[start:end], text[s:e])
