"""Several ``annotator import`` commands creating the same new project at once (issue 9, item 14).

The first to finish creating the file makes the project; every other one opens that project and waits its turn
to write (busy timeout), never fails with "already exists" and never replaces the project the first is already
writing into. Real processes, released together from a barrier so that they do race.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from annotator.store import Project
from annotator.store.connection import create_file
from tests.reliability.common import env_int, integrity, report

#: processes per race, and races (ANNOTATOR_CREATE_RACES for a longer run)
RACERS = 6
RACES = env_int("ANNOTATOR_CREATE_RACES", 3, 5)

RACER = """
import sys, time
from pathlib import Path
from annotator import cli
go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.001)
sys.exit(cli.main(sys.argv[2:]))
"""


def race(folder: Path, n: int) -> tuple[Path, list[subprocess.CompletedProcess[bytes]]]:
    project = folder / "new project.sqlite"
    go = folder / "go"
    children = []
    for i in range(n):
        statement = folder / f"statement {i}.txt"
        statement.write_text(f"Statement number {i}: we urge calm and commit to talks.\n")
        children.append(subprocess.Popen(
            [sys.executable, "-c", RACER, str(go), "import", str(project), str(statement)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    time.sleep(1.5)  # every child is waiting at the barrier with its modules imported
    go.touch()
    done = []
    for child in children:
        out, err = child.communicate(timeout=120)
        done.append(subprocess.CompletedProcess(child.args, child.returncode, out, err))
    return project, done


def test_concurrent_imports_creating_one_project_all_land(tmp_path):
    landed = 0
    for r in range(RACES):
        folder = tmp_path / f"race{r}"
        folder.mkdir()
        project, done = race(folder, RACERS)
        failures = [d.stderr.decode() for d in done if d.returncode != 0]
        assert not failures, failures
        with Project.open(project, readonly=True) as p:
            titles = sorted(d.title for d in p.documents())
        assert titles == sorted(f"statement {i}" for i in range(RACERS))
        assert integrity(project) == "ok"
        leftover = [p.name for p in folder.iterdir() if p.name.startswith(".")]
        assert leftover == [], leftover  # no discarded project left behind
        landed += len(titles)
    report("concurrent_create", races=RACES, racers=RACERS, imports_landed=landed)


def test_losing_creator_keeps_the_winners_project(tmp_path):
    """``create_file`` never replaces a project that appeared meanwhile (the winner may already write into it)."""
    path = tmp_path / "p.sqlite"
    with Project.open(path, create=True, user="winner") as p:
        p.import_documents([], source="x")
    before = path.read_bytes()
    assert create_file(path) is False
    assert path.read_bytes() == before
    assert not [q for q in tmp_path.iterdir() if q.name.startswith(".")]
    assert sqlite3.connect(path).execute("PRAGMA application_id").fetchone()[0] != 0
    assert os.path.exists(path)
