"""The documents list at scale (issue 14): ids read at once, rows a page at a time from the v3 covering index and
span counts kept by triggers; next unfinished by index seeks. Checked against the plain queries they replace."""

import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.model import STATUSES, DocumentSummary, IncomingDocument, IncomingSpan
from annotator.core.text import natural_key
from annotator.store import Project, listing, schema

FROZEN = Path(__file__).parent / "frozen"

PLAIN = (
    "SELECT d.id, d.title, d.status, (SELECT count(*) FROM spans s WHERE s.doc_id = d.id), d.length, d.sha256"
    " FROM documents d {} ORDER BY d.id"
)


def plain(p: Project, status: str | None = None) -> list[DocumentSummary]:
    """What ``documents`` returned before v3: every row read, its spans counted."""
    where, params = ("WHERE d.status = ?", (status,)) if status else ("", ())
    return [DocumentSummary(*r) for r in p.conn.execute(PLAIN.format(where), params)]


def stored_counts(p: Project) -> dict[int, int]:
    return dict(p.conn.execute("SELECT doc_id, spans FROM document_span_counts WHERE spans > 0"))


def true_counts(p: Project) -> dict[int, int]:
    return dict(p.conn.execute("SELECT doc_id, count(*) FROM spans GROUP BY doc_id"))


def make(tmp_path, n=600, spans_each=2) -> Project:
    docs = [
        IncomingDocument(f"Statement {i} 😀 text\r\nmore words here", f"t{i}",
                         spans=[IncomingSpan(0, 9, "threat"), IncomingSpan(10, 12, "commitment")][:spans_each])
        for i in range(n)
    ]
    return Project.open(tmp_path / "p.sqlite", create=True, user="ann", populate=docs)


def test_listing_matches_the_plain_query_over_pages_and_statuses(tmp_path):
    with make(tmp_path) as p:
        for i, doc_id in enumerate(range(1, 601)):
            if i % 3:
                p.set_status(doc_id, STATUSES[i % len(STATUSES)])
        assert len(p.documents()) == 600 > listing.PAGE * 2
        assert list(p.documents()) == plain(p)
        assert p.documents() == plain(p)
        for status in STATUSES:
            got = p.documents(status)
            assert got.ids == [d.id for d in plain(p, status)]
            assert list(got) == plain(p, status)
        got = p.documents()
        assert got[-1] == plain(p)[-1] and got[300:303] == plain(p)[300:303]
        with pytest.raises(IndexError):
            got[600]
        assert p.documents(search="statement 59") == [d for d in plain(p) if "statement 59" in d.title.lower()
                                                      or "Statement 59" in p.document(d.id).text]


def test_a_replaced_row_stays_replaced_and_must_keep_its_id(tmp_path):
    from dataclasses import replace

    with make(tmp_path, n=300) as p:
        rows = p.documents()
        rows[280] = replace(rows[280], status="done")
        assert [r.status for r in rows][280] == "done"  # iterating does not drop a page that was changed
        with pytest.raises(ValueError):
            rows[0] = rows[1]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["add", "delete", "relabel", "drop_label", "restore"]),
                          st.integers(1, 4)), max_size=12))
def test_span_counts_follow_every_change(tmp_path_factory, steps):
    with make(tmp_path_factory.mktemp("c"), n=4, spans_each=1) as p:
        deleted = []
        for op, doc_id in steps:
            spans = p.spans(doc_id)
            if op == "add":
                p.add_span(doc_id, 1, 5, "call_to_action")
            elif op == "delete" and spans:
                deleted.append(p.delete_span(spans[0].id))
            elif op == "restore" and deleted:
                span = deleted.pop()
                if p.conn.execute("SELECT 1 FROM spans WHERE id = ?", (span.id,)).fetchone() is None:
                    p.restore_spans([span])  # (an undo restores it before its id is taken again)
            elif op == "relabel" and spans:
                p.update_span(spans[0].id, label="commitment")
            elif op == "drop_label":
                before, gone = p.delete_label("call_to_action")
                p.restore_label(before, gone)
            assert stored_counts(p) == true_counts(p)
            assert [d.span_count for d in p.documents()] == [d.span_count for d in plain(p)]


@pytest.mark.parametrize("frozen", sorted(FROZEN.glob("v*.sqlite")), ids=lambda p: p.name)
def test_v3_arrives_by_migration_with_the_counts_of_the_spans_already_there(tmp_path, frozen):
    path = tmp_path / frozen.name
    shutil.copyfile(frozen, path)
    with Project.open(path) as p:
        assert listing.has_listing(p.conn)
        assert stored_counts(p) == true_counts(p) and true_counts(p)
        assert list(p.documents()) == plain(p)
        doc = p.documents()[0].id
        p.add_span(doc, 0, 1, "threat")
        assert stored_counts(p) == true_counts(p)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    plan = " ".join(r[3] for r in conn.execute(
        "EXPLAIN QUERY PLAN " + listing._PAGE_SQL[True].format("?, ?"), (1, 2)))
    assert "COVERING INDEX documents_listing" in plan  # a page never reads a documents row (its text)
    conn.close()


