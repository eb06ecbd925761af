"""A ninth newcomer's trial (a data scientist at the command line, with files it wrote itself): a status that is no
status, a CSV quote left open, a mistyped folder, a mistyped command and no display: each gets one clear line and
changes nothing. A NUL in a text is kept, and the README says how SQL reads it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from annotator.store import Project
from annotator.store.transfer import export_project
from tests.helpers import content, run_cli

TEXT = "The DPRK 😀 threatens\r\npeace; we urge restraint."


def _project(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": TEXT, "spans": [{"start": 9, "end": 10, "label": "threat"}]},
                              ensure_ascii=False) + "\n", encoding="utf-8")
    assert run_cli("import", tmp_path / "p.sqlite", src).returncode == 0
    return tmp_path / "p.sqlite"


def _refused(tmp_path, project, path, *words):
    before = content(project)
    result = run_cli("import", project, path)
    err = result.stderr.decode()
    assert result.returncode == 1 and all(w in err for w in words), err
    assert "Traceback" not in err and content(project) == before
    return err


def test_a_status_that_is_no_status_is_named_not_made_todo(tmp_path):
    project = _project(tmp_path)
    bad = tmp_path / "status.jsonl"
    bad.write_text(json.dumps({"text": "Status bogus text.", "meta": {"status": "bogus"}}) + "\n")
    _refused(tmp_path, project, bad, "line 1", "meta.status 'bogus' is not a status", "in_progress")
    good = tmp_path / "done.jsonl"
    good.write_text(json.dumps({"text": "Done text.", "meta": {"status": "done"}}) + "\n")
    assert run_cli("import", project, good).returncode == 0
    with Project.open(project) as p:
        assert {d.title: d.status for d in p.documents()}["done #1"] == "done"


def test_a_csv_quote_left_open_is_named_as_such(tmp_path):
    project = _project(tmp_path)
    with Project.open(project) as p:
        export_project(p, "csv", tmp_path / "out.csv")
    good = (tmp_path / "out.csv").read_bytes()
    bad = tmp_path / "open.csv"
    bad.write_bytes(good + b'1,"abc,unterminated\r\n2,3\r\n')
    lines = good.count(b"\r\n")
    _refused(tmp_path, project, bad, f"line {lines + 1}", "quoted cell is not closed")
    stray = tmp_path / "stray.csv"
    stray.write_bytes(good + b'x,"ab"c,1,2\r\n')
    _refused(tmp_path, project, stray, f"line {lines + 1}", "must be doubled")


def test_a_nul_in_a_text_is_kept_whole_and_the_readme_says_how_sql_reads_it(tmp_path):
    """SQLite's own length() reads 3 of the 14 characters: the README says so, and the length column is right."""
    project = _project(tmp_path)
    text = "has\u0000nul inside"
    (tmp_path / "nul.jsonl").write_text(json.dumps({"text": text, "spans": [{"start": 4, "end": 7, "label": "x"}]})
                                        + "\n")
    assert run_cli("import", project, tmp_path / "nul.jsonl").returncode == 0
    out = run_cli("export", project, "--format", "spans")
    rows = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert [r["text"] for r in rows if r["label"] == "x"] == ["nul"]
    conn = sqlite3.connect(project)
    try:
        assert conn.execute("SELECT length, length(text) FROM documents WHERE title = 'nul #1'").fetchone() == (14, 3)
    finally:
        conn.close()
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert "stop at the first NUL. Use the `length` column" in readme


def test_a_new_project_in_a_folder_that_does_not_exist_is_not_made(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": TEXT}, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run_cli("import", tmp_path / "nosuchdir" / "deep" / "new.sqlite", src)
    assert result.returncode == 1 and b"there is no folder" in result.stderr and b"nosuchdir" in result.stderr
    assert not (tmp_path / "nosuchdir").exists()


def test_a_mistyped_command_or_no_display_is_one_line_not_a_qt_abort(tmp_path):
    result = subprocess.run([sys.executable, "-m", "annotator", "exprot"], capture_output=True, cwd=tmp_path,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=60)
    err = result.stderr.decode()
    assert result.returncode == 2 and "did you mean 'annotator export" in err and "Traceback" not in err, err
    assert list(tmp_path.iterdir()) == []  # no project "exprot" made where it ran
    no_display = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "annotator", str(tmp_path / "p.sqlite")], capture_output=True,
                            env=no_display, timeout=60)
    err = result.stderr.decode()
    assert result.returncode == 1 and "no display" in err and "annotator --help" in err, err
    assert not (tmp_path / "p.sqlite").exists()


def test_our_csv_export_with_a_span_over_128_kib_comes_back(tmp_path):
    """Python's csv module refuses a cell over 128 KiB by default: a long span's text, or its note, exported to CSV
    could not be imported back (a reviewer's finding)."""
    text = "We urge " + "restraint and calm " * 8000 + "now."
    src = tmp_path / "long.jsonl"
    src.write_text(json.dumps({"text": text, "spans": [{"start": 3, "end": len(text), "label": "call_to_action",
                                                        "note": "n" * 140_000}]}) + "\n")
    assert run_cli("import", tmp_path / "p.sqlite", src).returncode == 0
    with Project.open(tmp_path / "p.sqlite") as p:
        export_project(p, "csv", tmp_path / "out.csv")
    bare = tmp_path / "bare.jsonl"  # a colleague's project holding the text alone; the spans come from the CSV
    bare.write_text(json.dumps({"text": text}) + "\n")
    assert run_cli("import", tmp_path / "q.sqlite", bare).returncode == 0
    result = run_cli("import", tmp_path / "q.sqlite", tmp_path / "out.csv")
    assert result.returncode == 0, result.stderr
    with Project.open(tmp_path / "q.sqlite") as q:
        (doc,) = q.documents()
        assert [(s.start, s.end, len(s.note)) for s in q.spans(doc.id)] == [(3, len(text), 140_000)]
