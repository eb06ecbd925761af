"""A PDF's page furniture and headings (a newcomer's finding): the running head and page number were joined into the
first sentence of each page ("THE   SIEGE   OF  VICKSBURG. 49 however, did not last long"), and a label line was
joined onto the line before it ("مرحبا بالعالم Russian:"). Real files in tests/data/pdf (SOURCES.md there)."""

from pathlib import Path

from annotator.sources import pdf_layout
from annotator.store import Project
from tests.helpers import run_cli

DATA = Path(__file__).parents[1] / "data" / "pdf"

TOPICS = ["maritime security", "the economy", "new technologies", "energy", "health", "education"]


def body(n: int) -> str:
    """A page's wrapped lines (its own words: pages do not repeat each other), the last sentence running on."""
    return (f"On {TOPICS[n]}, the Foreign Ministers reaffirmed that the trilateral partnership is stronger than\n"
            f"ever and that it serves the peace and prosperity of the region (part {n} of their statement). They\n"
            f"welcomed the progress made since the summit and pledged to coordinate closely on {TOPICS[n + 1]} and\n")


def _removed(pages: list[str]) -> list[str]:
    """The lines :func:`pdf_layout.join_pages` reports removing (for the import summary)."""
    removed: list[str] = []
    pdf_layout.join_pages(pages, removed)
    return removed


def test_a_running_head_with_its_page_number_is_dropped_wherever_the_number_stands():
    pages = [
        "Joint Statement on Trilateral Cooperation\nNovember 8, 2023\n" + body(0),
        "Trilateral Statement    2\non the region.\n" + body(1),
        "3   Trilateral Statement\non the world.\n" + body(2),
        "Trilateral Statement    4\non the future.\n" + body(3) + "on the seas.",
    ]
    text = pdf_layout.join_pages(pages)
    assert "Trilateral Statement" not in text
    assert text.startswith("Joint Statement on Trilateral Cooperation\n\nNovember 8, 2023\n\nOn maritime security,")
    # each page's last sentence runs on to the next page, and no run of spaces is left
    assert "closely on the economy and on the region.\n\nOn the economy," in text
    assert text.endswith("closely on health and on the seas.") and "  " not in text
    assert _removed(pages) == ["Trilateral Statement 2", "3 Trilateral Statement", "Trilateral Statement 4"]


def test_page_of_footers_go_with_the_footer_line_above_them():
    footer = "Ministry of Foreign Affairs of Japan"
    pages = [body(n) + f"on part {n}.\n{footer}\nPage {n + 1} of 5" for n in range(5)]
    text = pdf_layout.join_pages(pages)
    assert "Page" not in text and footer not in text
    assert text.count("the Foreign Ministers reaffirmed") == 5
    assert sorted(_removed(pages)) == sorted([f"Page {n} of 5" for n in range(1, 6)] + [footer] * 5)


def test_bare_page_numbers_go_but_a_number_that_does_not_count_the_pages_stays():
    pages = [body(0) + "on Asia.\n1", body(1) + "on Africa.\n2", body(2) + "on this table:\nTotal\n17",
             body(3) + "on Europe.\n4"]
    text = pdf_layout.join_pages(pages)
    assert "Total 17" in text and text.endswith("on Europe.")
    assert _removed(pages) == ["1", "2", "4"]  # a table's total at the foot of page 3 is text, not its page number


def test_the_first_page_keeps_its_title_which_later_pages_repeat_as_their_running_head():
    title = "Joint Statement on Trilateral Cooperation"
    pages = [f"{title}\n" + body(n) + f"on {TOPICS[n + 2]}." for n in range(3)]
    text = pdf_layout.join_pages(pages)
    assert text.startswith(title + "\n\n") and text.count(title) == 1
    assert _removed(pages) == [title, title]


def test_a_one_page_statement_keeps_every_line_and_loses_only_its_runs_of_spaces():
    page = ("Statement by the Press Secretary\n"
            "December 21, 2023\n"
            "The President welcomes  today's agreement between the parties, which will bring relief to the\n"
            "families who have waited for it for far too long.   He thanks the negotiators for their work and\n"
            "all who helped them.\n"
            "Washington, 21 December 2023\n"
            "2\n")
    assert pdf_layout.join_pages([page]) == (
        "Statement by the Press Secretary\n\nDecember 21, 2023\n\n"
        "The President welcomes today's agreement between the parties, which will bring relief to the families who "
        "have waited for it for far too long. He thanks the negotiators for their work and all who helped them.\n\n"
        "Washington, 21 December 2023\n\n2")  # one page: a last "2" is the statement's own, not a page number;
    # the dateline, a date on a line of its own, is a paragraph of its own (trial 10, D4)


