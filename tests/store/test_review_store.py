"""Review against colleague files: loading read-only, alignment, adjudication with undo/redo, persistence, gold."""

import csv
import hashlib
import io
import json
import os
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core import review as core
from annotator.core.model import IncomingDocument, Label
from annotator.core.text import sha256_text
from annotator.errors import AnnotatorError
from annotator.formats import jsonl
from annotator.store import Project, gold, schema
from annotator.store import review as rv
from tests.helpers import content

ONE = "The DPRK threatens peace. We commit to act. They must stop."
TWO = "Second statement about 😀 allies."
THREE = "Only mine."
FROZEN = Path(__file__).parent / "frozen"


def at(text, phrase):
    start = text.index(phrase)
    return start, start + len(phrase)


@pytest.fixture
def mine(tmp_path):
    docs = [IncomingDocument(ONE, "one"), IncomingDocument(TWO, "two"), IncomingDocument(THREE, "three")]
    with Project.open(tmp_path / "mine.sqlite", create=True, user="me", populate=docs) as p:
        p.add_span(1, *at(ONE, "The DPRK"), "threat")  # agreed
        p.add_span(1, *at(ONE, "We commit to act."), "commitment", note="mine")  # boundary conflict
        p.add_span(1, *at(ONE, "They must stop."), "call_to_action")  # mine only
        yield p


@pytest.fixture
def bob_path(tmp_path):
    """Bob's project: the same two statements, a changed third one, a label my codebook lacks."""
    folder = tmp_path / "from_bob"
    folder.mkdir()
    path = folder / "bob.sqlite"
    docs = [IncomingDocument(ONE, "one"), IncomingDocument(TWO, "two"), IncomingDocument("Only mine!", "three")]
    with Project.open(path, create=True, user="bob", populate=docs) as p:
        p.set_codebook([*p.labels(), Label("sanction", "Sanction", "4", "#123456", "a penalty")])
        p.add_span(1, *at(ONE, "The DPRK"), "threat")
        p.add_span(1, *at(ONE, "commit to act."), "commitment", note="bob's")
        p.add_span(1, *at(ONE, "threatens"), "sanction", note="why")
        p.add_span(2, *at(TWO, "allies"), "threat")
    return path


@pytest.fixture
def bob(bob_path):
    return rv.ColleagueFile.load(bob_path)


def state(project):
    """What adjudication may change: spans, codebook, decisions (a touched document stays in progress, as with
    any span edit and its undo)."""
    return ([s for d in project.documents() for s in project.spans(d.id)], project.labels(), rv.decisions(project))


def kinds(project, cfile, doc_id=1):
    r = rv.review_document(project, doc_id, cfile, cfile.colleagues[0])
    return [(i.kind, core.triple(i.mine), core.triple(i.theirs)) for i in r.items]


def test_loading_a_colleague_project_leaves_it_byte_identical_and_nothing_beside_it(bob_path):
    digest = hashlib.sha256(bob_path.read_bytes()).hexdigest()
    listing = sorted(os.listdir(bob_path.parent))
    cfile = rv.ColleagueFile.load(bob_path)
    assert len(cfile.documents) == 3
    assert sorted(os.listdir(bob_path.parent)) == listing
    assert not Path(f"{bob_path}-wal").exists() and not Path(f"{bob_path}-shm").exists()
    assert hashlib.sha256(bob_path.read_bytes()).hexdigest() == digest


