"""File ▸ Import and File ▸ Export run in a thread (``ui/files/job.py``): the window keeps painting through a long
import, the progress dialog moves within a large file and its Cancel leaves that file out whole; an export's Cancel
writes nothing. The window's own connection then works on, and the command line reads what the thread wrote.
Driven through the real menu actions, dialogs and keys; the database and files read afterwards."""

from __future__ import annotations

import sqlite3
import time

import orjson
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog

from annotator import cli
from annotator.formats import jsonl
from annotator.ui import filedialogs
from tests.ui.conftest import HOSTILE, cancel_once, key_select, on_dialog, spans_in_db, watch_progress
from tests.ui.test_dialogs import qtbot_click

STATEMENTS = 10_000


@pytest.fixture
def big_file(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonl, "STREAM_BATCH", 400)  # 25 batches: progress and a cancel between them
    path = tmp_path / "corpus.jsonl"
    sentence = "The ministers reaffirmed their ironclad commitment to peace 😀 and stability. "
    with path.open("wb") as fh:
        for i in range(STATEMENTS):
            fh.write(orjson.dumps({"text": f"Statement {i}.\r\n" + sentence * 20, "meta": {"title": f"s{i}"}}) + b"\n")
    monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: [str(path)])
    return path


def _trigger(window, name: str):  # type: ignore[no-untyped-def]
    """The window's action named ``name`` (as its menu shows it), as a click on it."""
    action = next(a for a in window.findChildren(type(window.menuBar().actions()[0]))
                  if a.text().replace("&", "") == name)
    action.trigger()


def _trigger_import(window):  # type: ignore[no-untyped-def]
    _trigger(window, "Import Files…")


def _label_key_saves(qtbot, window, project, start: int | None = None, length: int = 5) -> bool:  # type: ignore[no-untyped-def]
    """The window's own connection works on: back in the statement, a label key saves a span there (by default on
    "peace" in the fixture's statement)."""
    start = HOSTILE.index("peace") if start is None else start
    window.activateWindow()  # back from the report's box (activation is asynchronous)
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    key_select(qtbot, window.view, start, length)
    qtbot.keyClick(window.view, "1")
    return (start, start + length, "threat", "") in spans_in_db(project, window.session.document.id)


