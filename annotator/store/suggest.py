"""What the project keeps for suggestions (issue 13): each label's cue patterns, and the rejected suggestions
(rejected with Backspace, or accepted and then deleted or relabelled: :func:`said_no`).

Suggestions themselves are never stored, so no export, agreement figure, statistic or span count can see them;
an accepted suggestion is an ordinary span whose ``origin`` says where it came from (``suggested:pattern:NAME``,
``suggested:model:VERSION``). A project older than schema 4 read by a command (read-only, not migrated) has the
default cues and no rejections.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson

from annotator.core.model import Span
from annotator.core.suggest.cues import Cue, cue_problems, cues_from_items, cues_to_items
from annotator.core.suggest.defaults import DEFAULT_CUES
from annotator.core.suggest.suggester import Suggestion, TrainingDoc, as_suggested
from annotator.errors import AnnotatorError
from annotator.store.connection import BUSY_TIMEOUT_MS, translated
from annotator.store.project import Project, now


def _has_tables(project: Project) -> bool:
    row = project.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'suggest_cues'").fetchone()
    return row is not None


def cues(project: Project) -> dict[str, tuple[Cue, ...]]:
    """Each label's cue patterns (label key -> cues), in the codebook's order: those stored, else the default
    codebook's for that key, else none."""
    stored: dict[str, str] = {}
    if _has_tables(project):
        stored = dict(project.conn.execute("SELECT label, cues FROM suggest_cues").fetchall())
    out: dict[str, tuple[Cue, ...]] = {}
    for label in project.labels():
        if label.key in stored:
            try:
                items: Any = orjson.loads(stored[label.key])
            except orjson.JSONDecodeError:
                items = None
            found, problems = cues_from_items(label.key, items)
            out[label.key] = tuple(found) if not problems else ()
        else:
            out[label.key] = DEFAULT_CUES.get(label.key, ())
    return out


def set_cues(project: Project, changes: dict[str, Sequence[Cue]]) -> dict[str, tuple[Cue, ...]]:
    """Store the cue patterns of some labels (label key -> cues) in one transaction; returns all cues before."""
    before = cues(project)
    unknown = set(changes) - set(before)
    if unknown:
        raise AnnotatorError(f"no label {', '.join(sorted(unknown))} in the codebook")
    merged = {**before, **{k: tuple(v) for k, v in changes.items()}}
    problems = cue_problems(merged)
    if problems:
        raise AnnotatorError("the cue patterns are invalid; nothing was changed", problems)
    with project._write("save the cue patterns"):
        for label, label_cues in changes.items():
            project.conn.execute(
                "INSERT INTO suggest_cues (label, cues) VALUES (?, ?)"
                " ON CONFLICT(label) DO UPDATE SET cues = excluded.cues",
                (label, orjson.dumps(cues_to_items(label_cues)).decode()),
            )
        project._log("set_cues", None, None, {k: cues_to_items(before[k]) for k in changes},
                     {k: cues_to_items(v) for k, v in changes.items()})
    return before


def rejected(project: Project, doc_id: int | None = None) -> set[tuple[int, int, int, str]]:
    """The rejected suggestions as (doc_id, start, end, label)."""
    if not _has_tables(project):
        return set()
    sql, params = 'SELECT doc_id, start, "end", label FROM suggest_rejections', ()
    if doc_id is not None:
        sql, params = sql + " WHERE doc_id = ?", (doc_id,)
    return {tuple(r) for r in project.conn.execute(sql, params)}  # type: ignore[misc]


def reject(project: Project, suggestions: Iterable[Suggestion]) -> list[int]:
    """Remember suggestions as rejected (not offered again); returns the ids of the rows made (for the undo)."""
    ids: list[int] = []
    with project._write("reject the suggestion"):
        for sg in suggestions:
            cur = project.conn.execute(
                'INSERT OR IGNORE INTO suggest_rejections (doc_id, start, "end", label, source, at, actor)'
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (sg.doc_id, sg.start, sg.end, sg.label, sg.source, now(), project.user),
            )
            if cur.rowcount:
                ids.append(int(cur.lastrowid or 0))
                project._log("reject_suggestion", sg.doc_id, None, None,
                             {"start": sg.start, "end": sg.end, "label": sg.label, "source": sg.source})
    return ids


def unreject(project: Project, ids: Iterable[int]) -> None:
    """Forget rejections (the undo of :func:`reject`)."""
    ids = list(ids)
    if not ids:  # the undo of a delete or relabel that rejected nothing: nothing written, nothing logged
        return
    with project._write("undo the rejection"):
        for rid in ids:
            project.conn.execute("DELETE FROM suggest_rejections WHERE id = ?", (rid,))
        project._log("unreject_suggestion", None, None, {"ids": ids}, None)


