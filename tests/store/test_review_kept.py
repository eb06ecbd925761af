"""Issue #14: the agreement report from kept shares (``store/report_entries.py``, ``core/review_kept.py``) equals the
report computed from scratch to the last digit: after the background comparison, after random edits in the window,
edits made while the comparison runs, a write from another process, an accept (figures before adjudication), a
codebook change, and for each colleague of a file holding two."""

from __future__ import annotations

import gc
import random
import subprocess
import sys
from pathlib import Path

from annotator.core import review as core
from annotator.core.model import IncomingDocument, IncomingSpan
from annotator.store import Project
from annotator.store import review as rv
from annotator.store.review_index import walk
from tests.store.test_review_report_walk import TEXTS, spans_of

LABELS = ("threat", "commitment", "sanction")


def _projects(tmp_path: Path, n: int = 24, two: bool = False) -> tuple[Path, Path]:
    rng = random.Random(7)
    texts = [f"{TEXTS[k % len(TEXTS)]} — statement {k}: more words\u00a0here. 😀 {'x' * (k % 5)}" for k in range(n)]
    mine = [IncomingDocument(t, f"m{k}", spans=spans_of(t, 4 + k % 3, LABELS[: 1 + k % 3])) for k, t in
            enumerate(texts) if k % 7 != 3]
    theirs = []
    for k, t in enumerate(texts):
        if k % 7 == 5:
            continue
        spans = spans_of(t, 4 + (k + rng.randrange(2)) % 3, LABELS[k % 2:])
        if two:
            spans = [IncomingSpan(s.start, s.end, s.label, annotator="bob") for s in spans] + [
                IncomingSpan(s.start, s.end, s.label, annotator="eve") for s in spans_of(t, 5, LABELS[:2])]
        theirs.append(IncomingDocument(t, f"t{k}", spans=spans))
    with Project.open(tmp_path / "bob.sqlite", create=True, user="bob", populate=theirs):
        pass
    with Project.open(tmp_path / "me.sqlite", create=True, user="me", populate=mine):
        pass
    return tmp_path / "me.sqlite", tmp_path / "bob.sqlite"


def _walk(me: Project, bob: rv.ColleagueFile, during=None) -> None:
    reader = rv.reader(me)
    try:
        walk(reader, bob, 1, during or (lambda _batch: None), lambda: False, every=0.0)
    finally:
        reader.close()


def _same(me: Project, bob: rv.ColleagueFile, colleague: rv.Colleague) -> core.Report:
    kept = rv.review_report(me, bob, colleague)
    scratch = rv.review_report(me, bob, colleague, keep=False)
    assert kept == scratch
    return kept


def _edit(me: Project, rng: random.Random) -> None:
    doc_id = rng.choice([i for (i,) in me.conn.execute("SELECT id FROM documents")])
    spans = me.spans(doc_id)
    length = len(me.document(doc_id).text)
    op = rng.randrange(4)
    if op == 0 and spans:
        me.delete_span(rng.choice(spans).id)
    elif op == 1 and spans:
        span = rng.choice(spans)
        me.update_span(span.id, label=rng.choice(LABELS))
    elif op == 2 and spans:
        span = rng.choice(spans)
        me.update_span(span.id, end=min(length, span.end + 1 + rng.randrange(3)))
    elif length > 1:
        start = rng.randrange(length - 1)
        me.add_span(doc_id, start, min(length, start + 1 + rng.randrange(9)), rng.choice(LABELS))


