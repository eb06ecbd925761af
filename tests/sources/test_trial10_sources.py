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
    paths = []
    for name in names:
        shutil.copy(FILES / name, tmp_path / name)
        paths.append(tmp_path / name)
    return imported(tmp_path, *paths)


def imported(tmp_path: Path, *paths: Path) -> tuple[dict[str, dict], str]:
    """{file name: the exported statement} and the import's summary, for ``paths`` imported by the command."""
    project = tmp_path / "corpus.sqlite"
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


def test_a_two_page_pdf_reads_its_dateline_its_author_and_drops_its_running_head(tmp_path):
    """D3: the issuer was the title, "Brussels, 27 May 2024" was not read, and the letterhead repeated at the top of
    page 2 stayed in the middle of the statement."""
    docs, summary = _import(tmp_path, "12_eu_council.pdf")
    doc = docs["12_eu_council.pdf"]
    meta = doc["meta"]
    assert (meta["title"], meta["date"], meta["issuer"]) == (
        "Council Conclusions on the Korean Peninsula", "2024-05-27", "Council of the EU")
    assert doc["text"].count("Council of the European Union - Press Release") == 1  # page 1's letterhead stays
    assert doc["text"].startswith("Council of the European Union - Press Release\n\nBrussels, 27 May 2024\n\n")
    assert "irreversible manner.\n\nThe EU remains committed" in doc["text"]
    assert ("12_eu_council.pdf: removed 3 running head, foot or page number line(s): "
            "'Council of the European Union - Press Release'; '1'; '2'") in summary


def test_a_pdf_issuer_is_never_its_title(tmp_path):
    """Without /Author, the header's issuer is the title's line no more: the statement has none."""
    import pypdf

    reader = pypdf.PdfReader(FILES / "12_eu_council.pdf")
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.add_metadata({"/Author": "jsmith"})  # an account, not an issuer
    with open(tmp_path / "noauthor.pdf", "wb") as fh:
        writer.write(fh)
    result = run_cli("import", tmp_path / "p.sqlite", tmp_path / "noauthor.pdf")
    assert result.returncode == 0, result.stderr
    meta = json.loads(run_cli("export", tmp_path / "p.sqlite").stdout)["meta"]
    assert (meta["title"], meta["date"], meta["issuer"]) == (
        "Council Conclusions on the Korean Peninsula", "2024-05-27", "")


def test_a_date_on_a_line_of_its_own_ends_the_paragraph_and_dates_the_pdf(tmp_path):
    """D4: "Foreign, Commonwealth & Development Office" and "15 June 2024" were joined into one paragraph, so the
    date and the title (its /Title is "Untitled") were lost."""
    docs, _ = _import(tmp_path, "13_uk_fcdo.pdf")
    doc = docs["13_uk_fcdo.pdf"]
    assert doc["text"].startswith("Foreign, Commonwealth & Development Office\n\n15 June 2024\n\n"
                                  "UK statement on DPRK satellite launch\n\nThe United Kingdom condemns")
    assert (doc["meta"]["title"], doc["meta"]["date"]) == ("UK statement on DPRK satellite launch", "2024-06-15")


def test_a_word_files_footnote_is_kept_marked_where_the_text_refers_to_it(tmp_path):
    """D5: the footnote "See UN Security Council resolution 2397 (2017)." was dropped, and the summary said
    nothing. Its text now ends the statement after a rule, marked [1] where the text refers to it."""
    docs, summary = _import(tmp_path, "08_nato_communique.docx")
    doc = docs["08_nato_communique.docx"]
    assert doc["text"].startswith("March 3, 2024[1]\n\nNATO Allies condemn")
    assert doc["text"].endswith("ministerial meeting.\n\n__________\n\n"
                                "[1] See UN Security Council resolution 2397 (2017).")
    assert doc["meta"]["date"] == "2024-03-03"  # the mark on the date's line does not hide the date
    assert "08_nato_communique.docx: kept 1 footnote(s) or endnote(s): marked [1]" in summary


def test_a_dateline_dates_a_word_file_and_a_text_file_as_it_does_a_pdf(tmp_path):
    """D5: "Seoul, 22 April 2024", the third paragraph, left the date empty."""
    lines = ["Korea-Japan Foreign Ministers' Joint Press Release", "Seoul, 22 April 2024",
             "The two Ministers committed to expand cooperation on cyber security."]
    (tmp_path / "seoul.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    docs, _ = _import(tmp_path, "09_untitled.docx")
    assert docs["09_untitled.docx"]["meta"]["date"] == "2024-04-22"
    assert docs["09_untitled.docx"]["meta"]["title"] == "Korea-Japan Foreign Ministers' Joint Press Release"
    result = run_cli("import", tmp_path / "txt.sqlite", tmp_path / "seoul.txt")
    assert result.returncode == 0, result.stderr
    meta = json.loads(run_cli("export", tmp_path / "txt.sqlite").stdout)["meta"]
    assert (meta["date"], meta["title"]) == ("2024-04-22", "Korea-Japan Foreign Ministers' Joint Press Release")


def test_a_byline_issuer_is_the_name_as_the_page_writes_it(tmp_path):
    """D2: "Press Statement by Matthew Miller, Department Spokesperson" became the issuer "Press Statement by Matthew
    Miller; Department Spokesperson", one issuer group per byline's wording."""
    docs, _ = _import(tmp_path, "03_sanctions_nodate.html")
    assert docs["03_sanctions_nodate.html"]["meta"]["issuer"] == "Matthew Miller, Department Spokesperson"


def test_an_author_inside_a_sentence_stays_in_it(tmp_path):
    """D2: "Posted on 2024-05-01 by <span class="author">Ministry ...</span>" was stored as "Posted on 2024-05-01
    by", the name cut out of the sentence."""
    docs, _ = _import(tmp_path, "05_kor_aus.htm")
    doc = docs["05_kor_aus.htm"]
    assert "\n\nPosted on 2024-05-01 by Ministry of Foreign Affairs, Republic of Korea\n\n" in doc["text"]
    assert doc["meta"]["issuer"] == "Ministry of Foreign Affairs, Republic of Korea"


def test_a_page_skipped_as_already_imported_is_named_with_the_statement_it_repeats(tmp_path):
    """D6: the summary said "skipped 1 statement(s) already in the project" without naming the file nor the
    statement it duplicates."""
    shutil.copy(FILES / "01_trilateral_icbm.html", tmp_path / "01_trilateral_icbm (1).html")
    _import(tmp_path, "01_trilateral_icbm.html")
    result = run_cli("import", tmp_path / "corpus.sqlite", tmp_path / "01_trilateral_icbm (1).html")
    assert result.returncode == 0, result.stderr
    said = result.stdout.decode("utf-8") + result.stderr.decode("utf-8")
    assert "skipped 1 statement(s) already in the project (same text, no new spans)" in said
    assert ("01_trilateral_icbm (1).html: skipped, the same text as a statement already in the project: "
            "'Joint Statement on the DPRK ICBM Launch'") in said
