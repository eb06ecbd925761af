"""Review classification, painting layers, stepping and the agreement report (annotator/core/review.py)."""

import csv
import io
import json
import random

from hypothesis import given
from hypothesis import strategies as st

from annotator.core import review
from annotator.core.model import Span
from annotator.core.review import AGREED, CONFLICT, MINE_ONLY, THEIRS_ONLY, TheirSpan

TEXT = "The DPRK threatens peace. We commit to act. They must stop. Allies agree."


def mine(*spans):
    return [Span(n, 1, s, e, lab) for n, (s, e, lab) in enumerate(spans, 1)]


def theirs(*spans):
    return [TheirSpan(s, e, lab, "bob") for s, e, lab in spans]


def summary(items):
    return [(i.kind, review.triple(i.mine), review.triple(i.theirs), i.difference) for i in items]


def test_agreed_boundary_label_mine_only_theirs_only():
    items = review.classify(
        mine((0, 8, "threat"), (26, 42, "commitment"), (44, 58, "call_to_action"), (60, 72, "commitment")),
        theirs((0, 8, "threat"), (29, 42, "commitment"), (44, 58, "threat"), (9, 18, "threat")),
    )
    assert summary(items) == [
        (AGREED, (0, 8, "threat"), (0, 8, "threat"), ""),
        (THEIRS_ONLY, None, (9, 18, "threat"), ""),
        (CONFLICT, (26, 42, "commitment"), (29, 42, "commitment"), "boundary"),
        (CONFLICT, (44, 58, "call_to_action"), (44, 58, "threat"), "label"),
        (MINE_ONLY, (60, 72, "commitment"), None, ""),
    ]
    assert [i.is_disagreement for i in items] == [False, True, True, True, True]
    assert review.disagreements(items) == items[1:]
    assert (items[2].start, items[2].end) == (26, 42)


def test_label_and_boundary_conflict():
    [item] = review.classify(mine((0, 10, "threat")), theirs((2, 12, "commitment")))
    assert (item.kind, item.difference) == (CONFLICT, "label+boundary")


def test_items_keep_the_original_span_objects():
    m, t = mine((0, 8, "threat")), theirs((0, 9, "threat"))
    [item] = review.classify(m, t)
    assert item.mine is m[0] and item.theirs is t[0]


def test_same_label_overlap_is_paired_before_a_label_conflict():
    """Stage 2 (same label, the pairs agreement's overlap figures count) wins over stage 3 (any label)."""
    items = review.classify(mine((0, 10, "threat")), theirs((0, 10, "commitment"), (2, 8, "threat")))
    assert summary(items) == [
        (CONFLICT, (0, 10, "threat"), (2, 8, "threat"), "boundary"),
        (THEIRS_ONLY, None, (0, 10, "commitment"), ""),
    ]


def test_cross_label_pairing_is_greedy_by_overlap_length():
    items = review.classify(mine((0, 10, "threat"), (12, 20, "threat")), theirs((5, 18, "commitment")))
    # overlap with the first is 5 characters, with the second 6: the second pairs, the first stays alone
    assert summary(items) == [
        (MINE_ONLY, (0, 10, "threat"), None, ""),
        (CONFLICT, (12, 20, "threat"), (5, 18, "commitment"), "label+boundary"),
    ]


def test_overlaps_within_one_side_pair_one_to_one():
    items = review.classify(mine((0, 5, "threat"), (3, 8, "threat")), theirs((0, 5, "threat")))
    assert summary(items) == [
        (AGREED, (0, 5, "threat"), (0, 5, "threat"), ""),
        (MINE_ONLY, (3, 8, "threat"), None, ""),
    ]
    items = review.classify(mine((0, 8, "threat")), theirs((0, 3, "threat"), (4, 8, "threat")))
    assert summary(items) == [  # the longer overlap pairs; items come by start, then end
        (THEIRS_ONLY, None, (0, 3, "threat"), ""),
        (CONFLICT, (0, 8, "threat"), (4, 8, "threat"), "boundary"),
    ]


