"""A search as the analyst types it: FTS5's query syntax (words, "phrases", prefix*, AND/OR/NOT, NEAR) checked
before SQLite sees it, or a regular expression (the third-party ``regex`` module, whose matching takes a timeout,
so a runaway pattern is stopped instead of hanging the window).

A malformed query is one :class:`~annotator.errors.AnnotatorError` line, never a traceback. The words of a query
(its phrases) are kept too: with ``exact_diacritics`` a hit FTS5 found with its diacritics folded away ("Évian" for
évian) is kept only if it has the query's own diacritics (case still folded).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from annotator.errors import AnnotatorError

#: how long one statement may take a regular expression before the search stops with a clear message
REGEX_TIMEOUT_S = 0.5
MAX_QUERY = 2000
_OPERATORS = {"AND", "OR", "NOT"}


def is_token_char(ch: str) -> bool:
    """A character FTS5's ``unicode61`` tokenizer keeps in a token (letters, digits, private use, unassigned
    code points, and the combining marks it folds away with ``remove_diacritics``)."""
    cat = unicodedata.category(ch)
    return cat[0] in "LNM" or cat in ("Co", "Cn")


def tokens(text: str) -> list[str]:
    """The tokens of ``text`` as the index sees their boundaries, lower-cased and NFC (diacritics kept)."""
    out, word = [], []
    for ch in text:
        if is_token_char(ch):
            word.append(ch)
        elif word:
            out.append(fold("".join(word)))
            word = []
    if word:
        out.append(fold("".join(word)))
    return out


def fold(word: str) -> str:
    """Case folded, diacritics kept: "ÉVIAN" and "e\u0301vian" are both "évian"."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", word).lower())


def bare(word: str) -> str:
    """Case and diacritics folded, as the index folds them: "ÉVIAN" and "evian" are both "evian"."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token of ``text``, in code points."""
    out, start = [], None
    for i, ch in enumerate(text):
        if is_token_char(ch):
            if start is None:
                start = i
        elif start is not None:
            out.append((start, i))
            start = None
    if start is not None:
        out.append((start, len(text)))
    return out


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    prefix: bool = False  # the last word is a prefix ("iron*")

    def found_in(self, region: list[str]) -> bool:
        """Whether ``region``'s tokens hold this phrase, diacritics as written."""
        n = len(self.words)
        if not n:
            return False
        for i in range(len(region) - n + 1):
            window = region[i : i + n]
            if window[:-1] == list(self.words[:-1]) and (
                window[-1].startswith(self.words[-1]) if self.prefix else window[-1] == self.words[-1]
            ):
                return True
        return False


@dataclass(frozen=True)
class Query:
    """A checked query: ``text`` as typed, ``fts`` the MATCH expression (restricted to the statement's text and
    memo), ``phrases`` its positive words, or ``pattern`` a compiled regular expression."""

    text: str
    regex: bool = False
    exact_diacritics: bool = False
    fts: str = ""
    phrases: tuple[Phrase, ...] = ()
    pattern: Any = field(default=None, compare=False)

    def keeps(self, region_text: str) -> bool:
        """Whether a hit region FTS5 marked is a hit under this query's diacritics rule."""
        if not self.exact_diacritics or self.regex:
            return True
        region = tokens(region_text)
        return any(p.found_in(region) for p in self.phrases)


def locate(text: str, query: Query) -> list[tuple[int, int]]:
    """Where ``query``'s phrases occur in ``text``, found here rather than by the index: for a statement whose
    text SQLite's ``highlight()`` cannot give back whole (it stops at a NUL character). Folding as the index
    folds (or keeping diacritics with ``exact_diacritics``); each phrase instance is one region."""
    spans = word_spans(text)
    fold_word = fold if query.exact_diacritics else bare
    words = [fold_word(text[s:e]) for s, e in spans]
    found: set[tuple[int, int]] = set()
    for phrase in query.phrases:
        wanted = [fold_word(w) for w in phrase.words]
        n = len(wanted)
        for i in range(len(words) - n + 1):
            window = words[i : i + n]
            if window[:-1] == wanted[:-1] and (
                window[-1].startswith(wanted[-1]) if phrase.prefix else window[-1] == wanted[-1]
            ):
                found.add((spans[i][0], spans[i + n - 1][1]))
    return sorted(found)


