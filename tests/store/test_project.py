import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.model import IncomingDocument, IncomingSpan, Label
from annotator.errors import AnnotatorError, ProjectFileError, ReadOnlyError
from annotator.store import Project, schema
from tests.helpers import content

FROZEN = Path(__file__).parent / "frozen"


@pytest.fixture
def project(tmp_path):
    docs = [IncomingDocument("The DPRK threatens 😀 peace.\nWe urge restraint.", "one"),
            IncomingDocument("Second statement.", "two")]
    with Project.open(tmp_path / "p.sqlite", create=True, user="ann", populate=docs) as p:
        yield p


def pragma(path, name):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def test_new_project_is_identified_versioned_wal_with_default_codebook(project):
    assert pragma(project.path, "application_id") == schema.APPLICATION_ID
    assert pragma(project.path, "user_version") == schema.SCHEMA_VERSION
    assert pragma(project.path, "journal_mode") == "wal"
    assert [(lb.key, lb.name, lb.shortcut) for lb in project.labels()] == [
        ("threat", "Threat", "1"), ("commitment", "Commitment", "2"), ("call_to_action", "Call to action", "3")]
    assert len({lb.color for lb in project.labels()}) == 3


def test_span_lifecycle_records_history_with_who_and_before_after(project):
    doc = project.documents()[0]
    span = project.add_span(doc.id, 4, 8, "threat")
    assert span.annotator == "ann" and span.created and span.updated
    assert project.document(doc.id).status == "in_progress"
    before, after = project.update_span(span.id, label="commitment", note="why")
    assert (before.label, after.label, after.note) == ("threat", "commitment", "why")
    project.delete_span(span.id)
    assert project.spans(doc.id) == []
    project.restore_spans([after])
    assert project.spans(doc.id) == [after]
    actions = [h["action"] for h in reversed(project.history())]
    assert actions[-4:] == ["add_span", "update_span", "delete_span", "restore_span"]
    assert all(h["actor"] == "ann" for h in project.history())


def test_history_is_append_only(project):
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        project.conn.execute("DELETE FROM history")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        project.conn.execute("UPDATE history SET actor = 'x'")


@pytest.mark.parametrize("bad", [(0, 0), (5, 3), (-1, 2), (0, 10_000)])
def test_invalid_span_is_refused_and_nothing_changes(project, bad):
    doc = project.documents()[0]
    before = content(project.path)
    with pytest.raises(AnnotatorError):
        project.add_span(doc.id, *bad, "threat")
    with pytest.raises(AnnotatorError, match="unknown label"):
        project.add_span(doc.id, 0, 3, "nope")
    assert content(project.path) == before


def test_failed_operation_rolls_back_whole(project, monkeypatch):
    doc = project.documents()[0]
    before = content(project.path)

    def boom(*args):
        raise RuntimeError("injected")

    monkeypatch.setattr(project, "_log", boom)
    with pytest.raises(RuntimeError):
        project.add_span(doc.id, 0, 3, "threat")
    assert content(project.path) == before
    assert not project.conn.in_transaction


def test_import_skips_same_text_and_adds_unknown_labels(project):
    docs = [IncomingDocument("Second statement.", "again"),
            IncomingDocument("New one here.", "new", spans=[IncomingSpan(0, 3, "Sanction", "bob")])]
    result = project.import_documents(docs)
    assert result["imported"] == ["new"] and result["duplicates"] == ["again"]
    assert result["new_labels"] == ["Sanction"]
    assert [lb.key for lb in project.labels()][-1] == "Sanction"
    assert project.import_documents(docs)["imported"] == []


def test_codebook_edit_and_delete_label_with_undo(project):
    doc = project.documents()[0]
    span = project.add_span(doc.id, 4, 8, "threat")
    labels = project.labels()
    edited = [Label("threat", "Menace", "9", "#123456", "d"), *labels[1:], Label("new", "New", "4", "#abcdef")]
    project.set_codebook(edited)
    assert project.labels() == edited
    with pytest.raises(AnnotatorError, match="in use"):
        project.set_codebook(labels[1:])
    before, removed = project.delete_label("threat", relabel_to="commitment")
    assert project.span(span.id).label == "commitment"
    project.restore_label(before, removed)
    assert project.labels() == edited and project.span(span.id) == span
    with pytest.raises(AnnotatorError, match="shortcut"):
        project.set_codebook([Label("a", "A", "1"), Label("b", "B", "1")])


def test_missing_project_is_not_created_unless_asked(tmp_path):
    with pytest.raises(ProjectFileError, match="no such project"):
        Project.open(tmp_path / "missing.sqlite")
    assert not (tmp_path / "missing.sqlite").exists()


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p.write_bytes(b"hello, not a database"), "not a SQLite database"),
        (lambda p: p.write_bytes(b""), "empty file"),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE t (x)").connection.commit(), "not an Annotator project"),
    ],
)
def test_foreign_files_are_refused_and_left_alone(tmp_path, make, message):
    path = tmp_path / "f.sqlite"
    make(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(ProjectFileError, match=message):
        Project.open(path, create=True)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_newer_schema_is_refused(project, tmp_path):
    path = project.path
    project.close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(ProjectFileError, match="newer Annotator"):
        Project.open(path)


@pytest.mark.parametrize("damage, message", [
    ('ALTER TABLE spans RENAME COLUMN id TO ie', "definition of table 'spans'(, .*)? was altered"),  # found by fuzzing
    ("DROP TABLE settings", "table 'settings' missing"),
    ("CREATE TRIGGER t AFTER INSERT ON spans BEGIN DELETE FROM spans; END", "a trigger 't' that Annotator did not"),
    ("CREATE VIEW v AS SELECT 1", "a view 'v'"),
    ("CREATE INDEX i ON documents(title)", "an index 'i'"),
])
def test_project_with_damaged_schema_is_refused_before_any_read(project, damage, message):
    path = project.path
    project.close()
    conn = sqlite3.connect(path)
    conn.execute(damage)
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ProjectFileError, match=message):
        Project.open(path)
    assert path.read_bytes() == before


