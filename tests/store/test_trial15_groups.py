"""Trial 15: two groupings that split one group in every table a research lead counts.

F5: an issuer typed or given with spaces around it (" Council of the EU", "Council of the EU ") was kept so, a second
and a third issuer that read the same, each with part of the Council's counts. An issuer's surrounding spaces are
not kept now, from Document Properties (``tests/ui/test_trial15_properties.py``), ``annotator vars``, a JSONL
file or any reader.

F6: "Site (from the URL)" took the host up to the first "/" only: "https://state.gov?id=5", "state.gov:443" and
"https://user@consilium.europa.eu#press" were sites of their own. Held to Python's ``urllib.parse`` on generated
URLs, and counted through ``annotator report``."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

from hypothesis import given
from hypothesis import strategies as st

from annotator.store.corpus import _site_sql
from tests.helpers import run_cli

LABEL = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=8).filter(
    lambda s: not s.startswith("-") and not s.endswith("-"))


@given(scheme=st.sampled_from(["http://", "https://", ""]), user=st.sampled_from(["", "user@", "u:p@"]),
       www=st.booleans(), labels=st.lists(LABEL, min_size=1, max_size=3), upper=st.booleans(),
       port=st.sampled_from(["", ":443", ":8080"]), path=st.sampled_from(["", "/", "/a/b.html", "/x?y=1"]),
       query=st.sampled_from(["", "?id=5", "?a=b&c=d"]), fragment=st.sampled_from(["", "#press", "#"]))
def test_the_site_is_the_host_as_urllib_reads_it(scheme, user, www, labels, upper, port, path, query, fragment):
    host = ".".join([*(["www"] if www else []), *labels, "org"])
    url = f"{scheme}{user}{host.upper() if upper else host}{port}{path}{query}{fragment}"
    expected = urlsplit(url if scheme else "//" + url).hostname
    expected = expected[4:] if expected.startswith("www.") else expected
    conn = sqlite3.connect(":memory:")
    assert conn.execute(f"SELECT {_site_sql('?1')}", (url,)).fetchone()[0] == expected


def _report(project: Path, by: str) -> dict[str, int]:
    said = run_cli("report", project, "--by", by, "--status", "all", "--json")
    assert said.returncode == 0, said.stderr
    found = json.loads(said.stdout)
    return dict(zip(found["groups"], found["statements"], strict=True))


def test_one_issuer_and_one_site_however_they_were_written(tmp_path):
    urls = ["https://www.state.gov/a", "https://state.gov?id=5", "https://state.gov:443/b", "https://state.gov#top",
            "https://user@state.gov/c", "https://www.consilium.europa.eu/press"]
    issuers = ["Council of the EU", " Council of the EU", "Council of the EU ", "\tCouncil of the EU", "State", "State"]
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text("".join(json.dumps({"text": f"Statement {n}: we urge restraint.", "meta": {
        "title": f"s{n}", "url": url, "issuer": issuer if n < 3 else "someone"}}) + "\n"
        for n, (url, issuer) in enumerate(zip(urls, issuers, strict=True))), "utf-8")
    project = tmp_path / "p.sqlite"
    said = run_cli("import", project, jsonl)
    assert said.returncode == 0, said.stderr
    vars_csv = tmp_path / "vars.csv"  # the rest of the issuers as a vars file gives them
    vars_csv.write_text("title,issuer\n" + "".join(f's{n},"{issuers[n]}"\n' for n in range(3, 6)), "utf-8")
    said = run_cli("vars", project, vars_csv)
    assert said.returncode == 0, said.stderr
    assert _report(project, "issuer") == {"Council of the EU": 4, "State": 2}
    assert _report(project, "url:site") == {"consilium.europa.eu": 1, "state.gov": 5}
