"""The GUI rows, on the real main window offscreen (``QT_QPA_PLATFORM=offscreen``).

- apply a label: select with ``view.select_cp``, then the timed part: ``QTest.keyClick(view, Key_1)`` (the label's
  shortcut: snap, store transaction, index, panels) and a forced ``viewport().repaint()``; the span is then checked
  in the database. Median over N presses spread over the document; baseline the same on a 1 k-character document.
- open: ``view.set_document`` with the session's span index (the view takes a copy), plus the first paint, vs a bare
  ``QPlainTextEdit.setPlainText`` of the same text plus its first paint (same size, font, wrapping).
- scroll: one page (the scrollbar's page step, as a click on its track) plus the repaint, also in one 1 M-character
  paragraph; baseline the bare editor scrolling the same text.
- dense overlaps: open and apply on 50 000 characters holding 10 000 spans.
- memory: peak RSS of a fresh process with the 1 M-character statement open (``probe_gui memory``).

Untimed between measurements: the event loop is run dry, so deferred work of one step never lands in the next.
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from tests.benchmarks import data, gui_data
from tests.benchmarks.common import Context, Row, Target, interleaved, median, painted, run_probe, timed
from tests.benchmarks.probe_gui import CLEAN_RSS

NAME = "gui"
MEASURES = (
    "apply a label, 1 M chars / 10 000 spans (median)",
    "apply a label, 1 k chars (baseline doc)",
    "open 1 M chars / 10 000 spans (set_document + paint)",
    "open 1 M chars through the window (store + panels, info)",
    "scroll one page, 1 M chars",
    "scroll one page, one 1 M-char paragraph",
    "open one 1 M-char paragraph (info)",
    "dense: open 50 k chars / 10 000 spans",
    "dense: apply a label (median)",
    "memory with the 1 M doc open (peak RSS)",
    "find in the 1 M-char statement: the slowest key as a word is typed (Ctrl+F)",
)
PROBE = [sys.executable, "-m", "tests.benchmarks.probe_gui"]


class Bench:
    """The window, a bare editor like its view, and the helpers that drive them."""

    def __init__(self, ctx: Context) -> None:
        from PySide6.QtCore import QSettings, Qt
        from PySide6.QtGui import QTextOption
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication, QPlainTextEdit

        from annotator.store.editlock import open_for_editing
        from annotator.ui.mainwindow import MainWindow

        self.ctx = ctx
        self.cpu: defaultdict[str, list[float]] = defaultdict(list)  # CPU seconds per press (and leftovers)
        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        self.data = gui_data.build(ctx)
        copy = ctx.workdir / "gui-bench.sqlite"
        shutil.copyfile(self.data.path, copy)
        self.project = open_for_editing(copy, "bench")  # as the window opens it (its checkpoints in a thread)
        settings = QSettings(str(ctx.workdir / "bench.ini"), QSettings.Format.IniFormat)
        self.window = MainWindow(self.project, settings)
        self.window.show()
        QTest.qWaitForWindowExposed(self.window)
        self.window.activateWindow()
        self.view = self.window.view
        self.view.setFocus()
        bare = QPlainTextEdit()
        bare.setReadOnly(True)
        bare.setFont(self.view.font())
        bare.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        bare.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        bare.document().setDocumentMargin(self.view.document().documentMargin())
        bare.resize(self.view.size())
        bare.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        bare.show()
        QTest.qWaitForWindowExposed(bare)
        self.bare = bare
        self.focus()

    def focus(self) -> None:
        """Key presses go to the statement view, as when the analyst works in it."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        self.window.activateWindow()
        QTest.qWaitForWindowActive(self.window)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.flush()
        if not self.view.hasFocus():
            raise RuntimeError("the statement view cannot get the keyboard focus")

    def close(self) -> None:
        self.bare.close()
        self.window.close()
        self.bare.deleteLater()
        self.window.deleteLater()
        self.flush()

    def match_text_area(self, text: str) -> None:
        """Give the bare editor, showing ``text`` as the view does, a viewport of the view's size: the view keeps
        a strip for its overview beside the text, so the same outer size gave the bare editor a wider text area,
        fewer lines to lay out and paint (426 against 402 px in the benchmark's window)."""
        self.bare.setPlainText(text)
        self.flush()
        for _ in range(3):
            want, got = self.view.viewport().size(), self.bare.viewport().size()
            if want == got:
                return
            self.bare.resize(self.bare.width() + want.width() - got.width(),
                             self.bare.height() + want.height() - got.height())
            self.flush()
        raise RuntimeError(f"the bare editor's viewport {got} cannot match the view's {want}")

    def flush(self) -> None:
        """Run the event loop dry (deferred paints, timers of zero)."""
        for _ in range(3):
            self.app.sendPostedEvents()
            self.app.processEvents()

    def open(self, name: str) -> None:
        doc_id = self.data.ids[name]
        if self.window.session.document is not None and self.window.session.document.id == doc_id:
            return
        self.window.open_document(doc_id)
        self.flush()
        assert self.window.session.document is not None and self.window.session.document.id == doc_id

    # ------------------------------------------------------------------ apply
    def presses(self, name: str, count: int, seed: int) -> tuple[list[float], list[float]]:
        """(key press + repaint, the event loop's leftovers after it) for ``count`` presses, in seconds; the CPU
        time of each (``time.thread_time`` of the GUI thread, steadier than wall time on a loaded machine) goes to
        ``self.cpu``."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        self.open(name)
        doc_id = self.data.ids[name]
        text = self.view.text
        view = self.view

        def press() -> None:
            QTest.keyClick(view, Qt.Key.Key_1)
            view.viewport().repaint()

        first = self.window.session.labels[0].key
        self.focus()
        times, leftovers = [], []
        for a, b in data.selections(text, count, random.Random(seed)):
            view.select_cp(a, b)
            self.flush()
            sql = 'SELECT count(*) FROM spans WHERE doc_id = ? AND start = ? AND "end" = ? AND label = ?'
            before = self.project.conn.execute(sql, (doc_id, a, b, first)).fetchone()[0]
            if before:  # labelled by an earlier round: a second press of the same label there adds nothing
                continue
            times.append(timed(lambda: self._cpu(name, press)))
            if self.project.conn.execute(sql, (doc_id, a, b, first)).fetchone()[0] != before + 1:
                raise AssertionError(f"the key press did not save the span {a}-{b} in {name}")
            leftovers.append(timed(lambda: self._cpu(name + " leftovers", self.flush)))
        return times, leftovers

    def _cpu(self, key: str, fn: Callable[[], object]) -> None:
        """Run ``fn``, keeping its CPU time under ``key`` (inside the timed call: ``timed`` collects garbage
        before its clock starts)."""
        cpu = time.thread_time()
        fn()
        self.cpu[key].append(time.thread_time() - cpu)

    # ------------------------------------------------------------------ open
    def open_times(self, name: str, repeats: int) -> tuple[list[float], list[float]]:
        """(set_document + first paint, bare setPlainText + first paint), interleaved."""
        self.open(name)
        session = self.window.session
        assert session.document is not None
        text, spans, labels = session.document.text, session.index, session.labels
        view, bare = self.view, self.bare
        self.match_text_area(text)

        def clear() -> None:
            view.set_document("", [], labels)
            bare.setPlainText("")
            self.flush()

        def show_view() -> None:
            view.set_document(text, spans, labels)  # as the window does: a copy of the session's index
            view.viewport().repaint()

        def show_bare() -> None:
            bare.setPlainText(text)
            bare.viewport().repaint()

        view_t, bare_t = interleaved([show_view, show_bare], repeats, setup=clear)
        show_view()  # leave the view showing what the session holds
        bare.setPlainText("")
        self.flush()
        return view_t, bare_t

    def window_open_times(self, name: str, other: str, repeats: int) -> list[float]:
        """The whole of opening a statement from the list: store read, view, panels, first paint."""
        out = []
        for _ in range(repeats):
            self.open(other)

            out.append(timed(painted(self.view.viewport(), lambda: self.window.open_document(self.data.ids[name]))))
            self.flush()
        return out

    # ------------------------------------------------------------------ scroll
    def scroll_times(self, widget: Any, pages: int) -> list[float]:
        """Per page: page step of the scrollbar + repaint; half from the top, half from the middle."""
        from PySide6.QtWidgets import QAbstractSlider

        bar = widget.verticalScrollBar()
        viewport = widget.viewport()

        def page() -> None:
            bar.triggerAction(QAbstractSlider.SliderAction.SliderPageStepAdd)
            viewport.repaint()

        times = []
        for where in (0.0, 0.5):
            bar.setValue(int(bar.maximum() * where))
            self.flush()
            viewport.repaint()
            for _ in range(pages // 2):
                times.append(timed(page))
        self.flush()
        return times

    def scroll_pair(self, name: str, pages: int) -> tuple[list[float], list[float]]:
        self.open(name)
        assert self.window.session.document is not None
        assert self.view.text == self.window.session.document.text
        self.match_text_area(self.window.session.document.text)
        self.bare.viewport().repaint()
        view_t = self.scroll_times(self.view, pages)
        bare_t = self.scroll_times(self.bare, pages)
        self.bare.setPlainText("")
        self.flush()
        return view_t, bare_t


def _ms(values: list[float]) -> float:
    return median(values) * 1000


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] * 1000 if len(values) >= 2 else values[0] * 1000


def _guarded(measure: str, fn: Callable[[], list[Row]]) -> list[Row]:
    try:
        return fn()
    except Exception as exc:  # one broken measure must not hide the others
        return [Row(measure, None, "", error=f"{type(exc).__name__}: {exc}")]


def run(ctx: Context) -> list[Row]:
    bench = Bench(ctx)
    sizes = bench.data.sizes
    ctx.note("gui: " + ", ".join(f"{k}: {c:,} chars / {s:,} spans" for k, (c, s) in sizes.items()))
    presses = ctx.repeats(41, 5)
    rows: list[Row] = []
    try:
        rows += _guarded(MEASURES[0], lambda: _apply_rows(ctx, bench, presses))
        rows += _guarded(MEASURES[2], lambda: _open_rows(ctx, bench))
        rows += _guarded(MEASURES[4], lambda: _scroll_rows(ctx, bench))
        rows += _guarded(MEASURES[7], lambda: _dense_rows(ctx, bench, presses))
        rows += _guarded(MEASURES[10], lambda: _find_rows(ctx, bench))
    finally:
        bench.close()
        bench.project.close()
    rows += _guarded(MEASURES[9], lambda: _memory_rows(ctx))
    return rows


def _apply_rows(ctx: Context, bench: Bench, presses: int) -> list[Row]:
    big, big_left = bench.presses("1m", presses, 1)
    small, small_left = bench.presses("1k", presses, 2)
    ctx.note(
        f"apply 1m: median {_ms(big):.2f} ms, p95 {_p95(big):.2f} ms; event-loop leftovers after it "
        f"median {_ms(big_left):.2f} ms (1k: {_ms(small):.2f} ms + {_ms(small_left):.2f} ms); CPU medians: 1m "
        f"{_ms(bench.cpu['1m']):.2f} + {_ms(bench.cpu['1m leftovers']):.2f} ms, 1k {_ms(bench.cpu['1k']):.2f} + "
        f"{_ms(bench.cpu['1k leftovers']):.2f} ms"
    )
    return [
        Row(MEASURES[0], _ms(big), "ms", _ms(small), "1 k doc", Target(max_figure=5, max_ratio=2, unit="ms")),
        Row(MEASURES[1], _ms(small), "ms"),
    ]


def _open_rows(ctx: Context, bench: Bench) -> list[Row]:
    view_t, bare_t = bench.open_times("1m", ctx.repeats(21, 2))  # ~40 ms a pair: medians of many, this VM is noisy
    win_t = bench.window_open_times("1m", "1k", ctx.repeats(5, 1))
    return [
        Row(MEASURES[2], _ms(view_t), "ms", _ms(bare_t), "bare setPlainText", Target(max_ratio=1.3)),
        Row(MEASURES[3], _ms(win_t), "ms", _ms(bare_t), "bare setPlainText"),
    ]


def _scroll_rows(ctx: Context, bench: Bench) -> list[Row]:
    pages = ctx.repeats(60, 6)
    target = Target(max_figure=8, unit="ms")
    view_t, bare_t = bench.scroll_pair("1m", pages)
    para_open, para_bare_open = bench.open_times("paragraph", ctx.repeats(3, 1))
    para_t, para_bare_t = bench.scroll_pair("paragraph", pages)
    ctx.note(
        f"scroll p95: 1m {_p95(view_t):.2f} ms (bare {_p95(bare_t):.2f}); "
        f"paragraph {_p95(para_t):.2f} ms (bare {_p95(para_bare_t):.2f})"
    )
    return [
        Row(MEASURES[4], _ms(view_t), "ms", _ms(bare_t), "bare editor", target),
        Row(MEASURES[5], _ms(para_t), "ms", _ms(para_bare_t), "bare editor", target),
        Row(MEASURES[6], _ms(para_open), "ms", _ms(para_bare_open), "bare setPlainText"),
    ]


def _dense_rows(ctx: Context, bench: Bench, presses: int) -> list[Row]:
    view_t, bare_t = bench.open_times("dense", ctx.repeats(31, 2))
    on_screen = _spans_on_screen(bench)
    applied, _ = bench.presses("dense", presses, 3)
    ctx.note(f"dense: {on_screen} spans on the first screen; apply p95 {_p95(applied):.2f} ms, CPU median "
             f"{_ms(bench.cpu['dense']):.2f} ms")
    return [
        Row(MEASURES[7], _ms(view_t), "ms", _ms(bare_t), "bare setPlainText", Target(max_ratio=2)),
        Row(
            MEASURES[8],
            _ms(applied),
            "ms",
            _ms(bench.presses("1k", max(3, presses // 4), 4)[0]),
            "1 k doc",
            Target(max_figure=16, unit="ms"),
        ),
    ]


def _find_rows(ctx: Context, bench: Bench) -> list[Row]:
    """Ctrl+F in the 1 M-character statement (opened anew each round: its first key makes the find's index), then
    a word from its second half typed into the find bar a key at a time, each key timed with the repaint that shows
    its match; against what the find did per key before trial 12's F7, a ``re.IGNORECASE`` pass over every match of
    the prefix typed so far."""
    import re

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window, view = bench.window, bench.view
    bench.open("1m")
    text = view.text
    word = max(re.findall(r"[A-Za-z]{6,12}", text[len(text) // 2 : len(text) // 2 + 2000]), key=len)
    keys, first, baseline = [], [], []
    for _ in range(ctx.repeats(5, 1)):
        bench.open("1k")
        bench.open("1m")
        bench.focus()
        QTest.keyClick(view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        edit = window.find_bar.edit
        edit.clear()
        for n, ch in enumerate(word, 1):
            took = timed(lambda ch=ch, edit=edit: (QTest.keyClicks(edit, ch), view.viewport().repaint()))
            (first if n == 1 else keys).append(took)
            pattern = re.compile(re.escape(word[:n]), re.IGNORECASE)
            baseline.append(timed(lambda pattern=pattern: list(pattern.finditer(text))))
        found = view.selection_cp()
        if found is None or text[found[0] : found[1]].casefold() != word.casefold():
            raise AssertionError(f"the find did not select {word!r}: {found}")
        QTest.keyClick(edit, Qt.Key.Key_Escape)
    worst = max(first + keys)
    ctx.note(f"find: {word!r} typed into the find bar of the 1 M-character statement ({len(text):,} characters): the "
             f"first key, making the find's index, {_ms(first):.2f} ms (median), the others {_ms(keys):.2f} ms "
             f"(median), the slowest {worst * 1e3:.2f} ms; a re.IGNORECASE pass over every match per key "
             f"{_ms(baseline):.2f} ms")
    return [Row(MEASURES[10], worst * 1e3, "ms", _ms(baseline), "re.IGNORECASE over the text per key",
                Target(max_figure=16, unit="ms"))]


def _spans_on_screen(bench: Bench) -> int:
    from PySide6.QtCore import QPoint

    view = bench.view
    corner = QPoint(view.viewport().width(), view.viewport().height())
    top, bottom = view.cursorForPosition(QPoint(0, 0)).position(), view.cursorForPosition(corner).position()
    pmap = view.position_map
    return len(view.index.overlapping(pmap.to_cp(top), pmap.to_cp(bottom, ceil=True)))


def _memory_rows(ctx: Context) -> list[Row]:
    from tests.benchmarks.bench_start import gui_env

    gd = gui_data.build(ctx)
    env = gui_env(ctx)
    copy = ctx.workdir / "memory.sqlite"
    shutil.copyfile(gd.path, copy)
    figures = {}
    for bare in (False, True):
        argv = [*CLEAN_RSS, *PROBE, "memory", str(copy), str(gd.ids["1m"]), *(["--bare"] if bare else [])]
        values = run_probe(argv, env)
        figures[bare] = int(values["rss_kb"]) / 1024
        ctx.note(
            f"memory{' (bare)' if bare else ''}: ru_maxrss {figures[bare]:.0f} MB, "
            f"VmHWM {int(values['hwm_kb']) / 1024:.0f} MB"
        )
    return [Row(MEASURES[9], figures[False], "MB", figures[True], "bare editor", Target(max_figure=200, unit="MB"))]
