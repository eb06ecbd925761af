"""Label Studio JSON and JSON-min (issue 10): several annotators on one task become spans with their annotators;
export → import keeps text, spans and annotators; value.text catches a wrong offset unit."""

import json

import pytest

from annotator.formats import labelstudio
from annotator.store import Project
from annotator.store.transfer import export_project, import_paths

TEXT = "😀 We urge the DPRK to stop; they threaten us."


def region(start, end, label, text=TEXT, rid="r"):
    return {
        "id": rid,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]},
    }


def spans_by_text(project):
    out = {}
    for summary in project.documents():
        doc = project.document(summary.id)
        out[doc.text] = sorted((s.start, s.end, s.label, s.annotator) for s in project.spans(doc.id))
    return out


def test_full_export_with_two_annotators_and_other_results(tmp_path):
    u = TEXT.index("urge")
    t = TEXT.index("threaten")
    tasks = [
        {
            "id": 12,
            "data": {"text": TEXT},
            "annotations": [
                {
                    "id": 1,
                    "completed_by": {"id": 42, "email": "alice@example.org"},
                    "was_cancelled": False,
                    "result": [
                        region(u, u + 4, "call"),
                        {"type": "choices", "value": {"choices": ["hostile"]}, "from_name": "tone", "to_name": "text"},
                    ],
                },
                {"id": 2, "completed_by": 7, "result": [region(u, u + 4, "call"), region(t, t + 8, "threat")]},
                {"id": 3, "completed_by": 8, "was_cancelled": True, "result": [region(0, 1, "x")]},
            ],
            "predictions": [{"result": [region(t, t + 8, "threat")]}],
        }
    ]
    src = tmp_path / "project-1-at-2026.json"
    src.write_text(json.dumps(tasks, indent=2, ensure_ascii=False), encoding="utf-8")
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        report = import_paths(p, [src])
        assert not report.rejected, report.rejected
        assert spans_by_text(p) == {
            TEXT: [
                (u, u + 4, "call", "alice@example.org"),
                (u, u + 4, "call", "user 7"),
                (t, t + 8, "threat", "user 7"),
            ]
        }
        lines = "\n".join(report.summary_lines())
        assert "hostile (1)" in lines and "1 cancelled" in lines and "1 prediction(s)" in lines
        export_project(p, "labelstudio", tmp_path / "out.json")
    out = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert out[0]["data"]["text"] == TEXT
    assert sorted(a["completed_by"]["email"] for a in out[0]["annotations"]) == ["alice@example.org", "user 7"]
    for annotation in out[0]["annotations"]:
        for item in annotation["result"]:
            v = item["value"]
            assert item["type"] == "labels" and TEXT[v["start"] : v["end"]] == v["text"]
    with Project.open(tmp_path / "q.sqlite", create=True) as q:  # ours → theirs → ours: identical
        assert not import_paths(q, [tmp_path / "out.json"]).rejected
        assert spans_by_text(q) == {
            TEXT: [
                (u, u + 4, "call", "alice@example.org"),
                (u, u + 4, "call", "user 7"),
                (t, t + 8, "threat", "user 7"),
            ]
        }


def test_json_min_and_a_wrong_offset_unit(tmp_path):
    u = TEXT.index("urge")
    minimal = [
        {
            "id": 3,
            "text": TEXT,
            "label": [{"start": u, "end": u + 4, "text": "urge", "labels": ["call"]}],
            "annotator": "bob@example.org",
            "annotation_id": 9,
            "lead_time": 3.2,
        }
    ]
    src = tmp_path / "min.json"
    src.write_text(json.dumps(minimal, ensure_ascii=False), encoding="utf-8")
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        assert not import_paths(p, [src]).rejected
        assert spans_by_text(p) == {TEXT: [(u, u + 4, "call", "bob@example.org")]}
    # an old export counting UTF-16 units: value.text does not match; the message says what to do
    old = [{"id": 3, "text": TEXT, "label": [{"start": u + 1, "end": u + 5, "text": "urge", "labels": ["call"]}]}]
    (tmp_path / "old.json").write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(Exception, match="--offsets utf16"):
        labelstudio.read(tmp_path / "old.json")
    result = labelstudio.read(tmp_path / "old.json", offsets="utf16")
    assert [(s.start, s.end) for s in result.documents[0].spans] == [(u, u + 4)]
