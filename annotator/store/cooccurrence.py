"""Which labels occur together (issue 12, "Co-occurrence"): labels × labels, computed in SQLite.

Two spans of one statement co-occur

- by ``overlap``: they share at least one character;
- by ``sentence``: they start in the same sentence. A sentence ends at a line break or at ``.``, ``!`` or ``?``
  followed by a space or a line break (``U.S. policy`` counts as two sentences: the rule is simple and stated, not
  a language model). Two spans whose starts are more than :data:`SENTENCE_REACH` code points apart are not in
  one sentence (no statement sentence is that long, and the bound keeps the query to nearby spans).

Each unordered pair of spans counts once; ``cells[i][j] == cells[j][i]``; the diagonal counts pairs of two spans of
the same label. :func:`statements` lists the statements where two labels co-occur, with the number of pairs.

The overlap pairs come from a range join on the covering index ``spans_by_doc`` (doc_id, start, end, label): each
span, then the spans of its statement starting inside it, without reading a table row. (A table of the pairs kept by
triggers answered faster, but grows with the square of a dense statement's spans.) The sentence pairs come from a
range join on the index ``spans_by_doc`` (the spans starting within :data:`SENTENCE_REACH` of each span), then a look
at the text between the two starts: slower (the text of each statement is read for each nearby pair), so the window
computes it off the GUI thread.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from annotator.errors import AnnotatorError
from annotator.store.corpus import codebook

MODES = ("overlap", "sentence")
SENTENCE_REACH = 1000

#: each pair once: b starts inside a (overlap), or within reach of a's start (sentence); ties by id
_PAIRS = {
    "overlap": ('b.doc_id = a.doc_id AND b.start >= a.start AND b.start < a."end" '
                "AND (b.start > a.start OR b.id > a.id)"),
    "sentence": (f"b.doc_id = a.doc_id AND b.start >= a.start AND b.start < a.start + {SENTENCE_REACH} "
                 "AND (b.start > a.start OR b.id > a.id)"),
}
#: no sentence end between the two starts (the text from a's start up to b's start)
_SAME_SENTENCE = (
    "(b.start = a.start OR NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = a.doc_id AND ("
    "instr(substr(d.text, a.start + 1, b.start - a.start), char(10)) OR "
    "instr(substr(d.text, a.start + 1, b.start - a.start + 1), '. ') OR "
    "instr(substr(d.text, a.start + 1, b.start - a.start + 1), '! ') OR "
    "instr(substr(d.text, a.start + 1, b.start - a.start + 1), '? ') OR "
    "instr(substr(d.text, a.start + 1, b.start - a.start + 1), '.' || char(10)))))"
)


def _condition(mode: str) -> str:
    if mode not in MODES:
        raise AnnotatorError(f"unknown co-occurrence {mode!r}; expected overlap or sentence")
    if mode == "overlap":
        return _PAIRS["overlap"]
    # a pair that overlaps starts in one sentence unless a sentence end lies between the starts: checked like the rest
    return f"{_PAIRS['sentence']} AND {_SAME_SENTENCE}"


@dataclass
class Cooccurrence:
    mode: str
    labels: list[str]
    names: dict[str, str]
    cells: list[list[int]]  # pairs of spans

    def total(self) -> int:
        n = len(self.labels)
        return sum(self.cells[i][j] for i in range(n) for j in range(i, n))


def _pairs_from(mode: str) -> str:
    """``FROM ...`` giving the co-occurring pairs as spans ``a`` and ``b``."""
    condition = _condition(mode)  # an unknown mode is refused here
    if mode == "overlap":  # both sides from the covering index: a scan of it, and a seek per span
        return f"FROM spans a INDEXED BY spans_by_doc JOIN spans b INDEXED BY spans_by_doc ON {condition}"
    return f"FROM spans a JOIN spans b ON {condition}"


def cooccurrence(conn: sqlite3.Connection, mode: str = "overlap") -> Cooccurrence:
    """The labels × labels table of co-occurring pairs of spans (one aggregate query)."""
    sql = f"SELECT a.label, b.label, count(*) {_pairs_from(mode)} GROUP BY 1, 2"
    found = conn.execute(sql).fetchall()
    labels, names = codebook(conn)
    extra = sorted({x for r in found for x in r[:2]} - set(labels))
    labels += extra
    names.update({k: k for k in extra})
    at = {k: i for i, k in enumerate(labels)}
    cells = [[0] * len(labels) for _ in labels]
    for x, y, n in found:  # ordered (a, b) pairs folded into the symmetric table: a handful of rows
        i, j = at[x], at[y]
        cells[i][j] += n
        if i != j:
            cells[j][i] += n
    return Cooccurrence(mode, labels, names, cells)


def statements(conn: sqlite3.Connection, x: str, y: str, mode: str = "overlap") -> list[dict[str, Any]]:
    """The statements where labels ``x`` and ``y`` co-occur: ``{"doc_id", "title", "pairs"}``, most pairs first."""
    sql = (f"SELECT a.doc_id, count(*) {_pairs_from(mode)} "
           "WHERE (a.label = ? AND b.label = ?) OR (a.label = ? AND b.label = ?) GROUP BY a.doc_id")
    counts = conn.execute(sql, (x, y, y, x)).fetchall()
    titles = {}
    ids = [d for d, _ in counts]
    for k in range(0, len(ids), 500):
        chunk = ids[k:k + 500]
        q = f"SELECT id, title FROM documents WHERE id IN ({','.join('?' * len(chunk))})"
        titles.update(dict(conn.execute(q, chunk)))
    rows = [{"doc_id": d, "title": titles.get(d, ""), "pairs": n} for d, n in counts]
    rows.sort(key=lambda r: (-r["pairs"], r["doc_id"]))
    return rows