def test_exact_duplicates_agree_once_and_keys_stay_unique():
    items = review.classify(mine((0, 5, "threat"), (0, 5, "threat")), theirs((0, 5, "threat")))
    assert [i.kind for i in items] == [AGREED, MINE_ONLY]
    items = review.classify(mine((0, 5, "threat"), (0, 5, "threat")), [])
    assert len({i.key for i in items}) == 2


def test_keys_depend_on_offsets_and_labels_not_on_ids_or_annotators():
    a = review.classify([Span(1, 1, 0, 5, "threat")], [TheirSpan(0, 6, "threat", "bob")])
    b = review.classify([Span(99, 7, 0, 5, "threat", "me")], [TheirSpan(0, 6, "threat", "carol", "n")])
    assert a[0].key == b[0].key
    c = review.classify([Span(1, 1, 0, 5, "threat")], [TheirSpan(0, 7, "threat")])
    assert c[0].key != a[0].key
    # a label with separators in it cannot collide with another item's key
    assert json.loads(review.classify([], [TheirSpan(0, 5, 'a"],[1,2,"b')])[0].key) == [None, [0, 5, 'a"],[1,2,"b']]


def test_layers_for_painting():
    items = review.classify(
        mine((0, 8, "threat"), (10, 20, "threat")), theirs((0, 8, "threat"), (12, 20, "commitment"))
    )
    layers = review.layers(items)
    assert [tuple(layer[:3]) for layer in layers] == [(0, 8, AGREED), (10, 20, CONFLICT), (12, 20, CONFLICT)]
    assert [(layer.side, layer.label) for layer in layers] == [
        ("both", "threat"), ("mine", "threat"), ("theirs", "commitment")]
    assert layers[1].key == layers[2].key == items[1].key
    assert list(review.CATEGORIES) == [MINE_ONLY, THEIRS_ONLY, AGREED, CONFLICT]


def test_step_through_open_disagreements_wrapping():
    items = review.classify(
        mine((0, 3, "threat"), (10, 12, "threat"), (20, 22, "threat")), theirs((0, 3, "threat"), (30, 33, "threat"))
    )
    keys = [i.key for i in items]  # agreed, mine_only, mine_only, theirs_only
    assert review.step(items, None) is items[1]
    assert review.step(items, keys[1]) is items[2]
    assert review.step(items, keys[3]) is items[1]  # wraps
    assert review.step(items, keys[1], forward=False) is items[3]
    assert review.step(items, keys[1], skip={keys[2]}) is items[3]
    assert review.step(items, "gone", forward=False) is items[3]
    assert review.step(items, None, skip=set(keys)) is None
    assert review.step(items[:1], None) is None


spans = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 8), st.sampled_from(["a", "b", "c"])).map(
        lambda t: (t[0], t[0] + t[1], t[2])
    ),
    max_size=12,
)


@given(spans, spans, st.randoms(use_true_random=False))
def test_every_span_in_exactly_one_item_and_order_does_not_matter(m, t, rnd: random.Random):
    items = review.classify(mine(*m), theirs(*t))
    assert sorted(review.triple(i.mine) for i in items if i.mine) == sorted(m)
    assert sorted(review.triple(i.theirs) for i in items if i.theirs) == sorted(t)
    for item in items:
        if item.kind == CONFLICT:
            assert item.mine.start < item.theirs.end and item.theirs.start < item.mine.end
        if item.kind == AGREED:
            assert review.triple(item.mine) == review.triple(item.theirs)
    assert len({i.key for i in items}) == len(items)
    assert [i.start for i in items] == sorted(i.start for i in items)
    m2, t2 = m[:], t[:]
    rnd.shuffle(m2)
    rnd.shuffle(t2)
    again = review.classify(mine(*m2), theirs(*t2))
    assert [(i.key, i.kind) for i in again] == [(i.key, i.kind) for i in items]


# -- report ------------------------------------------------------------------------------------------------------


def report():
    docs = [
        review.ReportDoc("sha-1", "One", TEXT, mine((0, 8, "threat"), (26, 42, "commitment")),
                         theirs((0, 8, "threat"), (29, 42, "commitment"))),
        review.ReportDoc("sha-2", "Two", TEXT, mine((0, 8, "threat")), theirs((0, 8, "commitment"))),
    ]
    return review.build_report(
        docs, labels=["threat", "commitment", "call_to_action"], mine="me@p.sqlite", theirs="bob@b.jsonl",
        label_names={"threat": "Threat", "commitment": "Commitment"}, only_theirs=["Three"],
    )


