"""doccano offsets counted in code points or grapheme clusters are read as the file shows them, or refused or
warned about naming the line; never shifted silently (README "doccano"; DESIGN.md §2.1, §2.4)."""

import json

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.errors import FormatError
from annotator.formats import doccano
from annotator.store import Project
from annotator.store.transfer import import_paths
from tests.helpers import run_cli

STATEMENT = "🚀 We urge the DPRK to cease 🚀 launches.\r\nThe allies 👩‍👩‍👧 commit to deterrence."


def write_lines(path, objects):
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects), encoding="utf-8")
    return path


def u16(text, i):
    """Code point offset ``i`` as JavaScript (doccano's editor) counts it: UTF-16 code units."""
    return len(text[:i].encode("utf-16-le")) // 2


def clusters(text, i):
    """Code point offset ``i`` (at a cluster boundary) counted in grapheme clusters."""
    return len(regex.findall(r"\X", text[:i]))


COUNT = {"utf16": u16, "codepoints": lambda text, i: i, "graphemes": clusters}


def phrase(text, word):
    start = text.index(word)
    return start, start + len(word)


def read_spans(result):
    return [[(s.start, s.end, s.label) for s in d.spans] for d in result.documents]


def test_a_code_point_file_whose_offsets_also_fit_utf16_is_read_so_with_a_warning_naming_the_line(tmp_path):
    """Nothing in the file proves it counts code points: UTF-16 units are kept (our own export is read back as
    written, spans cut inside a word included), and the summary warns, naming the line, what each counting marks and
    the option that reads it the other way (a reviewer's finding: choosing by plausibility moved our own spans)."""
    text = "🚀 We urge the DPRK to cease launches."  # read as UTF-16 units: ' urg' and ' launche', valid but odd
    urge, launches = phrase(text, "urge"), phrase(text, "launches")
    src = write_lines(
        tmp_path / "script.jsonl",
        [
            {"id": 1, "text": "No emoji here: we urge calm.", "label": [[18, 22, "call"]]},
            {"id": 2, "text": text, "label": [[*urge, "call"], [*launches, "threat"]]},
        ],
    )
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        report = import_paths(p, [src])
        assert not report.rejected, report.rejected
        doc = next(p.document(d.id) for d in p.documents() if d.title == "script #2")
        assert [doc.text[s.start : s.end] for s in sorted(p.spans(doc.id), key=lambda s: s.start)] == [
            " urg",
            " launche",
        ]
    said = "\n".join(report.summary_lines())
    assert "warning:" in said and "line 2" in said, said
    assert "' urg'" in said and "'urge'" in said and "--offsets codepoints" in said  # both readings, the way out


def test_an_offset_inside_an_emoji_proves_code_points(tmp_path):
    text = "😀😀 We urge calm."
    src = write_lines(tmp_path / "split.jsonl", [{"id": 1, "text": text, "label": [[3, 10, "call"]]}])
    result = doccano.read(src)
    assert read_spans(result) == [[(3, 10, "call")]]  # "We urge", which UTF-16 units could not mean
    assert any("code points" in n and "line 1" in n and "U+1F600" in n for n in result.notes), result.notes


def test_offsets_past_the_end_are_refused_in_the_files_own_numbers(tmp_path):
    src = write_lines(
        tmp_path / "past.jsonl",
        [{"id": 1, "text": "ok", "label": [[0, 2, "x"]]}, {"id": 2, "text": STATEMENT, "label": [[70, 95, "x"]]}],
    )
    with pytest.raises(FormatError) as info:
        doccano.read(src)
    message = "\n".join(info.value.lines())
    length = len(STATEMENT)
    lengths = f"({u16(STATEMENT, length)} UTF-16 code units, {length} code points)"
    assert f"line 2: label[0]: [70, 95] is outside the text, running past its end {lengths}" in message, message
    assert "[70, 95]" in message and "line 1" not in message


def test_grapheme_cluster_offsets_are_recognised(tmp_path):
    text = "👩‍👩‍👧 We urge the allies to commit to deterrence."
    spans = [(*phrase(text, "urge"), "call"), (*phrase(text, "commit"), "commitment")]
    src = write_lines(
        tmp_path / "swift.jsonl",
        [{"id": 1, "text": text, "label": [[clusters(text, s), clusters(text, e), lb] for s, e, lb in spans]}],
    )
    result = doccano.read(src)  # they fit UTF-16 units too (marking other text): kept, and warned
    assert read_spans(result) != [spans]
    assert any(n.startswith("warning:") and "grapheme clusters" in n and "line 1" in n for n in result.notes), (
        result.notes)


def test_a_spans_own_text_decides_and_a_tie_without_it_is_warned(tmp_path):
    text = "🚀🚀 a b"  # "b" in code points is [5, 6]; read as UTF-16 units [5, 6] is "a": both plausible
    with_text = write_lines(
        tmp_path / "with.jsonl",
        [{"id": 1, "text": text, "entities": [{"start_offset": 5, "end_offset": 6, "label": "x", "text": "b"}]}],
    )
    assert read_spans(doccano.read(with_text)) == [[(5, 6, "x")]]
    bare = write_lines(tmp_path / "bare.jsonl", [{"id": 1, "text": text, "label": [[5, 6, "x"]]}])
    result = doccano.read(bare)
    assert read_spans(result) == [[(3, 4, "x")]]  # UTF-16 units, as doccano's editor counts: but said
    warning = [n for n in result.notes if n.startswith("warning:")]
    assert warning and "line 1" in warning[0] and "'a'" in warning[0] and "'b'" in warning[0], result.notes
    assert "--offsets codepoints" in warning[0]


