"""CoNLL IOB2 export and IOB1/IOB2/BIOES import (issue 10): overlaps cannot be held, the longest is kept and the
rest counted; tokens and tags survive the round trip."""

import json

from annotator.formats import conll
from annotator.formats.common import ExportOptions
from annotator.store import Project
from annotator.store.transfer import export_project, import_paths


def test_export_keeps_the_longest_of_overlapping_spans_and_round_trips(tmp_path):
    text = "The DPRK threatens 😀 Seoul.\nWe urge restraint."
    spans = [(4, 8, "actor"), (4, 18, "threat"), (31, 35, "call"), (31, 45, "call")]
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps(
            {"text": text, "spans": [{"start": s, "end": e, "label": lb} for s, e, lb in spans]}, ensure_ascii=False
        )
        + "\n",
        encoding="utf-8",
    )
    options = ExportOptions()
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        import_paths(p, [src])
        export_project(p, "conll", tmp_path / "out.conll", options=options)
    lines = (tmp_path / "out.conll").read_text(encoding="utf-8").split("\n")
    assert lines[:9] == [
        "-DOCSTART-\tO",
        "",
        "The\tO",
        "DPRK\tB-threat",
        "threatens\tI-threat",
        "😀\tO",
        "Seoul\tO",
        ".\tO",
        "",
    ]
    assert "We\tO" in lines and "urge\tB-call" in lines and "restraint\tI-call" in lines
    assert any("2 span(s) left out" in n for n in options.notes), options.notes
    with Project.open(tmp_path / "q.sqlite", create=True) as q:
        report = import_paths(q, [tmp_path / "out.conll"])
        assert not report.rejected, report.rejected
        doc = q.document(q.documents()[0].id)
        got = sorted((doc.text[s.start : s.end], s.label) for s in q.spans(doc.id))
        assert got == [("DPRK threatens", "threat"), ("urge restraint", "call")]


def test_iob1_iob2_and_bioes_read_alike(tmp_path):
    variants = {
        "iob2": "EU\tB-ORG\nrejects\tO\nGerman\tB-MISC\ncall\tO\nPeter\tB-PER\nBlackburn\tI-PER\n",
        "iob1": "EU\tI-ORG\nrejects\tO\nGerman\tI-MISC\ncall\tO\nPeter\tI-PER\nBlackburn\tI-PER\n",
        "bioes": "EU\tS-ORG\nrejects\tO\nGerman\tS-MISC\ncall\tO\nPeter\tB-PER\nBlackburn\tE-PER\n",
    }
    found = {}
    for name, body in variants.items():
        path = tmp_path / f"{name}.conll"
        path.write_text(body, encoding="utf-8")
        (doc,) = conll.read(path).documents
        found[name] = (doc.text, [(doc.text[s.start : s.end], s.label) for s in doc.spans])
    assert found["iob2"] == found["iob1"] == found["bioes"]
    assert found["iob2"][1] == [("EU", "ORG"), ("German", "MISC"), ("Peter Blackburn", "PER")]


def test_a_bad_tag_rejects_the_file_naming_the_line(tmp_path):
    path = tmp_path / "bad.conll"
    path.write_text("EU\tB-ORG\nrejects\tX-Y\n", encoding="utf-8")
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        (name, problems) = import_paths(p, [path]).rejected[0]
        assert any("line 2" in x for x in problems) and p.documents() == []
