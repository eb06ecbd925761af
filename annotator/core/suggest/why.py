"""Why a suggestion is made, in plain words (trial 14, F5): the status bar said "Threat 0.55
(pattern:threat-condemn)" and nothing of which words matched, a model suggestion named an opaque version, and a
cue's confidence changed after a retrain without a word.

- a cue pattern's suggestion: the words of the clause it matched, and its record in the statements marked done
  (the clauses it matched there and how many of them a span of its label covers: what its confidence is estimated
  from, ``suggester.train``), or that it has none yet (it suggests at its starting confidence); a threat cue held
  down because a cue of another act matches the same clause (``defaults.IN_COMPANY``) says so;
- the model's suggestion: how many of the analyst's own spans of that label it learned from (accepted suggestions
  as suggested are not among them: ``suggester``'s docstring).

What a retrain knows of its cues and model travels in its answer (:func:`evidence`), so the window reads nothing
for it; the words are found in the suggestion's clause when asked (a few hundred characters).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from annotator.core.suggest.cues import Cue, find
from annotator.core.suggest.defaults import IN_COMPANY

#: matched words quoted at most, each cut to this many characters
MOST_WORDS, WORD_CHARS = 3, 40


def evidence(suggester: Any) -> dict[str, Any]:
    """What a trained suggester can say of its sources, as plain data (a retrain's answer carries it):
    ``{"cues": {name: [label, kind, pattern, matched, right]}, "learned": {label: spans}}``."""
    record = suggester.cue_record
    cues = {cue.name: [label, cue.kind, cue.pattern, *record.get(cue.name, (0, 0))]
            for label, label_cues in suggester.cues.items() for cue in label_cues}
    return {"cues": cues, "learned": dict(suggester.learned_spans)}


def matched_words(cue: Cue, text: str) -> list[str]:
    """The distinct words of ``text`` the cue matches, in order, at most :data:`MOST_WORDS`, white space made one
    space, each cut to :data:`WORD_CHARS` characters."""
    out: list[str] = []
    for start, end, _cue in find([cue], text):
        words = " ".join(text[start:end].split())
        if len(words) > WORD_CHARS:
            words = words[: WORD_CHARS - 1] + "…"
        if words and words not in out:
            out.append(words)
        if len(out) == MOST_WORDS:
            break
    return out


def explain(source: str, label: str, confidence: float, text: str, known: Mapping[str, Any],
            names: Mapping[str, str]) -> str:
    """Why the suggestion of ``label`` from ``source`` (``pattern:NAME``, ``model:VERSION``) over ``text`` (its
    clause) was made, in a phrase said after the source ("matched “condemn” (right in 5 of 9 matches in finished
    statements)", "learned from 12 of your Sanction span(s)"); ``known``: :func:`evidence` of the retrain that made
    it ("" when it says nothing of that source)."""
    kind, _, name = source.partition(":")
    if kind == "pattern":
        entry = (known.get("cues") or {}).get(name)
        if not isinstance(entry, list) or len(entry) != 5:
            return ""
        cue_label, cue_kind, pattern, matched, right = entry
        words = matched_words(Cue(name, str(cue_kind), str(pattern)), text)
        said = "matched " + (", ".join(f"“{w}”" for w in words) if words else "here")
        if int(matched):
            said += f" (right in {int(right)} of {int(matched)} matches in finished statements)"
        else:
            said += " (no match in a finished statement yet: its starting confidence)"
        company = IN_COMPANY.get(str(cue_label))
        if company and abs(confidence - company[1]) < 1e-6:
            others = " or ".join(names.get(lb, lb) for lb in sorted(company[0]))
            said += f"; held to {company[1]:.2f}: a {others} cue matches this clause too"
        return said
    if kind == "model":
        learned = known.get("learned") or {}
        n = learned.get(label) if isinstance(learned, dict) else None
        if not isinstance(n, int):
            return ""
        return f"learned from {n} of your {names.get(label, label)} span(s)"
    return source
