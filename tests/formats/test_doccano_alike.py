"""A doccano file whose bytes show every counting reads it alike is not parsed for doubts (the window's import read
every doccano file twice: once for doubts, once to import; a reviewer measured 0.97 s + 1.03 s for 8.5 MB). The
shortcut must never skip a file that could be in doubt: checked against the full reading on hostile text."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.formats import doccano

ALPHABET = st.sampled_from(
    list("ab Z.,\t\n\r") + ["\r\n", "😀", "é", "e\u0301", "👩\u200d👩\u200d👧", "🇰🇷", "\\", "日"])


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(ALPHABET, min_size=1, max_size=30), data=st.data(), ensure_ascii=st.booleans())
def test_the_bytes_never_skip_a_file_the_full_reading_doubts(tmp_path_factory, pieces, data, ensure_ascii):
    text = "".join(pieces)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    path = tmp_path_factory.mktemp("d") / "f.jsonl"
    raw = json.dumps({"id": 1, "text": text, "label": [[start, end, "x"]]}, ensure_ascii=ensure_ascii)
    path.write_bytes(raw.encode("utf-8") + b"\n")
    if doccano.alike_in_every_counting(path.read_bytes()):
        problems, parsed, _, _ = doccano._parse_file(path)
        assert problems.count or doccano.choose([e for _, e in parsed], path.name).doubt is None
        assert "\r\n" not in text and text.isascii()


def test_a_plain_english_file_is_parsed_once_by_the_windows_import_path(tmp_path, monkeypatch):
    path = tmp_path / "plain.jsonl"
    path.write_text(json.dumps({"id": 1, "text": "We urge calm.", "label": [[3, 7, "call"]]}) + "\n", encoding="utf-8")
    parsed: list[object] = []
    real = doccano._parse_file
    monkeypatch.setattr(doccano, "_parse_file", lambda p: parsed.append(p) or real(p))
    assert doccano.doubt(path) is None and not parsed  # no doubt possible: not parsed for one
    assert [s.label for d in doccano.read(path).documents for s in d.spans] == ["call"] and len(parsed) == 1
