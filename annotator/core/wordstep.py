"""Growing and shrinking a span by a word, without splitting brackets, quotes or words (issue 15, item 4).

A *word* is a run of word characters (:func:`~annotator.core.text.is_word_char`) in which an apostrophe
between two word characters belongs to the word ("DPRK's", "People’s"). A step moves one end of the span
over the whitespace and punctuation next to it and the next word; then the span is *balanced*: a bracket or a
double quote the step took in whose partner lies outside the span brings its partner in too, so a bracketed
group is taken whole ("strongly condemn the" grown left in "Korea (ROK) strongly" is "(ROK) strongly condemn
the", never "ROK) strongly …"). Shrinking never leaves an opener behind whose closer it dropped: it cuts
before the opener instead. Single quotes are not paired (an apostrophe and a closing single quote are the same
character). A span that was unbalanced before the step (typed by hand, imported) is stepped plainly.

Everything is in code points and Qt-free; the editor asks here and pushes the result as one undoable change.
"""

from __future__ import annotations

from annotator.core.text import is_word_char

OPENERS = {"(": ")", "[": "]", "{": "}", "“": "”", "«": "»", "„": "“", "‹": "›"}
CLOSERS = {")": "(", "]": "[", "}": "{", "”": "“", "»": "«", "›": "‹"}
APOSTROPHES = "'’"
STRAIGHT = '"'
#: how far a step looks for a bracket's partner; farther than this, the step is taken plainly
REACH = 2000


def _word(text: str, i: int) -> bool:
    """Whether ``text[i]`` belongs to a word (an apostrophe does between two word characters)."""
    ch = text[i]
    if is_word_char(ch):
        return True
    return ch in APOSTROPHES and 0 < i < len(text) - 1 and is_word_char(text[i - 1]) and is_word_char(text[i + 1])


def _kind(text: str, i: int) -> tuple[str, str] | None:
    """("open" | "close", pair key) for a bracket or double quote at ``i``; None for anything else.

    A straight double quote opens after whitespace, an opening bracket or the start of the text, and closes
    otherwise. “ is an opener of ” and the closer of „ (German); it is read as an opener.
    """
    ch = text[i]
    if ch == STRAIGHT:
        before = text[i - 1] if i > 0 else " "
        return ("open", STRAIGHT) if before.isspace() or before in OPENERS else ("close", STRAIGHT)
    if ch in OPENERS:
        return ("open", ch)
    if ch in CLOSERS:
        return ("close", CLOSERS[ch])
    return None


def _unmatched(text: str, start: int, end: int) -> tuple[str, int] | None:
    """The first bracket or double quote in ``text[start:end]`` without its partner inside: ("open", i) for
    the innermost unclosed opener, ("close", i) for a closer whose opener is before ``start``."""
    stack: list[tuple[str, int]] = []
    for i in range(start, end):
        kind = _kind(text, i)
        if kind is None:
            continue
        side, key = kind
        if side == "open":
            stack.append((key, i))
        elif stack and stack[-1][0] == key:
            stack.pop()
        elif any(k == key for k, _ in stack):  # closes an outer opener: the ones inside it are unclosed
            return ("open", stack[-1][1])
        else:
            return ("close", i)
    return ("open", stack[-1][1]) if stack else None


def is_balanced(text: str, start: int, end: int) -> bool:
    return _unmatched(text, start, end) is None


def _partner(text: str, i: int) -> int | None:
    """Position of the partner of the bracket or quote at ``i`` (nesting of the same pair counted), within
    :data:`REACH`; None if there is none."""
    kind = _kind(text, i)
    if kind is None:
        return None
    side, key = kind
    # an opening mark looks forward for its closing one, a closing mark backward; marks of its own side nest
    steps = range(i + 1, min(len(text), i + REACH)) if side == "open" else range(i - 1, max(-1, i - REACH), -1)
    depth = 0
    for j in steps:
        k = _kind(text, j)
        if k is not None and k[1] == key:
            if k[0] == side:
                depth += 1
            elif depth == 0:
                return j
            else:
                depth -= 1
    return None


def _balance_outward(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The smallest span around ``[start, end)`` in which every bracket and double quote has its partner;
    None if a partner is missing or too far."""
    for _ in range(64):
        problem = _unmatched(text, start, end)
        if problem is None:
            return start, end
        side, i = problem
        j = _partner(text, i)
        if j is None:
            return None
        if side == "open":
            end = max(end, j + 1)
        else:
            start = min(start, j)
    return None


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop whitespace and punctuation (not brackets or quotes) from both ends."""
    def loose(i: int) -> bool:
        return not _word(text, i) and _kind(text, i) is None

    while start < end and loose(start):
        start += 1
    while end > start and loose(end - 1):
        end -= 1
    return start, end


def grow_end(text: str, start: int, end: int) -> tuple[int, int]:
    """The span after its end grows by a word (unchanged at the end of the text)."""
    n, p = len(text), end
    while p < n and not _word(text, p):
        p += 1
    while p < n and _word(text, p):
        p += 1
    return _grown(text, start, end, start, p)


def grow_start(text: str, start: int, end: int) -> tuple[int, int]:
    """The span after its start grows by a word (unchanged at the start of the text)."""
    p = start
    while p > 0 and not _word(text, p - 1):
        p -= 1
    while p > 0 and _word(text, p - 1):
        p -= 1
    return _grown(text, start, end, p, end)


def _grown(text: str, start: int, end: int, new_start: int, new_end: int) -> tuple[int, int]:
    if not is_balanced(text, start, end):
        return new_start, new_end  # it was not balanced before: a plain step
    balanced = _balance_outward(text, new_start, new_end)
    if balanced is not None:
        return balanced
    # a bracket or quote without a partner on the way: the step stops before it
    for i in range(end, new_end):
        if _kind(text, i) is not None:
            new_end = max(end, _strip(text, start, i)[1])
            break
    for i in range(start - 1, new_start - 1, -1):
        if _kind(text, i) is not None:
            new_start = min(start, _strip(text, i + 1, end)[0])
            break
    return new_start, new_end


def shrink_end(text: str, start: int, end: int) -> tuple[int, int]:
    """The span after its last word is dropped (with the punctuation before it). A span of one word stays as it
    is; an opener whose closer was dropped goes too (the span is cut before it)."""
    p = end
    while p > start and not _word(text, p - 1):
        p -= 1
    while p > start and _word(text, p - 1):
        p -= 1
    new = _strip(text, start, p)
    if new[0] >= new[1]:
        return start, end
    if is_balanced(text, start, end):
        while (problem := _unmatched(text, *new)) is not None and problem[0] == "open":
            new = _strip(text, new[0], problem[1])
            if new[0] >= new[1]:
                return start, end
    return new


def shrink_start(text: str, start: int, end: int) -> tuple[int, int]:
    """The span after its first word is dropped; the mirror of :func:`shrink_end`."""
    p = start
    while p < end and not _word(text, p):
        p += 1
    while p < end and _word(text, p):
        p += 1
    new = _strip(text, p, end)
    if new[0] >= new[1]:
        return start, end
    if is_balanced(text, start, end):
        while (problem := _unmatched(text, *new)) is not None and problem[0] == "close":
            new = _strip(text, problem[1] + 1, new[1])
            if new[0] >= new[1]:
                return start, end
    return new
