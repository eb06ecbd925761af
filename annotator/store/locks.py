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


class OwnLocks:
    """Whether this process still holds its POSIX locks on one file, read from ``/proc/self/fdinfo`` of the
    descriptors open on it: Linux lists there the locks taken through each open file. About 0.3 ms, steadily --
    ``/proc/locks`` often costs that too but waits out an RCU grace period now and then (6-8 ms measured here),
    which on every write was most of a label key press.

    The answer is trusted only once it has been seen to agree with ``/proc/locks`` (:meth:`calibrate`): a kernel
    that does not list locks in fdinfo would otherwise look like one whose locks were dropped.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.path.realpath(path)
        self.usable = False
        self._fds: list[int] = []

    def calibrate(self) -> None:
        """Use fdinfo from now on if it shows the locks ``/proc/locks`` says this process holds."""
        self.usable = held_by(self.path, os.getpid()) is True and self._look() is True

    def held(self) -> bool | None:
        """True or False when fdinfo can tell (after a successful :meth:`calibrate`), else None."""
        return self._look() if self.usable else None

    def _look(self) -> bool | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        for rescan in (False, True):
            if rescan:
                self._fds = self._scan()
            for fd in self._fds:
                try:
                    same = os.fstat(fd)
                    if (same.st_dev, same.st_ino) != (st.st_dev, st.st_ino):
                        continue
                    info = _read_proc(f"/proc/self/fdinfo/{fd}")
                except OSError:
                    continue
                if any(line.startswith(b"lock:") and b" POSIX " in line for line in info.splitlines()):
                    return True
        return False

    def _scan(self) -> list[int]:
        found = []
        try:
            names = os.listdir("/proc/self/fd")
        except OSError:
            return found
        for name in names:
            try:
                if os.readlink(f"/proc/self/fd/{name}") == self.path:
                    found.append(int(name))
            except (OSError, ValueError):
                continue
        return found


def _read_proc(name: str) -> bytes:
    """A small ``/proc`` file's bytes with bare ``os`` calls: this runs on every write (each label key press), and
    ``Path.read_text`` cost 4x as much (49 vs 13 us, most of the lock check)."""
    fd = os.open(name, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
