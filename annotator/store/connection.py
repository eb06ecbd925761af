"""Opening, creating and validating project files, and the one transaction helper.

Storage errors split in two (DESIGN.md §4): problems with the user's file or disk become a
:class:`~annotator.errors.ProjectFileError` with a clear message; anything else is our bug and propagates.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

from annotator import inuse, leftovers, paths
from annotator.errors import Cancelled, ProjectFileError, ReadOnlyError
from annotator.store import beside, schema, stamp

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
    ("vtable constructor failed", "the project's search index is damaged; choose Edit ▸ Rebuild Search Index"),
)


#: free space below which an input/output error is taken for a full disk: SQLite says "disk I/O error" when a full
#: disk refuses to grow its ``-shm`` (SQLITE_IOERR_SHMSIZE), or a write into the file, rather than "disk is full"
NEARLY_FULL_BYTES = 64 * 1024


def disk_full_at(path: str | os.PathLike[str] | None) -> bool:
    """Whether the disk that holds ``path`` (or its nearest existing folder) has next to no room left."""
    if path is None:
        return False
    place = Path(path)
    while not place.exists() and place != place.parent:
        place = place.parent
    try:
        st = os.statvfs(place)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < NEARLY_FULL_BYTES


def user_problem(exc: BaseException, path: str | os.PathLike[str] | None = None) -> str | None:
    """The user-facing description of a SQLite or OS error that is about the user's file or disk (``path``: the
    file the error came from, to tell a full disk behind an input/output error)."""
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
                return "the disk is full" if needle == "disk i/o error" and disk_full_at(path) else message
    return None


@contextlib.contextmanager
def translated(action: str, path: Path) -> Iterator[None]:
    """Turn user-side SQLite/OS errors inside the block into one clear ProjectFileError."""
    try:
        yield
    except ProjectFileError:
        raise
    except (sqlite3.Error, OSError, UnicodeDecodeError) as exc:
        problem = user_problem(exc, path)
        if problem is None:
            raise
        raise ProjectFileError(f"cannot {action} {path}: {problem}") from exc


def _connect(target: Path | str, uri: bool = False, same_thread: bool = True) -> sqlite3.Connection:
    conn = sqlite3.connect(str(target), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, uri=uri,
                           check_same_thread=same_thread)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    # functions in a file's schema (views, triggers, defaults) never run with our privileges; our schema has none
    conn.execute("PRAGMA trusted_schema = OFF")
    return conn


def beside_window(path: Path, write: bool) -> sqlite3.Connection:
    """Another connection to the project this process edits, for long work in a thread (an import writing; an
    export, a search reading), onto the very files the window has open (``store/beside.py``), with the window's
    pragmas or read-only. Any one thread at a time may use it. The file was checked when the window opened it;
    SQLite keeps the window's connection and this one apart, and a read sees one committed state."""
    uri = f"file:{quote(str(Path(path).resolve()))}" + ("" if write else "?mode=ro")
    with translated("open", path):
        conn = beside.connect(path, uri, lambda u: _connect(u, uri=True, same_thread=False))
        try:
            if write:
                _configure_writable(conn)
            else:
                conn.execute("PRAGMA query_only = ON")
        except BaseException:
            conn.close()
            raise
    return conn


def _configure_writable(conn: sqlite3.Connection) -> None:
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":  # e.g. a file system without shared memory: still safe with a rollback journal
        conn.execute("PRAGMA journal_mode = DELETE")
    # WAL + NORMAL: a commit survives a killed process (it is in the WAL before COMMIT returns)
    conn.execute("PRAGMA synchronous = NORMAL")