def said_no(project: Project, before: Span, after: Span | None) -> list[int]:
    """An accepted suggestion's span deleted (``after`` None) or relabelled: the analyst's "not this label here",
    remembered as a rejection of that suggestion (trial 12, F10: it was offered again over her relabelled span, and
    after she deleted it). Returns the ids of the rows made, for the undo of the delete or relabel
    (:func:`unreject`); none for any other span or change (a resize or a note is no "no")."""
    if not before.origin.startswith("suggested:") or (after is not None and after.label == before.label):
        return []
    if not _has_tables(project):
        return []
    source = before.origin.removeprefix("suggested:")
    return reject(project, [Suggestion(before.doc_id, before.start, before.end, before.label, 0.0, source)])


def accept(project: Project, suggestion: Suggestion) -> Span:
    """The suggestion as a span of the project, with its origin."""
    return project.add_span(suggestion.doc_id, suggestion.start, suggestion.end, suggestion.label,
                            origin=suggestion.origin)


#: the most statements a training reads: those changed last (a span, or a statement marked done with none). A team's
#: corpus of 100 000 statements, 60 000 of them done and a million spans, made the retrain process grow to 20 GB and
#: run for over half an hour on both cores (measured, issue #14); a retrain learns the analyst's current use of the
#: codebook from the statements she worked on last as well
MAX_TRAINING_DOCS = 1000


def training_docs(project: Project, limit: int | None = MAX_TRAINING_DOCS) -> list[TrainingDoc]:
    """The statements that can teach -- those marked done and those holding spans, at most ``limit`` of them, those
    changed last (``None``: all) -- in id order, with their spans; of these, the accepted suggestions, and those
    still as suggested, which training leaves out (``suggester.as_suggested``; a span relabelled since is known by
    the rejection :func:`said_no` made of its old label, with its source, and its ``updated`` time no longer its
    ``created``)."""
    conn = project.conn
    # when a statement was changed last: its spans' latest change, or (done, no span) its own -- a statement's
    # ``updated`` lies past its text, so reading it for every statement read the whole corpus (3 s at 100 000)
    chosen = [i for (i,) in conn.execute(
        "SELECT id FROM (SELECT doc_id AS id, max(updated) AS at FROM spans GROUP BY doc_id"
        " UNION ALL SELECT id, updated FROM documents WHERE status = 'done'"
        " AND NOT EXISTS (SELECT 1 FROM spans WHERE spans.doc_id = documents.id))"
        " ORDER BY at DESC, id DESC LIMIT ?", (-1 if limit is None else limit,))]
    ids = orjson.dumps(sorted(chosen)).decode()
    spans: dict[int, list[tuple[int, int, str]]] = {}
    accepted: dict[int, set[tuple[int, int, str]]] = {}  # spans that were accepted suggestions ("suggested:...")
    created: dict[tuple[int, int, int, str], str] = {}  # when each was accepted
    relabelled: dict[int, set[tuple[int, int, str]]] = {}
    for doc_id, start, end, label, origin, made in conn.execute(
            "SELECT doc_id, start, \"end\", label, origin, created FROM spans"
            " WHERE doc_id IN (SELECT value FROM json_each(?))", (ids,)):
        spans.setdefault(doc_id, []).append((start, end, label))
        if origin.startswith("suggested:"):
            accepted.setdefault(doc_id, set()).add((start, end, label))
            created[(doc_id, start, end, label)] = made
    if accepted and _has_tables(project):
        for doc_id, start, end, label in conn.execute(
                "SELECT doc_id, start, \"end\", label FROM spans WHERE origin LIKE 'suggested%'"
                " AND doc_id IN (SELECT value FROM json_each(?))"
                " AND updated != created AND EXISTS (SELECT 1 FROM suggest_rejections r WHERE r.doc_id = spans.doc_id"
                " AND r.start = spans.start AND r.\"end\" = spans.\"end\" AND r.label != spans.label"
                " AND 'suggested:' || r.source = spans.origin)", (ids,)):
            relabelled.setdefault(doc_id, set()).add((start, end, label))
    rows = conn.execute("SELECT id, text, status FROM documents WHERE id IN (SELECT value FROM json_each(?))"
                        " ORDER BY id", (ids,)).fetchall()
    done_at = _marked_done(project, [i for i, _text, status in rows if status == "done" and i in accepted])
    out = []
    for i, text, status in rows:
        kept = as_suggested(text, accepted.get(i, ()), relabelled.get(i, ()))
        after = frozenset(sp for sp in kept if i in done_at and created[(i, *sp)] > done_at[i])
        out.append(TrainingDoc(i, text, tuple(sorted(spans.get(i, ()))), status == "done",
                               frozenset(accepted.get(i, ())), kept, after))
    return out


