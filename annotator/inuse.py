"""The project files this process has open through SQLite, so nothing else in the process opens them again.

POSIX locks belong to the process: closing *any* descriptor of a file drops every lock the process holds on it,
SQLite's included (sqlite.org "How To Corrupt An SQLite Database File" §2.2). A window that opened its own project
again through Python's ``open`` (to sniff a header, copy it as a "colleague file", import it as a statement) would
silently lose its locks, and the next command-line run would checkpoint and delete the ``-wal`` the window still
writes to. So every raw read of an input file goes through :func:`refuse_if_open_here` first, which compares
inodes (``stat`` opens nothing) with the project files registered here, their ``-wal`` and ``-shm`` included.

This module knows no SQLite and no Qt; the store registers what it opens.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from annotator.errors import AnnotatorError

_lock = threading.Lock()
_open: dict[Path, int] = {}  # absolute project path -> number of open connections in this process
#: absolute project path -> (st_dev, st_ino) of its file, ``-wal`` and ``-shm`` as the editing connection opened
#: them (``store/beside.py`` opens second connections onto those files only)
_files: dict[Path, tuple[tuple[int, int] | None, ...]] = {}
#: absolute project path -> why no second connection may be opened on it (its file was overwritten in place by
#: another program: ``store/overwrite.py``), until the project is closed
_refused: dict[Path, str] = {}

COMPANIONS = ("", "-wal", "-shm", "-journal")


def _key(path: str | os.PathLike[str]) -> Path:
    return Path(os.path.abspath(os.fspath(path)))


def register(path: str | os.PathLike[str]) -> None:
    with _lock:
        key = _key(path)
        _open[key] = _open.get(key, 0) + 1


def unregister(path: str | os.PathLike[str]) -> None:
    with _lock:
        key = _key(path)
        left = _open.get(key, 0) - 1
        if left > 0:
            _open[key] = left
        else:
            _open.pop(key, None)
            _files.pop(key, None)
            _refused.pop(key, None)


def remember_files(path: str | os.PathLike[str], ids: tuple[tuple[int, int] | None, ...]) -> None:
    """The identities of the files an editing connection on ``path`` has open (at open, after a recovery)."""
    with _lock:
        _files[_key(path)] = ids


def refuse_beside(path: str | os.PathLike[str], why: str) -> None:
    """No second connection onto ``path`` from now on until it is closed here (``beside.connect`` says ``why``)."""
    with _lock:
        _refused[_key(path)] = why


def refusal(path: str | os.PathLike[str]) -> str | None:
    with _lock:
        return _refused.get(_key(path))


def files_of(path: str | os.PathLike[str]) -> tuple[tuple[int, int] | None, ...] | None:
    with _lock:
        return _files.get(_key(path))


def identity(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """(st_dev, st_ino) of the file at ``path``, None when there is none."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino)


def open_project_of(path: str | os.PathLike[str]) -> Path | None:
    """The project open in this process that ``path`` is (or is the ``-wal``/``-shm`` of), by inode, or None."""
    with _lock:
        projects = list(_open)
    if not projects:
        return None
    target = identity(path)
    if target is None:
        return None
    for project in projects:
        for suffix in COMPANIONS:
            if identity(f"{project}{suffix}") == target:
                return project
    return None


def refuse_if_open_here(path: str | os.PathLike[str], action: str = "read") -> None:
    """Raise a clear error when ``path`` is a project file this process has open (reading it through another
    descriptor would drop the process's locks on it)."""
    project = open_project_of(path)
    if project is not None:
        raise AnnotatorError(
            f"cannot {action} {path}: it is the project open in this window ({project.name}); "
            "pick another file"
        )
