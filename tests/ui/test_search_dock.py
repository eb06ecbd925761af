"""The Search dock through the real widgets (issue 12): find every statement saying "ironclad", label every hit
as Commitment with one key press, undo it; open a hit with Enter and label it from the statement; filters;
a malformed query is one line in the dock; typing is never held up by a search."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from annotator.core.model import IncomingDocument
from annotator.core.search.hits import Hit
from annotator.core.search.query import parse as parse_query
from annotator.store import Project
from annotator.store.transfer import import_paths
from tests.ui.conftest import show_window

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
SAMPLES = Path(__file__).resolve().parents[2] / "sample_docs"
EXTRA = [
    IncomingDocument("Our alliance is IRONCLAD. Ironclad, and again ironclad.", "extra one"),
    IncomingDocument("Nothing here says it.\r\nStill nothing 😀.", "extra two", note="memo: ironclad pledge"),
]


@pytest.fixture
def corpus(tmp_path):
    project = Project.open(tmp_path / "p.sqlite", create=True, user="tester")
    import_paths(project, [str(SAMPLES)])
    project.import_documents(EXTRA)
    yield project
    project.close()


@pytest.fixture
def win(qtbot, corpus, tmp_path):
    from annotator.ui.mainwindow import MainWindow

    return show_window(qtbot, MainWindow(corpus, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))


def _search(qtbot, win, text):
    qtbot.keyClick(win.view, Qt.Key.Key_F, CTRL | SHIFT)
    controller = win.search
    box = controller.panel.query
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.running is None, timeout=10000)
    return controller


def _spans(project, label):
    return project.conn.execute('SELECT doc_id, start, "end" FROM spans WHERE label = ? ORDER BY doc_id, start',
                                (label,)).fetchall()


def test_find_every_ironclad_label_all_hits_in_one_key_press_and_undo(qtbot, win, corpus):
    controller = _search(qtbot, win, "ironclad")
    model = controller.model
    texts = {d.id: corpus.document(d.id).text for d in corpus.documents()}
    expected = sorted((i, t.lower().find("ironclad", s)) for i, t in texts.items()
                      for s in range(len(t)) if t.lower().startswith("ironclad", s) and
                      (s == 0 or not t[s - 1].isalnum()) and t.lower().find("ironclad", s) == s)
    text_hits = [(h.doc_id, h.start) for h in model.rows if not h.in_memo]
    assert sorted(text_hits) == expected and len(expected) == 4  # 1 in the samples, 3 in "extra one"
    assert any(h.in_memo for h in model.rows)  # the memo of "extra two" is searched, and marked
    assert "(memo)" in [model.index(r, 0).data() for r in range(model.rowCount())][-1]
    assert controller.panel.counts.text().startswith(f"{model.rowCount()} hit(s) in 3 statement(s)")
    for h in model.rows:  # the contexts and the hit are the statement's own characters
        source = texts[h.doc_id] if not h.in_memo else corpus.document(h.doc_id).note
        assert source[h.start : h.end] == h.match and source[: h.start].endswith(h.left)
    assert controller.panel.table.hasFocus()  # Enter in the box took the keyboard to the hits
    qtbot.keyClick(controller.panel.table, Qt.Key.Key_A, CTRL)
    before = corpus.conn.execute("SELECT count(*) FROM history").fetchone()[0]
    qtbot.keyClick(controller.panel.table, Qt.Key.Key_2)  # Commitment
    assert [(d, s) for d, s, _e in _spans(corpus, "commitment")] == expected
    assert all(texts[d][s:e].lower() == "ironclad" for d, s, e in _spans(corpus, "commitment"))
    assert "Labelled 4 hit(s)" in win.statusBar().currentMessage()
    assert "1 in memos" in win.statusBar().currentMessage()
    assert corpus.conn.execute("SELECT count(*) FROM history").fetchone()[0] == before + 4
    assert win.undo_group.undoText().startswith("Label 5 hit(s)")
    # the filter: not yet labelled leaves none of the text hits; labelled Commitment shows them
    combo = controller.panel.filter
    combo.setCurrentIndex(combo.findData("commitment"))
    assert model.rowCount() == 4
    combo.setCurrentIndex(combo.findData(""))
    assert model.rowCount() == 0
    combo.setCurrentIndex(0)
    # pressing the key again skips every hit: nothing is added, no undo step
    qtbot.keyClick(controller.panel.table, Qt.Key.Key_A, CTRL)
    qtbot.keyClick(controller.panel.table, Qt.Key.Key_2)
    assert len(_spans(corpus, "commitment")) == 4
    assert "4 already labelled, skipped" in win.statusBar().currentMessage()
    # one undo takes the whole step back
    qtbot.keyClick(controller.panel.table, Qt.Key.Key_Z, CTRL)
    assert _spans(corpus, "commitment") == []
    assert {d.status for d in corpus.documents()} == {"todo"}
    qtbot.keyClick(controller.panel.table, Qt.Key.Key_Z, CTRL | SHIFT)
    assert [(d, s) for d, s, _e in _spans(corpus, "commitment")] == expected


def test_enter_opens_the_hit_selected_and_a_label_key_labels_it(qtbot, win, corpus):
    controller = _search(qtbot, win, '"again ironclad"')
    assert controller.model.rowCount() == 1
    hit = controller.model.hit(0)
    qtbot.keyClick(controller.panel.table, Qt.Key.Key_Return)
    assert win.session.document.id == hit.doc_id
    assert win.view.hasFocus() and win.view.selection_cp() == (hit.start, hit.end)
    qtbot.keyClick(win.view, Qt.Key.Key_1)  # Threat, from the statement itself
    assert _spans(corpus, "threat") == [(hit.doc_id, hit.start, hit.end)]


def test_diacritics_folded_or_exact_and_a_regex(qtbot, win, corpus):
    corpus.import_documents([IncomingDocument("Il boit de l'évian. Puis de l'EVIAN.", "eau")])
    controller = _search(qtbot, win, "ÉVIAN")
    assert [h.match for h in controller.model.rows] == ["évian", "EVIAN"]
    controller.panel.exact.setChecked(True)
    qtbot.waitUntil(lambda: controller.model.rowCount() == 1 and controller.running is None, timeout=10000)
    assert controller.model.hit(0).match == "évian"
    controller.panel.exact.setChecked(False)
    controller.panel.regex.setChecked(True)
    controller.panel.query.setText(r"iron\w+ and")
    qtbot.waitUntil(lambda: controller.running is None and [h.match for h in controller.model.rows]
                    == ["ironclad and"], timeout=10000)


def test_a_malformed_query_is_one_line_in_the_dock(qtbot, win):
    controller = _search(qtbot, win, "ironclad AND")
    assert controller.panel.problem.isVisible()
    assert "malformed" in controller.panel.problem.text() and "\n" not in controller.panel.problem.text()
    assert controller.model.rowCount() == 0
    controller.panel.query.setText('"ironclad')
    qtbot.waitUntil(lambda: "unclosed quote" in controller.panel.problem.text(), timeout=5000)
    controller.panel.regex.setChecked(True)
    controller.panel.query.setText("(a")
    qtbot.waitUntil(lambda: "regular expression is malformed" in controller.panel.problem.text(), timeout=5000)


def test_typing_in_the_box_never_waits_for_the_search(qtbot, win, monkeypatch):
    """A key press only restarts a timer: the search runs after a pause, in another thread, and a new key cancels
    the one running (the time a key press takes is measured by ``bench_search``, not asserted here)."""
    import threading

    from annotator.store import search as store_search

    threads: list[str] = []
    real = store_search.rows

    def spy(*args, **kwargs):
        threads.append(threading.current_thread().name)
        yield from real(*args, **kwargs)

    monkeypatch.setattr(store_search, "rows", spy)
    qtbot.keyClick(win.view, Qt.Key.Key_F, CTRL | SHIFT)
    controller = win.search
    box = controller.panel.query
    qtbot.waitUntil(box.hasFocus)
    for ch in "ironclad":
        qtbot.keyClick(box, ch)
        assert controller.running is None and controller.timer.isActive()  # nothing ran in the key press
    qtbot.waitUntil(lambda: controller.running is not None or controller.model.rowCount() > 0, timeout=5000)
    qtbot.keyClick(box, "s")  # a key while it runs: that run is cancelled, its late hits dropped
    qtbot.waitUntil(lambda: controller.running is None and not controller.timer.isActive(), timeout=10000)
    assert controller.model.rowCount() == 0  # "ironclads" is nowhere: the first run's hits were dropped
    assert controller.panel.counts.text().startswith("0 hit(s) in 0 statement(s)")
    assert threads and threading.main_thread().name not in threads


def test_the_search_is_in_the_edit_menu_beside_find_and_its_dock_in_view(qtbot, win):
    """Edit ▸ Search All Statements… (Ctrl+Shift+F) below Find in Statement; View lists only the dock's toggle (a
    newcomer read "Search…" and "Search" there as one thing twice)."""
    texts = [a.text() for a in win.menus["&Edit"].actions()]
    assert texts[texts.index("&Find in Statement…") + 1] == "&Search All Statements…"
    view = [a.text() for a in win.menus["&View"].actions()]
    assert "Search" in view and not [t for t in view if t.startswith("&Search")]
    edit_search = win.menus["&Edit"].actions()[texts.index("&Search All Statements…")]
    assert edit_search.shortcut().toString() == "Ctrl+Shift+F"
    edit_search.trigger()
    assert win.search.dock.isVisible() and win.search.panel.query.hasFocus()


def test_the_hits_model_passes_qtmodeltester_and_sorts_by_left_context(qtmodeltester):
    from annotator.core.search.hits import make_hit
    from annotator.ui.search.model import LEFT, RIGHT, HitsModel

    text = "b ironclad z. a ironclad y. c ironclad x."
    model = HitsModel()
    model.append([make_hit(1, "s", "t", "2024-01-01", text, i, i + 8, 2) for i in (2, 16, 30)])
    qtmodeltester.check(model)
    model.sort(LEFT)
    assert [model.index(r, LEFT).data() for r in range(3)] == ["a ", "b ", "c "]
    model.sort(RIGHT, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, RIGHT).data() for r in range(3)] == [" z", " y", " x"]
    model.append([make_hit(2, "s", "u", "", "d ironclad w", 2, 10, 2)])  # arrives while sorted: in its place
    assert [model.index(r, RIGHT).data() for r in range(4)] == [" z", " y", " x", " w"]
    assert model.statements() == 2


def test_a_search_takes_turns_with_the_window_and_a_cancel_ends_its_wait(qtbot, corpus, monkeypatch):
    """The search and the window share the GIL, so the search runs in turns of at most :data:`worker.SLICE` and
    waits between two for the window's event loop to give it the next (a window that never does holds it for
    :data:`worker.PAUSE`); a cancel ends the wait at once."""
    import time

    from annotator.core.search.query import parse
    from annotator.ui.search import worker

    monkeypatch.setattr(worker, "PAUSE", 30.0)
    monkeypatch.setattr(worker, "SLICE", 0.0)  # a turn a statement
    got: list[list[tuple]] = []
    thread = worker.SearchThread(corpus.path, parse("ironclad"), 1, 20)
    thread.found.connect(lambda _g, rows: got.append(rows))
    thread.start()
    time.sleep(0.3)  # the event loop does not run: no turn is given
    assert thread.turns == 1 and thread.isRunning() and got == []
    qtbot.waitUntil(lambda: not thread.isRunning(), timeout=10000)  # the event loop gives each turn
    qtbot.wait(50)
    assert thread.turns > 1
    rows = [r for batch in got for r in batch]
    assert rows and all(type(r) is tuple for r in rows)  # plain tuples: the model keeps them as they come
    assert {Hit._make(r).match.casefold() for r in rows} == {"ironclad"}

    again = worker.SearchThread(corpus.path, parse("ironclad"), 2, 20)
    again.start()
    time.sleep(0.2)
    started = time.perf_counter()
    again.cancel()
    assert again.wait(5000) and time.perf_counter() - started < 5

    monkeypatch.setattr(worker, "SLICE", 60.0)  # one turn is the whole search: it never waits for the window
    whole = worker.SearchThread(corpus.path, parse("ironclad"), 3, 20)
    whole.start()
    assert whole.wait(10000) and whole.turns == 0


def test_a_hit_cell_answers_every_role_at_once_as_one_by_one(qapp):
    """Qt 6's delegates ask a cell for seven roles in one ``multiData`` call (one entry into Python while a search
    holds the GIL): it answers exactly what ``data`` answers, role by role."""
    from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan

    from annotator.core.search.hits import make_hit
    from annotator.ui.search.model import HitsModel

    model = HitsModel()
    model.label_names = {"threat": "Threat"}
    model.append([make_hit(1, "s", "\ufeffBOM title", "2024-01-01", "a\r\nironclad\tb", 3, 11, 3)._replace(
        labels=("threat", "zzz")), make_hit(2, "s", "memo", "", "x ironclad", 2, 10, 5, "note")])
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            index = model.index(row, col)
            for role in range(14):
                asked = QModelRoleData(role)
                model.multiData(index, QModelRoleDataSpan(asked))
                assert asked.data() == index.data(role), (row, col, role)
    assert model.index(0, 0).data() == "\u2060\ufeffBOM title" and model.index(1, 0).data() == "memo (memo)"
    assert model.index(0, 2).data() == "a  " and model.index(0, 5).data() == "Threat, zzz"


def test_hits_arriving_in_many_batches_are_shown_together_and_all(qtbot, win, corpus):
    from annotator.store import search

    controller = _search(qtbot, win, "the")
    expected = search.search_all(corpus.conn, parse_query("the"), 60)
    assert controller.model.rowCount() == len(expected) > 16
    assert [h.key for h in controller.model.rows] == [h.key for h in expected]
    assert controller.model.statements() == len({h.doc_id for h in expected})


def test_labelling_thousands_of_hits_runs_in_a_thread_cancel_keeps_nothing_undo_and_redo_too(qtbot, tmp_path):
    """More hits than ``IN_PLACE`` (464 000 hits of a word at 100 000 statements took 36 s): labelled by a thread
    with a progress dialog, the window painting; a Cancel adds none and leaves no step to undo; Ctrl+Z and
    Ctrl+Shift+Z take them off and put them back the same way."""
    from annotator.ui.search import commands
    from tests.ui.conftest import cancel_once, gaps_while_shown, watch_progress, window_over

    n = 3 * commands.IN_PLACE
    docs = [IncomingDocument(f"Statement {i}: an ironclad pledge 😀,\r\nironclad again.", f"s{i}")
            for i in range(n // 2)]
    with window_over(qtbot, tmp_path, docs) as (win, project):
        controller = _search(qtbot, win, "ironclad")
        qtbot.waitUntil(lambda: controller.model.rowCount() == n, timeout=20000)
        table = controller.panel.table
        clicked: list[str] = []
        timer, seen = watch_progress(win, cancel_once(qtbot, clicked))
        qtbot.keyClick(table, Qt.Key.Key_A, CTRL)
        qtbot.keyClick(table, Qt.Key.Key_2)
        timer.stop()
        assert clicked and f"Labelling {n} hits" in clicked[0]
        assert _spans(project, "commitment") == [] and not win.session.undo_stack.count()
        assert "cancelled, nothing was changed" in win.statusBar().currentMessage()
        timer, seen = watch_progress(win)
        qtbot.keyClick(table, Qt.Key.Key_A, CTRL)
        qtbot.keyClick(table, Qt.Key.Key_2)
        assert len(_spans(project, "commitment")) == n and seen["labels"]
        qtbot.waitUntil(win.isActiveWindow)  # back from the progress dialog (activation is asynchronous)
        qtbot.keyClick(table, Qt.Key.Key_Z, CTRL)
        assert _spans(project, "commitment") == []
        qtbot.waitUntil(win.isActiveWindow)
        qtbot.keyClick(table, Qt.Key.Key_Z, CTRL | SHIFT)
        timer.stop()
        assert len(_spans(project, "commitment")) == n
        assert any("off" in text for text in seen["labels"]) and any("again" in text for text in seen["labels"])
        assert not seen["report"], seen["report"]
        gaps = gaps_while_shown(seen)  # while the thread writes (the dock's refresh after it: the window's own work)
        assert len(gaps) > 10 and max(gaps) < 0.25, gaps


def test_after_thousands_of_hits_are_labelled_the_dock_shows_labels_read_in_the_thread_and_keeps_the_selection(
        qtbot, tmp_path, monkeypatch):
    """The dock's hits' labels are read again by the labelling thread once the change is committed (at 100 000
    hits, 1 s it no longer takes of the window's thread); the dialog then has no Cancel, and closing it changes
    nothing: the step stays. Every hit shown keeps its row and its selection; under the "not yet labelled" filter
    the hits go and come back with undo and redo."""
    import threading

    from PySide6.QtWidgets import QPushButton

    from annotator.store import search
    from annotator.ui.search import commands
    from annotator.ui.search.model import LABELS
    from tests.ui.conftest import watch_progress, window_over

    n = 3 * commands.IN_PLACE
    docs = [IncomingDocument(f"Statement {i}: an ironclad pledge 😀,\r\nironclad again.", f"s{i}")
            for i in range(n // 2)]
    readers: list[str] = []
    acted = threading.Event()
    relabelled = search.relabelled

    def reading(*args):  # the dock's reading, held until the test has tried to cancel it
        readers.append(threading.current_thread().name)
        assert acted.wait(20)
        return relabelled(*args)

    monkeypatch.setattr(search, "relabelled", reading)
    finishing: list[bool] = []

    def on_dialog(dialog):
        if dialog.labelText().startswith("Reading the hits' labels") and not acted.is_set():
            finishing.append(dialog.findChild(QPushButton).isEnabled())
            dialog.close()  # the only way left to ask for a cancel: the window's close button
            acted.set()

    with window_over(qtbot, tmp_path, docs) as (win, project):
        controller = _search(qtbot, win, "ironclad")
        qtbot.waitUntil(lambda: controller.model.rowCount() == n, timeout=20000)
        model, table = controller.model, controller.panel.table
        timer, seen = watch_progress(win, on_dialog)
        qtbot.keyClick(table, Qt.Key.Key_A, CTRL)
        qtbot.keyClick(table, Qt.Key.Key_2)
        timer.stop()
        assert finishing == [False]  # the Cancel was greyed once the change was committed
        assert readers and threading.main_thread().name not in readers
        assert len(_spans(project, "commitment")) == n and win.session.undo_stack.count() == 1
        assert f"Labelled {n} hit(s)" in win.statusBar().currentMessage()
        assert {model.index(r, LABELS).data() for r in range(n)} == {"Commitment"}
        assert controller.selected_rows() == list(range(n))  # every hit kept its row and its selection
        acted.set()  # from here on the reading is not held
        combo = controller.panel.filter
        combo.setCurrentIndex(combo.findData(""))  # not yet labelled: none
        assert model.rowCount() == 0
        qtbot.waitUntil(win.isActiveWindow)
        qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)
        assert _spans(project, "commitment") == [] and model.rowCount() == n
        assert {model.index(r, LABELS).data() for r in range(n)} == {""}
        combo.setCurrentIndex(combo.findData("commitment"))
        assert model.rowCount() == 0
        qtbot.waitUntil(win.isActiveWindow)
        qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL | SHIFT)
        assert len(_spans(project, "commitment")) == n and model.rowCount() == n


def test_rebuild_search_index_from_the_edit_menu_runs_in_a_thread_and_its_cancel_leaves_the_index(qtbot, tmp_path):
    """Edit ▸ Rebuild Search Index (6 s at 100 000 statements, on the window's thread until now): a thread rebuilds
    it with a progress dialog; a Cancel leaves the index as it was (here: emptied by damage, so nothing is found);
    to the end, every statement is found again."""
    from PySide6.QtWidgets import QWidget

    from tests.ui.conftest import cancel_once, watch_progress, window_over

    n = 20_000
    docs = [IncomingDocument(f"Statement {i}: an ironclad pledge 😀,\r\nand more words to index here.", f"s{i}")
            for i in range(n)]
    with window_over(qtbot, tmp_path, docs) as (win, project):
        project.conn.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")  # the index lost
        found = lambda: project.conn.execute(  # noqa: E731
            "SELECT count(*) FROM search_fts WHERE search_fts MATCH 'ironclad'").fetchone()[0]
        assert found() == 0
        action = next(a for a in win.menus["&Edit"].actions() if a.text().replace("&", "") == "Rebuild Search Index")
        clicked: list[str] = []
        timer, seen = watch_progress(win, cancel_once(qtbot, clicked))
        action.trigger()
        timer.stop()
        assert clicked == ["Rebuilding the search index from every statement…"]
        assert found() == 0 and "cancelled, the index is as it was" in win.statusBar().currentMessage()
        timer, seen = watch_progress(win)
        action.trigger()
        timer.stop()
        assert found() == n and "rebuilt" in win.statusBar().currentMessage()
        # the progress dialogs left the window's widgets as they were: not native (each its own window, raised
        # apart), as the dialog's winId() made them all
        assert not [w for w in win.findChildren(QWidget) if w.testAttribute(Qt.WidgetAttribute.WA_NativeWindow)]
        qtbot.waitUntil(win.isActiveWindow)  # back from the progress dialog (activation is asynchronous)
        controller = _search(qtbot, win, "ironclad")
        qtbot.waitUntil(lambda: controller.model.rowCount() == n, timeout=20000)


def test_repainting_the_hits_header_with_every_hit_selected_asks_the_model_nothing_per_hit(qtbot, tmp_path):
    """Each repaint of a table's header asked Qt whether each column was wholly selected, and Qt made an index of
    every selected row to answer, two calls into Python each: with 100 000 hits selected, 1.2 M calls and a third of
    a second of the window's thread whenever a dialog opened or closed over it. The header has its own selection."""
    import sys

    from tests.ui.conftest import window_over

    n = 5000
    docs = [IncomingDocument(f"Statement {i}: an ironclad pledge.", f"s{i}") for i in range(n)]
    with window_over(qtbot, tmp_path, docs) as (win, project):
        controller = _search(qtbot, win, "ironclad")
        qtbot.waitUntil(lambda: controller.model.rowCount() == n, timeout=20000)
        table = controller.panel.table
        qtbot.keyClick(table, Qt.Key.Key_A, CTRL)
        assert controller.selected_rows() == list(range(n))
        calls: list[str] = []

        def count(frame, event, _arg):  # every Python function Qt calls while the header repaints
            if event == "call":
                calls.append(frame.f_code.co_name)

        sys.setprofile(count)
        try:
            table.horizontalHeader().repaint()
        finally:
            sys.setprofile(None)
        assert calls.count("rowCount") + calls.count("columnCount") < 100, len(calls)


def test_a_label_key_labels_exactly_the_rows_picked_by_ctrl_and_shift_clicks(qtbot, win, corpus):
    """Rows picked with the mouse: a Shift+click run, Ctrl+clicks inside and beside it (overlapping and touching
    ranges in the selection), one row Ctrl+clicked off again. The label goes on those hits, each once."""
    controller = _search(qtbot, win, "the")
    table, model = controller.panel.table, controller.model
    assert model.rowCount() >= 12

    def click(row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        rect = table.visualRect(model.index(row, 0))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())

    table.scrollToTop()
    click(1)
    click(4, SHIFT)  # 1-4
    click(3, CTRL)  # off again
    click(3, CTRL)  # and on: a range of its own inside 1-4
    click(5, CTRL)  # touching the run
    click(9, CTRL)
    click(10, CTRL)
    click(10, CTRL)  # off
    picked = [1, 2, 3, 4, 5, 9]
    assert controller.selected_rows() == picked
    assert controller.selected_ranges() == [(1, 6), (9, 10)]
    hits = [model.hit(r) for r in picked]
    qtbot.keyClick(table, Qt.Key.Key_3)  # Call to action
    got = sorted(_spans(corpus, "call_to_action"))
    assert got == sorted({(h.doc_id, h.start, h.end) for h in hits if not h.in_memo})


def test_after_a_label_key_in_the_dock_the_documents_list_shows_each_statement_as_it_is_now(qtbot, win, corpus,
                                                                                             monkeypatch):
    """The label changed spans, not which statements there are: the list keeps its ids (not read again) and reads
    its rows again (status and span count as they are now). A statement imported meanwhile by another program is
    listed too (then the ids are read again)."""
    from annotator.store import listing

    model = win.documents.model
    before = [model.index(r, 0).data() for r in range(model.rowCount())]
    reads = []
    ids = listing.ids
    monkeypatch.setattr(listing, "ids", lambda *a: reads.append(a) or ids(*a))
    controller = _search(qtbot, win, "ironclad")
    qtbot.keyClick(controller.panel.table, Qt.Key.Key_A, CTRL)
    qtbot.keyClick(controller.panel.table, Qt.Key.Key_2)
    assert reads == []  # the same statements: their ids kept
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == before
    labelled = {d for d, _s, _e in _spans(corpus, "commitment")}
    for r in range(model.rowCount()):
        doc_id = model.index(r, 0).data(Qt.ItemDataRole.UserRole)
        spans = corpus.conn.execute("SELECT count(*) FROM spans WHERE doc_id = ?", (doc_id,)).fetchone()[0]
        assert int(model.index(r, 2).data()) == spans
        if doc_id in labelled:
            assert model.index(r, 1).data() == "In progress"
    # another program adds a statement; the next labelling lists it
    other = Project.open(corpus.path, user="other")
    other.import_documents([IncomingDocument("A third ironclad promise.", "from elsewhere")])
    other.close()
    qtbot.keyClick(controller.panel.table, Qt.Key.Key_A, CTRL)
    qtbot.keyClick(controller.panel.table, Qt.Key.Key_3)
    assert reads  # read again: the project holds one statement more than listed
    assert "from elsewhere" in [model.index(r, 0).data() for r in range(model.rowCount())]
