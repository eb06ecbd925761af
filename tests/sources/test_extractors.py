"""Statements from where they are published: real pages, PDFs and Word files from the extractors' own test suites
(tests/sources/files/README.md), and every kind of bad file, which gets one clear line and changes nothing."""

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from annotator import formats
from annotator.errors import FormatError
from annotator.sources import pdf
from annotator.store import Project
from annotator.store import variables as sv
from annotator.store.transfer import import_paths
from tests.helpers import content, run_cli

FILES = Path(__file__).parent / "files"

#: from trafilatura's evaluation annotations (tests/evaldata.json): title, date, text present, furniture absent
PAGES = {
    "bundespolizei.de-Belarus.html": (
        "Illegale Migration aus Belarus über Polen nach Deutschland: Bereits 9.087 Feststellungen durch die "
        "Bundespolizei im laufenden Jahr", "2021-11-10",
        ["Die deutsch-polnische Grenze", "Bei Personen, die unerlaubt", "Lesen Sie dazu auch die"],
        ["Seite drucken", "So erreichen Sie uns:"]),
    "bundesrat.de-erinnerungen.html": (
        "Erinnerung an die Opfer der NS-Verbrechen", "2022-01-27",
        ["wurde als Siebenjährige von Stuttgart", "Neben der gastgebenden Bundestagspräsidentin",
         "als Zeichen des Gedenkens an die Opfer"],
        ["Presse- und Informationsamt der Bundesregierung | Jesco Denzel", " Bundesrat | Frank Bräuer",
         "Ist dieser Beitrag hilfreich?"]),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_saved_page_gives_its_main_text_and_what_it_states(name):
    title, date, present, absent = PAGES[name]
    doc = formats.read(FILES / name).documents[0]
    assert (doc.title, doc.date) == (title, date)
    for phrase in present:
        assert phrase in doc.text
    for phrase in absent:
        assert phrase not in doc.text
    assert doc.url.startswith("https://www.bundes")
    assert doc.issuer in ("bundespolizei.de", "Bundesrat")
    assert "\n\n" in doc.text and "\n\n\n" not in doc.text  # paragraphs stay paragraphs
    assert doc.provenance.extractor == "trafilatura" and doc.provenance.file_name == name


def test_a_pdf_reads_in_order_as_paragraphs_with_its_header_date():
    doc = formats.read(FILES / "crazyones.pdf").documents[0]
    assert doc.title == "The Crazy Ones" and doc.date == "1998-10-14"
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[:2] == ["The Crazy Ones", "October 14, 1998"]
    assert paragraphs[2].startswith("Heres to the crazy ones. The misfits.")  # ligature "ﬁ" spelled out
    assert ("The ones who see things differently. Theyre not fond of rules. And they have no respect for the "
            "status quo.") in doc.text  # lines of a paragraph joined
    assert doc.text.index("Heres to") < doc.text.index("How else can you") < doc.text.index("are the ones who do.")
    assert doc.provenance.extractor == "pypdf"


def test_end_of_line_hyphens_are_rejoined_but_hyphenated_names_kept():
    page = ("The governments of the three countries will continue to coordinate close-\n"
            "ly with the international community on the U.S.-\n"
            "Japan-ROK framework and its implementation in the region.\n"
            "Short closing line.\n")
    assert pdf.join_pages([page]) == (
        "The governments of the three countries will continue to coordinate closely with the international "
        "community on the U.S.-Japan-ROK framework and its implementation in the region.\n\nShort closing line.")


def test_a_docx_gives_paragraphs_and_tables_in_document_order():
    doc = formats.read(FILES / "blk-inner-content.docx").documents[0]
    assert doc.text == "P1\n\nT2\n\nP3"  # T2 is in a table between the two paragraphs
    doc = formats.read(FILES / "blk-paras-and-tables.docx").documents[0]
    parts = doc.text.split("\n\n")
    assert parts[0].startswith("Lorem ipsum") and parts[-1].startswith("Donec semper")
    assert parts[1:-1] == ["Text before", "Table", "Between", "Text after"]  # a table cell, with a nested table


def _zip(members, path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    path.write_bytes(buf.getvalue())
    return path


def _bad_deflate(path: Path) -> bytes:
    """A Word file whose document.xml stream starts with deflate block type 3, which does not exist: zlib itself
    refuses it (zlib.error, not a zipfile error; found by the fuzz test)."""
    data = bytearray(_zip({"word/document.xml": b"<w:document/>" * 50}, path).read_bytes())
    header = data.index(b"PK\x03\x04")
    name_len, extra_len = int.from_bytes(data[header + 26:header + 28], "little"), int.from_bytes(
        data[header + 28:header + 30], "little")
    data[header + 30 + name_len + extra_len] = 0x07  # BFINAL=1, BTYPE=11
    return bytes(data)


def _bad_files(tmp_path):
    truncated_pdf = (FILES / "crazyones.pdf").read_bytes()[:3000]
    docx = (FILES / "blk-inner-content.docx").read_bytes()
    return {
        "html_is_png.html": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "not a web page: the file is an image"),
        "pdf_is_html.pdf": (b"<html><body>Hello</body></html>", "not a PDF: the file is a web page"),
        "docx_is_pdf.docx": ((FILES / "crazyones.pdf").read_bytes(), "not a Word .docx file: the file is a PDF"),
        "empty.pdf": (b"", "the file is empty"),
        "empty.html": (b"  \n", "the file is empty"),
        "scanned.pdf": ((FILES / "imagemagick-lzw.pdf").read_bytes(), "no text layer"),
        "encrypted.pdf": ((FILES / "libreoffice-writer-password.pdf").read_bytes(), "encrypted"),
        "damaged.pdf": (truncated_pdf[:400], "damaged"),
        "damaged.docx": (docx[: len(docx) // 2], "damaged"),
        "bad_deflate.docx": (_bad_deflate(tmp_path / "d"), "damaged"),
        "zip_not_word.docx": (_zip({"a.txt": "x"}, tmp_path / "z").read_bytes(), "without word/document.xml"),
        "bomb.docx": (_zip({"word/document.xml": b"<" + b" " * 8_000_000}, tmp_path / "b").read_bytes(),
                      "ZIP bomb"),
        "no_text.html": (b"<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>",
                         "no main text"),
    }


def test_every_bad_file_gets_one_clear_line_and_changes_nothing(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    expected = {}
    for name, (data, message) in _bad_files(tmp_path).items():
        (folder / name).write_bytes(data)
        expected[name] = message
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        before = content(p.path)
        report = import_paths(p, [folder])
        assert content(p.path) == before
    rejected = {Path(path).name: problems for path, problems in report.rejected}
    assert sorted(rejected) == sorted(expected)
    for name, message in expected.items():
        assert len(rejected[name]) == 1 and message in rejected[name][0], (name, rejected[name])
        assert "Traceback" not in rejected[name][0]


def test_a_folder_of_published_statements_imports_with_date_issuer_and_provenance(tmp_path):
    folder = tmp_path / "saved"
    folder.mkdir()
    for name in ("bundesrat.de-erinnerungen.html", "crazyones.pdf", "blk-inner-content.docx"):
        shutil.copyfile(FILES / name, folder / name)
    project = tmp_path / "p.sqlite"
    done = run_cli("import", project, folder)
    assert done.returncode == 0, done.stderr
    assert b"imported 3 statement(s)" in done.stdout
    with Project.open(project, readonly=True) as p:
        fields = {d.title: sv.fields(p, d.id) for d in p.documents()}
        assert fields["Erinnerung an die Opfer der NS-Verbrechen"].issuer == "Bundesrat"
        assert fields["The Crazy Ones"].date == "1998-10-14"
        extractors = sorted(sv.provenance(p, d.id)[0].extractor for d in p.documents())
        assert extractors == ["docx", "pypdf", "trafilatura"]
    again = run_cli("import", project, folder)  # re-importing the same files is skipped
    assert b"skipped 3 statement(s) already in the project" in again.stdout


def test_unknown_types_are_still_refused(tmp_path):
    path = tmp_path / "x.odt"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(FormatError, match=r"unknown file type .odt; expected .txt, .md, .html, .pdf, .docx"):
        formats.read(path)


def test_a_docx_data_table_row_is_one_line_and_a_layout_cell_keeps_its_paragraphs(tmp_path):
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def p(text):
        return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"

    def row(*cells):
        return "<w:tr>" + "".join(f"<w:tc>{''.join(p(x) for x in c)}</w:tc>" for c in cells) + "</w:tr>"

    body = (p("Before") + "<w:tbl>" + row(["Country"], ["Position"]) + row(["Japan"], ["condemns"]) + "</w:tbl>"
            + "<w:tbl>" + row(["First paragraph.", "Second paragraph."], []) + "</w:tbl>" + p("After"))
    path = _zip({"word/document.xml": f"<w:document {w}><w:body>{body}</w:body></w:document>"}, tmp_path / "t.docx")
    doc = formats.read(path).documents[0]
    assert doc.text == ("Before\n\nCountry\tPosition\n\nJapan\tcondemns\n\nFirst paragraph.\n\nSecond paragraph."
                        "\n\nAfter")
