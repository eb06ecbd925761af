"""The project's stamp (``store/stamp.py``): an identity set when a project is made, and a count of its writes,
so a ``-wal`` beside it can be told to continue it (``store/walcheck.py``)."""

import sqlite3

from annotator.core.model import IncomingDocument
from annotator.store import Project, stamp
from annotator.store.stamp import Stamp


def read(path):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return stamp.read(conn)
    finally:
        conn.close()


def test_a_project_is_stamped_when_made_and_every_write_counts(tmp_path):
    path = tmp_path / "p.sqlite"
    with Project.open(path, create=True, populate=[IncomingDocument("A statement here.", "s")]) as p:
        made = stamp.read(p.conn)
        assert made is not None and len(made.project_id) == 32
        doc = p.documents()[0].id
        span = p.add_span(doc, 0, 1, "threat")
        p.update_span(span.id, note="why")
        p.set_status(doc, "done")
        assert stamp.read(p.conn) == Stamp(made.project_id, made.writes + 3)
    other = tmp_path / "q.sqlite"
    Project.open(other, create=True).close()
    assert read(path).project_id != read(other).project_id


def test_a_project_made_before_the_stamp_gets_one_at_its_first_write(tmp_path):
    path = tmp_path / "p.sqlite"
    Project.open(path, create=True, populate=[IncomingDocument("A statement here.", "s")]).close()
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM settings WHERE key IN ('project_id', 'write_seq')")
    conn.commit()
    conn.close()
    assert read(path) is None
    with Project.open(path) as p:
        p.add_span(p.documents()[0].id, 0, 1, "threat")
    got = read(path)
    assert got is not None and got.writes == 1


def test_a_journal_continues_the_file_only_with_its_identity_and_no_fewer_writes():
    file = Stamp("a" * 32, 10)
    assert stamp.continues(file, Stamp("a" * 32, 12))
    assert stamp.continues(file, Stamp("a" * 32, 10)), "a journal already copied into the file changes nothing"
    assert not stamp.continues(file, Stamp("a" * 32, 9)), "an older journal of this project"
    assert not stamp.continues(file, Stamp("b" * 32, 12)), "another project's"
    assert not stamp.continues(file, None), "another project's page without a stamp"
    assert not stamp.continues(Stamp("a" * 32, -1), Stamp("a" * 32, 3)), "a count that is not one"
    assert stamp.continues(None, Stamp("b" * 32, 1)), "a file never stamped cannot tell (integrity_check decides)"
