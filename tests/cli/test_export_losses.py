"""Trial 13, F4: the doccano export lost titles (and annotators, notes, dates...) and the brat export cut titles
into file names and dropped annotators, without a word. doccano now carries them in extra keys (doccano keeps them
as the example's metadata) and reads them back; brat, which has no place for them, says what it left out."""

import json

from tests.helpers import run_cli

TITLE = ("Illegale Migration aus Belarus über Polen nach Deutschland: Bereits 9.087 Feststellungen durch die "
         "Bundespolizei im laufenden Jahr")
RECORDS = [
    {"text": "Bereits 9.087 Feststellungen 🚀 durch die Bundespolizei.\r\nEnde.",
     "spans": [{"start": 8, "end": 13, "label": "count", "annotator": "dana", "note": "a \"number\""},
               {"start": 33, "end": 55, "label": "org", "annotator": "kim", "note": ""}],
     "meta": {"title": TITLE, "status": "done", "date": "2024-01-05", "issuer": "Bundespolizei",
              "url": "https://www.bundespolizei.de/x", "note": "memo", "variables": {"wave": 2, "joint": True}}},
    {"text": "Zweite.", "spans": [], "meta": {"title": "zwei"}},
]


def original(tmp_path):
    src = tmp_path / "src.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    project = tmp_path / "a.sqlite"
    assert run_cli("import", project, src).returncode == 0
    return project, run_cli("export", project).stdout


def test_a_doccano_round_trip_keeps_titles_annotators_notes_and_fields(tmp_path):
    project, before = original(tmp_path)
    for offsets in ("utf16", "codepoints"):
        out = tmp_path / f"out.{offsets}.jsonl"
        result = run_cli("export", project, "--format", "doccano", "--offsets", offsets, "-o", out)
        assert result.returncode == 0 and b"not in the" not in result.stderr, result.stderr
        again = tmp_path / f"{offsets}.sqlite"
        result = run_cli("import", again, out)
        assert result.returncode == 0, result.stderr
        assert run_cli("export", again).stdout == before


def test_the_brat_export_names_what_it_left_out(tmp_path):
    project, _ = original(tmp_path)
    result = run_cli("export", project, "--format", "brat", "-o", tmp_path / "brat")
    assert result.returncode == 0, result.stderr
    (line,) = [x for x in result.stderr.decode().splitlines() if "not in the brat export" in x]
    assert "1 title(s), changed into file names" in line and "im laufenden Jahr'" in line, line
    for part in ("2 span annotator(s)", "1 date(s)", "1 issuer(s)", "1 URL(s)", "1 memo(s)",
                 "the variables of 1 statement(s)", "1 status(es) other than todo"):
        assert part in line, line
    assert "span note" not in line  # brat keeps notes (AnnotatorNotes)
