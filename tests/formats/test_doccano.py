"""doccano JSONL (and doccano's JSON array): export → import keeps text and spans exactly; a file with a bad line
or item is rejected whole, naming each one (DESIGN.md §2.4)."""

import json

import orjson
import pytest
from hypothesis import given, settings

from annotator.errors import FormatError
from annotator.formats import doccano
from annotator.store import Project
from annotator.store.transfer import export_project, import_paths
from tests.helpers import run_cli
from tests.hostile import text_and_spans


def spans_of(project):
    """{text: sorted [(start, end, label)]} for every document."""
    out = {}
    for summary in project.documents():
        doc = project.document(summary.id)
        out[doc.text] = sorted((s.start, s.end, s.label) for s in project.spans(doc.id))
    return out


def u16(text, i):
    """Code point offset ``i`` of ``text`` as doccano's editor counts it: JavaScript string indices, UTF-16 units."""
    return len(text[:i].encode("utf-16-le")) // 2


def write_lines(path, objects):
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects), encoding="utf-8")
    return path


@settings(max_examples=40)
@given(text_and_spans())
def test_import_export_import_keeps_text_and_offsets_exactly(tmp_path_factory, case):
    text, spans = case
    tmp = tmp_path_factory.mktemp("doccano")
    doccano_spans = [[u16(text, s), u16(text, e), lb] for s, e, lb in spans]
    src = write_lines(tmp / "in.jsonl", [{"id": 41, "text": text, "label": doccano_spans}])
    # the default reading: UTF-16 units are kept whenever they fit, so our own export always reads back as written
    with Project.open(tmp / "p.sqlite", create=True) as p:
        report = import_paths(p, [src])
        assert not report.rejected, report.rejected
        assert [d.title for d in p.documents()] == ["in #41"]
        doc_id = p.documents()[0].id
        assert export_project(p, "doccano", tmp / "out.jsonl") == 1
    data = (tmp / "out.jsonl").read_bytes()
    assert data.endswith(b"\n") and data.count(b"\n") == 1  # one line, even with U+2028 or CR in the text
    out = orjson.loads(data)
    assert list(out)[:3] == ["id", "text", "label"]  # doccano's shape; its other keys are the example's metadata
    assert out["offsets"] == "utf16" and out["title"] == "in #41" and len(out["label_annotators"]) == len(spans)
    assert out["id"] == doc_id and out["text"] == text
    assert out["label"] == sorted(doccano_spans)
    with Project.open(tmp / "q.sqlite", create=True) as q:
        report = import_paths(q, [tmp / "out.jsonl"])
        assert not report.rejected, report.rejected
        assert spans_of(q) == {text: sorted(spans)}


def test_newer_and_older_doccano_shapes(tmp_path):
    text = "The DPRK 😀 threatens\r\npeace."
    t = text.index("threatens")
    src = write_lines(
        tmp_path / "mixed.jsonl",
        [
            {"id": 1, "text": text, "label": [[t + 1, t + 10, "threat"]], "Comments": []},  # 😀 counts 2
            {"text": text + " 2", "labels": [[0, 3, "actor"]]},  # doccano 0.x
            {
                "id": "abc",
                "text": text + " 3",
                "entities": [  # relation-extraction export
                    {"id": 7, "label": "threat", "start_offset": t + 1, "end_offset": t + 10},
                    {"id": 8, "label": "actor", "start_offset": 4, "end_offset": 8},
                ],
                "relations": [{"id": 1, "from_id": 8, "to_id": 7, "type": "does"}],
            },
            {"id": 4, "data": text + " 4", "label": []},
        ],
    )
    result = doccano.read(src)
    assert [d.title for d in result.documents] == ["mixed #1", "mixed #2", "mixed #abc", "mixed #4"]
    assert [[(s.start, s.end, s.label) for s in d.spans] for d in result.documents] == [
        [(t, t + 9, "threat")],
        [(0, 3, "actor")],
        [(t, t + 9, "threat"), (4, 8, "actor")],
        [],
    ]
    assert result.notes == ["mixed.jsonl: 1 doccano relation(s) not imported (only spans are)"]
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        report = import_paths(p, [src])  # found by its first line, through the dispatcher
        assert len(report.imported) == 4 and report.spans == 4 and "actor" in report.new_labels


def test_json_array_export_and_single_object(tmp_path):
    items = [{"id": 1, "text": "We urge calm.", "label": [[3, 7, "call"]]}, {"id": 2, "text": "No spans.", "label": []}]
    (tmp_path / "export.json").write_text(json.dumps(items, indent=2), encoding="utf-8")
    (tmp_path / "one.json").write_text(json.dumps(items[0], indent=2), encoding="utf-8")
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        report = import_paths(p, [tmp_path / "export.json", tmp_path / "one.json"])
        assert not report.rejected and len(report.imported) == 2 and len(report.duplicates) == 1
        assert spans_of(p) == {"We urge calm.": [(3, 7, "call")], "No spans.": []}


