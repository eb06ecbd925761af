"""Trial 13, F13: a Prodigy text-classification task became a statement without spans while the summary said only
"not imported: 1 document-level label(s)"; the summary now says what happened to its text."""

import json
import sqlite3

from tests.helpers import run_cli


def test_a_classification_tasks_text_is_a_statement_and_the_summary_says_so(tmp_path):
    src = tmp_path / "prodigy_dbout.jsonl"
    src.write_text(json.dumps({"text": "Is this a threat?", "label": "THREAT", "answer": "accept",
                               "_annotator_id": "ner_db-alice"}) + "\n", encoding="utf-8")
    project = tmp_path / "p.sqlite"
    result = run_cli("import", project, src)
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(project) as db:
        assert db.execute("SELECT text FROM documents").fetchall() == [("Is this a threat?",)]
        assert db.execute("SELECT COUNT(*) FROM spans").fetchone() == (0,)
    line = next(x for x in out.splitlines() if "document-level label(s)" in x)
    assert "THREAT (1)" in line and "the texts they label are imported as statements, without them" in line, out
