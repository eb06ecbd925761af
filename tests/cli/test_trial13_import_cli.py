"""``annotator import`` of files that meet statements already in the project (trial 13): an edited export of our own
(F10), our CSV export (F14) and how to take an import back (F12)."""

from __future__ import annotations

import contextlib
import json
import sqlite3

from tests.helpers import run_cli

TEXT = "English:\n\nHello World\n\nRussian:\n\nПривет, мир"


def _record(**meta):
    note = meta.pop("span_note", "")
    spans = [{"start": 10, "end": 21, "label": "call_to_action", "annotator": "dana", "note": note}]
    base = {"title": "multilang", "date": "2024-02-29", "issuer": "Ministère", "url": "", "note": "memo",
            "variables": {"wave": 2}}
    return {"text": TEXT, "spans": spans, "meta": {**base, **meta}}


def _write(path, *records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _one(project, sql):
    with contextlib.closing(sqlite3.connect(project)) as conn:
        return conn.execute(sql).fetchone()[0]


def _row(project):
    with contextlib.closing(sqlite3.connect(project)) as conn:
        doc = conn.execute("SELECT date, issuer, url, note FROM documents").fetchone()
        wave = conn.execute("SELECT value FROM document_values WHERE variable = 'wave'").fetchone()
        notes = [r[0] for r in conn.execute("SELECT note FROM spans ORDER BY start")]
    return doc, wave[0] if wave else None, notes


def test_an_edited_export_names_every_value_it_did_not_take_and_fills_what_the_project_lacked(tmp_path):
    project = tmp_path / "p.sqlite"
    assert run_cli("import", project, _write(tmp_path / "out.jsonl", _record())).returncode == 0
    before = _row(project)
    edited = _record(issuer="Quai d'Orsay", note="changed memo", url="https://example.org/x", variables={"wave": 3},
                     span_note="edited note")
    edited["spans"].append({"start": 33, "end": 39, "label": "threat", "annotator": "dana", "note": "new"})
    result = run_cli("import", project, _write(tmp_path / "edited.jsonl", edited))
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr
    assert "added 1 span(s) to 1 statement(s) already in the project" in out, out
    assert ("edited.jsonl: 'multilang': issuer in the file \"Quai d'Orsay\" not taken (the project's 'Ministère'; "
            "kept)") in out, out
    assert "edited.jsonl: 'multilang': memo in the file 'changed memo' not taken (the project's 'memo'; kept)" in out
    assert "edited.jsonl: 'multilang': variable wave in the file '3' not taken (the project's '2'; kept)" in out
    assert ("edited.jsonl: filled 2 value(s) the project's statements lacked: 'multilang': URL set to "
            "'https://example.org/x'; 'multilang': note of the call_to_action span 'Hello World' set to "
            "'edited note'") in out, out
    (date, issuer, url, memo), wave, notes = _row(project)
    assert (date, issuer, memo, wave) == ("2024-02-29", "Ministère", "memo", before[1])  # the project's kept
    assert url == "https://example.org/x" and notes == ["edited note", "new"]
    # the same file again: nothing more to say about values
    again = run_cli("import", project, tmp_path / "edited.jsonl").stdout.decode()
    assert "filled" not in again and again.count("not taken") == 3, again


def test_more_differences_than_listed_are_counted(tmp_path):
    project = tmp_path / "p.sqlite"
    records = [{"text": f"Statement {i}.", "meta": {"title": f"s{i}", "issuer": "A"}} for i in range(14)]
    assert run_cli("import", project, _write(tmp_path / "a.jsonl", *records)).returncode == 0
    for r in records:
        r["meta"]["issuer"] = "B"
    out = run_cli("import", project, _write(tmp_path / "b.jsonl", *records)).stdout.decode()
    assert out.count("issuer in the file 'B' not taken (the project's 'A'; kept)") == 10, out
    assert "b.jsonl: and 4 more value(s) that differ from the project's, not taken" in out, out


def test_our_csv_export_imported_again_says_its_spans_were_there_not_that_a_text_was(tmp_path):
    project = tmp_path / "p.sqlite"
    assert run_cli("import", project, _write(tmp_path / "out.jsonl", _record())).returncode == 0
    csv = tmp_path / "out.csv"
    assert run_cli("export", project, "--format", "csv", "-o", csv).returncode == 0
    result = run_cli("import", project, csv)
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr
    assert "out.csv: every span it holds for 1 statement(s) of the project was there already (nothing added to " \
           "them): 'multilang'" in out, out
    assert "same text" not in out and "skipped" not in out, out
    assert "1 span(s) already present" in out, out


def test_an_import_says_how_to_take_it_back_and_the_restore_it_names_does(tmp_path):
    """F12: a wrong folder imported into a project that held statements is taken back by the one command the
    summary prints (a backup made just before it); an import that changed nothing says nothing and keeps none."""
    import re

    project = tmp_path / "p.sqlite"
    assert run_cli("import", project, "sample_docs").returncode == 0  # a new project: nothing to take back
    wrong = tmp_path / "wrong"
    wrong.mkdir()
    for i in range(3):
        (wrong / f"s{i}.txt").write_text(f"A statement that does not belong here, number {i}.", encoding="utf-8")
    (wrong / "d.jsonl").write_text(json.dumps({"text": "Labelled.", "label": [[0, 8, "NEWLABEL"]]}) + "\n",
                                   encoding="utf-8")
    result = run_cli("import", project, wrong)
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr
    found = re.search(rf"to take this import back: annotator restore {re.escape(str(project))} (\S+) \(the backup "
                      r"made just before it, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d; changes made after the import would go "
                      r"with it\)", out)
    assert found, out
    assert _one(project, "SELECT count(*) FROM documents") == 6
    again = run_cli("import", project, wrong).stdout.decode()
    assert "take this import back" not in again, again  # nothing changed: nothing to take back
    listed = run_cli("restore", project, "--list").stdout.decode()
    assert listed.count("before an import") == 1, listed
    restored = run_cli("restore", project, found.group(1))
    assert restored.returncode == 0, restored.stderr
    assert _one(project, "SELECT count(*) FROM documents") == 2
    assert _one(project, "SELECT count(*) FROM labels WHERE key = 'NEWLABEL'") == 0