def test_colleague_names_and_origins(bob, tmp_path):
    assert [(c.name, c.file, c.origin) for c in bob.colleagues] == [("bob", "bob.sqlite", "bob@bob.sqlite")]
    assert any(lb.key == "sanction" for lb in bob.colleagues[0].codebook)
    # an export whose spans carry no annotator: the colleague is named after the file
    path = tmp_path / "carol.jsonl"
    path.write_text(json.dumps({"text": ONE, "spans": [{"start": 0, "end": 8, "label": "threat"}]}) + "\n")
    carol = rv.ColleagueFile.load(path)
    assert [c.origin for c in carol.colleagues] == ["carol@carol.jsonl"]
    # several annotators in one file (a Prodigy db-out): one colleague each, spans split between them
    path = tmp_path / "team.jsonl"
    path.write_text(
        json.dumps({"text": ONE, "spans": [{"start": 0, "end": 8, "label": "threat"}], "_annotator_id": "x"}) + "\n"
        + json.dumps({"text": ONE, "spans": [{"start": 4, "end": 8, "label": "threat"}], "_annotator_id": "y"}) + "\n"
    )
    team = rv.ColleagueFile.load(path)
    x, y = team.colleagues
    sha = next(iter(team.documents))
    assert (x.name, y.name) == ("x", "y")
    assert [s.start for s in team.spans(sha, x)] == [0] and [s.start for s in team.spans(sha, y)] == [4]
    assert len(team.spans(sha)) == 2 and team.spans("nope") == []
    with pytest.raises(AnnotatorError, match="no such file"):
        rv.ColleagueFile.load(tmp_path / "missing.jsonl")


def test_alignment_by_sha256_only(mine, bob):
    a = bob.align(mine)
    assert a.pairs == [(1, mine.document(1).sha256), (2, mine.document(2).sha256)]
    assert [d.title for d in a.only_theirs] == ["three"]
    assert a.only_mine == [3]
    # their texts are not kept (a colleague's document is aligned by the SHA-256 of its text)
    assert [(doc_id, d.sha256) for doc_id, d in a.text_differs] == [(3, sha256_text("Only mine!"))]


def test_classification_in_the_project(mine, bob):
    assert kinds(mine, bob) == [
        ("agreed", (0, 8, "threat"), (0, 8, "threat")),
        ("theirs_only", None, (*at(ONE, "threatens"), "sanction")),
        ("conflict", (*at(ONE, "We commit to act."), "commitment"), (*at(ONE, "commit to act."), "commitment")),
        ("mine_only", (*at(ONE, "They must stop."), "call_to_action"), None),
    ]


def test_accept_theirs_only_copies_with_provenance_and_their_label_then_undo_redo(mine, bob):
    before = state(mine)
    r = rv.review_document(mine, 1, bob, bob.colleagues[0])
    item = next(i for i in r.items if i.kind == core.THEIRS_ONLY)
    done = rv.accept(mine, 1, item, bob.colleagues[0])
    [copy] = done.added
    assert (copy.label, copy.annotator, copy.origin, copy.note) == ("sanction", "bob", "bob@bob.sqlite", "why")
    assert mine.span(copy.id) == copy
    [label] = done.new_labels
    assert (label.key, label.name, label.color, label.description) == ("sanction", "Sanction", "#123456", "a penalty")
    assert label.shortcut == "4" and mine.labels()[-1] == label
    assert [d.decision for d in done.decided] == ["accept"]
    assert ("agreed", (*at(ONE, "threatens"), "sanction"), (*at(ONE, "threatens"), "sanction")) in kinds(mine, bob)
    actions = [h["action"] for h in mine.history(5)]
    assert {"add_span", "review_accept", "review_add_label"} <= set(actions)
    assert all(h["actor"] == "me" for h in mine.history(5))

    rv.undo(mine, done)
    assert [s for s in mine.spans(1) if s.label == "sanction"] == []
    assert "sanction" not in {lb.key for lb in mine.labels()}
    assert rv.decisions(mine) == []
    rv.redo(mine, done)
    assert mine.span(copy.id) == copy and mine.labels()[-1] == label
    assert rv.decisions(mine) == list(done.decided)
    rv.undo(mine, done)
    assert state(mine) == before


def test_accept_a_conflict_replaces_my_span_and_undo_restores_it(mine, bob):
    item = next(i for i in rv.review_document(mine, 1, bob, bob.colleagues[0]).items if i.kind == core.CONFLICT)
    original = item.mine
    done = rv.accept(mine, 1, item, bob.colleagues[0])
    assert done.removed == (original,) and done.new_labels == ()
    [copy] = done.added
    assert ONE[copy.start : copy.end] == "commit to act." and copy.note == "bob: bob's\n\nme: mine"  # both, marked
    assert original.id not in {s.id for s in mine.spans(1)}
    rv.undo(mine, done)
    assert mine.span(original.id) == original and copy.id not in {s.id for s in mine.spans(1)}


