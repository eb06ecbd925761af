"""The sentence-end pattern is written for speed (one character class first); it must find exactly what the plain
alternation it replaced finds, on any text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.suggest import segment

PLAIN = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])|\n\s*")
PIECES = st.sampled_from([".", "!", "?", "\n", "\r\n", " ", "  ", "\t", '"', "'", "”", "’", ")", "]", "(", "[", "“",
                          "‘", "A", "z", "7", "U.S.", "Mr.", "é", "😀", "\u2029"])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_the_fast_pattern_finds_what_the_plain_one_finds(text):
    assert [m.span() for m in segment._END.finditer(text)] == [m.span() for m in PLAIN.finditer(text)]
