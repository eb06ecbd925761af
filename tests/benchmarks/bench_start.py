"""Start-up: ``annotator --help`` vs ``python -c "import sqlite_utils"`` (≤ 1.5×, best of N), and the GUI from
launch to the statement's first paint (≤ 1 s) vs a bare Qt app showing the same text.

Each figure is a fresh process. The GUI is started as ``annotator PROJECT`` starts it (``annotator.cli.main``),
offscreen, on a project of 1 000 statements with spans (and, for information, on the project holding the
1 M-character statement); the clock runs from just before the process is spawned to just after the first paint.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from annotator.store import Project
from tests.benchmarks import data, gui_data
from tests.benchmarks.common import Context, Row, Target, annotator_cmd, best, run_probe, run_wall

NAME = "start"
MEASURES = (
    "CLI start (annotator --help)",
    "GUI start to first paint (1 000 statements)",
    "GUI start to first paint (1 M-char statement, info)",
)
PROBE = [sys.executable, "-m", "tests.benchmarks.probe_gui"]


def gui_env(ctx: Context) -> dict[str, str]:
    """Offscreen, in a private user data folder whose settings already name the analyst (no dialog)."""
    home = ctx.workdir / "userdata"
    home.mkdir(exist_ok=True)
    (home / "settings.ini").write_text("[General]\nanalyst=bench\n", encoding="utf-8")
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ANNOTATOR_DATA_DIR": str(home)}


def first_paint(project: Path, env: dict[str, str], bare: bool) -> float:
    values = run_probe([*PROBE, "start", str(project), *(["--bare"] if bare else [])], env=env)
    if "painted" not in values:
        raise RuntimeError(f"the probe never painted: {values.get('_stderr', '')[-500:]}")
    return float(values["painted"]) - float(values["_t0"])


def _gui_rows(ctx: Context, repeats: int) -> list[Row]:
    env = gui_env(ctx)
    small = ctx.workdir / "start-1000.sqlite"
    if not small.exists():
        with Project.open(small, create=True, user="bench") as project:
            project.import_documents(data.statements(ctx.size(1000), 2000, seed=41, spans_each=20))
    rows = []
    for measure, project, target in (
        (MEASURES[1], small, Target(max_figure=1.0, unit="s")),
        (MEASURES[2], gui_data.project(ctx, first="1m"), Target()),
    ):
        app_t, bare_t = [], []
        for _ in range(repeats):
            app_t.append(first_paint(project, env, bare=False))
            bare_t.append(first_paint(project, env, bare=True))
        rows.append(Row(measure, best(app_t), "s", best(bare_t), "bare Qt app", target))
    return rows


def run(ctx: Context) -> list[Row]:
    repeats = ctx.repeats(10, 2)
    cli = [*annotator_cmd(), "--help"]
    floor = [sys.executable, "-c", "import sqlite_utils"]
    cli_t, floor_t = [], []
    for _ in range(repeats):
        cli_t.append(run_wall(cli))
        floor_t.append(run_wall(floor))
    out = [Row(MEASURES[0], best(cli_t), "s", best(floor_t), "import sqlite_utils", Target(max_ratio=1.5))]
    return out + _gui_rows(ctx, ctx.repeats(5, 1))