def parse(text: str, *, regex: bool = False, exact_diacritics: bool = False, ignore_case: bool = False) -> Query:
    """Check ``text`` and make a :class:`Query`; a malformed one raises AnnotatorError with one clear line."""
    if not text.strip():
        raise AnnotatorError("the search is empty: type a word, a \"phrase\", a prefix* or a pattern")
    if len(text) > MAX_QUERY:
        raise AnnotatorError(f"the search is too long ({len(text)} characters; at most {MAX_QUERY})")
    if "\x00" in text:
        raise AnnotatorError("the search holds a NUL character")
    if regex:
        return Query(text, regex=True, pattern=compile_pattern(text, ignore_case))
    phrases = _check_fts(text)
    return Query(text, exact_diacritics=exact_diacritics, fts=f"{{text note}} : ({text})", phrases=phrases)


def compile_pattern(text: str, ignore_case: bool = False) -> Any:
    import regex as re_module  # imported here: only a regular-expression search needs it

    flags = re_module.IGNORECASE if ignore_case else 0
    try:
        return re_module.compile(text, flags | re_module.VERSION0)
    except (re_module.error, ValueError, OverflowError, RecursionError) as exc:
        raise AnnotatorError(f"the regular expression is malformed: {exc}") from None


def _check_fts(text: str) -> tuple[Phrase, ...]:
    """Walk the query as FTS5 reads it: quotes closed, brackets balanced (so the query cannot step out of the
    text-and-memo restriction it is wrapped in), no column names. Returns its phrases."""
    phrases: list[Phrase] = []
    depth = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            j = i + 1
            buf = []
            while True:
                if j >= n:
                    raise AnnotatorError("the search has an unclosed quote (\"); close the phrase")
                if text[j] == '"':
                    if j + 1 < n and text[j + 1] == '"':
                        buf.append('"')
                        j += 2
                        continue
                    break
                buf.append(text[j])
                j += 1
            i = j + 1
            prefix = i < n and text[i] == "*"
            if prefix:
                i += 1
            words = tuple(tokens("".join(buf)))
            if words:
                phrases.append(Phrase(words, prefix))
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise AnnotatorError("the search has a ')' without its '('")
        elif ch in ":{}^":
            raise AnnotatorError(f"the search has a {ch!r}: put a word holding it in quotes (\"...\")")
        elif ch == "-" and (i == 0 or text[i - 1] in " ("):
            raise AnnotatorError("the search has a '-' before a word: use NOT, or put the word in quotes")
        elif is_token_char(ch):
            j = i
            while j < n and (is_token_char(text[j]) or text[j] == "_"):
                j += 1
            word = text[i:j]
            i = j
            prefix = i < n and text[i] == "*"
            if prefix:
                i += 1
            if word in _OPERATORS or (word == "NEAR" and i < n and text[i] == "("):
                continue
            if prefix or not word.isdigit() or not _after_comma(text, i - len(word)):
                phrases.append(Phrase(tuple(tokens(word)), prefix))
            continue
        i += 1
    if depth:
        raise AnnotatorError("the search has a '(' without its ')'")
    if not phrases:
        raise AnnotatorError("the search has no word to look for")
    return tuple(phrases)


def _after_comma(text: str, i: int) -> bool:
    """Whether position ``i`` follows a comma (the distance of ``NEAR(a b, 5)``)."""
    j = i - 1
    while j >= 0 and text[j] == " ":
        j -= 1
    return j >= 0 and text[j] == ","


def filter_query(typed: str) -> str | None:
    """The Documents list's filter box as an FTS5 query: what was typed as one phrase whose last word is a prefix
    (so the list narrows while a word is typed), over title, text and memo; None if it has no word at all."""
    if not tokens(typed):
        return None
    return '"' + typed.replace('"', '""') + '"*'


#: FTS5's operators, as a query's words
FTS_OPERATORS = ("AND", "OR", "NOT")


def fts_tree(text: str) -> Any:
    """The query as FTS5 reads it, as a tree: a leaf (an FTS5 phrase, or a NEAR group, as :func:`fts_terms` writes
    them), or ``(operator, child, ...)`` with "AND", "OR" or "NOT"; None for a query read otherwise than FTS5 reads
    it. What the search's marking of a long statement needs (``store/search.py``)."""
    terms = fts_terms(text)
    at = 0
    if terms is None:
        return None

    def peek() -> str | None:
        return terms[at] if at < len(terms) else None

    def take() -> str:
        nonlocal at
        at += 1
        return terms[at - 1]

    def binary(op: str, operand: Callable[[], Any]) -> Any:
        node = operand()
        while peek() == op:
            take()
            node = (op, node, operand())
        return node

    def primary() -> Any:  # implicit AND binds tightest: "a OR b c" is "a OR (b c)" (tried)
        if peek() == "(":
            take()
            node = binary("OR", lambda: binary("AND", lambda: binary("NOT", primary)))
            if take() != ")":
                raise ValueError
            return node
        phrases = []
        while peek() is not None and peek() not in (*FTS_OPERATORS, "(", ")"):
            phrases.append(take())
        if not phrases:
            raise ValueError
        return ("AND", *phrases)

    try:
        tree = binary("OR", lambda: binary("AND", lambda: binary("NOT", primary)))
        if at != len(terms):
            raise ValueError
    except (ValueError, IndexError):
        return None
    return tree


