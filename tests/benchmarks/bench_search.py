"""Search (issue 12) on a team's corpus (``corpus_data``: 100 000 statements, 1 M spans; quick mode 1 000).

- first page of hits (the first batch ``store.search.hits`` yields: 64 statements' hits, with their contexts and
  labels) for a word and for a phrase, against the old Documents filter in the same run: a full scan with
  ``instr(lower(text), ?)`` (what ``listing.ids`` did before the index); target ≤ 50 ms;
- the Documents filter box through the index, in the real window: from the filter's start (after the box's pause) to
  its first rows painted (what the user waits for; the rest is listed in a thread), same baseline; the time to the
  whole list and the worst stall of the event loop meanwhile in a note, and the whole list checked against
  ``Project.documents``'s;
- labelling 1 000 hits in one step (``hit_labels.label_hits``: one transaction, one undo step), against a raw
  ``executemany`` of the same 1 000 span rows; target ≤ 1 s;
- import of statements like the corpus's with the index against the same import without it (the index's insert
  left out); target ≤ 1.5×; and the index's size beside the project's;
- in the real window, every hit of the commonest word (up to the dock's 100 000) selected with Ctrl+A and labelled
  with a label key: the time to the end (info), the worst stall while its thread labels them and reads their labels
  again (≤ 16 ms), and the dock's refresh after it (the window's own work, info; 1.0 s before the labels were read
  in the thread).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import time
from collections import Counter

from annotator.core.search.query import parse
from annotator.store import Project, hit_labels, schema, search, search_index
from tests.benchmarks import corpus_data, data
from tests.benchmarks.common import Context, Row, Target, interleaved, median, timed

NAME = "search"
MEASURES = (
    "100 000 statements: search, first page of hits for a word",
    "100 000 statements: search, first page of hits for a phrase",
    "100 000 statements: Documents filter through the index",
    "search: label 1 000 hits in one step",
    "search: import with the full-text index",
    "search: index size",
    "100 000 statements: search box, slowest key press while searches run",
    "100 000 statements: search box, worst event-loop stall while a search runs",
    "100 000 statements: label every hit of a common word in the dock (info)",
    "100 000 statements: worst event-loop stall while the dock's hits are labelled",
    "100 000 statements: the dock's refresh after its hits are labelled (info)",
)
FAST = Target(max_figure=50, unit="ms")
OLD_FILTER = ("SELECT json_group_array(id) FROM documents WHERE instr(lower(text), ?) > 0"
              " OR instr(lower(title), ?) > 0")


def _words(conn: sqlite3.Connection) -> tuple[str, str]:
    """A word of middling frequency from the first statement, and the phrase of it and the word after it."""
    text = conn.execute("SELECT text FROM documents WHERE id = 1").fetchone()[0]
    words = re.findall(r"[A-Za-z]{6,}", text)
    counts = Counter(w.lower() for w in words)
    word = min(counts, key=lambda w: (counts[w], w))
    after = re.search(rf"\b{word}\b\W+(\w+)", text, re.IGNORECASE)
    return word, f'"{word} {after.group(1)}"' if after else f'"{word}"'


def _first_page(conn: sqlite3.Connection, text: str) -> int:
    return len(next(search.hits(conn, parse(text)), []))


def run(ctx: Context) -> list[Row]:
    corpus = corpus_data.build(ctx)
    work = ctx.workdir / "search.sqlite"
    shutil.copyfile(corpus.mine, work)
    rows: list[Row] = []
    with Project.open(work, user="kim") as project:
        conn = project.conn
        word, phrase = _words(conn)
        ctx.note(f"search: word {word!r}, phrase {phrase}; {len(search.search_all(conn, parse(word)))} hits of the "
                 f"word in {search.statements_matching(conn, parse(word))} statements")
        old = phrase.strip('"').lower()
        reps = ctx.repeats(7, 2)
        for what, query in (("a word", word), ("a phrase", phrase)):
            fast, slow = interleaved([lambda q=query: _first_page(conn, q),
                                      lambda q=query: conn.execute(OLD_FILTER, (q.strip('"').lower(),) * 2).fetchone()],
                                     reps)
            rows.append(Row(f"100 000 statements: search, first page of hits for {what}",
                            median(fast) * 1e3, "ms", median(slow) * 1e3, "old filter: full scan", FAST))
        whole = len(project.documents(search=old))  # the one-step list the two-step filter must end with

        many = []
        for batch in search.hits(conn, parse(word)):
            many += [h for h in batch if not h.in_memo]
            if len(many) >= 1000:
                break
        many = many[:1000]
        conn.execute("DELETE FROM spans WHERE label = 'commitment' AND doc_id IN "
                     f"({','.join(str(h.doc_id) for h in many)})")
        done: list[hit_labels.Labelled] = []
        took = timed(lambda: done.append(hit_labels.label_hits(project, many, "commitment")))
        added = len(done[0].spans)
        hit_labels.undo(project, done[0])
        stamp = "2026-01-01T00:00:00.000Z"
        span_rows = [(h.doc_id, h.start, h.end, "commitment", "kim", "", "", stamp, stamp) for h in many]

        def raw() -> None:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany('INSERT INTO spans (doc_id, start, "end", label, annotator, note, origin, created, '
                             'updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', span_rows)
            conn.execute("ROLLBACK")

        base = timed(raw)
        rows.append(Row("search: label 1 000 hits in one step", took, "s", base, "raw executemany",
                        Target(max_figure=1.0, unit="s")))
        ctx.note(f"search: labelled {len(many)} hits: {added} spans added, {done[0].skipped} skipped")

    filter_row, window_rows = _window_rows(ctx, work, word, old, whole)
    rows.insert(2, filter_row)
    rows += window_rows

    # import: the same statements with and without the index's insert
    count = ctx.size(10_000, 300)
    docs = list(data.statements(count, corpus_data.BODY_SIZE, seed=11))
    sizes: dict[str, int] = {}
    cpu: dict[str, list[float]] = {"True": [], "False": []}

    def importer(with_index: bool):  # type: ignore[no-untyped-def]
        def go() -> None:
            c0 = time.process_time()
            path = ctx.workdir / f"import-{with_index}.sqlite"
            for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)
            saved = search_index.index_new
            if not with_index:
                search_index.index_new = lambda conn, first_id: None  # type: ignore[assignment]
            try:
                with Project.open(path, create=True, user="kim") as p:
                    p.import_documents(docs)
                    p.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    sizes[str(with_index)] = path.stat().st_size
            finally:
                search_index.index_new = saved
                cpu[str(with_index)].append(time.process_time() - c0)
        return go

    with_index, without = interleaved([importer(True), importer(False)], ctx.repeats(3, 1))
    rows.append(Row("search: import with the full-text index", median(with_index), "s", median(without),
                    f"the same import without the index, {count} statements", Target(max_ratio=1.5)))
    ctx.note(f"search: import CPU seconds (median) with the index {median(cpu['True']):.2f}, without "
             f"{median(cpu['False']):.2f} ({median(cpu['True']) / median(cpu['False']):.2f}x)")
    ctx.note(_tokenising_floor(docs, median(cpu["False"])))
    grown = sizes["True"] - sizes["False"]
    rows.append(Row("search: index size", grown / 1e6, "MB", sizes["False"] / 1e6, "the project without it"))
    ctx.note(f"search: the index of {count} statements takes {grown / 1e6:.1f} MB beside a "
             f"{sizes['False'] / 1e6:.1f} MB project ({100 * grown / sizes['False']:.0f} %)")
    return rows


def _tokenising_floor(docs, without_cpu: float) -> str:  # type: ignore[no-untyped-def]
    """FTS5's own work on the import's rows with nothing else around it: the same table definition, in memory, one
    flush at the end (a 1 GB hash), best of three in CPU seconds. What is left is tokenising and hashing each word,
    the floor of what the index can add to an import; beside the import without the index (the row allows 0.5x)."""
    table = schema._V4_SEARCH[0].replace("search_fts", "f", 1)
    rows = [(i, d.title, d.text, d.note) for i, d in enumerate(docs, 1)]
    took: list[float] = []
    for _ in range(3):
        conn = sqlite3.connect(":memory:", isolation_level=None)
        try:
            conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT, text TEXT, note TEXT)")
            conn.executemany("INSERT INTO documents VALUES (?, ?, ?, ?)", rows)
            conn.execute(table)
            conn.execute("INSERT INTO f(f, rank) VALUES ('hashsize', ?)", (1 << 30,))
            c0 = time.process_time()
            conn.execute("INSERT INTO f(rowid, title, text, note) SELECT id, title, text, note FROM documents")
            took.append(time.process_time() - c0)
        finally:
            conn.close()
    return (f"search: FTS5 alone on the same rows (in memory, one flush: tokenising and hashing, the floor of what the "
            f"index adds): {min(took):.2f} s CPU, {min(took) / without_cpu:.2f}x the import without the index's CPU")


def _filter_row(ctx: Context, win, old: str, whole: int) -> Row:  # type: ignore[no-untyped-def]
    """The Documents filter in the window: the phrase applied (the box's 200 ms pause left out, as the old filter's
    row did) to its first rows painted, alternating with the old filter's full scan on the same connection; then the
    rest listed by the filter's thread (time, worst stall), checked against the one-step list."""
    panel, window = win.window.documents, win.window
    box, table, conn = panel.search, panel.table, win.project.conn

    def apply(text: str) -> None:
        box.setText(text)
        panel._debounce.stop()  # the pause after the last key is the box's, not the filter's
        panel.filtersChanged.emit()

    def filtered() -> None:
        c0 = time.process_time()
        apply(old)
        table.viewport().repaint()
        cpu.append(time.process_time() - c0)

    first, cpu, base, rest, stalls, waits = [], [], [], [], [], []
    for _ in range(ctx.repeats(9, 2)):
        window._listed_key = None  # the same filter on an unchanged project would be the list kept from the last
        first.append(timed(filtered))
        shown = panel.model.rowCount()  # FIRST_PAGE, or fewer; quick mode: all of them at once (AT_ONCE)
        assert 0 < shown <= whole, shown
        took, stall = win.wait_for(lambda: window.doc_filter.running is None)
        win.flush()
        assert panel.model.rowCount() == whole, (panel.model.rowCount(), whole)
        rest.append(took)
        stalls.append(stall)
        waits.append(win.stall)
        apply("")
        win.flush()
        base.append(timed(lambda: conn.execute(OLD_FILTER, (old, old)).fetchone()))
    worst = max(range(len(stalls)), key=stalls.__getitem__)
    ctx.note(f"documents filter: {old!r} lists {whole} statements; the first {shown} painted in "
             f"{median(first) * 1e3:.1f} ms (median; CPU {median(cpu) * 1e3:.1f} ms), the whole list "
             f"{median(rest) * 1e3:.0f} ms later (median, a thread); worst event-loop stall meanwhile "
             f"{waits[worst]}")
    return Row(MEASURES[2], median(first) * 1e3, "ms", median(base) * 1e3, "old filter: full scan", FAST)


