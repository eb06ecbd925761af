"""A PDF's lines into paragraphs as a data scientist's trial found them (trial 13, F2), through ``annotator import``:
numbered headings glued onto the paragraph before them when it ended in a full line ("…last updated 2 October 2018.
1.2. What is this spec?"), a table of contents as one line, a paragraph of an OCR layer broken mid-sentence beside a
picture, a diary's "JUNE 11TH.—" glued onto the entry before it.

The files: pypdf's Vicksburg and pdflatex-outline test resources in tests/data/pdf (SOURCES.md there), and
shared-mime-info's specification, ``/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf`` (Debian package
shared-mime-info 2.2, pdfTeX from DocBook; GPL-2, so not copied here): read where the machine has it, and otherwise
as :data:`MIME_SPEC_PAGES`, a few of its lines as pypdf's plain extraction gives them, written into a PDF here."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.store import Project
from tests.helpers import run_cli
from tests.sources.test_trial10_review import write_pdf

DATA = Path(__file__).parents[1] / "data" / "pdf"
MIME_SPEC = Path("/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf")

#: lines of the specification's pages 1, 2 and 13-14 as pypdf 'plain' extraction gives them (each page its running
#: head and page number), shortened: the line layout (full lines, the headings' lines after them) is the original's
MIME_SPEC_PAGES = [
    ["Shared MIME-info Database", "X Desktop Group (http://www.freedesktop.org)", "Thomas Leonard",
     "tal197 at users.sf.net", "1. Introduction", "1.1. Version",
     "This is version 0.21 of the Shared MIME-info Database specification, last updated 2 October 2018.",
     "1.2. What is this spec?",
     "Many programs and desktops use the MIME system[MIME] to represent the types of files. Frequently, it",
     "is necessary to work out the correct MIME type for a file. This is generally done by examining the file's",
     "name or contents, and looking up the correct MIME type in a database.", "1"],
    ["Shared MIME-info Database", "2. Unified system",
     "In discussions about the previous systems used by GNOME, KDE and ROX (see the \"History and related",
     "systems\" document), it was clear that the differences between the databases were simply a result of them",
     "being separate, and not due to any fundamental disagreements between developers. Everyone is keen to",
     "see them merged.",
     "Further, the existing databases have been merged into a single package [SharedMIME].",
     "2.1. Directory layout",
     "There are two important requirements for the way the MIME database is stored, and the cache files must",
     "be written atomically - write to a temporary name, then move over the old file - so that clients",
     "that have the old cache file open and mmap'ed won't get corrupt data.", "2"],
    ["Shared MIME-info Database", "2.10. Storing the MIME type using Extended Attributes",
     "An implementation MAY also get a file's MIME type from the user.mime_type extended attribute.",
     "The type given here should normally be used in preference to any guessed type, since the user is able",
     "to set it explicitly. Applications MAY choose to set the type when saving files.", "3"],
]


def _pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF of ``pages``' lines (Helvetica, WinAnsi), one text line each."""
    def esc(line: str) -> str:
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    n = len(pages)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (4 + 2 * k) for k in range(n)), n),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    for k, lines in enumerate(pages):
        content = ("BT /F1 9 Tf 12 TL 40 760 Td " + " ".join(f"({esc(line)}) Tj T*" for line in lines) + " ET")
        stream = content.encode("cp1252")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
                       b" /Contents %d 0 R >>" % (5 + 2 * k))
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    write_pdf(path, objects)
    return path


def _paragraphs(tmp_path: Path, *paths: Path) -> dict[str, list[str]]:
    """{file name: its statement's paragraphs} as ``annotator import`` stores them."""
    project = tmp_path / "p.sqlite"
    said = run_cli("import", project, *paths)
    assert said.returncode == 0, said.stderr
    with Project.open(project) as p:
        return {source: text.split("\n\n") for source, text in p.conn.execute("SELECT source, text FROM documents")}


def _check_mime_spec(paragraphs: list[str]) -> None:
    for heading in ("1. Introduction", "1.1. Version", "1.2. What is this spec?", "2. Unified system",
                    "2.1. Directory layout", "2.10. Storing the MIME type using Extended Attributes"):
        assert heading in paragraphs, heading
    assert "This is version 0.21 of the Shared MIME-info Database specification, last updated 2 October 2018." in (
        paragraphs)
    assert "Further, the existing databases have been merged into a single package [SharedMIME]." in paragraphs
    assert paragraphs[paragraphs.index("1.1. Version") - 1] == "1. Introduction"
    assert paragraphs[paragraphs.index("1. Introduction") - 1] == "Thomas Leonard tal197 at users.sf.net"
    # the prose's lines still join, and its own "Section 2.1." stays in its sentence
    assert not any(p.endswith(("it", "the file's", "of them")) for p in paragraphs)


def test_numbered_headings_start_their_own_paragraph_after_a_full_line_ending_a_sentence(tmp_path):
    """F2: "…last updated 2 October 2018. 1.2. What is this spec?" was one paragraph (the line before the heading is
    a full one, so it did not end its paragraph), and so was "Thomas Leonard tal197 at users.sf.net 1. Introduction
    1.1. Version"; "2.10." at the top of a page was glued onto the last page's sentence."""
    texts = _paragraphs(tmp_path, _pdf(tmp_path / "spec.pdf", MIME_SPEC_PAGES))
    _check_mime_spec(texts["spec.pdf"])


