"""Natural order as bytes (``core.text.natural_key``): SQLite sorts titles by it as Python sorts them (s2 before s10,
case ignored, digits of any script by value), and no title makes it fail (a 5 000-digit run, NUL, lone surrogates)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.text import natural_key


def _pieces(text: str) -> tuple[str | int, ...]:
    """The plain definition: text case-folded and numbers by value, alternating (what the bytes must order alike)."""
    return tuple(int(p) if i % 2 else p.casefold() for i, p in enumerate(re.split(r"(\d+)", text)))


titles = st.text(alphabet=st.sampled_from("sS tT0123456789٣۴१!-_.é😀\u0301"), max_size=12) | st.text(max_size=8)


@given(titles, titles)
def test_bytes_order_as_the_pieces_do(a: str, b: str) -> None:
    a, b = a.replace("\x00", ""), b.replace("\x00", "")
    pa, pb = _pieces(a), _pieces(b)
    ka, kb = natural_key(a), natural_key(b)
    assert (ka < kb) == (pa < pb) and (ka == kb) == (pa == pb)


def test_examples_an_analyst_would_expect() -> None:
    ordered = ["s", "s1", "S2", "s2a", "s10", "s!", "statement 9", "Statement 10", "statement 010 b"]
    assert sorted(ordered, key=natural_key) == ordered
    assert natural_key("s٣") == natural_key("s3") and natural_key("s007") == natural_key("s7")  # ties: caller's
    assert natural_key("x" + "9" * 5000) > natural_key("x" + "9" * 4999)  # past int()'s 4 300 digits
    assert natural_key("a\x00b") and natural_key("\ud800 lone") < natural_key("\U0001f600")
