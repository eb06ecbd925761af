"""``annotator search PROJECT QUERY`` (issue 12): keyword in context as text or JSON, offsets in code points,
filters by label, a malformed query is exit 1 with one line, and it only reads (beside a window that edits)."""

from __future__ import annotations

import json

import pytest

from annotator.core.model import IncomingDocument
from annotator.store import Project
from tests.helpers import content, run_cli

HOSTILE = "😀 e\u0301vian\r\nשלום IRONCLAD 👩\u200d👩\u200d👧 ironclad."


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "p.sqlite"
    assert run_cli("import", path, "sample_docs").returncode == 0
    with Project.open(path) as p:
        p.import_documents([IncomingDocument(HOSTILE, "hostile", note="memo: ironclad")])
    return path


def _json(*args):
    result = run_cli("search", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_json_hits_are_the_texts_own_characters(project):
    out = _json(project, "ironclad")
    assert out["total"] == len(out["hits"]) == 4 and out["documents"] == 2
    with Project.open(project, readonly=True, trusted=True) as p:
        for hit in out["hits"]:
            doc = p.document(hit["doc_id"])
            source = doc.note if hit.get("field") == "note" else doc.text
            assert source[hit["start"] : hit["end"]] == hit["match"]
            assert hit["left"] == source[max(0, hit["start"] - 40) : hit["start"]]
            assert hit["right"] == source[hit["end"] : hit["end"] + 40]
            assert hit["sha256"] == doc.sha256 and hit["title"] == doc.title
    assert set(out["hits"][0]) == {"doc_id", "sha256", "title", "start", "end", "left", "match", "right"}
    assert [h.get("field") for h in out["hits"]].count("note") == 1


def test_context_regex_and_diacritics(project):
    out = _json(project, "ÉVIAN", "--context", "3")
    assert [(h["left"], h["match"], h["right"]) for h in out["hits"]] == [("😀 ", "e\u0301vian", "\r\nש")]
    assert _json(project, "évian", "--exact-diacritics")["total"] == 1
    assert _json(project, "evian", "--exact-diacritics")["total"] == 0
    out = _json(project, r"IRON\w+ 👩", "--regex")
    assert [h["match"] for h in out["hits"]] == ["IRONCLAD 👩"]


def test_label_filters(project):
    with Project.open(project) as p:
        doc = next(d.id for d in p.documents() if d.title == "hostile")
        start = HOSTILE.index("IRONCLAD")
        p.add_span(doc, start, start + 8, "threat")
    assert [h["match"] for h in _json(project, "ironclad", "--label", "threat")["hits"]] == ["IRONCLAD"]
    assert len(_json(project, "ironclad", "--unlabelled")["hits"]) == 2  # not the memo hit either
    result = run_cli("search", project, "ironclad", "--label", "nope")
    assert result.returncode == 1 and b"no label 'nope'" in result.stderr


@pytest.mark.parametrize("query", ["ironclad AND", '"iron', "(a", "x:y"])
def test_a_malformed_query_exits_1_with_one_line(project, query):
    result = run_cli("search", project, query)
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("annotator: ") and b"Traceback" not in result.stderr


def test_a_runaway_regex_is_stopped_with_one_line(project, tmp_path):
    with Project.open(project) as p:
        p.import_documents([IncomingDocument("a" * 40 + "!", "runaway")])
    result = run_cli("search", project, "(a|aa)+$", "--regex")
    assert result.returncode == 1 and b"takes too long" in result.stderr


def test_text_output_and_it_only_reads(project):
    before = content(project)
    names = sorted(p.name for p in project.parent.iterdir())
    result = run_cli("search", project, '"ironclad and"')
    assert result.returncode == 0
    assert b"[ironclad and] backed" in result.stdout and b"1 hit(s) in 1 statement(s)" in result.stderr
    assert content(project) == before
    assert sorted(p.name for p in project.parent.iterdir()) == names


def test_beside_a_window_that_edits(project):
    with Project.open(project) as window:
        doc = window.documents()[0].id
        window.set_status(doc, "done")  # the window's -wal holds a change the file does not yet
        out = _json(project, "ironclad")
        assert out["total"] == 4
        window.add_span(out["hits"][0]["doc_id"], out["hits"][0]["start"], out["hits"][0]["end"], "commitment")
        assert len(_json(project, "ironclad", "--label", "commitment")["hits"]) == 1
