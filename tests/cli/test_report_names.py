"""``annotator report``'s text table cut long names at 30 characters without a mark, so "Ministry of Foreign
Affairs of Japan" and "... of the Republic of Korea" both read "Ministry of Foreign Affairs of". A cut shows
("…", within the width), both ends of a cut name show, names never look alike, and the columns stay aligned."""

from __future__ import annotations

import unicodedata

import pytest

from annotator.core.model import IncomingDocument, IncomingSpan
from annotator.store import Project
from tests.helpers import run_cli

TEXT = "We commit to peace. We will defend our allies."
JAPAN = "Ministry of Foreign Affairs of Japan"
KOREA = "Ministry of Foreign Affairs of the Republic of Korea"
# alike at both ends: only their middles differ
PRESS = "Ministry of Foreign Affairs (Press Office) of the Republic of Korea"
LEGAL = "Ministry of Foreign Affairs (Legal Office) of the Republic of Korea"
JAPANESE = "日本国外務省報道官室の談話についての発表資料"  # 22 characters, 44 columns of a terminal
WIDTH = 30


def _columns(text: str) -> int:
    """Terminal columns (a CJK character takes two)."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


def _project(path, issuers, titles=None):
    with Project.open(path, create=True, user="kim") as p:
        p.import_documents([
            IncomingDocument(f"{TEXT} {i}", titles[i] if titles else f"statement {i}", "t",
                             [IncomingSpan(3, 9, "commitment", "kim")], issuer=issuer)
            for i, issuer in enumerate(issuers)
        ])
    return path


def _table(*args) -> list[str]:
    result = run_cli("report", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout.decode("utf-8").splitlines()


def _header_names(line: str, names: int) -> list[str]:
    """The ``names`` group names of a header line (its cells are two spaces apart; names have single spaces)."""
    cells = [c.strip() for c in line.split("  ") if c.strip()]
    assert len(cells) == names + 2, cells  # "label", the names, "total"
    return cells[1:-1]


def test_two_ministries_cut_alike_before_now_differ_and_show_the_cut(tmp_path):
    lines = _table(_project(tmp_path / "p.sqlite", [JAPAN, KOREA]), "--by", "issuer")
    shown = _header_names(lines[0], 2)
    assert len(set(shown)) == 2
    for name in shown:
        assert "…" in name and len(name) <= WIDTH
        assert name.startswith("Ministry of")  # both ends show
    assert shown[0].endswith("of Japan") and shown[1].endswith("of Korea")
    assert "Ministry of Foreign Affairs of" not in shown


def test_names_alike_at_both_ends_are_widened_until_they_differ(tmp_path):
    lines = _table(_project(tmp_path / "p.sqlite", [PRESS, LEGAL, "Korea"]), "--by", "issuer", "--documents")
    shown = _header_names(lines[0], 3)
    assert "Korea" in shown
    cut = [name for name in shown if name != "Korea"]
    assert len(set(cut)) == 2
    # widened only until the first letter that differs shows, still cut
    assert sorted(name.split("(")[1][0] for name in cut) == ["L", "P"]
    assert all("…" in name and len(name) < len(PRESS) for name in cut)


def test_a_short_name_is_never_cut(tmp_path):
    exact = "x" * WIDTH
    lines = _table(_project(tmp_path / "p.sqlite", [exact, "Korea"]), "--by", "issuer")
    assert _header_names(lines[0], 2) == ["Korea", exact]
    assert "…" not in lines[0]


@pytest.mark.parametrize("args", [("--by", "issuer"), ("--rows", "issuer", "--label", "commitment", "--by", "issuer")])
def test_the_columns_stay_aligned_with_cut_and_wide_names(tmp_path, args):
    project = _project(tmp_path / "p.sqlite", [JAPAN, KOREA, PRESS, LEGAL, JAPANESE, "Korea"])
    lines = _table(project, *args)
    assert len({_columns(line) for line in lines}) == 1, lines  # every cell right-aligned to the same edge
    assert any(JAPANESE[:3] in line and "…" in line for line in lines)
    if "--rows" in args:  # the rows are the issuers: the first column tells them apart the same way
        first = [line.split("  ")[0].strip() for line in lines[1:-1]]
        assert len(set(first)) == 6 and sum("…" in name for name in first) >= 3


def test_statements_titled_alike_are_told_apart_by_their_id(tmp_path):
    project = _project(tmp_path / "p.sqlite", ["Japan", "Korea"], titles=["Joint Statement", "Joint Statement"])
    shown = _header_names(_table(project, "--by", "document")[0], 2)
    assert shown == ["Joint Statement [1]", "Joint Statement [2]"]


def test_an_issuer_named_like_the_tables_own_column_is_quoted(tmp_path):
    lines = _table(_project(tmp_path / "p.sqlite", ["total", "Korea"]), "--by", "issuer")
    assert _header_names(lines[0], 2) == ["Korea", '"total"']
    assert lines[0].split()[-1] == "total"


def test_csv_and_json_keep_the_full_names(tmp_path):
    project = _project(tmp_path / "p.sqlite", [JAPAN, KOREA])
    assert f"{JAPAN},{KOREA}" in run_cli("report", project, "--csv").stdout.decode("utf-8")
    assert KOREA in run_cli("report", project, "--json").stdout.decode("utf-8")
