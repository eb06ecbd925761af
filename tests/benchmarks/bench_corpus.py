"""A team's corpus (``corpus_data``: 100 000 statements, 1 M spans; quick mode 1 000): the whole-project rows.

Each row has a baseline measured in the same run, the least work its answer needs:

- list all / status filter (``Project.documents``): a plain ``sqlite3`` cursor fetching the same documents' ids;
- next unfinished (``Project.next_unfinished``): a plain cursor fetching the id after the current one;
- stats, in process (``Project.stats``) and as ``annotator stats``: the raw ``GROUP BY`` queries on a plain cursor
  (in a fresh interpreter for the command);
- ``annotator agree`` on the two projects: a fresh interpreter reading both projects' (sha256, start, end, label)
  with plain cursors, intersecting the two sets and counting one side's non-whitespace characters (exact
  matching plus the character count any κ needs). Peak memory (``ru_maxrss`` of the command, run under a small
  intermediate interpreter so the runner's own peak is not carried across ``execve``) has a ceiling of 1 GB.

- opening the project, for editing and read-only (``annotator stats`` and every command): a plain connection
  reading the header and the schema; ≤ 50 ms at any size.

The window rows (the status filter, clearing it, Ctrl+U, Ctrl+Enter on the real ``MainWindow``) are in
``bench_corpus_gui``.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys

from annotator.store import Project
from tests.benchmarks import corpus_data
from tests.benchmarks.common import Context, Row, Target, annotator_cmd, interleaved, median, run_probe, timed

NAME = "corpus"
MEASURES = (
    "100 000 statements: list all (Project.documents)",
    "100 000 statements: status filter (Project.documents)",
    "100 000 statements: next unfinished (Project.next_unfinished)",
    "100 000 statements: stats (Project.stats)",
    "100 000 statements: annotator stats",
    "100 000 statements: annotator agree, two projects",
    "100 000 statements: annotator agree, peak memory",
    "100 000 statements: list the backups (manifest)",
    "100 000 statements: backup on open, nothing changed",
    "100 000 statements: open the project (validation)",
    "100 000 statements: open read-only (a command's open)",
    "100 000 statements: annotator import of one JSONL file",
    "100 000 statements: annotator import, peak memory",
)
FAST = Target(max_figure=50, unit="ms")

#: the raw GROUP BY of the stats rows
STATS_SQL = (
    "SELECT status, count(*) FROM documents GROUP BY status",
    "SELECT label, count(*) FROM spans GROUP BY label",
)

#: the agree baseline, run in a fresh interpreter: python -c AGREE_FLOOR A B
AGREE_FLOOR = """
import sqlite3, sys
def spans(path):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    sha = dict(conn.execute("SELECT id, sha256 FROM documents"))
    return conn, {(sha[d], s, e, lb) for d, s, e, lb in conn.execute('SELECT doc_id, start, "end", label FROM spans')}
