"""Run the benchmarks of DESIGN.md §5 and print one table: measure, figure, baseline, ratio, target, met.

    python -m tests.benchmarks.run [--quick] [--only NAME[,NAME...]]

Every figure stands next to a baseline measured in the same run (these machines are noisy: ratios hold, absolute
times do not). ``--quick`` uses small sizes so the whole run takes well under a minute; it keeps the benchmarks
working in CI and asserts nothing about time. A full run also writes the table to ``tests/benchmarks/last_run.md``.
Exit status: 0 when every benchmark ran (met or not), 1 when one failed to run or Qt warned, 2 usage error.

Each benchmark module runs in an interpreter of its own (``--one NAME``, which writes its rows as JSON), in a
folder of its own, as an analyst's session is a process of its own: run one after another in one process, the
earlier modules' windows stayed (a ``deleteLater`` with no event loop to run it; the label benchmark's window kept
its one-second poll), the corpus window's Accept All Agreed and File ▸ Import changed the corpus the later modules
read, and the comparison's worst stall was 20-21 ms there against 11-12 ms in a fresh process (issue #14). Data
made once per run (the 100 000-statement corpus) is made in the run's folder and copied into each module's.
"""

from __future__ import annotations

import argparse
import compileall
import dataclasses
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.benchmarks import (  # noqa: E402
    bench_agree,
    bench_corpus,
    bench_corpus_gui,
    bench_corpus_views,
    bench_export,
    bench_gui,
    bench_search,
    bench_sources,
    bench_start,
    bench_store,
    bench_suggest,
    bench_writes,
)
from tests.benchmarks.common import ROOT, Context, Row, Target, table  # noqa: E402

MODULES: tuple[ModuleType, ...] = (
    bench_store, bench_export, bench_agree, bench_start, bench_gui, bench_corpus, bench_corpus_gui, bench_sources,
    bench_search,
    bench_corpus_views,
    bench_suggest,
    bench_writes,
)
LAST_RUN = Path(__file__).with_name("last_run.md")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        qt = f"PySide6 {PySide6.__version__} / Qt {qVersion()}"
    except ImportError:  # pragma: no cover - the GUI rows will say so
        qt = "no PySide6"
    import sqlite3
    from importlib.util import find_spec

    extras = [name for name in ("pandas", "numpy") if find_spec(name) is not None]
    qt += "; installed beside: " + (", ".join(extras) if extras else "no pandas/numpy")
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, {qt}; "
        f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM')}"
    )


#: messages of the offscreen platform plugin about what it cannot do (no window manager): not the app's doing
IGNORED_QT = ("This plugin does not support",)


class QtMessages:
    """Qt warnings (and worse) are collected and fail the run, as ``qt_log_level_fail = WARNING`` does in pytest."""

    def __init__(self) -> None:
        self.bad: list[str] = []

    def install(self) -> None:
        try:
            from PySide6.QtCore import QtMsgType, qInstallMessageHandler
        except ImportError:
            return
        levels = {QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg}

        def handler(kind: object, _context: object, message: str) -> None:
            if kind in levels and not message.startswith(IGNORED_QT):
                self.bad.append(message)
                print(f"Qt: {message}", file=sys.stderr)

        self._handler = handler  # keep a reference
        qInstallMessageHandler(handler)


def select(only: str | None) -> list[ModuleType]:
    if not only:
        return list(MODULES)
    names = [n.strip() for n in only.split(",") if n.strip()]
    known = {m.NAME: m for m in MODULES}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(known)}")
    return [known[n] for n in names]


