"""The command line (DESIGN.md §2.5): exit statuses, one clear line per problem, unchanged project on bad input."""

import codecs
import json
import re
import sqlite3
import subprocess
import sys

import pytest

from annotator.store import schema
from tests.helpers import content, run_cli


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "p.sqlite"
    result = run_cli("import", path, "sample_docs")
    assert result.returncode == 0, result.stderr
    assert b"imported 2 statement(s)" in result.stdout
    return path


def test_help_lists_every_subcommand():
    result = run_cli("--help")
    assert result.returncode == 0
    for word in (b"import", b"export", b"agree", b"stats"):
        assert word in result.stdout


def test_usage_errors_exit_2(project):
    assert run_cli("export").returncode == 2
    assert run_cli("export", project, "--format", "nope").returncode == 2
    assert run_cli("import", project).returncode == 2


def test_a_command_without_its_project_says_where_the_apps_own_is(tmp_path):
    """A newcomer's finding: ``annotator stats`` alone said only that a project is required."""
    result = run_cli("stats", env={"ANNOTATOR_DATA_DIR": str(tmp_path / "data")})
    err = result.stderr.decode()
    assert result.returncode == 2 and "required: project" in err, err
    assert f"the app's default project is {tmp_path / 'data'}" in err, err
    assert not (tmp_path / "data").exists()  # said, not made
    assert "default project" not in run_cli("export", tmp_path / "p.sqlite", "--format", "nope").stderr.decode()


def test_import_is_idempotent(project):
    before = content(project)
    result = run_cli("import", project, "sample_docs")
    assert result.returncode == 0
    assert b"skipped 2 statement(s) already in the project" in result.stdout
    assert content(project) == before


def test_export_to_stdout_and_file_every_format(project, tmp_path):
    out = run_cli("export", project)
    assert out.returncode == 0
    lines = out.stdout.decode("utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == 3
    assert json.loads(lines[0])["meta"]["status"] == "todo"
    for fmt in ("jsonl", "spans", "csv"):
        target = tmp_path / f"out.{fmt}"
        result = run_cli("export", project, "-o", target, "--format", fmt)
        assert result.returncode == 0, result.stderr
        assert target.exists()
    assert run_cli("export", project, "-o", "-", "--status", "done").stdout == b""


def test_stats(project):
    result = run_cli("stats", project, "--json")
    assert result.returncode == 0
    stats = json.loads(result.stdout)
    assert stats["documents"] == 2 and stats["status"]["todo"] == 2
    assert set(stats["labels"]) == {"threat", "commitment", "call_to_action"}


def test_windows_line_endings_and_emoji_from_a_folder(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "crlf.txt").write_bytes("Line one 😀\r\nLine 𝐃𝐏𝐑𝐊 two\r\n".encode())
    (folder / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + "한국어 statement\n".encode("utf-16-le"))
    (folder / "legacy.txt").write_bytes("The Minister’s “firm” résumé — naïve café.".encode("cp1252"))
    (folder / "notes.md").write_text("# Heading\n\nSome *markdown* text.\n", encoding="utf-8")
    project = tmp_path / "p.sqlite"
    result = run_cli("import", project, folder)
    assert result.returncode == 0, result.stderr
    assert b"imported 4 statement(s)" in result.stdout
    assert b"decoded as cp1252" in result.stdout
    out = run_cli("export", project)
    texts = sorted(json.loads(line)["text"] for line in out.stdout.decode().splitlines())
    assert "Line one 😀\nLine 𝐃𝐏𝐑𝐊 two\n" in texts
    assert "한국어 statement\n" in texts
    assert "The Minister’s “firm” résumé — naïve café." in texts


BAD_INPUTS = {
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    "empty.txt": (b"", "empty"),
    "blank.jsonl": (b"\n\n", "no documents"),
    "malformed.jsonl": (b'{"text": "ok"}\n{"text": \n', "line 2: not valid JSON"),
    "out_of_range.jsonl": (b'{"text": "abc", "spans": [{"start": 0, "end": 4, "label": "x"}]}\n', "outside the text"),
    "negative.jsonl": (b'{"text": "abc", "spans": [{"start": -1, "end": 2, "label": "x"}]}\n', "outside the text"),
    "float.jsonl": (b'{"text": "abc", "spans": [{"start": 0.0, "end": 2, "label": "x"}]}\n', "must be integers"),
    "nolabel.jsonl": (b'{"text": "abc", "spans": [{"start": 0, "end": 2}]}\n', "label"),
    "notext.jsonl": (b'{"spans": []}\n', "no 'text' key (found keys 'spans')"),
    "surrogate.jsonl": (b'{"text": "a\\ud800b"}\n', "line 1"),
    "deep.jsonl": (b"[" * 5000 + b"]" * 5000 + b"\n", "line 1"),
    "badutf8.jsonl": (b'{"text": "\xff\xfe"}\n', "line 1"),
    "truncated.pdf": (b"%PDF-1.4", "the PDF is damaged"),
    "unknown.odt": (b"PK\x03\x04", "unknown file type"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_exit_1_clear_message_project_unchanged(project, tmp_path, name):
    data, expected = BAD_INPUTS[name]
    bad = tmp_path / name
    bad.write_bytes(data)
    before = content(project)
    result = run_cli("import", project, bad)
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "Traceback" not in err
    assert expected in err, err
    assert content(project) == before


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda p: None, "no such project"),
        (lambda p: p.write_bytes(b"not sqlite at all"), "not a SQLite database"),
        (lambda p: sqlite3.connect(p).execute("create table x (y)").connection.commit(), "not an Annotator project"),
    ],
)
@pytest.mark.parametrize("command", ["export", "stats"])
def test_export_and_stats_refuse_what_is_not_a_project(tmp_path, setup, message, command):
    path = tmp_path / "x.sqlite"
    setup(path)
    existed = path.exists()
    result = run_cli(command, path)
    assert result.returncode == 1
    err = result.stderr.decode().strip().splitlines()
    assert len(err) == 1 and message in err[0], err
    assert path.exists() == existed


