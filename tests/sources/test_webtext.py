"""Plain text copied from web pages (the sample statements): chrome dropped and listed, date/title/issuer read from
the header; legacy encodings; the bundled samples."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator import formats, paths
from annotator.core.text import decode_bytes
from annotator.sources.samples import sample_documents
from annotator.sources.webtext import clean, parse_header_date
from annotator.store import Project
from annotator.store.transfer import import_paths

SAMPLES = Path(__file__).parents[2] / "sample_docs"
CHROME = ["An official website of the United States government", "Here's how you know",
          "A .mil website belongs to an official U.S. Department of Defense organization in the United States.",
          "A lock (lock ) or https:// means you’ve safely connected to the .mil website. Share sensitive information"
          " only on official, secure websites."]


@pytest.mark.parametrize(("line", "date"), [
    ("NEWS | Oct. 26, 2023", "2023-10-26"), ("December 21, 2023", "2023-12-21"), ("26 October 2023", "2023-10-26"),
    ("Press Release | Sept. 3, 2024", "2024-09-03"), ("2023-10-26", "2023-10-26"), ("February 30, 2023", ""),
    ("We met on December 21, 2023 in Seoul.", ""), ("Smarch 3, 2023", ""),
])
def test_header_dates(line, date):
    assert parse_header_date(line) == date


def test_the_sample_statements_arrive_with_date_issuer_title_and_no_chrome():
    docs = {d.source: d for d in sample_documents(paths.sample_docs_dir())}
    first = docs["2023-10-26-joint-statement-dprk-russia-arms-transfers.txt"]
    assert first.title == "U.S.-Japan-ROK Joint Statement Condemning DPRK-Russia Arms Transfers"
    assert (first.date, first.issuer) == ("2023-10-26", "U.S. Department of State")
    assert first.text.startswith("NEWS | Oct. 26, 2023\n\nU.S.-Japan-ROK Joint Statement")
    for line in CHROME:
        assert line not in first.text
    second = docs["2023-12-21-joint-statement-dprk-ballistic-missile-launches.txt"]
    assert second.title.startswith("Joint Statement by U.S. Secretary of State Antony J. Blinken")
    assert (second.date, second.issuer) == ("2023-12-21", "U.S. Department of State")
    assert second.provenance.extractor == "plaintext"


def test_the_import_summary_lists_every_line_removed(tmp_path):
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        report = import_paths(p, [SAMPLES])
    notes = "\n".join(report.notes)
    assert "removed 4 line(s) of page chrome" in notes
    for line in CHROME:
        assert repr(line[:60] + ("…" if len(line) > 60 else "")) in notes
    assert "read from the header: date '2023-10-26'" in notes


def test_chrome_is_only_dropped_from_the_header():
    body = "x" * 250
    text = f"Here's how you know\nTitle of it\n{body}\nHere's how you know\nShare\n"
    cleaned = clean(text)
    assert cleaned.removed == ["Here's how you know"]
    assert cleaned.text == f"Title of it\n{body}\nHere's how you know\nShare\n"


def test_a_plain_text_without_a_page_header_is_left_as_it_is(tmp_path):
    path = tmp_path / "memo.txt"
    path.write_text("Short heading\nThe DPRK threatens peace.\n", encoding="utf-8")
    doc = formats.read(path).documents[0]
    assert (doc.title, doc.date, doc.text) == ("memo", "", "Short heading\nThe DPRK threatens peace.\n")


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_cleaning_only_ever_removes_whole_lines(text):
    text = text.replace("\r", "")
    cleaned = clean(text)
    if not cleaned.removed:
        assert cleaned.text == text
    kept = [line for line in cleaned.text.split("\n") if line.strip()]
    original = [line for line in text.split("\n") if line.strip()]
    remaining = iter(original)
    assert all(any(line == o for o in remaining) for line in kept)  # an ordered subsequence of the lines


def test_cp1252_preferred_over_dos_and_central_european_picks():
    curly = "We said it\u2019s a threat.\r\nThey didn\u2019t agree.\r\n".encode("cp1252")
    german = ("Die Bundesregierung verurteilt den Raketenstart. Außenministerin Baerbock äußerte sich besorgt über "
              "die Lage; die Gespräche würden fortgesetzt.\r\n").encode("cp1252")
    for data in (curly, german):
        decoded = decode_bytes(data)
        assert decoded.encoding == "cp1252" and decoded.legacy
    assert decode_bytes(curly).text.startswith("We said it\u2019s")
    czech = "Příliš žluťoučký kůň úpěl ďábelské ódy.\r\n".encode("cp1250")
    assert decode_bytes(czech).encoding == "cp1250"  # cp1252 would mangle it: the detector's pick stands
