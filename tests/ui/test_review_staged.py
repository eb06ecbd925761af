"""Issue #14: a colleague's project is shown at once and compared with my statements in the background.

The comparison of a large file runs while I review: here the sample files are made "large" (``SMALL = 0``) and
the background walk is held at its start until the test lets it go, so what J does before it arrives, and after,
is seen through real key presses; then the database and the file's connection are read.
"""

from __future__ import annotations

import gc
import sqlite3
import threading
import weakref

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from annotator.store import review_index
from annotator.ui.review import comparing
from tests.ui.test_review_gui import ARMS, MISSILES, bob_path, current_row, key, open_files, project, review  # noqa: F401


class Gate:
    """Holds the background walk at its start until :meth:`release` (or a cancel)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.event = threading.Event()
        self.started = threading.Event()
        real = review_index.walk

        def held(reader, cfile, start, emit, cancelled, every=0.1):  # type: ignore[no-untyped-def]
            self.started.set()
            while not self.event.wait(0.01):
                if cancelled():
                    return
            real(reader, cfile, start, emit, cancelled, every)

        monkeypatch.setattr(review_index, "walk", held)
        monkeypatch.setattr(comparing, "SMALL", 0)  # every file is compared in the background

    def release(self) -> None:
        self.event.set()


def open_held(monkeypatch, qtbot, window, review, path):  # noqa: F811
    gate = Gate(monkeypatch)
    open_files(monkeypatch, qtbot, window, path)
    assert review.files and gate.started.wait(5)
    return gate


def settle_all(qtbot, view, review):  # noqa: F811
    """R on every open item of the statement shown."""
    key(qtbot, view, Qt.Key.Key_J)
    while current_row(review) is not None and current_row(review)[4] == "open":
        key(qtbot, view, Qt.Key.Key_R)
        key(qtbot, view, Qt.Key.Key_J)


def test_the_first_statement_is_reviewed_at_once_and_j_waits_for_the_comparison(
        window, review, bob_path, qtbot, monkeypatch):  # noqa: F811
    window.open_document(ARMS)
    gate = open_held(monkeypatch, qtbot, window, review, bob_path)
    view = window.view
    assert review.panel.comparing.isVisible() or not window.isVisible()
    assert "Comparing with your statements" in review.panel.progress_text.text()
    key(qtbot, view, Qt.Key.Key_J)  # the statement shown is reviewed already
    assert current_row(review)[:2] == ("Theirs only", "Threat")
    for _ in range(3):  # the rest of this statement's open items
        key(qtbot, view, Qt.Key.Key_J)
    assert window.session.document.id == ARMS
    key(qtbot, view, Qt.Key.Key_J)  # past its last: the next statement is not compared yet
    assert window.session.document.id == ARMS
    message = window.statusBar().currentMessage()
    assert "Still comparing" in message and "J goes on by itself" in message
    gate.release()  # ... and J goes on when it arrives, as if pressed again
    qtbot.waitUntil(lambda: window.session.document.id == MISSILES, timeout=10000)
    assert current_row(review)[:2] == ("Theirs only", "Threat")
    assert "On to" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not review.index_jobs, timeout=10000)
    assert not review.panel.comparing.isVisible()


def test_another_key_drops_a_waiting_j(window, review, bob_path, qtbot, monkeypatch):  # noqa: F811
    window.open_document(ARMS)
    gate = open_held(monkeypatch, qtbot, window, review, bob_path)
    view = window.view
    for _ in range(5):
        key(qtbot, view, Qt.Key.Key_J)
    assert review.pending is not None
    key(qtbot, view, Qt.Key.Key_K)  # back to the last open item of this statement: the wish to go on is gone
    assert review.pending is None and current_row(review)[4] == "open"
    gate.release()
    qtbot.waitUntil(lambda: not review.index_jobs, timeout=10000)
    assert window.session.document.id == ARMS


def test_cancel_stops_the_comparison_and_j_says_why_it_stays(window, review, bob_path, qtbot, monkeypatch):  # noqa: F811
    window.open_document(ARMS)
    open_held(monkeypatch, qtbot, window, review, bob_path)
    (job,) = review.index_jobs.values()
    cancel = review.panel.findChild(QPushButton, "review_cancel_comparing")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not review.index_jobs, timeout=10000)
    assert not job.running and not review.panel.comparing.isVisible()
    for _ in range(5):
        key(qtbot, window.view, Qt.Key.Key_J)
    assert window.session.document.id == ARMS and review.pending is None
    assert "was stopped" in window.statusBar().currentMessage()


def test_counts_follow_decisions_while_and_after_comparing(window, review, project, bob_path, qtbot,  # noqa: F811
                                                          monkeypatch):
    window.open_document(ARMS)
    gate = open_held(monkeypatch, qtbot, window, review, bob_path)
    assert "1 with open disagreements so far" in review.panel.info.text()  # the statement shown, seen already
    settle_all(qtbot, window.view, review)  # every item of ARMS rejected (kept mine), before the walk arrives
    assert "0 with open disagreements so far" in review.panel.info.text()
    gate.release()
    qtbot.waitUntil(lambda: not review.index_jobs, timeout=10000)
    review.refresh()
    assert "1 of yours with open disagreements" in review.panel.info.text()  # MISSILES only
    rejected = project.conn.execute("SELECT count(*) FROM review_decisions WHERE doc_id = ? AND decision = 'reject'",
                                    (ARMS,)).fetchone()[0]
    assert rejected == 4
    key(qtbot, window.view, Qt.Key.Key_J)  # the walk saw MISSILES open: J goes there
    assert window.session.document.id == MISSILES
    settle_all(qtbot, window.view, review)
    key(qtbot, window.view, Qt.Key.Key_J)
    assert window.session.document.id == MISSILES
    assert "No open disagreements left" in window.statusBar().currentMessage()
    assert "0 of yours with open disagreements" in review.panel.info.text()


def test_closing_the_review_gives_the_file_back(window, review, bob_path, qtbot, monkeypatch):  # noqa: F811
    window.open_document(ARMS)
    gate = open_held(monkeypatch, qtbot, window, review, bob_path)
    (cfile,) = review.files
    conn = cfile._rows.conn
    alive = weakref.ref(cfile)
    del cfile
    review.close_review()  # while the walk is held: it is stopped, waited for, and the file closed
    gate.release()
    assert review.files == [] and review.indexes == {} and review.index_jobs == {}
    with pytest.raises(sqlite3.ProgrammingError):
        conn.execute("SELECT 1")
    del conn
    gc.collect()
    assert alive() is None  # nothing of the review holds the file any more


def test_a_damage_found_in_the_background_closes_that_file_with_a_message(window, review, bob_path, qtbot,  # noqa: F811
                                                                           monkeypatch):
    from annotator.store import connection

    monkeypatch.setattr(connection, "FULL_CHECK_BYTES", 0)  # "large": checked whole in the background
    shown = []
    monkeypatch.setattr(comparing, "error", lambda parent, title, message: shown.append((title, message)))
    conn = sqlite3.connect(bob_path)
    conn.execute("UPDATE spans SET \"end\" = 100000 WHERE id = (SELECT max(id) FROM spans)")  # past its text
    conn.commit()
    conn.close()
    window.open_document(ARMS)
    open_files(monkeypatch, qtbot, window, bob_path)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert shown[0][0] == "Cannot review the colleague file" and "outside" in shown[0][1]
    assert review.files == [] and not review.dock.isVisible()


def test_k_reaches_the_statements_before_the_one_shown_when_the_file_was_opened(
        window, review, bob_path, qtbot, monkeypatch):  # noqa: F811
    window.open_document(MISSILES)  # the walk starts here: ARMS is compared going backward
    open_held(monkeypatch, qtbot, window, review, bob_path).release()
    qtbot.waitUntil(lambda: not review.index_jobs, timeout=10000)
    view = window.view
    key(qtbot, view, Qt.Key.Key_K)  # the last open item of MISSILES
    assert window.session.document.id == MISSILES
    for _ in range(8):  # past MISSILES' first open item: on to ARMS (never "wait": the walk is done)
        key(qtbot, view, Qt.Key.Key_K)
        assert review.pending is None
        if window.session.document.id != MISSILES:
            break
    assert window.session.document.id == ARMS and current_row(review)[4] == "open"
    assert "On to" in window.statusBar().currentMessage()
