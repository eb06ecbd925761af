"""``annotator report`` (issue 12): labels by issuer, period, statement or variable, co-occurrence; JSON, CSV and a
table; it only reads (beside a window that edits the project), and a bad --by is one clear line, exit 1."""

from __future__ import annotations

import csv
import io
import json

import pytest

from annotator.core.model import IncomingDocument, IncomingSpan
from annotator.core.variables import Variable
from annotator.store import Project
from annotator.store import variables as sv
from tests.helpers import content, run_cli

TEXT = "We commit to peace. We will defend our allies.\nThey threaten the region."


def _span(word: str, label: str) -> IncomingSpan:
    return IncomingSpan(TEXT.index(word), TEXT.index(word) + len(word), label, "kim")


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "r.sqlite"
    with Project.open(path, create=True, user="kim") as p:
        p.import_documents([
            IncomingDocument(TEXT + " 1", "one", "t", [_span("commit", "commitment"), _span("defend", "commitment")],
                             date="2023-01-10", issuer="=Japan"),
            IncomingDocument(TEXT + " 2", "two", "t", [_span("commit", "commitment"), _span("We", "threat")],
                             date="2023-05-01", issuer="Korea"),
            IncomingDocument(TEXT + " 3", "three", "t", [_span("threaten", "threat")], issuer="Korea"),
        ])
        sv.add_variable(p, Variable("region", "text"))
        sv.set_value(p, 1, "region", "Asia")
    return path


def test_json_by_quarter_in_spans_and_statements(project):
    result = run_cli("report", project, "--by", "date:quarter", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["groups"] == ["2023-Q1", "2023-Q2", None]
    assert data["group_names"] == ["2023-Q1", "2023-Q2", "(no date)"]
    at = data["labels"].index("commitment")
    assert data["cells"][at] == [2, 1, 0]
    assert data["statements"] == [1, 1, 1]
    docs = json.loads(run_cli("report", project, "--by", "date:quarter", "--documents", "--json").stdout)
    assert docs["count"] == "statements" and docs["cells"][at] == [1, 1, 0]


def test_csv_by_issuer_is_neutralised(project):
    result = run_cli("report", project, "--csv")  # --by issuer is the default
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout.decode("utf-8"))))
    assert rows[0] == ["label", "'=Japan", "Korea", "total"]
    assert rows[1] == ["Threat", "0", "2", "2"]
    assert rows[2] == ["Commitment", "2", "1", "3"]
    assert rows[-1] == ["total", "2", "3", "5"]
    # counting statements, the total row counts each once (two's commitment and threat), its corner too; the total
    # column counts statements per label
    docs = list(csv.reader(io.StringIO(run_cli("report", project, "--documents", "--csv").stdout.decode("utf-8"))))
    assert docs[1:3] == [["Threat", "0", "2", "2"], ["Commitment", "1", "1", "2"]]
    assert docs[-1] == ["total", "1", "2", "3"]


@pytest.mark.parametrize("by", ["document", "date:year", "date:month", "region", "url", "url:site"])
def test_every_grouping_adds_up(project, by):
    data = json.loads(run_cli("report", project, "--by", by, "--json").stdout)
    assert sum(data["row_totals"]) == 5
    assert sum(data["statements"]) == 3


def test_cooccurrence_overlap_and_sentence(project):
    over = json.loads(run_cli("report", project, "--cooccurrence", "--json").stdout)
    assert over["cooccurrence"] == "overlap" and sum(map(sum, over["cells"])) == 0
    sent = json.loads(run_cli("report", project, "--cooccurrence", "--same-sentence", "--json").stdout)
    t, c = sent["labels"].index("threat"), sent["labels"].index("commitment")
    assert sent["cells"][t][c] == sent["cells"][c][t] == 1  # "We" and "commit" of statement two
    assert sent["cells"][c][c] == 0  # "commit" and "defend" are two sentences apart


def test_crosstab_commitments_per_issuer_per_quarter(project):
    """The window's Corpus crosstab (rows issuer, label Commitment, columns date by quarter) on the command line."""
    args = ("report", project, "--rows", "issuer", "--label", "commitment", "--by", "date:quarter")
    data = json.loads(run_cli(*args, "--json").stdout)
    assert (data["rows"], data["label"], data["by"], data["count"]) == ("issuer", "commitment", "date:quarter", "spans")
    assert data["row_names"] == ["=Japan", "Korea"] and data["group_names"] == ["2023-Q1", "2023-Q2", "(no date)"]
    assert data["cells"] == [[2, 0, 0], [0, 1, 0]]
    assert data["row_totals"] == [2, 1] and data["column_totals"] == [2, 1, 0]
    docs = json.loads(run_cli(*args, "--documents", "--json").stdout)
    assert docs["cells"] == [[1, 0, 0], [0, 1, 0]]
    rows = list(csv.reader(io.StringIO(run_cli(*args, "--csv").stdout.decode("utf-8"))))
    assert rows[0] == ["issuer", "2023-Q1", "2023-Q2", "(no date)", "total"]
    assert rows[1] == ["'=Japan", "2", "0", "0", "2"]  # neutralised for a spreadsheet
    assert rows[-1] == ["total", "2", "1", "0", "3"]
    table = run_cli(*args).stdout.decode().splitlines()
    assert table[0].split()[:3] == ["issuer", "2023-Q1", "2023-Q2"]
    assert table[2].split() == ["Korea", "0", "1", "0", "1"]
    assert b"--rows" in run_cli("report", "--help").stdout


def test_table_output_is_aligned_text(project):
    result = run_cli("report", project, "--by", "date:year")
    assert result.returncode == 0
    lines = result.stdout.decode().splitlines()
    assert lines[0].split() == ["label", "2023", "(no", "date)", "total"]
    assert lines[2].split() == ["Commitment", "3", "0", "3"]


@pytest.mark.parametrize("args, message", [
    (["--by", "nonsense"], b"cannot group by 'nonsense'"),
    (["--by", "issuer:quarter"], b"'issuer' is not a date"),
    (["--by", "date:week"], b"unknown period 'week'"),
    (["--same-sentence"], b"--same-sentence goes with --cooccurrence"),
    (["--rows", "issuer"], b"--rows and --label go together"),
    (["--label", "threat"], b"--rows and --label go together"),
    (["--rows", "issuer", "--label", "nope"], b"no label 'nope' in the codebook"),
    (["--rows", "colour", "--label", "threat"], b"cannot group by 'colour'"),
])
def test_bad_input_is_one_clear_line_exit_1(project, args, message):
    result = run_cli("report", project, *args)
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert b"Traceback" not in result.stderr


def test_it_only_reads_even_beside_an_open_window(project):
    before = content(project)
    with Project.open(project, user="window") as window:  # a window editing it: its -wal and -shm exist
        window.add_span(3, 0, 2, "commitment")
        result = run_cli("report", project, "--json")
        assert result.returncode == 0, result.stderr
        assert sum(json.loads(result.stdout)["row_totals"]) == 6  # the window's committed span is seen
    after = content(project)
    assert [line for line in after if "INSERT INTO \"spans\"" in line][:-1] == \
        [line for line in before if "INSERT INTO \"spans\"" in line]


def test_missing_project_is_a_clear_error(tmp_path):
    result = run_cli("report", tmp_path / "nope.sqlite")
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert not (tmp_path / "nope.sqlite").exists()
