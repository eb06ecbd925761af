"""The Documents filter in two steps through the real widgets (issue 12): the first page of a text filter is shown at
once and the count says the rest is being listed; the whole list and count arrive from a thread and equal what the
one-step list gives; typing more while the rest loads cancels it; a status chosen with the text still holds."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import IncomingDocument
from annotator.store import listing
from annotator.ui.search import docfilter
from tests.hostile import PIECES
from tests.ui.conftest import window_over

FIRST = 4


def _docs() -> list[IncomingDocument]:
    """30 statements of hostile text; 20 say "ironclad" (some as "IRONCLAD pledge"), next to hostile pieces."""
    docs = []
    for i in range(30):
        piece = PIECES[i % len(PIECES)]
        said = ("IRONCLAD pledge" if i % 3 == 0 else "ironclad") if i % 3 != 1 else "nothing"
        docs.append(IncomingDocument(f"{piece} {said}{piece}\r\n{piece} line {i} 😀", f"t{i} {piece}"))
    return docs


@pytest.fixture
def held(monkeypatch):
    """The filter's thread waits (before it lists) until the test lets it go; the window's own listing does not."""
    go = threading.Event()
    real = listing.ids

    def ids(*args, **kw):  # type: ignore[no-untyped-def]
        if threading.current_thread() is not threading.main_thread():
            assert go.wait(10)
        return real(*args, **kw)

    monkeypatch.setattr(listing, "ids", ids)
    monkeypatch.setattr(docfilter, "FIRST_PAGE", FIRST)
    monkeypatch.setattr(docfilter, "AT_ONCE", 0)  # 30 statements would be listed whole at once
    yield go
    go.set()


def _shown(window) -> list[int]:
    model = window.documents.table.model()
    return [model.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(model.rowCount())]


def _type(qtbot, window, text: str) -> None:
    box = window.documents.search
    box.setFocus()
    qtbot.keyClicks(box, text)
    qtbot.waitUntil(lambda: not window.documents._debounce.isActive())


def test_first_page_at_once_then_the_whole_list_and_its_count(qtbot, tmp_path, held):
    with window_over(qtbot, tmp_path, _docs()) as (window, project):
        _type(qtbot, window, "ironclad")
        whole = project.documents(search="ironclad").ids
        assert len(whole) == 20
        first = _shown(window)  # shown before the rest is listed: statements saying "ironclad" as a whole word
        assert len(first) == FIRST and first == sorted(first) and set(first) <= set(whole)
        assert first != whole[:FIRST]  # "ironcladThreat" (a hostile neighbour glued on) waits for the whole list
        count = window.documents.count
        assert count.isVisible() and count.text() == "listing… the first 4 of 30 statements shown"
        assert window.doc_filter.running is not None
        held.set()
        qtbot.waitUntil(lambda: window.doc_filter.running is None)
        qtbot.waitUntil(lambda: len(_shown(window)) == 20)
        assert _shown(window) == whole
        assert count.text() == "20 of 30 statements listed"
        # Enter on a row opens that statement: the rows after the first page are real rows
        window.documents.table.setCurrentIndex(window.documents.model.index(15, 0))
        assert window.session.document.id == whole[15]
        window.documents.search.clear()
        qtbot.waitUntil(lambda: len(_shown(window)) == 30)
        assert count.isVisible() and count.text() == "30 statements"


def test_typing_more_while_the_rest_loads_cancels_it(qtbot, tmp_path, held, monkeypatch):
    completed = []
    with window_over(qtbot, tmp_path, _docs()) as (window, project):
        real = window.list_complete
        monkeypatch.setattr(window, "list_complete", lambda key, listed: (completed.append(key[1]), real(key, listed)))
        _type(qtbot, window, "iron")
        first = window.doc_filter.running
        # no statement says "iron" as a whole word: the first page is empty, the whole list will have "ironclad"
        assert first is not None and _shown(window) == []
        assert window.documents.count.text() == "listing… the first 0 of 30 statements shown"
        qtbot.keyClicks(window.documents.search, "clad pl")  # "ironclad pl": the 10 "IRONCLAD pledge" ones
        assert first.cancelled and window.doc_filter.running is None  # at the first key, not after the pause
        qtbot.waitUntil(lambda: not window.documents._debounce.isActive())
        held.set()
        qtbot.waitUntil(lambda: window.doc_filter.running is None and not window.doc_filter._threads, timeout=10000)
        whole = project.documents(search="ironclad pl").ids
        assert len(whole) == 10 and _shown(window) == whole
        assert completed == ["ironclad pl"]  # the cancelled filter's list never reached the window
        assert window.documents.count.text() == "10 of 30 statements listed"


def test_a_status_with_the_text_filter(qtbot, tmp_path, held):
    with window_over(qtbot, tmp_path, _docs()) as (window, project):
        ids = [d.id for d in project.documents()]
        for doc_id in ids[::2]:
            project.set_status(doc_id, "done")
        combo = window.documents.status
        combo.setCurrentIndex(combo.findData("done"))
        _type(qtbot, window, "ironclad")
        whole = project.documents(status="done", search="ironclad").ids
        assert len(whole) > FIRST
        first = _shown(window)
        assert len(first) == FIRST and first == sorted(first) and set(first) <= set(whole)
        held.set()
        qtbot.waitUntil(lambda: window.doc_filter.running is None)
        qtbot.waitUntil(lambda: _shown(window) == whole)
        assert window.documents.count.text() == f"{len(whole)} of 30 statements listed"
        combo.setCurrentIndex(combo.findData("todo"))  # another status: listed again, the rest from the thread
        todo = project.documents(status="todo", search="ironclad").ids
        qtbot.waitUntil(lambda: window.doc_filter.running is None)
        qtbot.waitUntil(lambda: _shown(window) == todo)
        assert set(todo).isdisjoint(whole) and len(todo) + len(whole) == 20


def test_a_first_page_that_missed_a_longer_word_is_put_right_by_the_whole_list(qtbot, tmp_path, held):
    docs = [IncomingDocument(f"in accordance {w} the rules {i}", f"s{i}")
            for i, w in enumerate(["within", "with", "without", "with", "with", "withal", "with", "with", "x"])]
    with window_over(qtbot, tmp_path, docs) as (window, project):
        _type(qtbot, window, "accordance with")
        ids = [d.id for d in project.documents()]
        assert _shown(window) == [ids[i] for i in (1, 3, 4, 6)]  # "with" whole: the first page
        held.set()
        qtbot.waitUntil(lambda: window.doc_filter.running is None)
        qtbot.waitUntil(lambda: len(_shown(window)) == 8)
        assert _shown(window) == ids[:8] == project.documents(search="accordance with").ids
        assert window.documents.count.text() == "8 of 9 statements listed"


def test_a_small_project_is_listed_whole_at_once(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, _docs()) as (window, project):
        _type(qtbot, window, "iron")
        assert window.doc_filter.running is None
        assert _shown(window) == project.documents(search="iron").ids and len(_shown(window)) == 20
        assert window.documents.count.text() == "20 of 30 statements listed"


def test_a_filter_the_index_cannot_answer_scans_in_the_thread(qtbot, tmp_path, held):
    with window_over(qtbot, tmp_path, _docs()) as (window, project):
        window.documents.search.insert("😀")  # no word: the scan, off the window's thread (QTest cannot type it)
        qtbot.waitUntil(lambda: not window.documents._debounce.isActive())
        assert _shown(window) == [] and window.doc_filter.running is not None
        held.set()
        qtbot.waitUntil(lambda: window.doc_filter.running is None)
        qtbot.waitUntil(lambda: len(_shown(window)) == 30)
        assert _shown(window) == project.documents(search="😀").ids


def test_a_damaged_index_still_lists_in_the_window_by_the_scan(qtbot, tmp_path, held):
    """A project whose index pages are garbage (a file damaged outside the app): the first page is empty, not a
    traceback, and the thread's list falls back to the scan and equals the one-step list."""
    with window_over(qtbot, tmp_path, _docs()) as (window, project):
        with project._write("damage"):
            project.conn.execute("UPDATE search_fts_data SET block = x'00ff00ff' WHERE id > 10")
        _type(qtbot, window, "ironclad")
        assert _shown(window) == [] and window.doc_filter.running is not None
        held.set()
        qtbot.waitUntil(lambda: window.doc_filter.running is None)
        whole = project.documents(search="ironclad").ids
        qtbot.waitUntil(lambda: _shown(window) == whole)
        assert len(whole) == 20 and window.documents.count.text() == "20 of 30 statements listed"


