"""Labelling search hits: one transaction that adds a span per hit (issue 12, "label the hits").

Each hit is snapped to whole words as a label key snaps a selection in the statement (``snap_to_words``); a hit
whose snapped range a span of the same label already covers is skipped and counted, as is a second hit that snaps
to the same range, and a hit in a statement's memo (spans are on the text). The result holds the spans made and
the statements it moved from "to do" to "in progress", so :func:`undo` takes the step back whole and :func:`redo`
replays it with the same ids.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import orjson

from annotator import pacing
from annotator.core.model import Span
from annotator.core.search.hits import Hit
from annotator.core.text import snap_to_words
from annotator.errors import AnnotatorError
from annotator.store import ids, sentences
from annotator.store.exporting import span_row
from annotator.store.project import Project
from annotator.store.writing import now

_SPAN_COLUMNS = 'id, doc_id, start, "end", label, annotator, note, origin, created, updated'


@dataclass
class Labelled:
    label: str
    spans: list[Span] = field(default_factory=list)
    skipped: int = 0  # already covered by a span of the label (or by another hit of this step)
    in_memo: int = 0  # hits in a memo: nothing to label
    started: list[int] = field(default_factory=list)  # statements this step moved from "to do" to "in progress"

    @property
    def doc_ids(self) -> list[int]:
        return sorted({s.doc_id for s in self.spans})


def _ids(ids: Sequence[int]) -> str:
    """Ids as one JSON array parameter, read in SQL with ``json_each`` (constant SQL, any number of ids)."""
    return orjson.dumps(list(ids)).decode()


_IN = "IN (SELECT value FROM json_each(?))"


def label_hits(project: Project, hits: Sequence[Hit], label: str, annotator: str | None = None) -> Labelled:
    done = Labelled(label)
    with project._write("label the hits"):
        if project.conn.execute("SELECT 1 FROM labels WHERE key = ?", (label,)).fetchone() is None:
            raise AnnotatorError(f"unknown label {label!r}: add it to the codebook first")
        wanted = [h for h in hits if not h.in_memo]
        done.in_memo = len(hits) - len(wanted)
        doc_ids = sorted({h.doc_id for h in wanted})
        texts: dict[int, str] = dict(pacing.rows(  # (pacing.rows: see _insert)
            project.conn.execute("SELECT id, text FROM documents WHERE id " + _IN, (_ids(doc_ids),))))
        covered: dict[int, list[tuple[int, int]]] = defaultdict(list)
        # by statement through the covering index (the label's index walked all its spans: 0.39 of 0.6 s at 100 000)
        for doc_id, start, end in pacing.rows(project.conn.execute(
            'SELECT doc_id, start, "end" FROM spans INDEXED BY spans_by_doc WHERE label = ? AND doc_id ' + _IN,
            (label, _ids(doc_ids)),
        )):
            covered[doc_id].append((start, end))
        stamp = now()
        who = annotator or project.user
        next_id = int(project.conn.execute("SELECT coalesce(max(id), 0) FROM spans").fetchone()[0]) + 1
        for hit in wanted:
            text = texts.get(hit.doc_id)
            if text is None or text[hit.start : hit.end] != hit.match:
                raise AnnotatorError(f"statement {hit.doc_id} no longer holds the hit {hit.match!r}; search again")
            bounds = snap_to_words(text, hit.start, hit.end)
            if bounds is None:
                done.skipped += 1
                continue
            start, end = bounds
            if any(s <= start and e >= end for s, e in covered[hit.doc_id]):
                done.skipped += 1
                continue
            covered[hit.doc_id].append((start, end))
            done.spans.append(Span(next_id, hit.doc_id, start, end, label, who, "", "search", stamp, stamp))
            next_id += 1
        _insert(project, done.spans, "add_span", texts)
        done.started = [r[0] for r in project.conn.execute(
            "SELECT id FROM documents WHERE status = 'todo' AND id " + _IN, (_ids(done.doc_ids),))]
        _set_status(project.conn, done.started, "todo", "in_progress", stamp)
    pacing.drop(texts, covered, wanted)  # a slice at a time in a paced thread (as ``store.search.add_labels_rows``)
    return done


def _cell(s: Span) -> str:
    """A span as its history cell: what ``json_cell`` writes (orjson serialises the dataclass itself, fields in
    order), without ``dataclasses.asdict``'s deep copy."""
    return orjson.dumps(s).decode()


def _insert(project: Project, spans: list[Span], action: str, texts: dict[int, str] | None = None) -> None:
    sentences.ensure(project.conn, {s.doc_id for s in spans}, texts)  # statements getting their first span
    # the rows handed over paced (annotator/pacing.py): each row's step lets go of the GIL and takes it back at
    # once, which never gives a waiting thread its turn; in a job's thread 100 000 rows held the window 20-46 ms
    project.conn.executemany(f"INSERT INTO spans ({_SPAN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             pacing.rows(span_row(s) for s in spans))
    _history(project, ((s.doc_id, s.id, None, _cell(s)) for s in spans), action)


def _history(project: Project, rows: Iterable[tuple[int, int, str | None, str | None]], action: str) -> None:
    """One history row per span, as a change of one span writes (the history stays per span). ``rows`` is made as
    it is written: a list of 100 000 of them, freed at once after the write, held the GIL 10-13 ms in C (a label
    step's thread, traced, issue #14)."""
    stamp = now()
    project.conn.executemany(
        "INSERT INTO history (at, actor, action, doc_id, span_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
        pacing.rows((stamp, project.user, action, d, s, b, a) for d, s, b, a in rows),  # (as in _insert)
    )


def _set_status(conn: sqlite3.Connection, doc_ids: list[int], old: str, new: str, stamp: str) -> None:
    conn.execute("UPDATE documents SET status = ?, updated = ? WHERE status = ? AND id " + _IN,
                 (new, stamp, old, _ids(doc_ids)))


def undo(project: Project, done: Labelled) -> None:
    """Take the step back: its spans deleted, its statements "to do" again (unless they hold other spans)."""
    with project._write("undo labelling the hits"):
        project.conn.execute("DELETE FROM spans WHERE id " + _IN, (_ids([s.id for s in done.spans]),))
        ids.deleted(project.conn, "spans", (s.id for s in done.spans))  # the redo puts them back under these
        _history(project, ((s.doc_id, s.id, _cell(s), None) for s in done.spans), "delete_span")
        empty = [i for i in done.started
                 if project.conn.execute("SELECT 1 FROM spans WHERE doc_id = ? LIMIT 1", (i,)).fetchone() is None]
        _set_status(project.conn, empty, "in_progress", "todo", now())


def redo(project: Project, done: Labelled) -> None:
    """Replay the step with the same span ids."""
    with project._write("label the hits"):
        _insert(project, done.spans, "restore_span")
        _set_status(project.conn, done.started, "todo", "in_progress", now())
