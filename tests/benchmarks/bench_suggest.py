"""Suggestions (issue 13): retraining on 1 000 labelled spans (≤ 2 s), suggesting for a 5 000-character statement
(≤ 50 ms), the window's worst event-loop delay (a 1 ms timer in the real window, the Suggestions list open) over a
whole retrain, the answers' arrival included, and -- when
the labelled evaluation set ``tests/data/suggest_eval/statements.jsonl`` is there -- the learning curve:
precision, recall and F1 per label (overlap and exact) at 25, 50, 100 and 200 labelled spans, for the cue patterns
alone, the model alone, and both.

Baselines: for the retrain, turning the same clauses into TF-IDF features (the floor of any model over them); for
a statement, cutting it into clauses; for the event loop, the same timer with nothing running beside it.
The learning curve trains on the set's statements in file order (two of every three) until the number of
labelled spans is reached, whole statements at a time, and evaluates on every third statement, at threshold 0.5.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from annotator.core.codebook import DEFAULT_LABELS
from annotator.core.suggest import cues, segment
from annotator.core.suggest.defaults import DEFAULT_CUES
from annotator.core.suggest.evaluate import Evaluation, format_figures
from annotator.core.suggest.segment import clauses
from annotator.core.suggest.suggester import MODES, TrainingDoc, train
from tests.benchmarks import data
from tests.benchmarks.common import ROOT, Context, Row, Target, cpu_wait, interleaved, median

NAME = "suggest"
MEASURES = (
    "suggest: retrain on 1 000 labelled spans",
    "suggest: one 5 000-character statement",
    "suggest: worst event-loop delay during a retrain",
)
EVAL_SET = ROOT / "tests" / "data" / "suggest_eval" / "statements.jsonl"
SIZES = (25, 50, 100, 200)
THRESHOLD = 0.5
LABELS = [lb.key for lb in DEFAULT_LABELS]


def _training_docs(spans: int, seed: int = 13) -> list[TrainingDoc]:
    """Statements of about 2 000 characters with 10 spans each, marked done, ``spans`` spans in all."""
    docs = []
    for i, doc in enumerate(data.statements(max(1, spans // 10), 2000, seed=seed, spans_each=10)):
        labelled = tuple(sorted((s.start, s.end, s.label) for s in doc.spans))
        docs.append(TrainingDoc(i + 1, doc.text, labelled, True))
    return docs


def _features_only(docs: list[TrainingDoc]) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [d.text[u.start : u.end] for d in docs for u in clauses(d.text)]
    TfidfVectorizer(ngram_range=(1, 2)).fit_transform(texts)
    TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), min_df=2).fit_transform(texts)


def _cold_train(docs: list[TrainingDoc]) -> None:
    """A retrain as the first one after opening: nothing cut or searched before (the caches emptied)."""
    segment.clear_cache()
    cues.clear_cache()
    train(docs, LABELS, DEFAULT_CUES)


def _cpu(fn: Any, repeats: int) -> float:
    """The median CPU time of ``fn`` in this process (``time.process_time``), beside the wall times."""
    times = []
    for _ in range(repeats):
        started = time.process_time()
        fn()
        times.append(time.process_time() - started)
    return median(times)


def run(ctx: Context) -> list[Row]:
    n_spans = ctx.size(1000, 30)
    docs = _training_docs(n_spans)
    started = time.perf_counter()
    import sklearn.linear_model  # noqa: F401  (its first import is not part of a retrain in a running window)

    ctx.note(f"suggest: first import of scikit-learn {time.perf_counter() - started:.2f} s (once per process)")
    retrain, floor = interleaved([lambda: _cold_train(docs), lambda: _features_only(docs)], ctx.repeats(5, 1))
    ctx.note(f"suggest: retrain CPU time {_cpu(lambda: _cold_train(docs), ctx.repeats(3, 1)):.2f} s "
             f"(wall {median(retrain):.2f} s)")
    train(docs, LABELS, DEFAULT_CUES)
    (warm,) = interleaved([lambda: train(docs, LABELS, DEFAULT_CUES)], ctx.repeats(5, 1))
    ctx.note(f"suggest: a retrain after a change (statements cut and searched before, as in a running window) "
             f"{median(warm):.2f} s")
    spans = sum(len(d.spans) for d in docs)
    ctx.note(f"suggest: {len(docs)} statements marked done, {spans} spans, "
             f"{sum(len(clauses(d.text)) for d in docs)} clauses")
    rows = [Row(MEASURES[0], median(retrain), "s", median(floor), "TF-IDF features of the same clauses",
                Target(max_figure=2.0, unit="s"))]

    suggester = train(docs, LABELS, DEFAULT_CUES)
    text = next(data.statements(1, 5000, seed=99)).text[:5000]
    suggester.suggest(0, text)

    def fresh() -> None:  # a statement not seen before: cut and searched each time
        segment.clear_cache()
        cues.clear_cache()
        suggester.suggest(0, text)

    one, cut = interleaved([fresh, lambda: (segment.clear_cache(), clauses(text))], ctx.repeats(21, 2))
    ctx.note(f"suggest: one 5 000-character statement, CPU time {_cpu(fresh, ctx.repeats(21, 2)) * 1000:.1f} ms "
             f"(wall {median(one) * 1000:.1f} ms)")
    rows.append(Row(MEASURES[1], median(one), "s", median(cut), "cutting it into clauses",
                    Target(max_figure=0.05, unit="s")))
    rows.append(_event_loop(ctx, ctx.size(1000, 40), n_spans))
    rows += _learning_curve(ctx)
    return rows


def _event_loop(ctx: Context, unlabelled: int, n_spans: int) -> Row:
    """In the real window with the Suggestions list open: a 1 ms timer's worst delay beyond its interval over a
    whole retrain as the window runs it after a change (training on ``n_spans`` spans, the open statement's
    suggestions, the cross-validation, then the corpus's batches: ``unlabelled`` more statements, each answer
    decoded and listed as it arrives), against the same timer in the idle window. The note gives the GUI thread's
    own CPU time in the worst gap (``time.thread_time``): near zero when the gap was the machine's scheduling."""
    import sys

    from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from annotator.core.model import IncomingDocument
    from annotator.store import Project
    from annotator.ui.mainwindow import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    labelled = [IncomingDocument(d.text, d.title, d.source, d.spans, status="done")
                for d in data.statements(max(1, n_spans // 10), 2000, seed=13, spans_each=10)]
    rest = list(data.statements(unlabelled, 2000, seed=14))
    folder = ctx.workdir / "suggest-window"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "p.sqlite"
    if path.exists():
        path.unlink()
    project = Project.open(path, create=True, user="bench", populate=rest + labelled)
    window = MainWindow(project, QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
    window.show()
    ctl = window.suggestions
    ctl.dock.show()  # the list follows every batch: what a user watching it sees
    retrainer = ctl.retrainer

    def run_until(done: Any, limit_s: float) -> tuple[float, float, float]:
        """(the worst delay, the GUI thread's CPU time in it, seconds until ``done()``) of a 1 ms timer; the worst
        delay's wait for a CPU in ``waited``."""
        gaps: list[tuple[float, float, float]] = []
        clock = QElapsedTimer()
        clock.start()
        last = [time.perf_counter(), time.thread_time(), cpu_wait()]

        def tick() -> None:
            now, cpu, wait = time.perf_counter(), time.thread_time(), cpu_wait()
            gaps.append((now - last[0], cpu - last[1], wait - last[2]))
            last[0], last[1], last[2] = now, cpu, wait
            if done() or clock.elapsed() > limit_s * 1000:
                loop.quit()

        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setInterval(1)
        timer.timeout.connect(tick)
        loop = QEventLoop()
        timer.start()
        loop.exec()
        timer.stop()
        worst, cpu, wait = max(gaps[1:] or [(0.0, 0.0, 0.0)])
        waited[0] = wait
        return worst - 0.001, cpu, clock.elapsed() / 1000

    waited = [0.0]

    try:
        run_until(retrainer.idle, 600)  # the first retrain: the process started, scikit-learn imported in it
        start_at = time.monotonic() + 3.0
        idle, _, _ = run_until(lambda: time.monotonic() > start_at, 5)
        first_ghosts: list[float] = []
        ctl.suggestions.clear()
        t0 = time.perf_counter()
        retrainer.suggested.connect(lambda _r, corpus: first_ghosts.append(time.perf_counter() - t0)
                                    if not corpus and not first_ghosts else None)
        retrainer.start_now()
        busy, busy_cpu, seconds = run_until(ctl.settled, 600)  # the list showing the last answer too
        busy_wait = waited[0]
        info = ctl.train_info
        ctx.note(f"suggest: in the window ({len(labelled)} statements labelled, {unlabelled} more): a retrain "
                 f"(train {info.get('seconds', 0):.2f} s wall / {info.get('cpu', 0):.2f} s CPU in its process), "
                 f"the open statement's suggestions {first_ghosts[0] if first_ghosts else float('nan'):.2f} s "
                 f"after the change, everything (cross-validation, the corpus in batches) done in {seconds:.1f} s; "
                 f"{len(ctl.panel.rows)} suggestions listed; worst 1 ms timer delay {busy * 1000:.1f} ms, "
                 f"{busy_cpu * 1000:.1f} ms of it the GUI thread's CPU time, {busy_wait * 1000:.1f} ms its wait for "
                 f"a CPU (idle {idle * 1000:.1f} ms; load {_load()})")
    finally:
        window.close()
        app.processEvents()
        project.close()
    return Row(MEASURES[2], busy, "s", max(idle, 1e-4), "the same timer, idle", Target(max_figure=1 / 60, unit="s"))


def _load() -> str:
    """The load averages (1, 5, 15 minutes), or "?" where the system does not say."""
    try:
        with open("/proc/loadavg") as fh:
            return " ".join(fh.read().split()[:3])
    except OSError:
        return "?"


# -- the learning curve --------------------------------------------------------------------------------------------


def read_eval_set(path: Path = EVAL_SET) -> list[TrainingDoc]:
    """The evaluation set's statements with their spans, labels by key or by the default codebook's names."""
    from annotator.formats import jsonl

    by_name = {lb.name.lower(): lb.key for lb in DEFAULT_LABELS} | {lb.key: lb.key for lb in DEFAULT_LABELS}
    docs = []
    for i, doc in enumerate(jsonl.read(path).documents, 1):
        spans = tuple(sorted((s.start, s.end, by_name.get(s.label.lower(), s.label)) for s in doc.spans))
        docs.append(TrainingDoc(i, doc.text, spans, True))
    return docs


def learning_curve(docs: list[TrainingDoc], sizes: tuple[int, ...] = SIZES) -> list[tuple[int, int, str, Any]]:
    """(spans asked, spans used, mode, figures per label) for each size and mode."""
    test = [d for i, d in enumerate(docs) if i % 3 == 2]
    pool = [d for i, d in enumerate(docs) if i % 3 != 2]
    out = []
    for size in sizes:
        chosen, used = [], 0
        for doc in pool:
            if used >= size:
                break
            chosen.append(doc)
            used += len(doc.spans)
        for mode in MODES:
            suggester = train(chosen, LABELS, DEFAULT_CUES, mode)
            evaluation = Evaluation(tuple(LABELS), documents=len(test))
            for doc in test:
                evaluation.regions.append((doc.spans, tuple(suggester.suggest(doc.doc_id, doc.text))))
            out.append((size, used, mode, evaluation.figures(THRESHOLD)))
    return out


def _learning_curve(ctx: Context) -> list[Row]:
    if not EVAL_SET.exists():
        ctx.note(f"suggest: learning curve skipped: no evaluation set at {EVAL_SET.relative_to(ROOT)}")
        return []
    docs = read_eval_set()
    ctx.note(f"suggest: learning curve on {len(docs)} statements, {sum(len(d.spans) for d in docs)} spans "
             f"(test: every third statement; threshold {THRESHOLD})")
    rows = []
    names = {lb.key: lb.name for lb in DEFAULT_LABELS}
    for size, used, mode, figures in learning_curve(docs):
        ctx.note(f"--- {size} labelled spans asked, {used} used; {mode}")
        for line in format_figures(figures, names).splitlines():
            ctx.note(line)
        f1s = [f["overlap"]["f1"] for f in figures.values() if f["overlap"]["f1"] is not None]
        rows.append(Row(f"suggest: learning curve, {mode}, {size} spans (mean overlap F1)",
                        sum(f1s) / len(f1s) if f1s else None, ""))
    return rows
