"""A team's corpus: 100 000 statements with 10 spans each (quick mode: 1 000), as two annotators' projects.

Statements are made from a few hundred bodies of about 4 500 characters (made by ``data.statement``, with emoji,
CRLF and non-ASCII; longer than a 4 KB page, so each text overflows its row as real statements do), each statement
a body under its own numbered line, so every text is unique and the spans of a body are reused shifted. ``kim``
labels 10 spans per statement; ``sato`` is the colleague of ``data.second_annotator`` (most agree, some shift,
relabel, miss or add). Statuses are spread: 6 in 10 done, 1 skipped, 1 in progress, 2 to do.

Made once per run, in the run's folder (``Context.shared``), and copied into each module's folder: a module that
writes (the corpus window's Accept All Agreed, its File ▸ Import) changes only its own copy.
``ANNOTATOR_BENCH_CACHE=DIR`` keeps the two files in DIR between runs (keyed by size and schema version and shape),
which saves the minute it takes to make them at full size.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from annotator.core.model import IncomingDocument, IncomingSpan
from annotator.store import Project
from annotator.store.schema import SCHEMA_VERSION, expected_objects
from tests.benchmarks import data
from tests.benchmarks.common import Context

SPANS_EACH = 10
BODIES = 400
BODY_SIZE = 4500
CHUNK = 10_000


@dataclass(frozen=True)
class Corpus:
    mine: Path  # kim's project
    theirs: Path  # sato's project: the same statements, the colleague's spans
    statements: int
    spans: int


def _bodies(rng: random.Random) -> list[tuple[str, list[IncomingSpan], list[IncomingSpan]]]:
    out = []
    for k in range(BODIES):
        body = data.statement(rng, BODY_SIZE, k)
        mine = data.spans_for(body, SPANS_EACH, rng, annotator=data.ANNOTATORS[0])
        out.append((body, mine, data.second_annotator(body, mine, rng)))
    return out


def _statements(n: int, side: int, bodies: list) -> Iterator[IncomingDocument]:  # type: ignore[type-arg]
    for i in range(n):
        body, *spans = bodies[i % len(bodies)]
        head = f"Statement {i:06d}\n"
        shift = len(head)
        yield IncomingDocument(
            head + body,
            f"statement {i:06d}",
            "corpus",
            [IncomingSpan(s.start + shift, s.end + shift, s.label, s.annotator) for s in spans[side]],
        )


def _make(path: Path, n: int, side: int, user: str, bodies: list) -> None:  # type: ignore[type-arg]
    tmp = path.with_name(path.name + ".part")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    docs = _statements(n, side, bodies)
    with Project.open(tmp, create=True, user=user) as project:
        while chunk := [d for _, d in zip(range(CHUNK), docs, strict=False)]:
            project.import_documents(chunk)
    conn = sqlite3.connect(tmp)  # statuses spread through the corpus, as a team's work in progress leaves them
    with conn:
        conn.execute(
            "UPDATE documents SET status = CASE id % 10 WHEN 0 THEN 'todo' WHEN 1 THEN 'todo'"
            " WHEN 2 THEN 'in_progress' WHEN 3 THEN 'skipped' ELSE 'done' END"
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    Path(f"{tmp}-wal").unlink(missing_ok=True)
    Path(f"{tmp}-shm").unlink(missing_ok=True)
    tmp.replace(path)


def build(ctx: Context) -> Corpus:
    found = ctx.cache.get("corpus")
    if isinstance(found, Corpus):
        return found
    n = ctx.size(100_000, 1_000)
    cache = os.environ.get("ANNOTATOR_BENCH_CACHE")
    store = Path(cache) if cache else ctx.shared
    assert store is not None
    store.mkdir(parents=True, exist_ok=True)
    # keyed by the schema's objects too: a schema version changed in place (before it ships) must not reuse a file
    shape = hashlib.sha256(repr(sorted(expected_objects(SCHEMA_VERSION))).encode()).hexdigest()[:8]
    key = f"corpus-{n}-v{SCHEMA_VERSION}-{shape}"
    files = [store / f"{key}-kim.sqlite", store / f"{key}-sato.sqlite"]
    bodies = None
    for side, (path, user) in enumerate(zip(files, data.ANNOTATORS, strict=True)):
        if not path.exists():
            bodies = bodies or _bodies(random.Random(41))
            _make(path, n, side, user, bodies)
    if store != ctx.workdir:  # work on copies: a benchmark that writes must not change the kept files, or the next's
        copies = [ctx.workdir / p.name for p in files]
        for src, dst in zip(files, copies, strict=True):
            shutil.copyfile(src, dst)
        files = copies
    with sqlite3.connect(files[0]) as conn:
        spans = conn.execute("SELECT count(*) FROM spans").fetchone()[0]
    corpus = Corpus(files[0], files[1], n, spans)
    ctx.cache["corpus"] = corpus
    ctx.note(f"corpus: {n} statements, {spans} spans (kim), {files[0].stat().st_size / 1e6:.0f} MB per project")
    return corpus
