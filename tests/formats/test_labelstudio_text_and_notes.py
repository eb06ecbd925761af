"""Label Studio: the task's text is the field its text labels point at, an image task has none, and a region's
note (``meta.text``, a per-region TextArea) is the span's note, written back as ``meta.text``."""

import json

from annotator.store import Project
from annotator.store.transfer import export_project, import_paths
from tests.helpers import run_cli


def _write(path, tasks):
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def _region(rid, start, end, label, text, to_name="text", **extra):
    return {"id": rid, "from_name": "label", "to_name": to_name, "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}, **extra}


def test_an_image_task_is_refused_as_having_no_text(tmp_path):
    # the shape of Label Studio's own image export (label-studio json_min_data.json test file), cut down
    task = {"id": 87, "data": {"image": "/data/upload/29/example.png"}, "annotations": [{"completed_by": 1, "result": [
        {"id": "q", "type": "polygonlabels", "from_name": "label", "to_name": "image",
         "value": {"points": [[44.4, 48.2], [42.5, 60.3]], "polygonlabels": ["Airplane"]}}]}]}
    result = run_cli("import", tmp_path / "p.sqlite", _write(tmp_path / "image.json", [task]))
    assert result.returncode == 1
    assert b"no text to label" in result.stderr and b"polygonlabels" in result.stderr, result.stderr


def test_the_text_is_the_field_the_labels_point_at(tmp_path):
    text = "hello threat world"
    task = {"id": 9, "data": {"content": text, "meta_info": "x"},
            "annotations": [{"completed_by": 1, "result": [_region("z", 6, 12, "threat", text, to_name="content")]}]}
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        report = import_paths(p, [_write(tmp_path / "content.json", [task])])
        assert not report.rejected, report.rejected
        (doc,) = p.documents()
        assert p.document(doc.id).text == text
        assert [(s.start, s.end, s.label) for s in p.spans(doc.id)] == [(6, 12, "threat")]


def test_region_notes_are_kept_and_written_back(tmp_path):
    text = "We urge the DPRK to cease launches."
    task = {"id": 7, "data": {"text": text}, "annotations": [
        {"completed_by": 3, "result": [_region("a", 3, 7, "call", text, meta={"text": ["a note on urge"]})]},
        {"completed_by": {"email": "lee@x.org"}, "result": [
            _region("c", 3, 16, "call", text),
            {"id": "c", "from_name": "comment", "to_name": "text", "type": "textarea",
             "value": {"text": ["per-region comment"]}}]}]}
    src = _write(tmp_path / "ner.json", [task])
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        report = import_paths(p, [src])
        assert not report.rejected and not any("textarea" in n for n in report.notes), report.notes
        (doc,) = p.documents()
        notes = sorted((s.start, s.end, s.annotator, s.note) for s in p.spans(doc.id))
        assert notes == [(3, 7, "user 3", "a note on urge"), (3, 16, "lee@x.org", "per-region comment")]
        export_project(p, "labelstudio", tmp_path / "out.json")
    (out,) = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    metas = [r.get("meta") for a in out["annotations"] for r in a["result"]]
    assert sorted(m["text"][0] for m in metas) == ["a note on urge", "per-region comment"]
    with Project.open(tmp_path / "q.sqlite", create=True) as q:
        assert not import_paths(q, [tmp_path / "out.json"]).rejected
        (doc,) = q.documents()
        assert sorted((s.start, s.end, s.annotator, s.note) for s in q.spans(doc.id)) == notes
