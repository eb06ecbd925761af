"""The jsonl export is read by spaCy as is: every span maps onto tokens with Doc.char_span."""

import json

import pytest
from hypothesis import given, settings

from annotator.core.text import trim_span
from annotator.store import Project
from annotator.store.transfer import export_project, import_paths
from tests.hostile import text_and_spans

spacy = pytest.importorskip("spacy")
NLP = spacy.blank("en")


def check_export(path):
    n = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        doc = NLP(record["text"])
        assert doc.text == record["text"]
        for span in record["spans"]:
            char_span = doc.char_span(span["start"], span["end"], label=span["label"], alignment_mode="expand")
            assert char_span is not None, span
            assert char_span.start_char <= span["start"] and char_span.end_char >= span["end"]
            assert record["text"][span["start"] : span["end"]] == span["text"]
            n += 1
    return n


@settings(max_examples=30)
@given(text_and_spans())
def test_spacy_char_span_covers_every_exported_span(tmp_path_factory, case):
    """Spans as the app makes them: trimmed of whitespace at both ends (a span ending in a plain space ends in
    spaCy's token whitespace, which no token covers; imported spans are kept as they are)."""
    text, raw = case
    spans = [(*t, lb) for s, e, lb in raw if (t := trim_span(text, s, e))]
    tmp = tmp_path_factory.mktemp("sp")
    src = tmp / "in.jsonl"
    src.write_text(json.dumps({"text": text, "spans": [{"start": s, "end": e, "label": lb} for s, e, lb in spans]},
                              ensure_ascii=False) + "\n", encoding="utf-8")
    with Project.open(tmp / "p.sqlite", create=True) as p:
        assert not import_paths(p, [src]).rejected
        export_project(p, "jsonl", tmp / "out.jsonl")
    assert check_export(tmp / "out.jsonl") == len(spans)


def test_sample_statements_with_crlf_and_emoji(tmp_path):
    text = "The DPRK 😀 threatens\r\npeace; we urge 𝐃𝐏𝐑𝐊 restraint.\r\n"
    src = tmp_path / "in.jsonl"
    start = text.index("threatens")
    src.write_text(json.dumps({"text": text, "spans": [
        {"start": start, "end": start + 9, "label": "threat"},
        {"start": text.index("𝐃"), "end": text.index(" restraint"), "label": "call_to_action"},
    ]}) + "\n")
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        import_paths(p, [src, "sample_docs"])
        export_project(p, "jsonl", tmp_path / "out.jsonl")
    assert check_export(tmp_path / "out.jsonl") == 2
