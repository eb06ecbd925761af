"""Kill real work with SIGKILL at random moments; after each kill the project must be whole and hold everything
that was acknowledged (DESIGN.md §6: "Kill the process at any moment").

Each mode runs a child process doing real work until it is killed:

- ``gui``: the real main window, offscreen, driven through its widgets with key presses (label, relabel, delete,
  undo, redo, mark done, switch documents); a change is acknowledged once the window shows it;
- ``import``: the ``annotator import`` command on a batch of JSONL files; every file must be whole or absent;
- ``adjudicate``: accepting, rejecting and undoing a colleague's spans through the review store;
- ``export``: ``annotator export`` over an existing export; the target is the old file or the new one;
- ``backup``: backups in a loop; every backup file is complete;
- ``restore``: restoring two backups in turn; the project is one of them (or as it was), never torn.

After each kill: ``PRAGMA integrity_check`` is ok, the project opens, and the checks above hold. The number of
kills is ``ANNOTATOR_KILLS`` (default 30 in CI, 60 locally; 200 for the figures in README.md), shared between the
modes; two series run side by side. With ``ANNOTATOR_RELIABILITY_REPORT=FILE`` the figures are appended to FILE.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pytest

from annotator.core.text import sha256_text
from annotator.store import Project, backups
from annotator.store.transfer import export_project
from tests.reliability.common import KILLS, LABELS, WORDS, integrity, make_project, report

CHILD = Path(__file__).with_name("crash_child.py")
ROOT = Path(__file__).resolve().parents[2]
SHARES = {"gui": 35, "import": 20, "adjudicate": 15, "export": 10, "backup": 10, "restore": 10}
WORKERS = 2


def kills_for(mode: str) -> int:
    return max(2, round(KILLS * SHARES[mode] / 100))


# -- a child process and its acknowledgements -----------------------------------------------------------------------


class Child:
    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.started = time.monotonic()
        self.stderr = open(log, "wb")  # noqa: SIM115 - closed in finish()
        self.proc = subprocess.Popen(
            [sys.executable, *args], stdout=subprocess.PIPE, stderr=self.stderr, stdin=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT), **env}, cwd=ROOT,
        )
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.log = log

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            if not raw.endswith(b"\n"):
                break  # cut short by the kill: not acknowledged
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.lines.append(line)
            if line == "ready":
                self.ready.set()
        self.ready.set()

    def kill_after(self, delay: float) -> bool:
        """SIGKILL after ``delay`` seconds; True if the child was still working when killed."""
        time.sleep(max(0.0, delay))
        alive = self.proc.poll() is None
        if alive:
            os.kill(self.proc.pid, signal.SIGKILL)
        return alive

    def finish(self) -> int:
        try:
            code = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.reader.join(timeout=10)
        assert self.proc.stdout is not None and self.proc.stdin is not None
        self.proc.stdout.close()
        self.proc.stdin.close()
        self.stderr.close()
        return code

    def errors(self) -> str:
        return self.log.read_text(errors="replace")


@dataclass
class Acks:
    """What the child acknowledged, per document, and the change in flight when it died."""

    docs: dict[int, dict] = field(default_factory=dict)
    inflight: str | None = None
    files: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    count: int = 0

    @classmethod
    def parse(cls, lines: list[str]) -> Acks:
        acks = cls()
        for line in lines:
            kind, _, rest = line.partition(" ")
            if kind == "begin":
                acks.inflight = rest
            elif kind == "ack":
                doc, _, state = rest.partition(" ")
                acks.docs.setdefault(int(doc), {}).update(json.loads(state))
                acks.inflight = None
                acks.count += 1
            elif kind == "ack-status":
                doc, _, status = rest.partition(" ")
                acks.docs.setdefault(int(doc), {})["status"] = status
                acks.inflight = None
                acks.count += 1
            elif kind == "ack-file":
                acks.files.append(rest)
                acks.count += 1
            elif kind == "error":
                acks.errors.append(rest)
        return acks


def steps(want: set[tuple], got: set[tuple]) -> int:
    """How many rows (by id) were added, removed or changed between two states."""
    a = {row[0]: row for row in want}
    b = {row[0]: row for row in got}
    return len(a.keys() ^ b.keys()) + sum(1 for k in a.keys() & b.keys() if a[k] != b[k])


def check_documents(path: Path, acks: Acks, max_step: int) -> str:
    """Every acknowledged state is in the project; the change in flight is there whole or not at all.

    Returns what became of the change in flight: "none" (nothing was in flight), "saved" or "absent"."""
    from annotator.store import review

    outcome = "none" if acks.inflight is None else "absent"
    assert integrity(path) == "ok"
    with Project.open(path) as project:  # the restart: opens, validates, and says nothing is wrong
        for doc_id, state in acks.docs.items():
            inflight = acks.inflight in (str(doc_id), "*")
            if "spans" in state:
                want = {tuple(s) for s in state["spans"]}
                got = {(s.id, s.start, s.end, s.label) for s in project.spans(doc_id)}
                if inflight:
                    assert steps(want, got) <= max_step, (doc_id, sorted(want ^ got))
                    outcome = "saved" if got != want else outcome
                else:
                    assert got == want, f"document {doc_id}: acknowledged {sorted(want - got)}, missing; " \
                                        f"unacknowledged {sorted(got - want)}"
            if "status" in state and not inflight:
                assert project.document(doc_id).status == state["status"], doc_id
            if "decisions" in state:
                want = {tuple(d) for d in state["decisions"]}
                got = {(d.id, d.item_key, d.decision, d.origin) for d in review.decisions(project, doc_id)}
                if inflight:
                    assert steps(want, got) <= max_step, (doc_id, sorted(want ^ got))
                    outcome = "saved" if got != want else outcome
                else:
                    assert got == want, doc_id
    return outcome


# -- the series -----------------------------------------------------------------------------------------------------


@dataclass
class Tally:
    kills: int = 0  # SIGKILLs that hit a working child
    finished: int = 0  # runs that finished before their kill (checked all the same)
    acknowledged: int = 0  # acknowledged changes checked after kills
    inflight: dict[str, int] = field(default_factory=dict)  # what became of the change in flight at each kill
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, killed: bool, acked: int, inflight: str | None = None) -> None:
        with self.lock:
            if inflight is not None:
                self.inflight[inflight] = self.inflight.get(inflight, 0) + 1
            if killed:
                self.kills += 1
            else:
                self.finished += 1
            self.acknowledged += acked


def run_series(mode: str, tmp_path: Path, user_data_dir: Path, one: Callable[..., tuple]) -> Tally:
    """Run ``one(folder, n, rng) -> (killed, acknowledged[, in flight])`` until this mode's share of kills."""
    needed = kills_for(mode)
    tally = Tally()
    started = time.monotonic()

    def worker(w: int) -> None:
        folder = tmp_path / f"w{w}"
        folder.mkdir()
        rng = random.Random(f"{mode}-{w}-{os.environ.get('ANNOTATOR_CRASH_SEED', '1')}")
        n = 0
        while True:
            with tally.lock:
                if tally.kills >= needed:
                    return
            tally.add(*one(folder, n, rng))
            n += 1
            assert n < needed * 4 + 10, f"{mode}: the kills keep missing the work ({tally})"

    with ThreadPoolExecutor(WORKERS) as pool:
        for future in [pool.submit(worker, w) for w in range(WORKERS)]:
            future.result()
    report("crash", mode=mode, kills=tally.kills, finished=tally.finished, acknowledged=tally.acknowledged,
           inflight=tally.inflight, seconds=round(time.monotonic() - started, 1))
    return tally


