"""A Word file (``.docx``): its paragraphs and tables in document order (government templates put the text in
tables; a reader that only walks paragraphs imports them empty), its title from the file's properties (or its
paragraph in Word's Title style) when that names something.

Read with the standard library (``zipfile`` and ElementTree over ``word/document.xml``), so the limits are ours:
a ``.docx`` is a ZIP, and one whose members would inflate past :data:`MAX_INFLATED` (a ZIP bomb) is refused
before anything is inflated, and again while inflating, should a member's header lie about its size.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

from annotator import __version__
from annotator.core.model import ReadResult
from annotator.errors import FormatError
from annotator.sources import MAX_FILE_BYTES, webtext
from annotator.sources.common import best_title, document, file_bytes, meaningful_title, tidy, wrong_type

EXTRACTOR = "docx"
#: the most the members read may inflate to, together
MAX_INFLATED = 200 * 1024 * 1024
#: a member inflating more than this many times its stored size is a bomb, not a document
MAX_RATIO = 200
MAX_MEMBERS = 10_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def read(path: Path) -> ReadResult:
    data = file_bytes(path, MAX_FILE_BYTES)
    if not data.startswith(b"PK\x03\x04"):
        raise wrong_type(path, data, "a Word .docx file")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_sizes(path, archive)
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise FormatError(f"{path}: not a Word .docx file (a ZIP archive without word/document.xml)")
            body = _inflate(path, archive, "word/document.xml")
            core_name = _core_properties(path, archive, names)
            core = _inflate(path, archive, core_name) if core_name else b""
            styles = _inflate(path, archive, "word/styles.xml") if "word/styles.xml" in names else b""
            notes = {kind: _inflate(path, archive, name) for kind, name in _note_parts(path, archive, names).items()}
    except FormatError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
            NotImplementedError) as exc:
        raise FormatError(f"{path}: the Word file is damaged and cannot be read ({exc})") from None
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as exc:
        raise FormatError(f"{path}: the Word file is damaged (its XML: {exc})") from None
    blocks: list[str] = []
    headings: list[str] = []  # paragraphs in the Title style, as Word shows a document's title
    found_body = root.find(f"{_W}body")
    kept = _mark_notes(root, notes)
    _walk(found_body if found_body is not None else root, blocks, (_title_styles(styles), headings))
    joined = "\n\n".join(b for b in blocks if b.strip())
    body = tidy(_shown(joined))
    text = body + ("\n\n" + NOTES_RULE + "\n\n" + "\n\n".join(f"{mark} {note}" for mark, note in kept)
                   if kept else "")
    unmarked = tidy(_unmarked(joined))  # a note's mark on the date's or the title's line does not hide them
    title = _core_title(core) or next((t for t in (meaningful_title(_unmarked(h)) for h in headings) if t), "")
    header = webtext.clean(unmarked)
    result = document(path, data, text, EXTRACTOR, __version__,
                      title=best_title(title, header.title if header.date else ""), date=header.date,
                      issuer=header.issuer)
    if kept:
        result.notes.append(f"{path.name}: kept {len(kept)} footnote(s) or endnote(s): marked "
                            f"{', '.join(mark for mark, _ in kept[:5])}{', ...' if len(kept) > 5 else ''} "
                            f"where the text refers to them, their text at its end after a line '{NOTES_RULE}'")
    return result


#: the line between a statement's text and its footnotes' and endnotes' text
NOTES_RULE = "__________"
#: a note's mark in the text as :func:`_paragraph` writes it: between these two characters, which no Word file's text
#: holds (XML 1.0 allows neither), so that the header is read without the marks (:func:`_unmarked`) and only them
_MARK_START, _MARK_END = "\x00", "\x01"
_MARK = re.compile("\x00[^\x00\x01]*\x01")
#: a custom mark longer than this is no mark (a run of text after the reference): the note is numbered then
_MAX_CUSTOM_MARK = 10
_TRUE = ("1", "true", "on")


def _shown(text: str) -> str:
    """The text as stored: the notes' marks kept, without what delimits them."""
    return text.replace(_MARK_START, "").replace(_MARK_END, "")


def _unmarked(text: str) -> str:
    """The text without the notes' marks ("March 3, 2024[1]" and "March 3, 2024*" are "March 3, 2024")."""
    return _MARK.sub("", text) if _MARK_START in text else text
_NOTE_TYPES = {"footnotes": "footnote", "endnotes": "endnote"}


