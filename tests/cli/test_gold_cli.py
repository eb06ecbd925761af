"""``annotator gold PROJECT COLLEAGUE_FILE... [-o OUT]`` (trial 12, F9): bad input is one line and exit 1, and
nothing is written; the project is read, never changed. (That its bytes are the window's export's:
tests/ui/test_gold_command.py.)"""

import json

import pytest

from annotator.store import Project
from annotator.store.transfer import export_project, import_paths
from tests.helpers import content, run_cli


@pytest.fixture
def files(tmp_path):
    made = {}
    for name, spans in (("ana", [(0, 6, "threat")]), ("bob", [(0, 6, "threat"), (10, 15, "commitment")])):
        path = tmp_path / f"{name}.sqlite"
        with Project.open(path, create=True, user=name) as p:
            import_paths(p, ["sample_docs"])
            doc = p.documents()[0].id
            for s, e, lb in spans:
                p.add_span(doc, s, e, lb)
            if name == "bob":
                export_project(p, "jsonl", tmp_path / "bob.jsonl")
        made[name] = path
    return made


def test_gold_writes_the_adjudicated_records(files, tmp_path):
    out = tmp_path / "gold.jsonl"
    before = content(files["ana"])
    result = run_cli("gold", files["ana"], files["bob"], tmp_path / "bob.jsonl", "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stderr.decode().strip() == f"wrote 2 gold record(s) to {out}"
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert all(set(s) >= {"origin", "edited"} for r in records for s in r["spans"])
    assert records[0]["meta"]["reviewed_against"] == ["bob@bob.sqlite", "bob@bob.jsonl"]
    assert records[0]["meta"]["open_disagreements"] == 2 and records[0]["meta"]["adjudicated"] is False
    assert content(files["ana"]) == before  # read, never written


@pytest.mark.parametrize("case", ["missing", "not annotations", "itself", "its wal", "onto a project", "no project",
                                  "onto itself", "onto a folder"])
def test_gold_bad_input_is_one_line_and_writes_nothing(files, tmp_path, case):
    bad = tmp_path / "report.json"
    bad.write_text('{"documents": 2, "overall": {}}\n', "utf-8")
    out = tmp_path / "gold.jsonl"
    project, colleague = files["ana"], files["bob"]
    args = {
        "missing": (project, tmp_path / "nobody.jsonl", "-o", out),
        "not annotations": (project, colleague, bad, "-o", out),
        "itself": (project, project, "-o", out),
        "its wal": (project, f"{project}-wal", "-o", out),
        "onto a project": (project, colleague, "-o", colleague),
        "no project": (tmp_path / "none.sqlite", colleague, "-o", out),
        "onto itself": (project, colleague, "-o", project),
        "onto a folder": (project, colleague, "-o", tmp_path),
    }[case]
    if case == "its wal":
        (tmp_path / "ana.sqlite-wal").write_bytes(b"")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    result = run_cli("gold", *args)
    assert result.returncode == 1, result
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("annotator: ") and b"Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before  # nothing written
    assert not out.exists() and result.stdout == b""
