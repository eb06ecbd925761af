"""A saved page's issuer is never a date, a time or a number: trafilatura takes the last part of the amnesty.de
page's title ("Weltweit | ... | 02.11.2021") for its site's name, which became the statement's issuer. Such a
candidate is refused and the next one (the host name, else none) is the issuer; real names stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.sources import html
from annotator.sources.webtext import names_no_one
from annotator.store import Project
from annotator.store.transfer import import_paths
from tests.helpers import run_cli
from tests.sources.test_trial2_html_author import PAGE

# trimmed from github.com/adbar/trafilatura @ e90b0ef, tests/eval/amnesty.de-waffensysteme.html (Apache-2.0):
# the head, the site's header and the article, without scripts, menus, embedded tweets and teasers (15 kB of 100)
AMNESTY = Path(__file__).parents[1] / "data" / "pages" / "amnesty.de-waffensysteme.html"

CANONICAL = '<link rel="canonical" href="https://www.mofa.go.jp/press/release/joint-statement.html">'


def _imported_issuers(tmp_path: Path, *paths: Path) -> list[str]:
    """The issuers the real import stores for ``paths``, in import order."""
    with Project.open(tmp_path / "p.sqlite", create=True, user="kim") as project:
        report = import_paths(project, paths)
        assert not report.rejected, report.summary_lines()
        return [row[0] for row in project.conn.execute("SELECT issuer FROM documents ORDER BY id")]


def _page(tmp_path: Path, name: str, meta: str = "", title: str = "Joint Statement on Trilateral Cooperation",
          canonical: str = CANONICAL) -> Path:
    path = tmp_path / name
    # each page's text its own: the import takes a statement it already holds for a duplicate
    path.write_text(PAGE.format(charset="utf-8", title=title, meta=meta, canonical=canonical, tail=f" ({name})"),
                    encoding="utf-8")
    return path


def test_the_amnesty_page_gets_its_host_not_the_date_its_title_ends_with(tmp_path):
    import trafilatura

    found = trafilatura.bare_extraction(AMNESTY.read_bytes(), with_metadata=True)
    assert (found.author, found.sitename) == (None, "02.11.2021")  # the case: the extractor's "site" is the date
    assert _imported_issuers(tmp_path, AMNESTY) == ["amnesty.de"]


def test_the_amnesty_page_on_the_command_line(tmp_path):
    project = tmp_path / "cli.sqlite"
    result = run_cli("import", project, AMNESTY)
    assert result.returncode == 0, result.stderr
    table = run_cli("report", project, "--by", "issuer", "--documents")
    assert table.returncode == 0, table.stderr
    header = table.stdout.decode("utf-8").splitlines()[0]
    assert header.split() == ["label", "amnesty.de", "total"]


DATES = [
    "02.11.2021", "2021-11-02", "2 November 2021", "11/02/2021", "November 2, 2021", "2nd of November, 2021",
    "Nov. 2, 2021, 10:30 a.m. EST", "2021-11-02T10:30:00Z", "02. November 2021, 10:30 Uhr",
    "Dienstag, 2. November 2021", "2 de noviembre de 2021", "2 novembre 2021", "2021年11月2日",
    "10:30", "2021", "#12", "— · —",
]


@pytest.mark.parametrize("value", DATES)
def test_a_dated_site_name_falls_back_to_the_host(tmp_path, value):
    meta = f'<meta property="og:site_name" content="{value}">'
    assert _imported_issuers(tmp_path, _page(tmp_path, "s.html", meta)) == ["mofa.go.jp"]


@pytest.mark.parametrize("value", ["02.11.2021", "2 November 2021", "2021-11-02T10:30:00+09:00"])
def test_a_dated_author_falls_back_to_the_next_author_tag_then_the_site(tmp_path, value):
    both = (f'<meta name="author" content="{value}">\n'
            '<meta name="dc.creator" content="Ministry of Foreign Affairs of Japan">')
    only = f'<meta name="author" content="{value}">\n<meta property="og:site_name" content="MOFA Japan">'
    issuers = _imported_issuers(tmp_path, _page(tmp_path, "a.html", both), _page(tmp_path, "b.html", only))
    assert issuers == ["Ministry of Foreign Affairs of Japan", "MOFA Japan"]


def test_a_dated_title_part_without_an_address_leaves_no_issuer(tmp_path):
    path = _page(tmp_path, "t.html", title="Weltweit | Joint Statement | 02.11.2021", canonical="")
    assert _imported_issuers(tmp_path, path) == [""]


def test_names_with_digits_or_month_names_stay_issuers(tmp_path):
    names = ["Ministry of Foreign Affairs of Japan", "G7 Research Group", "3M", "Theresa May", "Channel 4"]
    pages = [_page(tmp_path, f"n{i}.html", f'<meta property="og:site_name" content="{name}">')
             for i, name in enumerate(names)]
    assert _imported_issuers(tmp_path, *pages) == names


@pytest.mark.parametrize("value", [*DATES, "", "10.0.0.5", "Published: 02/11/2021", "Stand: 02.11.2021"])
def test_names_no_one_refuses_dates_times_numbers_and_punctuation(value):
    assert names_no_one(value)


@pytest.mark.parametrize("value", ["May", "Mai", "Sun", "No. 10", "U.S. Mission to the UN", "amnesty.de", "H&M",
                                   "2021 Annual Report", "Auswärtiges Amt"])
def test_names_no_one_keeps_names(value):
    assert not names_no_one(value)


def test_page_author_skips_a_dated_tag():
    data = (b'<html><head><meta name="author" content="2 November 2021">'
            b'<meta name="dcterms.creator" content="Office of the Spokesperson"></head><body></body></html>')
    assert html.page_author(data) == "Office of the Spokesperson"
