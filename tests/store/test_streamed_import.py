"""A large JSON Lines file is imported in batches inside one transaction (issue #14): read line by line, never held
whole, and still in whole or not at all. ``STREAM_BYTES`` is 0 here, so small files take the streamed path, and
batches are of 2 documents, so every file spans several of them."""

from __future__ import annotations

import json
import sqlite3
import tracemalloc
from pathlib import Path

import pytest

from annotator.errors import FormatError
from annotator.formats import jsonl
from annotator.store import Project, transfer
from tests.helpers import content
from tests.hostile import PIECES
from tests.store.streaming import stream_imports

RECORDS = [
    {"text": "Seoul 😀 said:\r\nThe 𝐃𝐏𝐑𝐊 threatens peace.", "spans": [{"start": 0, "end": 5, "label": "threat"}],
     "meta": {"title": "first", "issuer": "MFA", "date": "2024-01-02"}},
    {"text": "We commit to defend our allies.", "spans": [{"start": 3, "end": 9, "label": "commitment",
                                                          "annotator": "kim"}]},
    {"text": "Rejected task.", "answer": "reject"},
    {"text": "한국어 문장입니다. e\u0301", "label": "statement"},
    {"text": "We commit to defend our allies.", "spans": [{"start": 3, "end": 9, "label": "commitment",
                                                          "annotator": "kim"}, {"start": 0, "end": 2, "label": "x"}]},
    *({"text": f"Statement {i}: {piece}", "spans": [{"start": 0, "end": 9, "label": "threat"}]}
      for i, piece in enumerate(PIECES) if piece.strip()),
]


@pytest.fixture
def streamed(monkeypatch):
    stream_imports(monkeypatch)


def write_jsonl(path: Path, records: list, bom: bool = False, crlf: bool = False) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    text = ("\r\n" if crlf else "\n").join(lines[:3] + [""] + lines[3:]) + "\n"  # a blank line too
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8", "surrogatepass"))
    return path


def rows(path: Path) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        docs = conn.execute("SELECT id, title, source, text, sha256, status, date, issuer FROM documents ORDER BY id")
        spans = conn.execute('SELECT doc_id, start, "end", label, annotator FROM spans ORDER BY id')
        imports = conn.execute("SELECT doc_id, file_name, file_sha256, extractor FROM imports ORDER BY doc_id")
        return [*docs.fetchall(), *spans.fetchall(), *imports.fetchall()]
    finally:
        conn.close()


def import_into(path: Path, source: Path):  # type: ignore[no-untyped-def]
    with Project.open(path, create=True, user="tester") as project:
        return transfer.import_paths(project, [source])


@pytest.mark.parametrize(("bom", "crlf"), [(False, False), (True, True)])
def test_the_streamed_import_stores_what_the_whole_file_import_stores(tmp_path, monkeypatch, bom, crlf):
    source = write_jsonl(tmp_path / "in.jsonl", RECORDS, bom, crlf)
    whole = import_into(tmp_path / "whole.sqlite", source)
    stream_imports(monkeypatch)
    calls = []
    monkeypatch.setattr(jsonl, "read", lambda *a, **k: calls.append(a) or pytest.fail("read whole"))
    streamed = import_into(tmp_path / "streamed.sqlite", source)
    assert rows(tmp_path / "streamed.sqlite") == rows(tmp_path / "whole.sqlite")
    assert streamed.rejected == whole.rejected == []
    for field in ("spans", "present_spans", "skipped_tasks", "doc_labels", "spans_by_annotator", "new_labels"):
        assert getattr(streamed, field) == getattr(whole, field), field
    assert len(streamed.imported) == len(whole.imported)


def test_a_bad_line_after_many_batches_leaves_the_project_as_it_was(tmp_path, streamed):
    project_path = tmp_path / "p.sqlite"
    import_into(project_path, write_jsonl(tmp_path / "first.jsonl", RECORDS[:2]))
    before = content(project_path)
    bad = tmp_path / "bad.jsonl"
    write_jsonl(bad, [*RECORDS, {"text": "x", "spans": [{"start": 0, "end": 5, "label": "threat"}]}])
    with bad.open("ab") as fh:
        fh.write(b"{not json\n")
    report = import_into(project_path, bad)
    assert report.imported == [] and len(report.rejected) == 1
    message = report.rejected[0][1]
    assert "nothing from this file was imported" in message[0]
    assert any(p.startswith(f"line {len(RECORDS) + 2}:") for p in message), message  # the span past the end
    assert any(p.startswith(f"line {len(RECORDS) + 3}:") and "not valid JSON" in p for p in message), message
    assert content(project_path) == before


