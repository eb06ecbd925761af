"""Imports made to stream (``transfer.STREAM_BYTES`` 0: every file read a batch at a time) in small batches, so a
test's few records cross several batch boundaries."""

from __future__ import annotations

from annotator.formats import jsonl
from annotator.store import transfer


def stream_imports(monkeypatch, batch: int = 2) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(transfer, "STREAM_BYTES", 0)
    monkeypatch.setattr(jsonl, "STREAM_BATCH", batch)
