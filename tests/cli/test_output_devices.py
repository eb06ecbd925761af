"""``-o`` onto a device or a pipe is written straight into, as a shell's redirect does; a regular file is replaced
whole through a temporary file renamed onto it. Renamed onto, ``/dev/null`` itself was replaced by a file when
``annotator export -o /dev/null`` or ``annotator gold -o /dev/null`` ran as root (trial 12, found by hand).
Tested with a named pipe (a device cannot be made without privileges): it stays a pipe, and a program reading it
gets every byte the same command writes into a file."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from annotator.core.model import IncomingDocument, IncomingSpan
from annotator.store import Project
from tests.helpers import run_cli


@pytest.fixture
def project(tmp_path):
    text = "We condemn the launch.\r\nWe urge restraint 🚀 by all."
    spans = [IncomingSpan(3, 10, "threat", note="a note"), IncomingSpan(24, 41, "call_to_action")]
    path = tmp_path / "p.sqlite"
    Project.open(path, create=True, user="ana", populate=[IncomingDocument(text, "one", spans=spans)]).close()
    return path


def _through_a_pipe(pipe: Path, *args: object) -> tuple[bytes, object]:
    """Run ``annotator ARGS`` writing into the named pipe ``pipe`` while a thread reads it: (what it read, result)."""
    got: list[bytes] = []

    def read() -> None:
        with open(pipe, "rb") as fh:
            got.append(fh.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    result = run_cli(*args)
    if reader.is_alive():  # the command never opened the pipe: open it ourselves so the reader ends
        with open(pipe, "wb"):
            pass
    reader.join(10)
    return (got[0] if got else b""), result


@pytest.mark.parametrize("fmt", ["jsonl", "spans", "csv"])
def test_export_into_a_named_pipe_writes_into_it_and_leaves_it_a_pipe(project, tmp_path, fmt):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    read, result = _through_a_pipe(pipe, "export", project, "--format", fmt, "-o", pipe)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(pipe.stat().st_mode), "the pipe was replaced by a file"
    to_file = tmp_path / f"out.{fmt}"
    assert run_cli("export", project, "--format", fmt, "-o", to_file).returncode == 0
    assert read == to_file.read_bytes() and read
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_export_onto_a_folder_is_one_line_and_writes_nothing(project, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    result = run_cli("export", project, "-o", folder)
    assert result.returncode == 1
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and "is a folder" in lines[0], lines
    assert list(folder.iterdir()) == []