def test_kept_report_equals_the_report_from_scratch_after_edits(tmp_path):
    mine, theirs = _projects(tmp_path)
    bob = rv.ColleagueFile.load(theirs)
    rng = random.Random(1)
    with Project.open(mine, user="me") as me:
        colleague = bob.colleagues[0]
        before_walk = _same(me, bob, colleague)  # nothing kept yet: every share computed, and kept
        _walk(me, bob)
        shares = next(iter(bob.kept.values()))
        assert len(shares.entries) == len(before_walk.documents)
        # what is kept per statement adds nothing to the cycle collector's passes (they hold every thread)
        assert not gc.is_tracked(shares.entries) and not any(map(gc.is_tracked, shares.entries.values()))
        assert not gc.get_freeze_count()  # the walk's freezes are lifted when it ends
        assert _same(me, bob, colleague) == before_walk
        for _ in range(6):
            for _ in range(rng.randrange(1, 5)):
                _edit(me, rng)
            _same(me, bob, colleague)
        # an accept: my spans before adjudication differ, their figures are computed afresh
        doc_id = next(d for d, _ in bob.align(me).pairs
                      if any(i.kind == core.THEIRS_ONLY for i in rv.review_document(me, d, bob, colleague).items))
        item = next(i for i in rv.review_document(me, doc_id, bob, colleague).items if i.kind == core.THEIRS_ONLY)
        rv.accept(me, doc_id, item, colleague)
        report = _same(me, bob, colleague)
        assert report.before is not None and report.before["changed"] == 1
        # a note is no figure: the revision stays
        span = me.spans(doc_id)[0]
        revision = me.conn.execute("SELECT revision FROM span_revisions WHERE doc_id = ?", (doc_id,)).fetchone()
        me.update_span(span.id, note="a note")
        assert me.conn.execute("SELECT revision FROM span_revisions WHERE doc_id = ?",
                               (doc_id,)).fetchone() == revision
        rows = len(_same(me, bob, colleague).documents)
        # a statement of theirs imported into my project: aligned now, in the report at once
        text = next(t for t in (f"{TEXTS[k % len(TEXTS)]} — statement {k}: more words\u00a0here. 😀 {'x' * (k % 5)}"
                                for k in range(24) if k % 7 == 3))
        me.import_documents([IncomingDocument(text, "new", spans=[IncomingSpan(0, 4, "threat")])])
        assert len(_same(me, bob, colleague).documents) == rows + 1


def test_edits_made_while_the_comparison_runs_and_from_another_process(tmp_path):
    mine, theirs = _projects(tmp_path)
    bob = rv.ColleagueFile.load(theirs)
    rng = random.Random(2)
    with Project.open(mine, user="me") as me:
        colleague = bob.colleagues[0]
        edits = []

        def during(_batch):  # the window writes while the walk reads (its snapshot is older)
            if len(edits) < 8:
                edits.append(1)
                _edit(me, rng)

        _walk(me, bob, during)
        assert edits
        _same(me, bob, colleague)
        # another process (the command line) adds and relabels spans of aligned statements
        doc_id = bob.align(me).pairs[0][0]
        script = (f"import sqlite3; c = sqlite3.connect({str(mine)!r}); c.execute('PRAGMA foreign_keys = ON');"
                  f"c.execute(\"INSERT INTO spans (doc_id, start, \\\"end\\\", label, created, updated)"
                  f" VALUES ({doc_id}, 0, 3, 'threat', 'x', 'x')\");"
                  f"c.execute(\"UPDATE spans SET label = 'sanction' WHERE doc_id = {doc_id} AND start > 0\");"
                  "c.commit()")
        subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
        report = _same(me, bob, colleague)
        row = next(r for r in report.documents if r["key"] == bob.align(me).pairs[0][1])
        assert row["mine"] == len(me.spans(doc_id))


def test_the_codebook_order_and_each_of_two_colleagues(tmp_path):
    mine, theirs = _projects(tmp_path, n=14, two=True)
    bob = rv.ColleagueFile.load(theirs)
    with Project.open(mine, user="me") as me:
        assert [c.name for c in bob.colleagues] == ["bob", "eve"]
        _walk(me, bob)
        assert len(bob.kept) == 2
        for colleague in bob.colleagues:
            _same(me, bob, colleague)
        # the codebook's order changes κ's mean per statement (the order its floats are added in)
        keys = [lb.key for lb in me.labels()]
        with me.conn:
            for n, key in enumerate(reversed(keys)):
                me.conn.execute("UPDATE labels SET position = ? WHERE key = ?", (n, key))
        for colleague in bob.colleagues:
            _same(me, bob, colleague)
    bob.close()
    assert bob.kept == {}
