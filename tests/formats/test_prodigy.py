"""Prodigy-ready jsonl (issue 10): tokens from spaCy's tokenizer whose words rebuild the text, token_start/token_end
inclusive covering each span exactly, answer accept, one line per annotator; read back identical."""

import json

import pytest
from hypothesis import given, settings

from annotator.store import Project
from annotator.store.transfer import export_project, import_paths
from tests.hostile import text_and_spans

spacy = pytest.importorskip("spacy")


def export_lines(tmp, text, spans):
    src = tmp / "in.jsonl"
    src.write_text(
        json.dumps(
            {
                "text": text,
                "meta": {"title": "statement"},
                "spans": [{"start": s, "end": e, "label": lb, "annotator": who, "note": ""} for s, e, lb, who in spans],
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    with Project.open(tmp / "p.sqlite", create=True) as p:
        import_paths(p, [src])
        export_project(p, "prodigy", tmp / "out.jsonl")
    return [json.loads(x) for x in (tmp / "out.jsonl").read_text(encoding="utf-8").splitlines()]


def check_with_spacy(line):
    """spaCy's Doc built from the tokens is the text, and each span is doc[token_start:token_end + 1]."""
    from spacy.tokens import Doc

    doc = Doc(
        spacy.blank("en").vocab, words=[t["text"] for t in line["tokens"]], spaces=[t["ws"] for t in line["tokens"]]
    )
    assert doc.text == line["text"]
    for sp in line["spans"]:
        piece = doc[sp["token_start"] : sp["token_end"] + 1]
        assert (piece.start_char, piece.end_char) == (sp["start"], sp["end"])
    assert line["answer"] == "accept"


def test_one_line_per_annotator_and_back(tmp_path):
    text = "We urge 😀 the DPRK's leaders to stop."
    u = text.index("urge")
    spans = [
        (u, u + 4, "call", "kim"),
        (u, u + 12, "call", "lee"),
        (text.index("DPRK"), text.index("DPRK") + 4, "actor", "kim"),
    ]
    lines = export_lines(tmp_path, text, spans)
    assert sorted(x["_annotator_id"] for x in lines) == ["kim", "lee"]
    for line in lines:
        check_with_spacy(line)
    with Project.open(tmp_path / "q.sqlite", create=True) as q:
        report = import_paths(q, [tmp_path / "out.jsonl"])
        assert not report.rejected and len(report.imported) == 1
        doc_id = q.documents()[0].id
        assert q.document(doc_id).title == "statement"
        assert sorted((s.start, s.end, s.label, s.annotator) for s in q.spans(doc_id)) == sorted(spans)


@settings(max_examples=12, deadline=None)
@given(text_and_spans())
def test_tokens_cover_every_span_on_hostile_text(tmp_path_factory, case):
    text, raw = case
    lines = export_lines(tmp_path_factory.mktemp("prodigy"), text, [(s, e, lb, "a") for s, e, lb in raw])
    for line in lines:
        check_with_spacy(line)
    assert sorted((s["start"], s["end"], s["label"]) for x in lines for s in x["spans"]) == sorted(raw)
