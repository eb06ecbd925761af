"""Document variables travel with exports and come back with our jsonl; the vars file; the codebook JSON."""

import csv
import io
import json

import pytest

from annotator.core import codebook
from annotator.core import variables as cv
from annotator.core.model import IncomingDocument
from annotator.core.variables import Variable
from annotator.errors import AnnotatorError
from annotator.store import Project
from annotator.store import variables as sv
from annotator.store.transfer import export_project, import_paths
from annotator.store.varsfile import apply
from tests.helpers import content, run_cli


@pytest.fixture
def project(tmp_path):
    docs = [IncomingDocument("We urge the DPRK to cease 🚀 launches.", "one"),
            IncomingDocument("Second\r\nstatement.", "two")]
    with Project.open(tmp_path / "p.sqlite", create=True, user="ann", populate=docs) as p:
        a, b = (d.id for d in p.documents())
        p.add_span(a, 3, 7, "call_to_action")
        sv.add_variable(p, Variable("pages", "number"))
        sv.add_variable(p, Variable("joint", "bool"))
        sv.add_variable(p, Variable("signed", "date"))
        for name, value in (("date", "2023-10-26"), ("issuer", "U.S. Department of State"), ("url", "https://x.gov/s"),
                            ("note", "memo ✓"), ("pages", "2"), ("joint", "yes"), ("signed", "2023-10-25")):
            sv.set_value(p, a, name, value)
        yield p


def test_jsonl_meta_carries_the_variables_and_import_restores_them(project, tmp_path):
    out = tmp_path / "out.jsonl"
    export_project(project, "jsonl", out)
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    meta = first["meta"]
    assert (meta["date"], meta["issuer"], meta["url"], meta["note"]) == (
        "2023-10-26", "U.S. Department of State", "https://x.gov/s", "memo ✓")
    assert meta["variables"] == {"pages": 2, "joint": True, "signed": "2023-10-25"}
    with Project.open(tmp_path / "back.sqlite", create=True) as back:
        report = import_paths(back, [out])
        assert not report.rejected and len(report.imported) == 2
        doc = back.document(back.documents()[0].id)
        assert (doc.date, doc.issuer, doc.url, doc.note) == ("2023-10-26", "U.S. Department of State",
                                                             "https://x.gov/s", "memo ✓")
        assert doc.variables == {"pages": 2, "joint": True, "signed": "2023-10-25"}
        assert sv.definitions(back) == [Variable("pages", "number"), Variable("joint", "bool"),
                                        Variable("signed", "date")]
        prov, _ = sv.provenance(back, doc.id)
        assert (prov.file_name, prov.extractor) == ("out.jsonl", "jsonl")