def test_accept_on_mine_only_removes_my_span(mine, bob):
    item = next(i for i in rv.review_document(mine, 1, bob, bob.colleagues[0]).items if i.kind == core.MINE_ONLY)
    done = rv.accept(mine, 1, item, bob.colleagues[0])
    assert done.added == () and done.removed == (item.mine,)
    assert all(k[0] != "mine_only" for k in kinds(mine, bob))
    rv.undo(mine, done)
    assert mine.span(item.mine.id) == item.mine


def test_reject_persists_across_reopen_and_undo(mine, bob):
    colleague = bob.colleagues[0]
    r = rv.review_document(mine, 1, bob, colleague)
    assert len(r.open_items) == 3
    item = next(i for i in r.items if i.kind == core.CONFLICT)
    spans_before = mine.spans(1)
    done = rv.reject(mine, 1, item, colleague)
    assert mine.spans(1) == spans_before and done.added == done.removed == ()
    path = mine.path
    mine.close()
    with Project.open(path, user="me") as again:
        r = rv.review_document(again, 1, bob, colleague)
        assert r.rejected == {item.key} and item.key not in {i.key for i in r.open_items}
        [d] = rv.decisions(again, 1)
        assert (d.decision, d.origin, d.item_key, d.actor) == ("reject", "bob@bob.sqlite", item.key, "me")
        # changing my mind: accept replaces the rejection, and its undo brings the rejection back
        changed = rv.accept(again, 1, item, colleague)
        assert changed.replaced == (d,)
        rv.undo(again, changed)
        assert rv.decisions(again, 1) == [d]
        rv.undo(again, done)
        assert rv.decisions(again) == []
        rv.redo(again, done)
        assert rv.decisions(again) == list(done.decided)
        assert [h["action"] for h in again.history(3)] == ["review_redo", "review_undo", "review_undo"]


def test_keep_mine_is_reject(mine, bob):
    item = next(i for i in rv.review_document(mine, 1, bob, bob.colleagues[0]).items if i.kind == core.MINE_ONLY)
    assert rv.keep_mine(mine, 1, item, bob.colleagues[0]).decided[0].decision == "reject"


def test_stale_or_agreed_items_are_refused_and_nothing_changes(mine, bob):
    items = rv.review_document(mine, 1, bob, bob.colleagues[0]).items
    agreed = next(i for i in items if i.kind == core.AGREED)
    conflict = next(i for i in items if i.kind == core.CONFLICT)
    with pytest.raises(AnnotatorError, match="agree"):
        rv.accept(mine, 1, agreed, bob.colleagues[0])
    with pytest.raises(AnnotatorError, match="agree"):
        rv.reject(mine, 1, agreed, bob.colleagues[0])
    mine.update_span(conflict.mine.id, note="edited elsewhere", start=conflict.mine.start + 1)
    before = content(mine.path)
    with pytest.raises(AnnotatorError, match="changed"):
        rv.accept(mine, 1, conflict, bob.colleagues[0])
    with pytest.raises(AnnotatorError, match="changed"):
        rv.reject(mine, 1, conflict, bob.colleagues[0])
    assert content(mine.path) == before


def export(project, path):
    with open(path, "wb") as out:
        jsonl.write(project.iter_documents(), out)


