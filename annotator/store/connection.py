"""Opening, creating and validating project files, and the one transaction helper.

Storage errors split in two (DESIGN.md §4): problems with the user's file or disk become a
:class:`~annotator.errors.ProjectFileError` with a clear message; anything else is our bug and propagates.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from annotator import leftovers, paths
from annotator.errors import ProjectFileError, ReadOnlyError
from annotator.store import schema

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000

# SQLite's messages for conditions that are the user's disk or file, not our bug
_USER_CONDITIONS = (
    ("disk is full", "the disk is full"),
    ("database or disk is full", "the disk is full"),
    ("readonly database", "the project file or its folder is read-only"),
    ("database is locked", "the project is busy in another window or process; try again in a moment"),
    ("disk i/o error", "the disk reported an input/output error"),
    ("malformed", "the project file is damaged (database disk image is malformed)"),
    ("file is not a database", "the file is not an Annotator project (not a SQLite database)"),
    ("unable to open database", "the project file cannot be opened"),
    ("unsupported file format", "the project file is damaged (its header names an unsupported file format)"),
    ("string or blob too big", "the project file is damaged (it claims a value larger than SQLite allows)"),
    ("could not decode to utf-8", "the project file is damaged (it holds text that is not valid UTF-8)"),
)


def user_problem(exc: BaseException) -> str | None:
    """The user-facing description of a SQLite or OS error that is about the user's file or disk."""
    if isinstance(exc, UnicodeDecodeError):  # SQLite's own message quoting bytes of a damaged file
        return "the project file is damaged (it holds bytes that are not valid UTF-8)"
    if isinstance(exc, OSError) and not isinstance(exc, sqlite3.Error):
        return f"{exc.strerror or exc} ({exc.filename})" if getattr(exc, "filename", None) else str(exc)
    if isinstance(exc, (sqlite3.OperationalError, sqlite3.DatabaseError)) and not isinstance(
        exc, sqlite3.IntegrityError
    ):
        text = str(exc).lower()
        for needle, message in _USER_CONDITIONS:
            if needle in text:
                return message
    return None


@contextlib.contextmanager
def translated(action: str, path: Path) -> Iterator[None]:
    """Turn user-side SQLite/OS errors inside the block into one clear ProjectFileError."""
    try:
        yield
    except ProjectFileError:
        raise
    except (sqlite3.Error, OSError, UnicodeDecodeError) as exc:
        problem = user_problem(exc)
        if problem is None:
            raise
        raise ProjectFileError(f"cannot {action} {path}: {problem}") from exc


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _configure_writable(conn: sqlite3.Connection) -> None:
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":  # e.g. a file system without shared memory: still safe with a rollback journal
        conn.execute("PRAGMA journal_mode = DELETE")
    # WAL + NORMAL: a commit survives a killed process (it is in the WAL before COMMIT returns)
    conn.execute("PRAGMA synchronous = NORMAL")


def check_header(path: Path) -> None:
    """Refuse, with a clear message, a file that is not SQLite at all."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except IsADirectoryError:
        raise ProjectFileError(f"{path} is a folder, not a project file") from None
    except OSError as exc:
        raise ProjectFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    if head != SQLITE_HEADER:
        what = "an empty file" if not head else "not a SQLite database"
        raise ProjectFileError(f"{path} is not an Annotator project ({what})")


def validate(conn: sqlite3.Connection, path: Path) -> int:
    """Check the file is an Annotator project we can read; return its schema version."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id != schema.APPLICATION_ID:
        raise ProjectFileError(f"{path} is a SQLite database but not an Annotator project")
    if version > schema.SCHEMA_VERSION:
        raise ProjectFileError(
            f"{path} was made by a newer Annotator (schema {version}; this version reads up to "
            f"{schema.SCHEMA_VERSION}); update Annotator to open it"
        )
    factory = conn.text_factory
    conn.text_factory = lambda raw: raw.decode("utf-8", "replace")  # the report may quote the file's bad bytes
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        conn.text_factory = factory
    if result != "ok":  # SQLite's report spans lines ("*** in database main ***\nPage 14: ..."): one line
        detail = " ".join(str(result).replace("*** in database main ***", "").split())[:200]
        raise ProjectFileError(f"{path} is damaged ({detail}); restore it from a backup")
    if version >= 1:  # marked as a project: its tables and columns must be there, or every read fails later
        found = schema.table_columns(conn)
        expected = schema.columns(int(version))
        missing = sorted(t for t in expected if t not in found)
        if missing:
            raise ProjectFileError(
                f"{path} is damaged (table(s) {', '.join(missing)} missing); restore it from a backup"
            )
        altered = sorted(t for t, cols in expected.items() if not cols <= found[t])
        if altered:
            raise ProjectFileError(
                f"{path} is damaged (the columns of {', '.join(altered)} are not as written); restore it from a backup"
            )
        for what, sql in _TYPE_CHECKS:
            try:
                wrong = conn.execute(sql).fetchone()[0]
            except sqlite3.OperationalError as exc:  # "no such column": the schema itself is damaged
                if user_problem(exc) is not None:
                    raise
                raise ProjectFileError(f"{path} is damaged (its schema: {exc}); restore it from a backup") from None
            if wrong:
                raise ProjectFileError(f"{path} is damaged ({what}); restore it from a backup")
    return int(version)


