"""What agreement compares: one annotator's documents (:class:`AnnotationSet`) of text and ``(start, end, label)``
spans (:class:`DocSpans`), keyed by the SHA-256 of the text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

SpanTuple = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class DocSpans:
    """One document as one annotator saw it: its text and their spans ``(start, end, label)``."""

    text: str
    spans: tuple[SpanTuple, ...] = ()

    def __post_init__(self) -> None:
        # Checked here so every figure can index the text without range checks (DESIGN.md §2.4 rules).
        spans = tuple((int(s), int(e), str(lab)) for s, e, lab in self.spans)
        n = len(self.text)
        for s, e, lab in spans:
            if not (0 <= s < e <= n) or not lab:
                raise ValueError(f"invalid span ({s}, {e}, {lab!r}) for a text of {n} characters")
        object.__setattr__(self, "spans", spans)

    @classmethod
    def checked(cls, text: str, spans: tuple[SpanTuple, ...]) -> DocSpans:
        """Spans a reader has already checked (integers within the text, non-empty labels: a project's spans,
        checked in one SQL query), taken as they are: no second check per span."""
        doc = object.__new__(cls)
        object.__setattr__(doc, "text", text)
        object.__setattr__(doc, "spans", spans)
        return doc


@dataclass(frozen=True, slots=True)
class AnnotationSet:
    """Everything one annotator labeled: ``docs`` maps a document's SHA-256 to its :class:`DocSpans`."""

    name: str
    docs: Mapping[str, DocSpans] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, name: str, rows: Iterable[tuple[str, str, Iterable[SpanTuple]]]) -> AnnotationSet:
        """Build from ``(sha256, text, spans)`` rows; spans of repeated rows for one document are joined."""
        texts: dict[str, str] = {}
        spans: dict[str, list[SpanTuple]] = {}
        for sha, text, doc_spans in rows:
            if texts.setdefault(sha, text) != text:
                raise ValueError(f"two different texts for document {sha}")
            spans.setdefault(sha, []).extend(doc_spans)
        return cls(name, {sha: DocSpans(texts[sha], tuple(spans[sha])) for sha in texts})


def split_by_annotator(
    rows: Iterable[tuple[str, str, Iterable[tuple[int, int, str, str]]]], unnamed: str = ""
) -> dict[str, AnnotationSet]:
    """One :class:`AnnotationSet` per annotator found in ``(sha256, text, [(start, end, label, annotator)])``.

    A file can hold several annotators' spans (a Prodigy ``db-out``, a merged project). Every document of the file
    goes into every annotator's set, also where that annotator labeled nothing: they saw it and found nothing, which
    is a judgement agreement must count. Spans without an annotator belong to ``unnamed``. Sets come in order of
    first appearance.
    """
    docs: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    per_name: dict[str, dict[str, list[SpanTuple]]] = {}
    for sha, text, spans in rows:
        if sha not in seen:
            seen[sha] = text
            docs.append((sha, text))
        elif seen[sha] != text:
            raise ValueError(f"two different texts for document {sha}")
        for start, end, label, annotator in spans:
            per_name.setdefault(annotator or unnamed, {}).setdefault(sha, []).append((start, end, label))
    return {
        name: AnnotationSet(name, {sha: DocSpans(text, tuple(by_doc.get(sha, ()))) for sha, text in docs})
        for name, by_doc in per_name.items()
    }