def test_report_rows_per_label_and_document():
    r = report()
    assert (r.mine, r.theirs, r.only_mine, r.only_theirs) == ("me@p.sqlite", "bob@b.jsonl", [], ["Three"])
    assert r.overall["scope"] == "overall" and (r.overall["mine"], r.overall["theirs"]) == (3, 3)
    assert r.overall["exact_f1"] == 1 / 3 and r.overall["overlap_f1"] == 2 / 3
    assert (r.overall["agreed"], r.overall["conflict"]) == (1, 2)
    by_label = {row["key"]: row for row in r.labels}
    assert list(by_label) == ["threat", "commitment", "call_to_action"]
    assert by_label["threat"]["title"] == "Threat" and by_label["call_to_action"]["title"] == "call_to_action"
    assert (by_label["threat"]["mine"], by_label["threat"]["theirs"]) == (2, 1)
    assert by_label["threat"]["exact_recall"] == 0.5 and by_label["threat"]["exact_precision"] == 1.0
    # the label conflict of document two counts under both labels
    assert (by_label["threat"]["agreed"], by_label["threat"]["conflict"]) == (1, 1)
    assert by_label["commitment"]["conflict"] == 2
    assert by_label["call_to_action"]["kappa"] is None and by_label["call_to_action"]["exact_f1"] is None
    one, two = r.documents
    assert (one["key"], one["title"], one["exact_f1"], one["overlap_f1"]) == ("sha-1", "One", 0.5, 1.0)
    assert (two["exact_f1"], two["overlap_f1"], two["conflict"]) == (0.0, 0.0, 1)
    assert [row["scope"] for row in r.rows()] == ["overall", "label", "label", "label", "document", "document"]
    assert review.bars(r) == [("Threat", 2 / 3), ("Commitment", 2 / 3), ("call_to_action", None)]
    assert review.bars(r, "document", "exact_f1") == [("One", 0.5), ("Two", 0.0)]


def test_report_csv():
    data = review.report_to_csv(report())
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert list(rows[0]) == list(review.COLUMNS)
    assert [r["scope"] for r in rows] == ["overall", "label", "label", "label", "document", "document"]
    cta = rows[3]
    assert (cta["key"], cta["mine"], cta["kappa"], cta["exact_f1"]) == ("call_to_action", "0", "", "")
    assert float(rows[4]["exact_f1"]) == 0.5


def test_report_json():
    data = json.loads(review.report_to_json(report()))
    assert set(data) == {"mine", "theirs", "overall", "labels", "documents", "only_mine", "only_theirs", "diagnostics",
                         "before_adjudication"}
    assert data["labels"][2]["kappa"] is None
    assert data["documents"][0]["overlap_f1"] == 1.0
    assert data["only_theirs"] == ["Three"]


def test_report_keeps_non_ascii_as_is():
    r = review.build_report([review.ReportDoc("s", "Déclaration 😀", TEXT, [], [])], mine="me", theirs="bob")
    assert "Déclaration 😀".encode() in review.report_to_json(r)
    assert "Déclaration 😀".encode() in review.report_to_csv(r)
    assert r.overall["exact_f1"] is None


@given(spans, spans, st.sets(st.sampled_from([AGREED, CONFLICT, MINE_ONLY, THEIRS_ONLY])))
def test_keys_of_some_kinds_are_the_keys_classify_gives_them_among_all(m, t, kinds):
    """``keys=`` a set of kinds (Accept All Agreed keys THEIRS_ONLY items only): those items get exactly the keys
    they get when every item is keyed, duplicates' ``#2`` included; the others none."""
    every = review.classify(mine(*m), theirs(*t))
    some = review.classify(mine(*m), theirs(*t), keys=frozenset(kinds))
    assert [(i.kind, i.mine, i.theirs) for i in some] == [(i.kind, i.mine, i.theirs) for i in every]
    assert [i.key for i in some] == [i.key if i.kind in kinds else "" for i in every]
