"""Issue #14: what the background comparison keeps (``store/review_index.py``) and how J / K read it, and a
colleague's project read one statement at a time (``store/colleague.py``)."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator import pacing
from annotator.core.model import IncomingDocument, Label
from annotator.errors import AnnotatorError
from annotator.store import Project
from annotator.store import review as rv
from annotator.store.review_index import Batch, ReviewIndex, walk


def index(done=(True, True)):
    """My statements 1..8, the walk started at 5: aligned 2, 4, 5, 6, 8; open (one colleague) at 2, 5 and 8."""
    ix = ReviewIndex(5, 8, 1)
    ix.add(Batch(forward=[(5, 1), (6, 0), (8, 1)], backward=[(4, 0), (2, 1)], reached=(8, 1), done=done,
                 examined=8, aligned=5))
    return ix


def never(_doc_id):
    raise AssertionError("nothing is stale")


def test_steps_forward_backward_and_round_the_end():
    ix = index()
    assert ix.step(5, True, 0, never) == ("found", 8, False)
    assert ix.step(8, True, 0, never) == ("found", 2, True)
    assert ix.step(5, False, 0, never) == ("found", 2, False)
    assert ix.step(2, False, 0, never) == ("found", 8, True)
    assert ix.step(6, False, 0, never) == ("found", 5, False)
    assert ix.open_count(0) == 3


def test_where_the_walk_has_not_been_yet_j_waits():
    ix = ReviewIndex(5, 8, 1)
    ix.add(Batch(forward=[(5, 1), (6, 0)], backward=[(4, 0)], reached=(6, 4), done=(False, False), examined=3))
    assert ix.step(5, True, 0, never) == ("wait", None, False)  # 7 and 8 not compared yet
    assert ix.step(5, False, 0, never) == ("wait", None, False)  # 1..3 not compared yet
    assert ix.step(2, True, 0, never) == ("wait", None, False)  # the statement shown itself is unknown
    ix.add(Batch(forward=[(8, 1)], reached=(8, 4), done=(True, False), examined=2))
    assert ix.step(5, True, 0, never) == ("found", 8, False)
    assert ix.step(8, True, 0, never) == ("wait", None, False)  # round the end: the start is not known yet


def test_what_the_window_saw_since_wins():
    ix = index()
    ix.settle(8, 0, False)  # settled in the window after the walk saw it open
    assert ix.step(5, True, 0, never) == ("found", 2, True)
    assert ix.open_count(0) == 2
    looked = []

    def exact(doc_id):
        looked.append(doc_id)
        return False

    ix.stale(2)  # changed by a bulk adjudication: looked at again when J gets there
    assert ix.step(5, True, 0, exact) == ("none", None, False)
    assert looked == [2]
    ix.settle(6, 0, True)
    assert ix.step(5, True, 0, exact) == ("found", 6, False)


def test_a_bulk_adjudications_statements_are_looked_at_again_and_its_set_is_kept_not_copied():
    """Accept All Agreed hands each colleague file's index the one frozenset of statements it changed: kept as it is
    (copied into sets, twice per file, it held the window 20-40 ms at 100 000 statements), and each of them is
    compared again when J reaches it, as a statement the window edited is."""
    ix = index()
    assert ix.step(5, True, 0, never) == ("found", 8, False)
    touched = frozenset({8, 2})
    ix.stale_all(touched)
    ix.stale_all(frozenset())  # nothing more: the same statements
    assert ix.bulk_ids is touched and not ix.stale_ids
    looked = []

    def exact(doc_id):
        looked.append(doc_id)
        return False

    assert ix.step(5, True, 0, exact) == ("none", None, False)
    assert looked == [8, 2]
    ix.settle(8, 0, True)  # the window compared it since
    assert ix.step(5, True, 0, exact) == ("found", 8, False)
    assert ix.unsettled(0) == 1
    ix.stale_all({3, 8})  # a second bulk adjudication, given a plain set: added to the first
    assert ix.bulk_ids == {2, 3, 8} and touched == {8, 2}
    assert ix.unsettled(0) == 3  # its change to 8 undoes the window's settle



@given(st.lists(st.tuples(st.sampled_from(["stale", "stale_all", "settle"]), st.sets(st.integers(1, 8), max_size=4),
                          st.integers(0, 1), st.booleans()), max_size=40))
def test_statements_a_bulk_adjudication_changed_are_counted_until_each_colleague_reviews_them(ops):
    """``unsettled(n)``: the statements :meth:`stale_all` marked (Accept All Agreed) that were not settled for
    colleague ``n`` since, whatever the window's own marks (``stale``, on every statement it shows) and settles."""
    ix = ReviewIndex(5, 8, 2)
    ix.add(Batch(forward=[(5, 1), (6, 0), (8, 3)], backward=[(4, 2), (2, 1)], reached=(8, 1), done=(True, True),
                 examined=8, aligned=5))
    for op, ids, n, is_open in ops:
        if op == "stale_all":
            ix.stale_all(ids)
        elif op == "stale":
            for doc_id in ids:
                ix.stale(doc_id)
        else:
            for doc_id in ids:
                ix.settle(doc_id, n, is_open)
        for c in (0, 1):
            assert ix.unsettled(c) == sum(1 for d in ix.bulk_ids if (d, c) not in ix.overrides)


