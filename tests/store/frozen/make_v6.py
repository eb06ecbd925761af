"""Rebuild ``v6.sqlite`` (run from the repository root: ``python -m tests.store.frozen.make_v6``).

v6.sqlite is v5.sqlite migrated to schema 6 (each statement's span revision, raised by triggers on every span
write, so a kept share of an agreement report is known stale), with one more span added and one removed, so
``span_revisions`` holds rows. Rebuild it only if schema 6 itself changes before it is released, never after: a
frozen file is a file users have.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from annotator.store import Project, schema

HERE = Path(__file__).parent


def main() -> None:
    assert schema.SCHEMA_VERSION == 6, "v6.sqlite is a schema 6 project"
    target = HERE / "v6.sqlite"
    target.unlink(missing_ok=True)
    shutil.copyfile(HERE / "v5.sqlite", target)
    with Project.open(target, user="frozen") as p:
        docs = p.documents()
        last = docs[-1].id
        text = p.document(last).text
        labels = [lb.key for lb in p.labels()]
        end = len(" ".join(text.split()[:3]))
        span = p.add_span(last, 0, end, labels[-1])
        p.add_span(last, 0, end, labels[0])
        p.delete_span(span.id)
        assert p.conn.execute("SELECT count(*) FROM span_revisions").fetchone()[0] > 0
        p.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        p.conn.execute("PRAGMA journal_mode = DELETE")


if __name__ == "__main__":
    main()
