"""Who holds POSIX locks on a file, read from ``/proc/locks`` (Linux) without opening the file.

SQLite keeps, for as long as a WAL-mode connection is open, a shared lock on the database file's SHARED range and
on the ``-shm`` file's dead-man-switch byte. Seeing those from outside tells whether a window still holds its
project properly (a file dialog that sniffed the file would have dropped them; DESIGN.md §7) and whether a
``-wal`` beside a project belongs to a live connection. Where ``/proc/locks`` cannot be read the answer is None:
unknown, and callers choose the safe path.
"""

from __future__ import annotations

import os
from pathlib import Path

PROC_LOCKS = Path("/proc/locks")


def holders(path: str | os.PathLike[str]) -> set[int] | None:
    """The process ids holding a POSIX lock on ``path`` (any range), or None if that cannot be known."""
    try:
        st = os.stat(path)
    except OSError:
        return set()
    try:
        text = PROC_LOCKS.read_text(errors="replace")
    except OSError:
        return None
    wanted = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    pids: set[int] = set()
    for line in text.splitlines():
        fields = line.split()
        # "1: POSIX  ADVISORY  READ 1234 fe:00:2149711 1073741826 1073742335" (blocked waiters start with "->")
        if len(fields) >= 6 and fields[1] == "POSIX" and fields[5] == wanted and fields[4].isdigit():
            pids.add(int(fields[4]))
    return pids


def held_by(path: str | os.PathLike[str], pid: int) -> bool | None:
    found = holders(path)
    return None if found is None else pid in found


def others(path: str | os.PathLike[str]) -> set[int] | None:
    """Processes other than this one holding locks on ``path`` (None: unknown)."""
    found = holders(path)
    return None if found is None else found - {os.getpid()}
