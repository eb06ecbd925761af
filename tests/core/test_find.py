"""Find in a statement (annotator.core.find): canonically equivalent text is equal (trial 12, F7: "Café" typed,
precomposed, did not find "Cafe\u0301" of a statement pasted from a PDF), case is ignored as in the corpus search,
and a match never splits a grapheme cluster."""

from __future__ import annotations

import unicodedata

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.find import Finder, fold

#: pieces the random statements are made of: letters precomposed and decomposed, stacked marks in both orders,
#: Hangul both ways, an emoji sequence, a flag, CRLF, spaces and punctuation
PIECES = [
    "a", "e", "E", "o", "n", "c", "C", "s", " ", " ", ".", ",", "-", "\n", "\r\n", "ß",
    "é", "e\u0301", "É", "E\u0301", "è", "ñ", "n\u0303", "Å", "A\u030a", "\u212b",  # Å as the Angstrom sign too
    "ệ", "e\u0323\u0302", "e\u0302\u0323", "ṩ", "s\u0307\u0323", "q\u0307\u0323", "q\u0323\u0307",
    "한", "\u1112\u1161\u11ab", "😀", "👩\u200d👩\u200d👧", "🇺🇸", "𝐃", "\u0301",
    # boundaries found looking back over text without ASCII: Cyrillic (й both ways), a Prepend character, Indic
    # conjuncts (a consonant after a virama joins), lone regional indicators, ideographs, a lone CR
    "й", "и\u0306", "Й", "ы", "\u0600", "क", "\u094d", "ष", "\u093f", "🇯", "🇵", "中", "文", "\r",
]


def _bounds(text: str) -> set[int]:
    return {m.start() for m in regex.finditer(r"\X", text)} | {len(text)}


def _cased(text: str, flips: list[bool]) -> str:
    flips = flips + [False] * (len(text) - len(flips))
    return "".join(ch.swapcase() if ch.isascii() and flip else ch for ch, flip in zip(text, flips, strict=True))


def test_the_trial_case():
    text = "We met.\r\nCafe\u0301 diplomacy continues. CAFÉ DIP"
    finder = Finder(text)
    found = finder.matches("Café dip")
    assert [text[s:e] for s, e in found] == ["Cafe\u0301 dip", "CAFÉ DIP"]
    assert finder.matches("cafe") == []  # the accent counts, however it is written
    cafe = text.index("CAFÉ")
    assert finder.matches("Caf") == [(9, 12), (cafe, cafe + 3)]
    assert Finder("ÉVIAN").matches("évian") == [(0, 5)]  # case ignored, as the corpus search ignores it
    assert Finder("Stra\u00dfe").matches("STRASSE") == [(0, 6)]


def test_a_match_never_splits_a_letter_from_its_marks_nor_a_flag():
    text = "cafe\u0301 🇺🇸 👩\u200d👩\u200d👧"
    assert Finder(text).matches("cafe") == []
    assert Finder(text).matches("🇺") == []
    assert Finder(text).matches("👩") == []
    assert Finder(text).matches("🇺🇸") == [(6, 8)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.data())
def test_every_occurrence_is_found_exactly_on_cluster_boundaries(pieces, data):
    text = "".join(pieces)
    bounds = sorted(_bounds(text))
    a, b = sorted(data.draw(st.tuples(st.sampled_from(bounds), st.sampled_from(bounds)), label="cut"))
    if a == b:
        return
    form = data.draw(st.sampled_from(["NFC", "NFD", None]), label="form")  # typed precomposed, decomposed, as is
    needle = text[a:b] if form is None else unicodedata.normalize(form, text[a:b])
    needle = _cased(needle, data.draw(st.lists(st.booleans(), max_size=len(needle)), label="case"))
    finder = Finder(text)
    found = finder.matches(needle)
    assert (a, b) in found, "the phrase's own place was not found"
    for s, e in found:
        assert s in bounds and e in bounds, "a match splits a grapheme cluster"
        assert unicodedata.normalize("NFC", text[s:e]).casefold() == unicodedata.normalize("NFC", needle).casefold()
    # and nothing else is: every cluster-bounded place whose text folds to the needle's key is a match
    every = [(s, e) for i, s in enumerate(bounds) for e in bounds[i + 1:] if fold(text[s:e]) == fold(needle)]
    assert found == every
    # Enter from the match goes on to the next one, wrapping around; Shift+Enter back
    assert finder.next_match(needle, a) == (a, b)
    assert finder.previous_match(needle, b) == max(m for m in found if m[1] <= b)
    assert finder.next_match(needle, found[-1][0] + 1) == found[0]