#: damage that passes quick_check (a flipped type byte in a record): values of the wrong type where the code
#: relies on the type. Cheap (the record headers only): ~45 ms for 10 000 documents and 100 000 spans.
_TYPE_CHECKS = (
    ("a document's text, title or length has the wrong type",
     "SELECT EXISTS (SELECT 1 FROM documents WHERE typeof(text) != 'text' OR typeof(title) != 'text'"
     " OR typeof(source) != 'text' OR typeof(length) != 'integer' OR typeof(sha256) != 'text'"
     " OR typeof(status) != 'text')"),
    ("a span's offsets or label have the wrong type",
     "SELECT EXISTS (SELECT 1 FROM spans WHERE typeof(start) != 'integer' OR typeof(\"end\") != 'integer'"
     " OR typeof(doc_id) != 'integer' OR typeof(label) != 'text' OR typeof(annotator) != 'text'"
     " OR typeof(note) != 'text' OR typeof(origin) != 'text' OR typeof(created) != 'text'"
     " OR typeof(updated) != 'text')"),
    ("a label has the wrong type",
     "SELECT EXISTS (SELECT 1 FROM labels WHERE typeof(key) != 'text' OR typeof(name) != 'text'"
     " OR typeof(shortcut) != 'text' OR typeof(color) != 'text' OR typeof(description) != 'text'"
     " OR typeof(position) != 'integer')"),
)


def create_file(path: Path, populate: callable | None = None) -> bool:  # type: ignore[valid-type]
    """Create a new empty project at ``path`` atomically: built beside it under a temporary name, then put in place
    only if ``path`` is still free. Returns False when another process created ``path`` first (then it is theirs,
    complete, and ours is discarded: the caller opens theirs and waits its turn to write).

    A kill during creation leaves either no file or a complete project, never a half-made one.
    ``populate(conn)``, if given, fills it inside the creating transaction (e.g. the sample statements).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    leftovers.clean_beside(path, (".creating",))  # projects whose creation was killed
    fd, tmp_name = tempfile.mkstemp(prefix=leftovers.temp_prefix(path), suffix=".creating", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        conn = _connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")  # single file while building
            conn.execute("BEGIN IMMEDIATE")
            schema.migrate(conn, 0)
            if populate is not None:
                populate(conn)
            conn.execute("COMMIT")
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, paths.new_file_mode(path))
        created = _place_new(tmp, path)
    except BaseException:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()
        raise
    if not created:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return created


def _place_new(tmp: Path, path: Path) -> bool:
    """Give the complete file ``tmp`` the name ``path`` unless that exists; False if it does (another process
    made it first). Never replaces a file: a project another import already writes into must stay the project."""
    try:
        os.link(tmp, path)  # atomic, and fails if the name is taken
    except FileExistsError:
        return False
    except OSError:  # no hard links here (FAT, some network shares): a rename that does not replace
        if os.name == "nt":
            try:
                os.rename(tmp, path)  # refuses an existing target on Windows
            except FileExistsError:
                return False
            return True
        if os.path.lexists(path):
            return False
        os.replace(tmp, path)
        return True
    os.unlink(tmp)
    return True


def writable(path: Path) -> bool:
    """Whether the project file and its folder (where SQLite keeps ``-wal``/``-shm``) can be written."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def open_writable(path: Path) -> sqlite3.Connection:
    check_header(path)
    if not writable(path):
        raise ProjectFileError(f"cannot open {path} for editing: the file or its folder is read-only")
    conn = _connect(path)
    try:
        version = validate(conn, path)
        _configure_writable(conn)
        if version < schema.SCHEMA_VERSION:
            conn.execute("BEGIN IMMEDIATE")
            try:
                schema.migrate(conn, version)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
    except BaseException:
        conn.close()
        raise
    return conn


def open_readonly_copy(path: Path) -> tuple[sqlite3.Connection, Path]:
    """Open a colleague's file without touching it: copy it (and a WAL beside it) to a private folder.

    SQLite's read-only modes still create ``-wal``/``-shm`` files beside a WAL-mode database (DESIGN.md §7);
    a copy leaves the original's bytes, and its folder, exactly as they were. Returns the connection and the
    private folder, which the caller removes on close.
    """
    check_header(path)
    workdir = Path(tempfile.mkdtemp(prefix=leftovers.readonly_prefix()))  # named for leftovers.clean_temp_folder
    try:
        copy = workdir / "project.sqlite"
        shutil.copyfile(path, copy)
        wal = Path(f"{path}-wal")
        if wal.exists():
            shutil.copyfile(wal, Path(f"{copy}-wal"))
        conn = _connect(copy)
        try:
            version = validate(conn, path)
            if version < schema.SCHEMA_VERSION:  # migrate the private copy, never the colleague's file
                conn.execute("BEGIN IMMEDIATE")
                schema.migrate(conn, version)
                conn.execute("COMMIT")
            conn.execute("PRAGMA query_only = ON")
        except BaseException:
            conn.close()
            raise
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    return conn, workdir


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection, path: Path, readonly: bool, action: str) -> Iterator[None]:
    """One user action = one ``BEGIN IMMEDIATE`` … ``COMMIT``; on any error, rolled back whole."""
    if readonly:
        raise ReadOnlyError(f"cannot {action}: {path} is open read-only")
    with translated(action, path):
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
