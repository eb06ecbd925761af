"""The default codebook's cue patterns (issue 13), written from its descriptions (DESIGN.md §2.3):

- threat: "a statement that something endangers, or an actor menaces, security or interests";
- commitment: "a pledge by the speaker to act or to maintain a position";
- call to action: "a demand or appeal that someone else act or cease acting".

and checked on real statements: the evaluation set ``tests/data/suggest_eval`` (68 official statements labelled by
hand). A cue that matched mostly outside its label's spans there was narrowed or dropped ("urge*" matched "urgent",
"violat*" mostly clauses nobody labelled a threat). A project whose label has no cues stored gets these, by the
label's key.

Each default cue starts at the confidence it earned on that set (:data:`MEASURED`: the share of the clauses it
matches that overlap a span of its label, smoothed), not at one flat prior, so a fresh project's ghosts already
say which cue is surer; a project's own finished statements then move it (``suggester.train``). The figures are
in-sample for that set (its learning curve's "patterns" rows with them); ``tests/core/suggest/test_defaults.py``
recomputes them.
"""

from __future__ import annotations

from annotator.core.suggest.cues import Cue

DEFAULT_CUES: dict[str, tuple[Cue, ...]] = {
    "threat": (
        Cue("threat-threaten", "tokens", "threat*|menac*|endanger*|jeopardi*|destabiliz*|imperil*"),
        Cue("threat-undermine", "tokens", "undermin*|provocat*|aggression|escalat*"),
        Cue("threat-condemn", "tokens", "condemn*|deplore*|denounce*"),
        Cue("threat-concern", "tokens", "deeply|gravely|seriously concerned|alarmed"),
        Cue("threat-danger", "tokens", "danger|dangers|dangerous|reckless"),
    ),
    "commitment": (
        Cue("commitment-will", "tokens", "we|i will|shall continue|remain|stand|work|maintain"),
        Cue("commitment-commit", "tokens", "commitment*|committed|commit|pledge*|vow*|ironclad|unwavering"),
        Cue("commitment-resolved", "tokens", "remain|are|is resolved|determined|steadfast|resolute"),
        Cue("commitment-reaffirm", "tokens", "reaffirm*|reiterate*"),
        Cue("commitment-stand", "phrase", "stand together"),
        Cue("commitment-will-continue", "regex", r"\b(?:will|shall)\s+(?:continue|maintain|defend|support|uphold)\b"),
    ),
    "call_to_action": (
        Cue("call-urge", "tokens", "urge|urges|urged|urging|call|calls|calling on|upon ... to"),
        Cue("call-urge-plain", "tokens", "urge|urges|urged|urging|implore*"),
        Cue("call-demand", "tokens", "demand|demands that"),
        Cue("call-call-on", "tokens", "call|calls on|upon"),
        Cue("call-must", "tokens", "must|should cease|stop|refrain|abide|comply|halt|release|withdraw|return"),
        Cue("call-cease", "tokens", "cease|refrain|desist from|all"),
        Cue("call-abide", "regex", r"\b(?:abide\s+by|comply\s+with|adhere\s+to)\b"),
        Cue("call-encourage", "tokens", "encourage*|appeal*|invite* ... to"),
    ),
}

#: cue name -> its precision on ``tests/data/suggest_eval`` (clauses overlapping a span of its label out of the
#: clauses it matches, headings left out), smoothed as a project's own figures are (+1.2 right in +2 matches: a cue seen
#: three times does not start at 1.00); a cue that matched nothing there has none and starts at the flat prior
MEASURED: dict[str, float] = {
    "threat-threaten": 0.73, "threat-undermine": 0.70, "threat-condemn": 0.64, "threat-concern": 0.70,
    "threat-danger": 0.64,
    "commitment-will": 0.79, "commitment-commit": 0.72, "commitment-resolved": 0.74, "commitment-reaffirm": 0.77,
    "commitment-stand": 0.73, "commitment-will-continue": 0.75,
    "call-urge": 0.92, "call-urge-plain": 0.89, "call-call-on": 0.93, "call-must": 0.91, "call-cease": 0.89,
    "call-abide": 0.84, "call-encourage": 0.64,
}

#: a default cue (name, kind and pattern: an edited one is a new cue) -> the confidence it starts at
DEFAULT_PRIOR: dict[Cue, float] = {
    cue: MEASURED[cue.name] for cues in DEFAULT_CUES.values() for cue in cues if cue.name in MEASURED
}

#: a threat cue in a clause where a commitment or call-to-action cue matches too is mostly the object of that act,
#: not a threat ("We urge the DPRK to cease its destabilizing actions", "... will continue to use all available tools
#: to counter these threats": trial 10, D10). On ``tests/data/suggest_eval`` the threat cues' clauses overlapped a
#: threat span 76 times in 100 alone and 5 times in 15 in such company (smoothed as above: 0.36), while the commitment
#: and call-to-action cues kept theirs beside a threat cue (9 of 12, 3 of 3). label key -> (the labels whose cues
#: outrank its cues in a clause, the confidence its cues have there at most); ``test_defaults.py`` recomputes it
IN_COMPANY: dict[str, tuple[frozenset[str], float]] = {
    "threat": (frozenset({"commitment", "call_to_action"}), 0.36),
}
