"""What the published-form readers share: reading the file within limits, naming its real type, paragraphs."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from annotator.core.model import IncomingDocument, Provenance, ReadResult
from annotator.core.text import storable_problem
from annotator.errors import FormatError


def file_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes; refused when it is not a regular file, empty or larger than ``limit``."""
    from annotator.formats.common import read_at_most  # here: the formats package imports these readers

    try:
        if not path.is_file():
            raise FormatError(f"{path}: not a regular file")
        size = path.stat().st_size
        if size > limit:
            raise FormatError(f"{path}: the file is too large ({size // 2**20} MB; at most {limit // 2**20} MB)")
        with open(path, "rb") as fh:
            data = read_at_most(fh, limit)
    except OSError as exc:
        raise FormatError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not data.strip():
        raise FormatError(f"{path}: the file is empty")
    if len(data) > limit:
        raise FormatError(f"{path}: the file is too large (more than {limit // 2**20} MB)")
    return data


def sniff(data: bytes) -> str:
    """What the bytes really are, for the message when they are not what the name says."""
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        return "a PDF file"
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive (e.g. a .docx)"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "an old Office (.doc) or password-protected Office file"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "an image"
    lowered = head[:512].lower()
    if b"<html" in lowered or b"<!doctype html" in lowered:
        return "a web page (HTML)"
    if b"\x00" in data[:4096]:
        return "a binary file"
    return "plain text"


#: the byte-order marks of UTF-32 and UTF-16 (UTF-32 first: its little-endian mark begins with UTF-16's)
_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
              (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
#: a charset declaration naming UTF-16 or UTF-32 (read with the NUL bytes of its own encoding taken out)
_WIDE_CHARSET = re.compile(rb"charset\s*=\s*[\"']?\s*(?:utf-?(?:16|32)|ucs-?[24]|unicode)", re.IGNORECASE)
_WIDE_CODECS = ("utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be")


def wide_unicode(data: bytes) -> tuple[str, str] | None:
    """(the text, the encoding) of a page in UTF-16 or UTF-32, else None (the bytes are read as before).

    A page is taken as such when it starts with a byte-order mark, or when its NUL bytes (which every ASCII
    character of markup has in these encodings) come with a charset declaration naming UTF-16/32 or with markup
    (``<html``); which of the four the bytes are is then checked by charset-normalizer, not taken from the
    declaration (``charset=UTF-16`` says neither the byte order nor whether there is a mark). Raises a FormatError
    naming the encoding when the bytes do not decode so: such a page is not "a binary file"."""
    for bom, codec in _WIDE_BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), codec.upper()
            except UnicodeDecodeError as exc:
                raise FormatError(f"the file starts with a {codec.upper()} byte-order mark but is not "
                                  f"{codec.upper()} ({exc.reason} at byte {exc.start + len(bom)})") from None
    head = data[:4096]
    if b"\x00" not in head:
        return None
    narrow = head.replace(b"\x00", b"")
    declared = _WIDE_CHARSET.search(narrow)
    if not declared and not (b"<html" in narrow.lower() or b"<!doctype html" in narrow.lower()):
        return None
    from charset_normalizer import from_bytes  # only such pages need it

    best = from_bytes(data, cp_isolation=list(_WIDE_CODECS)).best()
    if best is None or best.encoding not in _WIDE_CODECS:
        said = declared.group().decode("ascii", "replace") if declared else "markup with NUL bytes"
        raise FormatError(f"the page looks like UTF-16 or UTF-32 ({said}) but decodes as neither; save it "
                          "again as UTF-8")
    text = str(best)
    return text, best.encoding.replace("_", "-").upper()


def wrong_type(path: Path, data: bytes, expected: str) -> FormatError:
    return FormatError(f"{path}: not {expected}: the file is {sniff(data)}")


_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\ufb05": "st", "\ufb06": "st", "\u00ad": None})
_BLANKS = re.compile(r"\n{3,}")


def tidy(text: str) -> str:
    """Typographic ligatures spelled out, soft hyphens dropped, trailing spaces and extra blank lines removed."""
    text = text.translate(_LIGATURES).replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", text).strip("\n")