conn, a = spans(sys.argv[1])
_, b = spans(sys.argv[2])
chars = sum(len("".join(t.split())) for (t,) in conn.execute("SELECT text FROM documents"))
print(f"matches={len(a & b)}")
print(f"chars={chars}")
"""

#: the stats baseline, run in a fresh interpreter: python -c STATS_FLOOR PROJECT
STATS_FLOOR = (
    "import sqlite3, sys\n"
    "conn = sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True)\n"
    f"for sql in {STATS_SQL!r}:\n"
    "    print(conn.execute(sql).fetchall())\n"
)

#: run a command and print its peak RSS (children's ru_maxrss, in kB on Linux) and its CPU time (user + system)
PEAK = (
    "import resource, subprocess, sys\n"
    "proc = subprocess.run(sys.argv[1:], capture_output=True)\n"
    "sys.stderr.write(proc.stderr.decode()[-1500:])\n"
    "print(f'rc={proc.returncode}')\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(f'maxrss_kb={usage.ru_maxrss}')\n"
    "print(f'cpu_s={usage.ru_utime + usage.ru_stime}')\n"
)


def _ms(times: list[float]) -> float:
    return median(times) * 1000


def run(ctx: Context) -> list[Row]:
    corpus = corpus_data.build(ctx)
    rows: list[Row] = []
    rows += _store_rows(ctx, corpus)
    rows += _backup_rows(ctx, corpus)
    rows += _command_rows(ctx, corpus)
    rows += _open_rows(ctx, corpus)
    rows += _import_rows(ctx, corpus)
    return rows


_DOC_COLUMNS = "title, source, text, length, sha256, status, created, updated"
_SPAN_COLUMNS = 'doc_id, start, "end", label, annotator, note, origin, created, updated'


def _import_rows(ctx: Context, corpus: corpus_data.Corpus) -> list[Row]:
    """``annotator import`` of the whole corpus as one JSONL file (each statement with its 10 spans), in a fresh
    process (wall time, and its peak RSS through an intermediate interpreter), against a raw ``executemany`` of
    the rows the import stores (documents, then spans) in one transaction into a file with the same schema and
    pragmas (as ``bench_store``), in process. Targets: ≤ 2×, ≤ 300 MB (the file is streamed, issue #14)."""
    import orjson

    from tests.benchmarks.bench_store import _baseline_db, _fresh

    work = ctx.workdir / "corpus-import"
    work.mkdir(exist_ok=True)
    source = work / "corpus.jsonl"
    raw = sqlite3.connect(f"file:{corpus.mine}?mode=ro", uri=True)
    spans = raw.execute('SELECT doc_id, start, "end", label, annotator FROM spans ORDER BY doc_id, id')
    pending = spans.fetchone()
    with open(source, "wb") as fh:
        for doc_id, title, text in raw.execute("SELECT id, title, text FROM documents ORDER BY id"):
            mine = []
            while pending is not None and pending[0] == doc_id:
                mine.append({"start": pending[1], "end": pending[2], "label": pending[3], "annotator": pending[4]})
                pending = spans.fetchone()
            fh.write(orjson.dumps({"text": text, "spans": mine, "meta": {"title": title}}) + b"\n")
    target = work / "imported.sqlite"
    out = run_probe([sys.executable, "-c", PEAK, *annotator_cmd(), "import", str(_fresh(target)), str(source)])
    if out["rc"] != "0":
        raise RuntimeError(f"annotator import exited {out['rc']}: {out.get('_stderr', '')}")
    took = float(out["_wall"])
    check = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    stored = check.execute("SELECT count(*) FROM documents").fetchone()[0]
    docs = check.execute(f"SELECT {_DOC_COLUMNS} FROM documents ORDER BY id").fetchall()
    span_rows = check.execute(f"SELECT {_SPAN_COLUMNS} FROM spans ORDER BY id").fetchall()
    labels = check.execute("SELECT key, name, shortcut, color, description, position FROM labels").fetchall()
    check.close()
    raw.close()
    assert stored == corpus.statements, (stored, corpus.statements)
    conn = _baseline_db(work / "raw.sqlite")

    def insert() -> None:
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO labels (key, name, shortcut, color, description, position)"
                         " VALUES (?, ?, ?, ?, ?, ?)", labels)
        conn.executemany(f"INSERT INTO documents ({_DOC_COLUMNS}) VALUES ({', '.join('?' * 8)})", docs)
        conn.executemany(f"INSERT INTO spans ({_SPAN_COLUMNS}) VALUES ({', '.join('?' * 9)})", span_rows)
        conn.execute("COMMIT")

    base = timed(insert)
    conn.close()
    docs.clear()  # the rows are no longer needed: free them before the next measure
    span_rows.clear()
    size = source.stat().st_size
    shutil.rmtree(work, ignore_errors=True)
    ctx.note(f"corpus import: {size / 1e6:.0f} MB of JSONL, {stored} statements; peak RSS {out['maxrss_kb']} kB")
    return [
        Row(MEASURES[11], took, "s", base, "executemany", Target(max_ratio=2)),
        Row(MEASURES[12], int(out["maxrss_kb"]) / 1024, "MB", None, "", Target(max_figure=300, unit="MB")),
    ]


