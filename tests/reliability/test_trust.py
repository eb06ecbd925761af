"""Issue #9: nothing loses a project — file dialogs, outside commands, foreign files, hostile colleague files.

Each test does what an analyst or a colleague's file does, and fails on the code before the fix.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator import cli
from annotator.core.model import IncomingDocument, IncomingSpan
from annotator.errors import AnnotatorError, Cancelled, ProjectFileError
from annotator.store import Project, connection, locks
from annotator.store.review import ColleagueFile

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
TEXTS = [
    "We strongly condemn the launches and urge restraint by every party in the region today.",
    "The allies reaffirm their ironclad commitment to deterrence and to peace on the peninsula.",
    "Partners call on Russia to cease its attacks and to respect sovereignty without delay.",
]


def make(path: Path, texts=TEXTS, spans: int = 1) -> Path:
    docs = [IncomingDocument(t, f"s{i}", spans=[IncomingSpan(3, 11, "threat", "seed", "")][:spans])
            for i, t in enumerate(texts)]
    Project.open(path, create=True, populate=docs).close()
    return path


def digest(*files: Path) -> str:
    h = hashlib.sha256()
    for f in files:
        h.update(f.read_bytes() if f.exists() else b"<absent>")
    return h.hexdigest()


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def run_cli(*argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "annotator", *argv], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def one_clear_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert lines and lines[0].startswith("annotator: "), result.stderr
    return result.stderr


def spans_in(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM spans").fetchone()[0]
    finally:
        conn.close()


# -- 1. the analyst's afternoon -------------------------------------------------------------------------------------


class Window:
    """The real window in a child process (afternoon_child.py), driven line by line."""

    def __init__(self, project: Path, data_dir: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "ANNOTATOR_DATA_DIR": str(data_dir),
               "QT_QPA_PLATFORM": "offscreen"}
        self.proc = subprocess.Popen([sys.executable, str(HERE / "afternoon_child.py"), str(project)], cwd=ROOT,
                                     env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.read() == "ready"

    def read(self) -> str:
        line = self.proc.stdout.readline()
        assert line, "the window died"
        return line.strip()

    def ask(self, command: str) -> str:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self.read()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(10)
        self.proc.stdin.close()
        self.proc.stdout.close()


def window_holds_locks(project: Path, pid: int) -> bool:
    """From another process: the window still holds SQLite's shared lock (F_GETLK on the SHARED range finds it,
    and /proc/locks lists it for that pid)."""
    import fcntl
    import struct

    fd = os.open(project, os.O_RDONLY)  # this test process has no SQLite connection to the project
    try:
        request = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, 0x40000002, 510, 0)
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, request)
    finally:
        os.close(fd)
    kind, _, _, _, holder = struct.unpack("hhqqi4x", answer)
    return kind != fcntl.F_UNLCK and locks.held_by(project, pid) is True


@pytest.mark.slow
def test_afternoon_of_dialogs_and_commands_loses_nothing(tmp_path):
    """Dialogs on the project's folder, a CLI export, labels, Ctrl+Enter, a CLI import, kill: nothing lost."""
    folder = tmp_path / "data"
    folder.mkdir()
    project = make(folder / "annotator.sqlite", spans=0)
    window = Window(project, folder)
    try:
        pid = int(window.ask("pid").split()[1])
        assert window_holds_locks(project, pid)
        seen = int(window.ask("dialogs").split()[1])
        assert seen >= 6  # import files, import folder, open, new, export browse, codebook, colleague
        assert window_holds_locks(project, pid), "a file dialog dropped the window's SQLite locks"
        assert window.ask("label") == "ack 1"
        exported = run_cli("export", str(project), "-o", str(tmp_path / "x.jsonl"))
        assert exported.returncode == 0, exported.stderr
        assert window.ask("label") == "ack 2"
        done_id = int(window.ask("done").split()[1])
        statement = tmp_path / "new.txt"
        statement.write_text("A new statement the analyst imports from a terminal, with its own words.")
        imported = run_cli("import", str(project), str(statement), env={"ANNOTATOR_DATA_DIR": str(folder)})
        assert imported.returncode == 0, imported.stderr
        assert window.ask("label").startswith("ack")
    finally:
        window.kill()
    with Project.open(project, readonly=True, trusted=True) as p:
        docs = p.documents()
        assert len(docs) == 4  # the CLI import landed
        assert next(d for d in docs if d.id == done_id).status == "done"
        assert sum(len(p.spans(d.id)) for d in docs) == 3  # every acknowledged span
        assert p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_command_will_not_write_beside_a_window_that_lost_its_locks(tmp_path, monkeypatch):
    """If a window ever lost its locks anyway, `annotator import` refuses instead of deleting its -wal."""
    folder = tmp_path / "data"
    folder.mkdir()
    project = make(folder / "p.sqlite")
    window = Window(project, folder)
    try:
        pid = int(window.ask("pid").split()[1])
        monkeypatch.setattr(locks, "holders", lambda path: {pid + 1})  # the window's locks are gone
        monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(folder))
        statement = tmp_path / "new.txt"
        statement.write_text("Another statement.")
        before = digest(project, Path(f"{project}-wal"))
        assert cli.main(["import", str(project), str(statement)]) == 1
        assert digest(project, Path(f"{project}-wal")) == before
    finally:
        window.kill()


