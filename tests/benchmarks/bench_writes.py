"""The slow tail of a window's writes at 100 000 statements (``corpus_data``; quick mode 1 000).

A label key press is one commit. With SQLite's automatic checkpoint, the commit that fills the log to 1 000 pages
also copies them into the project file and syncs it: about one press in a hundred took 10-25 ms, some 200 ms. The
window's project now leaves checkpoints to a thread of its own (``store/checkpoints.py``).

- figure: the 99th percentile and the slowest of ``add_span`` commits on the project as the window opens it
  (``open_for_editing``: background checkpoints), paced 10 ms apart (a fast analyst presses every few hundred);
- baseline: the same writes on the same file opened as a command opens it (``Project.open``: SQLite's automatic
  checkpoint inside the commits), measured in the same run. Target: the 99th percentile within a frame (16 ms).

Each side starts with one write left out of the figures (the first commit after the copy of the corpus waits for
the disk to take the copy's pages).
"""

from __future__ import annotations

import shutil
import statistics
import time

from annotator.store import Project
from annotator.store.editlock import open_for_editing
from tests.benchmarks import corpus_data
from tests.benchmarks.common import Context, Row, Target

NAME = "writes"
MEASURES = (
    "100 000 statements: label writes, 99th percentile (window's project)",
    "100 000 statements: label writes, slowest (window's project)",
)
PACE_S = 0.010


def _writes(project: Project, doc_ids: list[int], count: int) -> list[float]:
    project.add_span(doc_ids[0], 0, 1, "threat")  # the warm-up write, left out
    times = []
    for i in range(count):
        t = time.perf_counter()
        project.add_span(doc_ids[i % len(doc_ids)], 0, 1, "threat")
        times.append((time.perf_counter() - t) * 1000)
        time.sleep(PACE_S)
    return sorted(times)


def run(ctx: Context) -> list[Row]:
    corpus = corpus_data.build(ctx)
    path = ctx.workdir / "writes.sqlite"
    shutil.copyfile(corpus.mine, path)
    count = ctx.size(1500, 60)
    window = open_for_editing(path, "bench")
    try:
        doc_ids = [r[0] for r in window.conn.execute("SELECT id FROM documents ORDER BY id LIMIT 500")]
        ours = _writes(window, doc_ids, count)
        checkpoints = list(window.checkpoints.done) if window.checkpoints else []
    finally:
        window.close()
    with Project.open(path, user="bench") as command:
        base = _writes(command, doc_ids, count)

    def p99(values: list[float]) -> float:
        return values[min(len(values) - 1, int(len(values) * 0.99))]

    ctx.note(
        f"writes: {count} each, {PACE_S * 1000:.0f} ms apart; window's project median {statistics.median(ours):.2f} "
        f"ms, p99 {p99(ours):.2f}, slowest {ours[-1]:.1f}, {sum(t > 16 for t in ours)} over 16 ms, "
        f"{len(checkpoints)} background checkpoints; SQLite's own checkpoints: median "
        f"{statistics.median(base):.2f} ms, p99 {p99(base):.2f}, slowest {base[-1]:.1f}, "
        f"{sum(t > 16 for t in base)} over 16 ms"
    )
    frame = Target(max_figure=16, unit="ms")
    return [
        Row(MEASURES[0], p99(ours), "ms", p99(base), "SQLite's checkpoints in the commit", frame),
        Row(MEASURES[1], ours[-1], "ms", base[-1], "SQLite's checkpoints in the commit"),
    ]
