"""The full-text index after a JSONL import (issue 12: kept in step with every import, in the same transaction):
read whole or streamed in batches, every statement is found by its own word and by its title, FTS5's own check
passes, a re-import adds nothing to the index, and a file refused at its last line leaves the index as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.search.query import parse
from annotator.store import Project, search, search_index, transfer
from tests.store.streaming import stream_imports

WORDS = ["zeppelin", "ÉVIAN", "quokka", "한국어", "naïve", "ironclad", "𝐃elta", "crlf"]


def _records() -> list[dict]:
    return [{"text": f"Statement {i} says {w}.\r\nA second line.", "meta": {"title": f"Title{i}x"}}
            for i, w in enumerate(WORDS)]


def _write(path: Path, records: list) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _found(project: Project, query: str) -> list[int]:
    return sorted({h.doc_id for h in search.search_all(project.conn, parse(query))})


def _fts_rows(project: Project) -> int:
    return project.conn.execute("SELECT count(*) FROM search_fts_docsize").fetchone()[0]


@pytest.mark.parametrize("streamed", [False, True])
def test_a_jsonl_import_is_indexed_and_a_refused_one_leaves_the_index_as_it_was(tmp_path, monkeypatch, streamed):
    if streamed:
        stream_imports(monkeypatch, batch=3)
    source = _write(tmp_path / "in.jsonl", _records())
    with Project.open(tmp_path / "p.sqlite", create=True, user="tester") as project:
        report = transfer.import_paths(project, [source])
        assert len(report.imported) == len(WORDS) and not report.rejected
        ids = {d.title: d.id for d in project.documents()}
        for i, word in enumerate(WORDS):
            assert _found(project, word) == [ids[f"Title{i}x"]], word
        assert _found(project, "evian") == [ids["Title1x"]]  # folded across Unicode
        assert len(_found(project, "second")) == len(WORDS)
        assert project.documents(search="title3x").ids == [ids["Title3x"]]  # titles are indexed too
        assert search_index.check(project.conn) is None
        indexed = _fts_rows(project)
        assert indexed == len(WORDS)

        # the same file again: every statement is already here, nothing is indexed twice
        again = transfer.import_paths(project, [source])
        assert len(again.duplicates) == len(WORDS) and _fts_rows(project) == indexed
        assert search_index.check(project.conn) is None

        # new statements, then a bad last line: the file is refused whole, the batches before it rolled back
        bad = _write(tmp_path / "bad.jsonl", [{"text": f"Fresh {w} pelican."} for w in WORDS]
                     + [{"text": "broken", "spans": [{"start": 5, "end": 99, "label": "x"}]}])
        refused = transfer.import_paths(project, [bad])
        assert refused.rejected and f"line {len(WORDS) + 1}" in " ".join(refused.rejected[0][1])
        assert _found(project, "pelican") == [] and _fts_rows(project) == indexed
        assert search_index.check(project.conn) is None