def test_own_project_as_colleague_file_or_import_keeps_the_locks(qtbot, tmp_path, monkeypatch):
    """Picking my own project (or its -wal/-shm) as a colleague file or as a file to import is refused by inode,
    without reading it: the window keeps its locks."""
    import annotator.ui.files as files_ui
    import annotator.ui.review.controller as review_ui
    from annotator.ui import app as app_module

    project = make(tmp_path / "mine.sqlite")
    link = tmp_path / "link.sqlite"
    os.link(project, link)  # the same file under another name
    window = app_module.create_window(project, ask_name=False)
    qtbot.addWidget(window)
    shown: list[str] = []
    reports: list = []
    monkeypatch.setattr(review_ui, "error", lambda _p, _t, message: shown.append(message))
    monkeypatch.setattr(files_ui, "show_import_report", lambda _w, report: reports.append(report))
    try:
        candidates = [p for p in (project, link, Path(f"{project}-wal"), Path(f"{project}-shm")) if p.exists()]
        assert len(candidates) == 4
        for candidate in candidates:
            assert window.review.open_paths([candidate]) == 0
        window.files.import_paths(candidates)
        assert len(shown) == 4 and all("own project" in m for m in shown)
        assert [len(r.rejected) for r in reports] == [4]
        assert all("open in this window" in reason[0] for _, reason in reports[0].rejected)
        assert locks.held_by(project, os.getpid()) is True
    finally:
        window.close()


# -- 2. a foreign -wal beside the project --------------------------------------------------------------------------


