"""Small helpers shared by tests: running the CLI in a subprocess, a content dump of a project."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str | Path, input: bytes | None = None, env: dict[str, str] | None = None):
    """``annotator ARGS`` in a fresh interpreter; returns the CompletedProcess (bytes)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "annotator", *map(str, args)],
        capture_output=True,
        input=input,
        env=full_env,
        timeout=120,
    )


def content(path: Path) -> list[str]:
    """Everything a project holds, as SQL: equal dumps mean an unchanged project."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()
