"""A PDF made by Qt's PDF writer imported with a tab between every word (trial 14, F1): Qt maps the space glyph to
U+0009 in the font's ``/ToUnicode`` map, pypdf reads it as a tab, and the statement's text, fixed once imported,
carried the tabs into every export, span and search ("Kingdom condemn" typed with a space found nothing). A tab in a
PDF's text layer is now one space, as a run of spaces is; a table's columns, which pypdf gives as one space, and the
lines of a page stay as they were.

The files: the trial's own PDF (tests/data/trial14, README.md there) and PDFs written here, one in Qt's way (a
Type0 font, each glyph placed on its own, the space glyph mapped to U+0009), one with a literal tab in a Helvetica
string, one with a table whose columns are placed by the page's positioning."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.sources.pdf_layout import join_pages
from tests.helpers import run_cli
from tests.sources.test_trial10_review import write_pdf

QT_PDF = Path(__file__).parents[1] / "data" / "trial14" / "2024-04-22-canada-uk.pdf"


def qt_pdf(path: Path, lines: list[str], space: str = "0009") -> Path:
    """A one-page PDF of ``lines`` written as Qt's ``QPdfWriter`` writes text: a Type0 font with an Identity-H
    encoding, each glyph placed by its own ``Td``, the ``/ToUnicode`` map giving the space glyph as ``space``."""
    chars = sorted({c for line in lines for c in line})
    gid = {c: i + 1 for i, c in enumerate(chars)}
    unicode = " ".join(f"<{space if c == ' ' else format(ord(c), '04X')}>" for c in chars)
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) "
            "/Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def "
            "1 begincodespacerange <0000> <FFFF> endcodespacerange "
            f"1 beginbfrange <0001> <{len(chars):04X}> [{unicode}] endbfrange endcmap "
            "CMapName currentdict /CMap defineresource pop end end").encode()
    ops = []
    for k, line in enumerate(lines):
        ops.append(f"BT /F1 10 Tf 1 0 0 1 72 {760 - 14 * k} Tm")
        ops += [f"{'6 0 Td ' if i else ''}<{gid[c]:04X}> Tj" for i, c in enumerate(line)]  # 600/1000 of 10 pt
        ops.append("ET")
    stream = "\n".join(ops).encode()
    write_pdf(path, [
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /DejaVuSans /Encoding /Identity-H /DescendantFonts [6 0 R]"
        b" /ToUnicode 7 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DejaVuSans /CIDSystemInfo << /Registry (Adobe)"
        b" /Ordering (Identity) /Supplement 0 >> /DW 600 >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"])
    return path


def helvetica_pdf(path: Path, content: bytes) -> Path:
    """A one-page PDF whose page draws ``content`` (operators) with /F1, Helvetica in WinAnsi."""
    write_pdf(path, [
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"])
    return path


def _texts(tmp_path: Path, *paths: Path) -> dict[str, str]:
    """{file name: the statement's text} as ``annotator import`` stores it and ``annotator export`` writes it."""
    project = tmp_path / "p.sqlite"
    said = run_cli("import", project, *paths)
    assert said.returncode == 0, said.stderr
    exported = run_cli("export", project)
    assert exported.returncode == 0, exported.stderr
    return {r["meta"]["source"]: r["text"] for r in map(json.loads, exported.stdout.decode("utf-8").splitlines())}


def test_the_trials_qt_pdf_imports_with_spaces_between_its_words(tmp_path):
    import pypdf

    assert "\t" in pypdf.PdfReader(QT_PDF).pages[0].extract_text()  # the case: what pypdf reads from Qt's file
    text = _texts(tmp_path, QT_PDF)[QT_PDF.name]
    assert "\t" not in text
    assert text.startswith("Ottawa, 22 April 2024\n\nCanada-UK Joint Statement on Sudan\n\nGlobal Affairs Canada\n\n"
                           "Canada and the United Kingdom condemn the ongoing fighting between the Sudanese Armed "
                           "Forces and the Rapid Support Forces. The violence threatens millions of civilians with "
                           "famine. We urge both parties")
    assert "  " not in text


def test_a_phrase_typed_with_a_space_finds_the_qt_pdfs_words(tmp_path):
    """The trial's addendum: ``annotator search --regex 'Kingdom condemn'`` missed the PDF's statement."""
    project = tmp_path / "p.sqlite"
    assert run_cli("import", project, QT_PDF).returncode == 0
    found = run_cli("search", project, "Kingdom condemn", "--regex", "--json")
    assert found.returncode == 0, found.stderr
    assert "Canada-UK Joint Statement on Sudan" in found.stdout.decode("utf-8")


def test_a_pdf_written_as_qt_writes_reads_as_the_same_pdf_written_with_spaces(tmp_path):
    lines = ["Brussels, 3 June 2024", "The Council condemns the attack on the embassy."]
    tabs = qt_pdf(tmp_path / "tabs.pdf", lines)
    spaces = qt_pdf(tmp_path / "spaces.pdf", [lines[0], lines[1].replace("embassy", "mission")], space="0020")
    texts = _texts(tmp_path, tabs, spaces)  # (two statements: the same text would be imported once)
    assert texts["tabs.pdf"] == "Brussels, 3 June 2024\n\nThe Council condemns the attack on the embassy."
    assert texts["spaces.pdf"] == texts["tabs.pdf"].replace("embassy", "mission")


def test_a_tab_in_a_pdf_string_is_one_space_as_a_tables_column_gap_is(tmp_path):
    """A literal tab (with spaces beside it) draws no column: one space, as the gap pypdf gives between a table's
    columns placed by the page, which stays one space, each row's cells in order."""
    tab = helvetica_pdf(tmp_path / "tab.pdf", b"BT /F1 11 Tf 72 760 Td (Aid:\t100 \t million) Tj ET")
    table = helvetica_pdf(tmp_path / "table.pdf", b"".join(
        b"BT /F1 11 Tf 72 %d Td (%s) Tj 150 0 Td (%s) Tj 100 0 Td (%s) Tj ET\n" % (760 - 14 * k, *row)
        for k, row in enumerate([(b"Country", b"Aid", b"Year"), (b"Canada", b"100", b"2024"),
                                 (b"Norway", b"500", b"2024")])))
    texts = _texts(tmp_path, tab, table)
    assert texts["tab.pdf"] == "Aid: 100 million"
    for row in ("Country Aid Year", "Canada 100 2024", "Norway 500 2024"):
        assert row in texts["table.pdf"]


def test_join_pages_makes_a_tab_one_space_and_keeps_a_lone_no_break_space():
    assert join_pages(["Ottawa,\t22\tApril\t2024\n\nWe\turge\t\tcalm."]) == "Ottawa, 22 April 2024\n\nWe urge calm."
    assert join_pages(["\tA\u00a0100 \t000 \x0bitems\x0cin all.\t"]) == "A\u00a0100 000 items in all."
