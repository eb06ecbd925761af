"""The slow tail of a window's writes at 100 000 statements (``corpus_data``; quick mode 1 000).

A label key press is one commit. With SQLite's automatic checkpoint, the commit that fills the log to 1 000 pages
also copies them into the project file and syncs it: about one press in a hundred took 10-25 ms, some 200 ms. The
window's project now leaves checkpoints to a thread of its own (``store/checkpoints.py``).

- figure: the 99th percentile and the slowest of ``add_span`` commits on the project as the window opens it
  (``open_for_editing``: background checkpoints), paced 10 ms apart (a fast analyst presses every few hundred) in
  bursts of 100 with a pause of 2.5 s after each, when the window's checkpoints run;
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
#: writes between two pauses, and a pause (longer than the checkpoint thread's look and stillness: two seconds)
BURST = 100
PAUSE_S = 2.5


def _writes(project: Project, doc_ids: list[int], count: int) -> list[float]:
    """``count`` writes in bursts of :data:`BURST`, :data:`PACE_S` apart, with :data:`PAUSE_S` after each burst
    (the analyst reads the next statement): the window's checkpoints run in the pauses, SQLite's inside the
    commits; the writes right after a pause (the log started afresh) are among the figures."""
    project.add_span(doc_ids[0], 0, 1, "threat")  # the warm-up write, left out
    times = []
    for i in range(count):
        t = time.perf_counter()
        project.add_span(doc_ids[i % len(doc_ids)], 0, 1, "threat")
        times.append((time.perf_counter() - t) * 1000)
        if i + 1 < count:
            time.sleep(PAUSE_S if (i + 1) % BURST == 0 else PACE_S)
    return sorted(times)


def run(ctx: Context) -> list[Row]:
    corpus = corpus_data.build(ctx)
    path = ctx.workdir / "writes.sqlite"
    shutil.copyfile(corpus.mine, path)
    count = ctx.size(1500, 2 * BURST)
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
        f"writes: {count} each, {PACE_S * 1000:.0f} ms apart, {PAUSE_S} s after every {BURST}; window's project "
        f"median {statistics.median(ours):.2f} ms, p99 {p99(ours):.2f}, slowest {ours[-1]:.1f}, "
        f"{sum(t > 16 for t in ours)} over 16 ms, {len(checkpoints)} background checkpoints; SQLite's own "
        f"checkpoints: median {statistics.median(base):.2f} ms, p99 {p99(base):.2f}, slowest {base[-1]:.1f}, "
        f"{sum(t > 16 for t in base)} over 16 ms"
    )
    frame = Target(max_figure=16, unit="ms")
    return [
        Row(MEASURES[0], p99(ours), "ms", p99(base), "SQLite's checkpoints in the commit", frame),
        Row(MEASURES[1], ours[-1], "ms", base[-1], "SQLite's checkpoints in the commit"),
    ]
