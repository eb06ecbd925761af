"""Fault injection: a stand-in for a project's SQLite connection that fails at its Nth call."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any


def disk_io_error() -> BaseException:
    return sqlite3.OperationalError("disk I/O error")


def disk_full_error() -> BaseException:
    return sqlite3.OperationalError("database or disk is full")


class FaultyConnection:
    """Counts ``execute``/``executemany`` calls and raises ``error()`` at call number ``fail_at`` (once).

    Everything else (``in_transaction``, ``backup``, ``total_changes``, ...) is the real connection's.
    """

    def __init__(self, conn: sqlite3.Connection, fail_at: int | None = None,
                 error: Callable[[], BaseException] = disk_io_error, counter: list[int] | None = None,
                 when: Callable[[str], bool] | None = None) -> None:
        self._conn = conn
        self.fail_at = fail_at
        self.when = when  # or: fail at the first statement this is true of
        self.error = error
        self.counter = counter if counter is not None else [0]  # shared between connections when given
        self.failed_sql: str | None = None

    @property
    def calls(self) -> int:
        return self.counter[0]

    def _tick(self, sql: str) -> None:
        self.counter[0] += 1
        if self.counter[0] == self.fail_at or (self.when is not None and self.failed_sql is None and self.when(sql)):
            self.failed_sql = sql
            raise self.error()

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        self._tick(sql)
        return self._conn.execute(sql, params)

    def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
        self._tick(sql)
        return self._conn.executemany(sql, rows)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    @property
    def real(self) -> sqlite3.Connection:
        return self._conn