def test_accept_all_agreed_takes_the_consensus_of_colleagues(mine, bob, bob_path, tmp_path, monkeypatch):
    # a single colleague: what we agree on is already mine, there is no consensus to take
    assert rv.accept_all_agreed(mine, [bob]).empty
    # carol agrees with bob on "threatens" (which I lack) and on "allies" in document two
    carol_project = tmp_path / "carol.sqlite"
    shutil.copyfile(bob_path, carol_project)
    with Project.open(carol_project, user="carol") as p:
        for s in [s for d in p.documents() for s in p.spans(d.id)]:
            if s.label == "commitment":
                p.delete_span(s.id)
        p.conn.execute("UPDATE spans SET annotator = 'carol'")
        export(p, tmp_path / "carol.jsonl")
    carol = rv.ColleagueFile.load(tmp_path / "carol.jsonl")
    before = state(mine)
    done = rv.accept_all_agreed(mine, [bob, carol])
    assert [(s.doc_id, s.label, s.annotator, s.origin) for s in done.added] == [
        (1, "sanction", "bob", "bob@bob.sqlite; carol@carol.jsonl"),
        (2, "threat", "bob", "bob@bob.sqlite; carol@carol.jsonl"),
    ]
    assert [d.origin for d in done.decided] == ["bob@bob.sqlite", "carol@carol.jsonl"] * 2
    # my conflicting and mine-only spans are left to me
    assert mine.span(2).note == "mine" and len(mine.spans(1)) == 4
    assert rv.accept_all_agreed(mine, [bob, carol]).empty
    assert done.doc_ids == {1, 2}  # the statements it changed, gathered with it (the window's review uses them)
    rv.undo(mine, done)
    assert state(mine) == before
    # in the window's job thread (paced, annotator/pacing.py) it hands the GIL over between statements, and does the
    # same; the command line is not paced, never slowed
    import sys

    from annotator import pacing

    between: list[str] = []
    real_pace = pacing.pace

    def pace() -> None:
        between.append(sys._getframe(1).f_code.co_name)
        real_pace()

    monkeypatch.setattr(pacing, "pace", pace)
    with pacing.paced(every=0.0, pause=0.0001):
        paced = rv.accept_all_agreed(mine, [bob, carol])
    assert between.count("accept_all_agreed") == len(mine.documents())  # one pause before each statement
    assert [(s.doc_id, s.label, s.origin) for s in paced.added] == [(s.doc_id, s.label, s.origin) for s in done.added]
    rv.undo(mine, paced)
    assert state(mine) == before
    # a rejected item is not taken back by the bulk action; limiting to documents works
    item = next(i for i in rv.review_document(mine, 2, bob, bob.colleagues[0]).items)
    rv.reject(mine, 2, item, bob.colleagues[0])
    assert [s.doc_id for s in rv.accept_all_agreed(mine, [bob, carol]).added] == [1]
    assert rv.accept_all_agreed(mine, [bob, carol], doc_ids=[2]).empty


def test_accept_all_agreed_takes_what_two_colleagues_agree_on_whatever_a_third_lacks(mine, bob, bob_path, tmp_path):
    """Two colleagues or more agreeing is enough: a third who lacks the span does not veto it (with five colleagues'
    files open, the two who agreed were never taken: a newcomer's finding), and the copy names those two."""
    def copy_of(name: str, keep) -> rv.ColleagueFile:  # type: ignore[no-untyped-def]
        path = tmp_path / f"{name}.sqlite"
        shutil.copyfile(bob_path, path)
        with Project.open(path, user=name) as p:
            for s in [s for d in p.documents() for s in p.spans(d.id)]:
                if not keep(s):
                    p.delete_span(s.id)
            p.conn.execute("UPDATE spans SET annotator = ?", (name,))
        return rv.ColleagueFile.load(path)

    carol = copy_of("carol", lambda s: s.label != "commitment")
    dave = copy_of("dave", lambda s: False)  # holds the statements, none of these spans
    done = rv.accept_all_agreed(mine, [bob, dave, carol])
    assert [(s.doc_id, s.label, s.origin) for s in done.added] == [
        (1, "sanction", "bob@bob.sqlite; carol@carol.sqlite"),
        (2, "threat", "bob@bob.sqlite; carol@carol.sqlite"),
    ]
    assert "dave@dave.sqlite" not in {d.origin for d in done.decided}