def test_lines_that_count_different_ways_are_refused_naming_them(tmp_path):
    text = "😀 We urge calm."
    src = write_lines(
        tmp_path / "mixed.jsonl",
        [
            {"id": 1, "text": text, "label": [[1, 3, "x"]]},  # inside the emoji as UTF-16: code points only
            {"id": 2, "text": text, "label": [[10, 16, "x"]]},  # past the code points: UTF-16 only
        ],
    )
    with pytest.raises(FormatError) as info:
        doccano.read(src)
    message = "\n".join(info.value.lines())
    assert "line 1: label[0]: offset 1 falls between the two UTF-16 code units" in message, message
    assert "different ways" in message and "line 2 only UTF-16 code units" in message, message
    assert "line 1 only code points or grapheme clusters" in message


def test_an_explicit_unit_that_does_not_fit_names_the_one_that_does(tmp_path):
    text = "🚀 We urge calm."
    src = write_lines(tmp_path / "u16.jsonl", [{"id": 1, "text": text, "label": [[11, 16, "x"]]}])  # "calm."
    result = run_cli("import", tmp_path / "p.sqlite", src, "--offsets", "codepoints")
    assert result.returncode == 1 and not (tmp_path / "p.sqlite").exists()
    err = result.stderr.decode()
    past = "is outside the text, running past its end (16 UTF-16 code units, 15 code points)"
    assert f"line 1: label[0]: [11, 16] {past}" in err, err
    assert "--offsets utf16" in err


# ------------------------------------------------------------------ property: never a silent shift

WORDS = ["We", "urge", "DPRK", "a", "b", "restraint", "Ω", "日本", "café", "𝐃𝐏𝐑𝐊", "e\u0301te"]
GAPS = [" ", "  ", "\r\n", "\n", " 🚀 ", "😀", " 👩‍👩‍👧 ", "🇰🇷 ", ", ", "\t"]


@st.composite
def statements(draw):
    """A text of words and gaps (emoji, flags, ZWJ sequences, CRLF), and whole-word spans over it."""
    n = draw(st.integers(1, 8))
    parts, words = [draw(st.sampled_from(GAPS + [""]))], []
    for _ in range(n):
        word = draw(st.sampled_from(WORDS))
        start = len("".join(parts))
        parts.append(word)
        words.append((start, start + len(word)))
        parts.append(draw(st.sampled_from(GAPS)))
    text = "".join(parts)
    picked = draw(st.lists(st.sampled_from(words), min_size=1, max_size=4, unique=True))
    labels = st.sampled_from(["threat", "commitment"])
    return text, sorted((s, e, draw(labels)) for s, e in picked)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=statements(), unit=st.sampled_from(["utf16", "codepoints", "graphemes"]))
def test_word_spans_in_any_counting_are_read_exactly_or_warned(tmp_path, case, unit):
    text, spans = case
    count = COUNT[unit]
    src = write_lines(
        tmp_path / "f.jsonl",
        [{"id": 1, "text": text, "label": [[count(text, s), count(text, e), lb] for s, e, lb in spans]}],
    )
    try:
        result = doccano.read(src)
    except FormatError as exc:  # refused: fine, if it says where
        assert all("line 1" in line or line.startswith("file") for line in exc.lines()[1:]), exc.lines()
        return
    got = sorted((s.start, s.end, s.label) for s in result.documents[0].spans)
    warned = any(n.startswith("warning:") and "line 1" in n for n in result.notes)
    if unit == "utf16":  # doccano's editor: always exact
        assert got == spans, (got, result.notes)
    else:
        assert got == spans or warned, (got, spans, result.notes)
    if got == spans and any(u16(text, x) != count(text, x) for s, e, _ in spans for x in (s, e)):
        # the UTF-16 reading (doccano's editor) would have marked other text: the summary says it was not used
        assert any("offsets read as" in n and "line 1" in n for n in result.notes), result.notes


def test_one_warning_for_the_file_counts_every_line_and_says_what_can_be_done(tmp_path):
    """The newcomer's trial (stop 34): two warnings per line (code points, grapheme clusters), only the first line
    named, and advice to remove statements, which nothing in the app can do."""
    src = write_lines(
        tmp_path / "emoji_cp.jsonl",
        [
            {"text": "🚀 We urge restraint.", "label": [[5, 9, "call"]]},
            {"text": "🚀🚀 They threaten retaliation.", "label": [[8, 16, "threat"]]},
        ],
    )
    notes = [n for n in doccano.read(src).notes if n.startswith("warning:")]
    assert len(notes) == 1, notes
    assert "line 1" in notes[0] and "2 lines" in notes[0] and "'urge'" in notes[0]
    assert "--offsets codepoints" in notes[0] and "NEW_PROJECT" in notes[0] and "remove" not in notes[0]
