"""Importing a folder of saved web pages (issue 11: ≥ 0.8× the extractor alone, in pages per second).

The pages are copies of a real government page from trafilatura's own test suite (tests/sources/files), each with
one sentence of its own so no two texts are the same (a duplicate would be skipped, not imported). The figure is
``annotator import`` of the folder in process (``import_paths``: read, extract, clean, store with provenance, one
transaction per page); the baseline is trafilatura's ``bare_extraction`` alone on the same files.
"""

from __future__ import annotations

import shutil
import time

from annotator.store import Project
from annotator.store.transfer import import_paths
from tests.benchmarks.common import ROOT, Context, Row, Target

NAME = "sources"
MEASURES = ("import saved web pages (pages/s)",)
PAGE = ROOT / "tests" / "sources" / "files" / "bundesrat.de-erinnerungen.html"
ANCHOR = "Auerbacher wurde als Siebenjährige".encode()


def _pages(ctx: Context, n: int, chunks: int):  # type: ignore[no-untyped-def]
    """``n`` pages in ``chunks`` folders (the two sides alternate over them)."""
    folder = ctx.workdir / "pages"
    shutil.rmtree(folder, ignore_errors=True)
    html = PAGE.read_bytes()
    at = html.index(ANCHOR)
    parts = [folder / f"part-{k}" for k in range(chunks)]
    for part in parts:
        part.mkdir(parents=True)
    for i in range(n):
        own = f"In der Sitzung Nummer {i} wurde daran erinnert. ".encode()
        (parts[i % chunks] / f"page-{i:05d}.html").write_bytes(html[:at] + own + html[at:])
    return folder, parts


def run(ctx: Context) -> list[Row]:
    import trafilatura

    n = ctx.size(1000, 20)
    # the two sides alternate, a fifth of the pages at a time: measured one after the other, a change of the
    # machine's load between them swung the ratio from 0.44x to 1.46x in four runs
    folder, parts = _pages(ctx, n, ctx.size(5, 2))
    first = next(parts[0].iterdir())
    trafilatura.bare_extraction(first.read_bytes(), with_metadata=True)  # warm both up alike
    project_path = ctx.workdir / "pages.sqlite"
    project_path.unlink(missing_ok=True)
    alone_s = ours_s = 0.0
    imported = 0
    with Project.open(project_path, create=True) as project:
        for part in parts:
            t0 = time.perf_counter()
            for path in sorted(part.iterdir()):
                trafilatura.bare_extraction(path.read_bytes(), include_comments=False, include_tables=True,
                                            with_metadata=True, deduplicate=False)
            alone_s += time.perf_counter() - t0
            t0 = time.perf_counter()
            report = import_paths(project, [part])
            ours_s += time.perf_counter() - t0
            if report.rejected:
                raise RuntimeError(f"rejected {report.rejected[:1]}")
            imported += len(report.imported)
    if imported != n:
        raise RuntimeError(f"imported {imported} of {n} pages")
    ctx.note(f"sources: {n} copies of {PAGE.name} ({PAGE.stat().st_size // 1024} KB each), in {len(parts)} parts "
             "alternating with the extractor alone")
    shutil.rmtree(folder, ignore_errors=True)
    return [Row(MEASURES[0], n / ours_s, "pages/s", n / alone_s, "trafilatura alone",
                Target(min_ratio=0.8, unit="pages/s"))]
