"""The window of the "analyst's afternoon" test (test_trust.py), in its own process so the parent can kill it.

    python afternoon_child.py PROJECT

It opens PROJECT the way the app does (``create_window``: the editing lock, the file watch), then obeys one
command per line on stdin and answers one line on stdout, flushed:

- ``dialogs``: opens every file dialog the window offers through its real actions (Import Files, Import Folder,
  Open Project, Open Colleague File, Export ▸ Browse, Export Codebook), points each at the project's own folder,
  lets it list the files for a moment, then presses Esc; answers ``dialogs-done N`` (N dialogs seen)
- ``label``: selects the next unlabelled word of the open statement and presses ``1``; answers ``ack SPANS``
- ``done``: presses Ctrl+Enter (mark done, open the next unfinished); answers ``ack-done DOC_ID``
- ``pid``: answers ``pid N``
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path


def main(project: str) -> None:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QPushButton

    from annotator.ui import app as app_module

    app = QApplication([])
    window = app_module.create_window(Path(project), ask_name=False)
    window.show()
    view = window.view
    view.setFocus()
    folder = str(Path(project).resolve().parent)
    seen: list[str] = []

    def settle(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def close_dialogs_later() -> None:
        """Point the file dialog (opened by the action about to run) at the project's folder, let it list and
        stat every file there, then press Esc; also closes the export dialog once its Browse… was tried."""

        def step() -> None:
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, QFileDialog) and widget.isVisible():
                    if widget.property("afternoon") is None:
                        widget.setProperty("afternoon", 1)
                        widget.setDirectory(folder)
                        widget.setViewMode(QFileDialog.ViewMode.Detail)
                        seen.append(widget.windowTitle())
                        QTimer.singleShot(1500, widget.reject)
                    QTimer.singleShot(100, step)
                    return
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, QDialog) and widget.isVisible() and widget.windowTitle() == "Export":
                    if widget.property("afternoon") is None:
                        widget.setProperty("afternoon", 1)
                        browse = next(b for b in widget.findChildren(QPushButton) if "Browse" in b.text())
                        QTimer.singleShot(100, step)  # finds the file dialog that Browse… opens next
                        browse.clicked.emit()
                    else:
                        widget.reject()
                    return
            if pending[0] > 0:
                pending[0] -= 1
                QTimer.singleShot(100, step)

        pending = [50]
        QTimer.singleShot(200, step)

    actions = window.actions_
    print("ready", flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "dialogs":
            seen.clear()
            for name in ("import", "import_folder", "open", "new", "export", "codebook_export", "codebook_import"):
                if name in actions:
                    close_dialogs_later()
                    actions[name].trigger()
                    settle(0.3)
            review_open = next((a for a in window.findChildren(type(actions["import"]))
                                if a.shortcut().toString() == "Ctrl+Shift+O"), None)
            if review_open is not None:
                close_dialogs_later()
                review_open.trigger()
                settle(0.3)
            settle(0.5)
            print("dialogs-done", len(seen), flush=True)
        elif command == "label":
            doc = window.session.document
            covered = {(s.start, s.end) for s in view.spans_in_order()}
            word = next(m for m in re.finditer(r"[A-Za-z]{4,}", doc.text) if (m.start(), m.end()) not in covered)
            view.select_cp(word.start(), word.end())
            QTest.keyClick(view, Qt.Key.Key_1)
            app.processEvents()
            print("ack", len(window.session.project.spans(doc.id)), flush=True)
        elif command == "done":
            doc_id = window.session.document.id
            QTest.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
            app.processEvents()
            print("ack-done", doc_id, flush=True)
        elif command == "pid":
            print("pid", os.getpid(), flush=True)
        settle(0.05)


if __name__ == "__main__":
    main(sys.argv[1])