def check_regular(path: Path) -> os.stat_result:
    """Refuse what is not a regular file (a folder, a named pipe, a device, a socket) without opening it:
    opening a pipe would wait for a writer forever, a device would never end."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ProjectFileError(f"no such project: {path}") from None
    except OSError as exc:
        raise ProjectFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise ProjectFileError(f"{path} is a folder, not a project file")
    if not stat.S_ISREG(st.st_mode):
        raise ProjectFileError(f"{path} is not a regular file (a pipe, a device or a socket), not a project file")
    return st


def check_header(path: Path) -> None:
    """Refuse, with a clear message, a file that is not SQLite at all (or that this process has open: reading it
    again through another descriptor would drop our own locks on it, see ``annotator/inuse.py``)."""
    if _open_here(path):
        return  # checked when this process opened it; SQLite opens it again without dropping locks
    check_regular(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise ProjectFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    if head != SQLITE_HEADER:
        what = "an empty file" if not head else "not a SQLite database"
        raise ProjectFileError(f"{path} is not an Annotator project ({what})")


def _open_here(path: Path) -> bool:
    """Whether this process already has ``path`` open as a project (True), or none of its files (False).

    Refuses a path that is the ``-wal``/``-shm``/``-journal`` of a project open here: reading it would drop our
    locks."""
    project = inuse.open_project_of(path)
    if project is None:
        return False
    if project == Path(os.path.abspath(path)) or os.path.samefile(project, path):
        return True
    raise ProjectFileError(f"cannot open {path}: it is a file of the project open in this window ({project.name})")


def check_identity(conn: sqlite3.Connection, path: Path) -> int:
    """The file is an Annotator project of a version we read, and its schema is exactly ours: return the version.

    Cheap (the header and ``sqlite_master`` only) and run before any other read or write: a foreign trigger would
    run with our writes, a view or a virtual table would answer our reads, a foreign CHECK constraint would make
    ``quick_check`` run for minutes (DESIGN.md §2.2 "Only our schema", §7).
    """
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id != schema.APPLICATION_ID:
        raise ProjectFileError(f"{path} is a SQLite database but not an Annotator project")
    if version > schema.SCHEMA_VERSION:
        raise ProjectFileError(
            f"{path} was made by a newer Annotator (schema {version}; this version reads up to "
            f"{schema.SCHEMA_VERSION}); update Annotator to open it"
        )
    if version < 1:
        raise ProjectFileError(f"{path} is damaged (it is marked as a project but its schema version is {version})")
    try:
        found = schema.objects(conn)
    except sqlite3.DatabaseError as exc:
        if user_problem(exc) is not None and "malformed" not in str(exc).lower():
            raise
        detail = " ".join(str(exc).split())  # SQLite quotes the file's bytes: one printable line
        detail = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in detail)
        raise ProjectFileError(f"{path} is damaged or not an Annotator project (its schema: {detail})") from None
    problem = schema.difference(found, schema.expected_objects(int(version)))
    if problem:
        raise ProjectFileError(f"{path} is not an Annotator project as written ({problem}); nothing was changed")
    return int(version)


def check_contents(conn: sqlite3.Connection, path: Path, budget: int | None = None,
                   cancelled: Callable[[], bool] | None = None, checked_whole: bool = False) -> None:
    """``quick_check`` and the type checks, bounded by ``budget`` virtual-machine steps (None: unbounded), stopped
    (:class:`Cancelled`) once ``cancelled()``. ``checked_whole``: SQLite's ``integrity_check`` already passed these
    very files (a colleague's pair ``walcheck`` verified), so only the type checks are left."""
    with bounded(conn, budget, path, cancelled):
        if not checked_whole:
            sqlite_check(conn, path)
        for what, sql in _TYPE_CHECKS:
            if conn.execute(sql).fetchone()[0]:
                raise ProjectFileError(f"{path} is damaged ({what}); restore it from a backup")


def sqlite_check(conn: sqlite3.Connection, path: Path, whole: bool = False) -> None:
    """SQLite's ``quick_check``, or with ``whole`` its ``integrity_check`` (the same, and every index compared with its
    table; to the first problem), run after :func:`check_identity`, so on our schema: a problem as one clear line."""
    factory = conn.text_factory
    conn.text_factory = lambda raw: raw.decode("utf-8", "replace")  # the report may quote the file's bad bytes
    try:
        result = conn.execute("PRAGMA integrity_check(1)" if whole else "PRAGMA quick_check").fetchone()[0]
    finally:
        conn.text_factory = factory
    if result != "ok":  # SQLite's report spans lines ("*** in database main ***\nPage 14: ..."): one line
        detail = " ".join(str(result).replace("*** in database main ***", "").split())[:200]
        raise ProjectFileError(f"{path} is damaged ({detail}); restore it from a backup")


def validate(conn: sqlite3.Connection, path: Path, budget: int | None = None,
             cancelled: Callable[[], bool] | None = None) -> int:
    """Check the file is an Annotator project we can read, whole; return its schema version."""
    version = check_identity(conn, path)
    check_contents(conn, path, budget, cancelled)
    return version


#: a file up to this size (with its ``-wal``) is also checked whole when it is opened, which takes a few
#: milliseconds; a larger one is checked where waiting is cheap (issue #14): in the background once the window is
#: up (``ui/integrity``), by ``annotator check``, on every backup's copy, and when a read of it fails (:func:`diagnose`)
FULL_CHECK_BYTES = 8 * 1024 * 1024


def validate_on_open(conn: sqlite3.Connection, path: Path) -> int:
    """What must be true before the first read of the user's own project: its identity (header, version, schema),
    and its contents only when that costs no more than a small file's check (:data:`FULL_CHECK_BYTES`)."""
    version = check_identity(conn, path)
    check_if_small(conn, path)
    return version


def check_if_small(conn: sqlite3.Connection, path: Path) -> None:
    """:func:`check_contents` when ``path`` (with its ``-wal``) is at most :data:`FULL_CHECK_BYTES`."""
    size = 0
    for name in (path, f"{path}-wal"):
        with contextlib.suppress(OSError):
            size += os.stat(name).st_size
    if size <= FULL_CHECK_BYTES:
        check_contents(conn, path)


def diagnose(conn: sqlite3.Connection, path: Path) -> ProjectFileError | None:
    """After a read failed in a way a sound project cannot make it fail (a value of the wrong type, an index
    that disagrees with its table): the damage that explains it, as one clear error, or None (then it is a bug)."""
    try:
        with translated("read", path):
            check_contents(conn, path, budget_for(path))
    except ProjectFileError as exc:
        return exc
    except sqlite3.Error:
        return None
    return None


def damage_of(path: Path) -> ProjectFileError | None:
    """:func:`diagnose` through a read-only connection of its own (a command whose read failed)."""
    try:
        if not os.path.isfile(path) or _open_here(path):
            return None
    except ProjectFileError:
        return None
    try:
        conn = _connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA query_only = ON")
        return diagnose(conn, path)
    finally:
        conn.close()


#: the work allowed to check an untrusted file, in SQLite virtual-machine steps per byte of the file (plus a floor):
#: a real project checks in a few steps per byte; a hostile one is stopped with a clear message instead of
#: freezing the window for minutes
STEPS_PER_BYTE = 50
MIN_STEPS = 20_000_000
_PROGRESS_EVERY = 10_000


def budget_for(path: Path) -> int:
    try:
        size = os.stat(path).st_size
    except OSError:
        size = 0
    return MIN_STEPS + STEPS_PER_BYTE * size


@contextlib.contextmanager
def bounded(conn: sqlite3.Connection, budget: int | None, path: Path,
            cancelled: Callable[[], bool] | None = None) -> Iterator[None]:
    """Run the block with at most ``budget`` SQLite steps (and stop when ``cancelled()``), with one clear message."""
    if budget is None and cancelled is None:
        yield
        return
    left = [budget if budget is not None else -1]
    why: list[str] = []

    def tick() -> int:
        if cancelled is not None and cancelled():
            why.append("cancelled")
            return 1
        if left[0] >= 0:
            left[0] -= _PROGRESS_EVERY
            if left[0] < 0:
                why.append("budget")
                return 1
        return 0

    conn.set_progress_handler(tick, _PROGRESS_EVERY)
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "interrupted" not in str(exc).lower() or not why:
            raise
        if why[0] == "cancelled":
            raise Cancelled(f"reading {path} was cancelled") from None
        raise ProjectFileError(
            f"{path} takes far more work to read than a project of its size should; it was not opened "
            "(it may be damaged or made to stall readers)"
        ) from None
    finally:
        conn.set_progress_handler(None, 0)


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
    # the index copies of the same values are read by the export's ordered walk: a flipped byte there passes
    # quick_check (it does not compare indexes with their tables) and the table scan above (found by fuzzing)
    ("an index of the spans holds values of the wrong type",
     "SELECT EXISTS (SELECT 1 FROM spans INDEXED BY spans_by_doc WHERE typeof(doc_id) != 'integer'"
     " OR typeof(start) != 'integer' OR typeof(\"end\") != 'integer' OR typeof(label) != 'text')"
     " OR EXISTS (SELECT 1 FROM spans INDEXED BY spans_by_label WHERE typeof(label) != 'text')"),
    ("a label has the wrong type",
     "SELECT EXISTS (SELECT 1 FROM labels WHERE typeof(key) != 'text' OR typeof(name) != 'text'"
     " OR typeof(shortcut) != 'text' OR typeof(color) != 'text' OR typeof(description) != 'text'"
     " OR typeof(position) != 'integer')"),
)


