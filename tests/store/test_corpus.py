"""The corpus views' core (issue 12): label × group tables, timeline, co-occurrence and span retrieval, each checked
against a count done by hand in Python on a small project with known dates, issuers and spans."""

from __future__ import annotations

import csv
import sqlite3

import pytest

from annotator.core.model import IncomingDocument, IncomingSpan
from annotator.core.neutral import csv_cell_original
from annotator.core.variables import Variable
from annotator.errors import AnnotatorError
from annotator.store import Project, corpus, retrieval
from annotator.store import cooccurrence as co
from annotator.store import variables as sv

TEXT = "Japan will act. We warn them!\nA new line here. 👍🏽 Évian est là."


def _doc(i: int, date: str, issuer: str, spans: list[tuple[int, int, str]], **kw) -> IncomingDocument:
    return IncomingDocument(f"{i}: {TEXT}", f"statement {i}", "t",
                            [IncomingSpan(s + 3, e + 3, lb, kw.pop("annotator", "kim")) for s, e, lb in spans],
                            date=date, issuer=issuer)


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "c.sqlite"
    with Project.open(path, create=True, user="kim") as p:
        p.import_documents([
            _doc(0, "2023-01-05", "Japan", [(0, 5, "threat"), (6, 10, "commitment"), (16, 28, "commitment")]),
            _doc(1, "2023-02-10", "Japan", [(0, 14, "commitment"), (6, 10, "threat")]),
            _doc(2, "2023-05-01", "Korea", [(0, 5, "commitment")]),
            _doc(3, "", "", [(16, 18, "threat")]),
            _doc(4, "2024-11-30", "Korea", []),
        ])
        sv.add_variable(p, Variable("region", "text"))
        sv.set_value(p, 1, "region", "Asia")
        sv.set_value(p, 3, "region", "Asia")
        yield p


def test_label_by_quarter_counts_spans_and_statements_with_percentages(project):
    t = corpus.label_table(project.conn, "date:quarter")
    assert t.groups == ["2023-Q1", "2023-Q2", "2024-Q4", None]
    assert t.group_names[-1] == "(no date)"
    assert t.labels[:3] == ["threat", "commitment", "call_to_action"]
    commitment = t.labels.index("commitment")
    assert t.spans[commitment] == [3, 1, 0, 0]
    assert t.statements[commitment] == [2, 1, 0, 0]
    assert t.group_statements == [2, 1, 1, 1]
    assert t.column_totals("spans") == [5, 1, 0, 1]
    assert t.row_totals("statements")[commitment] == 3
    assert t.percent("spans", "row")[commitment][0] == pytest.approx(75.0)
    assert t.percent("statements", "column")[commitment][0] == pytest.approx(100.0)
    assert t.percent("spans", "column")[0][2] is None  # an empty column has no percentage


def test_every_grouping_puts_each_statement_in_one_group(project):
    for by, _ in corpus.groupings(project.conn):
        t = corpus.label_table(project.conn, by)
        assert sum(t.group_statements) == 5, by
        assert sum(t.row_totals()) == 7, by
    by_issuer = corpus.label_table(project.conn, "issuer")
    assert by_issuer.group_names == ["Japan", "Korea", "(no issuer)"]
    by_region = corpus.label_table(project.conn, "region")
    assert by_region.group_names == ["Asia", "(no region)"]
    assert by_region.group_statements == [2, 3]
    docs = corpus.label_table(project.conn, "document")
    assert docs.group_names == [f"statement {i}" for i in range(5)]


def test_the_site_grouping_is_the_urls_host_without_www(project):
    """Where statements were published, not one group per URL (the window no longer offers the whole URL or the
    memo: a newcomer's finding); odd URLs fall in a group of their own or in "(no URL)", never lost."""
    urls = ["https://www.State.gov/a?b=1", "http://state.gov", "https://mofa.go.jp/x/y", "mofa.go.jp/z", "mailto:",
            "https:///nohost", ""]
    docs = [_doc(20 + i, "2023-01-01", "Japan", [(0, 5, "threat")]) for i in range(len(urls))]
    for doc, url in zip(docs, urls, strict=True):
        doc.url = url
    project.import_documents(docs)
    t = corpus.label_table(project.conn, "url:site")
    assert dict(zip(t.group_names, t.group_statements, strict=True)) == {
        "mailto": 1, "mofa.go.jp": 2, "state.gov": 2, "(no URL)": 5 + 2}
    assert ("url:site", "Site (from the URL)") in corpus.groupings(project.conn)
    assert not {"url", "note"} & {by for by, _ in corpus.groupings(project.conn)}
    threat = t.labels.index("threat")
    for j, key in enumerate(t.groups):
        cell = retrieval.SpanQuery(labels=("threat",), groups=(("url:site", key),))
        assert retrieval.count(project.conn, cell) == t.spans[threat][j], key


def test_partial_and_missing_dates_have_their_own_groups(project):
    project.conn.execute("UPDATE documents SET date = '2022' WHERE id = 5")  # a file made elsewhere
    assert corpus.label_table(project.conn, "date:month").groups == ["2022-??", "2023-01", "2023-02", "2023-05", None]
    assert corpus.label_table(project.conn, "date:quarter").groups[0] == "2022-Q?"
    assert corpus.label_table(project.conn, "date:year").groups == ["2022", "2023", None]


