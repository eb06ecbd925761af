"""What an import is given to go faster, and that it changes no answer.

The full-text index's write tuning (``search_index.HASH_BYTES``, FTS5's ``hashsize``): an import large enough for
FTS5's default to cut it into several segments goes out as one, and every kind of query -- words, phrases,
prefixes, NEAR, OR/NOT, diacritics, memos, the Documents filter's list and first page -- finds exactly what the
same statements indexed with FTS5's defaults (``rebuild``) find; FTS5's own check passes on both.

The import's page cache (``importing.IMPORT_CACHE_SIZE``): given for the import's transaction (whole or streamed),
the connection's own again afterwards, also when the file is refused and rolled back."""

from __future__ import annotations

import pytest

from annotator.core.model import IncomingDocument
from annotator.core.search.query import parse
from annotator.store import Project, importing, search, search_index, transfer, writing
from tests.benchmarks import data
from tests.store.streaming import stream_imports

QUERIES = ["missile", '"ballistic missile launches"', "launch*", "NEAR(strongly condemn, 3)", "kamikawa OR park",
           "ballistic NOT seoul", "yoko", "YŌKO", "memo", '"water plant"', "officials", "한국"]
FILTERS = ["strongly", "ballistic missile", "Kamikawa Yō", "memo"]
DEFAULT_HASH = 1024 * 1024  # FTS5's own


def _segments(project: Project) -> int:
    """The index's segments: FTS5 keys each segment's pages by its id shifted left by 37 bits."""
    return project.conn.execute("SELECT count(DISTINCT id >> 37) FROM search_fts_data WHERE id >> 37 > 0").fetchone()[0]


def _answers(project: Project) -> dict[str, object]:
    conn = project.conn
    found: dict[str, object] = {q: search.search_all(conn, parse(q)) for q in QUERIES}
    found["exact diacritics"] = search.search_all(conn, parse("yōko", exact_diacritics=True))
    for typed in FILTERS:
        found[f"filter {typed}"] = search_index.filter_ids(conn, typed)
        found[f"page {typed}"] = search_index.filter_page(conn, typed, None, 40)
        found[f"page todo {typed}"] = search_index.filter_page(conn, typed, "todo", 40)
    return found


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    docs = list(data.statements(1200, 4000, seed=5))
    for i in range(0, len(docs), 7):  # memos are indexed too
        docs[i].note = f"memo {i}: the water plant, Évian 👍"
    docs.append(IncomingDocument("Minister Kamikawa Yōko met 한국 officials. 👍", "hostile", note="YŌKO memo"))
    with Project.open(tmp_path_factory.mktemp("tuned") / "p.sqlite", create=True, user="tester") as project:
        project.import_documents(docs)
        yield project


def test_a_large_import_goes_out_as_one_segment_and_finds_what_the_default_index_finds(imported):
    assert _segments(imported) == 1
    assert search_index.check(imported.conn) is None
    tuned = _answers(imported)
    assert all(tuned[q] for q in QUERIES)  # every query finds something, so the comparison below says something

    # the same statements indexed with FTS5's defaults: several segments, the same answers
    conn = imported.conn
    conn.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('hashsize', ?)", (DEFAULT_HASH,))
    conn.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    assert _segments(imported) > 1
    assert search_index.check(conn) is None
    assert _answers(imported) == tuned

    # the app's own rebuild tunes it again, with the same answers
    search_index.rebuild(conn)
    assert _segments(imported) == 1 and search_index.check(conn) is None
    assert _answers(imported) == tuned


def test_the_setting_is_written_once_in_the_index_own_config(tmp_path):
    with Project.open(tmp_path / "p.sqlite", create=True, user="tester") as project:
        config = "SELECT v FROM search_fts_config WHERE k = 'hashsize'"
        assert project.conn.execute(config).fetchone() is None  # a new file: FTS5's default
        schema = project.conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
        project.import_documents([IncomingDocument("ironclad words", "one")])
        assert project.conn.execute(config).fetchone() == (search_index.HASH_BYTES,)
        changes = project.conn.total_changes
        project.import_documents([IncomingDocument("more ironclad words", "two")])
        assert project.conn.execute(config).fetchone() == (search_index.HASH_BYTES,)
        assert project.conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall() == schema
        assert [h.doc_id for h in search.search_all(project.conn, parse("ironclad"))] == [1, 2]
        assert project.conn.total_changes > changes


def _cache(project: Project) -> int:
    return project.conn.execute("PRAGMA cache_size").fetchone()[0]


@pytest.mark.parametrize("streamed", [False, True])
def test_an_import_has_the_larger_page_cache_and_gives_it_back_refused_or_not(tmp_path, monkeypatch, streamed):
    if streamed:
        stream_imports(monkeypatch)
    seen: list[int] = []
    populate = writing.populate

    def watched(conn, docs, user, source=""):  # type: ignore[no-untyped-def]
        seen.append(conn.execute("PRAGMA cache_size").fetchone()[0])
        return populate(conn, docs, user, source)

    monkeypatch.setattr(writing, "populate", watched)
    good = tmp_path / "good.jsonl"
    good.write_text("".join(f'{{"text": "statement {i} 👍"}}\n' for i in range(5)), encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": "also fine"}\n{"text": "and this"}\n{"text": 5}\n', encoding="utf-8")
    with Project.open(tmp_path / "p.sqlite", create=True, user="tester") as project:
        seen.clear()  # making the project populates it with nothing
        own = _cache(project)
        assert own != importing.IMPORT_CACHE_SIZE
        report = transfer.import_paths(project, [good])
        assert len(report.imported) == 5 and seen and set(seen) == {importing.IMPORT_CACHE_SIZE}
        assert _cache(project) == own
        seen.clear()
        report = transfer.import_paths(project, [bad])
        assert report.rejected and _cache(project) == own and len(project.documents().ids) == 5
        assert seen == ([importing.IMPORT_CACHE_SIZE] if streamed else [])  # a whole file is refused before it
        project.import_documents([IncomingDocument("one more", "more")])
        assert _cache(project) == own and len(project.documents().ids) == 6
