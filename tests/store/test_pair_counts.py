"""The co-occurrence counts kept by triggers (schema v5, issue 12) stay exactly what recounting every pair of spans
from the text gives, after any sequence of the writes the app makes: a label key, a boundary edit, a relabel, a
delete and their undos, deleting a label (and its undo), an import onto a statement already here, labelling search
hits (and undo, redo), a colleague's span accepted (and undone), a suggestion accepted. Texts are hostile:
emoji, CRLF, combining marks, abbreviations, quotes."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.model import IncomingDocument, IncomingSpan
from annotator.core.search.hits import Hit
from annotator.core.suggest.suggester import Suggestion
from annotator.store import Project, hit_labels, pair_counts, schema, sentences
from annotator.store import cooccurrence as co
from annotator.store import review as rv
from annotator.store import suggest as ss

PIECES = ["Japan will act. ", "We warn them!\r\n", "Mr. Kim said so. ", "The U.S. agreed. ", "👍🏽 Évian est là? ",
          "Ok.\n\n", "“Never.” ", "e\u0301te\u0301, ", "(see 3. below) ", "No", " and more", ". 1 Two. "]
LABELS = ("threat", "commitment", "call_to_action")


def _recount(project: Project) -> dict[str, Counter[tuple[int, str, str]]]:
    """Every pair of spans of every statement, tested one by one in Python."""
    out: dict[str, Counter[tuple[int, str, str]]] = {"overlap": Counter(), "sentence": Counter()}
    for (doc_id,) in project.conn.execute("SELECT id FROM documents"):
        text = project.document(doc_id).text
        starts = sentences.starts(text)
        spans = project.spans(doc_id)
        for i, a in enumerate(spans):
            for b in spans[i + 1:]:
                key = (doc_id, min(a.label, b.label), max(a.label, b.label))
                if a.start < b.end and b.start < a.end:
                    out["overlap"][key] += 1
                if sentences.sentence_of(starts, a.start) == sentences.sentence_of(starts, b.start):
                    out["sentence"][key] += 1
    return out


def _kept(project: Project) -> dict[str, Counter[tuple[int, str, str]]]:
    return {mode: Counter({(d, x, y): n for d, x, y, n in project.conn.execute(
        f"SELECT doc_id, x, y, pairs FROM {mode}_pairs")}) for mode in co.MODES}


def _assert_counts(project: Project) -> None:
    kept, expected = _kept(project), _recount(project)
    assert kept == expected
    assert pair_counts.pending(project.conn) == 0  # an import's deferral ends in its transaction
    assert sentences.uncut(project.conn) == 0  # every statement with spans has its sentence starts
    for mode in co.MODES:
        table = co.cooccurrence(project.conn, mode)
        by_labels: Counter[tuple[str, str]] = Counter()
        for (_d, x, y), n in expected[mode].items():
            by_labels[(x, y)] += n
        for (x, y), n in by_labels.items():
            assert table.cells[table.labels.index(x)][table.labels.index(y)] == n
            assert table.cells[table.labels.index(y)][table.labels.index(x)] == n
        assert table.total() == sum(by_labels.values())


texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join)
edits = st.lists(st.tuples(st.integers(0, 11), st.integers(0, 10**6), st.integers(0, 10**6),
                           st.sampled_from(LABELS)), min_size=1, max_size=25)


def _bounds(text: str, a: int, b: int) -> tuple[int, int]:
    start = a % len(text)
    return start, start + 1 + b % (len(text) - start)


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pairs") / "blank.sqlite"
    Project.open(path, create=True, user="kim").close()
    return path


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(docs=st.lists(texts, min_size=1, max_size=3, unique=True), steps=edits)
def test_the_kept_counts_follow_any_sequence_of_writes(blank, tmp_path, docs, steps):
    path = tmp_path / f"p{abs(hash((tuple(docs), tuple(steps))))}.sqlite"
    shutil.copyfile(blank, path)
    with Project.open(path, user="kim") as p:
        p.import_documents([IncomingDocument(t, f"s{i}") for i, t in enumerate(docs)])
        # statements imported without spans are not cut: each gets its starts with its first span, by any writer
        assert p.conn.execute("SELECT count(*) FROM sentence_starts").fetchone()[0] == 0
        ids = [r[0] for r in p.conn.execute("SELECT id FROM documents ORDER BY id")]
        text = {i: p.document(i).text for i in ids}
        undo: list = []
        for op, a, b, label in steps:
            if op != 4:  # a new write drops what could be redone, as the window's undo stack does: a span added
                undo = [u for u in undo if u[0] != "redo"]  # after an undo may take the undone span's id
            live = [s for i in ids for s in p.spans(i)]
            doc = ids[a % len(ids)]
            start, end = _bounds(text[doc], a, b)
            if op == 0 or not live:  # a label key
                p.add_span(doc, start, end, label)
            elif op == 1:  # boundaries dragged (same statement)
                span = live[a % len(live)]
                s2, e2 = _bounds(text[span.doc_id], a // 7, b // 3)
                undo.append(("state", p.update_span(span.id, start=s2, end=e2)[0]))
            elif op == 2:  # relabel
                span = live[b % len(live)]
                undo.append(("state", p.update_span(span.id, label=label)[0]))
            elif op == 3:  # delete
                undo.append(("restore", [p.delete_span(live[a % len(live)].id)]))
            elif op == 4 and undo:  # undo the last of the above
                kind, what = undo.pop()
                if kind == "state":
                    if p.conn.execute("SELECT 1 FROM spans WHERE id = ?", (what.id,)).fetchone():
                        p.restore_span_state(what)
                elif kind == "restore":
                    if not any(p.conn.execute("SELECT 1 FROM spans WHERE id = ?", (s.id,)).fetchone() for s in what):
                        p.restore_spans(what)
                elif kind == "hits":
                    hit_labels.undo(p, what)
                    undo.append(("redo", what))
                elif kind == "redo":
                    hit_labels.redo(p, what)
            elif op == 5:  # delete a label, its spans moved to another, or deleted
                key = LABELS[a % 3]
                other = LABELS[b % 3] if b % 2 else None
                if other != key and key in {s.label for s in live}:
                    before = p.delete_label(key, relabel_to=other)
                    _assert_counts(p)
                    p.restore_label(*before)  # its undo (the codebook keeps its three labels for what follows)
            elif op == 6:  # an import that brings spans onto a statement already here
                p.import_documents([IncomingDocument(text[doc], "again",
                                                     [IncomingSpan(start, end, label, "sato")])])
            elif op == 7:  # search hits labelled in one step
                hits = [Hit(doc, "", "", "", start, end, "", text[doc][start:end], "")]
                hits += [Hit(s.doc_id, "", "", "", s.start, s.end, "", text[s.doc_id][s.start:s.end], "")
                         for s in live[: b % 4]]
                undo.append(("hits", hit_labels.label_hits(p, hits, label)))
            elif op == 8:  # a colleague's span accepted in place of mine, and the accept undone
                mine = live[a % len(live)]
                theirs = rv.core.TheirSpan(start, end, label, "sato")
                with p._write("accept"):
                    copy = rv._add_copy(p, doc, theirs, rv.Colleague("sato", "sato.sqlite"), "sato@sato.sqlite")
                    rv._remove(p, mine)
                if b % 2:
                    with p._write("undo accept"):
                        rv._remove(p, copy)
                        rv._restore(p, mine)
            elif op == 9:  # a suggestion accepted
                ss.accept(p, Suggestion(doc, start, end, label, 0.9, "pattern:x"))
            elif op == 10 and live:  # a span moved to another place and label at once (undo of an edit)
                span = live[b % len(live)]
                s2, e2 = _bounds(text[span.doc_id], b, a)
                p.restore_span_state(dataclasses.replace(span, start=s2, end=e2, label=label))
            else:
                p.add_span(doc, start, end, label, annotator="lee")
            _assert_counts(p)


def _as_v4(path: Path) -> None:
    """Take a project back to schema v4 (what v5 adds, dropped): a v4 project holding these statements and spans."""
    conn = sqlite3.connect(path)
    with conn:
        for name, kind in conn.execute("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'trigger')"
                                       " AND (name LIKE 'pairs_span_%' OR name IN ('overlap_pairs', 'sentence_pairs',"
                                       " 'span_reach', 'sentence_starts', 'pairs_deferred')"
                                       " OR name LIKE 'report_span_%' OR name = 'span_revisions')").fetchall():  # v6
            conn.execute(f'DROP {kind.upper()} "{name}"')
        conn.execute("PRAGMA user_version = 4")
    conn.close()


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(docs=st.lists(texts, min_size=1, max_size=4, unique=True), steps=edits)
def test_the_migration_counts_an_older_project_as_the_triggers_would(tmp_path, docs, steps):
    path = tmp_path / f"old{abs(hash((tuple(docs), tuple(steps))))}.sqlite"
    incoming = []
    for i, text in enumerate(docs):
        spans = [IncomingSpan(*_bounds(text, a, b), label) for op, a, b, label in steps if op % len(docs) == i]
        incoming.append(IncomingDocument(text, f"s{i}", spans=spans))
    with Project.open(path, create=True, user="kim") as p:
        p.import_documents(incoming)
        expected = _kept(p)
    _as_v4(path)
    with Project.open(path, user="kim") as p:
        assert p.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert _kept(p) == expected
        _assert_counts(p)
        for doc_id, text in p.conn.execute("SELECT id, text FROM documents").fetchall():  # the segmentation's
            stored = [s for (s,) in p.conn.execute(
                "SELECT start FROM sentence_starts WHERE doc_id = ? ORDER BY start", (doc_id,))]
            spanned = p.conn.execute("SELECT 1 FROM spans WHERE doc_id = ?", (doc_id,)).fetchone()
            assert stored == (sentences.starts(text) if spanned else [])  # only statements with spans are cut


def test_the_frozen_v4_project_opens_counted(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copyfile(Path(__file__).parent / "frozen" / "v4.sqlite", path)
    with Project.open(path, user="kim") as p:
        _assert_counts(p)


def test_a_span_is_in_the_sentence_where_it_starts(tmp_path):
    text = "Mr. Kim came. The U.S. agreed!\n\nThen we left. “Quoted.” Done"
    starts = sentences.starts(text)
    assert [text[s:s + 4] for s in starts] == [" The", "Then", " “Qu", " Don"]  # the blank before starts it
    assert sentences.sentence_of(starts, 0) == sentences.sentence_of(starts, 4) == 0  # "Mr." ends nothing
    assert sentences.sentence_of(starts, text.index("\n")) == starts[0]  # the blank belongs to the one before
    with Project.open(tmp_path / "s.sqlite", create=True, user="kim") as p:
        p.import_documents([IncomingDocument(text, "s", spans=[
            IncomingSpan(0, 3, "threat"), IncomingSpan(8, 12, "commitment"),  # Mr. / came: one sentence
            IncomingSpan(14, 17, "threat"), IncomingSpan(18, 22, "threat"),  # The / U.S.: one sentence
            IncomingSpan(32, 36, "commitment")])])  # Then: alone
        table = co.cooccurrence(p.conn, "sentence")
        at = {k: i for i, k in enumerate(table.labels)}
        assert table.cells[at["threat"]][at["commitment"]] == 1
        assert table.cells[at["threat"]][at["threat"]] == 1
        assert table.total() == 2
        assert co.statements(p.conn, "commitment", "threat", "sentence")[0]["pairs"] == 1


def test_annotator_check_finds_counts_that_went_wrong(tmp_path):
    from annotator.store.check import check_project

    path = tmp_path / "p.sqlite"
    text = "We will act. They threaten us; we urge calm.\nA second line here."
    with Project.open(path, create=True, user="ana", populate=[IncomingDocument(text, "t")]) as project:
        doc = project.documents()[0].id
        a, b = [lb.key for lb in project.labels()][:2]
        project.add_span(doc, 0, 11, a)
        project.add_span(doc, 3, 7, b)
        project.add_span(doc, 13, 28, b)
    assert check_project(path)[0] == []
    with sqlite3.connect(path) as raw:  # a count changed outside Annotator
        raw.execute("UPDATE overlap_pairs SET pairs = pairs + 1")
    problems = check_project(path)[0]
    assert any("differ from a recount for 1 statement(s) by overlap" in p for p in problems), problems
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE overlap_pairs SET pairs = pairs - 1")
        raw.execute("INSERT INTO pairs_deferred (doc_id) VALUES (?)", (doc,))
    assert any("left waiting for their pair counts" in p for p in check_project(path)[0])


def test_only_statements_with_spans_are_cut_and_check_finds_one_left_uncut(tmp_path):
    from annotator.store.check import check_project

    path = tmp_path / "p.sqlite"
    two = "We will act. They threaten us.\nA second line here."
    with Project.open(path, create=True, user="ana") as p:
        p.import_documents([IncomingDocument(two, "plain"), IncomingDocument("One sentence only", "one"),
                            IncomingDocument(two + " More.", "with", spans=[IncomingSpan(0, 2, "threat")])])
        ids = {d.title: d.id for d in p.documents()}
        cut = {d for (d,) in p.conn.execute("SELECT DISTINCT doc_id FROM sentence_starts")}
        assert cut == {ids["with"]}  # the import cut only the statement that came with spans
        p.add_span(ids["plain"], 13, 17, "commitment")  # its first span, after the import
        p.add_span(ids["one"], 0, 3, "threat")
        stored = [s for (s,) in p.conn.execute("SELECT start FROM sentence_starts WHERE doc_id = ? ORDER BY start",
                                               (ids["plain"],))]
        assert stored == sentences.starts(two) != []
        _assert_counts(p)
    assert check_project(path)[0] == []  # the one-sentence statement stores no start, and needs none
    with sqlite3.connect(path) as raw:  # starts lost, as a writer that skipped sentences.ensure would leave them
        raw.execute("DELETE FROM sentence_starts WHERE doc_id = ?", (ids["plain"],))
    problems = check_project(path)[0]
    assert any("1 statement(s) hold spans but not where their sentences start" in p for p in problems), problems
