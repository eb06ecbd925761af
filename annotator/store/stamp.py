"""The project's stamp: who it is and how many writes it has seen, in two rows of ``settings``, so a ``-wal`` found
beside it can be told to be its own (``store/walcheck.py``).

SQLite applies any ``-wal`` whose header and checksums are valid, whatever database wrote it: nothing in the pair
says they belong together. So every project has an identity (``project_id``, random, set when it is made, or at its
first write by this version), and every write transaction counts itself (``write_seq``) in the same page. A journal
left by a crash continues the file: applied, it shows the same identity and a count at least the file's. Another
project's journal shows another identity (or none: it replaced the page with its own), an older journal of this
project a smaller count.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

#: at the end of every write transaction that changed a row (``connection.write_transaction``, a migration): one
#: page more per commit, 35-60 us more per label key (measured, interleaved, on the 1 M-character statement); a
#: project made before the stamp gets its identity at its first write
BUMP = ("INSERT INTO settings (key, value) VALUES ('write_seq', '1'), ('project_id', lower(hex(randomblob(16)))) "
        "ON CONFLICT (key) DO UPDATE SET value = CASE key WHEN 'write_seq' THEN CAST(value AS INTEGER) + 1 "
        "ELSE value END")


class Stamp(NamedTuple):
    project_id: str
    writes: int


def bump(conn: sqlite3.Connection) -> None:
    """Count this write transaction (call inside it)."""
    conn.execute(BUMP)


def read(conn: sqlite3.Connection) -> Stamp | None:
    """The stamp, or None for a project no version with the stamp has written (then nothing can be told by it)."""
    rows = dict(conn.execute("SELECT key, value FROM settings WHERE key IN ('project_id', 'write_seq')").fetchall())
    project_id = rows.get("project_id")
    if not isinstance(project_id, str):
        return None
    try:
        writes = int(rows.get("write_seq", 0))
    except (TypeError, ValueError):
        writes = -1  # a count that is not one: no journal can be told to continue it
    return Stamp(project_id, writes)


def continues(before: Stamp | None, after: Stamp | None) -> bool:
    """Whether the project as the file holds it (``before``) and with the ``-wal`` applied (``after``) can be one
    project's past and present: same identity, no fewer writes. A file without a stamp cannot tell (True)."""
    if before is None:
        return True
    return after is not None and after.project_id == before.project_id and after.writes >= before.writes >= 0
