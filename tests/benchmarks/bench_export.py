"""Export 100 000 spans as JSONL vs serialising the same records with orjson alone (throughput ≥ 0.5×).

The export runs end to end (``export_project``: read every document and its spans from the project file, build
the records, write them through the atomic temporary file). The baseline is the fastest JSON library turning the
very same records, already built in memory, into JSONL bytes.
"""

from __future__ import annotations

import io
import shutil

import orjson

from annotator.formats import jsonl
from annotator.store import Project
from annotator.store.transfer import export_project
from tests.benchmarks import data
from tests.benchmarks.common import Context, Row, Target, interleaved, median

NAME = "export"
MEASURES = ("export 100 000 spans as JSONL",)
SPANS_PER_DOC = 100


def run(ctx: Context) -> list[Row]:
    total = ctx.size(100_000)
    n_docs = max(1, total // SPANS_PER_DOC)
    work = ctx.workdir / "export"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    path = work / "export.sqlite"
    with Project.open(path, create=True, user="bench") as project:
        project.import_documents(data.statements(n_docs, 5000, seed=23, spans_each=SPANS_PER_DOC))
        records = [jsonl.record(doc, spans) for doc, spans in project.iter_documents()]
    n_spans = sum(len(r["spans"]) for r in records)
    ctx.note(f"export: {n_docs} documents, {n_spans} spans")
    out_file = work / "out.jsonl"

    with Project.open(path, user="bench") as project:

        def export() -> None:
            assert export_project(project, "jsonl", out_file) == n_docs

        def orjson_only() -> None:
            buf = io.BytesIO()
            dumps = orjson.dumps
            for rec in records:
                buf.write(dumps(rec))
                buf.write(b"\n")
            assert buf.tell() > 0

        export_t, base_t = interleaved([export, orjson_only], ctx.repeats(7, 2))
    shutil.rmtree(work, ignore_errors=True)
    figure = n_spans / median(export_t) / 1000
    baseline = n_spans / median(base_t) / 1000
    return [Row(MEASURES[0], figure, "k spans/s", baseline, "orjson", Target(min_ratio=0.5))]
