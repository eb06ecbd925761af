"""Offsets survive import → store → export exactly, on hostile text (DESIGN.md §2.1, §2.4)."""

import csv
import io
import json
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings

from annotator.core.model import IncomingDocument
from annotator.core.neutral import csv_cell_original
from annotator.store import Project
from annotator.store.transfer import export_project, import_paths
from tests.hostile import hostile_text, text_and_spans


def jsonl_line(text, spans, annotator="ann"):
    return json.dumps(
        {"text": text, "spans": [{"start": s, "end": e, "label": lb} for s, e, lb in spans],
         "_annotator_id": annotator},
        ensure_ascii=False,
    )


def export(project, fmt, path):
    export_project(project, fmt, path)
    return path.read_bytes()


@settings(max_examples=40)
@given(text_and_spans())
def test_jsonl_import_export_keeps_text_and_offsets_exactly(tmp_path_factory, case):
    text, spans = case
    tmp = tmp_path_factory.mktemp("rt")
    src = tmp / "in.jsonl"
    src.write_text(jsonl_line(text, spans) + "\n", encoding="utf-8")
    with Project.open(tmp / "p.sqlite", create=True) as p:
        report = import_paths(p, [src])
        assert not report.rejected, report.rejected
        (line,) = export(p, "jsonl", tmp / "out.jsonl").decode("utf-8").splitlines()
        rows = [orjson.loads(x) for x in export(p, "spans", tmp / "spans.jsonl").splitlines()]
        csv_rows = list(csv.DictReader(io.StringIO(export(p, "csv", tmp / "o.csv").decode("utf-8"), newline="")))
    out = json.loads(line)
    assert out["text"] == text  # stored verbatim: CRLF, CR, BOM-like characters and all
    got = sorted((s["start"], s["end"], s["label"]) for s in out["spans"])
    assert got == sorted(spans)
    for s in out["spans"]:
        assert out["text"][s["start"] : s["end"]] == s["text"]
        assert s["annotator"] == "ann"
    assert [(s["start"], s["end"], s["label"]) for s in out["spans"]] == sorted(got)
    for row in rows:
        assert text[row["start"] : row["end"]] == row["text"]
    assert len(csv_rows) == len(spans)
    for row in csv_rows:  # a cell a spreadsheet would run has a ' in front (README): one removed gives the text
        assert text[int(row["start"]) : int(row["end"])] == csv_cell_original(row["text"])


@settings(max_examples=30)
@given(hostile_text)
def test_plain_text_import_normalises_line_endings_and_exports_it(tmp_path_factory, text):
    tmp = tmp_path_factory.mktemp("txt")
    src = tmp / "s.txt"
    src.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    with Project.open(tmp / "p.sqlite", create=True) as p:
        report = import_paths(p, [src])
        if not text.strip() or "\x00" in text:  # only the one BOM is dropped; a U+FEFF after it is text
            assert report.rejected
            return
        assert not report.rejected, report.rejected
        stored = p.document(p.documents()[0].id).text
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert stored == expected


def test_export_is_atomic_old_file_stays_on_failure(tmp_path, monkeypatch):
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        import_paths(p, ["sample_docs"])
        target = tmp_path / "out.jsonl"
        target.write_bytes(b"old export\n")

        def broken(items, out):
            out.write(b"partial")
            raise OSError(28, "No space left on device")

        monkeypatch.setitem(__import__("annotator.formats").formats.STREAM_WRITERS, "jsonl", broken)
        with pytest.raises(Exception, match="No space left"):
            export_project(p, "jsonl", target)
    assert target.read_bytes() == b"old export\n"
    assert sorted(x.name for x in tmp_path.iterdir() if x.name.startswith(".out")) == []


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "brat"])
def test_an_export_counts_its_documents_and_a_cancel_from_its_step_writes_nothing(tmp_path, fmt):
    from annotator.store.transfer import Cancelled

    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        import_paths(p, ["sample_docs"])
        p.import_documents([IncomingDocument(f"Text {i}.", f"t{i}") for i in range(5)])
        total = len(p.documents())
        seen: list[int] = []
        target = tmp_path / ("out" if fmt == "brat" else f"out.{fmt}")
        export_project(p, fmt, target, step=seen.append)
        assert seen == list(range(1, total + 1))
        again = tmp_path / ("again" if fmt == "brat" else f"again.{fmt}")

        def cancel_at_three(n: int) -> None:
            if n == 3:
                raise Cancelled

        with pytest.raises(Cancelled):
            export_project(p, fmt, again, step=cancel_at_three)
    assert not again.exists()
    assert [x.name for x in tmp_path.iterdir() if x.name.startswith(".")] == []  # no temporary file or folder


def test_prodigy_db_out_answers_and_annotators(tmp_path):
    lines = [
        {"text": "We urge calm.", "spans": [{"start": 3, "end": 7, "label": "CALL", "token_start": 1}],
         "_annotator_id": "proj-alice", "answer": "accept"},
        {"text": "Rejected one.", "spans": [], "answer": "reject"},
        {"text": "Ignored one.", "answer": "ignore"},
    ]
    src = tmp_path / "db.jsonl"
    src.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        report = import_paths(p, [src])
        assert report.skipped_tasks == 2 and len(report.imported) == 1
        assert report.new_labels == ["CALL"]
        (span,) = p.spans(p.documents()[0].id)
        assert (span.start, span.end, span.label, span.annotator) == (3, 7, "CALL", "proj-alice")


