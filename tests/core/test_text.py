import codecs

import pytest
from hypothesis import given

from annotator.core.text import (
    decode_bytes,
    next_word_end,
    normalise_newlines,
    prev_word_end,
    sha256_text,
    snap_to_words,
    storable_problem,
)
from annotator.errors import FormatError
from tests.hostile import hostile_text

SAMPLE = "Kim’s “threat” — 😀 𝐃𝐏𝐑𝐊\r\nline two\rthree\n"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16"),
    ],
)
def test_decode_unicode_with_and_without_bom(data, encoding):
    decoded = decode_bytes(data)
    assert decoded.text == SAMPLE
    assert decoded.encoding == encoding
    assert not decoded.legacy


def test_decode_legacy_cp1252_is_reported():
    text = "The Minister’s statement — “unacceptable” provocations, café, naïve résumé. " * 5
    decoded = decode_bytes(text.encode("cp1252"))
    assert decoded.legacy
    assert decoded.text == text


@pytest.mark.parametrize(
    "data, message",
    [(b"", "empty"), (b"\x00\x01\x02\xff\xfe\x00binary\x00", "binary"), (b"   \n\t ", "no text")],
)
def test_decode_refuses_non_text(data, message):
    with pytest.raises(FormatError, match=message):
        decode_bytes(data)


def test_normalise_newlines():
    assert normalise_newlines("a\r\nb\rc\nd\u2028e") == "a\nb\nc\nd\u2028e"


@given(hostile_text)
def test_normalised_text_has_no_cr_and_keeps_everything_else(text):
    out = normalise_newlines(text)
    assert "\r" not in out
    assert out.replace("\n", "") == text.replace("\r\n", "").replace("\r", "").replace("\n", "")


def test_sha256_is_of_utf8():
    assert sha256_text("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_lone_surrogate_is_not_storable():
    assert storable_problem("ok") is None
    assert "surrogate" in storable_problem("bad \ud800 here")


@pytest.mark.parametrize(
    "text, sel, expected",
    [
        ("The DPRK threatens peace.", (5, 8), "DPRK"),
        ("The DPRK threatens peace.", (3, 9), "DPRK"),  # spaces trimmed
        ("The DPRK threatens peace.", (10, 14), "threatens"),
        ("the 𝐃𝐏𝐑𝐊 fires", (5, 6), "𝐃𝐏𝐑𝐊"),
        ("a café bar", (3, 4), "café"),
        ("a cafe\u0301 bar", (2, 4), "cafe\u0301"),
        ("x 😀 y", (2, 3), "😀"),
    ],
)
def test_snap_to_words(text, sel, expected):
    start, end = snap_to_words(text, *sel)
    assert text[start:end] == expected


def test_snap_whitespace_only_is_none():
    assert snap_to_words("a   b", 1, 4) is None


@given(hostile_text, hostile_text)
def test_snap_never_shrinks_a_word_selection(prefix, word_text):
    text = prefix + " alpha " + word_text
    start = len(prefix) + 1
    snapped = snap_to_words(text, start + 1, start + 3)
    assert snapped is not None
    assert snapped[0] <= start + 1 and snapped[1] >= start + 3
    assert 0 <= snapped[0] < snapped[1] <= len(text)


def test_word_steps():
    text = "we urge the DPRK now"
    assert text[: next_word_end(text, 7)] == "we urge the"
    assert text[: prev_word_end(text, 16, 3)] == "we urge the"
    assert prev_word_end(text, 7, 3) == 4  # never below one character
