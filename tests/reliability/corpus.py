"""A corpus of hostile input files, generated at test time: each with the message it must be rejected with.

``build(folder)`` writes the files and returns the cases. ``python -m tests.reliability.corpus FOLDER`` writes them
for a look by hand. Import cases are files given to ``annotator import``; project cases are files given where a
project is expected (``annotator stats|export|import PROJECT``).
"""

from __future__ import annotations

import codecs
import os
import random
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

import orjson

from annotator.core.text import sha256_text

#: the single long line: 50 MB, generated at test time (ANNOTATOR_HUGE_MB overrides it)
HUGE_MB = int(os.environ.get("ANNOTATOR_HUGE_MB", "50"))


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    expect: str  # a part of the one clear message
    kind: str = "import"  # or "project"


def _line(obj: object) -> bytes:
    return orjson.dumps(obj) + b"\n"


def _jsonl(*objects: object) -> bytes:
    return b"".join(_line(o) for o in objects)


GOOD_TEXT = "The allies condemn the launches and commit to deterrence."


def _span(start: object, end: object, label: object = "threat", **extra: object) -> dict:
    return {"start": start, "end": end, "label": label, **extra}


def import_cases() -> list[tuple[str, str, bytes | bytearray | None, str]]:
    """(name, file name, content, expected message part)."""
    t = GOOD_TEXT
    rng = random.Random(1)
    binary = bytes(rng.randrange(256) for _ in range(4096))
    return [
        # -- bytes that are not text
        ("binary .txt", "binary.txt", binary, "binary"),
        ("PNG as .txt", "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + binary[:200], "binary"),
        ("NUL bytes in .txt", "nul.txt", b"The allies\x00condemn\x00", "binary"),
        ("NUL bytes in .jsonl", "nul.jsonl", b'{"text": "a\x00b"}\n', "not valid JSON"),
        ("binary .jsonl", "binary.jsonl", binary, "not valid JSON"),
        ("empty .txt", "empty.txt", b"", "the file is empty"),
        ("empty .jsonl", "empty.jsonl", b"", "no documents (the file is empty)"),
        ("blank lines .jsonl", "blank.jsonl", b"\n\n   \n\r\n", "no documents"),
        ("whitespace .txt", "whitespace.md", b" \n\t\r\n  ", "only whitespace"),
        ("only a BOM", "bom.txt", codecs.BOM_UTF8, "only whitespace"),
        # -- encodings
        ("truncated UTF-8 in .jsonl", "truncated.jsonl", '{"text": "café'.encode()[:-1], "not valid JSON"),
        ("Latin-1 .jsonl", "latin1.jsonl", '{"text": "déjà vu à Genève"}\n'.encode("latin-1"), "not valid JSON"),
        ("UTF-16 .jsonl", "utf16.jsonl", '{"text": "hello"}\n'.encode("utf-16"), "not valid JSON"),
        ("bad UTF-16 after a BOM", "badbom.txt", codecs.BOM_UTF16_LE + b"\x00\xd8", "byte-order mark"),
        ("brat .txt not UTF-8", "latin.txt", "déjà vu".encode("latin-1"), "not valid UTF-8"),
        # -- JSON that is not what we read
        ("a JSON array line", "array.jsonl", _jsonl([1, 2, 3]), "expected a JSON object"),
        ("a JSON string line", "string.jsonl", _jsonl("just text"), "expected a JSON object"),
        ("deeply nested JSON", "nested.jsonl", b"[" * 100_000 + b"]" * 100_000 + b"\n", "not valid JSON"),
        ("deeply nested meta", "nested_meta.jsonl",
         b'{"text": "a", "meta": ' + b'{"a":' * 5000 + b"1" + b"}" * 5000 + b"}\n", "not valid JSON"),
        ("text is a number", "text_number.jsonl", _jsonl({"text": 5}), "'text' must be a string, got a number (5)"),
        ("text is missing", "text_missing.jsonl", _jsonl({"spans": []}),
         "no 'text' key (found keys 'spans'): this does not look like annotations"),
        ("text is empty", "text_empty.jsonl", _jsonl({"text": ""}), "'text' is empty"),
        ("spans is a string", "spans_string.jsonl", _jsonl({"text": t, "spans": "0-5"}), "'spans' must be a list"),
        ("a span is a number", "span_number.jsonl", _jsonl({"text": t, "spans": [3]}), "expected an object"),
        ("meta is a list", "meta_list.jsonl", _jsonl({"text": t, "meta": [1]}), "'meta' must be an object"),
        ("annotator is a number", "annotator_number.jsonl", _jsonl({"text": t, "_annotator_id": 7}),
         "'_annotator_id' must be a string"),
        ("note is a number", "note_number.jsonl", _jsonl({"text": t, "spans": [_span(0, 3, note=5)]}),
         "the note must be a string"),
        # -- offsets
        ("start is a string", "start_string.jsonl", _jsonl({"text": t, "spans": [_span("0", 3)]}),
         "must be integers"),
        ("start is a float", "start_float.jsonl", _jsonl({"text": t, "spans": [_span(0.0, 3)]}), "must be integers"),
        ("start is true", "start_bool.jsonl", _jsonl({"text": t, "spans": [_span(True, 3)]}), "must be integers"),
        ("start is missing", "start_missing.jsonl", _jsonl({"text": t, "spans": [{"end": 3, "label": "x"}]}),
         "must be integers"),
        ("negative start", "negative.jsonl", _jsonl({"text": t, "spans": [_span(-1, 3)]}), "outside the text"),
        ("end past the text", "past_end.jsonl", _jsonl({"text": t, "spans": [_span(0, len(t) + 1)]}),
         "outside the text"),
        ("empty span", "empty_span.jsonl", _jsonl({"text": t, "spans": [_span(4, 4)]}), "outside the text"),
        ("reversed span", "reversed.jsonl", _jsonl({"text": t, "spans": [_span(9, 2)]}), "outside the text"),
        ("huge offset", "huge_offset.jsonl", _jsonl({"text": t, "spans": [_span(2**62, 2**63 - 1)]}),
         "outside the text"),
        ("offset beyond 64 bits", "bigint.jsonl",
         b'{"text": "abc", "spans": [{"start": 0, "end": 100000000000000000000000000000, "label": "x"}]}\n',
         "must be integers"),
        ("span text differs", "span_text.jsonl", _jsonl({"text": t, "spans": [_span(0, 3, text="Thx")]}),
         "is not text[0:3]"),
        ("UTF-16 offsets", "utf16_offsets.jsonl",
         _jsonl({"text": "😀😀 threat here", "spans": [_span(5, 11, text="threat")]}),
         "offsets must be in code points"),
        ("sha256 differs", "sha.jsonl", _jsonl({"text": t, "meta": {"sha256": "0" * 64}}), "does not match the text"),
        # -- labels
        ("empty label", "label_empty.jsonl", _jsonl({"text": t, "spans": [_span(0, 3, "")]}),
         "the label must be a non-empty string"),
        ("blank label", "label_blank.jsonl", _jsonl({"text": t, "spans": [_span(0, 3, "   ")]}),
         "the label must be a non-empty string"),
        ("numeric label", "label_number.jsonl", _jsonl({"text": t, "spans": [_span(0, 3, 7)]}),
         "the label must be a non-empty string"),
        ("null label", "label_null.jsonl", _jsonl({"text": t, "spans": [_span(0, 3, None)]}),
         "the label must be a non-empty string"),
        # -- lone surrogates (valid JSON escapes that SQLite cannot store as UTF-8)
        ("lone surrogate in text", "surrogate_text.jsonl", b'{"text": "bad \\ud800 text"}\n', "not valid JSON"),
        ("lone surrogate in label", "surrogate_label.jsonl",
         b'{"text": "abc", "spans": [{"start": 0, "end": 1, "label": "\\udfff"}]}\n', "not valid JSON"),
        ("lone surrogate in note", "surrogate_note.jsonl",
         b'{"text": "abc", "spans": [{"start": 0, "end": 1, "label": "x", "note": "\\ud83d"}]}\n', "not valid JSON"),
        # -- whole files rejected for one bad line, with every bad line named
        ("one bad line among good ones", "mixed.jsonl",
         _jsonl({"text": "good one"}, {"text": "good two"}) + b"{broken\n" + _jsonl({"text": "good three"}),
         "line 3: not valid JSON"),
        ("many bad lines", "many_bad.jsonl", b"{x\n" * 500, "... and 450 more"),
        ("CR-only line ends", "cr.jsonl", b'{"text": "a"}\r{"text": "b"}\r', "not valid JSON"),
        # -- doccano
        ("doccano span too short", "doccano_short.json",
         orjson.dumps([{"text": t, "label": [[0, 3]]}]), "item 1"),
        ("doccano span out of range", "doccano_range.jsonl", _jsonl({"text": t, "label": [[0, 999, "threat"]]}),
         "outside the text"),
        ("doccano offsets as strings", "doccano_str.jsonl", _jsonl({"text": t, "label": [["0", "3", "threat"]]}),
         "must be integers"),
        ("doccano .json scalar", "doccano_scalar.json", b"42", "expected a JSON object"),
        ("doccano duplicate ids, one bad", "doccano_dup.jsonl",
         _jsonl({"id": 1, "text": t, "label": [[0, 3, "threat"]]}, {"id": 1, "text": t, "label": [[5, 2, "x"]]}),
         "line 2"),
        # -- brat
        ("brat duplicate ids", "dup.ann", b"T1\tthreat 0 3\tThe\nT1\tthreat 4 10\tallies\n", "T1 is defined twice"),
        ("brat offsets out of range", "range.ann", b"T1\tthreat 0 9999\tx\n", "line 1"),
        ("brat text differs", "brat_text.ann", b"T1\tthreat 0 3\tXYZ\n", "line 1"),
        ("brat binary .ann", "brat_binary.ann", b"\xff\xfe\x00T1\x00", "brat_binary"),
        # -- the size of things
        ("50 MB single line", "huge.jsonl", None, "not valid JSON"),
        # -- published forms (annotator/sources): damaged, or not what the name says
        ("a truncated PDF", "report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "the PDF is damaged"),
        ("a web page that is an image", "page.html", b"\x89PNG\r\n\x1a\n\x00\x00", "not a web page"),
        ("a Word file that is not a ZIP", "memo.docx", b"Dear colleague,", "not a Word .docx file"),
        # -- a file type we do not read
        ("an OpenDocument file", "report.odt", b"PK\x03\x04\x14\x00", "unknown file type .odt"),
    ]


def _brat_text(name: str) -> bytes | None:
    """The .txt beside each brat .ann case."""
    return {
        "dup.ann": GOOD_TEXT.encode(),
        "range.ann": GOOD_TEXT.encode(),
        "brat_text.ann": GOOD_TEXT.encode(),
        "brat_binary.ann": GOOD_TEXT.encode(),
    }.get(name)


#: the .ann beside each brat .txt case
_BRAT_ANN = {"latin.txt": "T1\tthreat 0 3\tdéj\n".encode()}


def _project(path: Path) -> Path:
    from annotator.store import Project

    with Project.open(path, create=True, user="corpus") as p:
        p.import_documents([])
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO documents (title, source, text, length, sha256, status, created, updated)"
                 " VALUES ('t', '', 'text', 4, ?, 'todo', 'now', 'now')", (sha256_text("text"),))
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    return path


def project_cases(folder: Path) -> list[Case]:
    cases: list[Case] = []
    good = _project(folder / "template.project")
    data = good.read_bytes()

    def case(name: str, file: str, content: bytes, expect: str) -> None:
        path = folder / file
        path.write_bytes(content)
        cases.append(Case(name, path, expect, "project"))

    case("truncated project", "truncated.sqlite", data[:3000], "damaged")
    case("truncated to the header", "header_only.sqlite", data[:100], "damaged")
    flipped = bytearray(data)
    for page in range(1, len(data) // 4096):
        flipped[page * 4096] ^= 0xFF  # every b-tree page's type byte
    case("byte-flipped project", "flipped.sqlite", bytes(flipped), "damaged")
    case("empty project file", "empty.sqlite", b"", "empty file")
    case("text file as project", "text.sqlite", b"just some notes\n", "not a SQLite database")
    def altered(name: str, file: str, base: bytes, statements: tuple[str, ...], expect: str) -> None:
        """A project (or, from b"", a fresh SQLite file) changed by ``statements`` behind Annotator's back."""
        path = folder / file
        path.write_bytes(base)
        conn = sqlite3.connect(path)
        for sql in statements:
            conn.execute(sql)
        conn.commit()
        conn.close()
        cases.append(Case(name, path, expect, "project"))

    altered("another program's SQLite", "foreign.sqlite", b"", ("CREATE TABLE recipes (name TEXT)",),
            "not an Annotator project")
    altered("newer schema", "newer.sqlite", data, ("PRAGMA user_version = 99",), "newer Annotator (schema 99")
    altered("project without its tables", "hollow.sqlite", b"",
            ("PRAGMA application_id = 1095650900", "PRAGMA user_version = 2", "CREATE TABLE other (x)"), "missing")
    altered("text that is not UTF-8 inside", "bad_utf8.sqlite", data,
            ("UPDATE documents SET text = CAST(X'66ff6f' AS TEXT)",), "not valid UTF-8")
    stray = folder / "stray.sqlite"
    stray.write_bytes(data)
    Path(f"{stray}-wal").write_bytes(os.urandom(5000))
    cases.append(Case("a stray garbage -wal", stray, "", "project"))  # opens: SQLite ignores a WAL it cannot use
    (folder / "folder.sqlite").mkdir()
    cases.append(Case("a folder as project", folder / "folder.sqlite", "is a folder", "project"))
    return cases


def build(folder: Path) -> list[Case]:
    folder.mkdir(parents=True, exist_ok=True)
    imports = folder / "imports"
    imports.mkdir(exist_ok=True)
    cases: list[Case] = []
    for name, file, content, expect in import_cases():
        path = imports / file
        if content is None:  # the huge line, written in pieces
            with open(path, "wb") as out:
                out.write(b'{"text": "')
                piece = b"x" * (1 << 20)
                for _ in range(HUGE_MB):
                    out.write(piece)
                out.write(b"\n")  # the string is never closed
        else:
            path.write_bytes(bytes(content))
        text = _brat_text(file)
        if text is not None:
            path.with_suffix(".txt").write_bytes(text)
        if file in _BRAT_ANN:
            path.with_suffix(".ann").write_bytes(_BRAT_ANN[file])
        cases.append(Case(name, path, expect))
    projects = folder / "projects"
    projects.mkdir(exist_ok=True)
    cases += project_cases(projects)
    return cases


if __name__ == "__main__":
    for c in build(Path(sys.argv[1])):
        print(f"{c.kind:<8} {c.path.name:<28} {c.name}: expects {c.expect!r}")
