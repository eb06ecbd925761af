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
SCHEMA_VERSION = 3

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

# v3, listing a team's corpus (issue 14): the Documents list, its status filter and Ctrl+U read only these, never a
# row of ``documents`` itself -- a row holds its text, and ``length``/``sha256``/``status`` come after it, so reading
# them walks the text's overflow pages. ``documents_listing`` covers what a list row shows (ordered by id, so pages of
# the list are index seeks); ``document_span_counts`` holds each document's number of spans, kept by triggers on
# ``spans`` (a document without a row here has none), so a list does not count the spans of every document.
_V3_SCALE = [
    "CREATE INDEX documents_listing ON documents(id, title, status, length, sha256)",
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

# v3 is the sources team's statements and the ones above (joined at merge).
_V3 = [*_V3_SCALE]

#: MIGRATIONS[n] takes a database from version n-1 to version n
def _run(statements: list[str]) -> Callable[[sqlite3.Connection], None]:
    def step(conn: sqlite3.Connection) -> None:
        for sql in statements:
            conn.execute(sql)

    return step


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _run(_V1), 2: _run(_V2), 3: _run(_V3)}


@functools.cache
def columns(version: int) -> dict[str, frozenset[str]]:
    """Each table a project of schema ``version`` must hold, with its columns (from the migrations themselves).

    A file marked as a project whose tables or columns differ is damaged (a flipped byte in ``sqlite_master``
    passes ``quick_check``), and every read of it would fail later.
    """
    conn = sqlite3.connect(":memory:")
    try:
        for step in range(1, version + 1):
            MIGRATIONS[step](conn)
        return table_columns(conn)
    finally:
        conn.close()


def table_columns(conn: sqlite3.Connection) -> dict[str, frozenset[str]]:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: frozenset(r[0] for r in conn.execute("SELECT name FROM pragma_table_info(?)", (t,))) for t in tables}


def migrate(conn: sqlite3.Connection, current: int) -> None:
    """Bring the schema from ``current`` to :data:`SCHEMA_VERSION`; the caller holds the transaction."""
    for version in range(current + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[version](conn)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