def test_several_colleagues_each_have_their_bit():
    ix = ReviewIndex(1, 3, 2)
    ix.add(Batch(forward=[(1, 0b01), (2, 0b10), (3, 0b11)], reached=(3, 1), done=(True, True), examined=3))
    assert ix.step(1, True, 0, never) == ("found", 3, False)
    assert ix.step(1, True, 1, never) == ("found", 2, False)
    assert (ix.open_count(0), ix.open_count(1)) == (2, 2)


def make(path, spans, texts=("A first statement about arms.", "A second statement about missiles.")):
    """A project of ``texts`` with ``spans``: (doc id, start, end, label), labels added as needed."""
    with Project.open(path, create=True, user=path.stem) as p:
        p.import_documents([IncomingDocument(text, f"doc {n}", "test", []) for n, text in enumerate(texts)])
        for doc_id, start, end, label in spans:
            if label not in {lb.key for lb in p.labels()}:
                p.set_codebook([*p.labels(), Label(label, label.title(), str(len(p.labels()) + 1), "#117733")])
            p.add_span(doc_id, start, end, label)
    return path


def test_the_walk_finds_the_open_statements_and_reads_no_span_twice(tmp_path):
    mine = make(tmp_path / "mine.sqlite", [(1, 2, 7, "threat"), (2, 2, 8, "threat")])
    theirs = make(tmp_path / "theirs.sqlite", [(1, 2, 7, "threat"), (2, 2, 9, "threat")])
    cfile = rv.ColleagueFile.load(theirs)
    assert cfile.lazy and cfile._memory == {}  # nothing of theirs held
    with Project.open(mine) as project:
        batches = []
        walk(rv.reader(project), cfile, 1, batches.append, lambda: False)
    ix = ReviewIndex(1, 2, 1)
    for b in batches:
        ix.add(b)
    assert ix.finished and ix.aligned == 2 and ix.open_count(0) == 1
    assert ix.step(1, True, 0, never) == ("found", 2, False)
    cfile.close()


def test_a_paced_walk_pauses_between_statements_and_finds_the_same(tmp_path):
    """In the review's thread the walk is paced (annotator/pacing.py): it hands the GIL to the window's thread
    between statements -- a real pause, not ``time.sleep(0)`` -- and finds what an unpaced walk finds."""
    mine = make(tmp_path / "mine.sqlite", [(1, 2, 7, "threat"), (2, 2, 8, "threat")])
    theirs = make(tmp_path / "theirs.sqlite", [(1, 2, 7, "threat"), (2, 2, 9, "threat")])
    cfile = rv.ColleagueFile.load(theirs)
    found = []
    with Project.open(mine) as project:
        for every in (None, 0.0):
            batches: list[Batch] = []
            before = pacing.pauses()
            if every is None:
                walk(rv.reader(project), cfile, 1, batches.append, lambda: False)
                assert pacing.pauses() == before  # not paced: never slowed (the command line)
            else:
                with pacing.paced(every=every, pause=0.0001):
                    walk(rv.reader(project), cfile, 1, batches.append, lambda: False)
                assert pacing.pauses() - before >= 2  # at least one pause per statement
            found.append(sorted(p for b in batches for p in b.forward + b.backward))
    assert found[0] == found[1] == [(1, 0), (2, 1)]
    cfile.close()