#: "Microsoft Word - statement.docx": the title a PDF printed from an Office file gets, the file's name after it
_OFFICE_PRINT = re.compile(r"^microsoft\s+(?:office\s+)?(?:word|excel|powerpoint|publisher)\s*-\s*", re.IGNORECASE)
_FILE_EXTENSION = re.compile(r"\.(?:docx?|dotx?|rtf|odt|pdf|txt|pptx?|xlsx?|html?|indd|pages|wpd)$", re.IGNORECASE)
#: titles that authoring tools fill in by themselves: they name no statement
_PLACEHOLDER = re.compile(
    r"^(?:untitled|untitled document|document|new document|doc|microsoft word document|word document|title|"
    r"no title|notitle|print|pdf|slide|powerpoint presentation|presentation|page|blank|template|normal|draft|"
    r"none|null|unknown|n/?a|test|(?:document|title|page|slide)\s*(?:title|name|here)?)"
    r"[\s_\-.#()]*\d*[\s_\-.()]*$",
    re.IGNORECASE,
)


#: a path, not a title: a drive letter, a leading slash or tilde, or a backslash anywhere
_PATH = re.compile(r"^(?:[A-Za-z]:[\\/]|[/~\\]|.*\\)")


def _unspaced(ch: str) -> bool:
    """A letter of a script written without spaces between words (Chinese, Japanese, Thai, ...): a name made of them
    reads as words without a space."""
    o = ord(ch)
    return ch.isalpha() and (0x0E00 <= o <= 0x0EFF or 0x1000 <= o <= 0x109F or 0x1780 <= o <= 0x17FF or o >= 0x2E80)


def names_a_file(raw: str) -> bool:
    """Whether a stated title is a file's name ("Microsoft Word - statement.docx", "x.pdf"): a statement's own
    heading is a better title then."""
    title = " ".join(raw.split())
    return bool(_OFFICE_PRINT.match(title) or _FILE_EXTENSION.search(title))


def meaningful_title(raw: str) -> str:
    """The title a file's properties state, or "" when it names nothing: empty, a placeholder an authoring tool
    filled in ("Untitled", "Document1", "PowerPoint Presentation"), or a bare file name such as the "Microsoft
    Word - x.doc" of a PDF printed from Word (whose file name part is kept when it reads as words: "Microsoft Word -
    Joint Statement.docx" is "Joint Statement")."""
    title = " ".join(raw.replace("\x00", " ").split())
    printed = _OFFICE_PRINT.match(title)
    if printed:
        title = title[printed.end() :]
    if names_a_file(raw):
        if _PATH.match(title):  # "C:\\Users\\kim\\statement.docx", "/home/kim/x.pdf": the file's name only
            title = re.split(r"[\\/]", title)[-1]  # (a slash in a title stays: "U.S./Japan/ROK statement")
        title = _FILE_EXTENSION.sub("", title).strip()
        if " " not in title and not any(_unspaced(ch) for ch in title):  # "JS_2023-10-26_final": a file's name
            return ""
    if sum(ch.isalpha() for ch in title) < 2 or _PLACEHOLDER.match(title):
        return ""
    return FileName(title) if names_a_file(raw) else title


#: the authors an authoring tool or an account fills in: they name no issuer
_NO_AUTHOR = re.compile(
    r"(?:microsoft\s+office\s+user|windows\s+user|office\s+user|mac\s+user|apple\s+user|unknown\s+author|"
    r"default\s+user|local\s+user|site\s+admin(?:istrator)?|system\s+administrator)",
    re.IGNORECASE,
)

