"""The benchmarks keep working: the quick mode runs every benchmark and prints a row for each measure.

Nothing here looks at a time (DESIGN.md §4: the benchmarks measure, they do not assert wall-clock times); a row
that could not be measured shows ``ERROR`` and fails this test, and so does a Qt warning during the run.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.benchmarks.common import HEADERS, ROOT
from tests.benchmarks.run import LAST_RUN, MODULES

pytestmark = pytest.mark.benchmark


def why_it_failed(stdout: str, stderr: str) -> str:
    """The rows that failed, every traceback and Qt's warning: what a failed run needs, not its last lines."""
    errors = [line for line in stdout.splitlines() if "ERROR" in line]
    tracebacks, keep = [], False
    for line in stderr.splitlines():
        if line.startswith("Traceback"):
            keep = True
        elif keep and not line.startswith((" ", "Traceback", "During handling", "The above")) and line:
            tracebacks.append(line)  # the exception's own line ends the traceback
            keep = False
            continue
        if keep:
            tracebacks.append(line)
    warnings = [line for line in stderr.splitlines() if "Qt warning" in line]
    # a native crash: every thread's stack as faulthandler printed it (a SIGSEGV in corpus_gui, seen once in CI,
    # left only its return code -11 to read)
    fatal = stderr[stderr.find("Fatal Python error"):][:8000] if "Fatal Python error" in stderr else ""
    return "\n".join(["rows with ERROR:", *errors, "tracebacks:", *tracebacks, *warnings, fatal,
                      "stderr tail:", stderr[-1500:]])


def test_quick_mode_runs_every_benchmark_and_prints_its_rows() -> None:
    before = LAST_RUN.stat().st_mtime_ns if LAST_RUN.exists() else None
    proc = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-W", "error", "-m", "tests.benchmarks.run", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, why_it_failed(proc.stdout, proc.stderr)
    rows = [line.split("|")[1:-1] for line in proc.stdout.splitlines() if line.startswith("| ")]
    assert [c.strip() for c in rows[0]] == list(HEADERS)
    printed = {cells[0].strip(): cells for cells in rows[1:]}
    for module in MODULES:
        for measure in module.MEASURES:
            assert measure in printed, f"{module.NAME}: no row for {measure!r}"
            assert "ERROR" not in printed[measure][-1], printed[measure]
            assert printed[measure][1].strip() != "—", f"{measure!r} has no figure"
    assert (LAST_RUN.stat().st_mtime_ns if LAST_RUN.exists() else None) == before  # quick runs leave it alone


def test_unknown_benchmark_is_a_usage_error() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.run", "--only", "nonsense"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "unknown benchmark nonsense" in proc.stderr