def child_env(user_data_dir: Path) -> dict[str, str]:
    return {"ANNOTATOR_DATA_DIR": str(user_data_dir), "QT_QPA_PLATFORM": "offscreen"}


# -- modes ----------------------------------------------------------------------------------------------------------


@pytest.mark.timeout(900)
def test_kill_the_window_while_labelling(tmp_path, user_data_dir):
    def one(folder: Path, n: int, rng: random.Random) -> tuple[bool, int]:
        project = folder / "p.sqlite"
        if not project.exists():
            make_project(project, docs=5, seed=rng.randrange(10**6), spans=4)
        child = Child([str(CHILD), "gui", str(project), str(folder / "s.ini"), str(rng.randrange(10**9))],
                      child_env(user_data_dir), folder / "stderr.log")
        assert child.ready.wait(60), child.errors()
        killed = child.kill_after(rng.uniform(0.0, 1.2))
        child.finish()
        acks = Acks.parse(child.lines)
        assert not acks.errors, acks.errors
        assert "Traceback" not in child.errors(), child.errors()
        outcome = check_documents(project, acks, max_step=1)
        return killed, acks.count, outcome

    tally = run_series("gui", tmp_path, user_data_dir, one)
    assert tally.kills >= kills_for("gui") and tally.acknowledged > tally.kills