def _marked_done(project: Project, doc_ids: list[int]) -> dict[int, str]:
    """When each of these statements was last marked done (its history), for those whose history says."""
    if not doc_ids:
        return {}
    return dict(project.conn.execute(
        "SELECT doc_id, max(at) FROM history WHERE action = 'set_status' AND json_extract(after, '$.status') = 'done'"
        " AND doc_id IN (SELECT value FROM json_each(?)) GROUP BY doc_id", (orjson.dumps(doc_ids).decode(),)))


def train(project: Project, mode: str = "both") -> tuple[Any, list[TrainingDoc], dict[str, tuple[Cue, ...]]]:
    """A suggester trained on the project's labels, with what it was trained on: (suggester, docs, cues)."""
    from annotator.core.suggest.suggester import train as train_on

    docs = training_docs(project)
    label_cues = cues(project)
    return train_on(docs, list(label_cues), label_cues, mode), docs, label_cues


def suggest_corpus(project: Project, suggester: Any, label: str | None = None,
                   min_confidence: float = 0.0) -> list[tuple[Suggestion, str, str]]:
    """Every suggestion for the project's statements (not skipped) not rejected and not already labelled:
    (suggestion, the statement's sha256, the suggested text), by statement and offset."""
    refused = rejected(project)
    spans: dict[int, list[tuple[int, int, str]]] = {}
    for doc_id, start, end, lb in project.conn.execute('SELECT doc_id, start, "end", label FROM spans'):
        spans.setdefault(doc_id, []).append((start, end, lb))
    out: list[tuple[Suggestion, str, str]] = []
    for doc_id, text, sha in project.conn.execute(
        "SELECT id, text, sha256 FROM documents WHERE status != 'skipped' ORDER BY id"
    ).fetchall():
        mine = {(s, e, lb) for d, s, e, lb in refused if d == doc_id}
        for sg in suggester.suggest(doc_id, text, spans.get(doc_id, ()), mine):
            if sg.confidence >= min_confidence and (label is None or sg.label == label):
                out.append((sg, sha, text[sg.start : sg.end]))
    return out


# -- what the retrain process reads itself (never the window's connection, never on the GUI thread) ----------------


def reader(path: Path) -> Project:
    """A read-only connection of its own to the project file at ``path`` (as ``review_report.reader``): it sees
    what the window has committed, never writes, and leaves the window's connection alone."""
    uri = f"file:{quote(str(Path(path).resolve()))}?mode=ro"
    with translated("open", path):
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:  # a file on read-only media (no -shm can be made): nobody writes it
            conn.close()
            conn = sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None, check_same_thread=False)
    return Project(conn, Path(path), True, "", None, trusted_read=False)


def candidates(project: Project, doc_ids: Sequence[int] | None = None, after: int = 0, limit: int = 0,
               ) -> list[tuple[int, str, str, list[tuple[int, int, str]], set[tuple[int, int, str]]]]:
    """Statements to suggest for (never skipped ones): ``doc_ids`` (in that order), or the next ``limit`` by id
    after ``after``; each as (doc_id, title, text, its spans, its rejected (start, end, label))."""
    if doc_ids is not None:
        ids = [int(i) for i in doc_ids]
        if not ids:
            return []
        rows = project.conn.execute(
            "SELECT id, title, text FROM documents WHERE status != 'skipped'"
            " AND id IN (SELECT value FROM json_each(?))", (orjson.dumps(ids).decode(),)).fetchall()
        order = {d: i for i, d in enumerate(ids)}
        rows.sort(key=lambda r: order[r[0]])
    else:
        rows = project.conn.execute(
            "SELECT id, title, text FROM documents WHERE status != 'skipped' AND id > ? ORDER BY id LIMIT ?",
            (after, limit)).fetchall()
    if not rows:
        return []
    ids = (orjson.dumps([r[0] for r in rows]).decode(),)  # one parameter: a JSON list the query unpacks
    spans: dict[int, list[tuple[int, int, str]]] = {}
    for doc_id, start, end, label in project.conn.execute(
            'SELECT doc_id, start, "end", label FROM spans WHERE doc_id IN (SELECT value FROM json_each(?))', ids):
        spans.setdefault(doc_id, []).append((start, end, label))
    refused: dict[int, set[tuple[int, int, str]]] = {}
    if _has_tables(project):
        for doc_id, start, end, label in project.conn.execute(
                'SELECT doc_id, start, "end", label FROM suggest_rejections'
                " WHERE doc_id IN (SELECT value FROM json_each(?))", ids):
            refused.setdefault(doc_id, set()).add((start, end, label))
    return [(i, title, text, sorted(spans.get(i, ())), refused.get(i, set())) for i, title, text in rows]
