"""Taking an import back: the project is backed up before an import when that is cheap beside the import, and the
import's summary says how to restore it (trial 13, F12: a wrong folder left statements and labels to delete one by
one, and nothing said a backup could take it back).

An import is not one undoable step (Edit ▸ Undo): a folder of thousands of statements would be held in the undo
stack. A backup through SQLite's backup API is the whole project as it was, restored by File ▸ Restore from Backup…
or ``annotator restore`` (which back the project up first, so the restore can be taken back too).

Cost, measured on 2 shared cores (2 000 and 20 000 JSON Lines statements of 2 000 characters imported, the project
backed up, then a tenth as many statements imported into it): a backup copies the project at 140-360 MB/s (a
20 MB project 0.15 s, 200 MB 0.57 s), an import reads its files at 12-16 MB/s, and a project is about five times
the size of the files it was made from.
So a backup costs at most about the import itself while the project is under :data:`RATIO` times the files
imported, and never more than a blink under :data:`FREE_BYTES`; above both (one small file into a large project)
none is made and the summary names the newest backup instead, and what restoring it would also take back.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path

from annotator.store import backups, connection

#: a project this small is always backed up before an import (about 0.15 s)
FREE_BYTES = 32 * 1024 * 1024
#: a larger one when it is at most this many times the size of the files imported (the backup then costs about
#: what the import does)
RATIO = 10
REASON = "before-import"


def _size(path: Path) -> int:
    total = 0
    for suffix in ("", "-wal"):
        with contextlib.suppress(OSError):
            total += Path(f"{path}{suffix}").stat().st_size
    return total


class ImportBackup:
    """Made (or not) before an import's first file; :meth:`note` is the summary's line afterwards.

    The backup reads the project through a connection of its own (``backups.backup_in_own_connection``), so the
    import's connection makes one call more than before, before its transaction, and none after it: a failure of
    any of them leaves the project as it was and says so in one line (``tests/reliability/test_faults.py``). A
    backup that cannot be made (its folder's disk full) does not stop the import; the summary says so."""

    def __init__(self, project, files: Iterable[Path], in_window: bool) -> None:  # type: ignore[no-untyped-def]
        self.project = project
        self.in_window = in_window
        self.backup: Path | None = None
        self.why_none = ""
        self.held = False  # the project held statements: something to take back to
        if project.readonly:
            return  # refused at once
        with connection.translated("import", project.path):
            self.held = project.conn.execute("SELECT 1 FROM documents LIMIT 1").fetchone() is not None
        if not self.held:
            return  # nothing to lose: an empty project
        incoming = sum(_size(p) for p in files)
        size = _size(Path(project.path))
        if size > max(FREE_BYTES, RATIO * incoming):
            self.why_none = (f"no backup was made before this import: the project ({backups.human_size(size)}) is more "
                             f"than {RATIO} times the files imported ({backups.human_size(incoming)})")
            return
        try:
            self.backup = backups.backup_in_own_connection(project.path, REASON)
        except backups.BackupError as exc:
            self.why_none = f"no backup could be made before this import: {exc.message}"

    def note(self, changed: bool) -> list[str]:
        """How to take the import back, when it ``changed`` the project; a backup made needlessly is discarded."""
        if not self.held:
            return []
        if not changed:
            if self.backup is not None:
                with contextlib.suppress(OSError, backups.BackupError):
                    backups.discard(self.backup)
            return []
        if self.backup is not None:
            when = backups.info(self.backup).local_time()
            if self.in_window:
                return [f"to take this import back: File ▸ Restore from Backup…, the backup 'before an import' of "
                        f"{when} (changes made after the import would go with it)"]
            return [f"to take this import back: annotator restore {self.project.path} {self.backup.name} (the "
                    f"backup made just before it, {when}; changes made after the import would go with it)"]
        newest = next(iter(backups.list_backups(self.project.path)), None)
        if newest is None:
            return [f"{self.why_none}; the project has no backup yet to take it back with"]
        where = "File ▸ Restore from Backup…" if self.in_window else f"annotator restore {self.project.path} 1"
        return [f"{self.why_none}; the newest backup is '{newest.why}' of {newest.local_time()} ({where}): "
                "restoring it takes back this import and every change made since"]