def _window_rows(ctx: Context, path, word: str, old: str,  # type: ignore[no-untyped-def]
                 whole: int) -> tuple[Row, list[Row]]:
    """The Documents filter (:func:`_filter_row`); then the real window: typing in the Search box while searches
    start and are cancelled behind it (each key press timed, against the same keys in a bare QLineEdit), then the
    worst stall of the event loop (a 4 ms timer's largest delay) while a search of a word in every statement runs
    to its end."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit

    from tests.benchmarks.bench_corpus_gui import FRAME, Window

    win = Window(ctx, path)
    try:
        filter_row = _filter_row(ctx, win, old, whole)
        controller = win.window.search
        controller.focus()
        win.flush()
        box = controller.panel.query
        bare = QLineEdit()
        bare.show()
        presses, baseline = [], []
        for ch in f"{word} the":
            for target, out in ((box, presses), (bare, baseline)):
                target.setFocus()
                out.append(timed(lambda t=target, c=ch: QTest.keyClick(t, c)))
            win.wait_for(lambda: controller.running is not None or not controller.timer.isActive(), 5)
        took, stall = win.wait_for(lambda: controller.running is None and not controller.timer.isActive())
        hits = controller.model.rowCount()
        ctx.note(f"search box: {hits} hits of {box.text()!r} shown after {took:.2f} s; worst stall {win.stall}")
        QTest.keyClick(box, Qt.Key.Key_Escape)
        bare.close()
        labelled = _label_rows(ctx, win)
    finally:
        win.close()
    return filter_row, [
        Row(MEASURES[6], max(presses) * 1e3, "ms", max(baseline) * 1e3, "the same keys in a bare QLineEdit", FRAME),
        Row(MEASURES[7], stall, "ms", None, "", FRAME),
        *labelled,
    ]


def _label_rows(ctx: Context, win) -> list[Row]:  # type: ignore[no-untyped-def]
    """Every hit of the commonest word labelled from the dock (Ctrl+A, a label key), then undone (not timed)."""
    import gc

    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest

    from annotator.ui.search import commands
    from tests.benchmarks.bench_corpus_gui import FRAME
    from tests.benchmarks.common import StallWatch

    controller, window = win.window.search, win.window
    text = win.project.conn.execute("SELECT text FROM documents WHERE id = 1").fetchone()[0]
    word = Counter(w.lower() for w in re.findall(r"[A-Za-z]{6,}", text)).most_common(1)[0][0]
    box = controller.panel.query
    box.setFocus()
    box.setText(word)
    QTest.keyClick(box, Qt.Key.Key_Return)
    win.wait_for(lambda: controller.running is None and not controller.timer.isActive())
    hits = controller.model.rowCount()
    watch = StallWatch(0.004)
    during: list[object] = []
    refresh: list[float] = []
    labelled = controller._labelled

    def refreshed(*args):  # type: ignore[no-untyped-def] # the thread has ended: the window's own work follows
        during.append(watch.worst)
        t0 = time.perf_counter()
        labelled(*args)
        refresh.append(time.perf_counter() - t0)

    controller._labelled = refreshed  # type: ignore[method-assign]
    timer = QTimer()
    timer.setInterval(4)
    timer.timeout.connect(watch.tick)
    table = controller.panel.table
    try:
        table.setFocus()
        QTest.keyClick(table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        win.flush()  # the table's repaint of the selection, before the label key (as a hand is never that quick)
        gc.collect()
        watch.restart()
        timer.start()
        t0 = time.perf_counter()
        QTest.keyClick(table, Qt.Key.Key_2)
        took = time.perf_counter() - t0
        timer.stop()
    finally:
        del controller._labelled
    if not refresh:
        raise AssertionError(f"no hits of {word!r} were labelled")
    threaded = hits > commands.IN_PLACE
    ctx.note(f"dock labelling: {hits} hits of {word!r} labelled in {took:.1f} s"
             + (f"; worst stall while its thread ran {during[0]}" if threaded else " (in place: few hits)")
             + f"; the dock's refresh after it {refresh[0] * 1e3:.0f} ms")
    window.undo_group.undo()  # the corpus as it was, for what follows
    out = [Row(MEASURES[8], took, "s"), Row(MEASURES[10], refresh[0] * 1e3, "ms")]
    if threaded:
        out.insert(1, Row(MEASURES[9], max(0.0, during[0].ms), "ms", None, "", FRAME))  # type: ignore[attr-defined]
    return out
