"""Loading projects for agreement (issue 14): the four span fields, texts read when compared -- and the same
figures as loading every document whole."""

import random
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.agreement import AnnotationSet, compare, fleiss_kappa
from annotator.core.model import IncomingDocument, IncomingSpan
from annotator.errors import AnnotatorError
from annotator.store import Project, sources

TEXTS = ["The DPRK threatens 😀 peace.\r\nWe urge restraint.", "e\u0301 combining  marks\tand 🇯🇵 flags",
         "   ", "Plain words only here"]


def project(path, seed, texts=TEXTS):
    rng = random.Random(seed)
    docs = []
    for t in texts:
        spans = []
        for _ in range(rng.randint(0, 6)):
            s = rng.randrange(len(t))
            spans.append(IncomingSpan(s, rng.randint(s + 1, len(t)), rng.choice(["threat", "commitment"])))
        docs.append(IncomingDocument(t, t[:5], spans=spans))
    with Project.open(path, create=True, user=f"u{seed}", populate=docs):
        pass
    return path


def eager(path):
    """A set built the way it was before: every document whole (rows_of)."""
    return AnnotationSet.from_rows(path.name, ((sha, text, [sp[:3] for sp in spans])
                                               for sha, text, spans in sources.rows_of(path)))


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_lazy_project_sets_give_the_figures_of_whole_documents(tmp_path_factory, seed_a, seed_b):
    tmp = tmp_path_factory.mktemp("s")
    a = project(tmp / "a.sqlite", seed_a)
    b = project(tmp / "b.sqlite", seed_b, TEXTS[1:] + ["only in b"])
    c = project(tmp / "c.sqlite", seed_a + seed_b)
    lazy = sources.load([a, b, c])
    assert isinstance(lazy[0].docs, sources.ProjectDocs)
    whole = [eager(p) for p in (a, b, c)]
    assert compare(lazy[0], lazy[1]) == compare(whole[0], whole[1])
    assert fleiss_kappa(lazy) == fleiss_kappa(whole)
    assert dict(lazy[2].docs) == dict(whole[2].docs)


def test_a_span_outside_its_text_is_refused_when_loaded(tmp_path):
    a = project(tmp_path / "a.sqlite", 1)
    conn = sqlite3.connect(a)
    with conn:
        conn.execute('UPDATE spans SET "end" = 10000 WHERE id = (SELECT min(id) FROM spans)')
    conn.close()
    with pytest.raises(AnnotatorError, match="a.sqlite: invalid span"):
        sources.load([a, project(tmp_path / "b.sqlite", 2)])


def test_a_shared_text_is_taken_only_when_its_length_matches(tmp_path):
    texts = sources._Texts(keep=2)
    texts.put("x", "abc")
    assert texts.get("x", 3) == "abc" and texts.get("x", 4) is None
    texts.put("y", "1")
    texts.put("z", "2")
    assert texts.get("x", 3) is None  # only the last few are kept


def test_texts_read_in_any_order_are_the_documents_texts(tmp_path):
    a = project(tmp_path / "a.sqlite", 3)
    (lazy,) = sources.load([a])
    whole = eager(a)
    keys = list(lazy.docs)
    for sha in [keys[2], keys[0], keys[3], keys[1], keys[3], keys[0]]:  # behind and ahead of the cursor
        assert lazy.docs[sha] == whole.docs[sha]


def test_a_span_of_no_document_is_refused_when_loaded(tmp_path):
    a = project(tmp_path / "a.sqlite", 1)
    conn = sqlite3.connect(a)  # foreign keys are off in this plain connection: the file is damaged on purpose
    with conn:
        conn.execute("UPDATE spans SET doc_id = 999 WHERE id = (SELECT min(id) FROM spans)")
    conn.close()
    with pytest.raises(AnnotatorError, match="invalid span"):
        sources.load([a])


def _as_large(monkeypatch):
    """Every file counts as large: opened by its identity, its reads checked as they go (sources._open)."""
    from annotator.store import connection

    monkeypatch.setattr(connection, "FULL_CHECK_BYTES", 0)
    checked = []
    monkeypatch.setattr(connection, "check_contents", lambda *a, **k: checked.append(a))
    return checked


def test_a_large_project_is_compared_without_a_whole_check_and_left_as_it_was(tmp_path, monkeypatch):
    a, b = project(tmp_path / "a.sqlite", 5), project(tmp_path / "b.sqlite", 6)
    before = {p: p.read_bytes() for p in (a, b)}
    small = compare(*sources.load([a, b]))
    checked = _as_large(monkeypatch)
    sets = sources.load([a, b])
    assert compare(*sets) == small
    assert checked == []  # no quick_check, no type check of every row
    for s in sets:
        s.docs.close()
    assert {p: p.read_bytes() for p in (a, b)} == before
    assert sorted(x.name for x in tmp_path.iterdir()) == ["a.sqlite", "b.sqlite"]  # no -wal, no -shm


@pytest.mark.parametrize(("damage", "message"), [
    ("UPDATE documents SET length = 'many' WHERE id = 1", "wrong type"),
    ("UPDATE documents SET text = CAST(text AS BLOB) WHERE id = 2", "wrong type"),
    ("UPDATE documents SET sha256 = X'07' WHERE id = 3", "wrong type"),
    ('UPDATE spans SET "end" = \'x\' WHERE id = (SELECT min(id) FROM spans)', "invalid span"),
])
def test_a_damaged_large_project_is_one_clear_line(tmp_path, monkeypatch, damage, message):
    a = project(tmp_path / "a.sqlite", 7)
    conn = sqlite3.connect(a)
    with conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute(damage)
    conn.close()
    _as_large(monkeypatch)
    with pytest.raises(AnnotatorError, match=message):
        compare(*sources.load([a, project(tmp_path / "b.sqlite", 8)]))


def test_a_large_project_whose_text_is_not_its_length_is_refused_when_read(tmp_path, monkeypatch):
    a = project(tmp_path / "a.sqlite", 9)
    conn = sqlite3.connect(a)
    with conn:
        conn.execute("UPDATE documents SET length = length + 1, sha256 = 'x' WHERE id = 2")
    conn.close()
    _as_large(monkeypatch)
    sets = sources.load([a, project(tmp_path / "b.sqlite", 9)])
    with pytest.raises(AnnotatorError, match="damaged"):
        [sets[0].docs[sha] for sha in sets[0].docs]