def _open_rows(ctx: Context, corpus: corpus_data.Corpus) -> list[Row]:
    """Opening the project for editing and read-only (what every command does), against a plain connection
    reading the header and the schema: what must be true before the first read (issue #14). Independent of the
    data's size: the same figure at 1 000 statements (quick mode) and 100 000."""

    def plain() -> None:
        conn = sqlite3.connect(f"file:{corpus.mine}?mode=ro", uri=True)
        conn.execute("PRAGMA user_version").fetchone()
        conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
        conn.close()

    def open_close(**kwargs: object) -> None:
        Project.open(corpus.mine, user="bench", **kwargs).close()  # type: ignore[arg-type]

    opened, ro, base = interleaved(
        [open_close, lambda: open_close(readonly=True, trusted=True), plain], ctx.repeats(9, 3)
    )
    target = Target(max_figure=50, unit="ms")
    return [
        Row(MEASURES[9], _ms(opened), "ms", _ms(base), "header + schema", target),
        Row(MEASURES[10], _ms(ro), "ms", _ms(base), "header + schema", target),
    ]


def _backup_rows(ctx: Context, corpus: corpus_data.Corpus) -> list[Row]:
    """Backups of the corpus in a data folder of the run, as the window makes them (its own connection): one full
    backup (timed, the baseline of the skipped one), more on open with nothing changed (skipped), and listing
    them from the manifest vs ``os.stat`` of each backup file (the least a listing can do)."""
    import os
    from unittest import mock

    from annotator.store import backups

    # its own folder, then the run's again (a popped override sent later benchmarks' backups to the user's)
    with mock.patch.dict(os.environ, {"ANNOTATOR_DATA_DIR": str(ctx.workdir / "data")}):
        made: list[object] = []
        def backup() -> None:
            made.append(backups.backup_in_own_connection(corpus.mine, "open"))

        full = timed(backup)
        skip = [timed(backup) for _ in range(ctx.repeats(5))]
        if len(set(made)) != 1:
            raise RuntimeError("an unchanged project was backed up again")
        folder = backups.folder_for(corpus.mine)
        listed, stats = interleaved(
            [lambda: backups.list_backups(corpus.mine),
             lambda: [p.stat() for p in folder.iterdir() if p.suffix == ".sqlite"]],
            ctx.repeats(15, 3),
        )
        return [
            Row(MEASURES[7], _ms(listed), "ms", _ms(stats), "os.stat of each", Target(max_figure=100, unit="ms")),
            Row(MEASURES[8], _ms(skip), "ms", full * 1000, "a full backup"),
        ]


