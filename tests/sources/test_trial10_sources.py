"""Statements brought in from web pages, PDFs and Word files as a newcomer's trial made them (trial 10; the files are
in ``tests/data/trial10``, see its README): each defect the trial found, through ``annotator import`` and
``annotator export`` as the analyst ran them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.helpers import run_cli

FILES = Path(__file__).parents[1] / "data" / "trial10"


def _import(tmp_path: Path, *names: str) -> tuple[dict[str, dict], str]:
    """{file name: the exported statement} and the import's summary, for the trial's files ``names``."""
    project = tmp_path / "corpus.sqlite"
    paths = []
    for name in names:
        shutil.copy(FILES / name, tmp_path / name)
        paths.append(tmp_path / name)
    result = run_cli("import", project, *paths)
    summary = result.stdout.decode("utf-8") + result.stderr.decode("utf-8")
    assert result.returncode == 0, summary
    exported = run_cli("export", project)
    assert exported.returncode == 0, exported.stderr
    records = [json.loads(line) for line in exported.stdout.decode("utf-8").splitlines()]
    return {r["meta"]["source"]: r for r in records}, summary


def test_an_undated_page_gets_no_date_from_its_copyright_year(tmp_path):
    """D1: the footer's "© 2024" made htmldate answer 2024-01-01, which every report then counted in January."""
    docs, summary = _import(tmp_path, "03_sanctions_nodate.html", "17_weekday_date.html")
    assert docs["03_sanctions_nodate.html"]["meta"]["date"] == ""
    assert "03_sanctions_nodate.html: date left empty: the page states no day" in summary
    assert "© 2024" in summary
    assert docs["17_weekday_date.html"]["meta"]["date"] == "2024-06-03"  # "Monday, 3 June 2024" is a day


def test_a_page_dated_on_the_first_keeps_its_date_when_it_states_it(tmp_path):
    page = (FILES / "03_sanctions_nodate.html").read_text(encoding="utf-8")
    for name, stated in (("iso.html", '<time datetime="2024-01-01">'), ("words.html", "<p>January 1, 2024</p>"),
                         ("dots.html", "<p>Berlin, 01.01.2024</p>")):
        (tmp_path / name).write_text(page.replace("<h1>", f"{stated}<h1>").replace("Today", f"({name}) Today"),
                                     encoding="utf-8")
    result = run_cli("import", tmp_path / "p.sqlite", *(tmp_path / n for n in ("iso.html", "words.html", "dots.html")))
    assert result.returncode == 0, result.stderr
    exported = run_cli("export", tmp_path / "p.sqlite").stdout.decode("utf-8").splitlines()
    assert [json.loads(line)["meta"]["date"] for line in exported] == ["2024-01-01"] * 3


def test_an_ambiguous_numeric_date_is_left_empty_with_both_readings(tmp_path):
    """D14: "06/07/2024" was read as 6 July without a word; it may as well be June 7."""
    docs, summary = _import(tmp_path, "16_us_date.html")
    assert docs["16_us_date.html"]["meta"]["date"] == ""
    assert "'06/07/2024', which reads as 2024-07-06 (day first) or 2024-06-07 (month first)" in summary


def test_an_ambiguous_numeric_date_takes_the_reading_the_page_also_writes_in_words(tmp_path):
    page = (FILES / "16_us_date.html").read_text(encoding="utf-8")
    (tmp_path / "both.html").write_text(page.replace("</h1>", "</h1><p>June 7, 2024</p>"), encoding="utf-8")
    result = run_cli("import", tmp_path / "p.sqlite", tmp_path / "both.html")
    assert result.returncode == 0, result.stderr
    exported = run_cli("export", tmp_path / "p.sqlite").stdout.decode("utf-8").splitlines()
    assert json.loads(exported[0])["meta"]["date"] == "2024-06-07"
    assert "date left empty" not in result.stdout.decode("utf-8") + result.stderr.decode("utf-8")