def test_truncated_project_is_refused(project):
    path = project.path
    project.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ProjectFileError), Project.open(path) as p:
        p.documents()


def test_readonly_leaves_bytes_and_folder_untouched(tmp_path):
    path = tmp_path / "colleague.sqlite"
    with Project.open(path, create=True, populate=[IncomingDocument("x y z", "t")]) as p:
        p.add_span(1, 0, 1, "threat")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    listing = sorted(os.listdir(tmp_path))
    with Project.open(path, readonly=True) as p:
        assert len(p.spans(1)) == 1
        with pytest.raises(ReadOnlyError):
            p.add_span(1, 0, 1, "threat")
    assert sorted(os.listdir(tmp_path)) == listing
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_readonly_copy_includes_a_wal_left_beside_the_file(tmp_path):
    """A colleague's file sent together with its -wal (never checkpointed) still shows every change."""
    path = tmp_path / "c.sqlite"
    with Project.open(path, create=True, populate=[IncomingDocument("x y z", "t")]):
        pass
    code = (
        "import sqlite3, os\n"
        f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        "c.execute('PRAGMA wal_autocheckpoint=0')\n"
        "c.execute(\"INSERT INTO spans (doc_id,start,\\\"end\\\",label,created,updated) \"\n"
        "          \"VALUES (1,0,1,'threat','','')\")\n"
        "os._exit(0)\n"  # no close: the change stays in the -wal
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert Path(f"{path}-wal").exists()
    digest = hashlib.sha256(path.read_bytes() + Path(f"{path}-wal").read_bytes()).hexdigest()
    with Project.open(path, readonly=True) as p:
        assert len(p.spans(1)) == 1
    assert hashlib.sha256(path.read_bytes() + Path(f"{path}-wal").read_bytes()).hexdigest() == digest


def test_a_reader_beside_a_read_only_project_reads_its_very_bytes_from_another_thread(tmp_path):
    """``reader_beside`` (a read-only window's export in a thread): in place and immutable, or through the private
    copy a -wal beside the file asked for, it reads what the project reads, from any thread, writes nothing and
    leaves nothing beside the file; an editable project has no such reader (it has ``beside_window``)."""
    import threading

    path = tmp_path / "c.sqlite"
    with Project.open(path, create=True, populate=[IncomingDocument("x y z", "t")]) as p:
        p.add_span(1, 0, 1, "threat")
        with pytest.raises(AnnotatorError, match="read-only"):
            p.reader_beside()
    for wal in (False, True):
        if wal:  # a change left in a -wal, no -shm: read through a private copy
            code = (
                "import sqlite3, os\n"
                f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
                "c.execute('PRAGMA wal_autocheckpoint=0')\n"
                "c.execute(\"INSERT INTO spans (doc_id,start,\\\"end\\\",label,created,updated) \"\n"
                "          \"VALUES (1,2,3,'commitment','','')\")\n"
                "os._exit(0)\n"
            )
            subprocess.run([sys.executable, "-c", code], check=True)
            Path(f"{path}-shm").unlink()
        listing = sorted(os.listdir(tmp_path))
        with Project.open(path, readonly=True, trusted=True) as shown:
            assert (shown._workdir is not None) == wal
            reader = shown.reader_beside()
            got: list[object] = []
            worker = threading.Thread(target=lambda r=reader, g=got: g.append([(s.start, s.label) for s in r.spans(1)]))
            worker.start()
            worker.join()
            assert got == [[(s.start, s.label) for s in shown.spans(1)]] and len(got[0]) == 1 + wal
            with pytest.raises(ReadOnlyError):
                reader.add_span(1, 0, 1, "threat")
            reader.close()
        assert sorted(os.listdir(tmp_path)) == listing


def test_creation_is_atomic_no_partial_file_on_failure(tmp_path, monkeypatch):
    path = tmp_path / "new.sqlite"

    def boom(*a, **k):
        raise RuntimeError("killed")

    monkeypatch.setattr("annotator.store.writing.populate", boom)
    with pytest.raises(RuntimeError):
        Project.open(path, create=True)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("frozen", sorted(FROZEN.glob("v*.sqlite")), ids=lambda p: p.name)
def test_every_past_schema_opens_and_migrates(tmp_path, frozen):
    path = tmp_path / frozen.name
    shutil.copyfile(frozen, path)
    with Project.open(path) as p:
        docs = p.documents()
        assert len(docs) == 2
        spans = [s for d in docs for s in p.spans(d.id)]
        assert spans and spans[0].note == "a note ✓"
    assert pragma(path, "user_version") == schema.SCHEMA_VERSION
    # read-only opening of an old file never migrates it
    shutil.copyfile(frozen, path)
    with Project.open(path, readonly=True) as p:
        assert len(p.documents()) == 2
    assert path.read_bytes() == frozen.read_bytes()


def test_next_unfinished_and_progress(project):
    a, b = (d.id for d in project.documents())
    assert project.next_unfinished() == a
    project.set_status(a, "done")
    assert project.next_unfinished(a) == b
    assert project.progress() == (1, 2)
    project.set_status(b, "skipped")
    assert project.next_unfinished(b) is None


def test_second_connection_waits_not_corrupts(project):
    doc = project.documents()[0]
    with Project.open(project.path, user="other") as other:
        other.add_span(doc.id, 0, 3, "threat")
        project.add_span(doc.id, 4, 8, "commitment")
        assert len(other.spans(doc.id)) == 2
    assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