def foreign_wal_beside(project: Path, tmp_path: Path) -> Path:
    """A valid, uncheckpointed WAL of another database, copied beside the project (a synced folder)."""
    other = tmp_path / "other" / "other.sqlite"
    other.parent.mkdir()
    code = (
        "import sqlite3, os, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA journal_mode=WAL'); c.execute('PRAGMA wal_autocheckpoint=0')\n"
        "c.execute('CREATE TABLE t (x)')\n"
        "c.execute('BEGIN'); [c.execute('INSERT INTO t VALUES (?)', ('x' * 500,)) for _ in range(60)]\n"
        "c.execute('COMMIT'); os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(other)], check=True)
    wal = Path(f"{project}-wal")
    shutil.copyfile(f"{other}-wal", wal)
    return wal


def test_foreign_wal_is_never_applied(tmp_path):
    project = make(tmp_path / "p.sqlite")
    wal = foreign_wal_beside(project, tmp_path)
    before = digest(project, wal)
    statement = tmp_path / "s.txt"
    statement.write_text("A statement.")
    for argv in (["export", str(project)], ["import", str(project), str(statement)], ["stats", str(project)],
                 ["check", str(project)], ["agree", str(project), str(project)]):
        message = one_clear_line(run_cli(*argv))
        assert "-wal" in message, (argv, message)
        assert digest(project, wal) == before, argv
    for readonly in (False, True):
        with pytest.raises(ProjectFileError, match="not this project's journal"):
            Project.open(project, readonly=readonly)
    assert digest(project, wal) == before
    wal.unlink()  # moved away, as the message says: the project opens as it was
    with Project.open(project) as p:
        assert len(p.documents()) == 3


def crash_wal(project: Path, code: str) -> Path:
    """The ``-wal`` a process leaves when it is killed after running ``code`` on ``p`` (the project, open)."""
    script = ("import sys, os\nfrom annotator.store import Project\n"
              f"p = Project.open(sys.argv[1])\n{code}\nos._exit(0)\n")
    subprocess.run([sys.executable, "-c", script, str(project)], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert connection.wal_pending(project)
    return Path(f"{project}-wal")


def refused_everywhere(project: Path, wal: Path, tmp_path: Path) -> None:
    """Every command, every open and a colleague's review refuse ``project`` with ``wal`` beside it, and leave both
    as they were."""
    before = digest(project, wal)
    statement = tmp_path / "s.txt"
    statement.write_text("A statement.")
    good = make(tmp_path / "good" / "good.sqlite")
    for argv in (["export", str(project)], ["import", str(project), str(statement)], ["stats", str(project)],
                 ["check", str(project)], ["agree", str(project), str(good)], ["agree", str(good), str(project)]):
        message = one_clear_line(run_cli(*argv))
        assert "not this project's journal" in message, (argv, message)
        assert digest(project, wal) == before, argv
    for readonly in (False, True):
        with pytest.raises(ProjectFileError, match="not this project's journal"):
            Project.open(project, readonly=readonly)
    with pytest.raises(ProjectFileError, match="not this project's journal"):
        ColleagueFile.load(project)
    assert digest(project, wal) == before


def test_another_projects_wal_is_never_applied(tmp_path):
    """A -wal of another Annotator project has a valid header and our schema, and quick_check passes the mix: its
    pages replaced some of the project's, whose indexes then missed its rows (a helper's attack with brat's news
    corpus: the import exited 0, agree compared the other project's statements)."""
    project = make(tmp_path / "p.sqlite")
    other = make(tmp_path / "other" / "p.sqlite", texts=[f"Another statement number {i}." for i in range(12)])
    wal = crash_wal(other, "p.import_documents([__import__('annotator.core.model', fromlist=['x'])"
                           ".IncomingDocument('HACKED BY WAL ' * 40, 'hacked')])\np.add_span(2, 0, 7, 'threat')")
    shutil.copyfile(wal, f"{project}-wal")
    refused_everywhere(project, Path(f"{project}-wal"), tmp_path)
    Path(f"{project}-wal").unlink()  # moved away, as the message says: the project opens as it was
    with Project.open(project) as p:
        assert [d.title for d in p.documents()] == ["s0", "s1", "s2"]


def test_a_project_made_before_the_stamp_refuses_a_wal_that_breaks_it(tmp_path):
    """Without a stamp to compare, the copy with the -wal applied must be whole: here another project's journal makes
    the mix "malformed" (the helper's attack on such a project exited 0, and `check` then found 12 index errors)."""
    project = make(tmp_path / "p.sqlite",
                   texts=[f"Statement {i}. " + "Words of the statement. " * (20 + i * 7) for i in range(30)])
    conn = sqlite3.connect(project)
    conn.execute("DELETE FROM settings WHERE key IN ('project_id', 'write_seq')")  # as before the stamp
    conn.commit()
    conn.close()
    other = make(tmp_path / "other" / "p.sqlite", texts=["Short one.", "Short two."])
    wal = crash_wal(other, "p.import_documents([__import__('annotator.core.model', fromlist=['x'])"
                           ".IncomingDocument('HACKED ' * 50, f'h{i}') for i in range(3)])")
    shutil.copyfile(wal, f"{project}-wal")
    refused_everywhere(project, Path(f"{project}-wal"), tmp_path)


def test_a_stale_wal_of_the_same_project_is_never_applied(tmp_path):
    """The project's own -wal from earlier (a crash), put back beside the file after the project moved on (a synced
    folder brings the old pair back): its pages are older than the file's."""
    project = make(tmp_path / "p.sqlite")
    stale = tmp_path / "stale-wal"
    shutil.copyfile(crash_wal(project, "[p.add_span(d.id, 0, 2, 'threat') for d in p.documents()]"), stale)
    with Project.open(project) as p:  # applies it (a crash's -wal), then moves on
        p.import_documents([IncomingDocument(f"Later statement {i}. " * 30, f"later {i}") for i in range(40)])
        for d in p.documents():
            p.add_span(d.id, 0, 5, "commitment")
    shutil.copyfile(stale, f"{project}-wal")
    refused_everywhere(project, Path(f"{project}-wal"), tmp_path)


def test_a_wal_left_by_a_crash_is_still_applied(tmp_path):
    project = make(tmp_path / "p.sqlite")
    crash_wal(project, "p.add_span(1, 0, 2, 'threat')")
    assert run_cli("export", str(project)).returncode == 0
    with Project.open(project) as p:
        assert len(p.spans(1)) == 2


def test_a_wal_that_vanishes_while_it_is_checked_was_folded_in(tmp_path, monkeypatch):
    """Another process closing the project checkpoints and deletes its -wal between our look (a -wal with frames, no
    locks) and our copy of it (seen in CI: six `annotator import` racing to create one project, one failed with
    "No such file or directory (...-wal)"). A -wal gone by then has been folded into the project: the open goes on."""
    project = make(tmp_path / "p.sqlite")
    monkeypatch.setattr(connection, "wal_pending", lambda path: True)  # it was there when we looked
    assert not Path(f"{project}-wal").exists()  # and is gone when we copy it
    with Project.open(project) as p:
        p.add_span(1, 0, 2, "threat")
        assert len(p.spans(1)) == 2


# -- 3. an export never replaces a project -------------------------------------------------------------------------


def test_export_never_replaces_a_project(tmp_path):
    project = make(tmp_path / "p.sqlite")
    other = make(tmp_path / "other.sqlite")
    before = digest(project, other)
    for target in (project, Path(f"{project}-wal"), other):
        message = one_clear_line(run_cli("export", str(project), "-o", str(target)))
        assert "choose another file" in message
    assert digest(project, other) == before
    with Project.open(project) as p, pytest.raises(AnnotatorError, match="project being exported"):
        from annotator.store.transfer import export_project

        export_project(p, "jsonl", p.path)


# -- 4. -wal and -shm deleted while the project is open ------------------------------------------------------------


def test_deleted_wal_and_shm_are_recovered_before_the_next_write(tmp_path):
    project = make(tmp_path / "p.sqlite", spans=0)
    p = Project.open(project)
    try:
        p.add_span(1, 0, 2, "threat")
        p.set_status(1, "done")
        for suffix in ("-wal", "-shm"):
            os.unlink(f"{project}{suffix}")
        p.add_span(2, 0, 3, "commitment")  # noticed, recovered, then written
        assert p.recovered and "deleted" in p.recovered
    finally:
        p.close()
    with Project.open(project, readonly=True) as q:
        assert [len(q.spans(i)) for i in (1, 2)] == [1, 1]
        assert q.document(1).status == "done"


def test_log_files_deleted_again_after_a_recovery_are_noticed_again(tmp_path):
    """The recovered connection's ``-wal`` and ``-shm`` did not exist yet when its watch looked, so a second
    deletion went unnoticed and the writes after it were lost at close."""
    project = make(tmp_path / "p.sqlite", spans=0)
    p = Project.open(project)
    try:
        for round_ in range(2):
            p.add_span(1, round_, round_ + 2, "threat")
            for suffix in ("-wal", "-shm"):
                os.unlink(f"{project}{suffix}")
            p.recovered = None
            p.add_span(2, round_, round_ + 3, "commitment")  # noticed, recovered, then written
            assert p.recovered and "deleted" in p.recovered, round_
    finally:
        p.close()
    with Project.open(project, readonly=True) as q:
        assert [len(q.spans(i)) for i in (1, 2)] == [2, 2]


def test_a_project_file_replaced_under_the_window_is_not_opened_again_beside_it(tmp_path):
    """A sync client puts another copy in the project's place while the window edits it. A search, the report, a
    backup or the whole-file check opened a second connection by name: onto the stranger, with the window's
    ``-shm`` (SQLite shares it within a process by inode), and closing it dropped the window's locks on the
    ``-shm`` (measured: held before, not after). Now each is refused with one line, the locks stay, and the
    window's next write recovers every saved change."""
    from annotator.store import backups, search
    from annotator.store.check import contents_problem
    from annotator.store.editlock import open_for_editing
    from annotator.store.review_report import reader

    path, other = tmp_path / "p.sqlite", make(tmp_path / "other.sqlite")
    window = open_for_editing(path, "kim", create=True,
                              populate=[IncomingDocument(t, f"s{i}") for i, t in enumerate(TEXTS)])
    try:
        for i in range(3):
            window.add_span(1, i, i + 2, "threat")
        shm = f"{path}-shm"
        assert locks.held_by(shm, os.getpid())
        shutil.copyfile(other, tmp_path / "incoming")
        os.replace(tmp_path / "incoming", path)
        for second in (lambda: search.reader(path), lambda: reader(window),
                       lambda: backups.backup_in_own_connection(path, "manual")):
            with pytest.raises(ProjectFileError, match="replaced by another program"):
                second()
            assert locks.held_by(shm, os.getpid())
        assert contents_problem(path) is None  # cannot tell now; the window's watch sees to it
        assert locks.held_by(shm, os.getpid())
        window.add_span(2, 0, 3, "commitment")
        assert window.recovered and "replaced" in window.recovered
    finally:
        window.close()
    with Project.open(path, readonly=True) as q:
        assert [len(q.spans(i)) for i in (1, 2)] == [3, 1]


def test_window_notices_a_deleted_wal_and_says_nothing_was_lost(qtbot, tmp_path):
    from annotator.ui import app as app_module

    project = make(tmp_path / "p.sqlite", spans=0)
    window = app_module.create_window(project, ask_name=False)
    qtbot.addWidget(window)
    try:
        window.session.project.add_span(1, 0, 2, "threat")
        os.unlink(f"{project}-wal")
        assert "deleted" in (window.file_watch.check() or "")
        assert "recovered" in window.statusBar().currentMessage()
        assert window.file_watch.box is not None and window.file_watch.box.isVisible()
        window.file_watch.box.close()
    finally:
        window.close()
    assert spans_in(project) == 1


def test_window_tells_a_project_renamed_from_one_deleted(qtbot, tmp_path):
    """Trial 17, F4: the project file renamed by another program (its log left behind) was reported as deleted,
    with its name said twice ("p.sqlite: p.sqlite was deleted by another program")."""
    from annotator.ui import app as app_module

    project = make(tmp_path / "p.sqlite", spans=0)
    window = app_module.create_window(project, ask_name=False)
    qtbot.addWidget(window)
    try:
        window.session.project.add_span(1, 0, 2, "threat")
        os.rename(project, tmp_path / "renamed.sqlite")
        said = window.file_watch.check() or ""
        assert said.startswith(f"p.sqlite was renamed or moved to {tmp_path / 'renamed.sqlite'} by another program")
        bar = window.statusBar().currentMessage()
        assert bar.startswith("p.sqlite was renamed") and bar.count("p.sqlite") == 1 and "recovered" in bar
        window.file_watch.box.close()
        window.session.project.add_span(1, 3, 5, "threat")
    finally:
        window.close()
    assert spans_in(project) == 2


# -- 5. and 11. only our schema; one clear line for every hostile file ---------------------------------------------


HOSTILE = {
    "trigger": "CREATE TRIGGER rename AFTER INSERT ON spans BEGIN UPDATE documents SET title = 'x'; "
               "DELETE FROM spans; END",
    "view": "CREATE VIEW v AS SELECT * FROM spans",
    "virtual table": "CREATE VIRTUAL TABLE search USING fts5(x)",
    "looping trigger": "CREATE TRIGGER loop AFTER UPDATE ON documents BEGIN UPDATE documents SET updated = "
                       "updated || 'x' WHERE id = NEW.id; END",
    "load_extension": "CREATE TRIGGER ext AFTER INSERT ON spans BEGIN SELECT load_extension('/tmp/x'); END",
    "user_version 0": "PRAGMA user_version = 0",
    "user_version -1": "PRAGMA user_version = -1",
    "v1 with an extra table": "PRAGMA user_version = 1",
    "extra table": "CREATE TABLE extra (x)",
    "check constraint": "CREATE TABLE slow (x CHECK (length(x) > 0))",
}


def hostile(tmp_path: Path, what: str) -> Path:
    project = make(tmp_path / f"{what.replace(' ', '_')}.sqlite")
    conn = sqlite3.connect(project)
    conn.execute(HOSTILE[what])
    conn.commit()
    conn.close()
    return project


@pytest.mark.parametrize("what", sorted(HOSTILE))
def test_a_hostile_schema_is_refused_by_every_reader_and_writer(tmp_path, what):
    project = hostile(tmp_path, what)
    before = digest(project)
    statement = tmp_path / "s.txt"
    statement.write_text("A statement.")
    for argv in (["import", str(project), str(statement)], ["export", str(project)], ["stats", str(project)],
                 ["agree", str(project), str(project)], ["check", str(project)]):
        one_clear_line(run_cli(*argv))
        assert digest(project) == before, argv
    with pytest.raises(AnnotatorError):
        ColleagueFile.load(project)
    assert digest(project) == before


def test_unknown_collation_and_virtual_labels_give_one_line(tmp_path):
    project = make(tmp_path / "p.sqlite")
    conn = sqlite3.connect(project)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, 'key TEXT PRIMARY KEY', "
                 "'key TEXT PRIMARY KEY COLLATE nosuch') WHERE name = 'labels'")
    conn.commit()
    conn.close()
    one_clear_line(run_cli("export", str(project)))
    other = make(tmp_path / "q.sqlite")
    conn = sqlite3.connect(other)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA legacy_alter_table = ON")
    conn.execute("ALTER TABLE labels RENAME TO old_labels")
    conn.execute("CREATE VIRTUAL TABLE labels USING fts5(key, name, shortcut, color, description, position)")
    conn.commit()
    conn.close()
    one_clear_line(run_cli("stats", str(other)))


def test_hostile_check_constraint_is_refused_fast(tmp_path):
    """A colleague file whose CHECK constraint makes every row slow: refused from its schema, at once."""
    project = make(tmp_path / "c.sqlite", texts=[f"statement {i} " * 20 for i in range(300)])
    conn = sqlite3.connect(project)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, 'CHECK (0 <= start AND start < \"end\")', "
                 "'CHECK ((WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) "
                 "SELECT count(*) FROM c) > 0)') WHERE name = 'spans'")
    conn.commit()
    conn.close()
    started = time.monotonic()
    with pytest.raises(AnnotatorError, match="altered"):
        ColleagueFile.load(project)
    assert time.monotonic() - started < 2


