"""Header lines a research lead's statements were written with (trial 15). F1: a statement whose date is known to the
month or the year only: a header line "March 2024" left it undated, and ``annotator vars``, a JSONL ``meta.date``
and Document Properties refused "2024-03" and "2024" as "not a date written as YYYY-MM-DD", so a research lead could
only invent a day or count it under "(no date)". An ISO 8601 date of reduced precision (``YYYY-MM``, ``YYYY``) is a
statement's date now, and the corpus counts it in its year and quarter (``2024-Q1``; a year alone ``2024-Q?``), as
``store/corpus.py`` always could.

Through ``annotator import``, ``vars``, ``export`` and ``report`` on files written here, and the date's one parser
with generated dates. F2: an issuer line in lower case, and one under a title with no date (the last two tests)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.variables import parse_date
from tests.helpers import run_cli

BODY = ("We express deep concern over the escalation of the conflict and its impact on civilians, and we urge all "
        "parties to exercise utmost restraint and to return to the table.")


@given(st.dates(min_value=dt.date(1, 1, 1)))
def test_a_day_a_month_and_a_year_are_dates_as_written(day):
    iso = day.isoformat()
    assert parse_date(iso) == iso
    assert parse_date(iso[:7]) == iso[:7]
    assert parse_date(f" {iso[:4]} ") == iso[:4]


@pytest.mark.parametrize("text", ["2024-13", "2024-00", "0000", "2024-3", "24", "2024-02-30", "March 2024",
                                  "2024-03-", "2024/03"])
def test_what_is_not_a_date_of_any_precision_is_refused(text):
    with pytest.raises(ValueError, match="not a date"):
        parse_date(text)


def _meta(project: Path) -> dict[str, dict]:
    exported = run_cli("export", project)
    assert exported.returncode == 0, exported.stderr
    return {r["meta"]["title"]: r["meta"] for r in map(json.loads, exported.stdout.decode("utf-8").splitlines())}


def test_a_month_read_from_a_header_set_by_vars_and_imported_in_jsonl_is_counted_in_its_quarter(tmp_path):
    march = tmp_path / "s06.txt"
    march.write_text(f"March 2024\n\nStatement on Humanitarian Access\n\nFederal Foreign Office\n\n{BODY}\n", "utf-8")
    other = tmp_path / "s07.txt"
    other.write_text(f"Statement on Nuclear Safety\n\n{BODY} (Another one.)\n", "utf-8")
    project = tmp_path / "p.sqlite"
    said = run_cli("import", project, march, other)
    assert said.returncode == 0, said.stderr
    assert "date '2024-03'" in said.stdout.decode() + said.stderr.decode()
    metas = _meta(project)
    # the header was read as a header, with its title and issuer (without a date it is not)
    assert (metas["Statement on Humanitarian Access"]["date"],
            metas["Statement on Humanitarian Access"]["issuer"]) == ("2024-03", "Federal Foreign Office")
    # a year alone set by `annotator vars`, as a research lead knows it
    vars_csv = tmp_path / "vars.csv"
    vars_csv.write_text("title,date\ns07,2023\n", "utf-8")
    said = run_cli("vars", project, vars_csv)
    assert said.returncode == 0, said.stderr
    assert _meta(project)["s07"]["date"] == "2023"
    # and a month in a JSONL file's meta
    jsonl = tmp_path / "more.jsonl"
    jsonl.write_text(json.dumps({"text": BODY + " (A third.)", "meta": {"title": "third", "date": "2024-02"},
                                 "spans": [{"start": 3, "end": 10, "label": "threat"}]}) + "\n", "utf-8")
    said = run_cli("import", project, jsonl)
    assert said.returncode == 0, said.stderr
    assert _meta(project)["third"]["date"] == "2024-02"
    # counted by quarter and by month in its period; the year alone beside its year, never under "(no date)"
    report = run_cli("report", project, "--by", "date:quarter", "--status", "all", "--json")
    assert report.returncode == 0, report.stderr
    found = json.loads(report.stdout)
    assert dict(zip(found["groups"], found["statements"], strict=True)) == {"2023-Q?": 1, "2024-Q1": 2}
    assert found["cells"][found["labels"].index("threat")] == [0, 1]


def test_an_issuer_written_with_its_institutions_words_in_lower_case_is_read(tmp_path):
    """Trial 15, F2: "Ministry of foreign affairs" under the title was dropped without a word (two words in lower
    case read as a sentence), while "Ministry of Foreign Affairs" was read: one spelling counted, the other not. An
    institution's own words ("foreign", "affairs") may be in lower case; other lower-case words still make a
    sentence, never an issuer."""
    from annotator.sources.webtext import clean

    ports = tmp_path / "r02.txt"
    ports.write_text(f"12 May 2024\n\nStatement on Ports\n\nMinistry of foreign affairs\n\n{BODY}\n", "utf-8")
    project = tmp_path / "p.sqlite"
    said = run_cli("import", project, ports)
    assert said.returncode == 0, said.stderr
    assert _meta(project)["Statement on Ports"]["issuer"] == "Ministry of foreign affairs"
    for line in ("Ministry officials said", "Embassy staff evacuated", "The ministry of foreign affairs condemns"):
        assert clean(f"12 May 2024\n\nStatement on Ports\n\n{line}\n\n{BODY}\n").issuer == "", line


def test_a_header_without_a_date_gives_its_title_and_issuer_when_an_issuers_line_is_under_the_title(tmp_path):
    """Trial 15, F2: "Statement on Nuclear Safety" over "Federal Foreign Office" gave neither title nor issuer, the
    header being read only when it held a date or a page's chrome; a text whose first lines name no issuer keeps its
    file's name as title (``s07`` in the test above)."""
    safety = tmp_path / "r07.txt"
    safety.write_text(f"Statement on Nuclear Safety\nFederal Foreign Office\n\n{BODY}\n", "utf-8")
    project = tmp_path / "p.sqlite"
    said = run_cli("import", project, safety)
    assert said.returncode == 0, said.stderr
    meta = _meta(project)["Statement on Nuclear Safety"]
    assert (meta["issuer"], meta["date"]) == ("Federal Foreign Office", "")
    assert "issuer 'Federal Foreign Office'" in said.stdout.decode() + said.stderr.decode()