def test_an_empty_file_is_refused_as_before(tmp_path, streamed):
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"\n\n")
    report = import_into(tmp_path / "p.sqlite", empty)
    assert report.rejected and "no documents" in " ".join(report.rejected[0][1])


def test_a_json_array_is_not_streamed(tmp_path, streamed):
    array = tmp_path / "a.jsonl"
    array.write_text(json.dumps(RECORDS[:2]))
    assert not jsonl.Stream.takes(array)
    report = import_into(tmp_path / "p.sqlite", array)
    assert len(report.imported) == 2


def test_the_stream_holds_one_batch_not_the_file(tmp_path, monkeypatch):
    """60 statements of 200 KB (12 MB): read whole, the file is held several times over; streamed in batches
    of 5, the Python heap's peak stays a few batches' worth, under half the file."""
    monkeypatch.setattr(jsonl, "STREAM_BATCH", 5)
    big = tmp_path / "big.jsonl"
    with big.open("w", encoding="utf-8") as fh:
        for i in range(60):
            fh.write(json.dumps({"text": f"{i} " + "word " * 40_000, "spans": [{"start": 0, "end": 1, "label": "a"}]})
                     + "\n")
    size = big.stat().st_size
    with Project.open(tmp_path / "p.sqlite", create=True, user="tester") as project:
        monkeypatch.setattr(transfer, "STREAM_BYTES", 0)
        tracemalloc.start()
        transfer.import_paths(project, [big])
        streamed_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert project.stats()["documents"] == 60
    with Project.open(tmp_path / "q.sqlite", create=True, user="tester") as project:
        monkeypatch.setattr(transfer, "STREAM_BYTES", 1 << 40)
        tracemalloc.start()
        transfer.import_paths(project, [big])
        whole_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert whole_peak > size  # read whole: at least the file
    assert streamed_peak < size / 2 < whole_peak / 2, (streamed_peak, size, whole_peak)


def test_stream_problems_are_raised_after_the_last_line(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'{"text": "a"}\n[1]\n{"text": "b"}\n')
    stream = jsonl.Stream(path, 1)
    got = []
    with pytest.raises(FormatError) as refused:
        for batch in stream:
            got += batch
    assert [d.text for d in got] == ["a"]  # written before the refusal, rolled back by the caller's transaction
    assert refused.value.problems == ["line 2: expected a JSON object, got a list"]


def test_progress_within_a_file_and_a_cancel_between_its_batches_leaves_it_out_whole(tmp_path, streamed):
    source = write_jsonl(tmp_path / "a.jsonl", RECORDS, crlf=True)
    size = source.stat().st_size
    seen: list[tuple[int, int]] = []
    with Project.open(tmp_path / "p.sqlite", create=True, user="tester") as project:
        report = transfer.import_paths(project, [source], within=lambda read, total: seen.append((read, total)))
        whole = project.stats()["documents"]
    assert not report.cancelled and whole > 3
    assert len(seen) >= 3 and {total for _, total in seen} == {size}
    assert [read for read, _ in seen] == sorted(read for read, _ in seen) and seen[-1][0] == size
    asked: list[tuple[int, int]] = []
    with Project.open(tmp_path / "q.sqlite", create=True, user="tester") as project:
        report = transfer.import_paths(project, [source, source], cancelled=lambda: len(asked) >= 2,
                                       within=lambda read, total: asked.append((read, total)))
        assert report.cancelled and report.imported == [] and len(asked) == 2
        assert project.stats()["documents"] == 0  # two batches were written, and rolled back with the file
        report = transfer.import_paths(project, [source])  # the connection goes on: the file goes in whole
        assert project.stats()["documents"] == whole and len(report.imported) == whole
    assert "left out" in transfer.ImportReport(cancelled=True).summary_lines()[-1]