def test_gold_export(mine, bob, tmp_path):
    target = tmp_path / "gold.jsonl"
    assert gold.write_gold(mine, target, [bob]) == 3
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    meta = [(r["meta"]["title"], r["meta"]["adjudicated"], r["meta"]["open_disagreements"]) for r in lines]
    assert meta == [("one", False, 3), ("two", False, 1), ("three", False, 0)]
    assert lines[0]["meta"]["reviewed_against"] == ["bob@bob.sqlite"] and lines[2]["meta"]["reviewed_against"] == []
    colleague = bob.colleagues[0]
    for doc_id in (1, 2):
        for item in rv.review_document(mine, doc_id, bob, colleague).open_items:
            (rv.reject if item.kind == core.MINE_ONLY else rv.accept)(mine, doc_id, item, colleague)
    assert gold.write_gold(mine, target, [bob]) == 3
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [(r["meta"]["adjudicated"], r["meta"]["open_disagreements"]) for r in lines] == [
        (True, 0), (True, 0), (False, 0)]
    for rec in lines:
        assert set(rec) == {"text", "spans", "meta"}
        for s in rec["spans"]:
            assert rec["text"][s["start"] : s["end"]] == s["text"]
            assert set(s) == {"start", "end", "label", "text", "annotator", "note", "id", "origin", "edited"}
    one = {(s["text"], s["origin"], s["annotator"]) for s in lines[0]["spans"]}
    assert one == {("The DPRK", "", "me"), ("threatens", "bob@bob.sqlite", "bob"),
                   ("commit to act.", "bob@bob.sqlite", "bob"), ("They must stop.", "", "me")}
    assert [s["text"] for s in lines[1]["spans"]] == ["allies"]
    assert lines[1]["meta"]["sha256"] == mine.document(2).sha256
    # exported again in a later session against no file (or others): bob, adjudicated against before, still named
    assert gold.write_gold(mine, target, []) == 3
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["meta"]["reviewed_against"] for r in lines] == [["bob@bob.sqlite"], ["bob@bob.sqlite"], []]
    assert [r["meta"]["adjudicated"] for r in lines] == [False, False, False]  # compared with no file open now


def test_gold_export_is_atomic(mine, bob, tmp_path, monkeypatch):
    target = tmp_path / "gold.jsonl"
    target.write_bytes(b"old\n")

    def broken(project, files, step=None):
        yield {"text": "x"}
        raise RuntimeError("disk gone")

    monkeypatch.setattr(gold, "gold_records", broken)
    with pytest.raises(RuntimeError):
        gold.write_gold(mine, target, [bob])
    assert target.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".gold")) == []


def test_report_from_the_project(mine, bob):
    report = rv.review_report(mine, bob, bob.colleagues[0])
    assert (report.mine, report.theirs) == ("me@mine.sqlite", "bob@bob.sqlite")
    assert (report.only_mine, report.only_theirs) == (["three"], ["three"])
    assert [row["title"] for row in report.documents] == ["one", "two"]
    assert [row["key"] for row in report.labels] == ["threat", "commitment", "call_to_action", "sanction"]
    assert report.overall["mine"] == 3 and report.overall["theirs"] == 4
    rows = list(csv.DictReader(io.StringIO(core.report_to_csv(report).decode(), newline="")))
    assert rows[1]["title"] == "Threat" and rows[1]["exact_f1"] == str(2 * 1 / (1 + 2))
    data = json.loads(core.report_to_json(report))
    assert data["documents"][1]["theirs"] == 1 and data["documents"][1]["mine"] == 0


def test_decisions_table_arrives_by_migration_from_the_frozen_v1(tmp_path):
    path = tmp_path / "v1.sqlite"
    shutil.copyfile(FROZEN / "v1.sqlite", path)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 1
    with Project.open(path) as p:
        assert rv.decisions(p) == []
        doc = p.documents()[0]
        item = core.classify([], [core.TheirSpan(0, 1, "threat")])[0]
        rv.reject(p, doc.id, item, rv.Colleague("bob", "bob.jsonl"))
        assert len(rv.decisions(p, doc.id)) == 1
    assert schema.SCHEMA_VERSION >= 2
    # a colleague's v1 file is read (its private copy migrated), the file itself untouched
    shutil.copyfile(FROZEN / "v1.sqlite", path)
    assert len(rv.ColleagueFile.load(path).documents) == 2
    assert path.read_bytes() == (FROZEN / "v1.sqlite").read_bytes()


