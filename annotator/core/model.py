"""Plain data classes shared by the store, the formats and the UI."""

from __future__ import annotations

from dataclasses import dataclass, field

#: document statuses, in workflow order
STATUSES: tuple[str, ...] = ("todo", "in_progress", "done", "skipped")
STATUS_NAMES: dict[str, str] = {
    "todo": "To do",
    "in_progress": "In progress",
    "done": "Done",
    "skipped": "Skipped",
}


@dataclass(frozen=True, slots=True)
class Label:
    key: str
    name: str
    shortcut: str = ""  # "1".."9" or ""
    color: str = "#888888"  # "#rrggbb"
    description: str = ""


@dataclass(frozen=True, slots=True)
class Span:
    """A labeled span: ``text[start:end]`` in Unicode code points, end exclusive."""

    id: int
    doc_id: int
    start: int
    end: int
    label: str
    annotator: str = ""
    note: str = ""
    origin: str = ""  # provenance of an adjudicated span: "colleague@file"
    created: str = ""
    updated: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    id: int
    title: str
    source: str
    text: str
    sha256: str
    status: str = "todo"
    # document variables (DESIGN.md §2.6): ISO date or "", issuer, url, memo, the project's own variables
    date: str = ""
    issuer: str = ""
    url: str = ""
    note: str = ""
    variables: dict[str, object] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """A document without its text, for lists."""

    id: int
    title: str
    status: str
    span_count: int
    length: int
    sha256: str


@dataclass(slots=True)
class IncomingSpan:
    """A span read from a file, already validated against its document's text."""

    start: int
    end: int
    label: str
    annotator: str = ""
    note: str = ""


@dataclass(slots=True)
class IncomingDocument:
    """A document read from a file, before it is stored."""

    text: str
    title: str
    source: str = ""
    spans: list[IncomingSpan] = field(default_factory=list)
    status: str | None = None
    # document variables (DESIGN.md §2.6), validated by the reader: ISO date or "", issuer, url, memo, and the
    # project's own variables by name (str, int/float, bool; a date as an ISO string)
    date: str = ""
    issuer: str = ""
    url: str = ""
    note: str = ""
    variables: dict[str, object] = field(default_factory=dict)
    provenance: Provenance | None = None


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where an imported statement came from: the file as it was, and what extracted its text."""

    file_name: str
    file_sha256: str
    extractor: str  # e.g. "plaintext", "trafilatura", "pypdf", "python-docx", "jsonl"
    extractor_version: str


@dataclass(slots=True)
class ReadResult:
    """What a format reader found in one file."""

    documents: list[IncomingDocument]
    #: tasks deliberately left out (Prodigy answers "reject"/"ignore"), counted for the report
    skipped_tasks: int = 0
    #: e.g. the legacy encoding a text file was decoded from
    notes: list[str] = field(default_factory=list)
    #: document-level (text-classification) labels found, which a project cannot hold: label -> count
    doc_labels: dict[str, int] = field(default_factory=dict)
    #: spans for documents named by the SHA-256 of their text and not carried in the file (our ``spans``/``csv``
    #: exports): (where in the file, {"doc_sha256", "title", "start", "end", "label", "text", "annotator",
    #: "note"}), checked against the project's texts when imported
    attached: list[tuple[str, dict[str, object]]] = field(default_factory=list)


def counted(counts: dict[str, int]) -> str:
    """``{"urgent": 2, "positive": 1}`` as the summaries name them: "positive (1), urgent (2)"."""
    return ", ".join(f"{name} ({n})" for name, n in sorted(counts.items()))


@dataclass(slots=True)
class ImportReport:
    """The outcome of importing some files: what went in, what was skipped, what was rejected and why."""

    imported: list[str] = field(default_factory=list)  # titles
    spans: int = 0  # spans added, to new documents and to documents already in the project
    duplicates: list[str] = field(default_factory=list)  # titles whose text was already in the project
    extended: list[str] = field(default_factory=list)  # of those, the titles that received new spans
    merged_tasks: int = 0  # records whose text an earlier record of the same file already held
    present_spans: int = 0  # spans read that the document already held (same start, end, label, annotator)
    spans_by_annotator: dict[str, int] = field(default_factory=dict)  # spans added, per annotator
    doc_labels: dict[str, int] = field(default_factory=dict)  # document-level labels not kept: label -> count
    skipped_tasks: int = 0
    rejected: list[tuple[str, list[str]]] = field(default_factory=list)  # (file, problems)
    new_labels: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cancelled: bool = False
    extended_spans: int = 0  # of ``spans``, those added to documents already in the project

    def summary_lines(self) -> list[str]:
        new_spans = self.spans - self.extended_spans
        # "imported 0 statement(s) with 0 span(s)" read as a contradiction above "added 4 span(s) to 3 statement(s)
        # already in the project" (a newcomer's finding): said only when statements came, or nothing at all did
        lines = [] if self.extended and not self.imported else [
            f"imported {len(self.imported)} statement(s) with {new_spans} span(s)"]
        if self.merged_tasks:
            lines.append(f"merged {self.merged_tasks} record(s) on a text already read into its statement")
        if self.extended:
            lines.append(
                f"added {self.extended_spans} span(s) to {len(self.extended)} statement(s) already in the project"
            )
        unchanged = len(self.duplicates) - len(self.extended)
        if unchanged:
            lines.append(f"skipped {unchanged} statement(s) already in the project (same text, no new spans)")
        if self.spans_by_annotator:
            who = ", ".join(f"{name or '(no annotator)'} {n}" for name, n in sorted(self.spans_by_annotator.items()))
            lines.append(f"spans added per annotator: {who}")
        if self.present_spans:
            lines.append(
                f"{self.present_spans} span(s) already present (same start, end, label, annotator) not added again"
            )
        if self.doc_labels:
            lines.append(
                f"not imported: {sum(self.doc_labels.values())} document-level label(s), which a project cannot hold"
                f" (it holds spans): {counted(self.doc_labels)}; the texts they label are imported as"
                " statements, without them"
            )
        if self.skipped_tasks:
            lines.append(f"skipped {self.skipped_tasks} rejected or ignored task(s)")
        if self.new_labels:
            lines.append("added label(s) to the codebook: " + ", ".join(self.new_labels))
        lines.extend(self.notes)
        for path, problems in self.rejected:
            first = problems[0] if problems else "invalid"
            lines.append(f"rejected {first}" if first.startswith(path) else f"rejected {path}: {first}")
            lines.extend(f"  {p}" for p in problems[1:])
        if self.cancelled:
            lines.append("cancelled: the file being imported and those not yet reached were left out")
        return lines
