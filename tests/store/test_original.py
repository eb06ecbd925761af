"""My annotations before adjudication (store/original.py) against a model that knows every span's identity.

Trial 12, F4: an accepted copy grown back to my boundaries was counted as mine *and* my span was put back (threat 5
where I had 4). The model follows the module's rule with what the store cannot see: which span each accept copied.
Sequences of accept, reject, resize/relabel, delete and undo, drawn by hypothesis, must give the same spans.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.model import IncomingDocument
from annotator.store import Project, gold, original, project, span_edits, writing
from annotator.store import review as rv

WORDS = 10
TEXT = " ".join(f"w{i}" for i in range(WORDS)) + "."  # word i is [3 i, 3 i + 2)
LABELS = ("threat", "commitment")


def words(a, b, label):
    return (3 * a, 3 * b + 2, label)


MINE = [words(1, 3, "threat"), words(5, 6, "commitment"), words(8, 8, "threat"), words(9, 9, "commitment")]
BOB = [words(2, 3, "threat"), words(5, 6, "commitment"), words(8, 8, "commitment"), words(0, 0, "threat")]


def make(path, user, spans):
    project = Project.open(path, create=True, user=user, populate=[IncomingDocument(TEXT, "s")])
    doc = project.documents()[0].id
    for s, e, label in spans:
        project.add_span(doc, s, e, label)
    return project, doc


@pytest.fixture(scope="module")
def bob_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("bob") / "bob.sqlite"
    make(path, "bob", BOB)[0].close()
    loaded = rv.ColleagueFile.load(path)
    yield loaded
    loaded.close()


def reconstructed(project, doc):
    undone = original.changes(project.conn).get(doc)
    spans = project.spans(doc)
    if undone is None:
        return sorted((s.start, s.end, s.label) for s in spans)
    return original.before_sequence(spans, undone)


def modelled(project, doc, standing):
    """The rule, by identity: every span now but the copies of standing accepts, plus the spans they replaced."""
    copies = {copy for kind, _replaced, copy in standing.values() if kind == "accept"}
    kept = [(s.start, s.end, s.label) for s in project.spans(doc) if s.id not in copies]
    return sorted(kept + [replaced for kind, replaced, _ in standing.values() if kind == "accept" and replaced])


class Clock:
    """The stores' ``now``: a millisecond per call within a step, and seconds between the analyst's steps (the pace
    the reconstruction may count on, ``original.MOMENT``); the tests' own steps all fall in one real millisecond."""

    def __init__(self):
        self.at = datetime(2026, 12, 3, tzinfo=UTC)

    def __call__(self):
        self.at += timedelta(milliseconds=1)
        return self.at.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def step(self):
        self.at += timedelta(seconds=5)


@pytest.fixture(scope="module")
def clock():
    with pytest.MonkeyPatch.context() as mp:
        fake = Clock()
        for module in (writing, project, span_edits, rv):
            mp.setattr(module, "now", fake)
        yield fake


OPS = st.one_of(
    st.tuples(st.sampled_from(["accept", "reject"]), st.integers(0, 7)),
    st.tuples(st.just("edit"), st.integers(0, 7), st.integers(0, WORDS - 1), st.integers(0, WORDS - 1),
              st.sampled_from(LABELS)),
    st.tuples(st.just("delete"), st.integers(0, 7)),
    st.tuples(st.just("undo")),
)


