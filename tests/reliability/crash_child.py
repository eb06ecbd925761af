"""The child process of the crash harness (test_crash.py): real work, forever, until it is killed with SIGKILL.

    python crash_child.py gui PROJECT SETTINGS SEED
    python crash_child.py adjudicate PROJECT COLLEAGUE_FILE SEED
    python crash_child.py backup PROJECT SEED
    python crash_child.py restore PROJECT BACKUP_A BACKUP_B

It prints, flushed, one line per event on stdout:

- ``ready`` once set up (the parent's kill timer starts then);
- ``begin DOC`` before a change to document DOC (``*``: any document, e.g. an undo that may switch documents);
- ``ack DOC STATE`` after the change returned, where STATE is the JSON of what the window (or the store) now
  shows for DOC: ``{"spans": [[id, start, end, label], ...], "status": ..., "decisions": [...]}`` — the change is
  acknowledged, so it must survive the kill;
- ``ack-status DOC STATUS`` when only a document's status changed (as the documents list shows it);
- ``ack-file NAME`` for backups and restores (a backup made, a restore finished);
- ``error MESSAGE`` if the application reported a failure (none is expected).
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path


def say(*parts: object) -> None:
    print(*parts, flush=True)


# -- the real window ------------------------------------------------------------------------------------------------


def gui(project_path: str, settings_path: str, seed: int) -> None:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    import annotator.ui.mainwindow as mainwindow
    from annotator.store import Project

    mainwindow.error = lambda _parent, title, message: say("error", json.dumps([title, message]))
    app = QApplication([])
    project = Project.open(project_path, user="crash")
    window = mainwindow.MainWindow(project, QSettings(settings_path, QSettings.Format.IniFormat))
    window.show()
    window.activateWindow()
    view = window.view
    view.setFocus()
    deadline = time.monotonic() + 5
    while not window.isActiveWindow() and time.monotonic() < deadline:
        app.processEvents()
    rng = random.Random(seed)
    keys = {lb.key: getattr(Qt.Key, f"Key_{lb.shortcut}") for lb in window.session.labels if lb.shortcut}
    ctrl = Qt.KeyboardModifier.ControlModifier

    def ack() -> None:
        session = window.session
        doc = session.document
        if doc is None:
            return
        shown = sorted([s.id, s.start, s.end, s.label] for s in view.spans_in_order())
        say("ack", doc.id, json.dumps({"spans": shown, "status": doc.status}))

    def press(key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
        QTest.keyClick(view, key, modifiers)
        app.processEvents()

    say("ready")
    ack()
    while True:
        session = window.session
        doc = session.document
        if doc is None:
            break
        spans = view.spans_in_order()
        action = rng.choices(
            ["add", "relabel", "delete", "undo", "redo", "done", "open"], [40, 14, 14, 10, 6, 4, 12]
        )[0]
        if action == "add" or (action in ("relabel", "delete") and not spans):
            n = len(doc.text)
            start = rng.randrange(0, n - 1)
            end = rng.randrange(start + 1, min(n, start + 30) + 1)
            view.select_cp(start, end)
            say("begin", doc.id)
            press(keys[rng.choice(list(keys))], ctrl if rng.random() < 0.5 else Qt.KeyboardModifier.NoModifier)
            ack()
        elif action == "relabel":
            span = rng.choice(spans)
            other = [k for k in keys if k != span.label]
            view.select_cp(span.start, span.start)
            view.set_selected_span(span.id)
            say("begin", doc.id)
            press(keys[rng.choice(other)])
            ack()
        elif action == "delete":
            span = rng.choice(spans)
            view.select_cp(span.start, span.start)
            view.set_selected_span(span.id)
            say("begin", doc.id)
            press(Qt.Key.Key_Delete)
            ack()
        elif action in ("undo", "redo"):
            say("begin", "*")
            if action == "undo":
                press(Qt.Key.Key_Z, ctrl)
            else:
                press(Qt.Key.Key_Z, ctrl | Qt.KeyboardModifier.ShiftModifier)
            ack()
        elif action == "done":
            say("begin", doc.id)
            before = doc.id
            press(Qt.Key.Key_Return, ctrl)
            # marked done, and the next unfinished statement opens: what the documents list shows for it
            row = window.documents.model.rows[window.documents.model.row_of(before)]
            say("ack-status", before, row.status)
            ack()
        else:
            rows = window.documents.model.rows
            window.open_document(rng.choice(rows).id)
            app.processEvents()
            ack()


# -- adjudication through the store ---------------------------------------------------------------------------------


def adjudicate(project_path: str, colleague_path: str, seed: int) -> None:
    from annotator.store import Project, review

    project = Project.open(project_path, user="adjudicator")
    cfile = review.ColleagueFile.load(colleague_path)
    colleague = cfile.colleagues[0]
    pairs = cfile.align(project).pairs
    rng = random.Random(seed)
    done: list[review.Adjudication] = []

    def ack(doc_id: int) -> None:
        spans = sorted([s.id, s.start, s.end, s.label] for s in project.spans(doc_id))
        decisions = sorted([d.id, d.item_key, d.decision, d.origin] for d in review.decisions(project, doc_id))
        say("ack", doc_id, json.dumps({"spans": spans, "decisions": decisions}))

    say("ready")
    while True:
        doc_id, _sha = rng.choice(pairs)
        open_items = review.review_document(project, doc_id, cfile, colleague).open_items
        if done and (not open_items or rng.random() < 0.3):
            say("begin", "*")
            last = done.pop()
            review.undo(project, last)
            for d in {s.doc_id for s in (*last.added, *last.removed)} | {d.doc_id for d in last.decided}:
                ack(d)
            continue
        if not open_items:
            continue
        item = rng.choice(open_items)
        say("begin", doc_id)
        if rng.random() < 0.6:
            done.append(review.accept(project, doc_id, item, colleague))
        else:
            done.append(review.reject(project, doc_id, item, colleague))
        ack(doc_id)


# -- backups and restores -------------------------------------------------------------------------------------------


def backup(project_path: str, seed: int) -> None:
    from annotator.store import backups

    say("ready")
    reasons = ["periodic", "open", "manual"]
    rng = random.Random(seed)
    while True:
        made = backups.backup_file(project_path, rng.choice(reasons), keep=4)
        say("ack-file", made.name)


def restore(project_path: str, a: str, b: str) -> None:
    from annotator.store import restoring

    say("ready")
    while True:
        for which in (a, b):
            restoring.restore(project_path, which, keep=3)
            say("ack-file", Path(which).name)


def main(argv: list[str]) -> None:
    mode, *args = argv
    if mode == "gui":
        gui(args[0], args[1], int(args[2]))
    elif mode == "adjudicate":
        adjudicate(args[0], args[1], int(args[2]))
    elif mode == "backup":
        backup(args[0], int(args[1]))
    elif mode == "restore":
        restore(args[0], args[1], args[2])
    else:
        raise SystemExit(f"unknown mode {mode}")
    sys.stdin.read()  # nothing left to do: wait to be killed


if __name__ == "__main__":
    main(sys.argv[1:])