def _import_batch(folder: Path, n: int, rng: random.Random, files: int = 10, docs: int = 25) -> list[tuple[Path, dict]]:
    """JSONL files, each with its own documents: {sha256: sorted spans}."""
    batch = []
    for f in range(files):
        expected: dict[str, list] = {}
        path = folder / f"batch{n}" / f"f{f:02d}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as out:
            for d in range(docs):
                words = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(20, 80)))
                text = f"batch {n} file {f} doc {d}: {words}"
                spans = []
                for _ in range(rng.randrange(0, 6)):
                    s = rng.randrange(0, len(text) - 1)
                    e = rng.randrange(s + 1, min(len(text), s + 25) + 1)
                    spans.append({"start": s, "end": e, "label": rng.choice(LABELS + ("new label",))})
                out.write(orjson.dumps({"text": text, "spans": spans}) + b"\n")
                expected[sha256_text(text)] = sorted((sp["start"], sp["end"], sp["label"]) for sp in spans)
        batch.append((path, expected))
    return batch


@pytest.mark.timeout(900)
def test_kill_the_import_command(tmp_path, user_data_dir):
    durations: list[float] = []

    def one(folder: Path, n: int, rng: random.Random) -> tuple[bool, int]:
        project = folder / "p.sqlite"
        if not project.exists():
            make_project(project, docs=3, seed=rng.randrange(10**6))
        batch = _import_batch(folder, n, rng)
        child = Child(["-m", "annotator", "import", str(project), *(str(p) for p, _ in batch)],
                      child_env(user_data_dir), folder / "stderr.log")
        # the first run of each worker is timed to the end; later ones are killed within that time
        killed = child.kill_after(rng.uniform(0.05, 0.95 * min(durations))) if durations else False
        code = child.finish()
        if not killed:
            durations.append(time.monotonic() - child.started)
            assert code == 0, child.errors()
        assert "Traceback" not in child.errors(), child.errors()
        assert integrity(project) == "ok"
        whole = 0
        with Project.open(project) as p:
            present = {d.sha256: d.id for d in p.documents()}
            for path, expected in batch:
                there = [sha for sha in expected if sha in present]
                assert len(there) in (0, len(expected)), f"{path.name} is half imported ({len(there)} documents)"
                assert there or killed, f"{path.name} is missing though the import finished"
                for sha in there:
                    spans = sorted((s.start, s.end, s.label) for s in p.spans(present[sha]))
                    assert spans == expected[sha], path.name
                whole += bool(there)
        return killed, whole

    tally = run_series("import", tmp_path, user_data_dir, one)
    assert tally.kills >= kills_for("import")