def test_invalid_lines_reject_the_whole_file_naming_each_line(tmp_path):
    src = tmp_path / "bad.jsonl"
    src.write_text(
        "\n".join([
            json.dumps({"text": "fine", "spans": [{"start": 0, "end": 2, "label": "x"}]}),
            "{broken",
            json.dumps({"text": "abc", "spans": [{"start": 1, "end": 9, "label": "x"}]}),
            json.dumps({"text": "abc", "spans": [{"start": "1", "end": 2, "label": "x"}]}),
            json.dumps({"text": "abc", "spans": [{"start": 0, "end": 2, "label": ""}]}),
            json.dumps({"text": "abc", "spans": [{"start": 0, "end": 2, "label": "x", "text": "bc"}]}),
            json.dumps(["not", "an", "object"]),
            '{"text": "lone \\ud800 surrogate"}',
        ]) + "\n"
    )
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        report = import_paths(p, [src])
        assert p.documents() == []
    (path, problems) = report.rejected[0]
    text = "\n".join(problems)
    for n in range(2, 9):
        assert f"line {n}:" in text
    assert "line 1:" not in text


class _Plain:
    """``iter_documents`` without its fast read: the writers take the generic path over Span objects."""

    def __init__(self, items):
        self._items = list(items)

    def __iter__(self):
        return iter(self._items)


def fast_jsonl(project, status):
    from annotator import formats

    out = io.BytesIO()
    formats.STREAM_WRITERS["jsonl"](project.iter_documents(status), out)
    return out.getvalue()


@pytest.mark.parametrize("status", [None, "done", "todo"])
def test_fast_export_read_writes_the_same_bytes_as_the_generic_path(tmp_path, status):
    from annotator import formats
    from annotator.core.model import IncomingDocument, IncomingSpan

    docs = [
        IncomingDocument(f"statement {i}: we \u2028urge 😀 restraint\r\nnow", f"d{i}",
                         spans=[IncomingSpan(s, s + 3, lb, "kim", "note\u2029") for s, lb in spans])
        for i, spans in enumerate([[(0, "threat"), (4, "threat"), (0, "commitment")], [], [(2, "call")], [(1, "x")]])
    ]
    with Project.open(tmp_path / "p.sqlite", create=True, user="ann", populate=docs) as p:
        p.set_status(1, "done")
        p.set_status(3, "done")
        p.delete_span(p.spans(4)[0].id)
        p.add_span(1, 5, 9, "threat", origin="bob@bob.jsonl")  # statement 1: spans with and without an origin
        for fmt, writer in formats.STREAM_WRITERS.items():
            fast, slow = io.BytesIO(), io.BytesIO()
            n_fast = writer(p.iter_documents(status), fast)
            n_slow = writer(_Plain(p.iter_documents(status)), slow)
            assert (n_fast, fast.getvalue()) == (n_slow, slow.getvalue()), fmt
            if fmt != "csv":  # JSON lines escape the Unicode line breaks; a CSV field keeps them as they are
                assert b"\xe2\x80\xa8" not in fast.getvalue() and b"\xe2\x80\xa9" not in fast.getvalue()
        if status != "todo":  # statement 1 is done
            lines = [orjson.loads(line) for line in fast_jsonl(p, status).splitlines()]
            origins = [s.get("origin") for s in lines[0]["spans"]]
            assert origins == ["", "", "", "bob@bob.jsonl"], origins  # by start: 0, 0, 4, then 5
        expected = {None: 4, "done": 2, "todo": 1}[status]  # deleting a span put statement 4 in progress
        assert formats.STREAM_WRITERS["jsonl"](p.iter_documents(status), io.BytesIO()) == expected


def test_exports_projects_and_backups_get_the_usual_permissions(tmp_path):
    """Written through mkstemp (0600), they would be unreadable to colleagues on a shared drive."""
    import os
    import stat

    from annotator.store import backups

    mask = os.umask(0o022)
    os.umask(mask)  # read, and put back as it was
    usual = 0o666 & ~mask
    with Project.open(tmp_path / "p.sqlite", create=True, user="ann") as p:
        export_project(p, "jsonl", tmp_path / "out.jsonl")
        made = backups.backup_project(p)
    mode = lambda path: stat.S_IMODE(path.stat().st_mode)  # noqa: E731
    assert mode(tmp_path / "p.sqlite") == mode(tmp_path / "out.jsonl") == mode(made) == usual
    (tmp_path / "out.jsonl").chmod(0o640)  # an export over an existing file keeps that file's permissions
    with Project.open(tmp_path / "p.sqlite", user="ann") as p:
        export_project(p, "jsonl", tmp_path / "out.jsonl")
    assert mode(tmp_path / "out.jsonl") == 0o640


@pytest.mark.parametrize("frozen", sorted((Path(__file__).parent.parent / "store" / "frozen").glob("v*.sqlite")),
                         ids=lambda p: p.name)
def test_projects_of_every_earlier_version_export_the_same_bytes_fast_and_generic(tmp_path, frozen):
    """Project files this version did not make (``tests/store/frozen``: one per schema version, migrated on open)
    through the fast export read: each stream format writes the generic path's bytes, and every jsonl span's
    text is its statement's text at its offsets."""
    import shutil

    from annotator import formats

    path = tmp_path / frozen.name
    shutil.copyfile(frozen, path)
    with Project.open(path, user="ann") as p:
        for fmt, writer in formats.STREAM_WRITERS.items():
            fast, slow = io.BytesIO(), io.BytesIO()
            assert writer(p.iter_documents(), fast) == writer(_Plain(p.iter_documents()), slow)
            assert fast.getvalue() == slow.getvalue(), fmt
        records = [orjson.loads(line) for line in fast_jsonl(p, None).splitlines()]
        assert records and sum(len(r["spans"]) for r in records) == p.stats()["spans"]
        for r in records:
            assert all(r["text"][s["start"]:s["end"]] == s["text"] for s in r["spans"])
