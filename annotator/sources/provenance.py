"""Each imported statement's provenance (DESIGN.md §2.6): the original file's name and SHA-256, what extracted
its text (and its version); the store adds the import time."""

from __future__ import annotations

import hashlib
from pathlib import Path

from annotator.core.model import Provenance, ReadResult


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def stamp(path: Path, result: ReadResult, extractor: str, version: str) -> ReadResult:
    """Give every document of ``result`` without a provenance this file's; returns ``result``."""
    missing = [doc for doc in result.documents if doc.provenance is None]
    if missing:
        shared = Provenance(path.name, file_sha256(path), extractor, version)  # frozen: one for the whole file
        for doc in missing:
            doc.provenance = shared
    return result
