"""Clauses and cue patterns (issue 13)."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core import codebook
from annotator.core.suggest.cues import Cue, compile_cue, cue_problems, find
from annotator.core.suggest.defaults import DEFAULT_CUES
from annotator.core.suggest.segment import clauses, sentences
from annotator.errors import FormatError
from tests.core.suggest.fixtures import SAMPLE_1, SAMPLE_2
from tests.hostile import hostile_text


def test_clauses_are_whole_words_without_final_punctuation_and_lists_stay_whole():
    units = [SAMPLE_1[u.start : u.end] for u in clauses(SAMPLE_1)]
    lead = "The United States, Japan, and the Republic of Korea (ROK) strongly condemn"
    assert any(u.startswith(lead) for u in units)
    urge = ("We urge the DPRK and Russia to abide by relevant UN Security Council resolutions and immediately cease"
            " all activities that violate them")
    assert urge in units
    assert "U.S. Department of State" in units  # "U.S." ends no sentence
    for u in units:
        assert u == u.strip() and not u.endswith((".", ",", ";"))


SENTENCE_PIECES = st.sampled_from([". We urge", "; and", ", and ", ": ", "(", ")", "“", "”", "U.S. ", "! ", "\n\n"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(hostile_text, SENTENCE_PIECES), min_size=1, max_size=12).map("".join))
def test_clauses_lie_inside_the_text_in_order_on_hostile_text(text):
    units = clauses(text)
    last = 0
    for u in units:
        assert 0 <= u.start < u.end <= len(text)
        assert u.start >= last
        assert text[u.start : u.end].strip() == text[u.start : u.end]
        last = u.end
    for a, b in sentences(text):
        assert 0 <= a < b <= len(text)


def test_default_cues_are_valid_and_find_each_label_in_the_samples():
    assert cue_problems(DEFAULT_CUES) == []
    found = {label: [SAMPLE_2[s:e].lower() for s, e, _c in find(cues, SAMPLE_2)]
             for label, cues in DEFAULT_CUES.items()}
    assert "condemn" in found["threat"] and "grave threat" not in found["threat"] and "threat" in found["threat"]
    assert any(f.startswith("commitments") for f in found["commitment"])
    assert "ironclad" in found["commitment"]
    assert "urge" in found["call_to_action"] and "call on the dprk to" in found["call_to_action"]


@pytest.mark.parametrize(
    ("cue", "text", "match"),
    [
        (Cue("a", "phrase", "strongly  condemn"), "We Strongly\ncondemn it", "Strongly\ncondemn"),
        (Cue("b", "tokens", "urge* ... to"), "we urged the DPRK and Russia to stop", "urged the DPRK and Russia to"),
        (Cue("c", "tokens", "call|calls on|upon"), "it calls upon all", "calls upon"),
        (Cue("d", "regex", r"\bironclad\b"), "are IRONCLAD.", "IRONCLAD"),
    ],
)
def test_each_kind_of_cue_matches(cue, text, match):
    assert [text[s:e] for s, e, _ in find([cue], text)] == [match]


def test_phrase_matches_whole_words_only():
    assert find([Cue("a", "phrase", "threat")], "threatened") == []


def test_invalid_cues_are_each_named():
    problems = cue_problems({
        "threat": [Cue("bad name!", "phrase", "x"), Cue("r", "regex", "(unclosed"), Cue("e", "regex", "a*"),
                   Cue("k", "glob", "x"), Cue("t", "tokens", "? ...")],
        "commitment": [Cue("r", "phrase", "y")],
    })
    assert len(problems) == 6, problems
    assert any("not a valid regular expression" in p for p in problems)
    assert any("matches the empty string" in p for p in problems)
    assert any("already used" in p for p in problems)
    assert any("kind must be one of" in p for p in problems)
    assert any("needs at least one word" in p for p in problems)
    with pytest.raises(ValueError):
        compile_cue(Cue("x", "regex", ""))


def test_codebook_json_carries_cues_and_old_codebooks_still_read():
    labels = list(codebook.DEFAULT_LABELS)
    data = codebook.codebook_to_json(labels, (), {"threat": DEFAULT_CUES["threat"]})
    assert codebook.codebook_from_json(data) == labels
    assert codebook.cues_from_json(data) == {"threat": list(DEFAULT_CUES["threat"])}
    old = codebook.codebook_to_json(labels)
    assert b"cues" not in old and codebook.cues_from_json(old) == {}
    doc = orjson.loads(data)
    doc["labels"][0]["cues"] = [{"name": "x", "kind": "regex", "pattern": "("}, {"name": "y", "kind": "phrase"}]
    with pytest.raises(FormatError) as info:
        codebook.codebook_from_json(orjson.dumps(doc))
    assert len(info.value.problems) == 2, info.value.problems