def test_an_old_file_opened_read_only_is_listed_the_old_way(tmp_path):
    path = tmp_path / "v1.sqlite"
    shutil.copyfile(FROZEN / "v1.sqlite", path)
    before = path.read_bytes()
    with Project.open(path, readonly=True) as p:
        assert len(p.documents()) == 2 and list(p.documents()) == plain(p)
    assert path.read_bytes() == before


def test_next_unfinished_seeks_both_statuses_and_wraps(tmp_path):
    with make(tmp_path, n=6) as p:
        for doc_id, status in zip(range(1, 7), ["done", "in_progress", "done", "todo", "skipped", "done"],
                                  strict=True):
            p.set_status(doc_id, status)
        assert p.next_unfinished() == 2
        assert p.next_unfinished(2) == 4
        assert p.next_unfinished(4) == 2  # wraps round
        assert p.next_unfinished(6) == 2
        p.set_status(4, "done")
        assert p.next_unfinished(2) is None  # the only unfinished one is the current one
        assert p.next_unfinished(3) == 2
        p.set_status(2, "done")
        assert p.next_unfinished() is None and p.next_unfinished(1) is None


# ------------------------------------------------------------------ a column's order (the window sorts by ids alone)
@settings(max_examples=40, deadline=None)
@given(titles=st.lists(st.text(max_size=12) | st.from_regex(r"[sS]\d{1,4}( [a-zA-Z]\d{0,3})?", fullmatch=True),
                       min_size=1, max_size=30),
       counts=st.lists(st.integers(0, 3), min_size=30, max_size=30),
       statuses=st.lists(st.sampled_from(STATUSES), min_size=30, max_size=30))
def test_a_columns_order_is_every_id_once_numbers_by_value_ties_by_import(tmp_path_factory, titles, counts, statuses):
    path = tmp_path_factory.mktemp("order") / "p.sqlite"
    docs = [IncomingDocument(f"{i} {title}\r\n", title) for i, title in enumerate(titles)]
    with Project.open(path, create=True, user="kim", populate=docs) as p:
        ids = [d.id for d in p.documents()]
        for doc_id, n, status in zip(ids, counts, statuses, strict=False):
            for k in range(n):
                p.add_span(doc_id, 0, 1, "threat", note=str(k))
            p.set_status(doc_id, status)
        title_of = dict(zip(ids, titles, strict=True))
        by_title = listing.order(p.conn, "title")
        assert sorted(by_title) == ids
        for a, b in zip(by_title, by_title[1:], strict=False):  # numbers by value, letters whatever their case
            ka, kb = natural_key(title_of[a]), natural_key(title_of[b])
            assert ka < kb or (ka == kb and (title_of[a], a) <= (title_of[b], b))
        summaries = {d.id: d for d in p.documents()}
        assert listing.order(p.conn, "status") == sorted(ids, key=lambda i: (summaries[i].status, i))
        assert listing.order(p.conn, "spans") == sorted(ids, key=lambda i: (summaries[i].span_count, i))


def test_a_columns_order_in_a_file_without_the_listing_index_and_an_unknown_column(tmp_path, monkeypatch):
    with make(tmp_path, n=40) as p:
        p.add_span(p.documents()[5].id, 0, 3, "threat")
        expected = {c: listing.order(p.conn, c) for c in listing.ORDERS}
        monkeypatch.setattr(listing, "has_listing", lambda conn: False)  # a file older than schema v3
        assert {c: listing.order(p.conn, c) for c in listing.ORDERS} == expected
        assert expected["title"] == [d.id for d in p.documents()]  # t0 … t9, t10 … (code points: t1, t10, t11 …)
        assert expected["spans"][-1] == p.documents()[5].id
        with pytest.raises(ValueError, match="no order by 'date'"):
            listing.order(p.conn, "date")


def test_an_order_comes_with_its_ids_ascending_read_in_the_same_snapshot(tmp_path, monkeypatch):
    """The window takes a column's order whole when its ids ascending equal the list's (one comparison in C, not a
    set of 100 000): both must be read in one snapshot, or a statement imported between the two reads would be in
    the ids and not in the order, and the sorted list would lose it."""
    from annotator import pacing
    from annotator.store import search

    with make(tmp_path, n=30) as p:  # the window's project, open
        reader = search.reader(p.path)  # the order's thread's
        real_rows = pacing.rows
        written: list[int] = []

        def rows(found, every=16):  # type: ignore[no-untyped-def]
            if not written:  # between the order's first read and the ids', the window imports a statement
                p.import_documents([IncomingDocument("a text written meanwhile", "s0")])
                written.append(1)
            return real_rows(found, every)

        monkeypatch.setattr(pacing, "rows", rows)
        ranking = listing.order(reader, "title")
        reader.close()
        assert written == [1]
        assert len(ranking) == 30 and ranking.ascending == sorted(ranking)  # neither holds the one written after
        assert len(listing.order(p.conn, "status").ascending) == 31


def test_a_reordered_list_keeps_its_ids_ascending_and_gives_them_back_unsorted(tmp_path):
    with make(tmp_path, n=20) as p:
        listed = p.documents()
        ids = list(listed.ids)
        assert listed.ascending is listed.ids
        backwards = listed.reordered(ids[::-1])
        assert backwards.ascending == ids and backwards.in_import_order().ids == ids
        assert listed.reordered(ids[:5]).ascending is None  # some of them only: not known
