"""The default codebook's cue patterns (issue 13), written from its descriptions (DESIGN.md §2.3):

- threat: "a statement that something endangers, or an actor menaces, security or interests";
- commitment: "a pledge by the speaker to act or to maintain a position";
- call to action: "a demand or appeal that someone else act or cease acting".

and checked on the sample statements (``tests/core/suggest/test_defaults.py`` names the clauses each finds).
A project whose label has no cues stored gets these, by the label's key.
"""

from __future__ import annotations

from annotator.core.suggest.cues import Cue

DEFAULT_CUES: dict[str, tuple[Cue, ...]] = {
    "threat": (
        Cue("threat-threaten", "tokens", "threat*|menac*|endanger*|jeopardi*|destabiliz*|imperil*"),
        Cue("threat-undermine", "tokens", "undermin*|provocat*|aggression|escalat*"),
        Cue("threat-violation", "tokens", "violat*|breach*"),
        Cue("threat-condemn", "tokens", "condemn*|deplore*|denounce*"),
        Cue("threat-concern", "tokens", "deeply|gravely|seriously concerned|alarmed"),
        Cue("threat-danger", "tokens", "danger*|risk|risks|unlawful|illicit|malicious"),
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
        Cue("call-urge", "tokens", "urge*|call|calls|calling on|upon ... to"),
        Cue("call-urge-plain", "tokens", "urge*|demand*|implore*"),
        Cue("call-call-on", "tokens", "call|calls on|upon"),
        Cue("call-must", "tokens", "must|should cease|stop|refrain|abide|comply|halt|release|withdraw|return"),
        Cue("call-cease", "tokens", "cease|refrain|desist from|all"),
        Cue("call-abide", "regex", r"\b(?:abide\s+by|comply\s+with|adhere\s+to)\b"),
        Cue("call-encourage", "tokens", "encourage*|appeal*|invite* ... to"),
    ),
}
