"""A statement's URL as typed (``core/urls.py``): real addresses kept as typed, trimmed; typos refused with a reason.
The international hosts are real country domains a reviewer found refused (their letters carry combining marks,
which ``\\w`` does not match); they are checked in their IDNA form now."""

from __future__ import annotations

import pytest

from annotator.core.urls import parse_url

KEPT = [
    "https://www.state.gov/joint-statement/",
    "HTTPS://WWW.STATE.GOV:8443/a%20b?x=1&y=2#top",
    "https://भारत.भारत/",
    "https://ตัวอย่าง.ไทย/",
    "https://இந்தியா.இந்தியா/",
    "https://বাংলা.বাংলা/",
    "https://cafe\u0301.fr/",
    "https://例え.jp/",
    "https://xn--h2brj9c/",
    "https://intranet/statements/1",
    "https://[::1]:8080/",
    "http://192.0.2.7/x",
    "file:///home/ana/statement.pdf",
]


@pytest.mark.parametrize("url", KEPT)
def test_real_addresses_are_kept_as_typed(url):
    assert parse_url(f"  {url} ") == url


@pytest.mark.parametrize(
    "typed",
    ["state.gov/x", "https//www.state.gov", "https:/www.state.gov", "javascript:alert(1)", "https://a_b.com/",
     "https://-x.com/", "https://x..com/", "https://123/", "https://ex ample.com", "ftp://x.org/", "https://"],
)
def test_typos_and_other_schemes_are_refused_with_a_reason(typed):
    with pytest.raises(ValueError, match="not a"):
        parse_url(typed)


def test_www_gets_https_and_empty_stays_empty():
    assert parse_url("www.state.gov/x") == "https://www.state.gov/x"
    assert parse_url("   ") == "" and parse_url(None) == ""
