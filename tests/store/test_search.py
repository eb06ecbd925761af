"""The full-text index and the searches (issue 12): offsets in code points on hostile text, the query syntax and
its clear errors, diacritics, memos, the index kept in step with imports and memo edits, the migration of an
older project, ``annotator check`` on the index, a damaged index as one clear line, labelling hits."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.model import IncomingDocument
from annotator.core.search.query import parse
from annotator.errors import AnnotatorError
from annotator.store import Project, connection, hit_labels, search, search_index
from annotator.store import variables as sv
from annotator.store.check import check_project
from tests.hostile import hostile_text

FROZEN = Path(__file__).parent / "frozen"


@pytest.fixture
def project(tmp_path):
    p = Project.open(tmp_path / "p.sqlite", create=True, user="tester")
    yield p
    p.close()


def _hits(project, text, **kw):
    return search.search_all(project.conn, parse(text, **{k: v for k, v in kw.items() if k != "labelled"}),
                             labelled=kw.get("labelled"))


# -- offsets on hostile text ----------------------------------------------------------------------------------------

_counter = iter(range(10**9))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(st.one_of(hostile_text, st.just("IRONCLAD"), st.just("ironclad"), st.just("Ironclad")),
                       min_size=1, max_size=12))
def test_every_hit_is_the_statements_own_characters(project, pieces):
    text = " ".join(pieces) + f" unique{next(_counter)}"
    doc_id = project.import_documents([IncomingDocument(text, "t")])["doc_ids"][0]
    planted = sum(p.lower() == "ironclad" for p in pieces)
    for query in (parse("ironclad"), parse("iron*"), parse("(?i)ironclad", regex=True)):
        found = [h for h in search.search_all(project.conn, query) if h.doc_id == doc_id]
        for h in found:
            assert text[h.start : h.end] == h.match
            assert h.left == text[max(0, h.start - 40) : h.start] and h.right == text[h.end : h.end + 40]
        # every planted word is found (hostile neighbours may hold more, never fewer)
        assert len(found) >= planted
        if not query.regex:
            assert all(h.match.lower().startswith("iron") for h in found)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=hostile_text)
def test_any_hostile_text_searches_without_error_and_offsets_hold(project, text):
    text = text + f" z{next(_counter)}"
    doc_id = project.import_documents([IncomingDocument(text, "t")])["doc_ids"][0]
    words = [w for w in text.split() if w.isalnum()][:3]
    for word in words:
        for h in search.search_all(project.conn, parse(f'"{word}"')):
            if h.doc_id == doc_id:
                assert text[h.start : h.end] == h.match


def test_a_nul_in_a_statement_does_not_lose_its_hits(project):
    text = "before \x00 ÉVIAN after evian"
    project.import_documents([IncomingDocument(text, "nul")])
    assert [h.match for h in _hits(project, "evian")] == ["ÉVIAN", "evian"]
    assert [h.match for h in _hits(project, "evian", exact_diacritics=True)] == ["evian"]


def test_a_statement_holding_the_marker_characters_is_still_read_right(project):
    text = "\ufdd0 ironclad \ufdd1 and ironclad \ufdd0"
    project.import_documents([IncomingDocument(text, "markers")])
    found = _hits(project, "ironclad")
    assert [(h.start, h.end) for h in found] == [(2, 10), (17, 25)]
    assert all(text[h.start : h.end] == "ironclad" for h in found)


# -- query syntax ----------------------------------------------------------------------------------------------------

TEXT = "The alliance is ironclad. Ironclad commitments hold; North and South Korea agree. Évian water."


@pytest.fixture
def one(project):
    project.import_documents([IncomingDocument(TEXT, "one", note="memo says ironclad too"),
                              IncomingDocument("Nothing to see.", "two")])
    return project


@pytest.mark.parametrize(("query", "matches"), [
    ("ironclad", ["ironclad", "Ironclad", "ironclad"]),
    ('"ironclad commitments"', ["Ironclad commitments"]),
    ("commit*", ["commitments"]),
    ("korea OR water", ["Korea", "water"]),
    ("ironclad NOT korea", []),
    ("NEAR(north korea, 3)", ["North", "Korea"]),
    ("evian", ["Évian"]),
    ("ÉVIAN", ["Évian"]),
])
def test_query_syntax(one, query, matches):
    assert [h.match for h in _hits(one, query)] == matches


def test_memo_hits_are_marked_and_offsets_are_into_the_memo(one):
    memo = [h for h in _hits(one, "ironclad") if h.in_memo]
    assert len(memo) == 1 and memo[0].field == "note"
    assert "memo says ironclad too"[memo[0].start : memo[0].end] == "ironclad"
    assert memo[0].as_json()["field"] == "note"


def test_exact_diacritics(one):
    one.import_documents([IncomingDocument("evian, EVIAN and évian", "three")])
    assert [h.match for h in _hits(one, "évian")] == ["Évian", "evian", "EVIAN", "évian"]
    assert [h.match for h in _hits(one, "évian", exact_diacritics=True)] == ["Évian", "évian"]
    assert [h.match for h in _hits(one, "evian", exact_diacritics=True)] == ["evian", "EVIAN"]


@pytest.mark.parametrize("query", ["ironclad AND", '"ironclad', "(ironclad", "ironclad)", "title:ironclad",
                                   "-ironclad", "NEAR(", "", "   ", "*", "AND", "a\x00b"])
def test_a_malformed_query_is_one_clear_line(one, query):
    with pytest.raises(AnnotatorError) as info:
        _hits(one, query)
    assert len(info.value.lines()) == 1 and "\n" not in str(info.value)


def test_a_malformed_regex_and_a_runaway_one_are_clear_lines(one):
    with pytest.raises(AnnotatorError, match="regular expression is malformed"):
        parse("(a", regex=True)
    one.import_documents([IncomingDocument("a" * 40 + "!", "runaway")])
    with pytest.raises(AnnotatorError, match="takes too long"):
        _hits(one, "(a|aa)+$", regex=True)


def test_regex_hits_and_empty_matches(one):
    with pytest.raises(AnnotatorError, match="malformed"):
        _hits(one, r"[Ii]ronclad \w+")  # not a regex search: FTS5's syntax
    found = _hits(one, r"[Ii]ronclad \w+", regex=True)
    assert [h.match for h in found] == ["Ironclad commitments", "ironclad too"]
    assert _hits(one, r"x*", regex=True) == []  # only empty matches: nothing to show


# -- the index kept in step ------------------------------------------------------------------------------------------

def test_a_memo_edit_is_searchable_at_once_and_the_old_memo_is_not(one):
    doc = one.documents()[1].id
    sv.set_value(one, doc, "note", "a zeppelin memo")
    assert [h.doc_id for h in _hits(one, "zeppelin")] == [doc]
    sv.set_value(one, doc, "note", "")
    assert _hits(one, "zeppelin") == []
    assert search_index.check(one.conn) is None


def test_import_is_indexed_in_the_same_transaction(one):
    with pytest.raises(AnnotatorError):
        one.import_documents([IncomingDocument("zeppelin here", "ok"), IncomingDocument("bad \ud800", "bad")])
    assert _hits(one, "zeppelin") == []
    assert search_index.check(one.conn) is None


def test_the_documents_filter_uses_the_index(one):
    ids = [d.id for d in one.documents()]
    assert one.documents(search="IRONCLAD comm").ids == [ids[0]]
    assert one.documents(search="evian").ids == [ids[0]]  # SQLite's lower() could not fold É
    assert one.documents(search="two").ids == [ids[1]]  # titles too
    assert one.documents(search="memo says").ids == [ids[0]]  # and memos
    assert one.documents(status="todo", search="nothing").ids == [ids[1]]
    assert one.documents(status="done", search="nothing").ids == []
    assert one.documents(search="...").ids == []  # no word: the scan


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.tuples(hostile_text, st.sampled_from(["todo", "done", "in_progress"])), min_size=1,
                      max_size=8),
       typed=st.sampled_from(["word", "WORD a", "wo", "threat", "e\u0301", "한국어", "ß", "a", "日本", "...", "<b>"]),
       status=st.sampled_from([None, "todo", "done"]), limit=st.integers(1, 5))
def test_the_filters_first_page_is_the_start_of_its_whole_list_on_hostile_text(project, texts, typed, status, limit):
    """What the Documents list shows first (``filter_page``: the last word whole) is never more than the whole list
    the same filter gives (``Project.documents``: the last word a prefix too): ascending ids of it, at most ``limit``;
    with and without a status, on hostile statements."""
    added = project.import_documents([IncomingDocument(f"{t} word{next(_counter)}", t[:20] or "t")
                                      for t, _status in texts])["doc_ids"]
    for doc_id, (_text, chosen) in zip(added, texts, strict=True):
        project.set_status(doc_id, chosen)
    whole = project.documents(status=status, search=typed).ids
    first = search_index.filter_page(project.conn, typed, status, limit)
    if typed == "...":  # no word: the index cannot answer (the list scans)
        assert first is None
        return
    assert first is not None and len(first) <= limit and first == sorted(set(first)) and set(first) <= set(whole)
    if typed == "word" and status is None:  # every statement says "word<n>": the prefix lists them all
        assert len(whole) == len(project.documents())
    assert project.listed(whole) == project.documents(status=status, search=typed)


def test_the_filters_first_page_takes_the_last_word_whole_and_the_whole_list_as_a_prefix(project):
    ids = project.import_documents([IncomingDocument(f"in Accordance {w} the rules {i}", f"s{i}") for i, w in enumerate(
        ["within", "WITH", "without", "with", "wit", "with"])])["doc_ids"]
    project.set_status(ids[3], "done")
    assert search_index.filter_page(project.conn, "accordance with", None, 2) == [ids[1], ids[3]]
    assert search_index.filter_page(project.conn, "accordance with", None, 9) == [ids[1], ids[3], ids[5]]
    assert search_index.filter_page(project.conn, "accordance with", "todo", 9) == [ids[1], ids[5]]
    assert search_index.filter_page(project.conn, "accordance wi", None, 9) == []
    assert project.documents(search="accordance with").ids == [ids[0], ids[1], ids[2], ids[3], ids[5]]
    assert project.documents(search="accordance wi").ids == ids


def test_an_older_project_is_migrated_with_its_index_filled(tmp_path):
    path = tmp_path / "v3.sqlite"
    shutil.copyfile(FROZEN / "v3.sqlite", path)
    with Project.open(path) as p:
        titles = {d.id: p.document(d.id).text.split()[0] for d in p.documents()}
        word = next(iter(titles.values()))
        assert _hits(p, f'"{word}"')
        assert search_index.check(p.conn) is None


def test_check_runs_the_index_check_and_names_a_stale_index(tmp_path, one):
    path = one.path
    assert check_project(path)[0] == []
    raw = sqlite3.connect(path)
    raw.execute("UPDATE documents SET note = 'changed behind the index' WHERE id = 1")
    raw.commit()
    raw.close()
    problems = check_project(path)[0]
    assert len(problems) == 1 and "search index does not match" in problems[0]


def test_a_damaged_index_is_one_clear_line_and_rebuild_repairs_it(one):
    one.conn.execute("UPDATE search_fts_data SET block = x'00ff00ff' WHERE id > 10")  # the segments' pages
    with pytest.raises(AnnotatorError) as info, connection.translated("search", one.path):
        _hits(one, "ironclad")
    assert "search index" in str(info.value) and "\n" not in str(info.value)
    assert one.documents(search="ironclad").ids == [1]  # the list falls back to its scan
    with one._write("rebuild"):
        search_index.rebuild(one.conn)
    assert len(_hits(one, "ironclad")) == 3


def test_a_readonly_colleague_open_searches_and_leaves_the_file_as_it_was(one, tmp_path):
    copy = tmp_path / "colleague.sqlite"
    one.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(one.path, copy)
    before = copy.read_bytes()
    with Project.open(copy, readonly=True) as theirs:
        assert len(_hits(theirs, "ironclad")) == 3
    assert copy.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("colleague")) == ["colleague.sqlite"]


# -- labelling hits --------------------------------------------------------------------------------------------------

def test_label_hits_snaps_skips_covered_and_memo_and_undoes_whole(one):
    found = _hits(one, "(?i)iron", regex=True)  # inside words: snapped to "ironclad"
    done = hit_labels.label_hits(one, found, "commitment")
    text = one.document(1).text
    assert [text[s.start : s.end] for s in done.spans] == ["ironclad", "Ironclad"]
    assert done.in_memo == 1 and done.skipped == 0
    assert one.document(1).status == "in_progress"
    again = hit_labels.label_hits(one, _hits(one, "ironclad"), "commitment")
    assert again.spans == [] and again.skipped == 2
    assert [h.match for h in _hits(one, "ironclad", labelled="commitment")] == ["ironclad", "Ironclad"]
    assert [h.match for h in _hits(one, "ironclad OR korea", labelled="")] == ["Korea"]
    hit_labels.undo(one, done)
    assert one.spans(1) == [] and one.document(1).status == "todo"
    hit_labels.redo(one, done)
    assert [s.id for s in one.spans(1)] == [s.id for s in done.spans]
    with pytest.raises(AnnotatorError, match="unknown label"):
        hit_labels.label_hits(one, found, "nope")


@pytest.mark.parametrize("regex", [False, True])
def test_a_search_asks_whether_to_stop_between_rows_read_and_stopping_anywhere_leaves_whole_batches(project, regex):
    """``cancelled`` (where the Search dock's thread takes turns with the window) is asked between any two rows SQLite
    gives, the statements' and their spans', not only between statements: a batch read at once held the window's
    GIL waits for 8-14 ms (issue 12). Stopping at any of those points ends the search with whole batches only."""
    project.import_documents([IncomingDocument(f"Ironclad {i}: the pledge is ironclad.", f"s{i}") for i in range(40)])
    first = project.documents()[0].id
    for doc in project.documents()[:30]:
        project.add_span(doc.id, 0, 8, "commitment")
    query = parse("(?i)ironclad", regex=True) if regex else parse("ironclad")
    asked = []
    whole = list(search.rows(project.conn, query, cancelled=lambda: asked.append(1) and False))
    hits = [h for batch in whole for h in batch]
    assert len(hits) == 80 and hits[0][0] == first and hits[0][10] == ("commitment",)
    assert len(asked) >= 40 + 40 + 30  # each statement read, each statement cut, each span read
    for stop_at in range(1, len(asked) + 1):
        calls = iter(range(1, 10**6))
        got = list(search.rows(project.conn, query, cancelled=lambda s=stop_at, c=calls: next(c) >= s))
        assert got == whole[: len(got)]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spans=st.lists(st.tuples(st.integers(0, 40), st.integers(1, 12), st.sampled_from(["threat", "commitment"])),
                      max_size=12),
       regions=st.lists(st.tuples(st.integers(0, 40), st.integers(1, 8), st.booleans()), max_size=10))
def test_a_hits_labels_are_exactly_the_spans_that_cover_it_whole(tmp_path_factory, spans, regions):
    """The labels the dock refreshes after a label key (``add_labels_rows``, each statement's hits at once, in any
    order) are the labels of the spans covering each hit whole, sorted, once each; a memo hit has none."""
    from annotator.core.search.hits import MEMO, TEXT, Hit

    path = tmp_path_factory.mktemp("labels") / "p.sqlite"
    with Project.open(path, create=True, user="t", populate=[IncomingDocument("x" * 60, "one")]) as p:
        doc = p.documents()[0].id
        for start, length, label in spans:
            p.add_span(doc, start, start + length, label)
        rows = [tuple(Hit(doc, "", "", "", s, s + n, "", "x" * n, "", MEMO if memo else TEXT, ("stale",)))
                for s, n, memo in regions]
        got = search.add_labels_rows(p.conn, rows)
    want = [() if memo else tuple(sorted({lb for a, n, lb in spans if a <= s and a + n >= s + length}))
            for s, length, memo in regions]
    assert [row[-1] for row in got] == want
    assert [row[:-1] for row in got] == [row[:-1] for row in rows]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spans=st.lists(st.tuples(st.booleans(), st.integers(0, 40), st.integers(1, 12),
                                st.sampled_from(["threat", "commitment"])), max_size=12),
       regions=st.lists(st.tuples(st.booleans(), st.integers(0, 40), st.integers(1, 8), st.booleans()), max_size=12),
       touched=st.sets(st.booleans()))
def test_relabelled_reads_again_only_the_hits_in_the_texts_of_the_statements_touched(tmp_path_factory, spans, regions,
                                                                                    touched):
    """What a step labelling hits reads for the dock in its thread (``relabelled``): the hits in the texts of the
    statements it touched get the labels ``add_labels_rows`` gives them; every other hit (another statement's, a memo
    hit) comes back as it was, stale labels and all, in the same place."""
    from annotator.core.search.hits import MEMO, TEXT, Hit

    path = tmp_path_factory.mktemp("relabel") / "p.sqlite"
    with Project.open(path, create=True, user="t",
                      populate=[IncomingDocument("x" * 60, "one"), IncomingDocument("y" * 60, "two")]) as p:
        ids = [d.id for d in p.documents()]
        for second, start, length, label in spans:
            p.add_span(ids[second], start, start + length, label)
        rows = [tuple(Hit(ids[second], "", "", "", s, s + n, "", "x" * n, "", MEMO if memo else TEXT, ("stale",)))
                for second, s, n, memo in regions]
        doc_ids = [ids[second] for second in touched]
        got = search.relabelled(p.conn, rows, doc_ids)
        fresh = search.add_labels_rows(p.conn, rows)
    assert len(got) == len(rows)
    for row, new, read in zip(rows, got, fresh, strict=True):
        assert new == (read if row[0] in doc_ids and row[9] == TEXT else row)