def _store_rows(ctx: Context, corpus: corpus_data.Corpus) -> list[Row]:
    repeats = ctx.repeats(15, 3)
    raw = sqlite3.connect(f"file:{corpus.mine}?mode=ro", uri=True)
    rows: list[Row] = []
    with Project.open(corpus.mine, user="bench") as project:
        n_all = len(project.documents())
        n_prog = len(project.documents("in_progress"))
        assert n_all == corpus.statements, (n_all, corpus.statements)
        list_t, list_base, filt_t, filt_base = interleaved(
            [
                lambda: project.documents(),
                lambda: raw.execute("SELECT id FROM documents ORDER BY id").fetchall(),
                lambda: project.documents("in_progress"),
                lambda: raw.execute(
                    "SELECT id FROM documents WHERE status = ? ORDER BY id", ("in_progress",)
                ).fetchall(),
            ],
            repeats,
        )
        rows.append(Row(MEASURES[0], _ms(list_t), "ms", _ms(list_base), "cursor: ids", FAST))
        rows.append(Row(MEASURES[1], _ms(filt_t), "ms", _ms(filt_base), "cursor: ids", FAST))
        ctx.note(f"corpus list: {n_all} rows; status filter (in progress): {n_prog} rows")

        # next unfinished from spread positions; the last one wraps round to the start
        ids = [r[0] for r in raw.execute("SELECT id FROM documents ORDER BY id")]
        starts = [ids[int(len(ids) * f)] for f in (0.0, 0.25, 0.5, 0.75)] + [ids[-1]]
        nexts: list[float] = []
        bases: list[float] = []
        for _ in range(ctx.repeats(5, 1)):
            for after in starts:
                a, b = interleaved(
                    [
                        lambda after=after: project.next_unfinished(after),
                        lambda after=after: raw.execute(
                            "SELECT id FROM documents WHERE id > ? ORDER BY id LIMIT 1", (after,)
                        ).fetchone(),
                    ],
                    1,
                )
                nexts += a
                bases += b
        rows.append(Row(MEASURES[2], _ms(nexts), "ms", _ms(bases), "cursor: next id", Target(max_figure=16, unit="ms")))

        stats_t, group_t = interleaved(
            [project.stats, lambda: [raw.execute(sql).fetchall() for sql in STATS_SQL]], repeats
        )
        rows.append(Row(MEASURES[3], _ms(stats_t), "ms", _ms(group_t), "raw GROUP BY", Target(max_ratio=2)))
    raw.close()
    return rows


def _command_rows(ctx: Context, corpus: corpus_data.Corpus) -> list[Row]:
    cmd = annotator_cmd()
    repeats = ctx.repeats(3, 1)
    rows: list[Row] = []

    stats_cmd = [*cmd, "stats", str(corpus.mine), "--json"]
    stats_floor = [sys.executable, "-c", STATS_FLOOR, str(corpus.mine)]
    # 9 of each (4 s in all): with 3, the baseline's median moved from 0.197 to 0.124 s between two full runs
    stats_t, floor_t = interleaved([lambda: run_probe(stats_cmd), lambda: run_probe(stats_floor)], ctx.repeats(9, 1))
    rows.append(Row(MEASURES[4], median(stats_t), "s", median(floor_t), "python + raw GROUP BY", Target(max_ratio=2)))

    agree_cmd = [*cmd, "agree", str(corpus.mine), str(corpus.theirs), "--json"]
    agree_floor = [sys.executable, "-c", AGREE_FLOOR, str(corpus.mine), str(corpus.theirs)]
    peaks: list[float] = []
    floor_peaks: list[float] = []
    cpu: list[float] = []
    floor_cpu: list[float] = []

    def agree() -> None:
        out = run_probe([sys.executable, "-c", PEAK, *agree_cmd])
        if out["rc"] != "0":
            raise RuntimeError(f"annotator agree exited {out['rc']}: {out.get('_stderr', '')}")
        peaks.append(int(out["maxrss_kb"]) / 1024)
        cpu.append(float(out["cpu_s"]))

    def floor() -> None:
        out = run_probe([sys.executable, "-c", PEAK, *agree_floor])
        if out["rc"] != "0":
            raise RuntimeError(f"the agree baseline exited {out['rc']}: {out.get('_stderr', '')}")
        floor_peaks.append(int(out["maxrss_kb"]) / 1024)
        floor_cpu.append(float(out["cpu_s"]))

    agree_t, afloor_t = interleaved([agree, floor], repeats)
    # CPU time beside the wall time: on a loaded machine the wall time is mostly waiting for a core
    ctx.note(f"corpus agree: CPU {median(cpu):.2f} s (set intersection {median(floor_cpu):.2f} s, "
             f"{median(cpu) / max(median(floor_cpu), 1e-9):.2f}×)")
    rows.append(Row(MEASURES[5], median(agree_t), "s", median(afloor_t), "set intersection", Target(max_ratio=2)))
    rows.append(
        Row(MEASURES[6], max(peaks), "MB", max(floor_peaks), "set intersection", Target(max_figure=1024, unit="MB"))
    )
    return rows