@pytest.mark.skipif(not MIME_SPEC.is_file(), reason="shared-mime-info's specification is not on this machine")
def test_the_shared_mime_info_specifications_headings_are_paragraphs(tmp_path):
    paragraphs = _paragraphs(tmp_path, MIME_SPEC)[MIME_SPEC.name]
    _check_mime_spec(paragraphs)
    assert "2.12. Recommended checking order" in paragraphs and "3. Contributors" in paragraphs
    assert any("mentioned in Section 2.1. Information such as" in p for p in paragraphs)  # prose, not a heading


def test_a_table_of_contents_keeps_a_line_for_each_entry(tmp_path):
    """F2: pdflatex-outline.pdf's contents were one line, "Contents 1 Foo 2 2 Bar 2 … 9 Baz 4 1 Foo", the first
    section's heading glued onto them."""
    paragraphs = _paragraphs(tmp_path, DATA / "pdflatex-outline.pdf")["pdflatex-outline.pdf"]
    assert paragraphs[:12] == ["Contents", "1 Foo 2", "2 Bar 2", "3 Baz 2", "4 Foo 2", "5 Bar 3", "6 Baz 3",
                               "7 Foo 3", "8 Bar 4", "9 Baz 4", "1 Foo",
                               paragraphs[11]]
    assert paragraphs[11].startswith("Hello, here is some text without a meaning.")


def test_an_ocr_layers_paragraph_beside_a_picture_stays_whole_and_each_diary_entry_is_one(tmp_path):
    """F2: Vicksburg's "A report creeps into camp that" (a short line beside a picture, before a capital) ended a
    paragraph mid-sentence; "JUNE 11TH.—" was glued onto the entry before it (a full line ending in "."), while
    "JUNE 10TH.—" started its own."""
    name = "Seige_of_Vicksburg_Sample_OCR-text-layer.pdf"
    paragraphs = _paragraphs(tmp_path, DATA / name)[name]
    assert any(p.startswith("A report creeps into camp that Johnston is coming with fifty thousand men to raise "
                            "the siege, but I do not believe it.") for p in paragraphs)
    entries = [p for p in paragraphs if p.startswith("JUNE ")]
    assert [p[:10] for p in entries] == ["JUNE 10TH.", "JUNE 11TH.", "JUNE 12TH.", "JUNE 14TH.", "JUNE 15TH.",
                                         "JUNE 16TH."]
    before = paragraphs[paragraphs.index(entries[1]) - 1]
    assert before.endswith("and this afternoon we were gratified by a heavy shower.")


def test_other_section_numbers_contents_leaders_and_a_gap_inside_a_sentence(tmp_path):
    """The same rules on a made page: "(a)", "A." and "IV." numbers after a sentence's end start a paragraph, a
    contents line with dot leaders is a line of its own, an empty line between "that" and a lower-case word does not
    break the sentence, and an initial at the start of a line of prose ("J. Smith") does not start one."""
    full = "The ministers reaffirmed that the partnership serves the peace and prosperity of the whole region"
    welcomed = "and they welcomed the progress made since the summit of last year in Camp David, in August 2023."
    page = ["Contents", "Introduction . . . . . . . . . . . . 1", "Findings . . . . . . . . . . . . . . 2",
            "A. Introduction", full, welcomed,
            "J. Smith, the rapporteur, said that the talks had gone well and that the ministers would meet again",
            "in the autumn, and that the report", "", "would follow in the spring of next year, after the talks.",
            "(a) The first recommendation is that the ministers keep meeting every year, as they have done.",
            "IV. Findings", full + "."]
    paragraphs = _paragraphs(tmp_path, _pdf(tmp_path / "made.pdf", [page]))["made.pdf"]
    assert paragraphs[:4] == ["Contents", "Introduction . . . . . . . . . . . . 1",
                              "Findings . . . . . . . . . . . . . . 2", "A. Introduction"]
    assert paragraphs[4] == (f"{full} {welcomed} "
                             "J. Smith, the rapporteur, said that the talks had gone well and that the ministers "
                             "would meet again in the autumn, and that the report would follow in the spring of next "
                             "year, after the talks.")
    assert paragraphs[5].startswith("(a) The first recommendation")
    assert paragraphs[6:] == ["IV. Findings", full + "."]


def test_a_run_in_head_starts_a_paragraph_but_a_sentences_own_dash_does_not():
    from annotator.sources.pdf_layout import join_pages

    full = "The ministers reaffirmed that the partnership serves the peace and prosperity of the whole region."
    page = "\n".join([full, "WASHINGTON — The Secretary met the ministers of the region again today, as agreed.",
                      full, "NATO — and its partners in the region — welcomed the talks of the ministers today.",
                      full])
    assert join_pages([page]).split("\n\n") == [
        full, f"WASHINGTON — The Secretary met the ministers of the region again today, as agreed. {full} NATO — and "
        f"its partners in the region — welcomed the talks of the ministers today. {full}"]