def _colleague_file(project: Path, folder: Path, rng: random.Random) -> Path:
    """A colleague's JSONL export of the same statements with some spans moved, relabeled, dropped or added."""
    target = folder / "colleague.jsonl"
    with Project.open(project, readonly=True, trusted=True) as p, open(target, "wb") as out:
        for doc, spans in p.iter_documents():
            theirs = []
            for s in spans:
                roll = rng.random()
                if roll < 0.3:
                    theirs.append((s.start, s.end, s.label))
                elif roll < 0.5:
                    theirs.append((s.start, min(len(doc.text), s.end + 2), s.label))
                elif roll < 0.7:
                    theirs.append((s.start, s.end, rng.choice([x for x in LABELS if x != s.label])))
            for _ in range(3):
                st = rng.randrange(0, len(doc.text) - 1)
                theirs.append((st, min(len(doc.text), st + rng.randrange(1, 20)), rng.choice(LABELS)))
            out.write(orjson.dumps({
                "text": doc.text,
                "spans": [{"start": a, "end": b, "label": c, "annotator": "colleague"} for a, b, c in theirs],
            }) + b"\n")
    return target


@pytest.mark.timeout(900)
def test_kill_adjudication(tmp_path, user_data_dir):
    def one(folder: Path, n: int, rng: random.Random) -> tuple[bool, int]:
        project = folder / "p.sqlite"
        if not project.exists():
            make_project(project, docs=8, seed=rng.randrange(10**6), spans=8)
            _colleague_file(project, folder, rng)
        child = Child([str(CHILD), "adjudicate", str(project), str(folder / "colleague.jsonl"),
                       str(rng.randrange(10**9))], child_env(user_data_dir), folder / "stderr.log")
        assert child.ready.wait(60), child.errors()
        killed = child.kill_after(rng.uniform(0.0, 0.8))
        child.finish()
        acks = Acks.parse(child.lines)
        assert "Traceback" not in child.errors(), child.errors()
        outcome = check_documents(project, acks, max_step=2)
        return killed, acks.count, outcome

    tally = run_series("adjudicate", tmp_path, user_data_dir, one)
    assert tally.acknowledged > tally.kills


def _big_project(path: Path, rng: random.Random, docs: int = 1500) -> None:
    from tests.reliability.common import incoming

    with Project.open(path, create=True, user="big", populate=incoming(rng, docs, spans=6, tag="big")):
        pass


def _export_bytes(project: Path, fmt: str, folder: Path) -> bytes | dict[str, bytes]:
    target = folder / f"expected.{fmt}"
    with Project.open(project, readonly=True, trusted=True) as p:
        export_project(p, fmt, target)
    if fmt == "brat":
        return {f.name: f.read_bytes() for f in sorted(target.iterdir())}
    return target.read_bytes()


@pytest.mark.timeout(900)
def test_kill_the_export_command(tmp_path, user_data_dir):
    formats = ("jsonl", "spans", "csv", "doccano", "brat")
    setups: dict[Path, dict] = {}
    setup_lock = threading.Lock()

    def one(folder: Path, n: int, rng: random.Random) -> tuple[bool, int]:
        project = folder / "p.sqlite"
        with setup_lock:
            if folder not in setups:
                _big_project(project, rng)
                setups[folder] = {
                    "expected": {f: _export_bytes(project, f, folder) for f in formats},
                    "durations": {},
                }
        expected = setups[folder]["expected"]
        durations = setups[folder]["durations"]
        fmt = formats[n % len(formats)]
        target = folder / ("out" if fmt == "brat" else "out.txt")
        if fmt == "brat":
            shutil.rmtree(target, ignore_errors=True)
            old: object = None
        else:
            old = target.read_bytes() if target.exists() else None
        child = Child(["-m", "annotator", "export", str(project), "-o", str(target), "--format", fmt],
                      child_env(user_data_dir), folder / "stderr.log")
        killed = child.kill_after(rng.uniform(0.05, 1.1 * durations[fmt])) if fmt in durations else False
        code = child.finish()
        if not killed:
            durations[fmt] = time.monotonic() - child.started
            assert code == 0, child.errors()
        assert "Traceback" not in child.errors()
        if fmt == "brat":
            now = {f.name: f.read_bytes() for f in sorted(target.iterdir())} if target.exists() else None
            assert now in (None, {}, expected[fmt]), "a brat export is absent or complete"
            assert now == expected[fmt] or killed
        else:
            now = target.read_bytes() if target.exists() else None
            assert now == old or now == expected[fmt], f"the {fmt} export is torn ({len(now or b'')} bytes)"
            assert now == expected[fmt] or killed
        assert integrity(project) == "ok"
        return killed, int(now == expected[fmt])

    tally = run_series("export", tmp_path, user_data_dir, one)
    assert tally.kills >= kills_for("export")


