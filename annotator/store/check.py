"""``annotator check PROJECT``: the whole-file checks that opening skips or does only in part.

``PRAGMA integrity_check`` (indexes against their tables, every page), the schema, the value types, and every
statement's stored SHA-256 and length against its text, every span inside its text and with a label of the
codebook. Each problem is one line; the project is opened read-only and never changed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from annotator.core.text import sha256_text
from annotator.errors import Cancelled, ProjectFileError
from annotator.store import beside, connection, overwrite, pair_counts, search_index, sentences, stamp
from annotator.store.project import Project

#: problems listed one by one; more are counted
MAX_PROBLEMS = 50


def check_project(path: str | Path) -> tuple[list[str], dict[str, int]]:
    """Every problem found (empty: the project is sound), and what was checked (documents, spans)."""
    path = Path(path)
    try:
        project = Project.open(path, readonly=True, trusted=True)
    except ProjectFileError as exc:
        return [exc.message], {"documents": 0, "spans": 0}
    problems: list[str] = []
    counted = {"documents": 0, "spans": 0}
    try:
        mixed = _mixed(path, project.conn)
        if mixed:
            return [mixed], counted
        with connection.translated("check", path):
            rows = project.conn.execute("PRAGMA integrity_check(100)").fetchall()
            problems += [f"integrity: {' '.join(str(r[0]).split())}" for r in rows if r[0] != "ok"]
            # values of the wrong type pass integrity_check (opening a large project no longer looks for them)
            problems += [f"damaged: {what}" for what, sql in connection._TYPE_CHECKS
                         if project.conn.execute(sql).fetchone()[0]]
            if not problems:  # the full-text index against the statements (FTS5's own 'integrity-check')
                problems += [p for p in [search_index.check_readonly(project.conn)] if p]
            if not problems:  # the co-occurrence counts the triggers keep, against a recount (schema v5)
                problems += [p for p in [_pair_counts_problem(project.conn)] if p]
            labels = {lb.key for lb in project.labels()}
            docs = project.conn.execute("SELECT id, title, text, length, sha256 FROM documents ORDER BY id")
            for doc_id, title, text, length, stored in docs:
                counted["documents"] += 1
                if sha256_text(text) != stored:
                    problems.append(f"statement {doc_id} ({title[:60]!r}): its text does not match its stored SHA-256 "
                                    "(the text or the hash was changed outside Annotator)")
                if len(text) != length:
                    problems.append(f"statement {doc_id} ({title[:60]!r}): stored length {length}, "
                                    f"text has {len(text)}")
                for span_id, start, end, label in project.conn.execute(
                        'SELECT id, start, "end", label FROM spans WHERE doc_id = ? ORDER BY id', (doc_id,)):
                    counted["spans"] += 1
                    if not 0 <= start < end <= len(text):
                        problems.append(f"span {span_id} of statement {doc_id}: {start}-{end} lies outside its text "
                                        f"({len(text)} characters)")
                    if label not in labels:
                        problems.append(f"span {span_id} of statement {doc_id}: label {label!r} is not in the codebook")
    except ProjectFileError as exc:
        problems.append(exc.message)
    finally:
        project.close()
    if len(problems) > MAX_PROBLEMS:
        problems = [*problems[:MAX_PROBLEMS], f"... and {len(problems) - MAX_PROBLEMS} more"]
    return problems, counted


def _mixed(path: Path, conn: sqlite3.Connection) -> str | None:
    """The file alone and the file with its ``-wal`` (what ``conn`` reads) are two projects: the file was copied
    over in place while a window had it open (``store/overwrite.py``). An older copy of the same project put there
    cannot be told from the files (the window that had it open can: it says so)."""
    try:
        alone = overwrite.main_stamp(path)
        with_log = stamp.read(conn)
    except (overwrite.Unreadable, sqlite3.Error, ProjectFileError):
        return None
    if alone is None or with_log is None or alone.project_id == with_log.project_id:
        return None
    return (f"{path.name} holds another project than its {path.name}-wal: the file was overwritten by another "
            "program while a window had it open. Read nothing from it as it is: close that window (it leaves the "
            "file as the other program wrote it), then restore a backup (annotator restore PROJECT) if the "
            "copy was a mistake")


def _pair_counts_problem(conn: sqlite3.Connection) -> str | None:
    pending = pair_counts.pending(conn)
    if pending:
        return (f"co-occurrence: {pending} statement(s) left waiting for their pair counts outside a transaction "
                "(the corpus views' co-occurrence may be wrong)")
    missing = sentences.uncut(conn)
    if missing:
        return (f"co-occurrence: {missing} statement(s) hold spans but not where their sentences start "
                "(the co-occurrence by sentence may be wrong)")
    off = {kind: n for kind, n in pair_counts.differing(conn).items() if n}
    if off:
        said = ", ".join(f"{n} statement(s) by {kind}" for kind, n in off.items())
        return f"co-occurrence: the kept pair counts differ from a recount for {said}"
    return None


def contents_problem(path: str | Path, cancelled: Callable[[], bool] | None = None) -> str | None:
    """What opening a large project no longer checks (``quick_check`` and the type checks, see
    ``connection.validate_on_open``), through a read-only connection of its own, so it can run in a background
    thread beside the window's writes: the problem in one line, or None when the file is sound (or the check was
    cancelled, or the file is gone)."""
    path = Path(path)
    try:
        conn = beside.connect(path, path.resolve().as_uri() + "?mode=ro",
                              opener=lambda uri: connection._connect(uri, uri=True))
    except (sqlite3.Error, ProjectFileError):  # gone, or replaced: the window's watch sees to that
        return None
    try:
        conn.execute("PRAGMA query_only = ON")
        with connection.translated("check", path), connection.bounded(conn, None, path, cancelled):
            connection.check_contents(conn, path)
    except Cancelled:
        return None
    except ProjectFileError as exc:
        return exc.message
    finally:
        conn.close()
    return None
