"""The adjudicated result: my project after review as JSONL records with provenance (Review ▸ Export Adjudicated…,
DESIGN.md §3 "Review"), each span's origin and each statement's ``adjudicated`` / ``reviewed_against`` /
``open_disagreements``, written atomically."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from annotator.core import review as core
from annotator.core.model import Document, Span
from annotator.formats import jsonl
from annotator.formats.common import dumps_line, output_file
from annotator.store import original
from annotator.store.colleague import ColleagueFile
from annotator.store.project import Project
from annotator.store.review import PROGRESS_EVERY, REJECT, decisions, holders
from annotator.store.transfer import refuse_project_target


def gold_records(project: Project, colleague_files: Sequence[ColleagueFile] = (),
                 step: Callable[[int], None] | None = None) -> Iterator[dict[str, Any]]:
    """My project after adjudication as ``jsonl`` records (DESIGN.md §2.4), one per document, with provenance.

    Each span gains ``"origin"`` ("" for my own, ``"name@file"`` for an accepted copy) and ``"edited"``: true for
    a span of a colleague's origin whose start, end or label was changed after it was accepted (:func:`edited`), so
    a reader tells "their span, taken as it was" from "their span, changed by me"; false for every other. ``meta`` gains
    ``"reviewed_against"`` (the origins of the colleagues whose file, open now, holds the document, then those it
    was adjudicated against before, by its decisions and accepted copies), ``"open_disagreements"`` (items neither
    agreed, accepted nor rejected, against the files open now) and ``"adjudicated"``: true when the document was
    compared with at least one colleague's file open now, nothing is left open and it was started: not "To do" in
    my project, or a decision of the review made on it (a statement no one labelled is not a settled example
    without spans) — so a consumer can keep only settled documents.
    ``step(n)`` is told after each document read (what it raises stops the walk). The colleagues' spans are read
    :data:`PROGRESS_EVERY` statements at a time (``rows_of``: a few queries per file where each statement took five).
    """
    undone = original.changes(project.conn)
    chunk: list[tuple[Document, list[Span]]] = []
    for read in project.iter_documents(None, step):
        chunk.append(read)
        if len(chunk) == PROGRESS_EVERY:
            yield from _gold_chunk(project, colleague_files, chunk, undone)
            chunk = []
    yield from _gold_chunk(project, colleague_files, chunk, undone)


def edited(span: Span, changed: frozenset[int] = frozenset()) -> bool:
    """Whether ``span`` is a colleague's accepted span that I resized or relabelled since (its origin is kept: it
    still came from them): its annotator is no longer one of the colleagues its origin names (an edit of start,
    end or label makes it mine, store/span_edits.py), or the reconstruction before adjudication found it among the
    changed copies (``changed``, store/original.py; it holds when my name is the colleague's too). A new note
    alone changes no judgement and is not an edit."""
    names = original.colleague_origins(span.origin)
    return bool(names) and (span.id in changed or not any(o.startswith(f"{span.annotator}@") for o in names))


def _gold_chunk(project: Project, colleague_files: Sequence[ColleagueFile],
                chunk: list[tuple[Document, list[Span]]], undone: dict[int, original.Undone]
                ) -> Iterator[dict[str, Any]]:
    held = [f.rows_of([doc.sha256 for doc, _ in chunk]) for f in colleague_files] if chunk else []
    for doc, spans in chunk:
        rec = jsonl.record(doc, spans)
        by_id = {s.id: s for s in spans}
        changed = undone[doc.id].edited if doc.id in undone else frozenset()
        for entry in rec["spans"]:
            entry["origin"] = by_id[entry["id"]].origin
            entry["edited"] = edited(by_id[entry["id"]], changed)
        made = decisions(project, doc.id)
        rejected = {(d.origin, d.item_key) for d in made if d.decision == REJECT}
        against: list[str] = []
        open_count = 0
        for _f, c, theirs in holders(colleague_files, held, doc.sha256):
            against.append(c.origin)
            items = core.classify(spans, theirs)
            open_count += sum(1 for i in items if i.is_disagreement and (c.origin, i.key) not in rejected)
        # named too: colleagues adjudicated against before, by the decisions and accepted copies the project keeps
        earlier = {d.origin for d in made} | {o for s in spans for o in s.origin.split("; ") if "@" in o}
        compared = list(against)
        against += sorted(earlier - set(against))
        rec["meta"].update(
            {
                # a statement nobody has started ("To do", no decision of the review) is not settled though nothing
                # differs: a trainer would take it for a checked example without spans (a newcomer's finding)
                "adjudicated": bool(compared) and open_count == 0 and (doc.status != "todo" or bool(made)),
                "reviewed_against": against,
                "open_disagreements": open_count,
            }
        )
        yield rec


def write_gold(project: Project, target: str | Path | None, colleague_files: Sequence[ColleagueFile] = (),
               step: Callable[[int], None] | None = None) -> int:
    """Write :func:`gold_records` as JSONL, atomically (the old file or the whole new one); returns the lines.
    What ``step`` raises (a cancel) leaves the old file, or none."""
    refuse_project_target(project, target)  # never onto the project, its -wal/-shm, nor any SQLite file
    n = 0
    with output_file(target) as out:
        for rec in gold_records(project, colleague_files, step):
            out.write(dumps_line(rec))
            n += 1
    return n
