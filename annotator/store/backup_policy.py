"""What backups keep and skip (annotator/store/backups.py): a project's fingerprint (has it changed since its last
backup?), retention by age, and the backup folder's manifest (what each backup holds, so listing opens none)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

#: the age rungs of retention: (age up to, one backup kept per period of) -- the last hour keeps every one
AGE_RUNGS = (
    (timedelta(days=1), "hour"),
    (timedelta(days=7), "day"),
    (timedelta(days=31), "week"),
)
#: reasons that skip the copy when the project has not changed since the newest backup
SKIP_UNCHANGED = frozenset({"open", "periodic"})
MANIFEST = "manifest.json"

def fingerprint(conn: sqlite3.Connection) -> str:
    """What the project holds, in a few counters read from indexes (no table is scanned for its content): the
    history (every edit appends to it), the spans' and documents' ids and counts (a write that logs nothing), the
    decisions, the settings and the schema. Equal fingerprints: nothing to back up again."""
    parts = [conn.execute("PRAGMA schema_version").fetchone()[0], conn.execute("PRAGMA user_version").fetchone()[0]]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in ("history", "spans", "documents", "review_decisions", "labels"):
        if table in tables:
            parts += conn.execute(f"SELECT coalesce(max(rowid), 0), count(*) FROM {table}").fetchone()
    if "settings" in tables:
        parts.append(conn.execute("SELECT group_concat(key || '=' || value, char(1)) FROM settings").fetchone()[0])
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogateescape")).hexdigest()


def kept_by_age(created: dict[Path, datetime], now: datetime) -> set[Path]:
    """Which backups age-based retention keeps: all of the last hour; the newest of each hour of the last day, of
    each day of the last week, of each week of the last month; none older -- but always the newest one."""
    kept: set[Path] = set()
    periods: set[tuple[str, object]] = set()
    newest_first = sorted(created, key=lambda p: created[p], reverse=True)
    for path in newest_first:
        when = created[path]
        age = now - when
        if age < timedelta(hours=1):  # also a time ahead of the clock (set back): kept
            kept.add(path)
            continue
        rung = next((unit for limit, unit in AGE_RUNGS if age < limit), None)
        if rung is None:
            continue
        period: object = {"hour": when.replace(minute=0, second=0, microsecond=0), "day": when.date(),
                          "week": when.isocalendar()[:2]}[rung]
        if (rung, period) not in periods:
            periods.add((rung, period))
            kept.add(path)
    if newest_first:
        kept.add(newest_first[0])
    return kept


def read_manifest(folder: Path, is_backup_name: Callable[[str], object]) -> dict[str, dict]:  # type: ignore[type-arg]
    """The manifest's entries by file name; an absent, unreadable or malformed manifest is empty (every backup is
    then opened to be listed, as before there was one)."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found = data.get("backups") if isinstance(data, dict) and data.get("version") == 1 else None
    if not isinstance(found, dict):
        return {}
    good = {}
    for name, entry in found.items():
        if (isinstance(name, str) and is_backup_name(name) and isinstance(entry, dict)
                and all(type(entry.get(k)) is int and entry[k] >= 0 for k in ("size", "documents", "spans"))
                and isinstance(entry.get("fingerprint"), str)):
            good[name] = entry
    return good


def write_manifest(
    folder: Path, entries: dict[str, dict], present: set[str], temp_prefix: str  # type: ignore[type-arg]
) -> None:
    """Write the manifest (temporary file, then rename), describing only backups that are there. A manifest that
    cannot be written is not an error: listing then opens the backups, as it did before."""
    data = {"version": 1, "backups": {n: e for n, e in sorted(entries.items()) if n in present}}
    with contextlib.suppress(OSError):
        fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix, suffix=".json", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=1)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp_name, folder / MANIFEST)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
            raise
