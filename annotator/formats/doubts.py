"""The command line's answer to File ▸ Import's question about a doccano file whose offsets read as plausibly in
two countings (``formats/counting.py``, rule 3; the question is ``ui/files/offsets.py``).

``annotator import`` without ``--offsets`` never stores a reading the window would not offer as its default:
where one reading's spans look clearly more like an annotator's (fewer edges inside a word or a character, or at
white space: :attr:`Doubt.likelier` when :attr:`Doubt.clear`), the file is read so and the summary says so and how
to read it the other way; where none does, nothing is imported and one line per such file says how to choose.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from annotator import formats
from annotator.errors import AnnotatorError
from annotator.formats import doccano
from annotator.formats.counting import NAMES, OPTIONS, Doubt


def settle(paths: Iterable[str | Path], fmt: str | None = None) -> tuple[dict[Path, str], list[str]]:
    """The counting to read each doubtful doccano file among ``paths`` in (those with a clearly likelier reading)
    and what the summary says of each; raises AnnotatorError, one line per file, when a file's readings are as
    plausible as each other (nothing is imported then). Files that cannot be read are passed over: the import
    says why."""
    chosen: dict[Path, str] = {}
    notes: list[str] = []
    undecided: list[str] = []
    for path in formats.collect(paths):
        try:
            if formats.reader_for(path, fmt) is not doccano.read:
                continue
            found = doccano.doubt(path)
        except (AnnotatorError, OSError, ValueError):
            continue
        if found is None:
            continue
        if found.clear:
            chosen[path] = found.likelier
            notes.append(_read_as(found))
        else:
            undecided.append(_choose(found))
    if undecided:
        raise AnnotatorError(undecided[0], undecided[1:])
    return chosen, notes


def _readings(doubt: Doubt) -> list[tuple[str, str]]:
    units = doubt.distinct or (doubt.chosen, *doubt.others)
    marks = doubt.marks or ("",) * len(units)
    return list(zip(units, marks, strict=True))


def _read_as(doubt: Doubt) -> str:
    others = [(u, m) for u, m in _readings(doubt) if u != doubt.likelier]
    mark = dict(_readings(doubt)).get(doubt.likelier, "")
    instead = "; ".join(f"{OPTIONS[u]} reads {NAMES[u]}" for u, _ in others if u in OPTIONS)
    return (f"{doubt.name}: offsets read as {NAMES[doubt.likelier]}, the reading whose spans look like an "
            f"annotator's ({doubt.where}: {mark}; " + ", ".join(f"{m} as {NAMES[u]}" for u, m in others)
            + ")" + (f"; {instead}" if instead else ""))


def _choose(doubt: Doubt) -> str:
    readings = ", ".join(f"{m} as {NAMES[u]}" for u, m in _readings(doubt))
    options = " or ".join(OPTIONS[u] for u, _ in _readings(doubt) if u in OPTIONS)
    how = f"choose with {options}" if options else "choose in the window (File ▸ Import)"
    return (f"{doubt.name}: its offsets read as plausibly in more than one counting ({doubt.where}: {readings}); "
            f"{how}; nothing was imported")