def test_spans_and_csv_gain_date_and_issuer_columns(project, tmp_path):
    export_project(project, "csv", tmp_path / "s.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "s.csv").read_text(encoding="utf-8"), newline="")))
    assert (rows[0]["date"], rows[0]["issuer"], rows[0]["text"]) == ("2023-10-26", "U.S. Department of State", "urge")
    export_project(project, "spans", tmp_path / "s.jsonl")
    line = json.loads((tmp_path / "s.jsonl").read_text(encoding="utf-8"))
    assert (line["date"], line["issuer"]) == ("2023-10-26", "U.S. Department of State")


@pytest.mark.parametrize(("meta", "message"), [
    ({"date": "2023-02-30"}, "exists"), ({"date": "Oct. 26, 2023"}, "YYYY-MM-DD"), ({"issuer": 5}, "issuer"),
    ({"variables": []}, "object"), ({"variables": {"date": "x"}}, "built-in"), ({"variables": {"a": [1]}}, "a"),
])
def test_bad_meta_variables_reject_the_file_with_the_line(tmp_path, meta, message):
    path = tmp_path / "bad.jsonl"
    lines = [{"text": "fine", "meta": {}}, {"text": "bad one", "meta": meta}]
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        report = import_paths(p, [path])
        assert p.documents() == []
    assert "line 2" in " ".join(report.rejected[0][1]) and message in " ".join(report.rejected[0][1])


def test_vars_csv_sets_values_adds_variables_and_says_so(project, tmp_path):
    one, two = project.documents()
    path = tmp_path / "vars.csv"
    path.write_text(f"sha256,Date,issuer,wave,official\n{one.sha256},2024-01-05,MOFA,3,yes\n"
                    f"{two.sha256},,Élysée,4.5,no\n", encoding="utf-8-sig")
    report = apply(project, path)
    assert report.summary_lines() == ["set 7 value(s) on 2 statement(s)",
                                      "added variable(s) to the project: wave (number), official (yes/no)"]
    assert sv.fields(project, one.id).get("date") == "2024-01-05"
    assert sv.fields(project, two.id).values == {"wave": 4.5, "official": False}
    assert sv.fields(project, two.id).issuer == "Élysée"


def test_vars_file_is_whole_or_nothing_and_names_every_bad_row(project, tmp_path):
    path = tmp_path / "vars.csv"
    path.write_text("title,date,pages\none,2023-02-30,1\nnobody,2023-01-01,2\ntwo,2023-01-01,many\n"
                    "two,2023-01-02,3\n", encoding="utf-8")
    before = content(project.path)
    with pytest.raises(AnnotatorError) as info:
        apply(project, path)
    problems = info.value.problems
    assert any(p.startswith("line 2") and "2023-02-30" in p for p in problems)
    assert any(p.startswith("line 3") and "nobody" in p for p in problems)
    assert any(p.startswith("line 4") and "many" in p for p in problems)
    assert any(p.startswith("line 5") and "same document" in p for p in problems)
    assert content(project.path) == before


def test_vars_json_keyed_by_title(project, tmp_path):
    path = tmp_path / "vars.json"
    path.write_text(json.dumps([{"title": "two", "issuer": "Kantei", "pages": 7, "tags": "a"}]), encoding="utf-8")
    report = apply(project, path)
    two = project.documents()[1].id
    assert sv.fields(project, two).values == {"pages": 7, "tags": "a"}
    assert [v.name for v in report.new_variables] == ["tags"]
    path.write_text(json.dumps({"rows": []}), encoding="utf-8")
    with pytest.raises(AnnotatorError, match="list"):
        apply(project, path)


def test_vars_command(tmp_path):
    proj = tmp_path / "p.sqlite"
    with Project.open(proj, create=True, populate=[IncomingDocument("Some text.", "one")]):
        pass
    good = tmp_path / "v.csv"
    good.write_text("title,issuer\none,MOFA\n", encoding="utf-8")
    done = run_cli("vars", proj, good)
    assert done.returncode == 0 and b"set 1 value(s) on 1 statement(s)" in done.stdout
    bad = tmp_path / "b.csv"
    bad.write_text("title,date\none,2023-02-30\n", encoding="utf-8")
    done = run_cli("vars", proj, bad)
    assert done.returncode == 1 and b"line 2: date" in done.stderr and b"Traceback" not in done.stderr
    done = run_cli("vars", proj, tmp_path / "missing.csv")
    assert done.returncode == 1 and b"Traceback" not in done.stderr


def test_codebook_json_carries_the_variables():
    data = codebook.codebook_to_json(codebook.DEFAULT_LABELS, [Variable("pages", "number")])
    assert cv.from_codebook_json(data) == [Variable("pages", "number")]
    assert codebook.codebook_from_json(data) == list(codebook.DEFAULT_LABELS)
    assert cv.from_codebook_json(b'{"labels": []}') is None
    with pytest.raises(ValueError, match="type"):
        cv.from_codebook_json(b'{"variables": [{"name": "x", "type": "colour"}]}')


def test_an_iso_date_and_time_in_meta_keeps_its_date(tmp_path):
    path = tmp_path / "other.jsonl"
    path.write_text(json.dumps({"text": "x y", "meta": {"date": "2023-10-26T09:30:00Z"}}) + "\n", encoding="utf-8")
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        assert not import_paths(p, [path]).rejected
        assert p.document(p.documents()[0].id).date == "2023-10-26"


def test_spans_and_csv_carry_the_origin_of_an_accepted_span(project, tmp_path):
    """DESIGN §2.4: spans/csv carry ``origin`` like jsonl (issue #15 item 11): "" for mine, name@file for theirs."""
    doc_id = project.documents()[0].id
    project.add_span(doc_id, 12, 16, "threat", origin="bob@bob.jsonl", annotator="bob")
    for fmt in ("spans", "csv"):
        out = tmp_path / f"out.{fmt}"
        export_project(project, fmt, out)
        data = out.read_text(encoding="utf-8")
        rows = ([json.loads(line) for line in data.splitlines()] if fmt == "spans"
                else list(csv.DictReader(io.StringIO(data, newline=""))))
        assert sorted(r["origin"] for r in rows) == ["", "bob@bob.jsonl"], fmt
        assert list(rows[0])[-1] == "origin"
