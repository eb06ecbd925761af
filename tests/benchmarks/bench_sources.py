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


def _pages(ctx: Context, n: int):  # type: ignore[no-untyped-def]
    folder = ctx.workdir / "pages"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    html = PAGE.read_bytes()
    at = html.index(ANCHOR)
    for i in range(n):
        own = f"In der Sitzung Nummer {i} wurde daran erinnert. ".encode()
        (folder / f"page-{i:05d}.html").write_bytes(html[:at] + own + html[at:])
    return folder


def run(ctx: Context) -> list[Row]:
    import trafilatura

    n = ctx.size(1000, 20)
    folder = _pages(ctx, n)
    files = sorted(folder.iterdir())
    trafilatura.bare_extraction(files[0].read_bytes(), with_metadata=True)  # warm both up alike
    t0 = time.perf_counter()
    for path in files:
        trafilatura.bare_extraction(path.read_bytes(), include_comments=False, include_tables=True,
                                    with_metadata=True, deduplicate=False)
    alone = n / (time.perf_counter() - t0)
    project_path = ctx.workdir / "pages.sqlite"
    project_path.unlink(missing_ok=True)
    with Project.open(project_path, create=True) as project:
        t0 = time.perf_counter()
        report = import_paths(project, [folder])
        ours = n / (time.perf_counter() - t0)
        if len(report.imported) != n or report.rejected:
            raise RuntimeError(f"imported {len(report.imported)} of {n} pages; rejected {report.rejected[:1]}")
    ctx.note(f"sources: {n} copies of {PAGE.name} ({PAGE.stat().st_size // 1024} KB each)")
    shutil.rmtree(folder, ignore_errors=True)
    return [Row(MEASURES[0], ours, "pages/s", alone, "trafilatura alone", Target(min_ratio=0.8, unit="pages/s"))]
