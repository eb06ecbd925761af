"""Agreement over 1 000 documents × 2 annotators (≤ 1 s): in process and through ``annotator agree``.

The second annotator mostly agrees, shifts some boundaries by a word, relabels some spans, misses some and adds a
few of their own. In process, the baseline is the floor of the work: exact matching by set intersection plus one
pass counting non-whitespace characters. For the command, it is the interpreter starting with sqlite-utils.
"""

from __future__ import annotations

import random
import shutil
import sys

from annotator.core.agreement import AnnotationSet, compare
from annotator.core.model import IncomingDocument
from annotator.core.text import sha256_text
from annotator.store import Project
from annotator.store.transfer import export_project
from tests.benchmarks import data
from tests.benchmarks.common import Context, Row, Target, annotator_cmd, interleaved, median, run_wall

NAME = "agree"
MEASURES = (
    "agreement 1 000 docs × 2 annotators (compare())",
    "agreement 1 000 docs × 2 annotators (annotator agree, projects)",
    "agreement 1 000 docs × 2 annotators (annotator agree, JSONL)",
)
TARGET = Target(max_figure=1.0, unit="s")


def _floor(
    a: list[tuple[str, str, list[tuple[int, int, str]]]], b: list[tuple[str, str, list[tuple[int, int, str]]]]
) -> int:
    """Exact matches by set intersection, plus the non-whitespace count of each text: the least any κ needs."""
    sa = {(sha, *s) for sha, _, spans in a for s in spans}
    sb = {(sha, *s) for sha, _, spans in b for s in spans}
    chars = sum(len("".join(text.split())) for _, text, _ in a)
    return len(sa & sb) + chars


def run(ctx: Context) -> list[Row]:
    n = ctx.size(1000)
    rng = random.Random(31)
    docs_a = list(data.statements(n, 2000, seed=31, spans_each=20))
    docs_b = [IncomingDocument(d.text, d.title, d.source, data.second_annotator(d.text, d.spans, rng)) for d in docs_a]
    rows_a = [(sha256_text(d.text), d.text, [(s.start, s.end, s.label) for s in d.spans]) for d in docs_a]
    rows_b = [(sha256_text(d.text), d.text, [(s.start, s.end, s.label) for s in d.spans]) for d in docs_b]
    set_a, set_b = AnnotationSet.from_rows("a", rows_a), AnnotationSet.from_rows("b", rows_b)
    ctx.note(f"agree: {n} documents, {sum(len(r[2]) for r in rows_a)} + {sum(len(r[2]) for r in rows_b)} spans")

    compare_t, floor_t = interleaved([lambda: compare(set_a, set_b), lambda: _floor(rows_a, rows_b)], ctx.repeats(7, 2))
    out = [Row(MEASURES[0], median(compare_t), "s", median(floor_t), "exact-match floor", TARGET)]

    work = ctx.workdir / "agree"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    files = []
    for name, docs in (("kim", docs_a), ("sato", docs_b)):
        path = work / f"{name}.sqlite"
        with Project.open(path, create=True, user=name) as project:
            project.import_documents(docs)
            export_project(project, "jsonl", work / f"{name}.jsonl")
        files.append(path)
    cmd = annotator_cmd()
    projects = [*cmd, "agree", str(files[0]), str(files[1]), "--json"]
    exports = [*cmd, "agree", str(work / "kim.jsonl"), str(work / "sato.jsonl"), "--json"]
    floor = [sys.executable, "-c", "import sqlite_utils"]
    proj_t, jsonl_t, floor_t = interleaved(
        [lambda: run_wall(projects), lambda: run_wall(exports), lambda: run_wall(floor)], ctx.repeats(5, 1)
    )
    base = median(floor_t)
    out.append(Row(MEASURES[1], median(proj_t), "s", base, "python+sqlite_utils", TARGET))
    out.append(Row(MEASURES[2], median(jsonl_t), "s", base, "python+sqlite_utils", TARGET))
    shutil.rmtree(work, ignore_errors=True)
    return out