def test_untrusted_reads_are_bounded_and_cancellable(tmp_path):
    project = make(tmp_path / "p.sqlite")
    conn = sqlite3.connect(project)
    with pytest.raises(ProjectFileError, match="far more work"), connection.bounded(conn, 1, project):
        conn.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000000) "
                     "SELECT count(*) FROM c").fetchone()
    with pytest.raises(Cancelled), connection.bounded(conn, None, project, cancelled=lambda: True):
        conn.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000000) "
                     "SELECT count(*) FROM c").fetchone()
    conn.close()


# -- 6. reading commands never change what they read ---------------------------------------------------------------


def test_reading_commands_leave_a_colleague_file_and_its_folder_as_they_were(tmp_path):
    colleague = tmp_path / "theirs" / "bob.sqlite"
    colleague.parent.mkdir()
    make(colleague)
    frozen_v1 = HERE.parent / "store" / "frozen" / "v1.sqlite"
    old = colleague.parent / "old.sqlite"
    shutil.copyfile(frozen_v1, old)
    mine = make(tmp_path / "mine.sqlite")
    for target in (colleague, old):
        before, files = digest(target), listing(target.parent)
        for argv in (["export", str(target), "-o", str(tmp_path / "out.jsonl")], ["stats", str(target)],
                     ["agree", str(mine), str(target)], ["check", str(target)]):
            result = run_cli(*argv)
            assert result.returncode == 0, (argv, result.stderr)
        ColleagueFile.load(target)
        assert digest(target) == before and listing(target.parent) == files, target


