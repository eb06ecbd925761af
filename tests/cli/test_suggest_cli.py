"""``annotator suggest`` (issue 13): read-only, JSON in code points, figures per label."""

from __future__ import annotations

import orjson

from annotator.core.model import IncomingDocument
from annotator.store import Project
from tests.core.suggest.fixtures import PHRASES_1, SAMPLE_1, SAMPLE_2, spans_of
from tests.helpers import content, run_cli


def _project(tmp_path, done=True):
    path = tmp_path / "p.sqlite"
    docs = [IncomingDocument(SAMPLE_1, "one"), IncomingDocument(SAMPLE_2 + "\n😀\nWe urge all to act.", "two")]
    with Project.open(path, create=True, populate=docs) as p:
        for s, e, label in spans_of(SAMPLE_1, PHRASES_1):
            p.add_span(1, s, e, label)
        if done:
            p.set_status(1, "done")
    return path


def test_json_suggestions_in_code_points_and_nothing_written(tmp_path):
    path = _project(tmp_path)
    before = content(path)
    proc = run_cli("suggest", path, "--json", "--min-confidence", "0.3")
    assert proc.returncode == 0, proc.stderr
    rows = orjson.loads(proc.stdout)["suggestions"]
    assert rows and set(rows[0]) == {"doc_id", "sha256", "title", "start", "end", "label", "text", "confidence",
                                     "source"}
    assert {r["doc_id"]: r["title"] for r in rows} == {1: "one", 2: "two"}  # trial 16, F9: which statement
    texts = {1: SAMPLE_1, 2: SAMPLE_2 + "\n😀\nWe urge all to act."}
    for r in rows:
        assert texts[r["doc_id"]][r["start"] : r["end"]] == r["text"] and r["confidence"] >= 0.3
    assert any(r["text"] == "We urge all to act" for r in rows)  # after an astral character: code points
    assert content(path) == before
    only = orjson.loads(run_cli("suggest", path, "--json", "--label", "threat").stdout)["suggestions"]
    assert only and {r["label"] for r in only} == {"threat"}


def test_evaluate_prints_figures_per_label_the_same_as_json(tmp_path):
    path = _project(tmp_path)
    text = run_cli("suggest", path, "--evaluate")
    assert text.returncode == 0, text.stderr
    out = text.stdout.decode()
    assert "cross-validated on 1 statement(s) marked done" in out and "Call to action" in out
    figures = orjson.loads(run_cli("suggest", path, "--evaluate", "--json").stdout)
    assert figures["threshold"] == 0.5 and figures["documents"] == 1
    threat = figures["labels"]["threat"]
    row = next(line for line in out.splitlines() if line.startswith("Threat"))
    assert row.split()[1:4] == [f"{threat['overlap'][k]:.2f}" for k in ("precision", "recall", "f1")]


def test_bad_input_is_one_clear_line(tmp_path):
    path = _project(tmp_path, done=False)
    proc = run_cli("suggest", path, "--label", "nonsense")
    assert proc.returncode == 1 and b"no label 'nonsense'" in proc.stderr and b"Traceback" not in proc.stderr
    assert b"threat (Threat)" in proc.stderr and b"call_to_action (Call to action)" in proc.stderr  # what to give
    proc = run_cli("suggest", path, "--min-confidence", "2")
    assert proc.returncode == 1 and b"between 0 and 1" in proc.stderr
    proc = run_cli("suggest", tmp_path / "missing.sqlite")
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr


def test_evaluate_says_how_many_spans_compared_were_accepted_suggestions(tmp_path):
    """A newcomer's trial saw recall 1.00 after two finished statements where 9 of 12 spans were accepted
    suggestions, which the suggester finds again: the figures say so, and how many, when any were."""
    path = _project(tmp_path)
    plain = run_cli("suggest", path, "--evaluate").stdout.decode()
    assert "accepted suggestions" not in plain  # hand-made spans only: nothing to warn of
    assert orjson.loads(run_cli("suggest", path, "--evaluate", "--json").stdout)["accepted_suggestions"] == 0
    with Project.open(path) as p:
        spans = sorted(p.spans(1), key=lambda s: s.start)
        for span in spans[:2]:  # two of them as if accepted from the Suggestions dock
            p.conn.execute("UPDATE spans SET origin = 'suggested:pattern:x' WHERE id = ?", (span.id,))
        p.conn.commit()
    figures = orjson.loads(run_cli("suggest", path, "--evaluate", "--json").stdout)
    assert figures["accepted_suggestions"] == 2 and figures["spans_compared"] == len(spans)
    out = run_cli("suggest", path, "--evaluate").stdout.decode()
    assert f"2 of the {len(spans)} span(s) compared were accepted suggestions" in out


def test_a_label_by_the_name_the_window_shows(tmp_path):
    """Trial 16, F7: ``--label Threat`` (the name on the toolbar) was refused: only the key was known."""
    path = _project(tmp_path)
    by_key = orjson.loads(run_cli("suggest", path, "--json", "--label", "call_to_action").stdout)["suggestions"]
    by_name = run_cli("suggest", path, "--json", "--label", "call to  Action")
    assert by_name.returncode == 0, by_name.stderr
    assert by_key and orjson.loads(by_name.stdout)["suggestions"] == by_key
    found = run_cli("search", path, "urge", "--label", "Call to action")
    assert found.returncode == 0, found.stderr


def test_the_lines_name_each_statement_by_its_title(tmp_path):
    """Trial 16, F9: the text output gave statement ids only; the analyst knows her statements by title."""
    path = _project(tmp_path)
    out = run_cli("suggest", path, "--min-confidence", "0.3")
    assert out.returncode == 0, out.stderr
    lines = [line.split("\t") for line in out.stdout.decode().splitlines()]
    assert lines and {cells[0]: cells[1] for cells in lines} == {"1": "one", "2": "two"}
    assert all(len(cells) == 7 for cells in lines)