_SPANS = st.lists(st.tuples(st.integers(0, 20), st.integers(1, 6), st.sampled_from(["a", "b"])), max_size=8)


@settings(max_examples=300, deadline=None)
@given(_SPANS, st.lists(_SPANS, min_size=2, max_size=3))
def test_a_statement_accept_all_passes_over_has_nothing_two_colleagues_offer(mine_spans, holders_spans):
    """Accept All Agreed classifies only statements where some (start, end, label) is held by two colleagues or
    more, each more often than by me (``_offered``). Where it is not, classifying finds no triple that two
    colleagues hold as theirs only: passing it over changes nothing."""
    from annotator.core.model import Span

    mine = [Span(i, 1, s, s + n, lb, "me", "", "", "", "") for i, (s, n, lb) in enumerate(mine_spans)]
    holders = [[core.TheirSpan(s, s + n, lb) for s, n, lb in theirs] for theirs in holders_spans]
    if rv._offered(mine, holders):
        return
    offered = Counter(t for theirs in holders for t in {core.triple(i.theirs) for i in core.classify(mine, theirs)
                                                            if i.kind == core.THEIRS_ONLY})
    assert all(n < 2 for n in offered.values())


def test_accept_all_agreed_over_batches_of_colleague_projects(tmp_path):
    """Across several of ``rows_of``'s batches, from two colleagues' projects (read in place, each text hashed
    again): a span both hold is accepted where I lack it and they both hold the statement; their notes come with
    it; the progress is told per batch; undo takes it all back."""
    n = 3 * rv.PROGRESS_EVERY + 5
    docs = [IncomingDocument(f"Statement {i}: we condemn the launch 😀.\r\nTalks now.", f"s{i}") for i in range(n)]

    def colleague(name: str, lacking: int) -> Path:
        path = tmp_path / f"{name}.sqlite"
        with Project.open(path, create=True, user=name,
                          populate=[d for i, d in enumerate(docs) if i % lacking]) as p:
            for d in p.documents():
                start = p.document(d.id).text.index("condemn")
                p.add_span(d.id, start, start + 7, "threat", f"{name}'s note")
        return path

    with Project.open(tmp_path / "me.sqlite", create=True, user="me", populate=docs) as me:
        ids = [d.id for d in me.documents()]
        for i, doc_id in enumerate(ids):
            if i % 3 == 0:
                start = me.document(doc_id).text.index("condemn")
                me.add_span(doc_id, start, start + 7, "threat")
        files = [rv.ColleagueFile.load(colleague("bob", 7)), rv.ColleagueFile.load(colleague("carol", 5))]
        told: list[tuple[int, int]] = []
        done = rv.accept_all_agreed(me, files, progress=lambda a, b: told.append((a, b)))
        want = [doc_id for i, doc_id in enumerate(ids) if i % 3 and i % 7 and i % 5]
        assert sorted(s.doc_id for s in done.added) == want
        assert {(s.label, s.note, s.annotator) for s in done.added} == {("threat", "bob's note", "bob")}
        assert told == [(k, n) for k in range(0, n, rv.PROGRESS_EVERY)]
        assert len(done.decided) == 2 * len(want)
        rv.undo(me, done)
        assert sum(len(me.spans(d)) for d in ids) == len(range(0, n, 3))
        for f in files:
            f.close()


