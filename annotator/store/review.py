"""Review: colleagues' files beside my project, and adjudication of their spans into mine (DESIGN.md §3 "Review").

A :class:`ColleagueFile` is read once and kept in memory: a project is opened read-only (a private copy, so the
colleague's file keeps its bytes and nothing appears beside it), an export through the format readers. Its
documents align with mine by SHA-256 of the text only — a document whose text differs is never aligned.

Adjudication changes only MY project, each operation in one transaction with history rows, and returns an
:class:`Adjudication` that :func:`undo` and :func:`redo` replay exactly (same span and decision ids), so the UI's
undo commands stay valid for commands stacked after them.

- **accept** takes their side of an item: their span is copied into mine (``annotator`` = the colleague's name,
  ``origin`` = ``"name@file"``, their note kept (beside mine, each marked, when theirs replaces mine:
  ``core/review_notes.py``); their label added to my codebook if missing, with their colour
  when their file is a project) and my conflicting span is removed; on a mine-only item it removes my span.
  The item then reads "agreed" (or vanishes), so an accept needs no decision to count as settled; it is still
  recorded in ``review_decisions`` as the audit trail.
- **reject** (= **keep mine**) changes no span: the decision is what persists, under the item's content key and
  the colleague's origin. A rejected item is settled for as long as both of its spans stay as they were.
- **accept all agreed** takes the spans two colleagues or more agree on (identical start, end and label; a third
  who lacks the span does not veto it) and that I lack, where nothing of mine overlaps them in conflict and none
  of those colleagues' copies was rejected; with one colleague there is no agreement, and what mine and theirs
  agree on is already in my project, so it does nothing. The copy's origin lists the colleagues who agree
  (``"a@x; b@y"``), its annotator is the first of them.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import Any

from annotator import pacing
from annotator.core import codebook
from annotator.core import review as core
from annotator.core.model import Label, Span
from annotator.core.review_notes import kept_note
from annotator.errors import AnnotatorError
from annotator.store import ids, sentences
from annotator.store.exporting import span_row
from annotator.store.project import Project, now

ACCEPT, REJECT = "accept", "reject"
#: the items :func:`accept_all_agreed` reads the keys of
_THEIRS_ONLY = frozenset({core.THEIRS_ONLY})
#: statements between two calls of :func:`accept_all_agreed`'s ``progress``
PROGRESS_EVERY = 64
_DOC_ID = attrgetter("doc_id")


# -- colleague files (annotator/store/colleague.py), re-exported where the window and the tests reach them ---------

from annotator.store.colleague import Alignment as Alignment  # noqa: E402
from annotator.store.colleague import Colleague as Colleague  # noqa: E402
from annotator.store.colleague import ColleagueFile as ColleagueFile  # noqa: E402
from annotator.store.colleague import TheirDocument as TheirDocument  # noqa: E402
from annotator.store.colleague_rows import MAX_LISTED as MAX_LISTED  # noqa: E402

# -- reading the review state ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decision:
    id: int
    doc_id: int
    item_key: str
    decision: str  # accept | reject
    origin: str
    at: str
    actor: str


def decisions(project: Project, doc_id: int | None = None) -> list[Decision]:
    """Stored decisions, oldest first; of one document or of all."""
    sql = "SELECT id, doc_id, item_key, decision, origin, at, actor FROM review_decisions"
    rows = project.conn.execute(
        sql + (" WHERE doc_id = ?" if doc_id is not None else "") + " ORDER BY id",
        (doc_id,) if doc_id is not None else (),
    )
    return [Decision(*row) for row in rows]


@dataclass(frozen=True, slots=True)
class DocumentReview:
    """One document of mine against one colleague: every item, and which disagreements are settled."""

    doc_id: int
    colleague: Colleague
    items: list[core.Item]
    rejected: frozenset[str]  # keys of present items I rejected (kept mine)

    @property
    def open_items(self) -> list[core.Item]:
        return [i for i in self.items if i.is_disagreement and i.key not in self.rejected]


def review_document(
    project: Project, doc_id: int, colleague_file: ColleagueFile, colleague: Colleague
) -> DocumentReview:
    sha = project.document(doc_id).sha256
    items = core.classify(project.spans(doc_id), colleague_file.spans(sha, colleague))
    keys = {d.item_key for d in decisions(project, doc_id) if d.decision == REJECT and d.origin == colleague.origin}
    return DocumentReview(doc_id, colleague, items, frozenset(i.key for i in items if i.key in keys))


# -- adjudication ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Adjudication:
    """What one adjudication did to my project, for :func:`undo` / :func:`redo`."""

    action: str  # accept | reject | accept_all_agreed
    added: tuple[Span, ...] = ()
    removed: tuple[Span, ...] = ()
    new_labels: tuple[Label, ...] = ()
    decided: tuple[Decision, ...] = ()
    replaced: tuple[Decision, ...] = ()  # earlier decisions on the same items, overwritten
    #: (doc_id, status before, status after) of the statements the adjudication moved (a "to do" statement that
    #: got an accepted span is "in progress"); undo puts them back, so undoing leaves no "in progress" with 0 spans
    statuses: tuple[tuple[int, str, str], ...] = ()
    #: the statements it changed (spans added or removed, items decided), for the window's review: Accept All Agreed
    #: gathers its own as it goes, in its thread (made from its 300 000 spans and decisions at once, the window
    #: took 20-50 ms; made so in the thread, that one loop in C held the GIL 50 ms; issue #14); never changed after
    doc_ids: AbstractSet[int] = dataclasses.field(default=frozenset(), repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.doc_ids:  # one decision's few
            touched = chain(self.added, self.removed, self.decided, self.replaced)
            object.__setattr__(self, "doc_ids", frozenset(map(_DOC_ID, touched)))

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.decided)


def _check_mine(project: Project, span: Span) -> Span:
    """The item was computed from my spans as they were; refuse to act on a span changed since. Returns the span as
    stored now (its note may have been edited since: what an undo must put back)."""
    row = project.conn.execute(
        'SELECT id, doc_id, start, "end", label, annotator, note, origin, created, updated FROM spans WHERE id = ?',
        (span.id,),
    ).fetchone()
    if row is None or tuple(row[2:5]) != (span.start, span.end, span.label):
        raise AnnotatorError("the span changed since the review was shown; look at the document again")
    return Span(*row)


def _ensure_label(project: Project, key: str, theirs: Sequence[Label]) -> Label | None:
    """Add a label my codebook lacks (their definition if known, a free shortcut and colour); None if present."""
    mine = project.labels()
    if any(lb.key == key for lb in mine):
        return None
    template = next((lb for lb in theirs if lb.key == key), None)
    shortcut = template.shortcut if template and template.shortcut not in {lb.shortcut for lb in mine} else ""
    label = Label(
        key,
        template.name if template else key,
        shortcut or codebook.free_shortcut(mine),
        template.color if template else codebook.next_color(mine),
        template.description if template else "",
    )
    _insert_label(project, label)
    return label


def _insert_label(project: Project, label: Label) -> None:
    position = project.conn.execute("SELECT coalesce(max(position), -1) + 1 FROM labels").fetchone()[0]
    project.conn.execute(
        "INSERT INTO labels (key, name, shortcut, color, description, position) VALUES (?, ?, ?, ?, ?, ?)",
        (label.key, label.name, label.shortcut, label.color, label.description, position),
    )
    project._log("review_add_label", None, None, None, label)


def _add_copy(project: Project, doc_id: int, theirs: core.TheirSpan, colleague: Colleague, origin: str) -> Span:
    project._check_span(doc_id, theirs.start, theirs.end, theirs.label)
    stamp = now()
    span = Span(0, doc_id, theirs.start, theirs.end, theirs.label, colleague.name, theirs.note, origin, stamp, stamp)
    sentences.ensure(project.conn, [doc_id])  # its first span: where its sentences start, for the triggers
    cur = project.conn.execute(
        'INSERT INTO spans (doc_id, start, "end", label, annotator, note, origin, created, updated)'
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        span_row(span)[1:],
    )
    span = dataclasses.replace(span, id=cur.lastrowid or 0)
    project._touch(doc_id)
    project._log("add_span", doc_id, span.id, None, span)
    return span


def _remove(project: Project, span: Span) -> None:
    project.conn.execute("DELETE FROM spans WHERE id = ?", (span.id,))
    ids.deleted(project.conn, "spans", [span.id])  # an import never takes it: an undo or redo puts it back
    project._log("delete_span", span.doc_id, span.id, span, None)


def _restore(project: Project, span: Span) -> None:
    sentences.ensure(project.conn, [span.doc_id])
    project.conn.execute(
        'INSERT INTO spans (id, doc_id, start, "end", label, annotator, note, origin, created, updated)'
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        span_row(span),
    )
    project._log("restore_span", span.doc_id, span.id, None, span)


def _decide(project: Project, doc_id: int, key: str, decision: str, origin: str) -> tuple[Decision, Decision | None]:
    """Record a decision, replacing an earlier one on the same item and colleague; returns (new, replaced)."""
    old_row = project.conn.execute(
        "SELECT id, doc_id, item_key, decision, origin, at, actor FROM review_decisions"
        " WHERE doc_id = ? AND origin = ? AND item_key = ?",
        (doc_id, origin, key),
    ).fetchone()
    old = Decision(*old_row) if old_row else None
    if old is not None:
        project.conn.execute("DELETE FROM review_decisions WHERE id = ?", (old.id,))
    stamp = now()
    cur = project.conn.execute(
        "INSERT INTO review_decisions (doc_id, item_key, decision, origin, at, actor) VALUES (?, ?, ?, ?, ?, ?)",
        (doc_id, key, decision, origin, stamp, project.user),
    )
    new = Decision(cur.lastrowid or 0, doc_id, key, decision, origin, stamp, project.user)
    project._log(f"review_{decision}", doc_id, None, old, new)
    return new, old


def _put_decision(project: Project, d: Decision) -> None:
    project.conn.execute(
        "INSERT INTO review_decisions (id, doc_id, item_key, decision, origin, at, actor) VALUES (?, ?, ?, ?, ?, ?, ?)",
        dataclasses.astuple(d),
    )


def accept(project: Project, doc_id: int, item: core.Item, colleague: Colleague) -> Adjudication:
    """Take their side of a disagreement (see the module docstring); one transaction."""
    if item.kind == core.AGREED:
        raise AnnotatorError("nothing to accept: both sides already agree on this span")
    with project._write("accept the colleague's span"):
        before = _status(project, doc_id)
        removed: tuple[Span, ...] = ()
        if item.mine is not None:
            mine = _check_mine(project, item.mine)
            _remove(project, mine)
            removed = (mine,)
        added: tuple[Span, ...] = ()
        labels: tuple[Label, ...] = ()
        if item.theirs is not None:
            new_label = _ensure_label(project, item.theirs.label, colleague.codebook)
            labels = (new_label,) if new_label else ()
            theirs = item.theirs
            if removed:  # their span replaces mine: the copy keeps both notes, each marked (core/review_notes.py)
                note = kept_note(theirs.note, colleague.name, removed[0].note, removed[0].annotator or project.user)
                theirs = dataclasses.replace(theirs, note=note)
            added = (_add_copy(project, doc_id, theirs, colleague, colleague.origin),)
        new, old = _decide(project, doc_id, item.key, ACCEPT, colleague.origin)
        statuses = _moved(project, {doc_id: before})
    return Adjudication(ACCEPT, added, removed, labels, (new,), (old,) if old else (), statuses)


def reject(project: Project, doc_id: int, item: core.Item, colleague: Colleague) -> Adjudication:
    """Keep my side of a disagreement: no span changes, the decision persists; one transaction."""
    if item.kind == core.AGREED:
        raise AnnotatorError("nothing to reject: both sides already agree on this span")
    with project._write("reject the colleague's span"):
        if item.mine is not None:
            _check_mine(project, item.mine)
        new, old = _decide(project, doc_id, item.key, REJECT, colleague.origin)
    return Adjudication(REJECT, decided=(new,), replaced=(old,) if old else ())


#: "keep mine" and "reject theirs" are one decision: my project stays as it is for this item
keep_mine = reject


def accept_all_agreed(
    project: Project, colleague_files: Sequence[ColleagueFile], doc_ids: Iterable[int] | None = None,
    progress: core.Progress | None = None,
) -> Adjudication:
    """Copy in the colleagues' consensus spans I lack (see the module docstring); one transaction, one undo.
    ``progress(done, total)`` every :data:`PROGRESS_EVERY` statements; an exception it raises (a cancel) rolls it
    all back. The colleagues' spans are read :data:`PROGRESS_EVERY` statements at a time (``rows_of``), and a
    statement where no triple is held by two colleagues, each more often than by me, is passed over unclassified."""
    targets = set(doc_ids) if doc_ids is not None else None
    with project._write("accept all agreed spans"):
        added: list[Span] = []
        labels: list[Label] = []
        decided: list[Decision] = []
        replaced: list[Decision] = []
        befores: dict[int, str] = {}
        touched: set[int] = set()
        docs = [d for d in project.documents() if targets is None or d.id in targets]
        for at in range(0, len(docs), PROGRESS_EVERY):
            if progress is not None:
                progress(at, len(docs))
            chunk = docs[at : at + PROGRESS_EVERY]
            held = [f.rows_of([d.sha256 for d in chunk], notes=True) for f in colleague_files]
            for doc in chunk:
                pacing.pace()  # in the window's job thread: the window gets the GIL between statements (pacing.py)
                holding = holders(colleague_files, held, doc.sha256)
                if len(holding) < 2:
                    continue
                mine = project.spans(doc.id)
                if not _offered(mine, [theirs for _f, _c, theirs in holding]):
                    continue
                rejected = {(d.origin, d.item_key) for d in decisions(project, doc.id) if d.decision == REJECT}
                offers: list[dict[tuple[int, int, str], list[core.Item]]] = []
                for _f, c, theirs in holding:
                    by_triple: dict[tuple[int, int, str], list[core.Item]] = {}
                    for item in core.classify(mine, theirs, keys=_THEIRS_ONLY):
                        if item.kind == core.THEIRS_ONLY and (c.origin, item.key) not in rejected:
                            by_triple.setdefault((item.theirs.start, item.theirs.end, item.theirs.label),
                                                 []).append(item)
                    offers.append(by_triple)
                for triple in sorted({t for o in offers for t in o}):
                    agreeing = [(h, o) for h, o in zip(holding, offers, strict=True) if triple in o]
                    if len(agreeing) < 2:  # one colleague's span alone is no agreement
                        continue
                    count = min(len(o[triple]) for _h, o in agreeing)
                    for n in range(count):
                        first = agreeing[0][0][1]
                        theirs_span = agreeing[0][1][triple][n].theirs
                        new_label = _ensure_label(project, triple[2], first.codebook)
                        labels += [new_label] if new_label else []
                        origin = "; ".join(c.origin for (_f, c, _t), _o in agreeing)
                        befores.setdefault(doc.id, doc.status)
                        added.append(_add_copy(project, doc.id, theirs_span, first, origin))
                        touched.add(doc.id)
                        for (_, c, _t), o in agreeing:
                            new, old = _decide(project, doc.id, o[triple][n].key, ACCEPT, c.origin)
                            decided.append(new)
                            replaced += [old] if old else []
        statuses = _moved(project, befores)
    # in the window's job thread, the statements' rows freed a slice at a time: freed at once as this returns,
    # 100 000 held the GIL 200 ms (traced at 100 000 statements, the window's worst stall; annotator/pacing.py)
    pacing.drop(docs, befores)
    return Adjudication("accept_all_agreed", tuple(added), (), tuple(labels), tuple(decided), tuple(replaced),
                        statuses, touched)


def holders(colleague_files: Sequence[ColleagueFile], held: Sequence[dict[str, list[tuple[Any, ...]]]], sha: str
             ) -> list[tuple[ColleagueFile, Colleague, list[core.TheirSpan]]]:
    """(file, colleague, their spans) of each colleague whose file holds the statement ``sha``, from the files'
    :meth:`~ColleagueFile.rows_of` (``held``, in the files' order): what :meth:`ColleagueFile.spans` gives each."""
    return [(f, c, [core.TheirSpan(*r) for r in rows[sha] if (r[3] or f.default_name) == c.name])
            for f, rows in zip(colleague_files, held, strict=True) if sha in rows for c in f.colleagues]


def _offered(mine: Sequence[Span], holders: Sequence[Sequence[core.TheirSpan]]) -> bool:
    """Whether some (start, end, label) is held by two colleagues or more, each more often than by me: else no span
    of theirs can be left unmatched by mine in two of them, so there is nothing to accept (and nothing to
    classify)."""
    counts = [Counter((s.start, s.end, s.label) for s in theirs) for theirs in holders]
    held = Counter((s.start, s.end, s.label) for s in mine)
    return any(sum(c[t] > held[t] for c in counts) >= 2 for t in {t for c in counts for t in c})


def _status(project: Project, doc_id: int) -> str:
    return str(project.conn.execute("SELECT status FROM documents WHERE id = ?", (doc_id,)).fetchone()[0])


def _moved(project: Project, befores: dict[int, str]) -> tuple[tuple[int, str, str], ...]:
    """The statements whose status the adjudication changed, as (doc_id, before, after)."""
    return tuple((i, b, a) for i, b in pacing.rows(befores.items()) if (a := _status(project, i)) != b)


def _set_statuses(project: Project, moves: Iterable[tuple[int, str, str]]) -> None:
    """Each statement from one status to the other, only if it still has the first (the analyst's own status
    change since is kept)."""
    for doc_id, old, new in pacing.rows(moves):
        project.conn.execute("UPDATE documents SET status = ?, updated = ? WHERE id = ? AND status = ?",
                             (new, now(), doc_id, old))


def undo(project: Project, done: Adjudication) -> None:
    """Put my project back as it was before ``done``; one transaction."""
    with project._write("undo the review decision"):  # paced in the window's job thread (annotator/pacing.py)
        for span in pacing.rows(done.added):
            _remove(project, span)
        for span in pacing.rows(done.removed):
            _restore(project, span)
        for d in pacing.rows(done.decided):
            project.conn.execute("DELETE FROM review_decisions WHERE id = ?", (d.id,))
        for d in pacing.rows(done.replaced):
            _put_decision(project, d)
        _set_statuses(project, ((i, after, before) for i, before, after in done.statuses))
        for label in done.new_labels:
            if not project.conn.execute("SELECT 1 FROM spans WHERE label = ? LIMIT 1", (label.key,)).fetchone():
                project.conn.execute("DELETE FROM labels WHERE key = ?", (label.key,))
                project._log("review_remove_label", None, None, label, None)
        project._log("review_undo", None, None, _summary(done), None)


def redo(project: Project, done: Adjudication) -> None:
    """Apply ``done`` again exactly as it was first applied (same ids); one transaction."""
    with project._write("redo the review decision"):
        for label in done.new_labels:
            if not any(lb.key == label.key for lb in project.labels()):
                _insert_label(project, label)
        for span in pacing.rows(done.removed):
            _remove(project, span)
        for span in pacing.rows(done.added):
            _restore(project, span)
        for d in pacing.rows(done.replaced):
            project.conn.execute("DELETE FROM review_decisions WHERE id = ?", (d.id,))
        for d in pacing.rows(done.decided):
            _put_decision(project, d)
        _set_statuses(project, done.statuses)
        project._log("review_redo", None, None, None, _summary(done))


def _summary(done: Adjudication) -> dict[str, Any]:
    return {
        "action": done.action,
        "added": [s.id for s in done.added],
        "removed": [s.id for s in done.removed],
        "decisions": [d.id for d in done.decided],
    }


# the agreement report (and the read-only connection it runs on) live in store/review_report.py; re-exported here,
# where the window and the tests reach them
from annotator.store.review_report import reader as reader  # noqa: E402
from annotator.store.review_report import review_report as review_report  # noqa: E402