@pytest.mark.parametrize("by", ["nonsense", "issuer:month", "date:week", "region:year"])
def test_bad_grouping_is_one_clear_error(project, by):
    with pytest.raises(AnnotatorError) as err:
        corpus.label_table(project.conn, by)
    assert "\n" not in str(err.value)


def test_timeline_fills_the_quarters_between(project):
    tl = corpus.timeline(project.conn, "quarter")
    assert tl.periods[0] == "2023-Q1" and tl.periods[-1] == "2024-Q4" and len(tl.periods) == 8
    assert tl.undated == 1
    assert sum(map(sum, tl.counts)) == 6


def _pairs_by_hand(project, mode):
    out = {}
    for doc_id in range(1, 6):
        text = project.document(doc_id).text
        sp = project.spans(doc_id)
        for i, a in enumerate(sp):
            for b in sp[i + 1:]:
                if mode == "overlap":
                    ok = a.start < b.end and b.start < a.end
                else:
                    lo, hi = sorted((a.start, b.start))
                    gap = text[lo:hi + 1]
                    ok = not any(m in gap for m in (". ", "! ", "? ", "\n"))
                if ok:
                    key = tuple(sorted((a.label, b.label)))
                    out[key] = out.get(key, 0) + 1
    return out


@pytest.mark.parametrize("mode", ["overlap", "sentence"])
def test_cooccurrence_matches_a_count_by_hand(project, mode):
    c = co.cooccurrence(project.conn, mode)
    expected = _pairs_by_hand(project, mode)
    for i, x in enumerate(c.labels):
        for j, y in enumerate(c.labels):
            assert c.cells[i][j] == expected.get(tuple(sorted((x, y))), 0), (x, y)
    assert c.total() == sum(expected.values()) > 0


def test_cooccurrence_statements(project):
    rows = co.statements(project.conn, "threat", "commitment", "overlap")
    assert [r["doc_id"] for r in rows] == [2]
    rows = co.statements(project.conn, "commitment", "threat", "sentence")
    assert {r["doc_id"] for r in rows} == {1, 2}
    with pytest.raises(AnnotatorError):
        co.cooccurrence(project.conn, "paragraph")