def test_accept_all_agreed_refuses_a_colleague_project_whose_note_is_not_text_and_changes_nothing(tmp_path):
    """A hostile colleague project (a span's note stored as a blob, as a tool that is not ours could leave it) is
    refused as damaged: at its open when it is small enough to be checked whole, else by the batch read Accept All
    Agreed uses with notes (``rows_of``, the check made large here); my project is left as it was either way."""
    docs = [IncomingDocument(f"Statement {i}: we condemn the launch.", f"s{i}") for i in range(3)]
    paths = []
    for name in ("bob", "carol"):
        path = tmp_path / f"{name}.sqlite"
        with Project.open(path, create=True, user=name, populate=docs) as p:
            for d in p.documents():
                start = p.document(d.id).text.index("condemn")
                p.add_span(d.id, start, start + 7, "threat")
        paths.append(path)
    raw = sqlite3.connect(paths[1])
    raw.execute("UPDATE spans SET note = X'00ff' WHERE id = (SELECT min(id) FROM spans)")
    raw.commit()
    raw.close()
    with Project.open(tmp_path / "me.sqlite", create=True, user="me", populate=docs) as me:
        before = me.conn.execute("SELECT count(*) FROM spans").fetchone()[0]
        with pytest.raises(AnnotatorError, match="damaged"):
            rv.ColleagueFile.load(paths[1])
        from annotator.store import connection

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(connection, "FULL_CHECK_BYTES", 0)  # as for a large file: checked in the background
            files = [rv.ColleagueFile.load(p) for p in paths]
            with pytest.raises(AnnotatorError, match="damaged"):
                rv.accept_all_agreed(me, files)
        assert me.conn.execute("SELECT count(*) FROM spans").fetchone()[0] == before
        for f in files:
            f.close()


def test_gold_records_read_in_batches_are_those_read_statement_by_statement(tmp_path):
    """The gold export reads its colleagues ``rows_of`` a batch at a time: over several batches, with a colleague
    project lacking some statements, a JSONL file of two annotators, rejections and accepted copies, each record is
    the one the per-statement reading (``spans`` of each colleague, as before) makes."""
    n = 2 * rv.PROGRESS_EVERY + 9
    texts = [f"Statement {i}: we condemn the launch 😀 and\r\nurge talks now." for i in range(n)]
    docs = [IncomingDocument(t, f"s{i}") for i, t in enumerate(texts)]

    def span_of(p, doc_id, phrase, label):
        start = p.document(doc_id).text.index(phrase)
        return p.add_span(doc_id, start, start + len(phrase), label)

    bob = tmp_path / "bob.sqlite"
    with Project.open(bob, create=True, user="bob", populate=[d for i, d in enumerate(docs) if i % 6]) as p:
        for d in p.documents():
            if d.id % 7:  # every 7th: nobody labels anything in it (not adjudicated: "To do" in mine)
                span_of(p, d.id, "condemn", "threat")
            if d.id % 4 == 0 and d.id % 7:
                span_of(p, d.id, "urge talks", "call_to_action")
    with Project.open(tmp_path / "team.sqlite", create=True, user="carol", populate=docs) as p:
        for d in [d for d in p.documents() if d.id % 7]:
            span_of(p, d.id, "condemn the launch" if d.id % 3 else "condemn", "threat")
        team = tmp_path / "team.jsonl"
        with open(team, "w", encoding="utf-8") as out:
            for doc in p.documents():
                text = p.document(doc.id).text
                spans = [{"start": s.start, "end": s.end, "label": s.label, "annotator": "carol"}
                         for s in p.spans(doc.id)]
                if doc.id % 5 and doc.id % 7:
                    start = text.index("talks")
                    spans.append({"start": start, "end": start + 5, "label": "commitment", "annotator": "dan"})
                out.write(json.dumps({"text": text, "spans": spans, "meta": {"title": doc.title}}) + "\n")
    with Project.open(tmp_path / "me.sqlite", create=True, user="me", populate=docs) as me:
        for d in me.documents():
            if d.id % 2 and d.id % 7:
                span_of(me, d.id, "condemn", "threat")
        files = [rv.ColleagueFile.load(bob), rv.ColleagueFile.load(team)]
        assert len(files[1].colleagues) == 2
        rv.accept_all_agreed(me, files)
        for d in me.documents():
            if d.id % 7 == 0 and d.id % 14:  # read, nothing to label: marked done (the others left "To do")
                me.set_status(d.id, "done")
        for doc_id in (2, 8, 14, 15):
            review = rv.review_document(me, doc_id, files[1], files[1].colleagues[1])
            for item in review.open_items[:1]:
                rv.reject(me, doc_id, item, files[1].colleagues[1])

        def reference():
            for doc, spans in me.iter_documents(None):
                rec = jsonl.record(doc, spans)
                origins = {s.id: s.origin for s in spans}
                for entry in rec["spans"]:
                    entry["origin"] = origins[entry["id"]]
                    entry["edited"] = False  # no accepted copy here was changed since
                made = rv.decisions(me, doc.id)
                rejected = {(d.origin, d.item_key) for d in made if d.decision == rv.REJECT}
                against, open_count = [], 0
                for f in files:
                    if doc.sha256 not in f.documents:
                        continue
                    for c in f.colleagues:
                        against.append(c.origin)
                        items = core.classify(spans, f.spans(doc.sha256, c))
                        open_count += sum(1 for i in items if i.is_disagreement and (c.origin, i.key) not in rejected)
                settled = bool(against) and open_count == 0 and (doc.status != "todo" or bool(made))
                rec["meta"].update({"adjudicated": settled, "reviewed_against": against,
                                    "open_disagreements": open_count})
                yield rec

        got = list(gold.gold_records(me, files))
        assert got == list(reference())
        assert len(got) == n and any(r["meta"]["open_disagreements"] for r in got)
        assert any(r["meta"]["adjudicated"] for r in got) and any(len(r["meta"]["reviewed_against"]) == 3 for r in got)
        meta = [r["meta"] for r in got]  # and a statement nobody started, not settled though nothing is open
        assert any(not m["adjudicated"] and not m["open_disagreements"] and m["reviewed_against"] for m in meta)
        for f in files:
            f.close()


