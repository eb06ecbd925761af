"""Bad input to import, vars and agree: one clear line, exit status 1, nothing changed (DESIGN.md §2.5, §6).

Each case is one a tester found giving a traceback, a misleading line, exit status 0 or a file left behind.
"""

import json

from tests.helpers import content, run_cli

BIG = 12345678901234567890  # beyond SQLite's 64-bit INTEGER


def _jsonl(path, *records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _one_project(tmp_path, variables):
    project = tmp_path / "p.sqlite"
    src = _jsonl(tmp_path / "small.jsonl", {"text": "doc one", "meta": {"title": "one", "variables": variables}})
    assert run_cli("import", project, src).returncode == 0
    return project


# -- 1. integers beyond 64 bits in document variables
def test_a_new_variable_holding_a_huge_integer_is_text_kept_digit_for_digit(tmp_path):
    src = _jsonl(tmp_path / "bigvar.jsonl", {"text": "doc big", "spans": [], "meta": {"variables": {"big": BIG}}})
    result = run_cli("import", tmp_path / "p.sqlite", src)
    assert result.returncode == 0, result.stderr
    exported = run_cli("export", tmp_path / "p.sqlite")
    assert json.loads(exported.stdout)["meta"]["variables"] == {"big": str(BIG)}


def test_a_huge_integer_for_a_number_variable_is_one_line_and_changes_nothing(tmp_path):
    project = _one_project(tmp_path, {"big": 5})
    before = content(project)
    src = _jsonl(tmp_path / "bigvar.jsonl", {"text": "doc big threat", "meta": {"variables": {"big": BIG}}})
    result = run_cli("import", project, src)
    assert result.returncode == 1 and b"Traceback" not in result.stderr, result.stderr
    assert b"'big'" in result.stderr and b"too large for a number variable" in result.stderr
    assert content(project) == before

    csv_file = tmp_path / "vars.csv"
    csv_file.write_text(f"title,big\none,{BIG}\n", encoding="utf-8")
    result = run_cli("vars", project, csv_file)
    assert result.returncode == 1 and b"Traceback" not in result.stderr, result.stderr
    assert b"line 2: big:" in result.stderr and b"nothing from this file was applied" in result.stderr
    assert content(project) == before


def test_vars_json_with_a_huge_integer_adds_a_text_variable(tmp_path):
    project = _one_project(tmp_path, {})
    src = tmp_path / "bigvar.json"
    src.write_text(json.dumps([{"title": "one", "big": BIG}]), encoding="utf-8")
    result = run_cli("vars", project, src)
    assert result.returncode == 0, result.stderr
    assert b"big (text)" in result.stdout
    assert json.loads(run_cli("export", project).stdout)["meta"]["variables"] == {"big": str(BIG)}


def test_vars_csv_with_a_5000_digit_cell_is_text_not_a_traceback(tmp_path):
    """int() refuses a string of 4 301 digits or more (Python's limit): the type guess must not ask it (a
    reviewer's case)."""
    project = _one_project(tmp_path, {})
    src = tmp_path / "long.csv"
    digits = "7" * 5000
    src.write_text(f"title,serial\none,{digits}\n", encoding="utf-8")
    result = run_cli("vars", project, src)
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr
    assert json.loads(run_cli("export", project).stdout)["meta"]["variables"] == {"serial": digits}


# -- 4. agree on a folder holding nothing to compare
def test_agree_refuses_an_empty_folder_and_a_folder_named_like_a_project(tmp_path):
    project = _one_project(tmp_path, {})
    (tmp_path / "emptydir").mkdir()
    (tmp_path / "dir.sqlite").mkdir()
    result = run_cli("agree", tmp_path / "emptydir", project)
    assert result.returncode == 1 and b"holding no annotation files" in result.stderr, result.stderr
    result = run_cli("agree", tmp_path / "dir.sqlite", project)
    assert result.returncode == 1 and b"is a folder, not an Annotator project" in result.stderr, result.stderr
    assert result.stdout == b""


# -- 6. messages
def test_agree_says_what_it_did_not_do_and_names_a_file_that_is_not_sqlite(tmp_path):
    project = _one_project(tmp_path, {})
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "doc one", "spans": [{"start": 0, "end": 99, "label": "x"}]}\n', encoding="utf-8")
    result = run_cli("agree", bad, project)
    assert result.returncode == 1 and b"no agreement was computed" in result.stderr, result.stderr
    assert b"imported" not in result.stderr
    text = tmp_path / "text.sqlite"
    text.write_text("hello", encoding="utf-8")
    result = run_cli("agree", text, project)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"annotator: {text} is not an Annotator project (not a SQLite database)".encode()
    ]


def test_invalid_utf8_in_jsonl_is_named_so_with_its_line(tmp_path):
    src = tmp_path / "latin.jsonl"
    src.write_bytes(b'{"text": "fine"}\n{"text":"caf\xe9 threat","spans":[]}\n')
    result = run_cli("import", tmp_path / "p.sqlite", src)
    assert result.returncode == 1
    assert b"line 2: not valid JSON: not valid UTF-8 at byte 13 of the line" in result.stderr, result.stderr
    assert b"surrogates" not in result.stderr


def test_import_of_nothing_usable_leaves_no_new_project(tmp_path):
    result = run_cli("import", tmp_path / "new.sqlite", tmp_path / "nonexistent.jsonl")
    assert result.returncode == 1 and b"no such file or folder" in result.stderr
    assert list(tmp_path.iterdir()) == []
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    result = run_cli("import", tmp_path / "new.sqlite", bad)
    assert result.returncode == 1 and b"was not created" in result.stderr, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["bad.jsonl"]
