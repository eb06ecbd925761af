"""Importing a shared codebook: the plan worked out before anything changes (``core/codebook_merge.py``)."""

from __future__ import annotations

from dataclasses import replace

from annotator.core.codebook import DEFAULT_LABELS, label_problems, name_problems
from annotator.core.codebook_merge import plan_import
from annotator.core.model import Label
from annotator.core.suggest.cues import Cue
from annotator.core.variables import Variable

THREAT, COMMITMENT, CALL = DEFAULT_LABELS
MINE = Label("denial", "Denial", "4", "#cc79a7", "a statement that denies")
SPARE = Label("spare", "Spare", "5", "#e69f00", "never used")


def test_the_same_codebook_changes_nothing():
    plan = plan_import(DEFAULT_LABELS, {"threat": 3}, list(DEFAULT_LABELS), {}, {}, [Variable("wave", "number")],
                       [Variable("Wave", "number")])
    assert not plan.changes_anything() and plan.summary() == "no change"
    assert plan.labels == list(DEFAULT_LABELS) and not plan.absent


def test_each_change_is_listed_with_before_and_after():
    incoming = [replace(THREAT, name="Menace", color="#000000"), replace(COMMITMENT, description="a pledge"),
                Label("warning", "Warning", "4", "#56b4e9", "a warning")]
    plan = plan_import(DEFAULT_LABELS + (MINE,), {"threat": 2, "denial": 1}, incoming)
    assert [(c.key, c.before, c.after) for c in plan.renamed] == [("threat", "Threat", "Menace")]
    assert [(c.key, c.before, c.after) for c in plan.recoloured] == [("threat", "#d55e00", "#000000")]
    assert [(c.key, c.after) for c in plan.described] == [("commitment", "a pledge")]
    assert [lb.key for lb in plan.added] == ["warning"]
    # Denial has spans: kept, and the file gives its shortcut 4 to Warning, so it takes the first free one (3 is
    # kept by Call to action)
    assert [(c.key, c.before, c.after) for c in plan.shortcuts] == [("denial", "4", "5")]
    assert "Warning" in plan.shortcuts[0].why
    # Call to action has no span and is not in the file: kept by default, listed as such
    assert [(a.label.key, a.spans, a.removed) for a in plan.absent] == [("call_to_action", 0, False),
                                                                       ("denial", 1, False)]
    assert [lb.key for lb in plan.labels] == ["threat", "commitment", "warning", "call_to_action", "denial"]
    assert not label_problems(plan.labels) and not name_problems(plan.labels)
    assert "1 label(s) added" in plan.summary() and "1 shortcut(s) moved" in plan.summary()
    pruned = plan_import(DEFAULT_LABELS + (MINE,), {"threat": 2, "denial": 1}, incoming, remove_unused=True)
    assert [(c.key, c.before, c.after) for c in pruned.shortcuts] == [("denial", "4", "3")]  # 3 is free now
    assert [lb.key for lb in pruned.labels] == ["threat", "commitment", "warning", "denial"]


def test_unused_labels_are_removed_only_when_asked_and_a_used_one_never():
    incoming = [THREAT]
    kept = plan_import(DEFAULT_LABELS + (SPARE,), {"commitment": 4}, incoming)
    assert [lb.key for lb in kept.labels] == ["threat", "commitment", "call_to_action", "spare"]
    assert not kept.changes_labels() and [a.label.key for a in kept.can_remove] == ["call_to_action", "spare"]
    pruned = plan_import(DEFAULT_LABELS + (SPARE,), {"commitment": 4}, incoming, remove_unused=True)
    assert [lb.key for lb in pruned.labels] == ["threat", "commitment"]
    assert [a.label.key for a in pruned.removed] == ["call_to_action", "spare"]
    assert "2 label(s) removed" in pruned.summary()


def test_a_kept_label_without_a_free_shortcut_gets_none_and_one_named_like_a_file_label_is_told_apart():
    incoming = [Label(f"k{i}", f"K{i}", str(i), "#000000") for i in range(1, 10)]
    incoming[0] = replace(incoming[0], name="Denial")
    plan = plan_import([MINE], {"denial": 7}, incoming)
    denial = next(lb for lb in plan.labels if lb.key == "denial")
    assert denial.shortcut == "" and denial.name == "Denial (denial)"
    assert [(c.before, c.after) for c in plan.shortcuts] == [("4", "")]
    assert [(c.before, c.after) for c in plan.renamed] == [("Denial", "Denial (denial)")]
    assert not label_problems(plan.labels) and not name_problems(plan.labels)


def test_a_label_keeps_its_shortcut_when_the_file_does_not_give_it_away():
    plan = plan_import(DEFAULT_LABELS + (MINE,), {"denial": 1}, list(DEFAULT_LABELS))
    assert not plan.shortcuts and next(lb for lb in plan.labels if lb.key == "denial").shortcut == "4"


def test_order_cues_and_variables():
    reordered = plan_import(DEFAULT_LABELS, {}, [COMMITMENT, THREAT, CALL])
    assert reordered.reordered and reordered.changes_labels()
    # a label of the project first, not in the file, goes after the file's: the order changes
    assert plan_import((MINE,) + DEFAULT_LABELS, {"denial": 1}, list(DEFAULT_LABELS)).reordered

    ours = {"threat": (Cue("a", "phrase", "we warn"), Cue("b", "phrase", "menace"))}
    theirs = {"threat": [Cue("a", "phrase", "we warn you"), Cue("c", "phrase", "danger")], "commitment": []}
    plan = plan_import(DEFAULT_LABELS, {}, list(DEFAULT_LABELS), ours, theirs)
    assert plan.cues == {"threat": theirs["threat"]}  # commitment had none and the file gives none: no change
    (change,) = plan.cue_changes
    assert (change.added, change.removed, change.changed) == (("c",), ("b",), ("a",))

    plan = plan_import(DEFAULT_LABELS, {}, list(DEFAULT_LABELS), {}, {}, [Variable("wave", "number")],
                       [Variable("WAVE", "text"), Variable("joint", "bool")])
    assert plan.variables == [Variable("joint", "bool")]
    assert plan.variables_kept == [(Variable("wave", "number"), Variable("WAVE", "text"))]
    assert plan.changes_anything() and not plan.changes_labels()
