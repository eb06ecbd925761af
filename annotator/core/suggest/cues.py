"""Cue patterns: phrases, token patterns and regular expressions that point to a label (issue 13).

A cue belongs to one label and has a ``name`` (letters, digits, ``_ . -``; unique in the codebook), which an
accepted suggestion carries as its origin ``suggested:pattern:NAME``. Kinds:

- ``phrase``: words matched case-insensitively as whole words, any whitespace between them ("strongly condemn");
- ``tokens``: words separated by spaces, where ``?`` is any one word, ``...`` up to six words, ``word*`` a word
  starting so, and ``a|b`` either word ("urge ... to", "call* on", "commit*|pledge*");
- ``regex``: a Python regular expression, matched case-insensitively; it must not match the empty string.

A cue that matches suggests the clause around the match (:mod:`.segment`). In the codebook's JSON a label holds its
cues as ``"cues": [{"name", "kind", "pattern"}]``; a codebook without ``cues`` reads as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

KINDS = ("phrase", "tokens", "regex")
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,60}$")
_WORD = r"[\w’'-]+"
MAX_PATTERN = 500
MAX_CUES = 200  # per label


@dataclass(frozen=True, slots=True)
class Cue:
    name: str
    kind: str
    pattern: str


def _token_regex(pattern: str) -> str:
    parts: list[str] = []
    has_word = False
    for token in pattern.split():
        if token == "?":
            parts.append(_WORD)
        elif token == "...":
            parts.append(rf"(?:{_WORD}\W+){{0,6}}?")
            continue
        else:
            alts = []
            for alt in token.split("|"):
                if not alt:
                    raise ValueError(f"empty alternative in {token!r}")
                prefix = alt.endswith("*")
                word = re.escape(alt.rstrip("*"))
                if not word:
                    raise ValueError("'*' must follow the start of a word")
                alts.append(word + (r"[\w’'-]*" if prefix else ""))
            parts.append("(?:" + "|".join(alts) + ")")
            has_word = True
        parts.append(r"\W+")
    if not has_word:
        raise ValueError("a token pattern needs at least one word")
    while parts and parts[-1] == r"\W+":
        parts.pop()
    body = "".join(parts)
    return rf"(?<![\w’'-]){body}(?![\w’'-])"


def regex_of(cue: Cue) -> str:
    """The regular expression a cue matches (raises ValueError with the reason when it cannot be compiled)."""
    if cue.kind == "phrase":
        words = cue.pattern.split()
        if not words:
            raise ValueError("the phrase is empty")
        return r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"
    if cue.kind == "tokens":
        return _token_regex(cue.pattern)
    if cue.kind == "regex":
        return cue.pattern
    raise ValueError(f"the kind must be one of {', '.join(KINDS)}, not {cue.kind!r}")


def compile_cue(cue: Cue) -> Any:
    """The cue's pattern. A ``regex`` cue is compiled by the ``regex`` module (``VERSION0``, close to ``re``; its
    ``\\w`` also takes combining marks), which can stop a search that runs too long (:func:`_matches`): a codebook
    shared by a colleague may hold ``(a+)+b``. Phrases and token patterns, which we write, stay with ``re``."""
    if cue.kind != "regex":
        try:
            compiled = re.compile(regex_of(cue), re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"not a valid pattern ({exc})") from None
        if compiled.fullmatch(""):
            raise ValueError("the pattern matches the empty string")
        return compiled
    import regex  # the Search dock's regular expressions use it for the same reason

    try:
        compiled = regex.compile(regex_of(cue), regex.IGNORECASE | regex.VERSION0)
    except (regex.error, ValueError, OverflowError, RecursionError) as exc:
        raise ValueError(f"not a valid regular expression ({exc})") from None
    if compiled.fullmatch(""):
        raise ValueError("the pattern matches the empty string")
    return compiled


def cue_problems(cues_by_label: Mapping[str, Iterable[Cue]]) -> list[str]:
    """Every reason these cues are not valid (empty list if they are): names, kinds, patterns."""
    problems: list[str] = []
    names: dict[str, str] = {}
    for label, cues in cues_by_label.items():
        cues = list(cues)
        if len(cues) > MAX_CUES:
            problems.append(f"label {label!r}: more than {MAX_CUES} cues")
        for i, cue in enumerate(cues, 1):
            where = f"label {label!r}, cue {i} ({cue.name!r})"
            if not isinstance(cue.name, str) or not _NAME.match(cue.name):
                problems.append(f"{where}: the name must be 1-60 letters, digits, '_', '.' or '-'")
            elif cue.name in names:
                problems.append(f"{where}: the name is already used by a cue of {names[cue.name]!r}")
            else:
                names[cue.name] = label
            if not isinstance(cue.pattern, str) or not cue.pattern.strip():
                problems.append(f"{where}: the pattern must be a non-empty string")
                continue
            if len(cue.pattern) > MAX_PATTERN:
                problems.append(f"{where}: the pattern is longer than {MAX_PATTERN} characters")
                continue
            if cue.kind not in KINDS:
                problems.append(f"{where}: the kind must be one of {', '.join(KINDS)}, not {cue.kind!r}")
                continue
            try:
                compile_cue(cue)
            except ValueError as exc:
                problems.append(f"{where}: {exc}")
    return problems


def cues_from_items(label: str, items: Any) -> tuple[list[Cue], list[str]]:
    """The cues of one label read from JSON (a list of objects); (cues, problems)."""
    if items is None:
        return [], []
    if not isinstance(items, list):
        return [], [f"label {label!r}: 'cues' must be a list"]
    cues: list[Cue] = []
    problems: list[str] = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict):
            problems.append(f"label {label!r}, cue {i}: expected an object, got {type(item).__name__}")
            continue
        unknown = set(item) - {"name", "kind", "pattern"}
        if unknown:
            problems.append(f"label {label!r}, cue {i}: unknown field(s) {', '.join(sorted(unknown))}")
        name, kind, pattern = item.get("name"), item.get("kind", "phrase"), item.get("pattern")
        cues.append(Cue(name if isinstance(name, str) else "", kind if isinstance(kind, str) else "",
                        pattern if isinstance(pattern, str) else ""))
    return cues, problems


def cues_to_items(cues: Iterable[Cue]) -> list[dict[str, str]]:
    return [{"name": c.name, "kind": c.kind, "pattern": c.pattern} for c in cues]


def find(cues: Iterable[Cue], text: str) -> list[tuple[int, int, Cue]]:
    """Every match of every cue in ``text``: (start, end, cue), in order of start."""
    out: list[tuple[int, int, Cue]] = []
    for cue in cues:
        out.extend(_matches(cue, text))
    out.sort(key=lambda t: (t[0], t[1], t[2].name))
    return out


#: matches of a cue in the texts seen last (a retrain and its cross-validation search the same statements)
_FOUND: dict[tuple[Cue, str], tuple[tuple[int, int, Cue], ...]] = {}
FOUND_SIZE = 50000


#: seconds one regular-expression cue may search one statement: plenty for any pattern that does not backtrack
#: without end (``\b(?:\w+\s+){2,5}?to\b`` over 1 M characters takes 0.3 s), then more per character; ``regex``
#: counts the process's CPU time, so other threads busy meanwhile shorten it
TIMEOUT_S = 1.0
TIMEOUT_PER_CHAR_S = 2e-6

#: cues stopped for running too long in this process: searched no more, and said by the caller
stopped: set[Cue] = set()


def _matches(cue: Cue, text: str) -> tuple[tuple[int, int, Cue], ...]:
    """A cue's matches in ``text``; none once its search ran past its time in any statement (:data:`stopped`)."""
    if cue in stopped:
        return ()
    key = (cue, text)
    found = _FOUND.get(key)
    if found is None:
        if len(_FOUND) >= FOUND_SIZE:
            _FOUND.clear()
        pattern = compile_cached(cue)
        timeout = TIMEOUT_S + TIMEOUT_PER_CHAR_S * len(text)
        try:
            found = tuple((m.start(), m.end(), cue) for m in (
                pattern.finditer(text, timeout=timeout) if cue.kind == "regex" else pattern.finditer(text))
                if m.end() > m.start())
        except TimeoutError:
            stopped.add(cue)
            found = ()
        _FOUND[key] = found
    return found


def clear_cache() -> None:
    _FOUND.clear()


def stopped_message(names: Iterable[str] | None = None) -> str | None:
    """One line naming the cues stopped so far (or those ``names``: the retrain process's, said by the window),
    or None."""
    names = sorted(c.name for c in stopped) if names is None else sorted(names)
    if not names:
        return None
    return (f"cue pattern(s) {', '.join(names)} stopped: searching one statement took more than "
            f"{TIMEOUT_S:g} s (a pattern that backtracks without end, such as (a+)+b); fix it in Labels ▸ Edit "
            "Codebook. The other cues were used")


_COMPILED: dict[Cue, Any] = {}


def compile_cached(cue: Cue) -> Any:
    compiled = _COMPILED.get(cue)
    if compiled is None:
        if len(_COMPILED) > 4096:
            _COMPILED.clear()
        compiled = _COMPILED[cue] = compile_cue(cue)
    return compiled
