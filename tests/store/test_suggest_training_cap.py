"""A retrain reads at most ``MAX_TRAINING_DOCS`` statements, those changed last (issue #14: a team's corpus of 100 000
statements, a million spans, made the retrain process grow to 20 GB for half an hour)."""

from __future__ import annotations

from annotator.core.model import IncomingDocument
from annotator.store import Project
from annotator.store import suggest as store


def _project(tmp_path) -> Project:
    docs = [IncomingDocument(f"We condemn launch number {i}. We urge restraint.", f"statement {i}") for i in range(6)]
    project = Project.open(tmp_path / "p.sqlite", create=True, user="ana", populate=docs)
    for doc_id in (1, 2, 3, 4):
        project.add_span(doc_id, 3, 10, "threat")
    project.set_status(6, "done")  # done, no span: a statement's own time says when
    stamps = {1: "2024-01-05", 2: "2024-01-01", 3: "2024-01-04", 4: "2024-01-02"}
    with project.conn:
        for doc_id, day in stamps.items():
            project.conn.execute("UPDATE spans SET updated = ? WHERE doc_id = ?", (day + "T10:00:00", doc_id))
        project.conn.execute("UPDATE documents SET updated = '2024-01-03T10:00:00' WHERE id = 6")
    return project


def test_the_statements_changed_last_are_read_in_id_order(tmp_path):
    project = _project(tmp_path)
    try:
        assert [d.doc_id for d in store.training_docs(project, 3)] == [1, 3, 6]
        assert [(d.doc_id, d.done, len(d.spans)) for d in store.training_docs(project, 2)] == [(1, False, 1),
                                                                                            (3, False, 1)]
        assert [d.doc_id for d in store.training_docs(project, None)] == [1, 2, 3, 4, 6]  # statement 5 cannot teach
        assert [d.doc_id for d in store.training_docs(project)] == [1, 2, 3, 4, 6]  # under the cap: all
    finally:
        project.close()


def test_a_retrain_reads_the_last_thousand_changed_statements_of_a_larger_corpus(tmp_path):
    n = store.MAX_TRAINING_DOCS + 1
    docs = [IncomingDocument(f"We condemn launch number {i}.", f"statement {i}") for i in range(n)]
    project = Project.open(tmp_path / "big.sqlite", create=True, user="ana", populate=docs)
    try:
        with project.conn:
            project.conn.executemany(
                "INSERT INTO spans (doc_id, start, \"end\", label, created, updated) VALUES (?, 3, 10, 'threat', ?, ?)",
                [(i, "2024-01-01", "2024-01-01" if i == 7 else "2024-02-01") for i in range(1, n + 1)])
        read = store.training_docs(project)  # as the retrain process reads (core/suggest/batch.py)
        assert len(read) == store.MAX_TRAINING_DOCS == 1000
        assert 7 not in {d.doc_id for d in read}  # the one changed longest ago is left out
        assert [d.doc_id for d in read] == sorted(d.doc_id for d in read)
    finally:
        project.close()
