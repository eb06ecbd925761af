"""A label's cue patterns as text, as the codebook editor shows them (issue 13): one cue a line,
``NAME  KIND  PATTERN`` (kind ``phrase``, ``tokens`` or ``regex``; separated by tabs or two spaces or more).
Qt-free: the editor checks the whole codebook's cues before anything is saved and names every problem."""

from __future__ import annotations

import re

from annotator.core.suggest.cues import KINDS, Cue

SEPARATOR = re.compile(r"\t+| {2,}")
HELP = ("One cue a line: NAME, KIND and PATTERN separated by a tab or two spaces. Kinds: phrase (words, any case), "
        "tokens (? any word, ... up to six words, word* a prefix, a|b either), regex (Python, any case). "
        "Lines starting with # are ignored.")


def cues_to_text(cues: tuple[Cue, ...] | list[Cue]) -> str:
    return "".join(f"{c.name}\t{c.kind}\t{c.pattern}\n" for c in cues)


def parse(label: str, text: str) -> tuple[list[Cue], list[str]]:
    cues: list[Cue] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = SEPARATOR.split(line.strip(), maxsplit=2)
        if len(parts) != 3:
            problems.append(f"label {label!r}, line {number}: expected NAME, KIND and PATTERN, found {line.strip()!r}")
            continue
        name, kind, pattern = parts
        if kind not in KINDS:
            problems.append(f"label {label!r}, line {number}: the kind must be one of {', '.join(KINDS)}, not {kind!r}")
            continue
        cues.append(Cue(name, kind, pattern))
    return cues, problems
