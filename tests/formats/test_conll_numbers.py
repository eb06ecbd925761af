"""Trial 13, F5: the CoNLL export kept "9.087" as "9 . 087"; a number (decimals, thousands, dates, times,
ordinals) is one token now, and the tokens still cover the text exactly."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.formats.conll_tokens import lines, tokens
from tests.helpers import run_cli

NUMBER = re.compile(r"\d+(?:[.,:/\-]\d+)+")
ALPHABET = st.sampled_from(list("0123456789.,:/- abcXé") + ["\u0301", "🚀", "🇰", "🇷", "\u200d", "\t", "٣", "。"])


def check_cover(text, found):
    """Tokens in order, never overlapping, never empty, nothing but white space between them."""
    at = 0
    for a, b in found:
        assert at <= a < b <= len(text)
        assert text[at:a].strip() == "", (text, found)
        at = b
    assert text[at:].strip() == ""


@settings(max_examples=400, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_tokens_cover_the_text_exactly_and_never_split_a_number(text):
    found = tokens(text)
    check_cover(text, found)
    inside = {i for a, b in found for i in range(a + 1, b)}  # positions inside a token
    for m in NUMBER.finditer(text):
        for cut in range(m.start() + 1, m.end()):
            assert cut in inside, (text, m.group(), [text[a:b] for a, b in found])


def test_numbers_stay_whole():
    text = "Bereits 9.087 Fälle, 1,000 Mal am 2024-01-05 um 10:30 Uhr, der 21st und 3º, 0,5 % in 2024."
    words = [text[a:b] for line in lines(text) for a, b in line]
    for number in ("9.087", "1,000", "2024-01-05", "10:30", "21st", "3º", "0,5", "2024"):
        assert number in words, words
    assert words[-2:] == ["2024", "."] and "Fälle" in words and "," in words


def test_a_round_trip_through_the_command_keeps_the_number(tmp_path):
    src = tmp_path / "s.jsonl"
    src.write_text('{"text":"Deutschland: Bereits 9.087 Feststellungen am 2024-01-05.","spans":[{"start":21,'
                   '"end":26,"label":"count","annotator":"a"}]}\n', encoding="utf-8")
    assert run_cli("import", tmp_path / "a.sqlite", src).returncode == 0
    out = tmp_path / "out.conll"
    assert run_cli("export", tmp_path / "a.sqlite", "--format", "conll", "-o", out).returncode == 0
    rows = out.read_text(encoding="utf-8").splitlines()
    assert "9.087\tB-count" in rows and "2024-01-05\tO" in rows, rows
    assert run_cli("import", tmp_path / "b.sqlite", out).returncode == 0
    text = run_cli("export", tmp_path / "b.sqlite", "--format", "spans").stdout.decode()
    assert '"text":"9.087"' in text, text
