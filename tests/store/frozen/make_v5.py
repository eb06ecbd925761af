"""Rebuild ``v5.sqlite`` (run from the repository root: ``python -m tests.store.frozen.make_v5``).

v5.sqlite is v4.sqlite migrated to schema 5 (where each statement's sentences start, and the label pairs counted per
statement, overlapping and in the same sentence), with two more spans of different labels overlapping in one
sentence, so its pair tables hold rows. Rebuild it only if schema 5 itself changes before it is released, never
after: a frozen file is a file users have.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from annotator.store import Project, schema

HERE = Path(__file__).parent


def main() -> None:
    assert schema.SCHEMA_VERSION == 5, "v5.sqlite is a schema 5 project"
    target = HERE / "v5.sqlite"
    target.unlink(missing_ok=True)
    shutil.copyfile(HERE / "v4.sqlite", target)
    with Project.open(target, user="frozen") as p:
        first = p.documents()[0].id
        text = p.document(first).text
        labels = [lb.key for lb in p.labels()]
        words = text.split()
        end = len(" ".join(words[:4]))
        p.add_span(first, 0, end, labels[0])
        p.add_span(first, len(words[0]) + 1, end, labels[1])
        assert p.conn.execute("SELECT count(*) FROM overlap_pairs").fetchone()[0] > 0
        p.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        p.conn.execute("PRAGMA journal_mode = DELETE")


if __name__ == "__main__":
    main()
