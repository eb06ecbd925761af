"""Rotating backups of project files, made through SQLite's backup API (DESIGN.md §2.2).

Backups live in the user data directory (``paths.backups_dir()``), never beside the project: one folder per
project, named by a readable part of the project's name and a hash of its absolute path
(``statements-3f2a9c…``). Each backup is a complete single-file database (rollback-journal mode, so it can be
read without leaving ``-wal``/``-shm`` files), written to a temporary file in that folder, synced and then renamed
into place: a backup file is complete or absent, never torn.

Backups are kept by age, not by count (:func:`kept_by_age`): every one of the last hour, then the newest of each
hour of the last day, of each day of the last week, of each week of the last month; older ones go, the newest
always stays. A backup on open or during work is skipped when the project has not changed since the last one (the
project's *fingerprint* -- its history, span and document counters, settings, decisions -- equals the one stored
with it), so reopening a project ten times makes one backup, not ten copies that push older restore points out.
Each folder has a ``manifest.json`` (written atomically after each change) with every backup's time, reason,
size, counts and fingerprint: listing reads it instead of opening each backup (a file it does not describe, or
describes with another size, is opened and checked as before).

File names sort by time: ``20250301T101500.123456Z-open.sqlite`` — the UTC time, then why it was made
(``open``, ``periodic``, ``before-restore``, ``before-delete``, ``before-import``, ``manual``).

Restoring one (``store/restoring.py``) backs the project up first, with the reason ``before-restore``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from annotator import paths
from annotator.errors import AnnotatorError, Cancelled, ProjectFileError
from annotator.store import beside, connection
from annotator.store.backup_policy import MANIFEST as MANIFEST  # retention and the manifest live in backup_policy
from annotator.store.backup_policy import SKIP_UNCHANGED, fingerprint, kept_by_age, read_manifest, write_manifest

#: why a backup was made, as written in its file name, and as shown to the user
REASONS = {
    "open": "on open",
    "periodic": "during work",
    "before-restore": "before a restore",
    "before-delete": "before a delete",
    "before-import": "before an import",
    "manual": "by hand",
}
SUFFIX = ".sqlite"
_NAME = re.compile(r"^(\d{8}T\d{6}\.\d{6})Z-([a-z-]+)(?:-(\d+))?\.sqlite$")
_TEMP_PREFIX = ".backup-"
#: a temporary file older than this is a leftover of a killed process, not a backup in progress
_STALE_TEMP_SECONDS = 600


class BackupError(AnnotatorError):
    """A backup could not be made or read (the backup folder is full, read-only, ...)."""


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """One backup file of a project, as listed to the user."""

    path: Path
    created: datetime  # UTC
    reason: str  # a key of REASONS
    size: int  # bytes
    documents: int | None  # None when the backup cannot be read
    spans: int | None
    problem: str | None = None  # why it cannot be read, if it cannot

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def why(self) -> str:
        return REASONS.get(self.reason, self.reason)

    def local_time(self) -> str:
        return self.created.astimezone().strftime("%Y-%m-%d %H:%M:%S")


# -- where ----------------------------------------------------------------------------------------------------------


def _absolute(project_path: str | Path) -> str:
    return os.path.realpath(os.path.abspath(os.fspath(project_path)))


def folder_for(project_path: str | Path) -> Path:
    """The backup folder of one project: a readable name plus a hash of the project's absolute path."""
    absolute = _absolute(project_path)
    digest = hashlib.sha256(absolute.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    stem = Path(absolute).stem
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._")[:40] or "project"
    return paths.backups_dir() / f"{readable}-{digest}"


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


# -- errors ---------------------------------------------------------------------------------------------------------

_SQLITE_CODES = {
    "SQLITE_FULL": "the disk is full",
    "SQLITE_READONLY": "the folder is read-only",
    "SQLITE_CANTOPEN": "the file cannot be created there",
    "SQLITE_IOERR": "the disk reported an input/output error",
    "SQLITE_PERM": "permission denied",
}


def _problem(exc: BaseException) -> str | None:
    """A user-facing description of an OS or SQLite error about a disk or file, or None (our bug)."""
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", "") or ""
        for prefix, message in _SQLITE_CODES.items():
            if name.startswith(prefix):
                return message
        return connection.user_problem(exc)
    return None


@contextlib.contextmanager
def _translated(what: str) -> Iterator[None]:
    try:
        yield
    except AnnotatorError:
        raise
    except (OSError, sqlite3.Error) as exc:
        problem = _problem(exc)
        if problem is None:
            raise
        raise BackupError(f"{what}: {problem}") from exc


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform or file system can sync a folder
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove(*files: Path) -> None:
    for file in files:
        with contextlib.suppress(OSError):
            file.unlink()


# -- making backups -------------------------------------------------------------------------------------------------


def _stamp(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S.%fZ")


def _created(match: re.Match[str]) -> datetime:
    """The UTC time in a backup's name (matched by ``_NAME``)."""
    return datetime.strptime(match.group(1), "%Y%m%dT%H%M%S.%f").replace(tzinfo=UTC)


def _next_stamp(folder: Path) -> str:
    """Now -- or, if the clock has gone back, just after the newest backup there: names must keep sorting from
    oldest to newest, or rotation would delete the new backup as the oldest."""
    now = datetime.now(UTC)
    files = _backup_files(folder)  # names that match _NAME, oldest first
    newest = _created(_NAME.match(files[-1].name)) if files else None  # type: ignore[arg-type]
    if newest is not None and newest >= now:
        now = newest + timedelta(microseconds=1)
    return _stamp(now)


#: pages (4 KiB each) copied per step of a backup that reports its progress: 64 MiB, about 0.3 s
STEP_PAGES = 16384
#: what a backup that reports its progress is told: (pages copied, pages in all)
Step = Callable[[int, int], None]


def copy_into(source: sqlite3.Connection, target: Path, step: Step | None = None,
              cancelled: Callable[[], bool] | None = None) -> tuple[int, int]:
    """Copy a consistent snapshot of ``source`` into the new file ``target`` as one rollback-journal database;
    returns its (documents, spans), for the manifest.

    ``step``: the copy is made in steps of :data:`STEP_PAGES`, each reported, within one read transaction of
    ``source`` (one snapshot: a write meanwhile by another connection would otherwise restart the copy).
    ``cancelled()``, asked after each step and during the copy's check, stops it with ``errors.Cancelled``."""
    dest = sqlite3.connect(str(target), isolation_level=None)
    began = False
    try:
        if step is None and cancelled is None:
            source.backup(dest)
        else:
            if not source.in_transaction:
                source.execute("BEGIN")
                began = True
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot starts here

            def progress(_status: int, remaining: int, total: int) -> None:
                if cancelled is not None and cancelled():
                    raise Cancelled(f"the copy into {target.name} was cancelled")
                if step is not None:
                    step(total - remaining, total)

            source.backup(dest, pages=STEP_PAGES, progress=progress)
            if step is not None:
                step(0, 0)  # copied: its check follows, of no known length
        # the copy carries the source's WAL flag in its header; a backup is one self-contained file
        dest.execute("PRAGMA journal_mode = DELETE")
        try:  # quick_check and the value types: the whole-file check a large project skips when opened
            connection.check_contents(dest, target, cancelled=cancelled)
        except ProjectFileError as exc:
            raise BackupError(f"the copy did not verify ({exc.message})") from None
        documents = dest.execute("SELECT count(*) FROM documents").fetchone()[0]
        spans = dest.execute("SELECT count(*) FROM spans").fetchone()[0]
    finally:
        dest.close()
        if began:
            with contextlib.suppress(sqlite3.Error):
                source.execute("ROLLBACK")
    _fsync_file(target)
    return int(documents), int(spans)


def backup_connection(
    source: sqlite3.Connection, project_path: str | Path, reason: str = "manual", keep: int | None = None,
    step: Step | None = None, cancelled: Callable[[], bool] | None = None, mark: str | None = None,
) -> Path:
    """Back up the database open on ``source`` (a project's connection) into the project's backup folder.

    Returns the new backup's path -- or, for a backup on open or during work of a project unchanged since its
    newest backup, that backup's path (no copy is made). ``keep``: also keep at most this many (tests, stress
    runs); retention is otherwise by age (:func:`kept_by_age`). Raises :class:`BackupError` with a clear message
    when the backup folder cannot take it (full, read-only, ...); the backups already there are left as they were.
    ``step`` and ``cancelled``: see :func:`copy_into` (a cancelled backup leaves nothing behind). ``mark``: the
    project's fingerprint, when the caller has just read it.
    """
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    folder = folder_for(project_path)
    with _translated(f"cannot read {Path(project_path).name}"):
        # read before the copy: a change made meanwhile makes the next backup run again, never skip one
        mark = fingerprint(source) if mark is None else mark
    if reason in SKIP_UNCHANGED:
        same = _unchanged(folder, mark)
        if same is not None:
            return same
    with _translated(f"cannot back up {Path(project_path).name} to {folder}"):
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=".part", dir=folder)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            documents, spans = copy_into(source, tmp, step, cancelled)
            target = _unique(folder, f"{_next_stamp(folder)}-{reason}")
            os.chmod(tmp, paths.new_file_mode(target))
            os.replace(tmp, target)
        except BaseException:
            _remove(tmp, Path(f"{tmp}-journal"))
            raise
        _fsync_dir(folder)
    entries = _read_manifest(folder)
    entries[target.name] = {"size": target.stat().st_size, "documents": documents, "spans": spans,
                            "fingerprint": mark}
    _write_manifest(folder, entries)
    rotate(project_path, keep)
    return target


def _read_manifest(folder: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    return read_manifest(folder, _NAME.match)


def _write_manifest(folder: Path, entries: dict[str, dict]) -> None:  # type: ignore[type-arg]
    write_manifest(folder, entries, {p.name for p in _backup_files(folder)}, _TEMP_PREFIX)


def _unchanged(folder: Path, mark: str) -> Path | None:
    """The newest backup, if the manifest says it holds the project as ``mark`` describes it."""
    files = _backup_files(folder)
    if not files:
        return None
    entry = _read_manifest(folder).get(files[-1].name)
    try:
        size = files[-1].stat().st_size
    except OSError:
        return None
    if entry is not None and entry.get("fingerprint") == mark and entry.get("size") == size:
        return files[-1]
    return None


def backup_project(project, reason: str = "manual", keep: int | None = None) -> Path:  # type: ignore[no-untyped-def]
    """Back up an open :class:`~annotator.store.project.Project` (through its own connection)."""
    if project.readonly:
        raise BackupError(f"{project.path} is open read-only here; it is backed up where it is open for editing")
    return backup_connection(project.conn, project.path, reason, keep)


def backup_file(project_path: str | Path, reason: str = "manual", keep: int | None = None) -> Path:
    """Back up a project file that is not open in this process."""
    path = Path(project_path)
    connection.check_header(path)
    with connection.translated("read", path):
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=connection.BUSY_TIMEOUT_MS / 1000)
    try:
        with connection.translated("read", path):
            connection.validate(conn, path)
        return backup_connection(conn, path, reason, keep)
    finally:
        conn.close()


def backup_in_own_connection(project_path: str | Path, reason: str = "manual", keep: int | None = None) -> Path:
    """Back up a project this process has open, through a connection of its own (e.g. in a background thread).

    The file is only ever opened through SQLite: opening and closing it directly would drop the POSIX locks the
    process's other connections hold on it."""
    path = Path(project_path)
    conn = own_connection(path)
    try:
        return backup_connection(conn, path, reason, keep)
    finally:
        conn.close()


def own_connection(path: Path) -> sqlite3.Connection:
    """A connection of its own to a project (see :func:`backup_in_own_connection`)."""
    with _translated(f"cannot back up {path.name}"):
        return beside.connect(path, f"file:{quote(str(path.resolve()))}", isolation_level=None,
                              timeout=connection.BUSY_TIMEOUT_MS / 1000)


def _unique(folder: Path, base: str) -> Path:
    target = folder / f"{base}{SUFFIX}"
    n = 2
    while target.exists():
        target = folder / f"{base}-{n}{SUFFIX}"
        n += 1
    return target


def rotate(project_path: str | Path, keep: int | None = None) -> list[Path]:
    """Delete the backups age-based retention does not keep (and beyond the newest ``keep``, if given) and stale
    temporary files; returns what was deleted."""
    folder = folder_for(project_path)
    deleted: list[Path] = []
    files = _backup_files(folder)
    created = {p: _created(_NAME.match(p.name)) for p in files}  # type: ignore[arg-type]
    kept = kept_by_age(created, datetime.now(UTC))
    if keep is not None:
        kept &= set(files[max(0, len(files) - keep):])
    for old in files:
        if old in kept:
            continue
        with contextlib.suppress(OSError):
            old.unlink()
            deleted.append(old)
    if deleted:
        _write_manifest(folder, _read_manifest(folder))
    with contextlib.suppress(OSError):
        now = time.time()
        for tmp in folder.glob(f"{_TEMP_PREFIX}*"):
            with contextlib.suppress(OSError):
                if now - tmp.stat().st_mtime > _STALE_TEMP_SECONDS:
                    tmp.unlink()
    return deleted


def discard(backup: Path) -> None:
    """Delete one backup this program has just made and found needless (a restore refused after it: the project
    is as the backup before it holds), and its manifest entry."""
    _remove(backup)
    folder = backup.parent
    _write_manifest(folder, _read_manifest(folder))


# -- listing --------------------------------------------------------------------------------------------------------


def _backup_files(folder: Path) -> list[Path]:
    """Backup files in a folder, oldest first (temporary and foreign files are not backups)."""
    try:
        names = [p for p in folder.iterdir() if _NAME.match(p.name)]
    except OSError:
        return []
    return sorted(names, key=lambda p: p.name)


def _read_only_uri(path: Path) -> str:
    # immutable: a backup is never written, and reading it must leave nothing beside it
    return path.resolve().as_uri() + "?mode=ro&immutable=1"


def info(path: Path) -> BackupInfo:
    """What one backup file holds (documents, spans), or why it cannot be read."""
    match = _NAME.match(path.name)
    if match is None:
        raise BackupError(f"{path.name} is not a backup file")
    created, reason = _created(match), match.group(2)

    def unreadable(size: int, problem: str) -> BackupInfo:
        # the listing names each backup and its folder already: a problem repeating the whole path ran past the
        # restore dialog's cell before it said what is wrong
        return BackupInfo(path, created, reason, size, None, None, problem.replace(str(path), path.name))

    try:
        size = path.stat().st_size
    except OSError as exc:
        return unreadable(0, exc.strerror or str(exc))
    try:
        connection.check_header(path)
        conn = sqlite3.connect(_read_only_uri(path), uri=True)
        try:
            connection.validate(conn, path)
            documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            spans = conn.execute("SELECT count(*) FROM spans").fetchone()[0]
        finally:
            conn.close()
    except ProjectFileError as exc:
        return unreadable(size, exc.message)
    except sqlite3.Error as exc:
        return unreadable(size, connection.user_problem(exc) or str(exc))
    return BackupInfo(path, created, reason, size, int(documents), int(spans))


def list_backups(project_path: str | Path) -> list[BackupInfo]:
    """The project's backups, newest first: as the manifest describes them, without opening them; a backup it does
    not describe (or with another size: replaced since) is opened and checked (:func:`info`)."""
    folder = folder_for(project_path)
    entries = _read_manifest(folder)
    listed = []
    for path in reversed(_backup_files(folder)):
        entry = entries.get(path.name)
        match = _NAME.match(path.name)
        try:
            size = path.stat().st_size
        except OSError:
            size = -1
        if entry is not None and match is not None and entry["size"] == size:
            listed.append(BackupInfo(path, _created(match), match.group(2), size, entry["documents"], entry["spans"]))
        else:
            listed.append(info(path))
    return listed


def find(project_path: str | Path, which: str) -> Path:
    """A backup named on the command line: its number in the list (1 = newest), its file name, or a path."""
    listed = list(reversed(_backup_files(folder_for(project_path))))
    if which.isdigit() and not Path(which).exists():
        n = int(which)
        if not 1 <= n <= len(listed):
            raise BackupError(
                f"no backup {n}: {Path(project_path).name} has {len(listed)} backup(s)"
                + (" (see `annotator restore PROJECT --list`)" if listed else "")
            )
        return listed[n - 1]
    for path in listed:
        if path.name == which:
            return path
    candidate = Path(which)
    if candidate.is_file():
        return candidate
    raise BackupError(f"no backup {which!r} of {Path(project_path).name} (see `annotator restore PROJECT --list`)")
