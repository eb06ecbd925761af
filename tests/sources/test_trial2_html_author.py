"""A saved page's issuer: the author the extractor finds, else the one the page's ``<meta>`` tags state
(``author``, ``article:author``, ``dc.creator``), before the site's name (README, "Statements from where they are
published")."""

from pathlib import Path

import pytest

from annotator import formats
from annotator.sources import html

FILES = Path(__file__).parent / "files"

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="{charset}">
<title>{title}</title>
{meta}
{canonical}
</head>
<body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/about">About</a></nav></header>
<main>
<article>
<h1>Joint Statement on Trilateral Cooperation</h1>
<p>The Foreign Ministers of the United States, Japan and the Republic of Korea met today in Washington to reaffirm
their commitment to trilateral cooperation in the face of the growing threats in the region.</p>
<p>The Ministers strongly condemned the continued ballistic missile launches by the DPRK, which pose a grave threat
to regional peace and stability, and urged Pyongyang to return to dialogue without preconditions.</p>
<p>They committed to deepen coordination on deterrence, economic security and humanitarian assistance, and to meet
again before the end of the year.{tail}</p>
</article>
</main>
<footer>Privacy policy | Contact | Accessibility</footer>
</body>
</html>
"""


TITLE = "Joint Statement on Trilateral Cooperation"
CANONICAL = '<link rel="canonical" href="https://www.state.gov/joint-statement-on-trilateral-cooperation/">'


def page(tmp_path, meta, charset="utf-8", name="statement.html"):
    path = tmp_path / name
    path.write_bytes(PAGE.format(meta=meta, charset=charset, title=TITLE, canonical=CANONICAL, tail="")
                     .encode(charset))
    return path


@pytest.mark.parametrize(
    ("meta", "issuer"),
    [
        ('<meta name="author" content="Office of the Spokesperson">', "Office of the Spokesperson"),
        (
            '<meta property="article:author" content="Ministry of Foreign Affairs of Japan">',
            "Ministry of Foreign Affairs of Japan",
        ),
        ('<meta name="DC.Creator" content="Ministry of Foreign Affairs">', "Ministry of Foreign Affairs"),
        # the extractor shortens it ("U S Department"): the page's own words are kept
        ('<meta name="author" content="U.S. Department of State">', "U.S. Department of State"),
        # a profile's address is not an author; the next tag is
        (
            '<meta property="article:author" content="https://www.facebook.com/usdos">\n'
            '<meta name="dcterms.creator" content="Bureau of East Asian and Pacific Affairs">',
            "Bureau of East Asian and Pacific Affairs",
        ),
    ],
)
def test_the_pages_stated_author_is_the_issuer_when_the_extractor_finds_none(tmp_path, meta, issuer):
    doc = formats.read(page(tmp_path, meta)).documents[0]
    assert doc.issuer == issuer
    assert doc.title == "Joint Statement on Trilateral Cooperation"
    assert doc.url == "https://www.state.gov/joint-statement-on-trilateral-cooperation/"


def test_a_legacy_encoded_page_keeps_its_authors_letters(tmp_path):
    path = page(tmp_path, '<meta name="author" content="Auswärtiges Amt – Pressereferat">', charset="cp1252")
    assert formats.read(path).documents[0].issuer == "Auswärtiges Amt – Pressereferat"


def test_without_an_author_the_site_or_host_stays_the_issuer(tmp_path):
    for name in ("bundespolizei.de-Belarus.html", "bundesrat.de-erinnerungen.html"):  # trafilatura's test pages
        assert html.page_author((FILES / name).read_bytes()) == ""
        assert formats.read(FILES / name).documents[0].issuer in ("bundespolizei.de", "Bundesrat")
    bare = formats.read(page(tmp_path, '<meta name="author" content="–">')).documents[0]
    assert bare.issuer in ("", "www.state.gov", "state.gov")


@pytest.mark.parametrize("account", ["admin", "Webmaster", "WordPress", "site_admin", "Administrator", "editor2"])
def test_a_cms_account_named_as_author_is_never_the_issuer(tmp_path, account):
    """A reviewer's finding: `<meta name="author" content="admin">` beat the site's name."""
    site = '<meta property="og:site_name" content="U.S. Department of State">'
    meta = f'<meta name="author" content="{account}">\n{site}'
    assert formats.read(page(tmp_path, meta)).documents[0].issuer == "U.S. Department of State"
