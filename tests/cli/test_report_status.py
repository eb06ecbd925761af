"""``annotator report --status`` (a newcomer's trial, D15): a statement marked skipped is out of scope, yet ``report
--by date:year --documents`` counted it in "(no date)" and in the statement totals; ``export`` had a --status and
``report`` none. By default the report now leaves the skipped statements out and says how many; ``--status all``
counts every statement, ``--status STATUS`` those of one status, in every kind of report."""

from __future__ import annotations

import csv
import io
import json

import pytest

from annotator.core.model import IncomingDocument, IncomingSpan
from annotator.store import Project
from tests.helpers import run_cli

TEXT = "We commit to peace and we will defend our allies.\nThey threaten the region."


def _span(word: str, label: str) -> IncomingSpan:
    return IncomingSpan(TEXT.index(word), TEXT.index(word) + len(word), label, "kim")


@pytest.fixture
def project(tmp_path):
    """Three statements dated 2023 (one done), one without a date; then the undated one is marked skipped."""
    path = tmp_path / "r.sqlite"
    both = [_span("commit", "commitment"), _span("defend", "commitment"), _span("threaten", "threat")]
    with Project.open(path, create=True, user="kim") as p:
        p.import_documents([
            IncomingDocument(TEXT + " 1", "one", "t", both, date="2023-01-10", issuer="Japan"),
            IncomingDocument(TEXT + " 2", "two", "t", [_span("commit", "commitment")], date="2023-05-01",
                             issuer="Korea"),
            IncomingDocument(TEXT + " 3", "three", "t", [_span("threaten", "threat")], date="2023-08-01",
                             issuer="Korea"),
            IncomingDocument(TEXT + " 4", "undated", "t", both, issuer="Korea"),
        ])
        ids = p.documents().ids
        p.set_status(ids[1], "done")
        p.set_status(ids[3], "skipped")
    return path


def _json(project, *args: str) -> dict:
    result = run_cli("report", project, *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_by_year_in_statements_leaves_the_skipped_statement_out_and_says_so(project):
    result = run_cli("report", project, "--by", "date:year", "--documents")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines[0].split() == ["label", "2023", "total"]  # no "(no date)": its one statement is skipped
    assert lines[-2].split() == ["total", "3", "3"]  # the statements the percentages divide by
    assert lines[-1] == "1 skipped statement left out (--status all counts them)"

    data = _json(project, "--by", "date:year", "--documents")
    assert data["group_names"] == ["2023"] and data["statements"] == [3] and data["column_totals"] == [3]
    at = data["labels"].index("commitment")
    assert data["cells"][at] == [2] and data["row_totals"][at] == 2
    assert data["status"] == "not_skipped" and data["statuses"] == ["todo", "in_progress", "done"]
    assert data["left_out"] == {"skipped": 1}


def test_status_all_counts_every_statement_and_a_status_only_its_own(project):
    every = _json(project, "--by", "date:year", "--documents", "--status", "all")
    assert every["group_names"] == ["2023", "(no date)"] and every["statements"] == [3, 1]
    assert every["left_out"] == {}
    plain = run_cli("report", project, "--by", "date:year", "--status", "all").stdout.decode().splitlines()
    assert plain[-1].split()[0] == "total"  # nothing left out, nothing said

    done = _json(project, "--by", "issuer", "--status", "done")
    assert done["group_names"] == ["Korea"] and done["statements"] == [1]
    assert done["cells"][done["labels"].index("commitment")] == [1]
    assert done["left_out"] == {"in_progress": 2, "skipped": 1}
    said = run_cli("report", project, "--by", "issuer", "--status", "done").stdout.decode().splitlines()[-1]
    assert said == "Counting only statements marked done: 2 in progress and 1 skipped statements left out"

    skipped = _json(project, "--by", "date:year", "--status", "skipped")
    assert skipped["group_names"] == ["(no date)"]
    assert skipped["cells"][skipped["labels"].index("commitment")] == [2]


def test_crosstab_and_cooccurrence_count_the_same_statements(project):
    data = _json(project, "--rows", "issuer", "--label", "commitment", "--by", "date:year")
    assert data["row_names"] == ["Japan", "Korea"] and data["group_names"] == ["2023"]
    assert data["cells"] == [[2], [1]] and data["left_out"] == {"skipped": 1}
    every = _json(project, "--rows", "issuer", "--label", "commitment", "--by", "date:year", "--status", "all")
    assert every["cells"] == [[2, 0], [1, 2]]

    co = _json(project, "--cooccurrence", "--same-sentence")
    at = co["labels"].index("commitment")
    assert co["cells"][at][at] == 1 and co["left_out"] == {"skipped": 1}  # statement 1's pair; 4's is left out
    co_all = _json(project, "--cooccurrence", "--same-sentence", "--status", "all")
    assert co_all["cells"][at][at] == 2


def test_csv_stays_csv_and_the_note_goes_to_stderr(project):
    result = run_cli("report", project, "--by", "date:year", "--csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout.decode())))
    assert rows[0] == ["label", "2023", "total"] and rows[-1][0] == "total"
    assert result.stderr.decode().strip() == "1 skipped statement left out (--status all counts them)"


def test_the_command_offers_the_windows_choices():
    from annotator.commands import report
    from annotator.store import counting

    assert tuple(counting.CHOICES) == report.STATUS_CHOICES and report.DEFAULT_STATUS == counting.DEFAULT


def test_an_unknown_status_is_a_usage_error(project):
    result = run_cli("report", project, "--status", "finished")
    assert result.returncode == 2
    assert b"invalid choice: 'finished'" in result.stderr and b"not_skipped" in result.stderr