@settings(max_examples=int(os.environ.get("ANNOTATOR_ORIGINAL_EXAMPLES", "150")), deadline=None)  # 2 000 pass
@given(st.lists(OPS, max_size=14))
def test_before_adjudication_follows_the_rule_over_any_sequence(bob_file, clock, ops):
    colleague = bob_file.colleagues[0]
    with tempfile.TemporaryDirectory() as folder:
        project, doc = make(Path(folder) / "ana.sqlite", "ana", MINE)
        with project:
            standing: dict[int, tuple[str, tuple | None, int | None]] = {}  # decision id -> (kind, replaced, copy)
            done: list[tuple] = []  # what undo takes back, with the model as it was
            for op in ops:
                clock.step()
                kind = op[0]
                if kind in ("accept", "reject"):
                    items = rv.review_document(project, doc, bob_file, colleague).open_items
                    if not items:
                        continue
                    item = items[op[1] % len(items)]
                    if any(d.item_key == item.key for d in rv.decisions(project, doc)):
                        continue  # an item decided again: its own tests below (the rule's point 4)
                    act = rv.accept if kind == "accept" else rv.reject
                    made = act(project, doc, item, colleague)
                    done.append(("review", made, dict(standing)))
                    for old in made.replaced:
                        standing.pop(old.id, None)
                    mine = item.mine if kind == "accept" else None
                    replaced = (mine.start, mine.end, mine.label) if mine else None
                    standing[made.decided[0].id] = (kind, replaced, made.added[0].id if made.added else None)
                elif kind == "edit":
                    spans = project.spans(doc)
                    if not spans:
                        continue
                    span = spans[op[1] % len(spans)]
                    a, b = sorted(op[2:4])
                    start, end, label = words(a, b, op[4])
                    if (start, end, label) == (span.start, span.end, span.label):
                        continue
                    before, _after = project.update_span(span.id, start=start, end=end, label=label)
                    done.append(("edit", before, dict(standing)))
                elif kind == "delete":
                    spans = project.spans(doc)
                    if not spans:
                        continue
                    span = project.delete_span(spans[op[1] % len(spans)].id)
                    done.append(("delete", span, dict(standing)))
                elif done:
                    what, payload, standing = done.pop()
                    if what == "review":
                        rv.undo(project, payload)
                    elif what == "edit":
                        project.restore_span_state(payload)
                    else:
                        project.restore_spans([payload])
                assert reconstructed(project, doc) == modelled(project, doc, standing), ops


def _accepted_boundary(bob_file, tmp_path):  # type: ignore[no-untyped-def]
    """My project with bob's side of a boundary conflict accepted: (project, doc, the item, its copy)."""
    colleague = bob_file.colleagues[0]
    project, doc = make(tmp_path / "ana.sqlite", "ana", MINE)
    item = next(i for i in rv.review_document(project, doc, bob_file, colleague).open_items
                if i.mine and i.theirs and i.mine.label == i.theirs.label)
    return project, doc, item, rv.accept(project, doc, item, colleague).added[0]


def test_a_copy_grown_back_to_my_span_is_counted_once(bob_file, tmp_path):
    """Trial 12, F4, in the store: accept their boundary, grow the copy back to mine: before adjudication holds my
    span once (it held it twice), and the gold export says the copy was edited, its origin kept."""
    project, doc, item, copy = _accepted_boundary(bob_file, tmp_path)
    with project:
        assert reconstructed(project, doc) == sorted(MINE)
        project.update_span(copy.id, start=item.mine.start)  # grown back by a word at its start
        assert reconstructed(project, doc) == sorted(MINE)
        records = list(gold.gold_records(project, [bob_file]))
    spans = {(s["start"], s["end"], s["label"]): s for s in records[0]["spans"]}
    grown = spans[words(1, 3, "threat")]
    assert (grown["annotator"], grown["origin"], grown["edited"]) == ("ana", "bob@bob.sqlite", True)
    assert not any(s["edited"] for key, s in spans.items() if key != words(1, 3, "threat"))


@pytest.mark.parametrize("change", ["label", "delete", "note"])
def test_an_accepted_copy_relabelled_deleted_or_annotated_puts_my_span_back_once(bob_file, tmp_path, change):
    project, doc, item, copy = _accepted_boundary(bob_file, tmp_path)
    with project:
        if change == "label":
            project.update_span(copy.id, label="commitment")
        elif change == "delete":
            project.delete_span(copy.id)
        else:
            project.update_span(copy.id, note="checked")
        assert reconstructed(project, doc) == sorted(MINE)
        records = list(gold.gold_records(project, [bob_file]))
    edited = [s["edited"] for s in records[0]["spans"] if s["origin"]]
    assert edited == ([True] if change == "label" else [] if change == "delete" else [False])


def test_an_accept_replaced_by_keep_mine_leaves_the_span_kept_as_mine(bob_file, tmp_path):
    """The addendum of F4: the copy grown back, the conflict shows again, R keeps mine: it counts once, as mine."""
    project, doc, item, copy = _accepted_boundary(bob_file, tmp_path)
    colleague = bob_file.colleagues[0]
    with project:
        project.update_span(copy.id, start=item.mine.start)
        again = next(i for i in rv.review_document(project, doc, bob_file, colleague).open_items if i.key == item.key)
        assert rv.reject(project, doc, again, colleague).replaced  # the accept no longer stands
        assert original.changes(project.conn) == {}
        assert reconstructed(project, doc) == sorted(MINE)


def test_words_are_where_the_model_puts_them():
    for a, b in itertools.combinations_with_replacement(range(WORDS), 2):
        s, e, _ = words(a, b, "threat")
        assert TEXT[s:e].startswith(f"w{a}") and TEXT[s:e].endswith(f"w{b}")
