"""Review in a large project, where the whole-project work took minutes on the window's thread at 100 000
statements: Accept All Agreed (with its undo and redo) and Export Gold JSONL run in a thread, with a progress dialog
whose bar moves through the statements; the window keeps painting; a Cancel leaves the project and the folder as
they were."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt

from annotator.core.model import IncomingDocument
from annotator.store import Project
from annotator.store.transfer import export_project
from annotator.ui import filedialogs
from annotator.ui.files import job
from annotator.ui.review import controller as review_ui
from tests.ui.conftest import cancel_once, gaps_while_shown, watch_progress, window_over

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
WORDS = "strongly condemn"


def _docs(n: int) -> list[IncomingDocument]:
    return [IncomingDocument(f"Statement {i}: we {WORDS} the launch 😀,\r\nand call for talks.", f"s{i:04}")
            for i in range(n)]


def _colleague(tmp_path, name: str, docs: list[IncomingDocument]):
    """A colleague's export (JSON Lines) of the same statements, "strongly condemn" labelled Threat in each."""
    with Project.open(tmp_path / f"{name}-project.sqlite", create=True, user=name, populate=docs) as p:
        for d in p.documents():
            start = p.document(d.id).text.index(WORDS)
            p.add_span(d.id, start, start + len(WORDS), "threat")
        export_project(p, "jsonl", tmp_path / f"{name}.jsonl")
    return tmp_path / f"{name}.jsonl"


def held_until_clicked(step, clicked: list[str]):  # type: ignore[no-untyped-def]
    """``step`` (the work's progress, in its thread), held from its fourth call until the test has clicked Cancel:
    on a loaded machine the work could otherwise end before the click."""
    calls = [0]

    def held(*args):  # type: ignore[no-untyped-def]
        calls[0] += 1
        deadline = time.monotonic() + 20
        while calls[0] > 3 and not clicked and time.monotonic() < deadline:
            time.sleep(0.005)
        return step(*args)

    return held


def _threats(project) -> int:
    return project.conn.execute("SELECT count(*) FROM spans WHERE label = 'threat'").fetchone()[0]


def test_accept_all_agreed_in_a_large_project_runs_in_a_thread_cancel_keeps_nothing_undo_redo_too(
        qtbot, tmp_path, monkeypatch):
    n = review_ui.ACCEPT_ALL_IN_PLACE + 150
    docs = _docs(n)
    paths = [str(_colleague(tmp_path, name, docs)) for name in ("bob", "carol")]
    with window_over(qtbot, tmp_path, docs) as (win, project):
        review = review_ui.install(win)
        monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: paths)
        qtbot.keyClick(win.view, Qt.Key.Key_O, CTRL | SHIFT)  # Review ▸ Open Colleague File…
        qtbot.waitUntil(lambda: len(review.colleagues()) == 2, timeout=10000)
        qtbot.waitUntil(lambda: all(ix.finished for ix in review.indexes.values()), timeout=30000)
        assert f"{n} of yours with open disagreements" in review.panel.info.text()
        accept = review.actions["review_accept_agreed"]
        clicked: list[str] = []
        step = job.step
        monkeypatch.setattr(job, "step", held_until_clicked(step, clicked))
        timer, seen = watch_progress(win, cancel_once(qtbot, clicked, under_way=True))
        accept.trigger()
        timer.stop()
        monkeypatch.setattr(job, "step", step)
        assert clicked and "two or more colleagues agree" in clicked[0]
        assert _threats(project) == 0 and win.session.undo_stack.count() == 0
        assert "cancelled, nothing was changed" in win.statusBar().currentMessage()
        timer, seen = watch_progress(win)
        accept.trigger()
        assert _threats(project) == n and win.session.undo_stack.undoText() == "Accept all agreed spans"
        assert f"Accepted {n} agreed span(s)" in win.statusBar().currentMessage()
        steps = [v for v, top in seen["values"] if top == n]
        assert len(set(steps)) > 2, seen["values"]  # the bar moved through the statements
        # the count says what it holds: the others as compared before, n - 1 changed since (the one shown reviewed)
        info = review.panel.info.text()
        assert f"{n - 1} of yours with open disagreements as compared ({n - 1} changed since" in info
        qtbot.waitUntil(win.isActiveWindow)
        qtbot.keyClick(win.view, Qt.Key.Key_J)  # J looks at each changed one again: none is open now
        assert "changed since" not in review.panel.info.text()
        assert "0 of yours with open disagreements" in review.panel.info.text()
        qtbot.waitUntil(win.isActiveWindow)  # back from the progress dialog (activation is asynchronous)
        qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)
        assert _threats(project) == 0
        qtbot.waitUntil(win.isActiveWindow)
        qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL | SHIFT)
        timer.stop()
        assert _threats(project) == n
        assert {"Taking them back…", "Accepting them again…"} <= set(seen["labels"])
        gaps = gaps_while_shown(seen)
        assert len(gaps) > 10 and max(gaps) < 0.25, gaps


def test_the_gold_export_of_a_large_project_runs_in_a_thread_and_its_cancel_writes_nothing(
        qtbot, tmp_path, monkeypatch):
    """Review ▸ Export Gold JSONL compares every statement with every colleague again (minutes at 100 000
    statements, with a wait cursor on the window's thread until now): a thread writes it with a progress bar; a
    Cancel leaves no file; to the end, the file is what the store writes."""
    from annotator.store import gold as store

    n = review_ui.ACCEPT_ALL_IN_PLACE + 150
    docs = _docs(n)
    paths = [str(_colleague(tmp_path, name, docs)) for name in ("bob", "carol")]
    gold = tmp_path / "out" / "gold.jsonl"
    gold.parent.mkdir()
    with window_over(qtbot, tmp_path, docs) as (win, project):
        review = review_ui.install(win)
        monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: paths)
        monkeypatch.setattr(filedialogs, "save_file", lambda *a, **k: str(gold))
        qtbot.keyClick(win.view, Qt.Key.Key_O, CTRL | SHIFT)  # Review ▸ Open Colleague File…
        qtbot.waitUntil(lambda: len(review.colleagues()) == 2, timeout=10000)
        clicked: list[str] = []
        write_gold = store.write_gold
        monkeypatch.setattr(store, "write_gold", lambda project, target, files, step: write_gold(
            project, target, files, held_until_clicked(step, clicked)))
        timer, seen = watch_progress(win, cancel_once(qtbot, clicked, under_way=True))
        review.actions["review_gold"].trigger()
        timer.stop()
        monkeypatch.setattr(store, "write_gold", write_gold)
        assert clicked == ["Writing gold.jsonl…"]
        assert list(gold.parent.iterdir()) == []
        assert "cancelled, nothing was written" in win.statusBar().currentMessage()
        def paced(step):  # type: ignore[no-untyped-def]
            def each(*args):  # type: ignore[no-untyped-def]
                time.sleep(0.001)  # a statement takes a millisecond: the 10 ms watch sees the bar move (in CI the
                return step(*args)  # whole export once ran between two of its ticks)
            return each

        monkeypatch.setattr(store, "write_gold", lambda project, target, files, step: write_gold(
            project, target, files, paced(step)))
        timer, seen = watch_progress(win)
        review.actions["review_gold"].trigger()
        timer.stop()
        monkeypatch.setattr(store, "write_gold", write_gold)
        assert f"Wrote {n} statement(s)" in win.statusBar().currentMessage()
        assert len({v for v, top in seen["values"] if top == n}) > 2  # the bar moved through the statements
        expected = tmp_path / "expected.jsonl"
        store.write_gold(project, expected, review.files)
        assert gold.read_bytes() == expected.read_bytes()
