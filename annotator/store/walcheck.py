"""A ``-wal`` beside the project that no live connection owns (left by a crash, or foreign: a copied pair, a synced
folder) is tried on a private copy before SQLite may apply it to the project (DESIGN.md §2.2, §7).

SQLite applies any ``-wal`` whose header and checksums are valid, whatever database wrote it, and a refused open
would still fold it in at close. The pair is opened only if, applied to a copy, the journal continues the file
(``store/stamp.py``: the same project, no fewer writes) and the result is whole (``integrity_check``: every index
against its table); the real files are left exactly as they were otherwise.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from annotator import inuse, leftovers
from annotator.errors import ProjectFileError
from annotator.store import connection, locks
from annotator.store import stamp as stamps
from annotator.store.connection import _connect, check_identity, sqlite_check, translated


def wal_live(path: Path) -> bool:
    """Whether another process has the project open now (its SQLite locks are on the file or its ``-shm``):
    then the ``-wal`` is that connection's own, already checked when it opened."""
    for target in (path, Path(f"{path}-shm")):
        found = locks.others(target)
        if found:
            return True
    return False


def check_wal(path: Path, cancelled: Callable[[], bool] | None = None, keep: bool = False,
              colleague: bool = False) -> Path | None:
    """Refuse a ``-wal`` beside the project that is not the project's; see the module docstring. The check's
    ``integrity_check`` is bounded by the file's size (``connection.budget_for``: a file made to stall it is refused)
    and stops (``errors.Cancelled``) once ``cancelled()``. ``keep``: return the private folder whose
    ``project.sqlite`` is the pair checked, for the caller to read (a colleague's file: copied once, not twice) and
    remove; None when there was nothing to check. ``colleague``: the file is a colleague's, read for a review (the
    advice is theirs to follow, not to move files in their folder or restore a backup)."""
    if not connection.wal_pending(path) or inuse.open_project_of(path) is not None or wal_live(path):
        return None
    workdir = Path(tempfile.mkdtemp(prefix=leftovers.readonly_prefix()))  # named for leftovers.clean_temp_folder
    kept = False
    try:
        copy = workdir / "project.sqlite"
        shutil.copyfile(path, copy)
        try:  # the file alone: its stamp, if it reads (a checkpoint cut short by a crash or a full disk leaves it
            before = _identify_copy(copy, path)  # part old, part new: only the pair is whole then)
        except ProjectFileError:
            before = None  # the stamp cannot tell: the pair must be whole
        _remove(Path(f"{copy}-wal"), Path(f"{copy}-shm"))
        try:
            shutil.copyfile(f"{path}-wal", f"{copy}-wal")
        except FileNotFoundError:  # its connection closed meanwhile and folded it into the project: none left
            return None
        try:
            after: stamps.Stamp | None | bool = _identify_copy(copy, path, whole=True, cancelled=cancelled)
        except ProjectFileError:
            after = False  # not a project, or not whole, with it
        if after is not False and stamps.continues(before, after):  # type: ignore[arg-type]
            kept = keep
            return workdir if keep else None
        if after is False:  # is the file alone whole? Then the -wal is what breaks it
            _remove(copy, Path(f"{copy}-wal"), Path(f"{copy}-shm"))
            shutil.copyfile(path, copy)
            _identify_copy(copy, path, whole=True, cancelled=cancelled)  # the file's own damage, as without a -wal
        raise ProjectFileError(f"{path.name}-wal beside {path} is not this project's journal (it would replace the "
                               f"project with other data); nothing was changed. {_advice(path, colleague)}")
    finally:
        if not kept:
            shutil.rmtree(workdir, ignore_errors=True)


def _advice(path: Path, colleague: bool) -> str:
    if colleague:  # (trial 11, L3) their folder is theirs: a review reads it and never moves or writes a file
        return (f"This is a colleague's file, so it was not read: ask them for a clean copy (their project closed in "
                f"Annotator, without {path.name}-wal beside it) or an export of it (annotator export, JSON Lines), "
                "and open that")
    return (f"Move {path.name}-wal out of the folder to open the project as it was last saved in full, or restore "
            "a backup")


def _identify_copy(copy: Path, shown: Path, whole: bool = False,
                   cancelled: Callable[[], bool] | None = None) -> stamps.Stamp | None:
    """The private copy is a project (its identity), and its stamp; ``whole``: and SQLite's ``integrity_check``
    finds nothing, which compares every index with its table. A ``-wal`` of another project of this version, or of
    this one at another time, keeps our schema, and ``quick_check`` passes the mix (tried with a project made from
    brat's news corpus: "row 1 missing from index documents_listing"). Only the crash or foreign ``-wal`` path
    pays for it: 4 s at 100 000 statements."""
    conn = _connect(copy)
    try:
        with translated("open", shown):
            check_identity(conn, shown)
            if whole:
                budget = connection.budget_for(copy) + connection.budget_for(Path(f"{copy}-wal"))
                with connection.bounded(conn, budget, shown, cancelled):
                    sqlite_check(conn, shown, whole=True)
            return stamps.read(conn)
    finally:
        conn.close()


def _remove(*files: Path) -> None:
    for leftover in files:
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
