"""What importing a shared codebook file does to the project's codebook, worked out before anything changes.

A team shares one codebook (DESIGN.md §2.3, §2.6): importing a colleague's file takes its labels (their names,
colours, descriptions, shortcuts and cue patterns) and adds the variables the project lacks. Nothing the project
holds is lost without the analyst's say: a label some span uses is never removed, a label of the project the file
does not have is kept unless the analyst asks to remove the ones no span uses, and a kept label whose shortcut the
file gives to another label gets a free one (or none) — every such move is listed. :func:`plan_import` compares;
the window shows the plan and applies :attr:`ImportPlan.labels`, :attr:`ImportPlan.cues` and
:attr:`ImportPlan.variables` as one undoable step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from annotator.core.codebook import SHORTCUTS, fold_name
from annotator.core.model import Label


@dataclass(frozen=True)
class Change:
    """One property of one label, before and after (a shortcut ``""`` is none); ``why`` says why, when the file
    did not ask for it."""

    key: str
    name: str
    before: str
    after: str
    why: str = ""


@dataclass(frozen=True)
class CueChange:
    """The cue patterns of one label the file changes: the names of those added, removed and changed."""

    key: str
    name: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    before: int = 0  #: how many the label had
    after: int = 0  #: how many the file gives it


@dataclass(frozen=True)
class Absent:
    """A label of the project the file does not have, and how many spans use it."""

    label: Label
    spans: int
    removed: bool


@dataclass
class ImportPlan:
    labels: list[Label]  #: the codebook after the import, in its order
    added: list[Label] = field(default_factory=list)
    renamed: list[Change] = field(default_factory=list)
    recoloured: list[Change] = field(default_factory=list)
    described: list[Change] = field(default_factory=list)
    shortcuts: list[Change] = field(default_factory=list)
    absent: list[Absent] = field(default_factory=list)
    reordered: bool = False
    cue_changes: list[CueChange] = field(default_factory=list)
    cues: dict[str, list[Any]] = field(default_factory=dict)  #: label key -> its cues, for the labels changed
    variables: list[Any] = field(default_factory=list)  #: the variables to add
    variables_kept: list[tuple[Any, Any]] = field(default_factory=list)  #: (the project's, the file's) differing

    @property
    def removed(self) -> list[Absent]:
        return [a for a in self.absent if a.removed]

    @property
    def can_remove(self) -> list[Absent]:
        """Labels not in the file that no span uses: kept unless the analyst asks to remove them."""
        return [a for a in self.absent if not a.spans]

    def changes_labels(self) -> bool:
        return bool(self.added or self.renamed or self.recoloured or self.described or self.shortcuts
                    or self.removed or self.reordered)

    def changes_anything(self) -> bool:
        return self.changes_labels() or bool(self.cues or self.variables)

    def summary(self) -> str:
        """One line: what the import does ("2 labels added, 1 renamed, …"), or that it changes nothing."""
        parts = [f"{len(items)} {what}" for items, what in (
            (self.added, "label(s) added"), (self.renamed, "renamed"), (self.recoloured, "recoloured"),
            (self.described, "description(s) changed"), (self.shortcuts, "shortcut(s) moved"),
            (self.removed, "label(s) removed"), (self.cue_changes, "label(s) with new cue patterns"),
            (self.variables, "variable(s) added"),
        ) if items]
        if self.reordered:
            parts.append("labels reordered")
        return ", ".join(parts) if parts else "no change"


def plan_import(current: Sequence[Label], counts: Mapping[str, int], incoming: Sequence[Label],
                current_cues: Mapping[str, Sequence[Any]] | None = None,
                incoming_cues: Mapping[str, Sequence[Any]] | None = None,
                current_variables: Iterable[Any] = (), incoming_variables: Iterable[Any] | None = None,
                remove_unused: bool = False) -> ImportPlan:
    """What importing the codebook ``incoming`` (a valid one: ``codebook_from_json``) into ``current`` does.

    ``counts``: spans per label key (``Project.label_counts``). The codebook after it holds the file's labels in
    the file's order, then the project's labels the file lacks in their order — each kept if a span uses it, the
    others kept unless ``remove_unused``. A kept label whose shortcut the file gives to another label takes the
    first free shortcut, else none; a kept label whose name the file gives to another label is named
    "NAME (key)". Cues: a label the file gives cue patterns gets them; the others keep theirs. Variables: those the
    project lacks (names compared ignoring case) are added; none is removed or retyped."""
    current_cues = current_cues or {}
    incoming_cues = incoming_cues or {}
    old = {lb.key: lb for lb in current}
    in_file = {lb.key for lb in incoming}
    plan = ImportPlan(labels=list(incoming))
    for lb in incoming:
        before = old.get(lb.key)
        if before is None:
            plan.added.append(lb)
            continue
        for changes, attr in ((plan.renamed, "name"), (plan.recoloured, "color"), (plan.described, "description"),
                              (plan.shortcuts, "shortcut")):
            if getattr(before, attr) != getattr(lb, attr):
                changes.append(Change(lb.key, lb.name, getattr(before, attr), getattr(lb, attr)))

    taken = {lb.shortcut: lb for lb in incoming if lb.shortcut}
    names = {fold_name(lb.name) for lb in incoming}
    for lb in current:
        if lb.key in in_file:
            continue
        spans = counts.get(lb.key, 0)
        removed = remove_unused and not spans
        plan.absent.append(Absent(lb, spans, removed))
        if removed:
            continue
        kept = lb
        if lb.shortcut and lb.shortcut in taken:
            free = next((s for s in SHORTCUTS if s not in taken), "")
            kept = replace(kept, shortcut=free)
            plan.shortcuts.append(Change(lb.key, lb.name, lb.shortcut, free,
                                         f"the file gives {lb.shortcut} to “{taken[lb.shortcut].name}”"))
        if kept.shortcut:
            taken[kept.shortcut] = kept
        if fold_name(lb.name) in names:
            kept = replace(kept, name=_own_name(lb, names))
            plan.renamed.append(Change(lb.key, lb.name, lb.name, kept.name,
                                       f"the file gives the name “{lb.name}” to another label"))
        names.add(fold_name(kept.name))
        plan.labels.append(kept)

    after_order = [lb.key for lb in plan.labels if lb.key in old]
    before_order = [lb.key for lb in current if lb.key in {k for k in after_order}]
    plan.reordered = after_order != before_order

    for lb in incoming:
        if lb.key not in incoming_cues:
            continue
        theirs, ours = list(incoming_cues[lb.key]), list(current_cues.get(lb.key, ()))
        if theirs == ours:
            continue
        plan.cues[lb.key] = theirs
        ours_by, theirs_by = {c.name: c for c in ours}, {c.name: c for c in theirs}
        plan.cue_changes.append(CueChange(
            lb.key, lb.name,
            added=tuple(n for n in theirs_by if n not in ours_by),
            removed=tuple(n for n in ours_by if n not in theirs_by),
            changed=tuple(n for n in theirs_by if n in ours_by and theirs_by[n] != ours_by[n]),
            before=len(ours), after=len(theirs),
        ))

    have = {v.name.lower(): v for v in current_variables}
    for variable in incoming_variables or ():
        mine = have.get(variable.name.lower())
        if mine is None:
            plan.variables.append(variable)
            have[variable.name.lower()] = variable
        elif mine.type != variable.type:
            plan.variables_kept.append((mine, variable))
    return plan


def _own_name(label: Label, names: set[str]) -> str:
    """A name for ``label`` none of ``names`` (folded) has: "NAME (key)", then "NAME (key) 2", …"""
    name, n = f"{label.name} ({label.key})", 2
    while fold_name(name) in names:
        name, n = f"{label.name} ({label.key}) {n}", n + 1
    return name
