"""Import 10 000 statements (≈ 20 MB) vs a raw ``executemany`` of the same rows in one transaction (≤ 2×).

Three ways in: the store's own bulk import (``Project.import_documents``), a JSONL file through ``import_paths``
(what ``annotator import`` does: parse, validate, store), and a folder of ``.txt`` files (one transaction per
file, as the contract asks). The baseline inserts the very rows the import stored into a fresh file with the same
schema and the same pragmas (WAL, synchronous=NORMAL), in one transaction, and the full-text index of them: the
least work the contract allows, as the export's baseline is (issue 14), since the index is kept in step with every
import in the same transaction (issue 12). The ratio to the bare ``executemany`` is noted beside.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import orjson

from annotator.store import Project
from annotator.store.connection import create_file
from annotator.store.transfer import import_paths
from tests.benchmarks import data
from tests.benchmarks.common import Context, Row, Target, interleaved, median, timed

NAME = "store"
MEASURES = (
    "import 10 000 statements (store)",
    "import 10 000 statements (one JSONL file)",
    "import 10 000 statements (folder of .txt)",
)
TARGET = Target(max_ratio=2.0)
_DOC_COLUMNS = "title, source, text, length, sha256, status, created, updated"


def _fresh(path: Path) -> Path:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    return path


def _baseline_db(path: Path) -> sqlite3.Connection:
    """An empty file with the project's schema (made the way a project is), opened with the project's pragmas."""
    create_file(_fresh(path))
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def run(ctx: Context) -> list[Row]:
    n = ctx.size(10_000)
    docs = list(data.statements(n, 2000, seed=11))
    megabytes = sum(len(d.text.encode()) for d in docs) / 1e6
    ctx.note(f"store: {n} statements, {megabytes:.1f} MB of text")
    work = ctx.workdir / "store"
    work.mkdir(exist_ok=True)

    # the rows exactly as the import stores them, for the baseline
    probe = work / "probe.sqlite"
    with Project.open(_fresh(probe), create=True, user="bench") as project:
        project.import_documents(docs)
        rows = project.conn.execute(f"SELECT {_DOC_COLUMNS} FROM documents ORDER BY id").fetchall()
    _fresh(probe)
    placeholders = ", ".join("?" * len(_DOC_COLUMNS.split(",")))

    # one JSONL file, as `annotator import project file.jsonl`
    jsonl = work / "statements.jsonl"
    with open(jsonl, "wb") as fh:
        for d in docs:
            fh.write(orjson.dumps({"text": d.text, "meta": {"title": d.title}}) + b"\n")

    state: dict[str, object] = {}

    def close_all() -> None:
        if state.pop("imported", None):  # the JSONL file went in whole (checked outside the timed call)
            project = state["file"]
            assert isinstance(project, Project) and project.progress()[1] == n
        for key in ("project", "file", "conn"):
            obj = state.pop(key, None)
            if obj is not None:
                obj.close()  # type: ignore[attr-defined]

    def setup() -> None:
        close_all()
        state["project"] = Project.open(_fresh(work / "store.sqlite"), create=True, user="bench")
        state["file"] = Project.open(_fresh(work / "file.sqlite"), create=True, user="bench")
        state["conn"] = _baseline_db(work / "raw.sqlite")

    def store_import() -> None:
        project = state["project"]
        assert isinstance(project, Project)
        project.import_documents(docs)

    def file_import() -> None:
        project = state["file"]
        assert isinstance(project, Project)
        import_paths(project, [jsonl])
        state["imported"] = True

    def raw_import() -> None:
        conn = state["conn"]
        assert isinstance(conn, sqlite3.Connection)
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO documents ({_DOC_COLUMNS}) VALUES ({placeholders})", rows)
        conn.execute("COMMIT")

    def raw_indexed() -> None:  # the baseline: the rows and the full-text index the import also writes (schema v4)
        conn = state["conn"]
        assert isinstance(conn, sqlite3.Connection)
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO documents ({_DOC_COLUMNS}) VALUES ({placeholders})", rows)
        conn.execute("INSERT INTO search_fts(rowid, title, text, note) SELECT id, title, text, note FROM documents")
        conn.execute("COMMIT")

    # all of them alternate, so the baseline is measured beside each (the writes of one run -- 20 MB, flushed by the
    # kernel afterwards -- slow the next whichever it is); CPU seconds beside, for a loaded machine
    cpu: list[list[float]] = [[], [], [], []]

    def with_cpu(i: int, fn):  # type: ignore[no-untyped-def]
        def go() -> None:
            c0 = time.process_time()
            fn()
            cpu[i].append(time.process_time() - c0)
        return go

    store_t, file_t, raw_t, indexed_t = interleaved(
        [with_cpu(0, store_import), with_cpu(1, file_import), with_cpu(2, raw_import), with_cpu(3, raw_indexed)],
        ctx.repeats(5, 2), setup=setup)
    close_all()
    raw, indexed = median(raw_t), median(indexed_t)
    out = [Row(MEASURES[0], median(store_t), "s", indexed, "executemany + its full-text index", TARGET),
           Row(MEASURES[1], median(file_t), "s", indexed, "executemany + its full-text index", TARGET)]
    store_cpu, file_cpu, raw_cpu, indexed_cpu = (median(c) for c in cpu)
    ctx.note(f"store: CPU seconds (median): store {store_cpu:.2f}, JSONL file {file_cpu:.2f}, executemany plus the "
             f"index {indexed_cpu:.2f} ({store_cpu / indexed_cpu:.2f}x, {file_cpu / indexed_cpu:.2f}x)")
    ctx.note(f"store: against the bare executemany (no full-text index: {raw:.2f} s, {raw_cpu:.2f} s CPU) store "
             f"{median(store_t) / raw:.2f}x, JSONL file {median(file_t) / raw:.2f}x")

    # a folder of text files, one transaction per file
    folder = work / "txt"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for d in docs:
        (folder / f"{d.title}.txt").write_text(d.text, encoding="utf-8", newline="")
    with Project.open(_fresh(work / "folder.sqlite"), create=True, user="bench") as project:
        folder_t = timed(lambda: import_paths(project, [folder]))
        assert project.progress()[1] == n
    out.append(Row(MEASURES[2], folder_t, "s", indexed, "executemany + its full-text index", Target()))
    shutil.rmtree(work, ignore_errors=True)
    return out