# -- 8. and 9. stored hashes and out-of-range spans ----------------------------------------------------------------


def test_a_forged_hash_in_a_colleague_file_is_not_trusted(tmp_path):
    mine = make(tmp_path / "mine.sqlite")
    theirs = make(tmp_path / "theirs.sqlite", texts=["A different statement, nothing like mine at all here."])
    with Project.open(mine) as p:
        my_sha = p.documents()[0].sha256
    conn = sqlite3.connect(theirs)
    conn.execute("UPDATE documents SET sha256 = ?", (my_sha,))
    conn.commit()
    conn.close()
    loaded = ColleagueFile.load(theirs)
    assert my_sha not in loaded.documents
    with Project.open(mine) as p:
        assert loaded.align(p).pairs == []


def test_a_flipped_byte_in_my_statement_is_caught_by_export_and_check(tmp_path):
    project = make(tmp_path / "p.sqlite")
    conn = sqlite3.connect(project)
    conn.execute("UPDATE documents SET text = replace(text, 'condemn', 'condemm') WHERE id = 1")
    conn.commit()
    conn.close()
    assert "no longer matches" in one_clear_line(run_cli("export", str(project)))
    assert "does not match its stored SHA-256" in one_clear_line(run_cli("check", str(project)))
    healthy = make(tmp_path / "ok.sqlite")
    result = run_cli("check", str(healthy))
    assert result.returncode == 0 and "ok (3 statement(s), 3 span(s)" in result.stdout


def test_check_of_a_file_that_is_no_project_names_it_once(tmp_path):
    fake = tmp_path / "fake.sqlite"
    fake.write_text("notes, renamed\n", encoding="utf-8")
    line = one_clear_line(run_cli("check", str(fake)))
    assert line.count(str(fake)) == 1 and "is not an Annotator project (not a SQLite database)" in line, line
    assert fake.read_text(encoding="utf-8") == "notes, renamed\n"


def test_out_of_range_colleague_spans_refuse_the_file(tmp_path):
    theirs = make(tmp_path / "theirs.sqlite")
    conn = sqlite3.connect(theirs)
    conn.execute('UPDATE spans SET "end" = 5000 WHERE id = 1')
    conn.commit()
    conn.close()
    with pytest.raises(AnnotatorError, match="outside their statement's text"):
        ColleagueFile.load(theirs)
