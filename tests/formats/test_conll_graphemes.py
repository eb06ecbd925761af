"""CoNLL export never cuts a character as a reader sees it (a grapheme cluster) into tokens (a newcomer's trial:
``re\\u0301fugees`` became the token lines ``re`` / ``\\u0301`` / ``fugees``, the family emoji five lines, one an
invisible ZWJ, and read back the accent sat on a space). A span that IOB cannot give back as it is is named in the
export's summary, never moved silently."""

from __future__ import annotations

import io
import json
import unicodedata

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.model import Document, Span
from annotator.core.text import sha256_text
from annotator.formats import conll
from annotator.formats.common import ExportOptions
from tests.helpers import run_cli
from tests.hostile import PIECES

FAMILY = "👩\u200d👩\u200d👧"
HANGUK = "\u1112\u1161\u11ab\u1100\u116e\u11a8"  # 한국 in conjoining jamo
# name: (text, its tokens, spans as (the text they mark, label))
EXAMPLES: dict[str, tuple[str, list[str], list[tuple[str, str]]]] = {
    "decomposed accents": (
        "The re\u0301fugees left the cafe\u0301 at noon.",
        ["The", "re\u0301fugees", "left", "the", "cafe\u0301", "at", "noon", "."],
        [("re\u0301fugees", "threat"), ("the cafe\u0301", "commitment")],
    ),
    "ZWJ family emoji": (
        "A family 👩\u200d👩\u200d👧 waved.",
        ["A", "family", "👩\u200d👩\u200d👧", "waved", "."],
        [("family 👩\u200d👩\u200d👧", "threat")],
    ),
    "flags": (
        "Seoul 🇰🇷 and Tokyo 🇯🇵 agreed.",
        ["Seoul", "🇰🇷", "and", "Tokyo", "🇯🇵", "agreed", "."],
        [("🇰🇷", "threat"), ("Tokyo 🇯🇵", "commitment")],
    ),
    "skin tones and variation selectors": (
        "We agree 👍🏽 and wave 👋🏿, ❤\ufe0f point 1\ufe0f\u20e3.",
        ["We", "agree", "👍🏽", "and", "wave", "👋🏿", ",", "❤\ufe0f", "point", "1\ufe0f\u20e3", "."],
        [("agree 👍🏽", "commitment"), ("👋🏿", "threat"), ("❤\ufe0f point 1\ufe0f\u20e3", "call to action")],
    ),
    "Arabic with harakat": (
        "بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ",
        ["بِسْمِ", "اللَّهِ", "الرَّحْمَٰنِ", "الرَّحِيمِ"],
        [("اللَّهِ", "threat"), ("الرَّحِيمِ", "commitment")],
    ),
    "Devanagari with virama and matras": (
        "भारत ने शान्ति की अपील की।",
        ["भारत", "ने", "शान्ति", "की", "अपील", "की", "।"],
        [("शान्ति की अपील", "call to action"), ("भारत", "threat")],
    ),
    "Hangul jamo sequences": (
        # Middle Korean (Hunminjeongeum): syllables, old conjoining jamo and tone marks; then 한국 in jamo
        f"나랏\u302e말\u302f\u110a\u119e미\u302e 듀\u11f0귁\u302e에\u302e 달아\u302e {HANGUK}",
        ["나랏\u302e말\u302f\u110a\u119e미\u302e", "듀\u11f0귁\u302e에\u302e", "달아\u302e", HANGUK],
        [("듀\u11f0귁\u302e에\u302e", "threat"), (HANGUK, "commitment")],
    ),
}
NAMES = list(EXAMPLES)


def graphemes(text: str) -> list[str]:
    """The characters a reader sees, white space left out (CoNLL keeps no spacing: a mark on a space is kept as
    the mark, whichever space it sits on)."""
    return [c.strip() for c in regex.findall(r"\X", text) if not c.isspace()]


def continues(ch: str) -> bool:
    """A code point that belongs to the character before it: a mark (M*) or U+200D."""
    return unicodedata.category(ch)[0] == "M" or ch == "\u200d"


