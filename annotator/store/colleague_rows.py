"""A colleague's project read in place, on demand (``store/colleague.py`` holds the review's view of it): one
read-only connection with no function of the file's schema run with our privileges, a lock so one thread reads at
a time, the file's stamp checked as it is read (written meanwhile: refused), each text hashed again before its
stored hash is trusted, and each span checked against its statement."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from annotator import pacing
from annotator.core.text import sha256_text
from annotator.errors import AnnotatorError, ProjectFileError
from annotator.store import connection, readonly

#: problems listed one by one in a message; more are counted
MAX_LISTED = 20
#: a thread's own connection (the background walk) looks at the file's stamp at most this often (seconds)
STAMP_EVERY = 0.2
_SPAN_SQL = 'SELECT start, "end", label, annotator, note FROM spans WHERE doc_id = ? ORDER BY start, "end", label, id'

def connect_read_only(target: str) -> sqlite3.Connection:
    """A read-only connection usable from any thread (one at a time: :class:`Rows` holds a lock), with the
    pragmas of ``connection._connect``: no function of the file's schema runs with our privileges."""
    conn = sqlite3.connect(target, isolation_level=None, uri=target.startswith("file:"), check_same_thread=False,
                           timeout=connection.BUSY_TIMEOUT_MS / 1000)
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA query_only = ON")
    return conn


class Rows:
    """A colleague project's rows, read on demand through one connection (one thread at a time: a lock)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, target: str, workdir: Path | None,
                 stamp: tuple[object, ...] | None) -> None:
        self.path, self.conn, self.target, self.workdir, self.stamp = path, conn, target, workdir, stamp
        self.lock = threading.RLock()
        self._stamped = 0.0
        #: their ids whose text does not hash to the stored sha256 (damage or forgery): never aligned
        self.forged: set[int] = set()
        self.checked: set[int] = set()  # their ids whose text was hashed again and matched

    def connect(self) -> sqlite3.Connection:
        """A second connection to the same bytes, for another thread (the caller closes it)."""
        return connect_read_only(self.target)

    def read(self, sql: str, params: tuple[Any, ...] = (), conn: sqlite3.Connection | None = None) -> list[Any]:
        if self.stamp is not None and (conn is None or time.monotonic() - self._stamped > STAMP_EVERY):
            self._stamped = time.monotonic()
            self._check_stamp()
        with connection.translated("read", self.path):
            try:
                # read in a paced thread (annotator/pacing.py), a long list of rows hands the GIL over as it goes
                if conn is not None:
                    return list(pacing.rows(conn.execute(sql, params)))
                with self.lock:
                    return list(pacing.rows(self.conn.execute(sql, params)))
            except sqlite3.DatabaseError as exc:
                raise ProjectFileError(f"{self.path} is damaged ({exc}); nothing more of it is read") from None

    def _check_stamp(self) -> None:
        if readonly.file_stamp(self.path) != self.stamp:
            raise AnnotatorError(f"{self.path} was written while it was open for review (by its owner?): "
                                 "open it again to see it as it is now")

    def their_id(self, sha: str, conn: sqlite3.Connection | None = None) -> int | None:
        """Their document whose text has this SHA-256 (hashed again, not taken from the file), or None."""
        found = self.find(sha, conn)
        return found[0] if found is not None else None

    def find(self, sha: str, conn: sqlite3.Connection | None = None) -> tuple[int, int | None] | None:
        """(their id, the text's length when it was read to be hashed, else None) of the document whose text has
        this SHA-256, or None."""
        if not isinstance(sha, str):
            return None
        rows = self.read("SELECT id FROM documents WHERE sha256 = ?", (sha,), conn)
        if not rows or type(rows[0][0]) is not int or rows[0][0] in self.forged:
            return None
        doc_id = rows[0][0]
        if doc_id in self.checked:
            return doc_id, None
        (text,) = self.read("SELECT text FROM documents WHERE id = ?", (doc_id,), conn)[0]
        if not isinstance(text, str) or sha256_text(text) != sha:
            self.forged.add(doc_id)
            return None
        self.checked.add(doc_id)  # ints only, at most one per document: a few MB at 100 000
        return doc_id, len(text)

    def verify(self, found: list[tuple[int, str]], conn: sqlite3.Connection | None = None) -> None:
        """Hash again the texts of ``found`` (their id, stored sha256) not hashed yet, a batch at a time."""
        todo = [(i, s) for i, s in found if i not in self.checked and i not in self.forged]
        for n in range(0, len(todo), 256):
            batch = dict(todo[n : n + 256])
            marks = ",".join("?" * len(batch))
            pacing.pace()
            for doc_id, text in self.read(f"SELECT id, text FROM documents WHERE id IN ({marks})", tuple(batch), conn):
                ok = isinstance(text, str) and sha256_text(text) == batch[doc_id]
                (self.checked if ok else self.forged).add(doc_id)

    def spans(self, doc_id: int, conn: sqlite3.Connection | None = None, length: int | None = None,
              sql: str = _SPAN_SQL) -> list[tuple[Any, ...]]:
        """Their span rows of a document (``sql``: the fields, start and end first), checked against its text."""
        if length is None:
            length = self.read("SELECT length(text) FROM documents WHERE id = ?", (doc_id,), conn)[0][0]
        rows = self.read(sql, (doc_id,), conn)
        for row in rows:
            start, end, *rest = row
            if not (type(start) is int and type(end) is int and 0 <= start < end <= length
                    and all(isinstance(v, str) for v in rest)):
                raise AnnotatorError(f"{self.path} is damaged: a span ({start!r}-{end!r}) lies outside its "
                                     f"statement's text or has the wrong type; nothing more of it is read")
        return rows

    def close(self) -> None:
        with self.lock:
            self.conn.close()
        self.checked, self.forged = set(), set()
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None


def check_bounds(rows: Rows, conn: sqlite3.Connection | None = None) -> None:
    """Every span inside its statement (by the stored lengths; each document's read checks its real text)."""
    bad = rows.read(
        'SELECT g.doc_id, g.a, g.b FROM (SELECT doc_id, min(start) a, max("end") b, min("end" - start) w'
        " FROM spans GROUP BY doc_id) g LEFT JOIN documents AS d INDEXED BY documents_listing ON d.id = g.doc_id"
        " WHERE d.id IS NULL OR g.a < 0 OR g.w <= 0 OR g.b > d.length", conn=conn)
    if bad:
        raise AnnotatorError(
            f"{rows.path} is damaged: span(s) in {len(bad)} statement(s) lie outside their statement's text; "
            "nothing of it was opened", [f"statement {d}: spans from {a} to {b}" for d, a, b in bad[:MAX_LISTED]])