def test_retrieve_spans_by_label_text_note_and_variables(project, tmp_path):
    conn = project.conn
    span = project.spans(2)[0]
    project.update_span(span.id, note="=HYPERLINK(1)")
    everything = retrieval.spans(conn, retrieval.SpanQuery())
    assert len(everything) == 7
    for row in everything:
        assert row[8] == project.document(row[1]).text[row[5]:row[6]]
    japan = {r[0] for r in everything if "japan" in r[8].casefold()}
    assert japan and {r[0] for r in retrieval.spans(conn, retrieval.SpanQuery(text="JAPAN"))} == japan
    q = retrieval.SpanQuery(labels=("commitment",), variables={"issuer": "Japan"})
    assert len(retrieval.spans(conn, q)) == 3 and retrieval.count(conn, q) == 3
    assert len(retrieval.spans(conn, retrieval.SpanQuery(variables={"region": "Asia"}))) == 4
    assert len(retrieval.spans(conn, retrieval.SpanQuery(note="hyperlink"))) == 1
    assert len(retrieval.spans(conn, retrieval.SpanQuery(annotator="nobody"))) == 0
    cell = retrieval.SpanQuery(labels=("commitment",), groups=(("date:quarter", "2023-Q1"),))
    assert len(retrieval.spans(conn, cell)) == 3
    undated = retrieval.SpanQuery(groups=(("date:quarter", None), ("issuer", None)))
    assert [r[1] for r in retrieval.spans(conn, undated)] == [4]
    with pytest.raises(AnnotatorError):
        retrieval.spans(conn, retrieval.SpanQuery(variables={"nope": 1}))
    target = tmp_path / "spans.csv"
    assert retrieval.write_csv(conn, retrieval.SpanQuery(), target) == 7
    with open(target, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(retrieval.COLUMNS)
    notes = [r[10] for r in rows[1:] if r[10]]
    assert notes == ["'=HYPERLINK(1)"] and csv_cell_original(notes[0]) == "=HYPERLINK(1)"
    assert not list(tmp_path.glob("*.part"))


def test_unicode_text_filter_folds_case(project):
    doc = project.document(1)
    start = doc.text.index("Évian")
    project.add_span(1, start, start + 5, "threat")
    rows = retrieval.spans(project.conn, retrieval.SpanQuery(text="éVIAN"))
    assert [r[8] for r in rows] == ["Évian"]


def test_reads_work_on_a_read_only_connection(project):
    ro = sqlite3.connect(f"file:{project.path}?mode=ro", uri=True)
    try:
        assert corpus.label_table(ro, "issuer").spans
        assert retrieval.spans(ro, retrieval.SpanQuery(text="japan"))
    finally:
        ro.close()


def test_crosstab_commitments_per_issuer_per_quarter(project):
    t = corpus.crosstab(project.conn, "issuer", "date:quarter", "commitment")
    assert t.labels == ["Japan", "Korea", None]
    assert [t.names[k] for k in t.labels] == ["Japan", "Korea", "(no issuer)"]
    assert t.groups == ["2023-Q1", "2023-Q2", "2024-Q4", None]
    assert t.spans == [[3, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0]]
    assert t.statements[0] == [2, 0, 0, 0]
    assert t.percent("spans", "column")[0][0] == pytest.approx(100.0)


def test_codeline_pages_statements_with_their_spans(project):
    total, rows = corpus.codeline(project.conn, offset=1, count=2)
    assert total == 5 and [r.doc_id for r in rows] == [2, 3]
    assert rows[0].spans == [(s.label, s.start, s.end) for s in project.spans(2)]
    assert rows[0].length == len(project.document(2).text)
    _, only = corpus.codeline(project.conn, 0, 5, labels=("threat",))
    assert sum(len(r.spans) for r in only) == 3


def _summaries_by_hand(conn):
    counts = dict(((d, lb, date, issuer), n) for d, lb, n, date, issuer in conn.execute(
        "SELECT s.doc_id, s.label, count(*), d.date, d.issuer FROM spans s JOIN documents d ON d.id = s.doc_id"
        " GROUP BY s.doc_id, s.label"))
    return counts


def test_the_summaries_follow_every_change_of_spans(project):
    conn = project.conn

    def check():
        counts = _summaries_by_hand(conn)
        assert dict(((d, lb, date, issuer), n) for d, lb, n, date, issuer in conn.execute(
            "SELECT doc_id, label, spans, date, issuer FROM label_doc_counts")) == counts

    check()
    span = project.add_span(1, 0, 12, "call_to_action")
    check()
    project.update_span(span.id, start=20, end=30)
    check()
    project.update_span(span.id, label="threat")
    check()
    project.delete_span(span.id)
    check()
    project.delete_label("commitment", relabel_to="threat")
    check()
    project.restore_spans([span])
    check()
    sv.set_value(project, 2, "date", "2020-02-02")
    sv.set_value(project, 2, "issuer", "Vietnam")
    check()
    assert corpus.label_table(conn, "issuer").group_names[-2] == "Vietnam"
    conn.execute("DELETE FROM documents WHERE id = 1")
    check()


def test_the_migration_fills_the_summaries_of_an_older_project(tmp_path):
    import shutil
    from pathlib import Path

    frozen = Path(__file__).parent / "frozen" / "v3.sqlite"
    path = tmp_path / "old.sqlite"
    shutil.copyfile(frozen, path)
    with Project.open(path, user="kim") as p:
        counts = _summaries_by_hand(p.conn)
        assert counts
        assert sum(n for (n,) in p.conn.execute("SELECT spans FROM label_doc_counts")) == sum(counts.values())


def test_a_dense_statement_stores_rows_in_proportion_to_its_spans_not_their_pairs(tmp_path):
    """400 spans all covering one point: 79 800 overlapping pairs. The project keeps a row or two per span (a table
    of pairs made a dense statement's import 130× slower and a label key 13× slower), and co-occurrence still counts
    every pair, from the index at query time."""
    n = 400
    text = "word " * 1000
    spans = [IncomingSpan(5 * i, 5 * (i + n) - 1, ("threat", "commitment")[i % 2]) for i in range(n)]
    with Project.open(tmp_path / "dense.sqlite", create=True) as p:
        p.import_documents([IncomingDocument(text, "dense", spans=spans)])
        tables = [r[0] for r in p.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")]
        rows = sum(p.conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables)
        assert rows < 10 * n
        table = co.cooccurrence(p.conn, "overlap")
        at = {k: i for i, k in enumerate(table.labels)}
        t, c = at["threat"], at["commitment"]
        assert table.cells[t][c] == (n // 2) ** 2  # every threat overlaps every commitment
        assert table.cells[t][t] == table.cells[c][c] == (n // 2) * (n // 2 - 1) // 2


def test_every_cell_lists_the_spans_it_counts_whatever_the_dates(project):
    """A cell's span list (``retrieval`` through ``corpus.group_filter``, whose date groups read the date index)
    holds exactly the spans the table counts in it, for every grouping, odd dates included (a year alone, no
    month, an impossible month, text that is no date, none)."""
    odd = [_doc(10 + i, date, "Japan", [(0, 5, "threat"), (6, 10, "commitment")])
           for i, date in enumerate(["2023", "2023-13-01", "soon", "2023-01", "2023-01-05T10:00", ""])]
    project.import_documents(odd)
    for by, _title in corpus.groupings(project.conn):
        table = corpus.label_table(project.conn, by)
        for i, label in enumerate(table.labels):
            for j, key in enumerate(table.groups):
                cell = retrieval.SpanQuery(labels=(label,), groups=((by, key),))
                assert retrieval.count(project.conn, cell) == table.spans[i][j], (by, key, label)
                assert len(retrieval.spans(project.conn, cell)) == table.spans[i][j], (by, key, label)
