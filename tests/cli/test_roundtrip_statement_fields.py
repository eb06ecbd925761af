"""Trial 13, F3: a round trip through Label Studio or a spaCy DocBin keeps each statement's date, issuer, URL,
memo, variables (and status and source): `annotator export` then `annotator import` into a new project, and the
new project's jsonl export is the original's, byte for byte."""

import json

import pytest

from tests.helpers import run_cli

RECORDS = [
    {
        "text": "We urge the DPRK 🚀 to stop.\r\nThe EU condemns 9.087 launches.",
        "spans": [
            {"start": 3, "end": 7, "label": "call", "annotator": "kim", "note": 'a "demand", 🚀'},
            {"start": 31, "end": 46, "label": "threat", "annotator": "lee", "note": ""},
        ],
        "meta": {
            "title": "Joint: statement",
            "status": "done",
            "date": "2024-01-05",
            "issuer": "Ministère des Affaires étrangères",
            "url": "https://example.org/a?b=1",
            "note": "memo line 1\nline 2",
            "variables": {"lang": "mul", "wave": 2, "score": 0.5, "joint": True, "signed": "2024-02-03"},
        },
    },
    {"text": "Plain one.\r\n", "spans": [], "meta": {"title": "p", "status": "skipped", "issuer": "Auswärtiges Amt"}},
    {"text": "Todo 👩‍👩‍👧 one.", "spans": [{"start": 0, "end": 4, "label": "call", "annotator": "", "note": "n"}],
     "meta": {"title": "t", "url": "https://x.example/", "variables": {"joint": False}}},
]


@pytest.fixture
def original(tmp_path):
    src = tmp_path / "src.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    project = tmp_path / "a.sqlite"
    assert run_cli("import", project, src).returncode == 0
    out = run_cli("export", project)
    assert out.returncode == 0
    return project, out.stdout


@pytest.mark.parametrize(("fmt", "name"), [("labelstudio", "out.json"), ("spacy", "out.spacy")])
def test_a_round_trip_keeps_every_statement_field(tmp_path, original, fmt, name):
    pytest.importorskip("spacy") if fmt == "spacy" else None
    project, before = original
    exported = tmp_path / name
    result = run_cli("export", project, "--format", fmt, "-o", exported)
    assert result.returncode == 0, result.stderr
    again = tmp_path / "b.sqlite"
    result = run_cli("import", again, exported)
    assert result.returncode == 0, result.stderr
    after = run_cli("export", again).stdout
    metas = [json.loads(line)["meta"] for line in after.decode().splitlines()]
    assert metas[0]["date"] == "2024-01-05" and metas[0]["variables"]["wave"] == 2
    # source too: the file each statement was first imported from, not the export's name
    assert after == before


def test_foreign_label_studio_data_that_no_statement_holds_is_named_not_refused(tmp_path):
    task = {"data": {"text": "We urge calm.", "date": "03/05/2024"},
            "annotations": [{"result": [{"from_name": "label", "to_name": "text", "type": "labels",
                                         "value": {"start": 3, "end": 7, "labels": ["call"]}}]}]}
    src = tmp_path / "ls.json"
    src.write_text(json.dumps([task]), encoding="utf-8")
    result = run_cli("import", tmp_path / "c.sqlite", src)
    assert result.returncode == 0, result.stderr
    assert "not taken as the statement's fields" in result.stdout.decode() + result.stderr.decode()
    assert "data.date" in result.stdout.decode() + result.stderr.decode()
