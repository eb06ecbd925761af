"""``spacy``: a spaCy DocBin (``.spacy``), what ``spacy train`` and ``DocBin().from_disk`` read.

Write: one ``Doc`` per document, its spans in ``doc.spans[KEY]`` (``sc`` by default, ``--spans-key``), so overlapping
and nested spans are all kept; ``doc.user_data`` holds ``doc_id``, ``title``, ``sha256``, the statement's
``source``, ``status``, ``date``, ``issuer``, ``url``, memo (``note``) and ``variables``
(:mod:`annotator.formats.docfields`, read back on import) and, parallel to the spans, their ``annotators`` and
``notes``. The tokens come from a blank multi-language tokenizer (``spacy.blank("xx")``), split further at every
span boundary so each span is exactly a run of tokens and ``doc.text`` is the stored text (offsets are exact, no
"expand" alignment).

Read: every span group of each ``Doc`` (or only ``KEY`` when given), else ``doc.ents``; the text is ``doc.text``.

spaCy is optional (``pip install 'annotator[spacy]'``): without it this format says so in one line.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from annotator.core.model import Document, IncomingDocument, ReadResult, Span
from annotator.errors import AnnotatorError, FormatError
from annotator.formats.common import ExportOptions, Problems, check_span, consequence, read_bytes, text_problem
from annotator.formats.docfields import fields, incoming_fields

LANGUAGE = "xx"


def _spacy() -> Any:
    try:
        import spacy
    except ImportError:
        raise AnnotatorError(
            "the spacy format needs spaCy, which is not installed: pip install 'annotator[spacy]'"
        ) from None
    return spacy


def words_for(nlp: Any, text: str, spans: Iterable[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """spaCy's tokens of ``text``, split further at every span boundary: (words, spaces) with
    ``"".join(w + " " * s) == text``."""
    starts: set[int] = set()
    ends: set[int] = set()
    for start, end in spans:
        starts.add(start)
        ends.add(end)
    cuts = {0, len(text)} | starts | ends
    # spaCy refuses a text past ``max_length`` (a million characters) to spare a parser's memory; only its
    # tokenizer runs here, and a statement the project holds (a 28.5 MB report was imported) must export too
    nlp.max_length = max(nlp.max_length, len(text) + 1)
    for tok in nlp.make_doc(text):
        cuts.add(tok.idx)
        cuts.add(tok.idx + len(tok.text))
    points = sorted(cuts)
    words: list[str] = []
    spaces: list[bool] = []
    for a, b in zip(points, points[1:], strict=False):
        piece = text[a:b]
        # one space after a word is that word's trailing space, unless a span starts at it or ends after it
        if piece == " " and words and not spaces[-1] and not words[-1].isspace() and a not in starts and b not in ends:
            spaces[-1] = True
            continue
        words.append(piece)
        spaces.append(False)
    return words, spaces


def to_doc(nlp: Any, doc: Document, spans: list[Span], key: str) -> Any:
    from spacy.tokens import Doc

    ordered = sorted(spans, key=lambda s: (s.start, s.end, s.label, s.id))
    words, spaces = words_for(nlp, doc.text, ((s.start, s.end) for s in ordered))
    out = Doc(nlp.vocab, words=words, spaces=spaces)
    if out.text != doc.text:
        raise AnnotatorError(f"cannot write {doc.title!r} as a spaCy Doc: its text does not survive tokenization")
    group = []
    for s in ordered:
        span = out.char_span(s.start, s.end, label=s.label)
        if span is None:  # cannot happen: the tokens are cut at every span boundary
            raise AnnotatorError(f"cannot align span {s.start}-{s.end} of {doc.title!r} with spaCy's tokens")
        group.append(span)
    out.spans[key] = group
    out.user_data.update(
        {
            "doc_id": doc.id,
            "title": doc.title,
            "sha256": doc.sha256,
            **fields(doc),
            "annotators": [s.annotator for s in ordered],
            "notes": [s.note for s in ordered],
        }
    )
    return out


def write(items: Iterable[tuple[Document, list[Span]]], out: IO[bytes], options: ExportOptions | None = None) -> int:
    spacy = _spacy()
    from spacy.tokens import DocBin

    key = (options.spans_key if options else None) or "sc"
    nlp = spacy.blank(LANGUAGE)
    docbin = DocBin(store_user_data=True)
    n = 0
    for doc, spans in items:
        docbin.add(to_doc(nlp, doc, spans, key))
        n += 1
    out.write(docbin.to_bytes())
    return n


def read(path: Path, spans_key: str | None = None) -> ReadResult:
    spacy = _spacy()
    from spacy.tokens import DocBin

    nlp = spacy.blank(LANGUAGE)
    try:
        docbin = DocBin().from_bytes(read_bytes(path))
        docs_in = list(docbin.get_docs(nlp.vocab))
    except (ValueError, KeyError, TypeError) as exc:
        raise FormatError(f"{path}: not a spaCy DocBin ({exc}); {consequence()}") from None
    problems = Problems(path)
    docs: list[IncomingDocument] = []
    for number, sdoc in enumerate(docs_in, 1):
        where = f"doc {number}"
        problem = text_problem(sdoc.text)
        if problem:
            problems.add(where, problem)
            continue
        data = sdoc.user_data if isinstance(sdoc.user_data, dict) else {}
        if spans_key is not None:
            groups = [sdoc.spans[spans_key]] if spans_key in sdoc.spans else []
        else:
            groups = [sdoc.spans[k] for k in sdoc.spans]
        found = [span for group in groups for span in group] or list(sdoc.ents)
        annotators = data.get("annotators") if len(groups) == 1 else None
        notes = data.get("notes") if len(groups) == 1 else None
        parallel = (
            isinstance(annotators, (list, tuple)) and isinstance(notes, (list, tuple)) and len(annotators) == len(found)
        )
        spans = []
        own: dict[str, Any] = {"source": path.name}
        try:
            for i, span in enumerate(found):
                who = annotators[i] if parallel else path.stem  # type: ignore[index]
                note = notes[i] if parallel else ""  # type: ignore[index]
                spans.append(check_span(sdoc.text, span.start_char, span.end_char, span.label_, who, note))
            own.update(incoming_fields(data, "user_data"))
        except ValueError as exc:
            problems.add(where, str(exc))
            continue
        title = data.get("title") if isinstance(data.get("title"), str) and data.get("title") else None
        docs.append(IncomingDocument(text=sdoc.text, title=title or f"{path.stem} #{number}", spans=spans, **own))
    if not docs and not problems.count:
        problems.add("file", "no documents (the DocBin is empty)")
    problems.raise_if_any()
    return ReadResult(docs)
