"""Schema of the project file and its migrations.

``PRAGMA application_id`` marks a file as an Annotator project; ``PRAGMA user_version`` is its schema version.
Each migration takes the schema from version N-1 to N inside the caller's transaction. A file whose version is
newer than :data:`SCHEMA_VERSION` is refused. ``tests/store/frozen/`` holds a database of every past version.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable

APPLICATION_ID = 0x414E4E54  # "ANNT"
SCHEMA_VERSION = 6

_V1 = [
    """CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        length INTEGER NOT NULL,  -- len(text) in code points, so span checks need not read the text
        sha256 TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'in_progress', 'done', 'skipped')),
        created TEXT NOT NULL,
        updated TEXT NOT NULL
    )""",
    """CREATE TABLE labels (
        key TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        shortcut TEXT NOT NULL DEFAULT '',
        color TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL
    )""",
    """CREATE TABLE spans (
        id INTEGER PRIMARY KEY,
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        label TEXT NOT NULL REFERENCES labels(key),
        annotator TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        origin TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL,
        updated TEXT NOT NULL,
        CHECK (0 <= start AND start < "end")
    )""",
    'CREATE INDEX spans_by_doc ON spans(doc_id, start, "end", label)',
    "CREATE INDEX spans_by_label ON spans(label)",
    """CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        doc_id INTEGER,
        span_id INTEGER,
        before TEXT,
        after TEXT
    )""",
    """CREATE TRIGGER history_append_only_update BEFORE UPDATE ON history
       BEGIN SELECT RAISE(ABORT, 'history is append-only'); END""",
    """CREATE TRIGGER history_append_only_delete BEFORE DELETE ON history
       BEGIN SELECT RAISE(ABORT, 'history is append-only'); END""",
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE INDEX documents_by_status ON documents(status)",
]

# v2: review decisions (annotator/store/review.py). A reviewer's "reject"/"keep mine" changes no span, so it
# is kept here to survive closing the app; an "accept" is recorded too, as the audit trail of the copy it made.
# ``item_key`` is the review item's content key (annotator/core/review.py), ``origin`` the colleague
# ("name@file") whose item it was; one decision per item and colleague.
_V2 = [
    """CREATE TABLE review_decisions (
        id INTEGER PRIMARY KEY,
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        item_key TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('accept', 'reject')),
        origin TEXT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        UNIQUE (doc_id, origin, item_key)
    )""",
]

# v3: document variables (DESIGN.md §2.6, annotator/store/variables.py). Every statement has a date (ISO 8601
# ``YYYY-MM-DD``, a month ``YYYY-MM`` or a year ``YYYY`` when the day is not known, or empty), an issuer, a url and a
# memo (``note``); the project's own typed variables are defined in ``variables`` (in order, like the codebook) and a
# document's values are in ``document_values`` (no row: empty). A value is stored in its type (number: INTEGER/REAL,
# yes/no: 0/1, text and date: TEXT) so it sorts as it should. ``imports`` is each imported document's provenance.
_V3_SOURCES = [
    "ALTER TABLE documents ADD COLUMN date TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE documents ADD COLUMN issuer TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE documents ADD COLUMN url TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE documents ADD COLUMN note TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX documents_by_date ON documents(date)",
    """CREATE TABLE variables (
        name TEXT PRIMARY KEY,
        type TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'bool')),
        position INTEGER NOT NULL
    )""",
    """CREATE TABLE document_values (
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        variable TEXT NOT NULL REFERENCES variables(name) ON DELETE CASCADE ON UPDATE CASCADE,
        value NOT NULL,
        PRIMARY KEY (doc_id, variable)
    )""",
    "CREATE INDEX document_values_by_variable ON document_values(variable, value)",
    """CREATE TABLE imports (
        doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        file_name TEXT NOT NULL,
        file_sha256 TEXT NOT NULL,
        extractor TEXT NOT NULL,
        extractor_version TEXT NOT NULL,
        imported TEXT NOT NULL
    )""",
]

# v3, listing a team's corpus (issue 14): the Documents list, its status filter and Ctrl+U read only these, never a
# row of ``documents`` itself -- a row holds its text, and ``length``/``sha256``/``status`` come after it, so reading
# them walks the text's overflow pages. ``documents_listing`` covers what a list row shows (ordered by id, so pages of
# the list are index seeks); ``document_span_counts`` holds each document's number of spans, kept by triggers on
# ``spans`` (a document without a row here has none), so a list does not count the spans of every document.
_V3_SCALE = [
    "CREATE INDEX documents_listing ON documents(id, title, status, length, sha256, date, issuer)",
    """CREATE TABLE document_span_counts (
        doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        spans INTEGER NOT NULL CHECK (spans >= 0)
    )""",
    """CREATE TRIGGER span_counts_insert AFTER INSERT ON spans BEGIN
        INSERT INTO document_span_counts (doc_id, spans) VALUES (NEW.doc_id, 1)
            ON CONFLICT (doc_id) DO UPDATE SET spans = spans + 1;
    END""",
    """CREATE TRIGGER span_counts_delete AFTER DELETE ON spans BEGIN
        UPDATE document_span_counts SET spans = spans - 1 WHERE doc_id = OLD.doc_id;
    END""",
    """CREATE TRIGGER span_counts_move AFTER UPDATE OF doc_id ON spans WHEN OLD.doc_id IS NOT NEW.doc_id BEGIN
        UPDATE document_span_counts SET spans = spans - 1 WHERE doc_id = OLD.doc_id;
        INSERT INTO document_span_counts (doc_id, spans) VALUES (NEW.doc_id, 1)
            ON CONFLICT (doc_id) DO UPDATE SET spans = spans + 1;
    END""",
    "INSERT INTO document_span_counts (doc_id, spans) SELECT doc_id, count(*) FROM spans GROUP BY doc_id",
]

# v3 = document variables, then the listing (whose index covers the date and issuer columns too)
_V3 = [*_V3_SOURCES, *_V3_SCALE]

# v4, search (issue 12, annotator/store/search.py): a full-text index of each statement's title, text and memo.
# External content (the text is stored once, in ``documents``); ``unicode61`` folds case across Unicode and, with
# ``remove_diacritics 2``, diacritics ("ÉVIAN" finds "évian"; the exact-diacritics option filters the hits after).
# Kept in step by the store in the writing transaction (``search_index.index_new`` on import, ``reindex`` when a
# memo changes), not by triggers: with ``trusted_schema=OFF`` SQLite refuses a trigger that writes to FTS5
# ("unsafe use of virtual table"). ``rebuild`` fills it for a project made before.
_V4_SEARCH = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, text, note, content='documents', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 2')",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]

# v4, the corpus at a glance (issue 12, annotator/store/corpus.py): a summary kept by triggers so that a label ×
# quarter table over 1 M spans reads a few hundred thousand small rows instead of joining every span to its
# statement. ``label_doc_counts``: each statement's number of spans per label
# (no row: none), with the statement's date and issuer (kept in step by a trigger on ``documents``), indexed by
# date so a label × date table is one ordered scan (a second index by issuer doubled the cost of adding a span).
# Adding a span is one upsert whose date and issuer come from the index
# ``documents_listing`` (never the row with the text): measured 2.5× cheaper per span than an UPDATE then an
# INSERT ... WHERE NOT EXISTS. Overlapping pairs are NOT kept: a table of them grows with the square of a dense
# statement's spans (10 000 spans on 50 000 characters: 1 M pairs, its import 0.9 s -> 115 s, a label key 5 -> 63 ms);
# co-occurrence by overlap is a range join on the covering index ``spans_by_doc`` instead (cooccurrence.py).
_COUNT_SPAN = """INSERT INTO label_doc_counts (doc_id, label, spans, date, issuer) VALUES (NEW.doc_id, NEW.label, 1,
            coalesce((SELECT date FROM documents INDEXED BY documents_listing WHERE id = NEW.doc_id), ''),
            coalesce((SELECT issuer FROM documents INDEXED BY documents_listing WHERE id = NEW.doc_id), ''))
            ON CONFLICT (doc_id, label) DO UPDATE SET spans = spans + 1;"""
_UNCOUNT_SPAN = """DELETE FROM label_doc_counts WHERE doc_id = OLD.doc_id AND label = OLD.label AND spans = 1;
        UPDATE label_doc_counts SET spans = spans - 1 WHERE doc_id = OLD.doc_id AND label = OLD.label AND spans > 1;"""
_V4_CORPUS = [
    """CREATE TABLE label_doc_counts (
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        spans INTEGER NOT NULL CHECK (spans > 0),
        date TEXT NOT NULL DEFAULT '',
        issuer TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (doc_id, label)
    ) WITHOUT ROWID""",
    "CREATE INDEX label_doc_counts_by_date ON label_doc_counts(date, label, issuer, spans)",
    f"""CREATE TRIGGER corpus_span_insert AFTER INSERT ON spans BEGIN
        {_COUNT_SPAN}
    END""",
    f"""CREATE TRIGGER corpus_span_delete AFTER DELETE ON spans BEGIN
        {_UNCOUNT_SPAN}
    END""",
    f"""CREATE TRIGGER corpus_span_relabel AFTER UPDATE OF label, doc_id ON spans
       WHEN OLD.label IS NOT NEW.label OR OLD.doc_id IS NOT NEW.doc_id BEGIN
        {_UNCOUNT_SPAN}
        {_COUNT_SPAN}
    END""",
    """CREATE TRIGGER corpus_document_fields AFTER UPDATE OF date, issuer ON documents
       WHEN OLD.date IS NOT NEW.date OR OLD.issuer IS NOT NEW.issuer BEGIN
        UPDATE label_doc_counts SET date = NEW.date, issuer = NEW.issuer WHERE doc_id = NEW.id;
    END""",
    """INSERT INTO label_doc_counts (doc_id, label, spans, date, issuer)
        SELECT s.doc_id, s.label, count(*), d.date, d.issuer FROM spans s JOIN documents d ON d.id = s.doc_id
        GROUP BY s.doc_id, s.label""",
]


# v4, suggestions (issue 13, annotator/store/suggest.py). A suggestion is never stored: it is computed from the
# codebook's cue patterns and a model trained on the spans. ``suggest_cues`` holds a label's cue patterns as JSON
# (no row: the default codebook's cues for that key); ``suggest_rejections`` the suggestions the analyst rejected,
# by document, extent and label, so they are not offered again.
_V4_SUGGEST = [
    """CREATE TABLE suggest_cues (
        label TEXT PRIMARY KEY,
        cues TEXT NOT NULL
    )""",
    """CREATE TABLE suggest_rejections (
        id INTEGER PRIMARY KEY,
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        label TEXT NOT NULL,
        source TEXT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        UNIQUE (doc_id, start, "end", label)
    )""",
]
# v4 = the search index, the corpus summaries, what suggestions remember
_V4 = [*_V4_SEARCH, *_V4_CORPUS, *_V4_SUGGEST]


# v5, co-occurrence kept as counts (issue 12, annotator/store/cooccurrence.py and sentences.py). Co-occurrence by
# overlap was a range join over 1 M spans (1-3 s) and by sentence a join reading the text between spans (39 s); both
# are now per-statement counts of co-occurring pairs by label pair, kept by triggers on ``spans``, so the labels ×
# labels table is a GROUP BY over a few hundred thousand small rows. A trigger finds a span's partners with a range
# seek in ``spans_by_doc``: for overlap the spans starting less than the statement's longest span before it
# (``span_reach``: only grows, so it stays a bound), for a sentence the spans starting between its sentence's start
# and the next one's. ``sentence_starts`` holds where each statement's sentences start (all but the first, which
# starts the text), as ``core.suggest.segment.sentences`` cuts it, for the statements that hold spans: written when
# a statement gets its first span, by every writer, before the insert (``sentences.ensure``; its text never
# changes), filled here for older projects by ``sentences.fill`` in batches. A span is in the sentence where
# it starts (one starting in the blank between two sentences is in the one before). An import (and this migration)
# counts its statements' pairs in bulk instead (``pairs_deferred``, ``store/pair_counts.py``).
_REACH = "(SELECT longest FROM span_reach WHERE doc_id = {R}.doc_id)"
_SENTENCE_START = ("coalesce((SELECT start FROM sentence_starts WHERE doc_id = {R}.doc_id AND start <= {R}.start"
                   " ORDER BY start DESC LIMIT 1), 0)")
_NEXT_SENTENCE = ("coalesce((SELECT start FROM sentence_starts WHERE doc_id = {R}.doc_id AND start > {R}.start"
                  " ORDER BY start LIMIT 1), 9223372036854775807)")
#: the other spans of {R}'s statement that co-occur with it, by mode (b: a span of spans_by_doc)
_PARTNERS = {
    "overlap": ('b.doc_id = {R}.doc_id AND b.start > {R}.start - coalesce(' + _REACH + ', {R}.start + 1)'
                ' AND b.start < {R}."end" AND b."end" > {R}.start AND b.id <> {R}.id'),
    "sentence": ("b.doc_id = {R}.doc_id AND b.start >= " + _SENTENCE_START + " AND b.start < " + _NEXT_SENTENCE
                 + " AND b.id <> {R}.id"),
}


def _count_pairs(mode: str, row: str) -> str:
    """Add the pairs the span ``row`` (NEW) makes with the others of its statement."""
    return (f"INSERT INTO {mode}_pairs (doc_id, x, y, pairs) SELECT {row}.doc_id, min({row}.label, b.label),"
            f" max({row}.label, b.label), count(*) FROM spans b INDEXED BY spans_by_doc"
            f" WHERE {_PARTNERS[mode].format(R=row)} GROUP BY 2, 3"
            " ON CONFLICT (doc_id, x, y) DO UPDATE SET pairs = pairs + excluded.pairs;")


def _uncount_pairs(mode: str, row: str) -> str:
    """Take away the pairs the span ``row`` (OLD) made with the others of its statement (an UPDATE of the few rows
    of its statement: nothing happens to a statement whose rows are already gone)."""
    other = f"CASE WHEN {mode}_pairs.x = {row}.label THEN {mode}_pairs.y ELSE {mode}_pairs.x END"
    return (f"UPDATE {mode}_pairs SET pairs = pairs - (SELECT count(*) FROM spans b INDEXED BY spans_by_doc"
            f" WHERE {_PARTNERS[mode].format(R=row)} AND b.label = {other})"
            f" WHERE doc_id = {row}.doc_id AND (x = {row}.label OR y = {row}.label);"
            f" DELETE FROM {mode}_pairs WHERE doc_id = {row}.doc_id AND pairs = 0;")


_REACH_SPAN = """INSERT INTO span_reach (doc_id, longest) VALUES (NEW.doc_id, NEW."end" - NEW.start)
            ON CONFLICT (doc_id) DO UPDATE SET longest = max(longest, excluded.longest);"""
#: a statement listed in ``pairs_deferred`` has its pairs counted in bulk at the end of the writing transaction
#: (``pair_counts.recount_deferred``): an import, where counting span by span costs the square of a dense
#: statement's spans (10 000 spans, one of them the whole text: 0.4 -> 13.6 s) and one range join costs its pairs
_COUNTED = "NOT EXISTS (SELECT 1 FROM pairs_deferred WHERE doc_id = {R}.doc_id)"
_V5_CORPUS: list[str | Callable[[sqlite3.Connection], None]] = [
    """CREATE TABLE sentence_starts (
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start INTEGER NOT NULL CHECK (start > 0),
        PRIMARY KEY (doc_id, start)
    ) WITHOUT ROWID""",
    """CREATE TABLE span_reach (
        doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        longest INTEGER NOT NULL CHECK (longest > 0)
    )""",
    *(f"""CREATE TABLE {mode}_pairs (
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        x TEXT NOT NULL,
        y TEXT NOT NULL,
        pairs INTEGER NOT NULL CHECK (pairs >= 0),
        PRIMARY KEY (doc_id, x, y),
        CHECK (x <= y)
    ) WITHOUT ROWID""" for mode in ("overlap", "sentence")),
    # empty outside a writing transaction (``annotator check`` says so if not)
    "CREATE TABLE pairs_deferred (doc_id INTEGER PRIMARY KEY)",
    f"""CREATE TRIGGER pairs_span_reach AFTER INSERT ON spans BEGIN
        {_REACH_SPAN}
    END""",
    f"""CREATE TRIGGER pairs_span_insert AFTER INSERT ON spans WHEN {_COUNTED.format(R="NEW")} BEGIN
        {_count_pairs("overlap", "NEW")}
        {_count_pairs("sentence", "NEW")}
    END""",
    f"""CREATE TRIGGER pairs_span_delete AFTER DELETE ON spans WHEN {_COUNTED.format(R="OLD")} BEGIN
        {_uncount_pairs("overlap", "OLD")}
        {_uncount_pairs("sentence", "OLD")}
    END""",
    f"""CREATE TRIGGER pairs_span_move AFTER UPDATE OF doc_id, start, "end", label ON spans
       WHEN (OLD.doc_id IS NOT NEW.doc_id OR OLD.start IS NOT NEW.start OR OLD."end" IS NOT NEW."end"
         OR OLD.label IS NOT NEW.label) AND {_COUNTED.format(R="OLD")} AND {_COUNTED.format(R="NEW")} BEGIN
        {_REACH_SPAN}
        {_uncount_pairs("overlap", "OLD")}
        {_uncount_pairs("sentence", "OLD")}
        {_count_pairs("overlap", "NEW")}
        {_count_pairs("sentence", "NEW")}
    END""",
    # an older project: where its statements' sentences start (Python's segmentation, in batches), then the counts
    lambda conn: _fill(conn),
    """INSERT INTO span_reach (doc_id, longest) SELECT doc_id, max("end" - start) FROM spans GROUP BY doc_id""",
]
_V5 = [*_V5_CORPUS]


# v6, the agreement report kept between reports (issue 14, annotator/store/report_entries.py): each statement's
# share of a report against a colleague is computed once (by the background comparison) and kept in memory with the
# statement's revision. ``span_revisions`` holds that revision: one more on every insert and delete of one of its
# spans and every change of a span's place or label (a note is no figure), by triggers, so whatever writes the spans
# (the window, an undo, an import, ``annotator`` on the command line in another process) makes the kept share stale
# and a report recomputes exactly those statements. A statement without a row has revision 0 (no span of it was
# written since this version): nothing to fill for older projects. Revisions only grow (no row is ever lowered or
# deleted, not even with its statement: an id used again goes on counting), so of two shares the later is known.
_BUMP = """INSERT INTO span_revisions (doc_id, revision) VALUES ({R}.doc_id, 1)
            ON CONFLICT (doc_id) DO UPDATE SET revision = revision + 1;"""
_V6_REPORT = [
    """CREATE TABLE span_revisions (
        doc_id INTEGER PRIMARY KEY,  -- no foreign key: a deleted statement's spans go first (and bump it)
        revision INTEGER NOT NULL CHECK (revision > 0)
    )""",
    f"""CREATE TRIGGER report_span_insert AFTER INSERT ON spans BEGIN
        {_BUMP.format(R="NEW")}
    END""",
    f"""CREATE TRIGGER report_span_delete AFTER DELETE ON spans BEGIN
        {_BUMP.format(R="OLD")}
    END""",
    f"""CREATE TRIGGER report_span_update AFTER UPDATE OF doc_id, start, "end", label ON spans
       WHEN OLD.doc_id IS NOT NEW.doc_id OR OLD.start IS NOT NEW.start OR OLD."end" IS NOT NEW."end"
         OR OLD.label IS NOT NEW.label BEGIN
        {_BUMP.format(R="OLD")}
        {_BUMP.format(R="NEW")}
    END""",
]
_V6 = [*_V6_REPORT]


def _fill(conn: sqlite3.Connection) -> None:
    """The v5 migration's filling of what an older project holds (imported here: it needs the segmentation)."""
    if conn.execute("SELECT NOT EXISTS (SELECT 1 FROM documents)").fetchone()[0]:
        # nothing to fill: :func:`expected_objects` migrates an empty database in every process that opens a
        # project, and the segmentation's import was 35 ms of ``annotator stats`` (0.2 s)
        return
    from annotator.store import pair_counts, sentences

    sentences.fill(conn)
    pair_counts.recount_all(conn)


