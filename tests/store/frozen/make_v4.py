"""Rebuild ``v4.sqlite`` (run from the repository root: ``python -m tests.store.frozen.make_v4``).

v4.sqlite is v3.sqlite migrated to schema 4 (the search index, the corpus summaries, what suggestions remember),
with a memo set and one suggestion rejected, as a project of that version holds them. Rebuild it only if schema 4
itself changes before it is released, never after: a frozen file is a file users have.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from annotator.core.suggest.suggester import Suggestion
from annotator.store import Project, schema
from annotator.store import suggest as store_suggest
from annotator.store import variables as sv

HERE = Path(__file__).parent


def main() -> None:
    assert schema.SCHEMA_VERSION == 4, "v4.sqlite is a schema 4 project"
    target = HERE / "v4.sqlite"
    target.unlink(missing_ok=True)
    shutil.copyfile(HERE / "v3.sqlite", target)
    with Project.open(target, user="frozen") as p:
        first = p.documents()[0].id
        sv.set_value(p, first, "note", "memo: ironclad ✓")
        store_suggest.reject(p, [Suggestion(first, 0, 4, "threat", 0.9, "pattern:frozen")])
        p.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        p.conn.execute("PRAGMA journal_mode = DELETE")


if __name__ == "__main__":
    main()
