"""The review report's bulk walk (annotator/store/review_report.py ``_ReportDocs``): one cursor over the documents
and one over my spans, side by side, give every aligned document exactly as reading it alone does (text, my
spans, theirs, my spans before adjudication), skip the documents one side lacks, and the report's figures equal
the reference ones (tests/core/test_agreement_lean.py) on hostile text."""

from __future__ import annotations

import gc

from annotator.core import review as core
from annotator.core.model import IncomingDocument, IncomingSpan
from annotator.store import Project
from annotator.store import review as rv
from annotator.store.review_report import _ReportDocs
from tests.core.test_agreement_lean import reference_report

TEXTS = [
    "The DPRK 😀 threatens\r\nallies; we commit to act.",
    "e\u0301\u0301 combining marks, 👩\u200d👩\u200d👧 and 🇰🇷 flags\u2028then more words",
    "",
    "Only in my project.",
    "\t\u00a0 spaces\u3000and tabs \r\n\r\n CRLF",
    "A statement with no spans at all.",
]


def spans_of(text: str, step: int, labels: tuple[str, ...]) -> list[IncomingSpan]:
    n = len(text)
    found = []
    for k, start in enumerate(range(0, max(0, n - 3), step)):
        found.append(IncomingSpan(start, min(n, start + step + 2), labels[k % len(labels)]))  # overlapping
    if n > 6:
        found.append(IncomingSpan(1, n - 1, labels[0]))  # nesting the rest
        found.append(IncomingSpan(1, n - 1, labels[0]))  # and a duplicate
    return found


def test_the_walk_reads_what_reading_each_document_alone_reads(tmp_path):
    mine_docs = [IncomingDocument(t, f"m{k}", spans=spans_of(t, 5, ("threat", "commitment")))
                 for k, t in enumerate(TEXTS) if k != 5]
    theirs_docs = [IncomingDocument(t, f"t{k}", spans=spans_of(t, 4, ("commitment", "threat", "sanction")))
                   for k, t in enumerate(TEXTS) if k != 3]
    with Project.open(tmp_path / "bob.sqlite", create=True, user="bob", populate=theirs_docs):
        pass
    bob = rv.ColleagueFile.load(tmp_path / "bob.sqlite")
    with Project.open(tmp_path / "me.sqlite", create=True, user="me", populate=mine_docs) as me:
        # an accept changes my spans of the first statement: it gets a "before"
        item = next(i for i in core.classify(me.spans(1), bob.spans(me.document(1).sha256)) if i.kind == "theirs_only")
        rv.accept(me, 1, item, bob.colleagues[0])
        alignment = bob.align(me)
        assert len(alignment.pairs) == 4 and alignment.only_mine
        docs = _ReportDocs(me, alignment.pairs, bob, None)
        assert docs.has_before
        walked = list(docs)
        alone = [docs[i] for i in range(len(docs))]
        assert [d.sha256 for d in walked] == [sha for _, sha in alignment.pairs]
        for a, b in zip(walked, alone, strict=True):
            assert (a.title, a.text, sorted(a.mine), a.before) == (b.title, b.text, sorted(b.mine), b.before)
            assert list(core._triples(a.theirs)) == list(core._triples(b.theirs))
        assert walked[0].before is not None and sorted(walked[0].before) != sorted(walked[0].mine)
        assert all(d.before is None for d in walked[1:])

        report = rv.review_report(me, bob)
        ref = reference_report(alone, [lb.key for lb in me.labels()])
        whole = ref["after"][0]
        assert report.overall["kappa"] == whole["overall"]["kappa"]
        assert report.overall["alpha_u"] == whole["overall"]["alpha_u"]
        assert report.overall["overlap_f1"] == whole["overall"]["overlap"]["f1"]
        assert [row["kappa"] for row in report.labels] == [e["kappa"] for e in whole["labels"].values()]
        assert [row["kappa"] for row in report.documents] == [fig["kappa"] for fig, _ in ref["rows"]]
        assert report.before is not None and report.before["changed"] == 1
        assert report.before["overall"]["alpha_u"] == ref["before"][0]["overall"]["alpha_u"]
        assert [row["title"] for row in report.documents] == ["m0", "m1", "m2", "m4"]
    assert not gc.get_freeze_count()  # the collector's freeze is lifted after the report