def wal_pending(path: Path) -> bool:
    """Whether a ``-wal`` beside ``path`` may hold frames SQLite would apply (more than its 32-byte header); what
    SQLite would do with it is ``store/walcheck.py``'s question."""
    try:
        st = os.stat(f"{path}-wal")
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_size > 32


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
            stamp.bump(conn)  # its identity, from the start
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
    from annotator.store.walcheck import check_wal  # it opens copies through this module

    check_wal(path)
    leftovers.clean_beside(path, leftovers.RESTORE_SUFFIXES)  # a killed restore's copies (0.9 GB at 100 000)
    conn = _connect(path)
    try:
        version = validate_on_open(conn, path)
        _configure_writable(conn)
        if version < schema.SCHEMA_VERSION:
            conn.execute("BEGIN IMMEDIATE")
            try:
                schema.migrate(conn, version)
                stamp.bump(conn)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
    except BaseException:
        conn.close()
        raise
    return conn


def acting_on(action: str) -> str:
    """A write's action as its error message puts it before the project's path: "cannot import p.sqlite: …", but
    "cannot add the span in p.sqlite: …" (trial 17, F7: "cannot add the span /tmp/p.sqlite: the disk is full" read
    as if the path were the span)."""
    return action if " " not in action else f"{action} in"


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection, path: Path, readonly: bool, action: str) -> Iterator[None]:
    """One user action = one ``BEGIN IMMEDIATE`` … ``COMMIT``; on any error, rolled back whole."""
    if readonly:
        raise ReadOnlyError(f"cannot {action}: {path} is open read-only")
    with translated(acting_on(action), path):
        conn.execute("BEGIN IMMEDIATE")
        try:
            changes = conn.total_changes
            yield
            if conn.total_changes != changes:  # a write that changed nothing (an import of known files) leaves it
                stamp.bump(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def reading(method):  # type: ignore[no-untyped-def]
    """A project's read (a method of an object with ``conn`` and ``path``): a failure of the user's disk or file
    becomes a clear ProjectFileError, not a raw sqlite3 error."""

    @functools.wraps(method)
    def read(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with translated("read", self.path):
            try:
                return method(self, *args, **kwargs)
            except (TypeError, ValueError, AttributeError, sqlite3.DatabaseError) as exc:
                # not checked whole at open when large (issue #14): damage is named here, or it is our bug
                damage = diagnose(self.conn, self.path)
                if damage is None:
                    raise
                raise damage from exc

    return read