def test_newer_schema_refused(project):
    conn = sqlite3.connect(project)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 5}")
    conn.close()
    for args in (("export", project), ("stats", project), ("import", project, "sample_docs")):
        result = run_cli(*args)
        assert result.returncode == 1
        assert b"newer Annotator" in result.stderr


def test_export_to_unwritable_place_is_one_line(project, tmp_path):
    result = run_cli("export", project, "-o", tmp_path / "no" / "such" / "dir" / "out.jsonl")
    assert result.returncode == 1
    assert len(result.stderr.decode().strip().splitlines()) == 1
    assert b"Traceback" not in result.stderr


def test_missing_import_path(project, tmp_path):
    result = run_cli("import", project, tmp_path / "nope.txt")
    assert result.returncode == 1
    assert b"no such file or folder" in result.stderr


def _on_a_terminal(*args: str) -> tuple[subprocess.CompletedProcess[bytes], bytes]:
    """``annotator ARGS`` with stderr on a terminal (a pty): what it returned, and what the terminal was shown."""
    import os
    import pty

    leader, follower = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "annotator", *args], stdout=subprocess.PIPE, stderr=follower,
                              timeout=120)
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end is closed: all read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
    return done, shown


def test_import_on_a_terminal_shows_how_far_into_a_large_file_it_is(tmp_path):
    """stderr a terminal (a pty): the file being imported and, for a JSON Lines file read in batches, its percent."""
    source = tmp_path / "large.jsonl"
    with source.open("w", encoding="utf-8") as fh:
        for i in range(5000):
            fh.write(json.dumps({"text": f"Statement {i}. " + "We urge restraint and dialogue. " * 15}) + "\n")
    assert source.stat().st_size > 2 * 1024 * 1024  # three batches of 2 000
    done, shown = _on_a_terminal("import", str(tmp_path / "p.sqlite"), str(source))
    assert done.returncode == 0 and b"imported 5000 statement(s)" in done.stdout
    percents = [int(p) for p in re.findall(rb"large\.jsonl (\d+)%", shown)]
    assert len(percents) >= 2 and percents == sorted(percents) and 0 < percents[0] < 100, shown[-500:]
    assert shown.rstrip().endswith(b"importing 1/1"), shown[-200:]


def test_restore_on_a_terminal_shows_its_steps_then_clears_them(tmp_path):
    from annotator.store import backups
    from tests.reliability.common import make_project

    project = make_project(tmp_path / "p.sqlite", docs=200)
    backups.backup_file(project, "manual")
    done, shown = _on_a_terminal("restore", str(project), "1")
    assert done.returncode == 0 and b"restored" in done.stdout, (done.stdout, shown)
    for n in range(1, 5):
        assert f"(step {n} of 4)".encode() in shown, shown
    assert re.search(rb"step 2 of 4\)\S* 100%", shown), shown
    assert shown.endswith(b"\r\x1b[K"), shown[-80:]  # the terminal's line is left clear for the shell
