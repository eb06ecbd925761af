"""Export 100 000 spans as JSONL vs plain ``sqlite3`` reads of the same rows + orjson (throughput ≥ 0.6×).

The export runs end to end (``export_project``: read every document and its spans from the project file, build
the records, write them through the atomic temporary file). The baseline is the least work the JSONL contract
allows: plain ``sqlite3`` reads of the same project file (one ordered query over the documents, one over their
spans, walked side by side so each text is read once), the same records built from those rows, serialised with
orjson and written to a file; the run checks both wrote the same bytes. (Until 2026-11 the baseline serialised
records already built in memory, which no export that reads a file can match.)
"""

from __future__ import annotations

import shutil
import sqlite3
from itertools import groupby
from operator import itemgetter
from pathlib import Path

import orjson

from annotator.store import Project
from annotator.store.transfer import export_project
from tests.benchmarks import data
from tests.benchmarks.common import Context, Row, Target, interleaved, median

NAME = "export"
MEASURES = ("export 100 000 spans as JSONL",)
SPANS_PER_DOC = 100

_DOCS_SQL = "SELECT id, title, source, sha256, status, date, issuer, url, note, text FROM documents ORDER BY id"
_SPANS_SQL = (
    'SELECT doc_id, start, "end", label, annotator, note, id, origin FROM spans '
    'ORDER BY doc_id, start, "end", label, id'
)


def cursor_and_orjson(project_file: Path, out_file: Path) -> int:
    """The baseline: plain ``sqlite3`` reads of the documents and of their spans in order (walked side by side, so
    each text is read once), the JSONL records built from those rows, orjson, one file written."""
    conn = sqlite3.connect(f"file:{project_file}?mode=ro", uri=True)
    dumps = orjson.dumps
    n = 0
    try:
        values: dict[int, dict] = {}  # the project's own variables (schema 3), as the export reads them
        for doc_id, name, value in conn.execute("SELECT doc_id, variable, value FROM document_values"):
            values.setdefault(doc_id, {})[name] = value
        groups = groupby(conn.execute(_SPANS_SQL), itemgetter(0))
        pending = next(groups, None)
        with open(out_file, "wb") as out:
            for doc_id, title, source, sha, status, date, issuer, url, note, text in conn.execute(_DOCS_SQL):
                spans: list[tuple] = []
                if pending is not None and pending[0] == doc_id:
                    spans = list(pending[1])
                    pending = next(groups, None)
                record = {
                    "text": text,
                    "spans": [
                        {"start": a, "end": b, "label": lb, "text": text[a:b], "annotator": who, "note": note, "id": i,
                         "origin": origin or ""}
                        for _, a, b, lb, who, note, i, origin in spans
                    ],
                    "meta": {"doc_id": doc_id, "title": title, "source": source, "sha256": sha, "status": status,
                             "date": date, "issuer": issuer, "url": url, "note": note,
                             "variables": values.get(doc_id, {})},
                }
                out.write(dumps(record))
                out.write(b"\n")
                n += 1
    finally:
        conn.close()
    return n


def run(ctx: Context) -> list[Row]:
    total = ctx.size(100_000)
    n_docs = max(1, total // SPANS_PER_DOC)
    work = ctx.workdir / "export"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    path = work / "export.sqlite"
    with Project.open(path, create=True, user="bench") as project:
        project.import_documents(data.statements(n_docs, 5000, seed=23, spans_each=SPANS_PER_DOC))
        n_spans = project.stats()["spans"]
    ctx.note(f"export: {n_docs} documents, {n_spans} spans")
    out_file = work / "out.jsonl"
    base_file = work / "baseline.jsonl"

    with Project.open(path, user="bench") as project:

        def export() -> None:
            assert export_project(project, "jsonl", out_file) == n_docs

        def baseline() -> None:
            assert cursor_and_orjson(path, base_file) == n_docs

        export_t, base_t = interleaved([export, baseline], ctx.repeats(7, 2))
    if out_file.read_bytes() != base_file.read_bytes():
        raise RuntimeError("the baseline did not write the bytes the export wrote: it measures other work")
    shutil.rmtree(work, ignore_errors=True)
    figure = n_spans / median(export_t) / 1000
    baseline_figure = n_spans / median(base_t) / 1000
    return [Row(MEASURES[0], figure, "k spans/s", baseline_figure, "cursor+orjson", Target(min_ratio=0.6))]
