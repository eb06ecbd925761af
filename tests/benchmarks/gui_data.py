"""The project the GUI rows open: the 1 M-character statement with 10 000 spans (CRLF and emoji, so positions need
the map), the same density at 1 000 characters, one 1 M-character paragraph, and the dense-overlap statement."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from annotator.core.model import IncomingDocument
from annotator.store import Project
from tests.benchmarks import data
from tests.benchmarks.common import Context


@dataclass(frozen=True)
class GuiData:
    path: Path
    ids: dict[str, int]
    sizes: dict[str, tuple[int, int]]  # name -> (characters, spans)


def documents(ctx: Context) -> list[tuple[str, IncomingDocument]]:
    rng = random.Random(5)
    big, big_spans = ctx.size(1_000_000), ctx.size(10_000)
    text_1m = data.statement(rng, big, 1, crlf=True)
    text_1k = data.statement(rng, 1000, 2, crlf=True)
    para = data.paragraph_text(rng, big)
    dense = data.statement(rng, ctx.size(50_000, 5_000), 3, crlf=False)
    return [
        ("1m", IncomingDocument(text_1m, "1 M characters", spans=data.spans_for(text_1m, big_spans, rng))),
        ("1k", IncomingDocument(text_1k, "1 k characters", spans=data.spans_for(text_1k, 10, rng))),
        ("paragraph", IncomingDocument(para, "one paragraph", spans=data.spans_for(para, big_spans, rng))),
        ("dense", IncomingDocument(dense, "dense", spans=data.dense_spans(dense, ctx.size(10_000, 1_000), rng))),
    ]


def build(ctx: Context) -> GuiData:
    """Made once per run (cached on the context)."""
    found = ctx.cache.get("gui_data")
    if isinstance(found, GuiData):
        return found
    path = ctx.workdir / "gui.sqlite"
    docs = documents(ctx)
    with Project.open(path, create=True, user="bench") as project:
        outcome = project.import_documents([d for _, d in docs])
    ids = {name: doc_id for (name, _), doc_id in zip(docs, outcome["doc_ids"], strict=True)}
    sizes = {name: (len(d.text), len(d.spans)) for name, d in docs}
    result = GuiData(path, ids, sizes)
    ctx.cache["gui_data"] = result
    return result


def project(ctx: Context, first: str = "1m") -> Path:
    """The project file; its first unfinished document is ``1m`` (documents are imported in that order)."""
    assert first == "1m"
    return build(ctx).path
