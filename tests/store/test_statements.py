"""A statement's title changed, and a statement deleted and brought back whole (trial 10, D7)."""

from __future__ import annotations

import pytest

from annotator.core.model import IncomingDocument, Provenance
from annotator.errors import AnnotatorError
from annotator.store import Project, statements
from annotator.store import variables as sv
from annotator.store.check import check_project
from tests.helpers import content

TEXT = "We condemn the launch. We commit to peace. We urge restraint in the region."


def _project(path):
    docs = [IncomingDocument(TEXT, "13_uk_fcdo", provenance=Provenance("13_uk_fcdo.html", "ab" * 32, "html", "1")),
            IncomingDocument("A LaTeX placeholder.", "placeholder"), IncomingDocument("The third one.", "third")]
    return Project.open(path, create=True, user="ana", populate=docs)


def _found(project, words):
    return [r[0] for r in project.conn.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH ?", (words,))]


def _rows_of(project, doc_id):
    conn = project.conn
    return {table: conn.execute(f"SELECT * FROM {table} WHERE doc_id = ? ORDER BY 1, 2", (doc_id,)).fetchall()
            for table in ("spans", "document_values", "imports", "document_span_counts", "label_doc_counts",
                          "overlap_pairs", "sentence_pairs", "sentence_starts", "span_reach", "review_decisions",
                          "suggest_rejections")}


def _filled(project):
    doc = project.documents()[0].id
    project.add_span(doc, 3, 21, "threat", note="the launch")
    project.add_span(doc, 10, 41, "commitment", annotator="ben")
    project.add_span(doc, 43, 75, "call_to_action")
    sv.add_variable(project, sv.Variable("country", "text"))
    sv.set_value(project, doc, "issuer", "FCDO")
    sv.set_value(project, doc, "country", "UK")
    sv.set_value(project, doc, "note", "memo words")
    project.set_status(doc, "done")
    project.conn.execute("INSERT INTO suggest_rejections (doc_id, start, \"end\", label, source, at, actor)"
                         " VALUES (?, 0, 2, 'threat', 'cue', 'now', 'ana')", (doc,))
    return doc


def test_delete_then_restore_brings_the_statement_back_whole(tmp_path):
    path = tmp_path / "p.sqlite"
    project = _project(path)
    doc = _filled(project)
    before_rows, before_doc, before_spans = _rows_of(project, doc), project.document(doc), project.spans(doc)
    before_corpus = project.conn.execute("SELECT * FROM label_doc_counts ORDER BY 1, 2").fetchall()
    removed = statements.delete_statement(project, doc)
    assert removed.spans == 3 and removed.title == "13_uk_fcdo"
    assert doc not in [d.id for d in project.documents()]
    assert all(not rows for table, rows in _rows_of(project, doc).items()), _rows_of(project, doc)
    assert _found(project, "launch") == [] and _found(project, "memo") == []
    project.close()
    assert check_project(path)[0] == []
    project = Project.open(path, user="ana")
    statements.restore_statement(project, removed)
    assert project.document(doc) == before_doc and project.document(doc).variables == {"country": "UK"}
    assert project.spans(doc) == before_spans
    assert _rows_of(project, doc) == before_rows
    assert project.conn.execute("SELECT * FROM label_doc_counts ORDER BY 1, 2").fetchall() == before_corpus
    assert _found(project, "launch") == [doc] and _found(project, "memo") == [doc]
    actions = [h["action"] for h in project.history(3)]
    assert actions[:2] == ["restore_statement", "delete_statement"]
    project.close()
    assert check_project(path)[0] == []


def test_restore_is_refused_when_the_text_came_back_meanwhile(tmp_path):
    project = _project(tmp_path / "p.sqlite")
    doc = project.documents()[1].id
    removed = statements.delete_statement(project, doc)
    project.import_documents([IncomingDocument("A LaTeX placeholder.", "again")])
    dump = content(project.path)
    with pytest.raises(AnnotatorError, match="cannot bring back 'placeholder'"):
        statements.restore_statement(project, removed)
    assert content(project.path) == dump
    project.close()


def test_set_title_is_searched_listed_logged_and_checked(tmp_path):
    path = tmp_path / "p.sqlite"
    project = _project(path)
    doc = project.documents()[0].id
    changed = statements.set_title(project, doc, "  UK statement on\nthe launch ")
    assert changed == ("13_uk_fcdo", "UK statement on the launch")
    assert project.documents()[0].title == "UK statement on the launch"
    assert _found(project, "statement") == [doc]
    assert project.history(1)[0]["action"] == "set_title"
    for bad, why in (("   ", "cannot be empty"), ("a\ud800b", "cannot be stored"), ("x\x07", "control character"),
                     ("x" * 501, "at most 500")):
        with pytest.raises(AnnotatorError, match=why):
            statements.set_title(project, doc, bad)
    assert project.documents()[0].title == "UK statement on the launch"
    project.close()
    assert check_project(path)[0] == []


def test_find_by_title_or_sha256(tmp_path):
    project = _project(tmp_path / "p.sqlite")
    docs = project.documents()
    assert statements.find(project, title="third") == docs[2].id
    assert statements.find(project, sha256=docs[1].sha256[:10].upper()) == docs[1].id
    with pytest.raises(AnnotatorError, match="no statement titled 'nope'"):
        statements.find(project, title="nope")
    with pytest.raises(AnnotatorError, match="not a SHA-256"):
        statements.find(project, sha256="xyz")
    project.close()
