"""The sample statements the default project starts with (DESIGN.md §2.2): read like any statement copied from a
web page (chrome dropped; date and title from the header), with the issuer ``sources.csv`` beside them names when
the header does not."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from annotator import formats
from annotator.core.model import IncomingDocument

SIDECAR = "sources.csv"


def sample_documents(folder: Path) -> list[IncomingDocument]:
    docs: list[IncomingDocument] = []
    if not folder.is_dir():
        return docs
    issuers: dict[str, str] = {}
    sidecar = folder / SIDECAR
    if sidecar.is_file():
        for row in csv.DictReader(io.StringIO(sidecar.read_text(encoding="utf-8"), newline="")):
            issuers[row.get("file") or ""] = row.get("issuer") or ""
    for path in formats.collect([folder]):
        for doc in formats.read(path).documents:
            doc.issuer = doc.issuer or issuers.get(path.name, "")
            docs.append(doc)
    return docs
