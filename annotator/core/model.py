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


@dataclass(slots=True)
class ImportReport:
    """The outcome of importing some files: what went in, what was skipped, what was rejected and why."""

    imported: list[str] = field(default_factory=list)  # titles
    spans: int = 0
    duplicates: list[str] = field(default_factory=list)  # titles skipped because the same text is present
    skipped_tasks: int = 0
    rejected: list[tuple[str, list[str]]] = field(default_factory=list)  # (file, problems)
    new_labels: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cancelled: bool = False

    def summary_lines(self) -> list[str]:
        lines = [f"imported {len(self.imported)} document(s) with {self.spans} span(s)"]
        if self.duplicates:
            lines.append(f"skipped {len(self.duplicates)} document(s) already in the project (same text)")
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
            lines.append("cancelled: files not yet reached were not imported")
        return lines