def documents_of(conll_text: str) -> list[list[str]]:
    """The token lines of each document of an export."""
    return [[ln for ln in part.split("\n") if ln] for part in conll_text.split("-DOCSTART-\tO\n")[1:]]


def token_lines(conll_text: str) -> list[tuple[str, str, int]]:
    """(token, tag, sentence number) of each token line of a one-document export."""
    out, sentence = [], 0
    for line in conll_text.split("\n")[2:]:
        if line:
            token, tag = line.split("\t")
            out.append((token, tag, sentence))
        else:
            sentence += 1
    return out


def placed(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    """Where each token is in ``text``: each the next piece of it, with only white space between (so nothing of
    the text is left out or reordered)."""
    out, pos = [], 0
    for token in tokens:
        at = text.find(token, pos)
        assert at >= 0 and text[pos:at].strip() == "", (token, text)
        out.append((at, at + len(token)))
        pos = at + len(token)
    assert text[pos:].strip() == "", text
    return out


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    """Every example through the real command line: import a JSONL, export CoNLL, import that into a new project,
    export it as JSONL."""
    tmp = tmp_path_factory.mktemp("conll_graphemes")
    env = {"ANNOTATOR_DATA_DIR": str(tmp / "data")}
    source = tmp / "in.jsonl"
    with source.open("w", encoding="utf-8") as fh:
        for name, (text, _, spans) in EXAMPLES.items():
            marks = [{"start": text.index(p), "end": text.index(p) + len(p), "label": lb} for p, lb in spans]
            fh.write(json.dumps({"text": text, "spans": marks, "meta": {"title": name}}, ensure_ascii=False) + "\n")

    def cli(*args):
        result = run_cli(*args, env=env)
        assert result.returncode == 0, result.stderr.decode()
        return result.stderr.decode()

    cli("import", tmp / "p.sqlite", source)
    summary = cli("export", tmp / "p.sqlite", "--format", "conll", "-o", tmp / "out.conll")
    cli("import", tmp / "q.sqlite", tmp / "out.conll")
    cli("export", tmp / "q.sqlite", "-o", tmp / "back.jsonl")
    exported = documents_of((tmp / "out.conll").read_text(encoding="utf-8"))
    back = [json.loads(line) for line in (tmp / "back.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(exported) == len(back) == len(EXAMPLES)
    return dict(zip(NAMES, exported, strict=True)), dict(zip(NAMES, back, strict=True)), summary


@pytest.mark.parametrize("name", NAMES)
def test_each_character_stays_in_one_token(round_trip, name):
    text, tokens, spans = EXAMPLES[name]
    lines = round_trip[0][name]
    assert [ln.split("\t")[0] for ln in lines] == tokens
    assert not [ln for ln in lines if continues(ln[0])]
    # the tags cover exactly the spans' characters
    marks = [(text.index(part), text.index(part) + len(part), label.replace(" ", "_")) for part, label in spans]
    expected = []
    for a, b in placed(text, tokens):
        inside = [(s, lb) for s, e, lb in marks if s <= a and b <= e]
        expected.append("O" if not inside else ("B-" if inside[0][0] == a else "I-") + inside[0][1])
    assert [ln.split("\t")[1] for ln in lines] == expected


@pytest.mark.parametrize("name", NAMES)
def test_read_back_keeps_the_characters_and_the_spans_text(round_trip, name):
    text, _, spans = EXAMPLES[name]
    back = round_trip[1][name]
    assert graphemes(back["text"]) == graphemes(text)
    got = sorted((s["text"], s["label"]) for s in back["spans"])
    assert got == sorted((part, label.replace(" ", "_")) for part, label in spans)
    assert "read back" not in round_trip[2] and "left out" not in round_trip[2], round_trip[2]


def export(text: str, spans: list[tuple[int, int, str]], title: str = "statement") -> tuple[str, list[str]]:
    """The CoNLL export of one document, and the notes for its summary."""
    doc = Document(1, title, "s.txt", text, sha256_text(text))
    out = io.BytesIO()
    options = ExportOptions()
    conll.write([(doc, [Span(i, 1, s, e, lb) for i, (s, e, lb) in enumerate(spans, 1)])], out, options)
    return out.getvalue().decode("utf-8"), options.notes


def test_a_span_edge_inside_a_character_takes_the_whole_character_and_says_so(tmp_path):
    """An imported span may end between a letter and its accent, or inside an emoji sequence: the export tags the
    whole token (as it always did for an edge inside a word) and the summary names the span and what it reads back
    as; read back, the span holds the whole character."""
    text = f"The cafe\u0301 family {FAMILY} waved."
    source = tmp_path / "in.jsonl"
    marks = [(4, 8, "threat"), (text.index("👩"), text.index("👩") + 1, "commitment")]  # "cafe" without its accent
    source.write_text(
        json.dumps({"text": text, "spans": [{"start": s, "end": e, "label": lb} for s, e, lb in marks]}) + "\n",
        encoding="utf-8",
    )
    env = {"ANNOTATOR_DATA_DIR": str(tmp_path / "data")}
    assert run_cli("import", tmp_path / "p.sqlite", source, env=env).returncode == 0
    result = run_cli("export", tmp_path / "p.sqlite", "--format", "conll", "-o", tmp_path / "out.conll", env=env)
    assert result.returncode == 0, result.stderr.decode()
    (lines,) = documents_of((tmp_path / "out.conll").read_text(encoding="utf-8"))
    assert lines == ["The\tO", "cafe\u0301\tB-threat", "family\tO", f"{FAMILY}\tB-commitment", "waved\tO", ".\tO"]
    summary = result.stderr.decode()
    assert "2 span(s) read back over other characters than they hold" in summary, summary
    assert "threat 4-8 read as 4-9 'cafe\u0301'" in summary, summary
    woman = marks[1][0]
    assert f"commitment {woman}-{woman + 1} read as {woman}-{woman + len(FAMILY)}" in summary, summary
    assert run_cli("import", tmp_path / "q.sqlite", tmp_path / "out.conll", env=env).returncode == 0
    back = json.loads(run_cli("export", tmp_path / "q.sqlite", "-o", "-", env=env).stdout.decode().splitlines()[0])
    assert sorted(s["text"] for s in back["spans"]) == ["cafe\u0301", "👩\u200d👩\u200d👧"]


def test_marks_on_no_letter_stay_where_they_are(tmp_path):
    """A mark on a space is a character (a spacing accent): a token with its space. A mark after U+200B or another
    invisible control stays in that token. Only a mark with nothing before it on its line, or after a tab, begins
    a token: it is a character of its own there (UAX #29), and read back it is where it was."""
    text = "x \u0301 and a\u200b\u0301b\n\u0301lone and\t\u200dz"
    exported, notes = export(text, [])
    assert [token for token, _, _ in token_lines(exported)] == [
        "x", " \u0301", "and", "a", "\u200b\u0301", "b", "\u0301lone", "and", "\u200dz",
    ]
    assert notes == ["not in the conll export, which has no place for them (export jsonl to keep them): 1 title(s)"]
    (tmp_path / "out.conll").write_text(exported, encoding="utf-8")
    (doc,) = conll.read(tmp_path / "out.conll").documents
    assert doc.text == "x  \u0301 and a \u200b\u0301 b\n\u0301lone and \u200dz"
    assert graphemes(doc.text) == graphemes(text)


def test_spans_iob_cannot_give_back_are_named_in_the_summary():
    text = "We urge  calm now.\nThey refuse."
    spans = [
        (8, 9, "threat"),  # only white space
        (3, 8, "commitment"),  # "urge " with the space after it
        (14, 27, "call to action"),  # "now.\nThey ref": across the line break, ending inside a word
    ]
    exported, notes = export(text, spans, title="Joint statement")
    assert documents_of(exported)[0] == [
        "We\tO", "urge\tB-commitment", "calm\tO", "now\tB-call_to_action", ".\tI-call_to_action",
        "They\tB-call_to_action", "refuse\tI-call_to_action", ".\tO",
    ]
    assert notes == [
        "1 span(s) left out: they tag no token of their own (only white space, or a part of a token a span before "
        "them tags), and IOB tags whole tokens (export jsonl to keep them): 'Joint statement': threat 8-9",
        "2 span(s) read back over other characters than they hold: IOB tags whole tokens, so an edge inside a word "
        "or inside one character (an accent, an emoji sequence, a flag) moves to the token's edge, and white space "
        "at an edge is left out (export jsonl to keep them exact): 'Joint statement': commitment 3-8 read as 3-7 "
        "'urge'; 'Joint statement': call to action 14-27 read as 14-30 'now.\\nThey refuse'",
        "1 span(s) cross a line break: each line is a sentence and a span ends with its sentence, so each reads back "
        "as one span per line: 'Joint statement': call to action 14-27 (2 lines)",
        "not in the conll export, which has no place for them (export jsonl to keep them): 1 title(s)",
    ]


# -- hostile text ------------------------------------------------------------------------------------------------

EXTRA = ["👍🏽", "❤\ufe0f", "1\ufe0f\u20e3", "بِسْمِ", "शान्ति", "\u1112\u1161\u11ab", "\u302e", "\u0301", "\u200d",
         " \u0301", "\u0600", "a\u200cb", "🇯🇵🇰", "‿"]
texts = st.lists(
    st.one_of(st.sampled_from(PIECES + EXTRA), st.text(st.characters(blacklist_categories=("Cs",)), max_size=4)),
    min_size=1,
    max_size=30,
).map("".join)


@st.composite
def texts_and_spans(draw):
    text = draw(texts)
    n = len(text)
    spans = []
    for _ in range(draw(st.integers(0, 6)) if n else 0):
        start = draw(st.integers(0, n - 1))
        spans.append((start, draw(st.integers(start + 1, n)), draw(st.sampled_from(["threat", "call to action"]))))
    return text, spans


@settings(max_examples=300, deadline=None)
@given(texts_and_spans())
def test_hostile_text_tokens_are_whole_characters_and_spans_read_back_over_the_same_tokens(tmp_path_factory, case):
    text, raw = case
    exported, notes = export(text, raw)
    kept, _ = conll.kept_spans(Span(i, 1, s, e, lb) for i, (s, e, lb) in enumerate(raw, 1))
    lines = token_lines(exported)
    where = placed(text, [token for token, _, _ in lines])
    # whole characters; a token begins with a mark or U+200D only where nothing is before it on its line, or a tab
    starts = {m.start() for m in regex.finditer(r"\X", text)} | {len(text)}
    for (token, _, _), (a, b) in zip(lines, where, strict=True):
        assert a in starts and b in starts, (token, text)
        if continues(token[0]):
            assert a == 0 or text[a - 1].isspace(), (token, text)
    # each span tags the tokens it overlaps that no span before it tags; read back, one span per sentence holds them
    owner = [next((s for s in kept if s.start < b and a < s.end), None) for a, b in where]
    assert [tag == "O" for _, tag, _ in lines] == [o is None for o in owner]
    expected, left_out, shifted, cut = [], 0, 0, 0
    for span in kept:
        mine = [(a, b, k) for (a, b), (_, _, k), o in zip(where, lines, owner, strict=True) if o is span]
        left_out += not mine
        shifted += bool(mine) and (mine[0][0], mine[-1][1]) != (span.start, span.end)
        cut += bool(mine) and mine[0][2] != mine[-1][2]
        for k in sorted({k for _, _, k in mine}):
            words = " ".join(text[a:b] for a, b, j in mine if j == k)
            expected.append((span.label.replace(" ", "_"), graphemes(words)))
    # and no span is moved silently
    assert any(n.startswith(f"{left_out} span(s) left out: they tag") for n in notes) == bool(left_out), notes
    assert any(n.startswith(f"{shifted} span(s) read back over") for n in notes) == bool(shifted), notes
    assert any(n.startswith(f"{cut} span(s) cross a line break") for n in notes) == bool(cut), notes
    if not lines:
        return
    path = tmp_path_factory.mktemp("hostile") / "out.conll"
    path.write_text(exported, encoding="utf-8")
    (doc,) = conll.read(path).documents
    assert graphemes(doc.text) == graphemes(text)
    assert sorted((s.label, graphemes(doc.text[s.start : s.end])) for s in doc.spans) == sorted(expected)
