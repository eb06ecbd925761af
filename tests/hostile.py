"""Hostile text for offset tests (DESIGN.md §2.1): astral characters, combining marks, ZWJ sequences, CRLF/CR/LF
mixes, U+2028/U+2029, NBSP, tabs, right-to-left scripts, Hangul, markup."""

from __future__ import annotations

from hypothesis import strategies as st

PIECES = [
    "a", "word", "Threat", " ", "  ", "\t", "\n", "\r\n", "\r", "\u2028", "\u2029", "\u00a0",
    "😀", "𝐃𝐏𝐑𝐊", "e\u0301", "👩\u200d👩\u200d👧", "🇰🇷", "한국어", "مرحبا", "שלום", "日本",
    "<b>", "&amp;", "<img src=x onerror=alert(1)>", "\u200b", "\ufeff", "Ω", "ß",
]

hostile_text = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(st.characters(blacklist_categories=("Cs",)), max_size=4)),
    min_size=1,
    max_size=40,
).map("".join).filter(lambda t: len(t) > 0)


@st.composite
def text_and_spans(draw, labels=("threat", "commitment", "call_to_action", "Ünïcode label 😀")):
    """A hostile text and a few valid spans (start < end <= len(text)) over it."""
    text = draw(hostile_text)
    n = len(text)
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, n - 1))
        end = draw(st.integers(start + 1, n))
        spans.append((start, end, draw(st.sampled_from(labels))))
    return text, spans
