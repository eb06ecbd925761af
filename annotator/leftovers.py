"""Temporary files of killed runs, named so that the next run can remove them (DESIGN.md §6).

Every temporary file or folder we make beside a target (an export's ``.NAME.….part``, a brat export's hidden
folder, a project being created) or in the temp folder (a read-only project's private copy) carries a tag
``HOST-PID`` in its name: a hash of this machine's name and the creating process's id. On the next run,
:func:`clean_beside` and :func:`clean_temp_folder` remove the ones whose process is gone:

- made on this machine by a process that no longer exists: removed;
- made by a live process (this one included, or a process that reused the id): kept;
- made on another machine (a shared or synced folder), on a system where liveness cannot be checked, or named by an
  older version without a tag: removed only once untouched for :data:`STALE_AFTER_S` (a week for private copies,
  which a window reading a colleague's file can keep for days).

Only names of exactly our shapes are considered; nothing else in a folder is ever touched.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import tempfile
import time
from pathlib import Path

#: the prefix of a read-only project's private copy in the temp folder
READONLY_PREFIX = "annotator-readonly-"
#: a temporary file we cannot attribute to a process on this machine is left alone until untouched this long
STALE_AFTER_S = 24 * 3600
#: ... and a private copy in the temp folder (a window may read one for days)
STALE_COPY_AFTER_S = 7 * 24 * 3600

_HOST = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]
#: HOST-PID- then mkstemp's random part
_TAGGED = re.compile(r"(?P<host>[0-9a-f]{6})-(?P<pid>[0-9]+)-[A-Za-z0-9_]+")
#: what mkstemp/mkdtemp and secrets.token_hex add (older versions' untagged names)
_UNTAGGED = re.compile(r"[A-Za-z0-9_]{4,}")
#: what a restore leaves beside a project when it is killed (``store/restoring.py``): the backup's copy, and the
#: replaced file kept by a second name until it is let go of; removed by the next restore and the next open
RESTORE_SUFFIXES = (".restoring", ".replaced")
#: files SQLite keeps beside a database being created
_SQLITE_SIDES = ("-journal", "-wal", "-shm")


def tag() -> str:
    """``HOST-PID-``: what a temporary name made by this process starts with (after its fixed prefix)."""
    return f"{_HOST}-{os.getpid()}-"


def temp_prefix(target: Path) -> str:
    """The name prefix of a temporary file or folder beside ``target`` (``.NAME.HOST-PID-``)."""
    return f".{target.name}.{tag()}"


def readonly_prefix() -> str:
    """The name prefix of a read-only project's private copy in the temp folder."""
    return f"{READONLY_PREFIX}{tag()}"


def _alive(pid: int) -> bool | None:
    """Whether a process with this id exists; None where that cannot be asked safely (Windows: ``os.kill(pid, 0)``
    sends CTRL+C there)."""
    if os.name == "nt":
        return None
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, it is another user's
        return True
    return True


def _stale(middle: str, path: Path, untouched_for: float, now: float) -> bool:
    """Whether a temporary name whose variable part is ``middle`` belongs to no live run."""
    found = _TAGGED.fullmatch(middle)
    if found is not None and found["host"] == _HOST:
        alive = _alive(int(found["pid"]))
        if alive is not None:
            return not alive
    elif found is None and not _UNTAGGED.fullmatch(middle):
        return False  # not a name of ours
    try:
        return now - path.lstat().st_mtime > untouched_for
    except OSError:
        return False


def _remove(path: Path) -> bool:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        return False  # another run cleaned it first
    except OSError:
        return False  # not ours to remove after all (permissions): left alone, never an error
    return True


def clean_beside(target: Path, suffixes: tuple[str, ...] = (".part",)) -> list[Path]:
    """Remove the stale temporary files and folders of earlier runs writing ``target`` (``.NAME.….part``, or
    ``.NAME.….creating`` with SQLite's ``-journal``/``-wal``/``-shm`` beside it); returns what was removed.

    Never raises: a folder that cannot be listed has nothing we can clean.
    """
    target = Path(target)
    head = f".{target.name}."
    removed: list[Path] = []
    now = time.time()
    try:
        entries = [e.name for e in os.scandir(target.parent if str(target.parent) else ".") if e.name.startswith(head)]
    except OSError:
        return removed
    for name in sorted(entries, key=len):  # a database before its -journal, which goes only once it is gone
        rest = name[len(head):]
        for suffix in suffixes:
            side = next((s for s in ("", *_SQLITE_SIDES) if rest.endswith(suffix + s)), None)
            if side is None:
                continue
            if side:  # a -journal/-wal/-shm goes with its database: only once the database itself is gone
                main = target.parent / name[: -len(side)]
                if os.path.lexists(main):
                    break
            middle = rest[: -len(suffix + side)]
            path = target.parent / name
            if _stale(middle, path, STALE_AFTER_S, now) and _remove(path):
                removed.append(path)
            break
    return removed


def clean_temp_folder(folder: str | Path | None = None) -> list[Path]:
    """Remove the private copies (``annotator-readonly-…``) that killed readers left in the temp folder."""
    base = Path(folder or tempfile.gettempdir())
    removed: list[Path] = []
    now = time.time()
    try:
        entries = [e.name for e in os.scandir(base) if e.name.startswith(READONLY_PREFIX)]
    except OSError:
        return removed
    for name in entries:
        path = base / name
        if _stale(name[len(READONLY_PREFIX):], path, STALE_COPY_AFTER_S, now) and _remove(path):
            removed.append(path)
    return removed