def test_bad_lines_reject_the_whole_file_naming_each(tmp_path):
    lines = [
        json.dumps({"id": 1, "text": "fine", "label": [[0, 2, "x"]]}),
        "{broken",
        json.dumps({"id": 3, "text": "abc", "label": [[1, 9, "x"]]}),
        json.dumps({"id": 4, "text": "abc", "label": [["1", 2, "x"]]}),
        json.dumps({"id": 5, "text": "abc", "label": [[0, 2, ""]]}),
        json.dumps({"id": 6, "text": "abc", "label": [[0, 2]]}),
        json.dumps({"id": 7, "text": "abc", "label": ["positive"]}),
        json.dumps(
            {
                "id": 8,
                "text": "abc",
                "label": [[0, 1, "x"]],
                "entities": [{"start_offset": 0, "end_offset": 1, "label": "x"}],
            }
        ),
        json.dumps({"id": 9, "text": "abc", "entities": [{"start_offset": 2, "end_offset": 2, "label": "x"}]}),
        json.dumps(["not", "an", "object"]),
        '{"text": "lone \\ud800 surrogate", "label": []}',
        json.dumps({"id": 12, "label": []}),
        json.dumps({"id": 13, "text": "abc", "label": [[0.0, 2, "x"]]}),
        json.dumps({"id": 14, "text": "abc", "label": {"0": "x"}}),
    ]
    src = tmp_path / "bad.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(FormatError) as info:
        doccano.read(src)
    message = "\n".join(info.value.lines())
    for n in range(2, 15):
        assert (f"line {n}:" in message) == (n != 7), n  # line 7 holds a document label: counted, not bad
    assert "line 1:" not in message
    assert "both 'label' and 'entities'" in message
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        report = import_paths(p, [src])
        assert p.documents() == [] and len(report.rejected) == 1


def test_bad_items_of_a_json_array_are_named_by_index(tmp_path):
    items = [
        {"id": 1, "text": "fine", "label": [[0, 2, "x"]]},
        {"id": 2, "text": "abc", "label": [[2, 1, "x"]]},
        "a string",
        {"id": 4, "text": "", "label": []},
    ]
    (tmp_path / "bad.json").write_text(json.dumps(items), encoding="utf-8")
    with pytest.raises(FormatError) as info:
        doccano.read(tmp_path / "bad.json")
    message = "\n".join(info.value.lines())
    assert "item 2 (index 1):" in message and "item 3 (index 2):" in message and "item 4 (index 3):" in message
    assert "item 1 " not in message
    (tmp_path / "broken.json").write_text('[\n  {"text": "a"},\n  {"text": \n]', encoding="utf-8")
    with pytest.raises(FormatError) as info:
        doccano.read(tmp_path / "broken.json")
    assert "line 4, column 1: not valid JSON" in "\n".join(info.value.lines())
    (tmp_path / "empty.json").write_bytes(b"")
    with pytest.raises(FormatError, match="empty"):
        doccano.read(tmp_path / "empty.json")


def test_cli_export_and_import_doccano(tmp_path):
    text = "They threaten\r\nus;\u2028 we pledge 😀 support."
    src = write_lines(
        tmp_path / "in.jsonl",
        [
            {
                "text": text,
                "spans": [{"start": 5, "end": 18, "label": "threat"}, {"start": 23, "end": 29, "label": "commitment"}],
            }
        ],
    )
    assert run_cli("import", tmp_path / "p.sqlite", src).returncode == 0
    out = tmp_path / "out.jsonl"
    result = run_cli("export", tmp_path / "p.sqlite", "--format", "doccano", "-o", out)
    assert result.returncode == 0, result.stderr
    stdout = run_cli("export", tmp_path / "p.sqlite", "--format", "doccano")
    assert stdout.returncode == 0 and stdout.stdout == out.read_bytes()
    assert orjson.loads(out.read_bytes())["label"] == [[5, 18, "threat"], [23, 29, "commitment"]]
    result = run_cli("import", tmp_path / "q.sqlite", out)
    assert result.returncode == 0, result.stderr
    assert b"imported 1 statement(s) with 2 span(s)" in result.stdout
    with Project.open(tmp_path / "q.sqlite") as q:
        assert spans_of(q) == {text: [(5, 18, "threat"), (23, 29, "commitment")]}
    (tmp_path / "bad.jsonl").write_text('{"text": "abc", "label": [[0, 9, "x"]]}\n')
    result = run_cli("import", tmp_path / "q.sqlite", tmp_path / "bad.jsonl")
    assert result.returncode == 1 and b"line 1:" in result.stderr and b"Traceback" not in result.stderr
