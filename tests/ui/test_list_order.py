"""The Documents list sorted by a header click, through the real header (issue #14, and a newcomer's s1, s10, s2):
titles in natural order, the selection kept, and at any size no row read to sort -- a large project's order is read
off the window's thread, and used again by every filter until the project changes."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from PySide6.QtCore import QPoint, Qt

from annotator.core.model import IncomingDocument
from annotator.store import listing
from annotator.ui.doclist import order as listorder
from tests.hostile import PIECES
from tests.ui.conftest import window_over

#: as imported; sorted by title: s1, s2 (both, by import order), S3, s10, statement 2, Statement 10, the emoji one
TITLES = ["s10", "s2", "S3", "s1", "statement 2", "Statement 10", "😀 s1", "s2"]
NATURAL = [3, 1, 7, 2, 0, 4, 5, 6]  # the rows' import positions in natural order


def _docs() -> list[IncomingDocument]:
    return [IncomingDocument(f"text {i} {PIECES[i % len(PIECES)]}\r\nthreat", title) for i, title in enumerate(TITLES)]


def _titles(window) -> list[str]:
    model = window.documents.table.model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def _listed(window) -> list[int]:
    model = window.documents.table.model()
    return [model.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(model.rowCount())]


def _click_header(qtbot, window, section: int) -> None:
    header = window.documents.table.horizontalHeader()
    pos = QPoint(header.sectionViewportPosition(section) + header.sectionSize(section) // 2, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_a_title_click_sorts_numbers_by_value_and_keeps_the_open_statement_selected(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, _docs()) as (window, project):
        ids = [d.id for d in project.documents()]
        window.open_document(ids[3])  # "s1"
        table = window.documents.table
        _click_header(qtbot, window, 0)
        assert _listed(window) == [ids[n] for n in NATURAL]
        assert table.currentIndex().row() == 0 == window.documents.model.row_of(ids[3])
        _click_header(qtbot, window, 0)  # descending: the same order backwards
        assert _listed(window) == [ids[n] for n in reversed(NATURAL)]
        assert table.currentIndex().row() == len(TITLES) - 1 == window.documents.model.row_of(ids[3])
        window.open_document(ids[7])  # the second "s2", second from the end
        qtbot.keyClick(window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)  # the next row
        assert window.session.document.id == ids[1]
        assert table.currentIndex().row() == len(TITLES) - 2 == window.documents.model.row_of(ids[1])


def test_a_third_click_on_the_same_header_puts_the_list_back_in_import_order(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, _docs()) as (window, project):
        ids = [d.id for d in project.documents()]
        window.open_document(ids[3])  # "s1"
        table, header = window.documents.table, window.documents.table.horizontalHeader()
        for _ in range(3):  # ascending, descending, none
            _click_header(qtbot, window, 0)
        assert header.sortIndicatorSection() == -1 and window.documents.model.sorted_by() is None
        assert _listed(window) == ids
        assert table.currentIndex().row() == 3 == window.documents.model.row_of(ids[3])
        qtbot.keyClick(window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)  # the next imported
        assert window.session.document.id == ids[4]
        status = window.documents.status  # a filter keeps import order too
        status.setCurrentIndex(status.findData("todo"))
        assert _listed(window) == ids
        status.setCurrentIndex(0)
        _click_header(qtbot, window, 2)  # another column sorts again from its first click
        assert header.sortIndicatorSection() == 2 and window.documents.model.sorted_by() == 2


def test_a_third_click_while_a_large_projects_order_is_read_leaves_import_order(qtbot, tmp_path, held):
    go, reads = held
    with window_over(qtbot, tmp_path, _docs()) as (window, project):
        ids = [d.id for d in project.documents()]
        for _ in range(3):
            _click_header(qtbot, window, 0)
        go.set()
        qtbot.waitUntil(lambda: not window.list_order._running)
        qtbot.wait(20)
        assert reads == ["title"] and _listed(window) == ids  # the order arrived after the list went back


def test_status_and_span_columns_sort_by_their_values_ties_by_import_order(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, _docs()) as (window, project):
        ids = [d.id for d in project.documents()]
        project.set_status(ids[5], "done")
        project.set_status(ids[2], "in_progress")
        project.add_span(ids[6], 0, 4, "threat")
        project.add_span(ids[6], 5, 6, "threat")
        project.add_span(ids[1], 0, 4, "threat")
        window.documents_changed()
        _click_header(qtbot, window, 1)
        started = [ids[1], ids[2], ids[6]]  # a span starts a statement
        assert _listed(window) == [ids[5], *started] + [i for i in ids if i not in (ids[5], *started)]  # done first
        _click_header(qtbot, window, 2)
        assert _listed(window) == [i for i in ids if i not in (ids[1], ids[6])] + [ids[1], ids[6]]  # 0, 0 …, 1, 2


@pytest.fixture
def held(monkeypatch):
    """Orders are read in a thread (any size), and the thread waits until the test lets it go."""
    go = threading.Event()
    real = listing.order
    reads: list[str] = []

    def order(conn, column):  # type: ignore[no-untyped-def]
        assert threading.current_thread() is not threading.main_thread(), "an order read on the window's thread"
        reads.append(column)
        assert go.wait(10)
        return real(conn, column)

    monkeypatch.setattr(listing, "order", order)
    monkeypatch.setattr(listorder, "AT_ONCE", 0)
    yield go, reads
    go.set()


def test_a_large_projects_order_is_read_off_the_window_thread_and_serves_every_filter_after(qtbot, tmp_path, held):
    go, reads = held
    with window_over(qtbot, tmp_path, _docs()) as (window, project):
        ids = [d.id for d in project.documents()]
        bar = window.statusBar()
        _click_header(qtbot, window, 0)
        assert _titles(window) == TITLES  # as listed until the order is read
        assert "Sorting the statements by Title" in bar.currentMessage()
        status = window.documents.status
        status.setCurrentIndex(status.findData("todo"))  # a filter meanwhile waits for the same order
        status.setCurrentIndex(0)
        go.set()
        qtbot.waitUntil(lambda: _titles(window)[:2] == ["s1", "s2"])
        assert bar.currentMessage() == "" and reads == ["title"]
        project.set_status(ids[1], "done")  # "s2"; an order by title holds whatever the statuses
        status.setCurrentIndex(status.findData("todo"))
        assert _titles(window)[:2] == ["s1", "s2"] and len(_titles(window)) == len(TITLES) - 1  # at once
        status.setCurrentIndex(0)
        assert _titles(window)[:3] == ["s1", "s2", "s2"]
        qtbot.waitUntil(lambda: not window.list_order._running)  # the write read the order again
        assert reads == ["title", "title"]
        # statements imported meanwhile are listed last until the order is read again, then in their place
        go.clear()
        project.import_documents([IncomingDocument("another text", "s0")])
        window.documents_changed(statements_added=True)
        assert _titles(window)[-1] == "s0"
        added = _listed(window)[-1]
        go.set()
        qtbot.waitUntil(lambda: _titles(window)[0] == "s0")
        assert window.documents.model.row_of(added) == 0


@pytest.mark.parametrize("reading", [True, False], ids=["while read", "before its thread starts"])
def test_closing_the_window_while_its_order_is_read_ends_its_thread(qtbot, tmp_path, held, reading):
    go, reads = held
    with window_over(qtbot, tmp_path, _docs()) as (window, _project):
        _click_header(qtbot, window, 0)
        if reading:
            qtbot.waitUntil(lambda: reads == ["title"])
            threading.Timer(0.3, go.set).start()  # the close waits for the thread's read to end
        window.close()
        threads = window.list_order._threads
        assert threads and not any(t.isRunning() for t in threads)
        qtbot.wait(50)  # a start queued a turn after the click is not made after the close
        assert not any(t.isRunning() for t in threads) and reads == (["title"] if reading else [])


def test_an_order_that_cannot_be_read_says_so_and_leaves_the_list_as_it_was(qtbot, tmp_path, monkeypatch):
    def broken(conn, column):  # type: ignore[no-untyped-def]
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(listing, "order", broken)
    monkeypatch.setattr(listorder, "AT_ONCE", 0)
    with window_over(qtbot, tmp_path, _docs()) as (window, _project):
        _click_header(qtbot, window, 0)
        bar = window.statusBar()
        qtbot.waitUntil(lambda: "could not be sorted by Title" in bar.currentMessage())
        assert "input/output error" in bar.currentMessage() and _titles(window) == TITLES  # said in plain words


def test_a_second_column_clicked_while_its_order_is_read_keeps_every_row_found(qtbot, tmp_path, held):
    """The rows stay in the first column's order while the second's is read: found there, not by a bisect of ids
    that are no longer ascending (the selection was lost and Ctrl+PgDown went to row 0; a reviewer, stop 36)."""
    go, _ = held
    with window_over(qtbot, tmp_path, _docs()) as (window, project):
        ids = [d.id for d in project.documents()]
        project.set_status(ids[0], "done")
        project.set_status(ids[7], "in_progress")
        window.documents_changed()
        model, table = window.documents.model, window.documents.table
        go.set()
        _click_header(qtbot, window, 1)
        qtbot.waitUntil(lambda: not window.list_order._running)
        window.open_document(ids[7])
        go.clear()
        _click_header(qtbot, window, 0)  # Title: its order is being read
        shown = _listed(window)
        assert [model.row_of(i) for i in shown] == list(range(len(shown)))
        assert table.currentIndex().row() == shown.index(ids[7])
        qtbot.keyClick(window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        assert window.session.document.id == shown[shown.index(ids[7]) + 1]
        go.set()
        qtbot.waitUntil(lambda: not window.list_order._running)
        assert _listed(window) == [ids[n] for n in NATURAL]
        assert table.currentIndex().row() == _listed(window).index(window.session.document.id)


def test_what_else_the_status_bar_says_stays_when_the_order_arrives(qtbot, tmp_path, held):
    go, _ = held
    with window_over(qtbot, tmp_path, _docs()) as (window, _project):
        bar = window.statusBar()
        _click_header(qtbot, window, 0)
        bar.showMessage("x.sqlite opened read-only: another window edits it", 15000)
        go.set()
        qtbot.waitUntil(lambda: not window.list_order._running)
        assert bar.currentMessage() == "x.sqlite opened read-only: another window edits it"


def test_another_project_opened_is_sorted_by_its_own_titles_and_no_thread_outlives_the_old(qtbot, tmp_path, held):
    go, _ = held
    other = tmp_path / "other.sqlite"
    from annotator.store import Project

    Project.open(other, create=True, user="ana", populate=[IncomingDocument(f"other {t}", t)
                                                           for t in ("b10", "b9", "a1")]).close()
    with window_over(qtbot, tmp_path, _docs()) as (window, _project):
        go.set()
        _click_header(qtbot, window, 0)
        qtbot.waitUntil(lambda: _titles(window)[:2] == ["s1", "s2"])
        go.clear()
        _click_header(qtbot, window, 0)  # descending: known at once, no read
        assert window.open_project(other)
        assert not any(t.isRunning() for t in window.list_order._threads)  # the old project's: none began
        go.set()
        qtbot.waitUntil(lambda: _titles(window) == ["b10", "b9", "a1"])  # its own order, descending


def test_a_filter_thread_cancelled_before_it_starts_is_let_go(qtbot, tmp_path, monkeypatch):
    from annotator.ui.search import docfilter

    monkeypatch.setattr(docfilter, "AT_ONCE", 0)
    with window_over(qtbot, tmp_path, _docs()) as (window, _project):
        window.documents.search.setText("text")
        qtbot.waitUntil(lambda: not window.doc_filter._threads)
        for _ in range(3):
            window.documents_changed()
            window.documents_changed()  # two in one turn: the first thread is cancelled before it starts
        qtbot.waitUntil(lambda: not window.doc_filter._threads)


def test_a_command_line_import_of_files_not_made_here_is_sorted_into_the_open_windows_list(qtbot, tmp_path, held):
    """A second process writes (``annotator import`` of Prodigy recipes' own example file and a text file) while the
    window's list is sorted by Title through its thread: the window notices, reads the order again, and lists the
    new statements in their natural places, the open statement still selected."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from annotator.core.text import natural_key

    go, reads = held
    go.set()
    root = Path(__file__).resolve().parents[2]
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    prodigy = root / "tests/formats/data/prodigy/github-issues-DOCUMENTATION-textcat-head.jsonl"
    shutil.copy(prodigy, incoming / "s5.jsonl")
    (incoming / "s0.txt").write_text("A statement imported from the command line.\r\n", "utf-8")
    with window_over(qtbot, tmp_path, _docs()) as (window, project):
        window.open_document(project.documents()[3].id)  # "s1"
        _click_header(qtbot, window, 0)
        qtbot.waitUntil(lambda: _titles(window)[:2] == ["s1", "s2"])
        result = subprocess.run([sys.executable, "-m", "annotator", "import", str(project.path), str(incoming)],
                                capture_output=True, text=True, timeout=60,
                                env={**os.environ, "PYTHONPATH": str(root)})
        assert result.returncode == 0, result.stderr
        qtbot.waitUntil(lambda: len(_titles(window)) > len(TITLES) and _titles(window)[0] == "s0", timeout=10_000)
        shown = _titles(window)
        assert shown == sorted(shown, key=lambda t: (natural_key(t), t)) and reads.count("title") >= 2
        assert window.documents.table.currentIndex().row() == shown.index("s1")
