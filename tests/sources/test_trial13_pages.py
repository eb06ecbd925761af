"""Saved web pages as a data scientist's trial brought them in (trial 13), through ``annotator import`` and
``annotator export`` as she ran them. Pages are made here (or are trafilatura's test pages in tests/sources/files,
see its README); the chardet test page the trial used is read where the machine has it, when it does."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from tests.helpers import run_cli

FILES = Path(__file__).parent / "files"
#: chardet's test page (LGPL-2.1, so not copied here): UTF-16LE without a byte-order mark, ``charset=UTF-16``
CHARDET_PAGE = Path("/usr/lib/google-cloud-sdk/platform/gsutil/third_party/chardet/tests/UTF-16LE/"
                    "plane1-utf-16le.html")


def imported(tmp_path: Path, *paths: Path) -> tuple[dict[str, dict], str]:
    """{file name: the exported statement} and the import's summary."""
    project = tmp_path / "p.sqlite"
    result = run_cli("import", project, *paths)
    said = result.stdout.decode("utf-8") + result.stderr.decode("utf-8")
    assert result.returncode == 0, said
    exported = run_cli("export", project)
    assert exported.returncode == 0, exported.stderr
    records = [json.loads(line) for line in exported.stdout.decode("utf-8").splitlines()]
    return {r["meta"]["source"]: r for r in records}, said


#: as chardet's page: a charset declaration saying UTF-16, characters beyond the BMP (surrogate pairs in UTF-16)
PAGE = ('<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        "<title>Gothic letters</title></head><body><article><h1>Gothic letters</h1>"
        "<p>The Gothic letters \U00010330\U00010331\U00010332 stand beyond the basic plane; the Ministry "
        "wrote them in its statement of 3 June 2024 on the history of writing in Europe.</p>"
        "<p>Their code points take two UTF-16 units each, and the page declares its encoding in its head, "
        "as browsers expect of a page saved in UTF-16.</p></article></body></html>")


@pytest.mark.parametrize(("codec", "bom", "charset"), [
    ("utf-16-le", b"", "UTF-16"), ("utf-16-be", b"", "UTF-16"), ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16"), ("utf-16-le", b"", "utf-16le"),
    ("utf-32-le", codecs.BOM_UTF32_LE, "UTF-32"), ("utf-16-be", b"", "utf-8"),  # a wrong declaration, the bytes say
])
def test_a_utf16_page_is_decoded_not_called_binary(tmp_path, codec, bom, charset):
    """F1: a page in UTF-16 declaring ``charset=UTF-16`` was refused as "not a web page: the file is a binary
    file"; with or without a byte-order mark, either byte order, it is read, and the summary names the encoding."""
    path = tmp_path / "page.html"
    path.write_bytes(bom + PAGE.format(charset=charset).encode(codec))
    docs, said = imported(tmp_path, path)
    doc = docs["page.html"]
    assert "The Gothic letters \U00010330\U00010331\U00010332 stand beyond the basic plane" in doc["text"]
    assert doc["meta"]["title"] == "Gothic letters"
    assert doc["meta"]["date"] == "2024-06-03"
    assert f"page.html: not UTF-8; decoded as {codec.upper()}" in said
    assert "binary" not in said


