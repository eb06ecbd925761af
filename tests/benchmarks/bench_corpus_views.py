"""The corpus views of issue 12 at 100 000 statements / 1 M spans (``corpus_data``; quick mode 1 000 statements).

The corpus gets dates spread over ten years and five issuers (on a copy: the corpus files are shared by the run).
Each row stands beside the plain ``SELECT label, count(*) FROM spans GROUP BY label`` on a plain cursor in the same
run: the least any per-label figure over all spans costs.

- label × quarter table (``corpus.label_table(conn, "date:quarter")``): spans and statements per cell, group sizes,
  from the per-statement label counts that triggers keep (schema v4);
- co-occurrence by overlap and by sentence (``cooccurrence.cooccurrence``: a GROUP BY over the per-statement pair
  counts the triggers keep, schema v5; the sentence one was a join reading the text between spans, 38.7 s);
- the span list of one table cell (``retrieval.spans``, the first 1 000 rows: what the list shows first);
- the same four of the statements ``annotator report`` and the Corpus window count by default, all but the skipped
  ones (D15; the corpus's statuses: 1 in 10 skipped): a condition on the statement's id read from the status index
  (``store/counting.py``), the counts kept by triggers having no status.
"""

from __future__ import annotations

import shutil
import sqlite3

from annotator.store import cooccurrence, corpus, retrieval
from tests.benchmarks import corpus_data
from tests.benchmarks.common import Context, Row, Target, interleaved, median

NAME = "corpus_views"
MEASURES = (
    "100 000 statements: label × quarter table",
    "100 000 statements: co-occurrence, overlap",
    "100 000 statements: co-occurrence, same sentence",
    "100 000 statements: spans of one table cell (first 1 000)",
    "100 000 statements: label × quarter table, all but skipped",
    "100 000 statements: co-occurrence, overlap, all but skipped",
    "100 000 statements: co-occurrence, same sentence, all but skipped",
    "100 000 statements: spans of one table cell (first 1 000), all but skipped",
)
#: what the report and the window count unless told (``counting.DEFAULT``)
COUNTED = "not_skipped"
BASELINE = "SELECT label, count(*) FROM spans GROUP BY label"
SECOND = Target(max_figure=1000, unit="ms")


def _ms(times: list[float]) -> float:
    return median(times) * 1000


def run(ctx: Context) -> list[Row]:
    source = corpus_data.build(ctx)
    path = ctx.workdir / "corpus-views.sqlite"
    shutil.copyfile(source.mine, path)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE documents SET date = printf('%04d-%02d-%02d', 2015 + id % 10, 1 + id % 12, 1 + id % 28),"
            " issuer = CASE id % 5 WHEN 0 THEN 'Japan' WHEN 1 THEN 'Korea' WHEN 2 THEN 'United States'"
            " WHEN 3 THEN 'Trilateral' ELSE '' END"
        )
    conn.close()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    repeats = ctx.repeats(5, 1)
    try:
        table = corpus.label_table(conn, "date:quarter")
        ctx.note(f"corpus views: {len(table.groups)} quarters, {sum(table.row_totals())} spans in the table")
        key = table.groups[len(table.groups) // 2]
        cell = retrieval.SpanQuery(labels=(table.labels[1],), groups=(("date:quarter", key),))
        counted_cell = retrieval.SpanQuery(cell.labels, groups=cell.groups, status=COUNTED)
        left_out = corpus.label_table(conn, "date:quarter", COUNTED).counting.describe()
        ctx.note(f"corpus views, all but skipped: {left_out}")
        t_table, t_over, t_sent, t_cell, base, c_table, c_over, c_sent, c_cell = interleaved(
            [
                lambda: corpus.label_table(conn, "date:quarter"),
                lambda: cooccurrence.cooccurrence(conn, "overlap"),
                lambda: cooccurrence.cooccurrence(conn, "sentence"),
                lambda: retrieval.spans(conn, cell, limit=1000),
                lambda: conn.execute(BASELINE).fetchall(),
                lambda: corpus.label_table(conn, "date:quarter", COUNTED),
                lambda: cooccurrence.cooccurrence(conn, "overlap", COUNTED),
                lambda: cooccurrence.cooccurrence(conn, "sentence", COUNTED),
                lambda: retrieval.spans(conn, counted_cell, limit=1000),
            ],
            repeats,
        )
        over = cooccurrence.cooccurrence(conn, "overlap").total()
        sent = cooccurrence.cooccurrence(conn, "sentence").total()
        ctx.note(f"co-occurring pairs: {over} overlapping, {sent} in one sentence")
    finally:
        conn.close()
        path.unlink(missing_ok=True)
    b = _ms(base)
    return [
        Row(MEASURES[0], _ms(t_table), "ms", b, "raw GROUP BY label", SECOND),
        Row(MEASURES[1], _ms(t_over), "ms", b, "raw GROUP BY label", SECOND),
        Row(MEASURES[2], _ms(t_sent), "ms", b, "raw GROUP BY label", SECOND),
        Row(MEASURES[3], _ms(t_cell), "ms", b, "raw GROUP BY label", Target(max_figure=100, unit="ms")),
        Row(MEASURES[4], _ms(c_table), "ms", b, "raw GROUP BY label", SECOND),
        Row(MEASURES[5], _ms(c_over), "ms", b, "raw GROUP BY label", SECOND),
        Row(MEASURES[6], _ms(c_sent), "ms", b, "raw GROUP BY label", SECOND),
        Row(MEASURES[7], _ms(c_cell), "ms", b, "raw GROUP BY label", Target(max_figure=100, unit="ms")),
    ]