#: The words that make a PDF's ``/Author`` read as an issuing institution. Word fills ``/Author`` in with the Office
#: user's name: a clerk's ("Kim Min-jung"), an OEM machine's account ("HP Inc.", "Dell Inc.", "Lenovo User"), far
#: more often than an institution's; a person's or a company's name never holds one of these words, an issuer's name
#: does ("Council of the EU", "Ministry of Foreign Affairs", "Federal Foreign Office", "U.S. Department of State",
#: "Embassy of Japan", "United Nations", "Government of the Republic of Korea"). Words that also name a person's
#: role stay out unless they stand for an office ("Spokesperson" does; "Secretary", "Director", "President" do not:
#: a clerk's own title). English first, then French, Spanish, Italian, German, Dutch; a compound's part
#: (:data:`_INSTITUTION_PARTS`) and initials (:data:`_INSTITUTION_INITIALS`) count too.
_INSTITUTION_WORDS_TEXT = """
    ministry ministries department council office embassy consulate government commission agency union nations
    spokesperson spokesman spokeswoman secretariat mission foreign affairs presidency chancellery cabinet
    parliament delegation representation directorate bureau committee organisation organization authority
    republic kingdom federal
    ambassade embajada ambasciata botschaft gouvernement gobierno governo conseil consejo consiglio commissione
    comisión comision ministère ministere ministerio ministero ministerie ministerium regierung regering amt
    auswärtiges
"""
_INSTITUTION_WORDS = frozenset(_INSTITUTION_WORDS_TEXT.split())
#: parts of a word (a German compound: Außenministerium holds "ministeri", Bundesregierung "regierung")
_INSTITUTION_PARTS = ("ministeri", "regierung", "kanzleramt", "botschaft")
#: institutions written as their initials: only in capitals ("UN", not "Un" of "Kim Un-hee")
_INSTITUTION_INITIALS = frozenset(("UN", "EU", "NATO", "OSCE", "ASEAN", "OECD", "IAEA", "EEAS", "MOFA", "MFA", "FCDO",
                                   "G7", "G20"))
#: words of an account's or a company's name: "Microsoft Office 365 User", "Office Depot Inc." are no institution
_NOT_INSTITUTION = frozenset(("user", "users", "inc", "ltd", "llc", "corp", "corporation", "gmbh", "plc", "pc",
                              "laptop", "computer"))
#: institution words of Chinese, Japanese, Korean names (ministry, foreign affairs, government, embassy, committee)
_INSTITUTION_CJK = ("外務", "外交", "政府", "大使館", "委員会", "委员会", "国务院", "외교", "정부", "대사관", "위원회")


def names_institution(name: str) -> bool:
    """Whether ``name`` reads as an institution's (:data:`_INSTITUTION_WORDS`), not a person's or a company's."""
    words = re.findall(r"\w+", name)
    if any(word.casefold() in _NOT_INSTITUTION for word in words):
        return False
    for word in words:
        folded = word.casefold()
        if (folded in _INSTITUTION_WORDS or word in _INSTITUTION_INITIALS
                or any(part in folded for part in _INSTITUTION_PARTS)):
            return True
    return any(part in name for part in _INSTITUTION_CJK)


def meaningful_author(raw: str) -> str:
    """The author a file's properties state (a PDF's ``/Author``), when it names the statement's issuer ("Council
    of the EU"), else "": an account's or a tool's name ("jsmith", "Administrator", "Microsoft Office User"), a
    single word, an address, a path, a value of no letters, and any name that does not read as an institution's
    (:func:`names_institution`: "HP Inc.", the typist's "Kim Min-jung"). Never the title: the caller compares."""
    author = " ".join(raw.replace("\x00", " ").split())
    if (" " not in author or len(author) > 200 or _NO_AUTHOR.fullmatch(author) or "@" in author
            or "\\" in author or "/" in author or sum(ch.isalpha() for ch in author) < 4
            or not names_institution(author)):
        return ""
    return author


class FileName(str):
    """A title read from a file's name the properties state ("Microsoft Word - Joint Statement.docx")."""


def best_title(stated: str, heading: str) -> str:
    """The title the file's properties state, unless it is only a file's name and the statement's own heading (its
    title line above the date) names it: then the heading."""
    if isinstance(stated, FileName) and heading:
        return heading
    return stated or heading


def document(path: Path, data: bytes, text: str, extractor: str, version: str, **fields: str) -> ReadResult:
    """One statement read from a published form, with its provenance; refused when no text is left."""
    if not text.strip():
        raise FormatError(f"{path}: no text found in the file")
    problem = storable_problem(text)
    if problem:
        raise FormatError(f"{path}: {problem}")
    title = (fields.pop("title", "") or path.stem).strip()[:300] or path.stem
    provenance = Provenance(path.name, hashlib.sha256(data).hexdigest(), extractor, version)
    doc = IncomingDocument(text=text, title=" ".join(title.split()), source=path.name, provenance=provenance,
                           date=fields.get("date", ""), issuer=fields.get("issuer", ""), url=fields.get("url", ""))
    return ReadResult([doc])
