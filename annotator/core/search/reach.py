"""How far a piece of a long statement reaches into the next (``store/search.py`` marks a long text a piece at a
time): far enough that every match starting in the piece ends inside it -- a phrase, or a NEAR group, whose match
spans at most its phrases' tokens and its distance (FTS5 takes phrases as near when each starts at most its own
length and the distance before the last one starts). Counted in the tokens of FTS5's ``unicode61`` tokenizer
(``remove_diacritics 2``, the only one a project's index is made with) without asking it.

Its Unicode tables are older than Python's, so the two disagree on some characters (measured with SQLite 3.40 and
Python's Unicode 14): 2 225 symbols, 184 punctuation marks and 23 format characters (assigned since) are in FTS5's
tokens, and 1 599 combining marks and 21 letters (New Tai Lue, Vedic: marks in its tables) are not. So a count here
leans only on what is sure either way: a space or an ASCII character other than a letter or digit always ends a
token; a letter or digit (Python's, less those 21) is always in one. A phrase's tokens are counted at most (every
place one could start), a text's at least (the runs between sure ends that hold a sure letter or digit): a reach too
long is only slower, one too short would lose hits. And what the search asks the index of a NEAR group that does not
hold (:func:`near_phrases`, :func:`sure_terms`: ``store/search.py``'s ``_live``).
"""

from __future__ import annotations

import re

#: a character that always ends an FTS5 token: a space, or ASCII other than a letter or a digit
_ENDS = r"\s\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f"
#: a character always in one: a letter or digit, but for those FTS5's tables still take for combining marks
SURE = re.compile(r"[^\W_\u19b0-\u19c0\u19c8\u19c9\u1cf2\u1cf3]")
_RUN = re.compile(f"[^{_ENDS}]+")
_STARTS = re.compile(f"(?<!{SURE.pattern})[^{_ENDS}]")
_STRING = re.compile(r'"((?:[^"]|"")*)"')
_DISTANCE = re.compile(r", ([0-9]+)\)\Z")


def most_tokens(text: str) -> int:
    """At least as many as the tokens FTS5 makes of ``text``: the places where one could start."""
    return len(_STARTS.findall(text))


def span(leaf: str) -> int:
    """At most how many tokens a match of ``leaf`` covers: an FTS5 phrase (``"a b" + "c"*``) its own, a NEAR group
    (``NEAR("a" "b c", 5)``, as ``query.fts_terms`` writes them) its phrases' and its distance."""
    tokens = sum(most_tokens(s.replace('""', '"')) for s in _STRING.findall(leaf))
    if leaf.startswith("NEAR("):
        distance = _DISTANCE.search(leaf)
        if distance is None:
            raise ValueError(f"not a NEAR group as fts_terms writes it: {leaf!r}")
        tokens += int(distance.group(1))
    return tokens


def reach(leaves: list[str]) -> int:
    """Tokens a piece reaches into the next so that a match of any of ``leaves`` starting in it ends in it: the
    longest match's whole span (one more than the tokens after its first: a margin)."""
    return max(span(leaf) for leaf in leaves)


_PHRASE = re.compile(r'"(?:[^"]|"")*"\*?(?: \+ "(?:[^"]|"")*"\*?)*')


def near_phrases(leaf: str) -> list[str]:
    """The phrases of a NEAR group as ``query.fts_terms`` writes it, in order (``NEAR("a" "b c"*, 5)``: ``"a"``,
    ``"b c"*``); none for a phrase."""
    return _PHRASE.findall(leaf) if leaf.startswith("NEAR(") else []


def sure_terms(leaf: str) -> list[str]:
    """Some of the terms of ``leaf``'s phrases as FTS5 strings, each one token for sure (a run between sure ends of
    sure letters and digits; the last of a prefix string with its ``*``): a statement holding all of the leaf's
    terms holds these."""
    out = []
    for string in _STRING.finditer(leaf):
        runs = _RUN.findall(string.group(1).replace('""', '"'))
        prefix = leaf[string.end() : string.end() + 1] == "*"
        for k, run in enumerate(runs):
            if len(SURE.findall(run)) == len(run):
                out.append(f'"{run}"' + ("*" if prefix and k == len(runs) - 1 else ""))
    return out


def reach_end(text: str, at: int, tokens: int) -> int:
    """Where ``text`` from ``at`` has held at least ``tokens`` of FTS5's tokens (at a character that ends one, or at
    the end). Each run between sure ends is counted once, if it holds a sure letter or digit."""
    while tokens > 0:
        run = _RUN.search(text, at)
        if run is None:
            return len(text)
        at = run.end()
        if SURE.search(text, run.start(), at):
            tokens -= 1
    return at
