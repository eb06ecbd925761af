"""`annotator agree`: projects and exports mixed, read-only, the JSON shape of DESIGN.md §2.5."""

import hashlib
import json
import os

import pytest

from annotator.store import Project
from annotator.store.transfer import import_paths
from tests.helpers import run_cli


@pytest.fixture
def two_projects(tmp_path):
    made = []
    cases = (("a", [(0, 6, "threat"), (10, 15, "commitment")]), ("b", [(0, 6, "threat"), (11, 15, "commitment")]))
    for name, spans in cases:
        path = tmp_path / f"{name}.sqlite"
        with Project.open(path, create=True, user=name) as p:
            import_paths(p, ["sample_docs"])
            doc = p.documents()[0].id
            for s, e, lb in spans:
                p.add_span(doc, s, e, lb)
        made.append(path)
    return made


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_agree_json_shape_and_read_only(two_projects, tmp_path):
    a, b = two_projects
    before = {p: digest(p) for p in two_projects}
    listing = sorted(os.listdir(tmp_path))
    result = run_cli("agree", a, b, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["documents"] == 2
    assert set(data["overall"]) >= {"exact", "overlap", "kappa"}
    assert set(data["overall"]["exact"]) == {"precision", "recall", "f1"}
    threat = data["labels"]["threat"]
    assert threat["exact"]["f1"] == 1.0 and threat["a"] == 1 and threat["b"] == 1
    commitment = data["labels"]["commitment"]
    assert commitment["exact"]["f1"] == 0.0 and commitment["overlap"]["f1"] == 1.0
    assert {p: digest(p) for p in two_projects} == before
    assert sorted(os.listdir(tmp_path)) == listing  # no -wal / -shm left beside them


def test_agree_project_against_its_own_export_is_perfect(two_projects, tmp_path):
    a, _ = two_projects
    out = tmp_path / "a.jsonl"
    assert run_cli("export", a, "-o", out).returncode == 0
    data = json.loads(run_cli("agree", a, out, "--json").stdout)
    assert data["overall"]["exact"]["f1"] == 1.0 and data["overall"]["kappa"] == 1.0


def test_agree_three_files_gives_pairwise_and_fleiss(two_projects, tmp_path):
    a, b = two_projects
    out = tmp_path / "a.jsonl"
    run_cli("export", a, "-o", out)
    result = run_cli("agree", a, b, out, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["pairwise"]) == 3 and "kappa" in data["fleiss"]["overall"]
    table = run_cli("agree", a, b, out).stdout.decode()
    assert "Fleiss" in table


def test_agree_bad_inputs(tmp_path, two_projects):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{nope\n")
    for args in ((two_projects[0], bad), (two_projects[0], tmp_path / "missing.jsonl"), (two_projects[0],)):
        result = run_cli("agree", *args)
        assert result.returncode == 1, args
        assert b"Traceback" not in result.stderr and result.stderr.strip()


def test_agree_before_adjudication_equals_the_figures_before_any_decision(tmp_path):
    """Accepting the colleague's spans into mine makes them mine (the adjudicated figures rise); with
    --before-adjudication the command measures my annotations as they were, exactly as before the accepts."""
    from annotator.core import review as core
    from annotator.store import review as rv

    mine_path, theirs_path = tmp_path / "ana.sqlite", tmp_path / "bob.sqlite"
    cases = ((mine_path, "ana", [(0, 6, "threat"), (10, 15, "commitment"), (20, 30, "threat")]),
             (theirs_path, "bob", [(0, 6, "threat"), (11, 15, "commitment"), (40, 50, "threat")]))
    for path, user, spans in cases:
        with Project.open(path, create=True, user=user) as p:
            import_paths(p, ["sample_docs"])
            doc = p.documents()[0].id
            for s, e, lb in spans:
                p.add_span(doc, s, e, lb)
    before = json.loads(run_cli("agree", mine_path, theirs_path, "--json").stdout)
    colleague_file = rv.ColleagueFile.load(theirs_path)
    with Project.open(mine_path, user="ana") as p:
        doc = p.documents()[0]
        colleague = colleague_file.colleagues[0]
        open_items = [i for i in rv.review_document(p, doc.id, colleague_file, colleague).items
                      if i.kind != core.AGREED]
        assert len(open_items) == 3  # the boundary conflict, my [20, 30), their [40, 50)
        for item in open_items:
            if item.kind in (core.CONFLICT, core.THEIRS_ONLY):
                rv.accept(p, doc.id, item, colleague)
    after = json.loads(run_cli("agree", mine_path, theirs_path, "--json").stdout)
    assert after["labels"]["commitment"]["exact"]["f1"] == 1.0 != before["labels"]["commitment"]["exact"]["f1"]
    result = run_cli("agree", mine_path, theirs_path, "--json", "--before-adjudication")
    assert result.returncode == 0, result.stderr
    reconstructed = json.loads(result.stdout)
    assert reconstructed.pop("before_adjudication") is True
    assert reconstructed == before
    text = run_cli("agree", mine_path, theirs_path, "--before-adjudication").stdout.decode()
    assert text.startswith("before adjudication: 1 statement(s) put back")
    assert run_cli("agree", mine_path, theirs_path, "--before-adjudication", "--by-annotator").returncode == 1
    # split by annotator, my project (the reference) stays whole as the review reads it: the copies I accepted are
    # mine, not a "bob" of my own file (a newcomer's finding: "ana.sqlite:bob" against bob, α_u -6.4)
    split = json.loads(run_cli("agree", mine_path, theirs_path, "--json", "--by-annotator").stdout)
    assert split["labels"] == after["labels"]
    assert "ana.sqlite:bob" not in json.dumps(split)


def test_agree_says_what_the_readers_noted_of_an_export_on_stderr(tmp_path):
    """A doccano file whose offsets may count code points is compared as read, and the reader's warning is printed
    (it was dropped: the figures then compared spans read one way, unsaid); the --json answer stays clean."""
    text = "Seoul 😀 said: the 𝐃𝐏𝐑𝐊 threatens peace.\r\nWe urge restraint."
    start = text.index("threatens")

    def doccano(name: str, shift: int) -> str:
        path = tmp_path / name
        line = {"id": 1, "text": text, "label": [[start + shift, start + shift + 9, "threat"]]}
        path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
        return str(path)

    ours = doccano("ours.jsonl", 5)  # UTF-16 units: the emoji and four bold letters count two each
    bob = doccano("bob.jsonl", 0)  # code points: UTF-16 units read it too, three letters to the left
    said = run_cli("agree", ours, bob, "--json")
    assert said.returncode == 0, said.stderr
    json.loads(said.stdout)  # the answer alone on stdout
    err = said.stderr.decode()
    assert "annotator: warning: bob.jsonl: its offsets may count code points" in err, err
    assert "ours.jsonl" not in err, err
    assert "annotator agree ... --offsets codepoints" in err, err  # advice the command itself can follow
    assert json.loads(said.stdout)["overall"]["exact"]["f1"] == 0.0  # read so, "𝐑𝐊 thre" is not "threatens"
    ours_cp = doccano("ours_cp.jsonl", 0)  # our side in code points too: both files read so when told
    said = run_cli("agree", ours_cp, bob, "--json", "--offsets", "codepoints")
    assert said.returncode == 0, said.stderr
    assert json.loads(said.stdout)["overall"]["exact"]["f1"] == 1.0
    assert "warning" not in said.stderr.decode()


def test_agree_table_keeps_its_columns_beside_an_escaped_label(tmp_path):
    """Trial 12, F8 side note: a colleague's label with a bidi override is printed escaped
    (``sanction\\u202e<b>x</b>``), wider than raw; its row's figures must stay under their headers."""
    odd = "sanction\u202e<b>x</b>"
    files = []
    for name, spans in (("mine", [(0, 2, odd), (3, 7, "threat")]), ("theirs", [(0, 2, odd), (8, 12, "threat")])):
        path = tmp_path / f"{name}.jsonl"
        record = {"text": "We urge calm and restraint.",
                  "spans": [{"start": s, "end": e, "label": lb} for s, e, lb in spans]}
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        files.append(path)
    done = run_cli("agree", *files, env={"ANNOTATOR_DATA_DIR": os.environ["ANNOTATOR_DATA_DIR"]})
    out = done.stdout.decode("utf-8")
    assert done.returncode == 0, done.stderr
    assert "\u202e" not in out and "sanction\\u202e<b>x</b>" in out
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("label "))
    rows = lines[header:header + 4]  # the header, two labels, (overall)
    assert any(r.startswith("sanction\\u202e") for r in rows), rows
    ends = {len(r) for r in rows}  # every column right-aligned under its header: rows end at the same place
    assert len(ends) == 1, rows
    assert {r.index(" " * 2 + r.split()[1]) for r in rows[1:]} == {rows[0].index("  A")}, rows