def test_a_forged_length_does_not_let_a_span_past_its_text(tmp_path):
    theirs = make(tmp_path / "theirs.sqlite", [(1, 2, 7, "threat")])
    conn = sqlite3.connect(theirs)
    conn.execute('UPDATE spans SET "end" = 500 WHERE doc_id = 1')
    conn.execute("UPDATE documents SET length = 1000")  # the stored length says it fits: it does not
    conn.commit()
    conn.close()
    cfile = rv.ColleagueFile.load(theirs)
    sha = next(iter(cfile.documents))
    with pytest.raises(AnnotatorError, match="outside its statement's text"):
        cfile.spans(sha)
    cfile.close()


def test_the_walk_aligns_the_file_with_no_collector_pass_and_gives_the_collector_back(tmp_path, monkeypatch):
    """The alignment kept for the report (100 000-row lists at full size) is made at the end of the walk with the
    cycle collector off: its passes, set off by those lists in the review's thread, held the window's thread 10-14 ms
    each (issue #14). The collector is on again afterwards, and what it made is frozen until the walk lets go."""
    import gc

    mine = make(tmp_path / "mine.sqlite", [(1, 2, 7, "threat"), (2, 2, 8, "threat")])
    theirs = make(tmp_path / "theirs.sqlite", [(1, 2, 7, "threat"), (2, 2, 9, "threat")])
    cfile = rv.ColleagueFile.load(theirs)
    real, seen = rv.ColleagueFile.align, []

    def align(self, project, conn=None):
        seen.append(gc.isenabled())
        return real(self, project, conn)

    monkeypatch.setattr(rv.ColleagueFile, "align", align)
    assert gc.isenabled()
    with Project.open(mine) as project:
        walk(rv.reader(project), cfile, 1, lambda _b: None, lambda: False)
    assert seen == [False]  # aligned once, with the collector off
    assert gc.isenabled() and gc.get_freeze_count() == 0  # on again, and nothing left frozen by the walk
    cfile.close()


def test_the_alignment_hands_the_gil_over_in_every_pass_over_the_statements(tmp_path, monkeypatch):
    """The alignment at the walk's end (and the report's) passes over every statement a few times; in a paced thread
    each pass paces every few hundred items: one unpaced comprehension over 100 000 statements kept the window's
    thread from the GIL 12-18 ms, and every stall above 12 ms while a colleague file was compared fell in that second
    (issue #14). Counted in lines of the alignment's own Python run between two paces (a few per item), each pass
    over more statements than the most allowed."""
    import sys

    from annotator.store import colleague

    texts = [f"Statement number {n} about arms." for n in range(8 * colleague.SLICE)]
    mine = make(tmp_path / "mine.sqlite", [], texts)
    theirs = make(tmp_path / "theirs.sqlite", [], [*texts[: -colleague.SLICE], "Only theirs."])
    cfile = rv.ColleagueFile.load(theirs)
    lines, longest = [0], [0]
    real_pace = pacing.pace

    def pace() -> None:
        longest[0] = max(longest[0], lines[0])
        lines[0] = 0
        real_pace()

    def tracer(frame, event, _arg):  # type: ignore[no-untyped-def]
        if event == "line" and frame.f_code.co_filename == colleague.__file__:
            lines[0] += 1
        return tracer

    monkeypatch.setattr(pacing, "pace", pace)
    with Project.open(mine) as project, pacing.paced(every=1.0, pause=0.0):
        sys.settrace(tracer)
        try:
            found = cfile.align(rv.reader(project))
        finally:
            sys.settrace(None)
    assert len(found.pairs) == 7 * colleague.SLICE and len(found.only_theirs) == 1
    assert len(found.only_mine) == colleague.SLICE
    assert 0 < longest[0] <= 6 * colleague.SLICE  # unpaced, one pass alone ran a line per statement: 8 * SLICE
    cfile.close()