def _note_parts(path: Path, archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """The parts holding the footnotes and endnotes: where the document's relationships say, else their usual
    names (``word/footnotes.xml``, ``word/endnotes.xml``)."""
    found: dict[str, str] = {}
    if "word/_rels/document.xml.rels" in names:
        try:
            rels = ElementTree.fromstring(_inflate(path, archive, "word/_rels/document.xml.rels"))
        except ElementTree.ParseError:
            rels = None
        for rel in rels.iter(f"{_REL}Relationship") if rels is not None else ():
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            target = (rel.get("Target") or "")
            target = target.lstrip("/") if target.startswith("/") else "word/" + target
            if kind in _NOTE_TYPES and target in names:
                found[kind] = target
    for kind in _NOTE_TYPES:
        if kind not in found and f"word/{kind}.xml" in names:
            found[kind] = f"word/{kind}.xml"
    return found


def _mark_notes(root: ElementTree.Element, parts: dict[str, bytes]) -> list[tuple[str, str]]:
    """Numbers the text's references to footnotes (1, 2, ...) and endnotes (i, ii, ...) in the order the text
    makes them, as Word does, and gives each reference its mark (``[1]``) for :func:`_paragraph` to write;
    returns (mark, the note's text) for each note referred to, footnotes first. A reference followed by a mark of
    its own (``customMarkFollows``: a "*", a "†") keeps that mark in the text, and the note is listed under it; as in
    Word, it takes no number. Damaged notes are none."""
    kept: list[tuple[str, str]] = []
    custom = _custom_marks(root)
    for kind, single in _NOTE_TYPES.items():
        if kind not in parts:
            continue
        try:
            notes = ElementTree.fromstring(parts[kind])
        except ElementTree.ParseError:
            continue
        texts: dict[str, str] = {}
        for note in notes.iter(f"{_W}{single}"):
            if note.get(f"{_W}type") in (None, "normal"):
                inner: list[str] = []
                _walk(note, inner)
                texts[note.get(f"{_W}id") or ""] = " ".join(" ".join(_shown(b).split()) for b in inner if b.strip())
        seen: dict[str, str] = {}
        numbered = 0
        for ref in root.iter(f"{_W}{single}Reference"):
            note_id = ref.get(f"{_W}id") or ""
            if not texts.get(note_id):
                continue
            own = custom.get(ref)
            if own is not None:
                own.set("mark", "own")  # :func:`_paragraph` delimits it as a mark
                mark = (own.text or "").strip()
            elif note_id in seen:
                mark = seen[note_id]
            else:
                numbered += 1
                mark = f"[{numbered if single == 'footnote' else _roman(numbered)}]"
            if note_id not in seen:
                seen[note_id] = mark
                kept.append((mark, texts[note_id]))
            if own is None:
                ref.set("mark", mark)
    return kept


def _custom_marks(root: ElementTree.Element) -> dict[ElementTree.Element, ElementTree.Element]:
    """{a reference followed by a mark of its own (``customMarkFollows``): the ``w:t`` holding that mark}: the first
    text after the reference in its run, else in the next run (Word writes both). A reference whose mark is not
    found, or is longer than :data:`_MAX_CUSTOM_MARK`, is left out (it is numbered)."""
    refs = (f"{_W}footnoteReference", f"{_W}endnoteReference")
    if not any(ref.get(f"{_W}customMarkFollows") in _TRUE for tag in refs for ref in root.iter(tag)):
        return {}  # the usual file: not walked again
    found: dict[ElementTree.Element, ElementTree.Element] = {}
    for paragraph in root.iter(f"{_W}p"):
        waiting: ElementTree.Element | None = None
        runs_since = 0
        for run in paragraph.iter(f"{_W}r"):
            runs_since += 1
            if runs_since > 1:
                waiting = None  # a run passed without the mark
            for child in run:
                if child.tag in refs and child.get(f"{_W}customMarkFollows") in _TRUE:
                    waiting, runs_since = child, 0
                elif waiting is not None and child.tag == f"{_W}t" and (child.text or "").strip():
                    if len(child.text.strip()) <= _MAX_CUSTOM_MARK:
                        found[waiting] = child
                    waiting = None
    return found


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                           (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _core_properties(path: Path, archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """The part holding the core properties (title, author): where the package's relationships say (.NET's
    packaging puts it in ``package/services/metadata/core-properties/*.psmdcp``), else ``docProps/core.xml``."""
    if "_rels/.rels" in names:
        try:
            rels = ElementTree.fromstring(_inflate(path, archive, "_rels/.rels"))
        except ElementTree.ParseError:
            rels = None
        for rel in rels.iter(f"{_REL}Relationship") if rels is not None else ():
            target = (rel.get("Target") or "").lstrip("/")
            if (rel.get("Type") or "").endswith("/metadata/core-properties") and target in names:
                return target
    return "docProps/core.xml" if "docProps/core.xml" in names else None


def _core_title(core: bytes) -> str:
    """The title in the file's properties, when it names something; damaged properties name nothing."""
    if not core:
        return ""
    try:
        found = ElementTree.fromstring(core).find(f"{_DC}title")
    except ElementTree.ParseError:
        return ""
    return meaningful_title("".join(found.itertext())) if found is not None else ""


def _title_styles(styles: bytes) -> set[str]:
    """The ids of the paragraph styles named "Title" (the id is localised, "Titel" in a German Word; the name is
    not)."""
    ids = {"Title"}
    if styles:
        try:
            root = ElementTree.fromstring(styles)
        except ElementTree.ParseError:
            return ids
        for style in root.iter(f"{_W}style"):
            name = style.find(f"{_W}name")
            if name is not None and (name.get(f"{_W}val") or "").lower() == "title" and style.get(f"{_W}styleId"):
                ids.add(style.get(f"{_W}styleId") or "")
    return ids


def _check_sizes(path: Path, archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise FormatError(f"{path}: refused: the archive has {len(infos)} members (a ZIP bomb?)")
    total = sum(i.file_size for i in infos)
    if total > MAX_INFLATED:
        raise FormatError(f"{path}: refused: its members would inflate to {total // 2**20} MB (a ZIP bomb?)")
    for info in infos:
        if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise FormatError(f"{path}: refused: {info.filename} would inflate {ratio} times (a ZIP bomb?)")


def _inflate(path: Path, archive: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes, stopped at the limit whatever its header claims."""
    with archive.open(name) as member:
        data = member.read(MAX_INFLATED + 1)
    if len(data) > MAX_INFLATED:
        raise FormatError(f"{path}: refused: {name} inflates past {MAX_INFLATED // 2**20} MB (a ZIP bomb?)")
    return data


def _walk(element: ElementTree.Element, blocks: list[str], titles: tuple[set[str], list[str]] | None = None) -> None:
    """Paragraphs and tables in document order, through content controls and other wrappers; the paragraphs in
    one of ``titles``' styles are also added to its list."""
    for child in element:
        tag = child.tag
        if tag == f"{_W}p":
            blocks.append(_paragraph(child))
            style = child.find(f"{_W}pPr/{_W}pStyle")
            if titles is not None and style is not None and style.get(f"{_W}val") in titles[0]:
                titles[1].append(blocks[-1])
        elif tag == f"{_W}tbl":
            _table(child, blocks)
        elif tag not in (f"{_W}sectPr", f"{_W}tblPr", f"{_W}tblGrid"):
            _walk(child, blocks, titles)


def _table(table: ElementTree.Element, blocks: list[str]) -> None:
    """A row whose text is in one cell (a layout table) gives that cell's paragraphs; a row of several cells one
    line, the cells separated by tabs."""
    for row in _rows(table):
        cells = []
        for cell in row.findall(f"{_W}tc"):
            inner: list[str] = []
            _walk(cell, inner)
            cells.append([b for b in inner if b.strip()])
        filled = [c for c in cells if c]
        if len(filled) == 1:
            blocks.extend(filled[0])
        elif filled:
            blocks.append("\t".join(" ".join(c) for c in cells))


def _rows(element: ElementTree.Element):  # type: ignore[no-untyped-def]
    """The rows of a table (through content controls), not those of the tables nested in its cells."""
    for child in element:
        if child.tag == f"{_W}tr":
            yield child
        elif child.tag != f"{_W}tbl":
            yield from _rows(child)


def _paragraph(p: ElementTree.Element) -> str:
    parts: list[str] = []
    for node in p.iter():
        tag = node.tag
        if tag == f"{_W}t" and node.text:
            # a note's own mark ("*") is delimited as the marks :func:`_mark_notes` gives are
            parts.append(f"{_MARK_START}{node.text}{_MARK_END}" if node.get("mark") else node.text)
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif tag in (f"{_W}footnoteReference", f"{_W}endnoteReference"):
            mark = node.get("mark")  # set by _mark_notes
            parts.append(f"{_MARK_START}{mark}{_MARK_END}" if mark else "")
    return "".join(parts)
