"""Run the benchmarks of DESIGN.md §5 and print one table: measure, figure, baseline, ratio, target, met.

    python -m tests.benchmarks.run [--quick] [--only NAME[,NAME...]]

Every figure stands next to a baseline measured in the same run (these machines are noisy: ratios hold, absolute
times do not). ``--quick`` uses small sizes so the whole run takes well under a minute; it keeps the benchmarks
working in CI and asserts nothing about time. A full run also writes the table to ``tests/benchmarks/last_run.md``.
Exit status: 0 when every benchmark ran (met or not), 1 when one failed to run or Qt warned, 2 usage error.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
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
from tests.benchmarks.common import ROOT, Context, Row, table  # noqa: E402

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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (about 1/50): checks the benchmarks run")
    parser.add_argument("--only", metavar="NAME", help="comma-separated: " + ", ".join(m.NAME for m in MODULES))
    args = parser.parse_args(argv)
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
    qt = QtMessages()
    qt.install()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as tmp:
        ctx = Context(quick=args.quick, workdir=Path(tmp))
        # every window and backup of the run keeps its settings and backups here, never in the user's own folder
        # (a popped override once sent the later benchmarks' backups to ~/.local/share/Annotator)
        os.environ["ANNOTATOR_DATA_DIR"] = str(ctx.workdir / "userdata")
        rows = [row for module in modules for row in run_module(module, ctx)]
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
    if ctx.notes:
        print()
        print("Notes:")
        for note in ctx.notes:
            print(f"- {note}")
    failed = [r for r in rows if r.error]
    if not args.quick and not args.only:
        LAST_RUN.write_text(
            "# Last full benchmark run\n\n"
            f"`python -m tests.benchmarks.run` on {time.strftime('%Y-%m-%d %H:%M')}, {elapsed:.0f} s.\n\n"
            f"Machine: {about}\n\n{text}\n\n" + "".join(f"- {n}\n" for n in ctx.notes),
            encoding="utf-8",
        )
        print(f"\nwritten to {LAST_RUN.relative_to(Path.cwd()) if LAST_RUN.is_relative_to(Path.cwd()) else LAST_RUN}")
    if qt.bad:
        print(f"\n{len(qt.bad)} Qt warning(s); first: {qt.bad[0]}", file=sys.stderr)
    return 1 if failed or qt.bad else 0


if __name__ == "__main__":
    sys.exit(main())
