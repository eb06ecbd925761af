"""The names of the file formats and offset units, without their readers and writers: the command line builds its
parser from these, so ``annotator stats`` does not import every reader first (issue #14: 0.3 s of a 0.5 s command).
``annotator/formats`` takes its lists from here."""

from __future__ import annotations

#: export formats (``annotator export --format``)
EXPORT_FORMATS: tuple[str, ...] = (
    "jsonl",
    "spans",
    "csv",
    "doccano",
    "brat",
    "conll",
    "labelstudio",
    "spacy",
    "prodigy",
)
#: formats ``import --format`` can force (otherwise the reader is chosen from the file)
IMPORT_FORMATS: tuple[str, ...] = (
    "jsonl",
    "doccano",
    "brat",
    "spans",
    "csv",
    "conll",
    "labelstudio",
    "spacy",
    "prodigy",
    "text",
)
#: the units ``--offsets`` can choose
OFFSET_UNITS = ("codepoints", "utf16")
