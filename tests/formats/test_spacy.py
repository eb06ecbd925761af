"""The jsonl export is read by spaCy as the README says: ``Doc.char_span`` gives each span exactly or ``None`` (where
spaCy's tokens have no boundary at its edge), never another text; the ``spacy`` export gives every span exactly."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from annotator.core.text import trim_span
from annotator.store import Project
from annotator.store.transfer import export_project, import_paths
from tests.hostile import text_and_spans

spacy = pytest.importorskip("spacy")
NLP = spacy.blank("en")


def check_export(path, nlp=NLP):
    """How many spans of the jsonl export spaCy gives back as the README says (``char_span``, checked for None);
    every one it gives is the labelled text, and the expanded form at least covers it."""
    n = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        doc = nlp(record["text"])
        assert doc.text == record["text"]
        for span in record["spans"]:
            assert record["text"][span["start"] : span["end"]] == span["text"]
            char_span = doc.char_span(span["start"], span["end"], label=span["label"])
            if char_span is not None:
                assert (char_span.start_char, char_span.end_char, char_span.text) == (
                    span["start"], span["end"], span["text"])
                n += 1
            wider = doc.char_span(span["start"], span["end"], alignment_mode="expand")
            assert wider is not None and wider.start_char <= span["start"] and wider.end_char >= span["end"]
    return n


def docbin_spans(path, nlp=NLP):
    from spacy.tokens import DocBin

    return [(doc.text[s.start_char : s.end_char], s.start_char, s.end_char, s.label_)
            for doc in DocBin().from_disk(path).get_docs(nlp.vocab) for s in doc.spans["sc"]]


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
        export_project(p, "spacy", tmp / "out.spacy")
    check_export(tmp / "out.jsonl")
    assert sorted(docbin_spans(tmp / "out.spacy")) == sorted((text[s:e], s, e, lb) for s, e, lb in spans)


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


def test_spans_inside_words_come_back_exact_or_none_and_exact_in_the_docbin(tmp_path):
    """A data scientist's trial: the README's recipe (``alignment_mode="expand"``) turned the window's span
    "日本と米国は" (a word of Qt's, no token of spaCy's) into the whole sentence, and "és" of "résumé" into the word,
    without a word. As the README says now, ``char_span`` gives None for those, and the DocBin gives them exact."""
    text = "日本と米国は、北朝鮮の挑発を強く非難する。\nOur re\u0301sume\u0301 stands."
    inner = text.index("e\u0301s")
    spans = [(0, 6, "threat"), (inner, inner + 3, "commitment"), (text.index("stands"), len(text) - 1, "threat")]
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": text, "spans": [{"start": s, "end": e, "label": lb} for s, e, lb in spans]},
                              ensure_ascii=False) + "\n", encoding="utf-8")
    nlp = spacy.blank("xx")
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        assert not import_paths(p, [src]).rejected
        export_project(p, "jsonl", tmp_path / "out.jsonl")
        export_project(p, "spacy", tmp_path / "out.spacy")
    assert check_export(tmp_path / "out.jsonl", nlp) == 1  # "stands"; the other two are None, not another text
    assert sorted(docbin_spans(tmp_path / "out.spacy", nlp)) == sorted((text[s:e], s, e, lb) for s, e, lb in spans)
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert 'doc.char_span(s["start"], s["end"], label=s["label"])' in readme and "Check for `None`" in readme