#: MIGRATIONS[n] takes a database from version n-1 to version n
_Step = Callable[[sqlite3.Connection], None]


def _run(statements: list[str] | list[str | _Step]) -> _Step:
    def step(conn: sqlite3.Connection) -> None:
        for sql in statements:
            if callable(sql):  # a step SQL alone cannot do (filling a new table from Python)
                sql(conn)
            else:
                conn.execute(sql)

    return step


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _run(_V1), 2: _run(_V2), 3: _run(_V3)}
MIGRATIONS[4] = _run(_V4)
MIGRATIONS[5] = _run(_V5)
MIGRATIONS[6] = _run(_V6)


def migrate(conn: sqlite3.Connection, current: int) -> None:
    """Bring the schema from ``current`` to :data:`SCHEMA_VERSION`; the caller holds the transaction."""
    for version in range(current + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[version](conn)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


# -- the exact schema ----------------------------------------------------------------------------------------------

#: (type, name, table, sql with whitespace collapsed) of one object in ``sqlite_master``
SchemaObject = tuple[str, str, str, str]

#: tables SQLite itself may add to any database (ANALYZE, PRAGMA optimize); their SQL is SQLite's own
_SQLITE_OWN = frozenset({
    ("table", "sqlite_stat1", "sqlite_stat1", "CREATE TABLE sqlite_stat1(tbl,idx,stat)"),
    ("table", "sqlite_stat4", "sqlite_stat4", "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)"),
})


def objects(conn: sqlite3.Connection) -> frozenset[SchemaObject]:
    """Every table, index, trigger and view of a database, as :data:`SchemaObject` tuples."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    return frozenset((str(t), str(n), str(tb), " ".join(str(sql or "").split())) for t, n, tb, sql in rows)


@functools.cache
def expected_objects(version: int) -> frozenset[SchemaObject]:
    """What ``sqlite_master`` of a project of schema ``version`` holds: what the migrations create, nothing else."""
    conn = sqlite3.connect(":memory:")
    try:
        for step in range(1, version + 1):
            MIGRATIONS[step](conn)
        return objects(conn)
    finally:
        conn.close()


def difference(found: frozenset[SchemaObject], expected: frozenset[SchemaObject]) -> str | None:
    """A short description of how ``found`` differs from ``expected`` (None if it does not)."""
    extra = sorted(found - expected - _SQLITE_OWN)
    missing = sorted(expected - found)
    if not extra and not missing:
        return None
    missing_names = {(o[0], o[1]) for o in missing}
    changed = [o for o in extra if (o[0], o[1]) in missing_names]
    foreign = [o for o in extra if (o[0], o[1]) not in missing_names]
    gone = [o for o in missing if (o[0], o[1]) not in {(x[0], x[1]) for x in extra}]
    parts = []
    if foreign:
        parts.append("it holds " + ", ".join(f"{'an' if t == 'index' else 'a'} {t} {n!r}" for t, n, _, _ in foreign[:3])
                     + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "") + " that Annotator did not make")
    if changed:
        parts.append("the definition of " + ", ".join(f"{t} {n!r}" for t, n, _, _ in changed[:3]) + " was altered")
    if gone:
        parts.append(", ".join(f"{t} {n!r}" for t, n, _, _ in gone[:3]) + " missing")
    return "; ".join(parts)