def test_gold_export_does_not_settle_a_statement_nobody_started(tmp_path):
    """A statement neither I nor the colleague labelled, still "To do" in my project, differs in nothing, but is
    no checked example without spans: not ``adjudicated`` until I mark it (a newcomer's finding)."""
    docs = [IncomingDocument(ONE, "one"), IncomingDocument(TWO, "two")]
    with Project.open(tmp_path / "theirs.sqlite", create=True, user="bob", populate=docs) as theirs:
        theirs.add_span(1, *at(ONE, "The DPRK"), "threat")
    with Project.open(tmp_path / "mine.sqlite", create=True, user="me", populate=docs) as mine:
        mine.add_span(1, *at(ONE, "The DPRK"), "threat")
        bob = rv.ColleagueFile.load(tmp_path / "theirs.sqlite")
        target = tmp_path / "gold.jsonl"

        def settled():
            gold.write_gold(mine, target, [bob])
            return [(json.loads(line)["meta"]["title"], json.loads(line)["meta"]["adjudicated"])
                    for line in target.read_text(encoding="utf-8").splitlines()]

        assert settled() == [("one", True), ("two", False)]
        mine.set_status(2, "done")  # read, and nothing in it to label
        assert settled() == [("one", True), ("two", True)]
        mine.set_status(2, "todo")
        bob.close()
    # a decision of the review settles it too: bob's only span rejected on a statement I had not started
    with Project.open(tmp_path / "theirs.sqlite", user="bob") as theirs:
        theirs.add_span(2, *at(TWO, "allies"), "threat")
    with Project.open(tmp_path / "mine.sqlite", user="me") as mine:
        bob = rv.ColleagueFile.load(tmp_path / "theirs.sqlite")
        assert settled() == [("one", True), ("two", False)]
        item = rv.review_document(mine, 2, bob, bob.colleagues[0]).open_items[0]
        rv.reject(mine, 2, item, bob.colleagues[0])
        assert mine.status_of(2) == "todo" and settled() == [("one", True), ("two", True)]
        bob.close()