def run_module(module: ModuleType, ctx: Context) -> list[Row]:
    print(f"[{module.NAME}] running…", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    try:
        rows = list(module.run(ctx))
    except Exception as exc:
        traceback.print_exc()
        rows = [Row(m, None, "", error=f"{type(exc).__name__}: {exc}") for m in module.MEASURES]
    print(f"[{module.NAME}] {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    return rows


def run_one(name: str, quick: bool, shared: Path, out: Path) -> int:
    """The child's side: run one module in a folder of its own under ``shared``; its rows, notes and Qt's
    complaints go to ``out`` as JSON. Exit status 0 (the parent reads the file)."""
    module = select(name)[0]
    workdir = shared / name
    workdir.mkdir()
    qt = QtMessages()
    qt.install()
    ctx = Context(quick=quick, workdir=workdir, shared=shared)
    rows = run_module(module, ctx)
    out.write_text(json.dumps({"rows": [dataclasses.asdict(r) for r in rows], "notes": ctx.notes, "qt": qt.bad}),
                   encoding="utf-8")
    return 0


def in_own_process(module: ModuleType, quick: bool, shared: Path) -> tuple[list[Row], list[str], list[str]]:
    """Run ``module`` in a fresh interpreter (the same warning options, ``faulthandler`` on): its rows, notes and
    Qt's complaints. A process that wrote nothing (a crash) gives every measure of the module an error row."""
    out = shared / f"{module.NAME}.json"
    argv = [sys.executable, *(f"-W{o}" for o in sys.warnoptions), "-X", "faulthandler", "-m", "tests.benchmarks.run",
            "--one", module.NAME, "--shared", str(shared), "--out", str(out), *(["--quick"] if quick else [])]
    code = subprocess.run(argv, cwd=ROOT, check=False).returncode
    shutil.rmtree(shared / module.NAME, ignore_errors=True)  # its copies of the corpus: 0.9 GB a module
    if not out.exists():
        print(f"[{module.NAME}] its process ended with {code} and wrote no rows", file=sys.stderr, flush=True)
        return [Row(m, None, "", error=f"its process ended with {code}") for m in module.MEASURES], [], []
    got = json.loads(out.read_text(encoding="utf-8"))
    rows = [Row(**{**r, "target": Target(**r["target"])}) for r in got["rows"]]
    return rows, got["notes"], got["qt"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (about 1/50): checks the benchmarks run")
    parser.add_argument("--only", metavar="NAME", help="comma-separated: " + ", ".join(m.NAME for m in MODULES))
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a child's: run this module, in --shared, rows to --out
    parser.add_argument("--shared", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        return run_one(args.one, args.quick, args.shared, args.out)
    try:
        modules = select(args.only)
    except ValueError as exc:
        parser.error(str(exc))
    if not args.quick:
        # the command rows start fresh interpreters: measure them as an installed Annotator runs, with its .pyc
        # files (PYTHONDONTWRITEBYTECODE=1 compiles ~185 modules on every start, 0.5 s of a GUI start here)
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        # and this interpreter's imports too, as pip's install compiles them: a module first imported by a
        # background thread (the report's dialog) was compiled there, one C call holding the GIL 20-30 ms against
        # the window's thread, in a fresh clone only
        compileall.compile_dir(ROOT / "annotator", quiet=1)
    started = time.perf_counter()
    rows: list[Row] = []
    notes: list[str] = []
    qt_bad: list[str] = []
    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as tmp:
        # every window and backup of the run keeps its settings and backups here, never in the user's own folder
        # (a popped override once sent the later benchmarks' backups to ~/.local/share/Annotator)
        os.environ["ANNOTATOR_DATA_DIR"] = str(Path(tmp) / "userdata")
        for module in modules:
            got_rows, got_notes, got_qt = in_own_process(module, args.quick, Path(tmp))
            rows += got_rows
            notes += got_notes
            qt_bad += got_qt
    elapsed = time.perf_counter() - started
    about = machine()
    text = table(rows)
    print()
    print(f"Machine: {about}")
    print(
        f"Mode: {'quick (small sizes; figures are not the targets’ sizes)' if args.quick else 'full'}; {elapsed:.0f} s"
    )
    print()
    print(text)
    if notes:
        print()
        print("Notes:")
        for note in notes:
            print(f"- {note}")
    failed = [r for r in rows if r.error]
    if not args.quick and not args.only:
        LAST_RUN.write_text(
            "# Last full benchmark run\n\n"
            f"`python -m tests.benchmarks.run` on {time.strftime('%Y-%m-%d %H:%M')}, {elapsed:.0f} s.\n\n"
            f"Machine: {about}\n\n{text}\n\n" + "".join(f"- {n}\n" for n in notes),
            encoding="utf-8",
        )
        print(f"\nwritten to {LAST_RUN.relative_to(Path.cwd()) if LAST_RUN.is_relative_to(Path.cwd()) else LAST_RUN}")
    if qt_bad:
        print(f"\n{len(qt_bad)} Qt warning(s); first: {qt_bad[0]}", file=sys.stderr)
    return 1 if failed or qt_bad else 0


if __name__ == "__main__":
    sys.exit(main())