def fts_text(node: Any) -> str:
    """A tree of :func:`fts_tree` (or a part of it) as an FTS5 query again."""
    if isinstance(node, str):
        return node
    return "(" + f" {node[0]} ".join(fts_text(child) for child in node[1:]) + ")"


#: FTS5's distance of a NEAR group that gives none
NEAR_DISTANCE = 10


def fts_terms(text: str) -> list[str] | None:
    """The query as FTS5 reads it: brackets, operators, and leaves -- each phrase an FTS5 string (``"..."``, ``*``
    if a prefix, ``+`` joining: ``"the" + "iron"*``), each NEAR group one leaf with its distance written out
    (``NEAR("iron" "fist", 5)``, FTS5's ``NEAR(iron fist, 5)``); None for a query read otherwise than FTS5 reads it
    (FTS5 refuses it first: the search checks every query with FTS5 before it marks)."""
    out: list[str] = []
    i = 0
    while (i := _space(text, i)) < len(text):
        if text[i] in "()":
            out.append(text[i])
            i += 1
            continue
        j = _bareword(text, i)
        if text[i:j] in FTS_OPERATORS:
            out.append(text[i:j])
            i = j
            continue
        if text[i:j] == "NEAR" and text[_space(text, j) : _space(text, j) + 1] == "(":  # FTS5 allows a space there
            found = _near(text, _space(text, j) + 1)
        else:
            found = _phrase(text, i)
        if found is None:
            return None
        term, i = found
        out.append(term)
    return out


def _near(text: str, i: int) -> tuple[str, int] | None:
    """The NEAR group whose phrases begin at ``i`` (after its bracket) and where it ends, or None (FTS5's grammar:
    ``NEAR ( phrase phrase ... [, N] )``, N a bareword of ASCII digits, :data:`NEAR_DISTANCE` if none)."""
    phrases = []
    while (i := _space(text, i)) < len(text) and text[i] not in ",)":
        found = _phrase(text, i)
        if found is None:
            return None
        phrases.append(found[0])
        i = found[1]
    if not phrases or i >= len(text):
        return None
    distance = NEAR_DISTANCE
    if text[i] == ",":
        i = _space(text, i + 1)
        j = _bareword(text, i)
        if j == i or not text[i:j].isascii() or not text[i:j].isdigit():
            return None
        distance, i = int(text[i:j]), _space(text, j)
    if text[i : i + 1] != ")":
        return None
    return f"NEAR({' '.join(phrases)}, {distance})", i + 1


def _phrase(text: str, i: int) -> tuple[str, int] | None:
    """The phrase at ``i`` (strings joined by ``+``, each a prefix if a ``*`` follows) as an FTS5 string, and where
    it ends; None if there is none (an operator, a bracket, punctuation)."""
    parts = []
    while True:
        if text[i : i + 1] == '"':
            j = text.find('"', i + 1)
            while 0 <= j < len(text) - 1 and text[j + 1] == '"':
                j = text.find('"', j + 2)
            if j < 0:
                return None
            word, i = text[i + 1 : j].replace('""', '"'), j + 1
        else:
            j = _bareword(text, i)
            if j == i or text[i:j] in FTS_OPERATORS:
                return None
            word, i = text[i:j], j
        star = _space(text, i)
        prefix = text[star : star + 1] == "*"  # FTS5 allows a space before the star too
        if prefix:
            i = star + 1
        parts.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
        plus = _space(text, i)
        if text[plus : plus + 1] != "+":
            return " + ".join(parts), i
        i = _space(text, plus + 1)


def _space(text: str, i: int) -> int:
    """Where the first character from ``i`` on that is not a space is (FTS5 skips spaces between its tokens)."""
    while i < len(text) and text[i] in " \t\n\r":
        i += 1
    return i


def _bareword(text: str, i: int) -> int:
    """Where the bareword at ``i`` ends (``i`` if none is there)."""
    while i < len(text) and _bare(text[i]):
        i += 1
    return i


def _bare(ch: str) -> bool:
    """A character of an FTS5 bareword (FTS5's own rule: not ASCII, or a letter, digit or "_" of ASCII)."""
    return ord(ch) >= 0x80 or ch.isalnum() or ch in "_\x1a"