def test_a_page_declaring_utf16_but_saved_as_utf8_is_read_as_utf8(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(PAGE.format(charset="UTF-16").encode("utf-8"))
    docs, said = imported(tmp_path, path)
    assert "\U00010330\U00010331\U00010332" in docs["page.html"]["text"]
    assert "decoded as" not in said


def test_a_binary_file_with_nul_bytes_named_html_is_still_refused_in_one_line(tmp_path):
    path = tmp_path / "x.html"
    path.write_bytes(b"\x00\x01\x02<html>\x00\xff\xfe\xfd" * 200)
    result = run_cli("import", tmp_path / "p.sqlite", path)
    assert result.returncode == 1
    said = result.stderr.decode()
    assert said.startswith(f"rejected {path}: ") and "Traceback" not in said


@pytest.mark.skipif(not CHARDET_PAGE.is_file(), reason="chardet's test page is not on this machine")
def test_chardets_utf16_test_page_imports(tmp_path):
    """The trial's very file: 12 kB of UTF-16LE, no byte-order mark, ``charset=UTF-16``."""
    docs, said = imported(tmp_path, CHARDET_PAGE)
    doc = docs[CHARDET_PAGE.name]
    assert doc["meta"]["title"] == "Unicode Plane 1 Example Usage For Business Applications"
    assert sum(ord(ch) > 0xFFFF for ch in doc["text"]) > 100  # its table of plane-1 letters, whole
    assert "decoded as UTF-16-LE" in said


def test_a_saved_pages_video_players_skip_links_and_consent_notices_are_dropped_and_listed(tmp_path):
    """F8: bundesrat.de's page kept, once per embedded video, the player's skip link and its notice that playing
    it sends data to YouTube, as paragraphs of the statement."""
    docs, said = imported(tmp_path, FILES / "bundesrat.de-erinnerungen.html")
    text = docs["bundesrat.de-erinnerungen.html"]["text"]
    for player in ("Video überspringen", "Datenübertragung an YouTube", "keinen Einfluss"):
        assert player not in text
    assert "Bundesratspräsident: Gedenken an die Opfer des Holocaust nicht verwässern" in text.split("\n\n")
    assert "Der israelische Parlamentspräsident Mickey Levy erinnerte in seiner Rede" in text
    assert ("bundesrat.de-erinnerungen.html: removed 4 line(s) of embedded video players (skip links, consent "
            "notices): 'Video überspringen Hinweis: Wenn Sie dieses Video hier abspielen, erfolgt eine "
            "Datenübertragung an YouTube bzw. Google.'; 'Auf Art und Umfang der von diesem Anbieter übertragenen "
            "bzw. gespeicherten Daten hat der Bundesrat keinen Einfluss.'") in said
    assert "removed 2 picture credit line(s)" in said


def test_a_statements_paragraph_beside_a_player_stays(tmp_path):
    """Only the player's own words go: a paragraph sharing its element, that says nothing of the video, stays."""
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Statement</title></head><body><article><h1>Statement</h1>"
        "<p>The Ministers condemned the launch and called on Pyongyang to return to talks without delay.</p>"
        '<div><p>They agreed to meet again in the autumn in Seoul.</p>'
        '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe></div>'
        '<div><a href="#end">Skip video</a><iframe src="https://player.vimeo.com/video/1"></iframe>'
        "<p>Playing this video sends data to Vimeo.</p></div>"
        "<p>The statement was issued in Tokyo on behalf of the three governments after the meeting.</p>"
        "</article></body></html>", encoding="utf-8")
    docs, said = imported(tmp_path, path)
    text = docs["page.html"]["text"]
    assert "They agreed to meet again in the autumn in Seoul." in text
    assert "Skip video" not in text and "sends data to Vimeo" not in text
    assert "removed 2 line(s) of embedded video players" in said


#: chardet's windows-1252 test page (LGPL-2.1, not copied here): ``<title>BBC - 606 - A Forum Conversation</title>``
BBC_PAGE = Path("/usr/lib/google-cloud-sdk/platform/gsutil/third_party/chardet/tests/windows-1252/"
                "_mozilla_bug421271_text.html")
FORUM = ("<html><head><title>{title}</title></head><body>{h1}<p class='posted'>posted 5 Weeks Ago</p>"
         "<p>if rangers draw and marseille and benfica win i stand to lift a fortune, not bad for a small bet on "
         "nine results of the weekend's matches.</p></body></html>")


@pytest.mark.parametrize(("title", "h1", "expected"), [
    # F9: the extractor cut at the last " - " and kept "BBC - 606", the site and its section
    ("BBC - 606 - A Forum Conversation", "", "BBC - 606 - A Forum Conversation"),
    # the page's own heading names a part (two headings: the extractor does not take one for the title)
    ("Ministry of Foreign Affairs - Press - Joint Statement on the Launch",
     "<h1>Joint Statement on the Launch</h1><h1>Related</h1>", "Joint Statement on the Launch"),
    ("Joint Statement on the Launch - Press - Ministry of Foreign Affairs",
     "<h1>Joint Statement on the Launch</h1><h1>Related</h1>", "Joint Statement on the Launch"),
    # one separator: "Statement - Site", as before
    ("Statement on the Launch - Ministry of Foreign Affairs", "", "Statement on the Launch"),
])
def test_a_title_with_several_separators_is_not_cut_to_the_sites_name(tmp_path, title, h1, expected):
    path = tmp_path / "page.html"
    path.write_text(FORUM.format(title=title, h1=h1), encoding="utf-8")
    docs, _ = imported(tmp_path, path)
    assert docs["page.html"]["meta"]["title"] == expected


@pytest.mark.skipif(not BBC_PAGE.is_file(), reason="chardet's test page is not on this machine")
def test_the_bbc_forum_page_keeps_its_own_name(tmp_path):
    docs, _ = imported(tmp_path, BBC_PAGE)
    assert docs[BBC_PAGE.name]["meta"]["title"] == "BBC - 606 - A Forum Conversation"