def test_with_the_list_sorted_the_filter_shows_its_whole_list_in_order_in_one_step(qtbot, tmp_path, held):
    """Sorted by Title, the first page (the first matches by import order) would be replaced by the whole list's
    first rows: the list stays as it was until the whole list comes, then shows it sorted."""
    from tests.ui.test_list_order import _click_header

    with window_over(qtbot, tmp_path, _docs()) as (window, project):
        _click_header(qtbot, window, 0)  # 30 statements: the order is read at once
        before = _shown(window)
        titles = {d.id: d.title for d in project.documents()}
        _type(qtbot, window, "ironclad")
        assert _shown(window) == before  # nothing of the filter shown yet, nothing moved
        assert window.documents.count.text() == "listing the statements that hold “ironclad”…"
        held.set()
        qtbot.waitUntil(lambda: window.doc_filter.running is None)
        whole = set(project.documents(search="ironclad").ids)
        assert _shown(window) == [i for i in before if i in whole]  # the title order, filtered
        assert [titles[i] for i in _shown(window)] == [titles[i] for i in before if i in whole]
        assert window.documents.count.text() == "20 of 30 statements listed"
        # statements imported meanwhile: the list read again, in one step, and the count of the project's at once
        project.import_documents([IncomingDocument("one more ironclad text", "t30"), IncomingDocument("another", "z")])
        window.documents_changed(statements_added=True)
        assert window.progress_label.text().startswith("0 of 32 done")
        qtbot.waitUntil(lambda: window.doc_filter.running is None)
        assert window.documents.count.text() == "21 of 32 statements listed"