@pytest.mark.timeout(900)
def test_kill_backups(tmp_path, user_data_dir):
    keep = 4

    def one(folder: Path, n: int, rng: random.Random) -> tuple[bool, int]:
        project = folder / "p.sqlite"
        if not project.exists():
            _big_project(project, rng, docs=1200)
        with Project.open(project, readonly=True, trusted=True) as p:
            expected = p.stats()
        child = Child([str(CHILD), "backup", str(project), str(rng.randrange(10**9))], child_env(user_data_dir),
                      folder / "stderr.log")
        assert child.ready.wait(60), child.errors()
        killed = child.kill_after(rng.uniform(0.0, 1.0))
        child.finish()
        assert "Traceback" not in child.errors(), child.errors()
        acks = Acks.parse(child.lines)
        listed = backups.list_backups(project)
        assert len(listed) <= keep + 1
        for item in listed:
            assert item.problem is None, (item.name, item.problem)
            assert integrity(item.path) == "ok"
            with Project.open(item.path, readonly=True, trusted=True) as b:
                assert b.stats() == expected, item.name
        names = [i.name for i in listed]
        # a backup made after the last acknowledgement (killed between its rotation and its "ack") may have
        # rotated the oldest acknowledged one out, as it should: the newest keep - 1 acknowledged ones must stay
        newest = sorted(acks.files)[-(keep - 1):]
        assert all(name in names for name in newest), "an acknowledged backup is missing"
        return killed, len(acks.files)

    tally = run_series("backup", tmp_path, user_data_dir, one)
    assert tally.kills >= kills_for("backup")


@pytest.mark.timeout(900)
def test_kill_restores(tmp_path, user_data_dir):
    setups: dict[Path, dict] = {}

    def one(folder: Path, n: int, rng: random.Random) -> tuple[bool, int]:
        project = folder / "p.sqlite"
        if folder not in setups:
            states = {}
            for name, docs in (("a", 600), ("b", 900), ("p", 300)):
                path = folder / f"{name}.sqlite"
                _big_project(path, random.Random(f"{name}{rng.random()}"), docs=docs)
                with Project.open(path, readonly=True, trusted=True) as p:
                    states[name] = p.stats()
            setups[folder] = states
        states = setups[folder]
        child = Child([str(CHILD), "restore", str(project), str(folder / "a.sqlite"), str(folder / "b.sqlite")],
                      child_env(user_data_dir), folder / "stderr.log")
        assert child.ready.wait(60), child.errors()
        killed = child.kill_after(rng.uniform(0.0, 1.0))
        child.finish()
        assert "Traceback" not in child.errors(), child.errors()
        acks = Acks.parse(child.lines)
        assert integrity(project) == "ok"
        with Project.open(project) as p:
            now = p.stats()
        assert now in states.values(), "the project is one of the backups, or as it was"
        if acks.files and not killed:
            assert now == states[acks.files[-1][0]]
        for item in backups.list_backups(project):
            assert item.problem is None and integrity(item.path) == "ok", item.name
        return killed, len(acks.files)

    tally = run_series("restore", tmp_path, user_data_dir, one)
    assert tally.kills >= kills_for("restore")
