"""Text in and out: decoding files, normalising line endings, document identity, word snapping.

Offsets everywhere are Unicode code points (Python ``str`` indices), end exclusive (DESIGN.md §2.1).
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass

from annotator.errors import FormatError

#: a plain-text statement larger than this is refused (a whole library of statements is not one statement)
MAX_TEXT_BYTES = 64 * 1024 * 1024

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # the codec used, e.g. "utf-8", "utf-16", "cp1252"
    legacy: bool  # True when the encoding was guessed (no BOM, not UTF-8): worth telling the user


def decode_bytes(data: bytes) -> Decoded:
    """Decode a plain-text file: BOM-marked UTF-8/16/32, else UTF-8, else a detected legacy encoding.

    The BOM is dropped. Raises :class:`FormatError` for empty or binary content.
    """
    if not data:
        raise FormatError("the file is empty")
    if len(data) > MAX_TEXT_BYTES:
        raise FormatError(f"the file is too large for one statement ({len(data) // 2**20} MB)")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise FormatError(
                    f"the file starts with a {codec} byte-order mark but is not {codec}: {exc.reason}"
                ) from None
            # the utf-8-sig/16/32 codecs drop exactly the one byte-order mark; a U+FEFF after it is text
            return Decoded(_checked(text), codec.replace("-sig", ""), legacy=False)
    try:
        return Decoded(_checked(data.decode("utf-8")), "utf-8", legacy=False)
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise FormatError("the file is binary, not text (it holds NUL bytes)")
    if _plausibly_western(data):
        return Decoded(_checked(data.decode("cp1252")), "cp1252", legacy=True)
    from charset_normalizer import from_bytes  # imported here: only legacy files need it

    # Windows' own code pages and the East Asian ones first: on a short text the detector ties among single-byte code
    # pages and chose DOS and Mac ones (cp775 for a Portuguese "negociações", cp852 for a Norwegian "fordømmer")
    matches = from_bytes(data, cp_isolation=list(_LIKELY)) or from_bytes(data)
    best = matches.best()
    if best is None or best.encoding is None:
        raise FormatError("the file is not text in any known encoding")
    # Single-byte Latin code pages often tie; statements in Western languages are far more often cp1252.
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos and match.coherence >= best.coherence:
            best = match
    return Decoded(_checked(str(best)), best.encoding, legacy=True)


#: the encodings a statement saved without a byte-order mark and not in UTF-8 is likely to be in: Windows' code pages,
#: the legacy Cyrillic and East Asian ones; the detector tries others only when none of these decodes the file (Thai
#: cp874 is not among them: it tied with KOI8-U on a Ukrainian statement and won)
_LIKELY = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
           "koi8_r", "koi8_u", "shift_jis", "euc_jp", "iso2022_jp", "gb18030", "big5", "euc_kr", "cp949")


#: letters another code page's text shows as when read as cp1252 (Czech ř ě ů ý as ø ì ù ý, Hungarian ő ű as õ û,
#: Polish ł ą as ³ ¹, Russian and Greek letters as Ð Þ ð þ and their kin): where one appears, the detector decides
_NOT_PLAINLY_WESTERN = frozenset("øØìÌùÙòÒõÕûÛðÐþÞýÝ¹²³¤¦¨¬¯´µ¶¸")
#: at most this share of a Western text's letters lies outside ASCII (French, German, Spanish: a few in a hundred);
#: Cyrillic or Greek read as cp1252 is nearly all accented letters
_WESTERN_SHARE = 0.25


def _plausibly_western(data: bytes) -> bool:
    """Whether ``data`` reads as Windows-1252 text of a Western language: it decodes cleanly, and what is not ASCII
    is typographic punctuation (curly quotes, dashes, €) or the accented letters of those languages, a few among
    many. Then cp1252 is taken without asking the detector, which on a short text ties among single-byte code pages
    and picked cp775, mac_iceland or mac_latin2 for three of five short English and French statements with a curly
    quote or an é (a newcomer's trial: "ōstrongly condemnö", "Ministerís", "Cafť"), stored for good."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    outside = [ch for ch in text if ord(ch) > 0x7F]
    if any(ch in _NOT_PLAINLY_WESTERN for ch in outside):
        return False
    accented = sum(ch.isalpha() for ch in outside)
    letters = accented + sum(ch.isascii() and ch.isalpha() for ch in text)
    return accented <= _WESTERN_SHARE * letters


def _checked(text: str) -> str:
    if "\x00" in text:
        raise FormatError("the file is binary, not text (it holds NUL characters)")
    if not text.strip():
        raise FormatError("the file holds no text (only whitespace)")
    return text


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF. Other separators (U+2028, U+2029, NEL) are left as they are."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sha256_text(text: str) -> str:
    """A document's identity across files: SHA-256 of its stored text as UTF-8."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def storable_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored as UTF-8 (a lone surrogate), or None if it can."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(text[exc.start])
        return f"text holds a lone surrogate U+{code:04X} at offset {exc.start}, which is not valid Unicode"
    return None


def is_word_char(ch: str) -> bool:
    """Letters, digits, combining marks, ZWJ/ZWNJ and connector punctuation belong to words."""
    if ch.isalnum() or ch in "_\u200c\u200d":
        return True
    cat = unicodedata.category(ch)
    return cat[0] == "M" or cat == "Pc"


def trim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim whitespace from both ends; None if nothing but whitespace is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim whitespace, then grow each end outward to the boundary of the word it cuts.

    Returns None when the selection holds only whitespace.
    """
    trimmed = trim_span(text, start, end)
    if trimmed is None:
        return None
    start, end = trimmed
    if is_word_char(text[start]):
        while start > 0 and is_word_char(text[start - 1]):
            start -= 1
    if is_word_char(text[end - 1]):
        while end < len(text) and is_word_char(text[end]):
            end += 1
    return start, end


def next_word_end(text: str, pos: int) -> int:
    """The end of the next word at or after ``pos`` (skipping non-word characters first)."""
    n = len(text)
    while pos < n and not is_word_char(text[pos]):
        pos += 1
    while pos < n and is_word_char(text[pos]):
        pos += 1
    return pos


def prev_word_end(text: str, pos: int, floor: int) -> int:
    """Where a span ending at ``pos`` ends when its last word is dropped (never below ``floor``+1)."""
    p = pos
    while p > floor and not is_word_char(text[p - 1]):
        p -= 1
    while p > floor and is_word_char(text[p - 1]):
        p -= 1
    while p > floor and not is_word_char(text[p - 1]):
        p -= 1
    return max(p, floor + 1)


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> bytes:
    """A key whose byte order is ``text``'s natural order: its text case-folded, each run of digits by its value
    ("s2" before "s10", "S3" beside "s3"; digits of any script), so that SQLite, comparing blobs byte by byte,
    sorts by it as Python does (``store.listing.order``: the sort runs in SQLite, the interpreter's lock free).

    Text goes as UTF-8 (its byte order is code point order); a number as a zero byte (below any text byte: "s" before
    "s1" and "s!"), its length in two bytes, then its digits without leading zeros. Ties (case, zeros) are the
    caller's to break."""
    out = []
    for i, piece in enumerate(_DIGITS.split(text)):
        if i % 2 == 0:
            out.append(piece.casefold().replace("\x00", "\x01").encode("utf-8", "surrogatepass"))
            continue
        if not piece.isascii():  # Arabic-Indic, Devanagari, full-width … digits: by their value
            piece = "".join(str(unicodedata.decimal(ch)) for ch in piece)
        digits = piece.lstrip("0") or "0"
        out.append(b"\x00" + min(len(digits), 0xFFFF).to_bytes(2, "big") + digits.encode("ascii"))
    return b"".join(out)
