"""Which labels occur together (issue 12, "Co-occurrence"): labels × labels, computed in SQLite.

Two spans of one statement co-occur

- by ``overlap``: they share at least one character;
- by ``sentence``: they start in the same sentence, as ``core.suggest.segment.sentences`` cuts the text (the units
  suggestions cover: a sentence ends at ``.``, ``!`` or ``?`` before a capital, digit or opening quote, or at a line
  break; "U.S." and "Mr." end nothing). A span starting in the blank between two sentences is in the one before.

Each unordered pair of spans counts once; ``cells[i][j] == cells[j][i]``; the diagonal counts pairs of two spans of
the same label. :func:`statements` lists the statements where two labels co-occur, with the number of pairs. Both
count the statements of a status choice (``status``, as in ``corpus``).

Both are read from per-statement counts of pairs by label pair (``overlap_pairs``, ``sentence_pairs``, schema v5)
that triggers on ``spans`` keep in every write's transaction (``schema._V5_CORPUS``): the table is a GROUP BY over
them. Neither keeps a row per pair (a dense statement's pairs grow with the square of its spans).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from annotator.errors import AnnotatorError
from annotator.store.corpus import codebook
from annotator.store.counting import ALL, Counting, counting

MODES = ("overlap", "sentence")
#: each mode's query over its table of pair counts (one constant text per mode; ``{where}``: which statements)
_TABLE_SQL = {
    "overlap": "SELECT x, y, sum(pairs) AS pairs FROM overlap_pairs{where} GROUP BY x, y",
    "sentence": "SELECT x, y, sum(pairs) AS pairs FROM sentence_pairs{where} GROUP BY x, y",
}
_STATEMENTS_SQL = {
    "overlap": "SELECT doc_id, pairs FROM overlap_pairs WHERE x = ? AND y = ? AND pairs > 0{where}",
    "sentence": "SELECT doc_id, pairs FROM sentence_pairs WHERE x = ? AND y = ? AND pairs > 0{where}",
}


def _check(mode: str) -> None:
    if mode not in MODES:
        raise AnnotatorError(f"unknown co-occurrence {mode!r}; expected overlap or sentence")


@dataclass
class Cooccurrence:
    mode: str
    labels: list[str]
    names: dict[str, str]
    cells: list[list[int]]  # pairs of spans
    counting: Counting | None = None  # the statements counted (by status), and those left out

    def total(self) -> int:
        n = len(self.labels)
        return sum(self.cells[i][j] for i in range(n) for j in range(i, n))


def cooccurrence(conn: sqlite3.Connection, mode: str = "overlap", status: str = ALL) -> Cooccurrence:
    """The labels × labels table of co-occurring pairs of spans in the statements ``status`` counts (a choice of
    ``counting.CHOICES``; every statement unless told): one aggregate query."""
    _check(mode)
    counted = counting(conn, status)
    inner, params = counted.additive(lambda where: _TABLE_SQL[mode].replace("{where}", where), "doc_id", ("x", "y"),
                                     ("pairs",))
    found = [r for r in conn.execute(f"SELECT x, y, sum(pairs) FROM ({inner}) GROUP BY x, y", params) if r[2]]
    labels, names = codebook(conn)
    extra = sorted({x for r in found for x in r[:2]} - set(labels))
    labels += extra
    names.update({k: k for k in extra})
    at = {k: i for i, k in enumerate(labels)}
    cells = [[0] * len(labels) for _ in labels]
    for x, y, n in found:  # label pairs (x <= y) folded into the symmetric table: a handful of rows
        i, j = at[x], at[y]
        cells[i][j] += n
        if i != j:
            cells[j][i] += n
    return Cooccurrence(mode, labels, names, cells, counted)


def statements(conn: sqlite3.Connection, x: str, y: str, mode: str = "overlap",
               status: str = ALL) -> list[dict[str, Any]]:
    """The statements ``status`` counts where labels ``x`` and ``y`` co-occur: ``{"doc_id", "title", "pairs"}``,
    most pairs first."""
    _check(mode)
    where, kept = counting(conn, status).where("doc_id", " AND ")
    counts = conn.execute(_STATEMENTS_SQL[mode].replace("{where}", where), (min(x, y), max(x, y), *kept)).fetchall()
    titles = {}
    ids = [d for d, _ in counts]
    for k in range(0, len(ids), 500):
        chunk = ids[k:k + 500]
        q = f"SELECT id, title FROM documents WHERE id IN ({','.join('?' * len(chunk))})"
        titles.update(dict(conn.execute(q, chunk)))
    rows = [{"doc_id": d, "title": titles.get(d, ""), "pairs": n} for d, n in counts]
    rows.sort(key=lambda r: (-r["pairs"], r["doc_id"]))
    return rows
