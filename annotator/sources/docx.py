"""A Word file (``.docx``): its paragraphs and tables in document order (government templates put the text in
tables; a reader that only walks paragraphs imports them empty), its title from the file's properties (or its
paragraph in Word's Title style) when that names something.

Read with the standard library (``zipfile`` and ElementTree over ``word/document.xml``), so the limits are ours:
a ``.docx`` is a ZIP, and one whose members would inflate past :data:`MAX_INFLATED` (a ZIP bomb) is refused
before anything is inflated, and again while inflating, should a member's header lie about its size.
"""

from __future__ import annotations

import io
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
    _walk(found_body if found_body is not None else root, blocks, (_title_styles(styles), headings))
    text = tidy("\n\n".join(b for b in blocks if b.strip()))
    title = _core_title(core) or next((t for t in map(meaningful_title, headings) if t), "")
    header = webtext.clean(text)
    return document(path, data, text, EXTRACTOR, __version__,
                    title=best_title(title, header.title if header.date else ""), date=header.date,
                    issuer=header.issuer)


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
            parts.append(node.text)
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
    return "".join(parts)
