"""Rebuild ``v3.sqlite`` (run from the repository root: ``python -m tests.store.frozen.make_v3``).

v3.sqlite is v2.sqlite migrated to schema 3, with two variables and one statement's values set, as a project of
that version holds them. Rebuild it only if schema 3 itself changes before it is released (e.g. when two branches'
``_V3`` statements are joined), never after: a frozen file is a file users have.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from annotator.core.variables import Variable
from annotator.store import Project, schema
from annotator.store import variables as sv

HERE = Path(__file__).parent


def main() -> None:
    assert schema.SCHEMA_VERSION == 3, "v3.sqlite is a schema 3 project"
    target = HERE / "v3.sqlite"
    target.unlink(missing_ok=True)
    shutil.copyfile(HERE / "v2.sqlite", target)
    with Project.open(target, user="frozen") as p:
        sv.add_variable(p, Variable("pages", "number"))
        sv.add_variable(p, Variable("joint", "bool"))
        first = p.documents()[0].id
        for name, value in (("date", "2023-10-26"), ("issuer", "U.S. Department of State"), ("pages", "2"),
                            ("joint", "yes")):
            sv.set_value(p, first, name, value)
        p.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        p.conn.execute("PRAGMA journal_mode = DELETE")


if __name__ == "__main__":
    main()
