"""Temporary files of killed runs are cleaned up on the next run (issue 9, item 13; DESIGN.md §6).

Real processes are killed with SIGKILL while they hold an export's ``.part`` file, a brat export's hidden folder or
a read-only project's private copy in the temp folder; the next command removes those, and never the ones of a
run that is still alive (another process here, holding the same kind of file at the same time).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator import leftovers
from tests.reliability.common import make_project, report

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL and process ids checked the POSIX way")

HOLD = """
import sys, time
from pathlib import Path
from annotator import formats
from annotator.formats.common import output_file
from annotator.store import Project
from annotator.core.model import Document
what, target = sys.argv[1], Path(sys.argv[2])
def ready():
    print("ready", flush=True)
    time.sleep(600)
if what == "part":
    with output_file(target) as fh:
        fh.write(b"half an export")
        ready()
elif what == "brat":
    def items():
        yield Document(1, "first", "", "A statement.", "x" * 64), []
        ready()
    formats.write_folder("brat", items(), target)
elif what == "copy":  # a read through a private copy (a backup, a colleague's file with its -wal, an old schema)
    from annotator.store import readonly
    conn, workdir = readonly.open_readonly_copy(target)
    conn.execute("SELECT count(*) FROM documents").fetchone()
    ready()
"""


def hold(what: str, target: Path, temp: Path) -> subprocess.Popen[bytes]:
    """A process holding a temporary file of ``what`` kind, until killed."""
    child = subprocess.Popen([sys.executable, "-c", HOLD, what, str(target)], stdout=subprocess.PIPE,
                             env={**os.environ, "TMPDIR": str(temp)})
    assert child.stdout is not None
    assert child.stdout.readline() == b"ready\n"
    return child


def kill(child: subprocess.Popen[bytes]) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait()
    if child.stdout is not None:
        child.stdout.close()


def hidden(folder: Path, name: str) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name.startswith(f".{name}.")}


def annotator(temp: Path, *args: object) -> subprocess.CompletedProcess[bytes]:
    done = subprocess.run([sys.executable, "-m", "annotator", *map(str, args)], capture_output=True, timeout=120,
                          env={**os.environ, "TMPDIR": str(temp)})
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def temp(tmp_path) -> Path:
    folder = tmp_path / "temp"
    folder.mkdir()
    return folder


def test_killed_export_part_file_removed_live_one_kept(tmp_path, temp):
    project = make_project(tmp_path / "p.sqlite", docs=3)
    target = tmp_path / "out.jsonl"
    dead = hold("part", target, temp)
    parts = hidden(tmp_path, "out.jsonl")
    kill(dead)
    live = hold("part", target, temp)
    try:
        live_part = hidden(tmp_path, "out.jsonl") - parts
        assert len(parts) == 1 and len(live_part) == 1
        annotator(temp, "export", project, "-o", target)
        assert hidden(tmp_path, "out.jsonl") == live_part  # the killed run's is gone, the live run's is there
        assert target.read_bytes().count(b"\n") == 3
    finally:
        kill(live)
    annotator(temp, "export", project, "-o", target)
    assert hidden(tmp_path, "out.jsonl") == set()
    report("leftovers", case="export .part", removed=1, kept_live=1)


def test_killed_brat_export_folder_removed(tmp_path, temp):
    project = make_project(tmp_path / "p.sqlite", docs=3)
    target = tmp_path / "brat"
    dead = hold("brat", target, temp)
    kill(dead)
    (left,) = hidden(tmp_path, "brat")
    assert any((tmp_path / left).iterdir())  # the killed run's files are in it
    live = hold("brat", target, temp)
    try:
        live_folder = hidden(tmp_path, "brat") - {left}
        annotator(temp, "export", project, "--format", "brat", "-o", target)
        assert hidden(tmp_path, "brat") == live_folder
        assert len(list(target.glob("*.ann"))) == 3
    finally:
        kill(live)


def test_killed_reader_private_copy_removed(tmp_path, temp):
    project = make_project(tmp_path / "p.sqlite", docs=3)
    dead = hold("copy", project, temp)
    (left,) = os.listdir(temp)
    assert left.startswith(leftovers.READONLY_PREFIX)
    kill(dead)
    live = hold("copy", project, temp)
    try:
        live_copy = set(os.listdir(temp)) - {left}
        assert len(live_copy) == 1
        annotator(temp, "stats", project)
        assert set(os.listdir(temp)) == live_copy
    finally:
        kill(live)
    annotator(temp, "stats", project)
    assert os.listdir(temp) == []
    report("leftovers", case="read-only copy", removed=1, kept_live=1)


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_only_our_names_and_only_stale_ones(tmp_path):
    """Names we cannot attribute (another machine, an older version without a tag) wait a day untouched; names
    that are not ours are never touched; a live process's names are kept; SQLite's files beside a killed
    creation go with it."""
    target = tmp_path / "out.jsonl"
    host = leftovers.tag().split("-")[0]
    other_host = "0" * 6 if host != "0" * 6 else "1" * 6
    dead = dead_pid()
    names = {
        f".out.jsonl.{host}-{dead}-abc123.part": False,  # ours, process gone: removed
        f".out.jsonl.{host}-{os.getpid()}-abc123.part": True,  # this very process
        f".out.jsonl.{host}-{os.getppid()}-abc123.part": True,  # a live process
        f".out.jsonl.{other_host}-{dead}-abc123.part": True,  # another machine, fresh
        ".out.jsonl.k3j_x9ab.part": True,  # untagged (an older version), fresh
        ".out.jsonl.notes": True,  # not a name of ours
        ".out.jsonl.my.backup.part": True,  # not a name of ours
        "out.jsonl.abc.part": True,  # not hidden: not ours
        f".other.jsonl.{host}-{dead}-abc123.part": True,  # another target
    }
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    removed = leftovers.clean_beside(target)
    assert {p.name for p in removed} == {n for n, keep in names.items() if not keep}
    assert {p.name for p in tmp_path.iterdir()} == {n for n, keep in names.items() if keep}
    day_ago = time.time() - leftovers.STALE_AFTER_S - 60
    for name in (f".out.jsonl.{other_host}-{dead}-abc123.part", ".out.jsonl.k3j_x9ab.part", ".out.jsonl.notes"):
        os.utime(tmp_path / name, (day_ago, day_ago))
    assert {p.name for p in leftovers.clean_beside(target)} == {
        f".out.jsonl.{other_host}-{dead}-abc123.part", ".out.jsonl.k3j_x9ab.part"}
    # a killed creation: the database and its journal
    creating = f".p.sqlite.{host}-{dead}-x1y2z3.creating"
    for name in (creating, creating + "-journal"):
        (tmp_path / name).write_bytes(b"x")
    assert leftovers.clean_beside(tmp_path / "p.sqlite", (".creating",))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".p.sqlite.")]
