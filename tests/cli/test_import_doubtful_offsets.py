"""Trial 13, F6: `annotator import` without --offsets never stores a reading of a doccano file that File ▸ Import
would not offer as its default; where no reading is clearly likelier it imports nothing and says how to choose."""

import json
import sqlite3

from tests.helpers import run_cli

DATA = "tests/cli/data"


def spans(project):
    with sqlite3.connect(project) as db:
        return sorted(text[a:b] for text, a, b in db.execute(
            "SELECT d.text, s.start, s.end FROM spans s JOIN documents d ON d.id = s.doc_id"))


def test_a_file_counting_code_points_is_read_so_as_the_window_defaults(tmp_path):
    project = tmp_path / "p.sqlite"
    result = run_cli("import", project, f"{DATA}/trial13_entities_codepoints.jsonl")
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr
    assert spans(project) == ["call on Pyongyang to stop", "condemn"]
    assert "offsets read as code points" in out and "--offsets utf16" in out, out
    assert "warning" not in result.stderr.decode()


def test_a_file_truly_in_utf16_units_is_read_so(tmp_path):
    project = tmp_path / "p.sqlite"
    result = run_cli("import", project, f"{DATA}/trial13_label_utf16.jsonl")
    assert result.returncode == 0, result.stderr
    assert spans(project) == ["condemn"]


def test_the_other_reading_when_asked_for(tmp_path):
    project = tmp_path / "p.sqlite"
    result = run_cli("import", project, f"{DATA}/trial13_entities_codepoints.jsonl", "--offsets", "utf16")
    assert result.returncode == 0, result.stderr
    assert spans(project) == ["We call on Pyongyang to s", "🚀 cond"]


def test_neither_reading_clearly_right_imports_nothing_and_says_how_to_choose(tmp_path):
    doubtful = tmp_path / "tie.jsonl"  # 'a' counted in UTF-16 units, '.' in code points: both look like a span
    doubtful.write_text(json.dumps({"text": "🚀 a.b", "label": [[3, 4, "X"]]}, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text("Another statement.", encoding="utf-8")
    project = tmp_path / "p.sqlite"
    result = run_cli("import", project, other, doubtful)
    err = result.stderr.decode()
    assert result.returncode == 1
    assert len(err.strip().splitlines()) == 1, err
    assert "--offsets utf16 or --offsets codepoints" in err and "nothing was imported" in err, err
    assert not project.exists()
    result = run_cli("import", project, doubtful, "--offsets", "codepoints")
    assert result.returncode == 0 and spans(project) == ["."]
