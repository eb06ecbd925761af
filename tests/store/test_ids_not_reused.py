"""An id a statement or a span had is never given to one imported after it was deleted (``store/ids.py``): the
undo (or redo) that puts it back finds its ids free. SQLite gives a new row the largest id plus one, so a deleted
statement's or span's id went to the next one imported, and putting it back was refused (or, undoing a deleted
label, the imported span that had its id was deleted in its stead)."""

from __future__ import annotations

import pytest

from annotator.core.model import IncomingDocument, IncomingSpan, Provenance
from annotator.core.search.hits import Hit
from annotator.store import Project, hit_labels, review, statements
from annotator.store import variables as sv
from annotator.store.check import check_project

TEXT = "We condemn the launch. We commit to peace. We urge restraint in the region."
NEW = IncomingDocument("A statement imported after the delete: we warn them.", "imported later",
                       spans=[IncomingSpan(0, 11, "threat"), IncomingSpan(14, 22, "commitment"),
                              IncomingSpan(30, 36, "call_to_action")])


@pytest.fixture
def project(tmp_path):
    docs = [IncomingDocument("The first one.", "first"),
            IncomingDocument(TEXT, "last", provenance=Provenance("last.html", "ab" * 32, "html", "1"))]
    project = Project.open(tmp_path / "p.sqlite", create=True, user="ana", populate=docs)
    yield project
    project.close()


def _last(project):
    return project.documents()[-1].id


def _spans_of_last(project):
    doc = _last(project)
    for start, end, label in ((3, 21, "threat"), (23, 41, "commitment"), (43, 75, "call_to_action")):
        project.add_span(doc, start, end, label)
    return doc, project.spans(doc)


def _imported(project):
    doc = next(d for d in project.documents() if d.title == "imported later")
    return doc.id, project.spans(doc.id)


def test_a_deleted_statement_comes_back_under_its_ids_after_an_import(project):
    doc, spans = _spans_of_last(project)
    sv.set_value(project, doc, "issuer", "FCDO")
    project.set_status(doc, "done")
    removed = statements.delete_statement(project, doc)
    project.import_documents([NEW])
    new_doc, new_spans = _imported(project)
    assert new_doc > doc and min(s.id for s in new_spans) > max(s.id for s in spans)
    statements.restore_statement(project, removed)
    assert project.spans(doc) == spans and project.document(doc).status == "done"
    assert project.document(doc).issuer == "FCDO" and project.spans(new_doc) == new_spans
    assert check_project(project.path)[0] == []
    # again, after the statement imported meanwhile is deleted too: still no id given twice
    removed = statements.delete_statement(project, new_doc)
    statements.delete_statement(project, doc)
    project.import_documents([IncomingDocument("Yet another.", "third", spans=[IncomingSpan(0, 3, "threat")])])
    third = next(d for d in project.documents() if d.title == "third").id
    assert third > new_doc and project.spans(third)[0].id > max(s.id for s in new_spans)
    statements.restore_statement(project, removed)
    assert project.spans(new_doc) == new_spans
    assert check_project(project.path)[0] == []


def test_a_deleted_span_comes_back_under_its_id_after_an_import(project):
    """Edit ▸ Delete Span (or the undo of a label), an import beside the window, then its undo (or redo)."""
    _, spans = _spans_of_last(project)
    gone = project.delete_span(spans[-1].id)
    project.import_documents([NEW])
    project.restore_spans([gone])
    assert project.span(gone.id) == gone
    assert len(_imported(project)[1]) == 3


def test_a_deleted_label_comes_back_without_taking_an_imported_span(project):
    doc, spans = _spans_of_last(project)
    saved = project.delete_label("call_to_action")
    project.import_documents([NEW])
    project.restore_label(*saved)
    assert project.spans(doc) == spans
    assert len(_imported(project)[1]) == 3  # its call to action kept (it had the deleted span's id)
    assert check_project(project.path)[0] == []


def test_labelled_hits_undone_then_redone_after_an_import(project):
    doc = _last(project)
    sha = project.document(doc).sha256
    hits = [Hit(doc, sha, "last", "", 23, 41, "", "We commit to peace", ""),
            Hit(doc, sha, "last", "", 43, 75, "", TEXT[43:75], "")]
    done = hit_labels.label_hits(project, hits, "commitment")
    hit_labels.undo(project, done)
    project.import_documents([NEW])
    hit_labels.redo(project, done)
    assert [s.id for s in project.spans(doc)] == [s.id for s in done.spans]
    assert len(_imported(project)[1]) == 3


def test_an_accepted_span_undone_then_redone_after_an_import(project):
    doc = _last(project)
    span = project.add_span(doc, 3, 21, "threat", annotator="bob")
    done = review.Adjudication("accept", added=(span,))
    review.undo(project, done)
    project.import_documents([NEW])
    review.redo(project, done)
    assert project.span(span.id) == span
    assert len(_imported(project)[1]) == 3
