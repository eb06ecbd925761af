"""Subprocess probes for the GUI rows that need a fresh process: start to first paint, and peak memory.

    python -m tests.benchmarks.probe_gui start PROJECT [--bare]
    python -m tests.benchmarks.probe_gui memory PROJECT DOC_ID [--bare]

Linux carries a process's ``ru_maxrss`` across ``execve``: a probe spawned straight from the (large) benchmark
process would report the parent's peak. :data:`CLEAN_RSS` starts it through a small intermediate interpreter.

``start`` launches the app the way ``annotator PROJECT`` does (``annotator.cli.main``) and prints ``painted=T``,
the ``time.perf_counter()`` (CLOCK_MONOTONIC, shared across processes) just after the statement view's first paint;
the parent subtracts its own clock reading taken before starting the process. ``--bare`` shows the same statement
in a bare ``QPlainTextEdit`` instead (the baseline). ``memory`` opens DOC_ID, paints, scrolls, applies a label and
prints ``rss_kb`` (peak RSS from ``getrusage``). Run offscreen (``QT_QPA_PLATFORM=offscreen``) with
``ANNOTATOR_DATA_DIR`` set to a folder whose settings name the analyst, so no dialog asks.
"""

from __future__ import annotations

import sys
import time

#: prefix for a probe whose ``ru_maxrss`` must be its own: a small interpreter that runs the real command
CLEAN_RSS = [sys.executable, "-c", "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))"]


def _first_text(project: str, doc_id: int | None = None) -> str:
    import sqlite3

    conn = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    try:
        if doc_id is None:
            row = (
                conn.execute(
                    "SELECT text FROM documents WHERE status IN ('todo', 'in_progress') ORDER BY id LIMIT 1"
                ).fetchone()
                or conn.execute("SELECT text FROM documents ORDER BY id LIMIT 1").fetchone()
            )
        else:
            row = conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return str(row[0])
    finally:
        conn.close()


def start(project: str, bare: bool) -> int:
    text = _first_text(project) if bare else ""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    app = QApplication(sys.argv[:1])

    class FirstPaint(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.done = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if not self.done and event.type() == QEvent.Type.Paint and _is_statement_viewport(obj, bare):
                self.done = True
                QTimer.singleShot(0, self.report)  # runs once this paint has finished
            return False

        def report(self) -> None:
            print(f"painted={time.perf_counter()!r}", flush=True)
            app.removeEventFilter(self)
            app.quit()

    spy = FirstPaint()
    app.installEventFilter(spy)
    if bare:
        edit = QPlainTextEdit()
        edit.setReadOnly(True)
        edit.setPlainText(text)
        edit.resize(1280, 800)
        edit.show()
        return int(app.exec())
    from annotator.cli import main

    return main([project])


def _is_statement_viewport(obj: object, bare: bool) -> bool:
    from PySide6.QtWidgets import QPlainTextEdit, QWidget

    if not isinstance(obj, QWidget):
        return False
    parent = obj.parentWidget()
    if not isinstance(parent, QPlainTextEdit) or parent.viewport() is not obj:
        return False
    return bare or type(parent).__name__ == "StatementView"


def memory(project: str, doc_id: int, bare: bool) -> int:
    import os
    import resource

    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QAbstractSlider, QApplication, QPlainTextEdit

    app = QApplication(sys.argv[:1])
    if bare:
        view = QPlainTextEdit()
        view.setReadOnly(True)
        view.setPlainText(_first_text(project, doc_id))
        view.resize(1280, 800)
        view.show()
    else:
        from annotator.store import Project
        from annotator.ui.mainwindow import MainWindow

        settings = QSettings(os.path.join(os.environ["ANNOTATOR_DATA_DIR"], "probe.ini"), QSettings.Format.IniFormat)
        window = MainWindow(Project.open(project, user="bench"), settings)
        window.show()
        window.open_document(doc_id)
        view = window.view
    app.processEvents()
    view.viewport().repaint()
    bar = view.verticalScrollBar()
    for _ in range(20):
        bar.triggerAction(QAbstractSlider.SliderAction.SliderPageStepAdd)
        view.viewport().repaint()
    if not bare:
        text = window.view.text
        start = text.index(" ", len(text) // 2) + 1
        window.view.select_cp(start, text.index(" ", start + 1))
        QTest.keyClick(window.view, Qt.Key.Key_1)
        view.viewport().repaint()
    app.processEvents()
    print(f"rss_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", flush=True)
    print(f"hwm_kb={_vm_hwm_kb()}", flush=True)
    return 0


def _vm_hwm_kb() -> int:
    """The peak RSS of this process's own address space (Linux), to cross-check ``ru_maxrss``."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def main(argv: list[str]) -> int:
    bare = "--bare" in argv
    args = [a for a in argv if a != "--bare"]
    if args[0] == "start":
        return start(args[1], bare)
    if args[0] == "memory":
        return memory(args[1], int(args[2]), bare)
    raise SystemExit(f"unknown probe {args[0]!r}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
