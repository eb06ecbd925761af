"""A project's counts (``annotator stats``, :meth:`Project.stats`): documents per status, spans per label, read by
two ``GROUP BY`` over the status and label indexes. Imports nothing of the store but its connection, so the
command reads them without importing what editing needs."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

from annotator.errors import ProjectFileError
from annotator.store import connection, readonly

#: every status, in the order listed: ``annotator.core.model.STATUSES`` (tests/store/test_stats.py holds them
#: equal), not imported from there: the model's classes are 12-25 ms of this 0.2 s command
STATUSES = ("todo", "in_progress", "done", "skipped")


def figures(conn: sqlite3.Connection) -> dict[str, Any]:
    """``{"documents", "status": {status: n}, "spans", "labels": {key: n}}``, every status and codebook label
    listed (0 when unused), labels in codebook order."""
    statuses = dict(conn.execute("SELECT status, count(*) FROM documents GROUP BY status").fetchall())
    counts = dict(conn.execute("SELECT label, count(*) FROM spans GROUP BY label").fetchall())
    keys = [key for (key,) in conn.execute("SELECT key FROM labels ORDER BY position, key")]
    return {
        "documents": sum(statuses.values()),
        "status": {s: int(statuses.get(s, 0)) for s in STATUSES},
        "spans": sum(counts.values()),
        "labels": {key: int(counts.get(key, 0)) for key in keys},
    }


def read(path: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """:func:`figures` of the project at ``path`` and its labels' names by key, read as ``Project.open(path,
    readonly=True, trusted=True)`` reads (the user's own project, perhaps open in a window: in place, one
    consistent snapshot, read again with SQLite's locks if a window wrote meanwhile)."""
    path = Path(path)
    for _attempt in (1, 2):
        if not path.exists():
            raise ProjectFileError(f"no such project: {path}")
        stamp = readonly.file_stamp(path)
        with connection.translated("open", path):
            conn, workdir, immutable = readonly.open_readonly(path, trusted=True)
        try:
            with connection.translated("read", path):
                try:
                    found = figures(conn)
                    names = dict(conn.execute("SELECT key, name FROM labels").fetchall())
                except (TypeError, ValueError, sqlite3.DatabaseError) as exc:  # as a Project read: damage named
                    damage = connection.diagnose(conn, path)
                    if damage is None:
                        raise
                    raise damage from exc
        finally:
            conn.close()
            if workdir is not None:
                shutil.rmtree(workdir, ignore_errors=True)
        if not immutable or readonly.file_stamp(path) == stamp:
            break
    return found, names
