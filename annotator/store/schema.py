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

# v3: document variables (DESIGN.md §2.6, annotator/store/variables.py). Every statement has a date (ISO 8601
# ``YYYY-MM-DD`` or empty), an issuer, a url and a memo (``note``); the project's own typed variables are defined in
# ``variables`` (in order, like the codebook) and a document's values are in ``document_values`` (no row: empty).
# A value is stored in its type (number: INTEGER/REAL, yes/no: 0/1, text and date: TEXT) so it sorts as it
# should. ``imports`` is each imported document's provenance.
_V3 = [
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
