"""What an export's format has no place for, counted over the export for its summary (``ExportOptions.notes``),
as the CoNLL export names the spans IOB cannot hold: nothing is left out without a word.

A format says what it keeps; :class:`Losses` counts, over the documents written, the titles it changes (brat's
file names) or drops, the spans' annotators and notes, and each statement's date, issuer, URL, memo, variables and
status (one that is not ``todo``) it has no place for, and gives one line naming them with a few examples.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.model import Document, Span

#: what a statement may hold beyond its text and spans, in the order the summary names them
FIELDS = ("title", "annotator", "span note", "date", "issuer", "URL", "memo", "variables", "status")
SHOWN = 3


class Losses:
    def __init__(self, fmt: str, keeps: Iterable[str] = ()) -> None:
        self.fmt = fmt
        self.keeps = frozenset(keeps)
        self.counts = dict.fromkeys(FIELDS, 0)
        self.renamed: list[str] = []

    def add(self, doc: Document, spans: list[Span], title_as: str | None = None) -> None:
        """One document written; ``title_as``: the title as the format holds it (brat's file name), when it
        holds one."""
        if "title" not in self.keeps:
            if title_as is None:
                self.counts["title"] += bool(doc.title)
            elif title_as != doc.title:
                self.counts["title"] += 1
                if len(self.renamed) < SHOWN:
                    self.renamed.append(f"{_short(doc.title)} as {_short(title_as)}")
        found = {
            "annotator": sum(1 for s in spans if s.annotator),
            "span note": sum(1 for s in spans if s.note),
            "date": bool(doc.date),
            "issuer": bool(doc.issuer),
            "URL": bool(doc.url),
            "memo": bool(doc.note),
            "variables": bool(doc.variables),
            "status": doc.status != "todo",
        }
        for name, n in found.items():
            if name not in self.keeps:
                self.counts[name] += int(n)

    def note(self) -> str | None:
        """The summary's line, or None when nothing was left out."""
        parts = []
        for name, n in self.counts.items():
            if not n:
                continue
            if name == "title" and self.renamed:
                more = f" and {n - len(self.renamed)} more" if n > len(self.renamed) else ""
                parts.append(f"{n} title(s), changed into file names ({'; '.join(self.renamed)}{more})")
            elif name == "annotator" or name == "span note":
                parts.append(f"{n} span {name}(s)" if name == "annotator" else f"{n} span note(s)")
            elif name == "variables":
                parts.append(f"the variables of {n} statement(s)")
            elif name == "status":
                parts.append(f"{n} status(es) other than todo")
            else:
                parts.append(f"{n} {name}(s)")
        if not parts:
            return None
        return (f"not in the {self.fmt} export, which has no place for them (export jsonl to keep them): "
                + ", ".join(parts))


def _short(text: str, most: int = 60) -> str:
    """``text`` quoted, its middle cut when long: a file name differs from its title at the end (brat's cut)."""
    return repr(text if len(text) <= most else text[: most // 3] + "…" + text[-(most - most // 3 - 1):])
