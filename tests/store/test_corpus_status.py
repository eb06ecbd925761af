"""The corpus figures of the statements a status choice counts (a newcomer's trial, D15): each table, crosstab,
timeline, co-occurrence, span list and codeline page of a choice equals the same figure, counting every statement,
of a copy of the project that holds only the statements the choice keeps; and a label table equals a count by hand.
Both ways of writing the condition (the statements left out, or those kept: whichever is fewer) are exercised."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from annotator.core.model import IncomingDocument, IncomingSpan
from annotator.core.variables import Variable
from annotator.errors import AnnotatorError
from annotator.store import Project, corpus, counting, retrieval
from annotator.store import cooccurrence as co
from annotator.store import variables as sv

TEXT = "Japan will act and we warn them!\nA new line here. We commit."
WORDS = [("Japan", "threat"), ("act", "commitment"), ("warn", "threat"), ("new line", "call_to_action"),
         ("commit", "commitment"), ("will act", "commitment")]
DATES = ["2023-01-05", "2023-02-10", "2023-05-01", "", "2024", "2024-11-30", "2022-12-31"]
ISSUERS = ["Japan", "Korea", "", "United States"]
URLS = ["https://www.state.gov/a", "", "http://mofa.go.jp/x", "https://State.gov/b"]
#: statuses spread so that every choice has statements kept and left out, and "todo" keeps the fewer
STATUSES = ["in_progress", "done", "skipped", "done", "in_progress", "done", "skipped", "done", "todo", "in_progress",
            "done", "done", "skipped", "done"]
GROUPINGS = ("document", "issuer", "date", "date:year", "date:quarter", "date:month", "url:site", "region",
             "when:year")


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "s.sqlite"
    docs = []
    for i in range(len(STATUSES)):
        spans = [IncomingSpan(TEXT.index(w), TEXT.index(w) + len(w), lb, "kim")
                 for k, (w, lb) in enumerate(WORDS) if (i + k) % 3 != 0 or i % 5 == 0]
        docs.append(IncomingDocument(f"{TEXT} {i}", f"statement {i % 6}", "t", spans, date=DATES[i % len(DATES)],
                                     issuer=ISSUERS[i % len(ISSUERS)], url=URLS[i % len(URLS)]))
    with Project.open(path, create=True, user="kim") as p:
        p.import_documents(docs)
        sv.add_variable(p, Variable("region", "text"))
        sv.add_variable(p, Variable("when", "date"))
        for i, (doc_id, status) in enumerate(zip(p.documents().ids, STATUSES, strict=True)):
            p.set_status(doc_id, status)
            if i % 3:
                sv.set_value(p, doc_id, "region", "Asia" if i % 2 else "Europe")
            if i % 4:
                sv.set_value(p, doc_id, "when", f"20{20 + i % 3}-0{1 + i % 9}-15")
    return path


def _kept_copy(path, tmp_path, choice: str):
    """A copy of the project holding only the statements ``choice`` counts (the triggers keep its counts)."""
    copy = tmp_path / f"only-{choice}.sqlite"
    shutil.copyfile(path, copy)
    conn = sqlite3.connect(copy)
    conn.execute("PRAGMA foreign_keys = ON")
    kept = counting.CHOICES[choice]
    conn.execute(f"DELETE FROM documents WHERE status NOT IN ({','.join('?' * len(kept))})", kept)
    conn.commit()
    return conn


def _figures(t: corpus.LabelTable) -> tuple:
    return (t.labels, t.groups, t.group_names, t.spans, t.statements, t.group_statements, t.total_statements)


@pytest.mark.parametrize("choice", list(counting.CHOICES))
def test_every_figure_of_a_choice_is_that_of_the_statements_it_keeps(path, tmp_path, choice):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    only = _kept_copy(path, tmp_path, choice)
    try:
        for by in GROUPINGS:
            t = corpus.label_table(conn, by, choice)
            assert _figures(t) == _figures(corpus.label_table(only, by)), (choice, by)
            assert t.counting.choice == choice and t.counting.statuses == counting.CHOICES[choice]
        for rows_by, cols_by in (("issuer", "date:quarter"), ("region", "date:year"), ("url:site", "when:month")):
            got = corpus.crosstab(conn, rows_by, cols_by, "commitment", choice)
            assert _figures(got) == _figures(corpus.crosstab(only, rows_by, cols_by, "commitment")), (rows_by, cols_by)
        for period in corpus.PERIODS:
            got_tl, want_tl = corpus.timeline(conn, period, status=choice), corpus.timeline(only, period)
            assert (got_tl.periods, got_tl.counts, got_tl.undated) == (want_tl.periods, want_tl.counts,
                                                                       want_tl.undated)
        for mode in co.MODES:
            assert co.cooccurrence(conn, mode, choice).cells == co.cooccurrence(only, mode).cells
            assert co.statements(conn, "commitment", "threat", mode, choice) == co.statements(
                only, "commitment", "threat", mode)
        for query in (retrieval.SpanQuery(), retrieval.SpanQuery(labels=("threat",), groups=(("date:year", None),)),
                      retrieval.SpanQuery(groups=(("issuer", "Korea"), ("date:quarter", "2023-Q1")))):
            mine = retrieval.SpanQuery(query.labels, groups=query.groups, status=choice)
            assert retrieval.spans(conn, mine) == retrieval.spans(only, query)
            assert retrieval.count(conn, mine) == retrieval.count(only, query)
        for offset in (0, 3):
            total, rows = corpus.codeline(conn, offset, 4, status=choice)
            assert (total, rows) == corpus.codeline(only, offset, 4)
    finally:
        conn.close()
        only.close()


def test_a_table_of_the_statements_not_skipped_counted_by_hand(path):
    with Project.open(path, readonly=True) as p:
        docs = {d.id: p.document(d.id) for d in p.documents()}
        t = corpus.label_table(p.conn, "date:year", counting.DEFAULT)
        kept = [d for d in docs.values() if d.status != "skipped"]
        years = {d.id: (d.date[:4] or None) for d in kept}
        want_groups = sorted(set(years.values()), key=lambda y: (y is None, y or ""))
        assert t.groups == want_groups
        assert t.group_statements == [sum(1 for y in years.values() if y == g) for g in want_groups]
        for i, label in enumerate(t.labels):
            spans = [s for d in kept for s in p.spans(d.id) if s.label == label]
            assert t.spans[i] == [sum(1 for s in spans if years[s.doc_id] == g) for g in want_groups]
            assert t.statements[i] == [len({s.doc_id for s in spans if years[s.doc_id] == g}) for g in want_groups]
        skipped = sum(1 for d in docs.values() if d.status == "skipped")
        assert t.counting.left_out == {"skipped": skipped} and t.counting.counted == len(kept)
        assert t.counting.describe() == f"{skipped} skipped statements left out"


def test_the_condition_names_the_fewer_statements_and_nothing_when_none_is_left_out(path):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert counting.counting(conn, "not_skipped").condition("c.doc_id")[0].startswith("c.doc_id NOT IN")
        assert counting.counting(conn, "todo").condition("c.doc_id")[0].startswith("c.doc_id IN")
        assert counting.counting(conn, "all").condition("c.doc_id") == ("", ())
        assert counting.tally(conn, "all").counted == len(STATUSES)  # "all" reads the statuses only when asked
        assert counting.tally(conn, "not_skipped").left_out == {"skipped": STATUSES.count("skipped")}
        none_skipped = counting.Counting("not_skipped", counting.CHOICES["not_skipped"], {"done": 3, "todo": 1})
        assert none_skipped.condition("id") == ("", ()) and none_skipped.describe() == ""
        nobody = counting.Counting("todo", ("todo",), {"done": 3})
        assert nobody.condition("id") == ("0", ()) and nobody.describe() == "3 done statements left out"
        with pytest.raises(AnnotatorError, match="unknown status 'finished'"):
            counting.counting(conn, "finished")
    finally:
        conn.close()
