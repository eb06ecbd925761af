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
from annotator.store.colleague import ColleagueFile
from annotator.store.project import Project
from annotator.store.review import PROGRESS_EVERY, REJECT, decisions, holders


def gold_records(project: Project, colleague_files: Sequence[ColleagueFile] = (),
                 step: Callable[[int], None] | None = None) -> Iterator[dict[str, Any]]:
    """My project after adjudication as ``jsonl`` records (DESIGN.md §2.4), one per document, with provenance.

    Each span gains ``"origin"`` ("" for my own, ``"name@file"`` for an accepted copy). ``meta`` gains
    ``"reviewed_against"`` (the origins of the colleagues whose file, open now, holds the document, then those it
    was adjudicated against before, by its decisions and accepted copies), ``"open_disagreements"`` (items neither
    agreed, accepted nor rejected, against the files open now) and ``"adjudicated"``: true when the document was
    compared with at least one colleague's file open now, nothing is left open and it was started: not "To do" in
    my project, or a decision of the review made on it (a statement no one labelled is not a settled example
    without spans) — so a consumer can keep only settled documents.
    ``step(n)`` is told after each document read (what it raises stops the walk). The colleagues' spans are read
    :data:`PROGRESS_EVERY` statements at a time (``rows_of``: a few queries per file where each statement took five).
    """
    chunk: list[tuple[Document, list[Span]]] = []
    for read in project.iter_documents(None, step):
        chunk.append(read)
        if len(chunk) == PROGRESS_EVERY:
            yield from _gold_chunk(project, colleague_files, chunk)
            chunk = []
    yield from _gold_chunk(project, colleague_files, chunk)


def _gold_chunk(project: Project, colleague_files: Sequence[ColleagueFile],
                chunk: list[tuple[Document, list[Span]]]) -> Iterator[dict[str, Any]]:
    held = [f.rows_of([doc.sha256 for doc, _ in chunk]) for f in colleague_files] if chunk else []
    for doc, spans in chunk:
        rec = jsonl.record(doc, spans)
        origins = {s.id: s.origin for s in spans}
        for entry in rec["spans"]:
            entry["origin"] = origins[entry["id"]]
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
    n = 0
    with output_file(target) as out:
        for rec in gold_records(project, colleague_files, step):
            out.write(dumps_line(rec))
            n += 1
    return n