def test_a_wrapped_paragraph_still_joins_across_pages_with_its_hyphens_mended():
    pages = [
        "The governments of the three countries will continue to coordinate close-\n"
        "ly with the international community on the U.S.-\n"
        "Japan-ROK framework and its implementation in the region, and they will\n"
        "- 1 -",
        "work together to uphold the rules-based international order and to deter\n"
        "aggression, in the Indo-Pacific and beyond.\n"
        "Short closing line.\n"
        "- 2 -",
    ]
    assert pdf_layout.join_pages(pages) == (
        "The governments of the three countries will continue to coordinate closely with the international "
        "community on the U.S.-Japan-ROK framework and its implementation in the region, and they will work together "
        "to uphold the rules-based international order and to deter aggression, in the Indo-Pacific and beyond."
        "\n\nShort closing line.")


def test_a_label_line_starts_its_own_paragraph_after_a_line_in_a_script_without_capitals():
    page = ("English:\nHello World\nArabic:\nمرحبا بالعالم\nRussian:\nПривет, мир\nChinese (traditional):\n你好世界\n"
            "Thai:\nสวัสดีชาวโลก\nJapanese:\nこんにちは世界")
    assert pdf_layout.join_pages([page]).split("\n\n") == [
        "English:", "Hello World", "Arabic:", "مرحبا بالعالم", "Russian:", "Привет, мир", "Chinese (traditional):",
        "你好世界", "Thai:", "สวัสดีชาวโลก", "Japanese:", "こんにちは世界"]


def test_lines_of_a_script_written_without_spaces_join_without_one():
    page = ("日米韓の外相は、地域の平和と安定のために三か国の連携を一層強化していくことで一致し\n"
            "た。\n"
            "三か国は引き続き緊密に協力していく。")
    assert pdf_layout.join_pages([page]) == (
        "日米韓の外相は、地域の平和と安定のために三か国の連携を一層強化していくことで一致した。\n\n"
        "三か国は引き続き緊密に協力していく。")


def _imported(tmp_path, *names):
    project = tmp_path / "p.sqlite"
    said = run_cli("import", project, *(DATA / name for name in names))
    assert said.returncode == 0, said.stderr
    with Project.open(project) as p:
        texts = dict(p.conn.execute("SELECT source, text FROM documents"))
    return texts, said.stdout.decode() + said.stderr.decode()


def test_a_scanned_books_running_heads_are_gone_from_the_imported_text(tmp_path):
    name = "Seige_of_Vicksburg_Sample_OCR-text-layer.pdf"
    texts, said = _imported(tmp_path, name, "pdflatex-outline.pdf")
    text = texts[name]
    assert "SIEGE" not in text and "VICKSBU" not in text  # every page's head, OCR slips ("VICKSBUEG", "OP") too
    assert text.startswith("however, did not last long; it became too conspicuous and dangerous for use.")
    # the sentence runs on over the page break, without the signature mark "—4" and the next page's head
    assert "But one shell dropped near my tent, buried itself in tie earth" in text
    assert "—4" not in text and "  " not in text
    assert "removed 7 running head, foot or page number line(s)" in said and "'50 THE SIEGE OF VICKSBUEG.'" in said
    # a bare page number at each foot, the paragraph running on to the next page
    outline = texts["pdflatex-outline.pdf"]
    assert "how the letters are written and an impression" in outline
    assert "how the letters are 2 written" not in outline


def test_each_label_of_a_multilingual_pdf_starts_its_own_paragraph(tmp_path):
    texts, _ = _imported(tmp_path, "multilang.pdf")
    paragraphs = texts["multilang.pdf"].split("\n\n")
    assert "Russian:" in paragraphs and "Japanese:" in paragraphs and "Chinese (traditional):" in paragraphs
    assert paragraphs[paragraphs.index("Russian:") - 1] == "مرحبا بالعالم"
    assert paragraphs[paragraphs.index("Japanese:") - 1] == "สวัสดีชาวโลก"
    assert paragraphs[paragraphs.index("Chinese (traditional):") + 1] == "你好世界"