def _count(project) -> int:  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(f"file:{project.path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        conn.close()


def test_a_long_import_keeps_the_window_painting_shows_progress_within_the_file_and_work_goes_on(
        window, project, qtbot, big_file, tmp_path):
    before = _count(project)
    timer, seen = watch_progress(window)
    started = time.monotonic()
    _trigger_import(window)
    took = time.monotonic() - started
    qtbot.waitUntil(lambda: bool(seen["report"]))  # the report opens after the import returns
    timer.stop()
    assert _count(project) == before + STATEMENTS
    assert seen["report"] and f"imported {STATEMENTS} statement(s)" in seen["report"][0]
    ticks = [t for t in seen["ticks"] if t >= started]
    assert took > 0.5 and len(ticks) > 10, (took, len(ticks))
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert max(gaps) < 0.25, max(gaps)  # on the window's thread it was one gap: the whole import
    inside = {v for v, m in seen["values"] if 0 < v < m}
    assert len(inside) >= 3, seen["values"]  # the bar moved within the one file
    assert len(window.documents.model.rows) == before + STATEMENTS  # the list shows them
    assert _label_key_saves(qtbot, window, project)
    # and the command line reads the project as the window sees it
    out = tmp_path / "out.jsonl"
    assert cli.main(["export", str(project.path), "-o", str(out)]) == 0
    assert len(out.read_bytes().splitlines()) == before + STATEMENTS


def test_cancel_leaves_the_file_out_whole_and_the_window_works_on(window, project, qtbot, big_file):
    before = _count(project)
    clicked = []

    timer, seen = watch_progress(window, cancel_once(qtbot, clicked, under_way=True))
    _trigger_import(window)
    qtbot.waitUntil(lambda: bool(seen["report"]))  # the report opens after the import returns
    timer.stop()
    assert clicked, seen["values"]
    assert _count(project) == before  # not one statement of the file: it goes in whole or not at all
    assert seen["report"] and "cancelled" in seen["report"][0] and "imported 0" in seen["report"][0]
    assert not any(isinstance(w, QProgressDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
    assert _label_key_saves(qtbot, window, project)
    timer, seen = watch_progress(window)
    _trigger_import(window)  # and the same file goes in whole when asked again
    qtbot.waitUntil(lambda: bool(seen["report"]))  # the report opens after the import returns
    timer.stop()
    assert _count(project) == before + STATEMENTS
    assert f"imported {STATEMENTS} statement(s)" in seen["report"][0]


def _export_as(fmt: str, target):  # type: ignore[no-untyped-def]
    """The user's answer to the Export dialog: this format, this target, Export."""
    def answer(dialog):  # type: ignore[no-untyped-def]
        dialog.format.setCurrentIndex(dialog.format.findData(fmt))
        dialog.target.setText(str(target))
        qtbot_click(dialog)
    return answer


def test_an_export_runs_in_a_thread_and_its_cancel_writes_nothing(window, project, qtbot, tmp_path):
    from annotator.core.model import IncomingDocument
    from annotator.ui import dialogs

    sentence = "We urge restraint 😀 and dialogue.\r\n"
    project.import_documents([IncomingDocument(f"{i}. " + sentence * 10, f"s{i}") for i in range(6000)])
    before = _count(project)
    folder = tmp_path / "brat-out"
    clicked = []

    timer, seen = watch_progress(window, cancel_once(qtbot, clicked, under_way=True))
    answers = on_dialog(dialogs.ExportDialog, _export_as("brat", folder))  # noqa: F841 - kept alive meanwhile
    started = time.monotonic()
    _trigger(window, "Export…")
    timer.stop()
    assert clicked, seen["values"]
    assert not folder.exists() and list(tmp_path.glob(".*")) == []  # nothing written, no temporary folder left
    assert "cancelled" in window.statusBar().currentMessage()
    ticks = [t for t in seen["ticks"] if t >= started]
    assert max(b - a for a, b in zip(ticks, ticks[1:], strict=False)) < 0.25
    # again, to the end: every statement, the window's connection untouched and working
    out = tmp_path / "all.jsonl"
    answers = on_dialog(dialogs.ExportDialog, _export_as("jsonl", out))  # noqa: F841
    timer, seen = watch_progress(window)
    _trigger(window, "Export…")
    timer.stop()
    assert len(out.read_bytes().splitlines()) == before
    assert f"Exported {before} record(s)" in window.statusBar().currentMessage()
    assert _label_key_saves(qtbot, window, project)


def test_other_tools_files_go_in_through_the_window_as_through_the_command_line(window, project, qtbot, tmp_path,
                                                                                monkeypatch):
    """doccano's and Prodigy's own example files (tests/formats/data), read a batch of two at a time in the import's
    thread: the window says what `annotator import` says of them (the statements, the skipped tasks, the labels it
    cannot hold, the file it refuses and why) and holds the same statements."""
    from pathlib import Path

    from tests.helpers import run_cli
    from tests.store.streaming import stream_imports

    stream_imports(monkeypatch)
    data = Path(__file__).parent.parent / "formats" / "data"
    files = sorted(str(p) for p in data.rglob("*.jsonl"))
    assert len(files) == 3
    monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: files)
    timer, seen = watch_progress(window)
    _trigger_import(window)
    qtbot.waitUntil(lambda: bool(seen["report"]))  # the report opens after the import returns
    timer.stop()
    alone = tmp_path / "alone.sqlite"
    said = run_cli("import", alone, *files)
    assert said.returncode == 1  # one file refused
    lines = (said.stdout + said.stderr).decode().splitlines()
    told = seen["report"][0].splitlines()
    # the window's project held statements, so its import was backed up first and says how to take it back; the
    # command's went into a new project, which has nothing to take back
    back = [ln for ln in told if ln.startswith("to take this import back: File ▸ Restore from Backup…")]
    assert len(back) == 1
    assert [ln for ln in lines if not ln.startswith("  ")] == [ln for ln in told if ln not in back]
    assert any(ln.startswith("rejected") and "column_data" in ln for ln in told)

    def texts(path):  # type: ignore[no-untyped-def]
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return {r[0] for r in conn.execute("SELECT sha256 FROM documents")}
        finally:
            conn.close()

    assert texts(alone) and texts(alone) <= texts(project.path)
    assert len(window.documents.model.rows) == len(texts(project.path))


def test_importing_into_an_empty_project_opens_its_first_statement(qtbot, tmp_path, monkeypatch):
    from tests.ui.conftest import window_over

    source = tmp_path / "two.jsonl"
    source.write_bytes(b'{"text": "We urge calm \xf0\x9f\x98\x80 now.\\r\\n"}\n{"text": "A second one."}\n')
    monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: [str(source)])
    with window_over(qtbot, tmp_path, []) as (window, project):
        assert window.session.document is None and window.view.text == ""
        timer, seen = watch_progress(window)
        _trigger_import(window)
        qtbot.waitUntil(lambda: bool(seen["report"]))  # the report opens after the import returns
        timer.stop()
        assert seen["report"] and "imported 2 statement(s)" in seen["report"][0]
        assert window.session.document is not None and window.view.text == "We urge calm 😀 now.\r\n"
        assert _label_key_saves(qtbot, window, project, 3, 4)


def test_deleting_a_label_of_many_spans_runs_in_a_thread_its_cancel_keeps_them_and_undo_too(
        window, project, qtbot, monkeypatch):
    """Labels ▸ Edit Codebook, a label in use deleted: its spans (60 000 here; a third of a million at 100 000
    statements took 7 s) are deleted by a thread with a progress dialog, the window painting; a Cancel keeps every
    one of them and the codebook; Ctrl+Z puts them back the same way."""
    from annotator.core.model import IncomingDocument, IncomingSpan
    from annotator.ui.codebook import dialog as codebook_dialog

    sentence = "The ministers warned of grave consequences 😀 and urged restraint.\r\n"
    project.import_documents([IncomingDocument(f"{i}. " + sentence * 4, f"s{i}", spans=[
        IncomingSpan(4 + 7 * k, 20 + 7 * k, "threat", "ana", "") for k in range(10)]) for i in range(6000)])
    threats = project.label_counts()["threat"]
    assert threats >= 60_000
    monkeypatch.setattr(codebook_dialog, "choose_fate", lambda *_a: ("delete", ""))

    def delete_threat(dialog):  # type: ignore[no-untyped-def]
        dialog.table.selectRow(0)
        dialog.delete_label()
        dialog.accept()

    clicked = []

    timer, seen = watch_progress(window, cancel_once(qtbot, clicked))
    answers = on_dialog(codebook_dialog.CodebookDialog, delete_threat)  # noqa: F841 - kept alive meanwhile
    window.files.edit_codebook()
    timer.stop()
    assert clicked and "Deleting the label" in clicked[0], clicked
    assert project.label_counts()["threat"] == threats and "threat" in {lb.key for lb in project.labels()}
    assert window.session.undo_stack.count() == 0, "a cancelled change is no step to undo"
    assert "cancelled, nothing was changed" in window.statusBar().currentMessage()
    assert not seen["report"], "a cancel is not an error: no box"
    # again, to the end: the window ticking meanwhile
    timer, seen = watch_progress(window)
    answers = on_dialog(codebook_dialog.CodebookDialog, delete_threat)  # noqa: F841
    started = time.monotonic()
    window.files.edit_codebook()
    took = time.monotonic() - started
    timer.stop()
    assert "threat" not in project.label_counts() and "threat" not in {lb.key for lb in project.labels()}
    ticks = [t for t in seen["ticks"] if t >= started] + [time.monotonic()]
    assert took > 0.3 and max(b - a for a, b in zip(ticks, ticks[1:], strict=False)) < 0.25, took
    assert [lb.key for lb in window.session.labels][0] != "threat"  # the window shows the codebook as it is now
    # Ctrl+Z: every span back, through the thread too
    timer, seen = watch_progress(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    timer.stop()
    assert project.label_counts()["threat"] == threats
    assert any("Putting the label back" in text for text in seen["labels"]), seen["labels"][:3]


@pytest.mark.parametrize("how", ["beside an editing window", "through a private copy"])
def test_a_read_only_window_exports_in_a_thread_exactly_what_it_shows(qtbot, tmp_path, how):
    """A read-only window (another window edits the project; or a crash left a -wal no -shm can vouch for, read
    through a private copy) exported on the window's thread, frozen for the whole export. Its export now runs in a
    thread over a second connection onto the very bytes the window reads, with progress and a Cancel; the file is
    what the command line exports, spans a crash left in the -wal included, and nothing appears beside the project."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from PySide6.QtCore import QSettings

    from annotator.core.model import IncomingDocument
    from annotator.store import Project
    from annotator.store.editlock import open_for_editing
    from annotator.ui import dialogs
    from annotator.ui.mainwindow import MainWindow
    from tests.ui.conftest import show_window

    path = tmp_path / "p.sqlite"
    docs = [IncomingDocument(f"{i}. We urge restraint 😀 and dialogue.\r\n" * 5, f"s{i}") for i in range(3000)]
    with Project.open(path, create=True, user="kim", populate=docs) as p:
        for doc in p.documents()[:50]:
            p.add_span(doc.id, 3, 7, "call_to_action")
    editor = None
    if how == "beside an editing window":
        editor = open_for_editing(path, "kim")
        editor.add_span(1, 8, 16, "commitment")
        shown = open_for_editing(path, "ana")
    else:  # a crash after a span was saved, its -shm gone since
        root = Path(__file__).resolve().parents[2]
        code = "import sys, os\nfrom annotator.store import Project\n" \
               "p = Project.open(sys.argv[1]); p.add_span(1, 8, 16, 'commitment'); os._exit(0)\n"
        subprocess.run([sys.executable, "-c", code, str(path)], check=True, cwd=root,
                       env={**os.environ, "PYTHONPATH": str(root)})
        Path(f"{path}-shm").unlink()
        shown = Project.open(path, readonly=True, trusted=True, user="ana")
        assert shown._workdir is not None  # the private copy
    before = sorted(os.listdir(tmp_path))
    window = MainWindow(shown, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    try:
        show_window(qtbot, window)
        assert shown.readonly
        out = tmp_path / "out" / "all.jsonl"
        out.parent.mkdir()
        answers = on_dialog(dialogs.ExportDialog, _export_as("jsonl", out))  # noqa: F841 - kept alive meanwhile
        timer, seen = watch_progress(window)
        _trigger(window, "Export…")
        timer.stop()
        assert seen["values"] and seen["labels"], "no progress dialog: the export ran on the window's thread"
        assert f"Exported {len(docs)} record(s)" in window.statusBar().currentMessage()
    finally:
        window.close()
        shown.close()
        beside = sorted(n for n in os.listdir(tmp_path) if n not in ("out", "s.ini"))
        if editor is not None:
            editor.close()
    assert beside == before  # nothing left beside the project (its private copy is gone with the window)
    export_now = tmp_path / "cli.jsonl"
    assert cli.main(["export", str(path), "-o", str(export_now)]) == 0
    assert out.read_bytes() == export_now.read_bytes()
    first = orjson.loads(out.read_bytes().splitlines()[0])
    assert [(s["start"], s["end"], s["label"]) for s in first["spans"]] == [(3, 7, "call_to_action"),
                                                                            (8, 16, "commitment")]


def test_an_import_adds_its_statements_to_the_list_and_its_report_opens_after_it(window, project, qtbot, tmp_path,
                                                                                monkeypatch):
    """File ▸ Import: the Documents list takes the new statements by reading only the ids after its last one (every
    id again, cold after the import's writes, took 40-60 ms of the window's thread at 100 000 statements, issue #14),
    and the report opens in a later turn, window-modal, closed with Return. Statements gone meanwhile (a hostile
    edit from outside; the app never deletes one) make the whole list read again."""
    from annotator.store import listing

    source = tmp_path / "more.jsonl"
    lines = [{"text": f"More {i}: we urge calm 😀.\r\n", "meta": {"title": f"more {i}"}} for i in range(3)]
    source.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: [str(source)])
    full_reads = []
    real_ids = listing.ids
    monkeypatch.setattr(listing, "ids", lambda *a, **k: full_reads.append(a[1:]) or real_ids(*a, **k))

    def stored_ids() -> list[int]:
        conn = sqlite3.connect(f"file:{project.path}?mode=ro", uri=True)
        try:
            return [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id")]
        finally:
            conn.close()

    def boxes():  # type: ignore[no-untyped-def]
        from PySide6.QtWidgets import QMessageBox

        return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]

    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QMessageBox

    from tests.ui.test_report_turns import window_parts

    parts = window_parts(window)

    class AtShow(QObject):
        """Which parts of the window had painted when the box was first shown."""

        painted: set[int] = set()
        at_show: set[int] | None = None

        def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint and obj in parts:
                self.painted.add(parts.index(obj))
            elif event.type() == QEvent.Type.Show and isinstance(obj, QMessageBox) and self.at_show is None:
                self.at_show = set(self.painted)
            return False

    at_show = AtShow()
    _trigger_import(window)
    QApplication.instance().installEventFilter(at_show)  # from the import's end
    assert boxes() == []  # not in the import's own turn
    assert full_reads == []
    # the window takes the activation back part by part (a part in a turn of its own): held now, not yet repainted
    assert not all(p.updatesEnabled() for p in window_parts(window))
    model = window.documents.model
    assert [row.id for row in model.rows] == stored_ids() and len(model.rows) == 5
    assert [row.title for row in model.rows][-3:] == ["more 0", "more 1", "more 2"]
    # the count under the list, checked against the project's on the next turn (counting cold took 5-8 ms more)
    qtbot.waitUntil(lambda: window.documents.count.text() == "5 statements")
    assert window.progress_label.text().startswith("0 of 5 done")
    qtbot.waitUntil(lambda: bool(boxes()))
    QApplication.instance().removeEventFilter(at_show)
    assert at_show.at_show == set(range(len(parts)))  # the box waited for the window to repaint, part by part
    (box,) = boxes()
    assert "imported 3 statement(s)" in box.text()
    assert box.windowModality() == Qt.WindowModality.WindowModal
    qtbot.waitUntil(box.isActiveWindow)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not boxes())
    assert _label_key_saves(qtbot, window, project)

    # a statement deleted from outside: the ids after the last are not the whole story, every id is read again
    conn = sqlite3.connect(project.path)
    with conn:
        conn.execute("DELETE FROM documents WHERE id = ?", (stored_ids()[1],))
    conn.close()
    window.documents_changed(statements_added=True)
    qtbot.waitUntil(lambda: bool(full_reads))  # found on the next turn
    assert [row.id for row in model.rows] == stored_ids() and len(model.rows) == 4
    assert full_reads == [(None, None)]
    assert window.documents.count.text() == "4 statements" and window.progress_label.text().startswith("0 of 4 done")


def test_a_long_import_report_fills_its_details_in_turns_and_lists_every_statement(window, project, qtbot, tmp_path,
                                                                                    monkeypatch):
    """Importing a file again: every statement is skipped as already there, and the report's details list them all.
    Put in the box at once, 10 000 lines held the window 30 ms; the box opens with the first
    ``DETAIL_LINES_PER_TURN`` and takes the rest a turn at a time, each title as plain text. Return then closes it
    and the window works on."""
    from PySide6.QtWidgets import QMessageBox, QTextEdit

    from annotator.ui import dialogs

    n = int(dialogs.DETAIL_LINES_PER_TURN * 2.5)
    titles = [f"<b>again {i}</b> 😀" for i in range(n)]
    source = tmp_path / "again.jsonl"
    source.write_bytes(b"".join(orjson.dumps({"text": f"Statement {i}\r\nwe warn.", "meta": {"title": t}}) + b"\n"
                                for i, t in enumerate(titles)))
    monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: [str(source)])

    def boxes():  # type: ignore[no-untyped-def]
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]

    for attempt in range(2):
        _trigger_import(window)
        qtbot.waitUntil(lambda: bool(boxes()))
        (box,) = boxes()
        if attempt == 0:
            assert f"imported {n} statement(s)" in box.text()
            qtbot.waitUntil(box.isActiveWindow)
            qtbot.keyClick(box, Qt.Key.Key_Return)
            qtbot.waitUntil(lambda: not boxes())
    assert f"skipped {n} statement(s)" in box.text()
    shown = box.detailedText().split("\n")
    assert len(shown) <= dialogs.DETAIL_LINES_PER_TURN  # the first turn's lines only
    qtbot.waitUntil(lambda: box.detailedText().count("\n") >= n)
    listed = box.detailedText().split("\n")
    assert listed[listed.index("Already in the project:") + 1:] == [f"  {t}" for t in titles]
    shown_html = box.findChild(QTextEdit).toHtml()  # every title (and the first few again, named by file)
    assert shown_html.count("&lt;b&gt;again") >= n and "<b>again" not in shown_html  # never read as markup
    qtbot.waitUntil(box.isActiveWindow)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not boxes())
    assert _count(project) == 2 + n
    assert _label_key_saves(qtbot, window, project)
