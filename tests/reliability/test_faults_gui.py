"""Fault injection through the real window: every database call of a user action failing in turn.

A failure inside the action's transaction leaves the project as it was, the window says what failed ("Not saved"
with the store's message) and shows what the project holds; a failure after the commit (a read refreshing the
window) leaves the change saved, and the window still says what failed instead of raising. Then the fault goes
away and the same action works in the same window.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import QObject, QSettings, Qt, Signal

from annotator.core.codebook import DEFAULT_LABELS as CODEBOOK
from annotator.core.model import Label
from annotator.store import Project
from annotator.ui.app import install_error_hook
from tests.reliability.common import dump, make_project, report
from tests.reliability.faults import FaultyConnection
from tests.ui.conftest import record_messages, show_window

IO_ERROR = "the disk reported an input/output error"


@pytest.fixture
def errors(monkeypatch):
    """Every message box the window would show, recorded instead of shown."""
    import annotator.ui.app as app
    import annotator.ui.files as files
    import annotator.ui.mainwindow as mainwindow

    return record_messages(monkeypatch, mainwindow, app, files)


def open_window(qtbot, path: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    from annotator.ui.mainwindow import MainWindow

    return show_window(qtbot, MainWindow(Project.open(path, user="tester"),
                                         QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))


def shown_spans(window) -> set[tuple]:  # type: ignore[no-untyped-def]
    return {(s.id, s.start, s.end, s.label) for s in window.view.spans_in_order()}


def stored_spans(path: Path, doc_id: int) -> set[tuple]:
    with Project.open(path, readonly=True, trusted=True) as p:
        return {(s.id, s.start, s.end, s.label) for s in p.spans(doc_id)}


@dataclass
class Action:
    name: str
    run: Callable  # (qtbot, window, folder) -> None


def _select_first_span(window):  # type: ignore[no-untyped-def]
    span = window.view.spans_in_order()[0]
    window.view.select_cp(span.start, span.start)
    window.view.set_selected_span(span.id)
    return span


def _add(qtbot, window, _folder):  # type: ignore[no-untyped-def]
    window.view.select_cp(3, 11)
    qtbot.keyClick(window.view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)


def _relabel(qtbot, window, _folder):  # type: ignore[no-untyped-def]
    span = _select_first_span(window)
    qtbot.keyClick(window.view, Qt.Key.Key_3 if span.label != "call_to_action" else Qt.Key.Key_2)


def _delete(qtbot, window, _folder):  # type: ignore[no-untyped-def]
    _select_first_span(window)
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)


def _done(qtbot, window, _folder):  # type: ignore[no-untyped-def]
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


class _Trigger(QObject):
    fire = Signal()


def as_slot(function: Callable[[], object]) -> None:
    """Call ``function`` as a menu action's slot does (what it raises goes where a slot's exceptions go)."""
    trigger = _Trigger()
    trigger.fire.connect(function)
    trigger.fire.emit()


def _codebook(_qtbot, window, _folder):  # type: ignore[no-untyped-def]
    # File ▸ Edit Codebook… after the dialog: the labels it returned, applied
    edited = [dataclasses.replace(CODEBOOK[0], name="Menace"), *CODEBOOK[1:],
              Label("hedge", "Hedge", "", "#abcdef", "")]
    as_slot(lambda: window.files.apply_codebook(edited))


def _import(_qtbot, window, folder):  # type: ignore[no-untyped-def]
    as_slot(lambda: window.files.import_paths([folder / "incoming.jsonl"]))


ACTIONS = [
    Action("label (key 1)", _add),
    Action("relabel (key 3)", _relabel),
    Action("delete (Delete)", _delete),
    Action("mark done (Ctrl+Enter)", _done),
    Action("codebook edit", _codebook),
    Action("import", _import),
]


@pytest.fixture(scope="module")
def gui_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("gui-faults")
    make_project(folder / "template.sqlite", docs=3, seed=11, spans=3)
    with open(folder / "incoming.jsonl", "wb") as out:
        for i in range(2):
            out.write(orjson.dumps({"text": f"Imported {i}: the allies condemn the launches.",
                                    "spans": [{"start": 0, "end": 8, "label": "new label"}]}) + b"\n")
    return folder


@pytest.mark.parametrize("action", ACTIONS, ids=[a.name for a in ACTIONS])
def test_every_call_failing_in_a_window_action(action, gui_template, qtbot, tmp_path, errors):
    shutil.copyfile(gui_template / "incoming.jsonl", tmp_path / "incoming.jsonl")
    # count the calls of the action, on a copy
    path = tmp_path / "count.sqlite"
    shutil.copyfile(gui_template / "template.sqlite", path)
    window = open_window(qtbot, path, tmp_path)
    counting = FaultyConnection(window.session.project.conn)
    window.session.project.conn = counting
    action.run(qtbot, window, tmp_path)
    total = counting.calls
    assert not [e for e in errors if e[0] != "report"], errors
    after = dump(path)
    window.close()

    # then fail each call in turn, in one window that goes on working
    path = tmp_path / "p.sqlite"
    shutil.copyfile(gui_template / "template.sqlite", path)
    window = open_window(qtbot, path, tmp_path)
    before = dump(path)
    project = window.session.project
    committed_failures = 0
    n = 0
    while True:
        n += 1
        errors.clear()
        faulty = FaultyConnection(project.conn, fail_at=n)
        project.conn = faulty
        with qtbot.capture_exceptions() as raised:
            install_error_hook(window)  # as the app does, above pytest-qt's hook that records what is left
            action.run(qtbot, window, tmp_path)
        project.conn = faulty.real
        assert not raised, f"call {n} ({faulty.failed_sql}) failing raised in the window: {raised[0][1]!r}"
        if faulty.failed_sql is None:
            # no call {n}: the whole action ran, the fault never came (the disk recovered), and it worked
            assert not [e for e in errors if e[0] != "report"], errors
            assert _same_change(dump(path), after)
            break
        assert errors, f"call {n} ({faulty.failed_sql}) failed silently"
        assert any(IO_ERROR in message for _title, message in errors), errors
        now = dump(path)
        if now != before:  # the failure came after the commit: the change is saved, whole
            assert _same_change(now, after), f"call {n}: a partial change"
            committed_failures += 1
            window.close()  # and the next call is tried on a fresh copy
            path = tmp_path / f"p{n}.sqlite"
            shutil.copyfile(gui_template / "template.sqlite", path)
            window = open_window(qtbot, path, tmp_path)
            project = window.session.project
            before = dump(path)
            continue
        doc = window.session.document
        assert shown_spans(window) == stored_spans(path, doc.id), "the window shows what the project holds"
        assert n <= total, "more calls than the action makes"
    doc = window.session.document
    assert shown_spans(window) == stored_spans(path, doc.id)
    window.close()
    report("faults-gui", action=action.name, faults=n - 1, after_commit=committed_failures)


def _same_change(a: list[str], b: list[str]) -> bool:
    """Two dumps equal but for timestamps (the history's and the spans' times differ between runs)."""
    import re

    stamp = re.compile(r"\d{4}-\d\d-\d\dT[0-9:.]+Z")
    a = [stamp.sub("T", x) for x in a]
    b = [stamp.sub("T", x) for x in b]
    if a != b:
        import difflib

        print("\n".join(difflib.unified_diff(a, b, lineterm="", n=0)))
    return a == b
