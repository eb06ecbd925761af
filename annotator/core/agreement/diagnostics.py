"""Warnings that go with agreement figures, in the manner of INCEpTION's agreement page: when a label's figures
cannot be read at face value, say why in one line and what to do in another.

- ``one_sided``: one annotator never uses the label (often: it is not in their codebook): its figures measure no
  agreement (α_u can read -47);
- ``sparse``: fewer than :data:`MIN_SPANS` spans from each annotator: too few for any figure to mean much;
- ``unbalanced``: one annotator uses the label at least :data:`UNBALANCED` times as often as the other (skewed
  marginals of the span counts): they read the label's definition differently;
- ``rare``: the label covers under :data:`RARE` of the characters for both annotators (skewed marginals of κ's
  covered/not table): chance agreement is near 1, so κ is low even when they agree — read α_u and the F1s;
- ``boundaries``: overlap F1 at least :data:`BOUNDARY_GAP` above exact F1: they find the same passages and
  disagree on where they start and end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

MIN_SPANS = 5
UNBALANCED = 2.0
RARE = 0.02
BOUNDARY_GAP = 0.2

ADVICE = {
    "one_sided": "Check that the label is in both codebooks under the same key: a label only one codebook has is "
                 "never matched.",
    "sparse": "Label more statements before judging this label; its figures can swing with one span.",
    "unbalanced": "Compare how each of you reads the label's definition on a few statements; add examples to it.",
    "rare": "Read α_u and the F1s for this label: κ is unstable when a label covers almost none of the text.",
    "boundaries": "Agree on boundary rules (whole clause or phrase, leading words, punctuation) and note them "
                  "in the codebook.",
}


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def find(entries: Mapping[str, Mapping[str, Any]], counts: Mapping[str, Sequence[int]], chars: int) -> list[dict]:
    """``[{"label", "kind", "finding", "advice"}]`` for the labels of a result (see the module docstring)."""
    found: list[dict] = []

    def add(label: str, kind: str, finding: str) -> None:
        found.append({"label": label, "kind": kind, "finding": finding, "advice": ADVICE[kind]})

    for label, entry in entries.items():
        n_a, n_b = entry["a"], entry["b"]
        if not n_a and not n_b:
            continue
        if not n_a or not n_b:  # before "sparse": that one side never uses it is the point (α_u of -47 read as a bug)
            add(label, "one_sided", f"only one of you uses it ({n_a} and {n_b} span(s)): its figures measure no "
                                    "agreement")
            continue
        if max(n_a, n_b) < MIN_SPANS:
            add(label, "sparse", f"only {n_a} and {n_b} span(s): too few to judge agreement on")
            continue
        low, high = sorted((n_a, n_b))
        if high >= UNBALANCED * max(low, 1):
            add(label, "unbalanced", f"one annotator labels it {high} times, the other {low}")
        row = counts.get(label)
        if row is not None and chars:
            share_a, share_b = row[4] / chars, row[5] / chars
            if max(share_a, share_b) < RARE:
                add(label, "rare", f"it covers {_pct(share_a)} and {_pct(share_b)} of the characters, "
                                   f"so κ ({_fmt(entry['kappa'])}) understates agreement")
        exact, overlap = entry["exact"]["f1"], entry["overlap"]["f1"]
        if exact is not None and overlap is not None and overlap - exact >= BOUNDARY_GAP:
            add(label, "boundaries", f"overlap F1 {overlap:.2f} but exact F1 {exact:.2f}: the same passages, "
                                     "different boundaries")
    return found


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"
