"""Trial 14, F9: a note being typed in the Spans panel is kept, and the panel's selected row stays on the same span,
when another process changes the open statement's spans (``annotator import`` adds one before it; another program
deletes or moves one). The window read the statement again and reset the panel's model: the editor closed with
the typing lost, and the highlighted row stayed at its index, on another span, which a label key or Delete would
then have acted on. Driven through the real Spans panel (a double-click in the Note cell, typed keys) with the real
``annotator import`` run beside the window; what was saved is read back from the database."""

from __future__ import annotations

import subprocess
import sys

import orjson
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from annotator.core.model import IncomingDocument
from tests.helpers import run_cli
from tests.ui.conftest import window_over

TEXT = ("These attacks endanger seafarers. We call on the Houthis to stop at once. "
        "The Galaxy Leader crew must be released. We urge restraint in the Red Sea.")
PHRASES = [("These attacks", "threat"), ("We call on the Houthis", "call_to_action"), ("Galaxy Leader", "threat")]


def _prepare(project) -> None:
    doc = project.documents()[0].id
    for phrase, label in PHRASES:
        start = TEXT.index(phrase)
        project.add_span(doc, start, start + len(phrase), label)


def _span_id(window, phrase: str) -> int:
    start = TEXT.index(phrase)
    return next(s.id for s in window.session.index if (s.start, s.end) == (start, start + len(phrase)))


def _edit_note(qtbot, window, span_id: int, typed: str) -> QLineEdit:
    """Double-click the Note cell of ``span_id``'s row and type ``typed`` (not saved yet): the open editor."""
    table = window.spans_panel.table
    cell = table.model().index(window.spans_panel.model.row_of(span_id), 2)
    centre = table.visualRect(cell).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    editor = QApplication.focusWidget()
    assert table.viewport().isAncestorOf(editor)
    qtbot.keyClick(editor, Qt.Key.Key_End)  # after the note it holds (the editor opens with it selected)
    qtbot.keyClicks(editor, typed)
    return editor


def _selected_span(window) -> int | None:
    table = window.spans_panel.table
    rows = table.selectionModel().selectedRows()
    return rows[0].data(Qt.ItemDataRole.UserRole) if rows else None


def _import_span(tmp_path, project, phrase: str, who: str) -> None:
    start = TEXT.index(phrase)
    record = {"text": TEXT, "spans": [{"start": start, "end": start + len(phrase), "label": "threat"}],
              "_annotator_id": who}
    path = tmp_path / f"{who}.jsonl"
    path.write_bytes(orjson.dumps(record) + b"\n")
    result = run_cli("import", project.path, path)
    assert result.returncode == 0, result.stderr


def _elsewhere(project, code: str) -> None:
    """``code`` run on the project by another program (its own process and connection): ``p`` is the project."""
    script = ("from annotator.store import Project\n"
              f"p = Project.open({str(project.path)!r}, user='lee')\n{code}\np.close()\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def _note_in_db(project, span_id: int) -> str:
    return next(s.note for s in project.spans(project.span(span_id).doc_id) if s.id == span_id)


def test_a_note_being_typed_survives_annotator_import_adding_a_span_before_it(qtbot, tmp_path, qtmodeltester):
    docs = [IncomingDocument(TEXT, "G7"), IncomingDocument("Other statement.", "other")]
    with window_over(qtbot, tmp_path, docs, prepare=_prepare) as (window, project):
        panel = window.spans_panel
        qtmodeltester.check(panel.model, force_py=True)  # and every signal after (the row count's layout change)
        demand = _span_id(window, "We call on the Houthis")
        editor = _edit_note(qtbot, window, demand, "second note")

        # carol's span at the start of the statement: a row inserted above the one being edited
        _import_span(tmp_path, project, "These attacks endanger", "carol")
        qtbot.waitUntil(lambda: panel.model.rowCount() == 4, timeout=5000)
        qtbot.wait(50)  # (the layout and the editors' places are settled on the next turns)

        assert QApplication.focusWidget() is editor and editor.isVisible()  # still open, the typing in it
        assert editor.text() == "second note"
        assert panel.table.currentIndex().data(Qt.ItemDataRole.UserRole) == demand
        assert _selected_span(window) == demand
        assert panel.table.visualRect(panel.table.currentIndex()).contains(editor.geometry().center())
        # carol's row names her, and the Label column widened for it
        carol = panel.model.index(panel.model.row_of(_span_id(window, "These attacks endanger")), 0)
        assert carol.data() == f"{window.session.label_name('threat')} · carol"
        needs = panel.table.fontMetrics().horizontalAdvance(carol.data()) + panel.SWATCH_ROOM
        assert panel.table.horizontalHeader().sectionSize(0) >= needs
        qtbot.keyClicks(editor, " again")  # typing goes on, and Return saves it on the span it was begun on
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: _note_in_db(project, demand) == "second note again")
        assert {s.id: s.note for s in project.spans(window.session.document.id)} == {
            s.id: ("second note again" if s.id == demand else "") for s in project.spans(window.session.document.id)}
        assert _selected_span(window) == demand


def test_a_note_being_typed_stays_on_its_span_when_another_program_moves_a_span_above_it_below(qtbot, tmp_path):
    docs = [IncomingDocument(TEXT, "G7"), IncomingDocument("Other statement.", "other")]
    with window_over(qtbot, tmp_path, docs, prepare=_prepare) as (window, project):
        panel = window.spans_panel
        first, demand, galaxy = (_span_id(window, p) for p, _label in PHRASES)
        editor = _edit_note(qtbot, window, demand, "kept")

        start = TEXT.index("Red Sea")
        _elsewhere(project, f"p.update_span({first}, start={start}, end={start + len('Red Sea')})")
        qtbot.waitUntil(lambda: panel.model.row_of(first) == 2, timeout=5000)
        qtbot.wait(50)
        assert QApplication.focusWidget() is editor and editor.text() == "kept"
        assert _selected_span(window) == demand
        assert panel.table.visualRect(panel.table.currentIndex()).contains(editor.geometry().center())
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: _note_in_db(project, demand) == "kept")
        assert {s.id: s.note for s in project.spans(window.session.document.id)} == {
            first: "", demand: "kept", galaxy: ""}


def test_no_other_span_is_selected_when_the_one_whose_note_is_typed_is_deleted_elsewhere(qtbot, tmp_path):
    docs = [IncomingDocument(TEXT, "G7"), IncomingDocument("Other statement.", "other")]
    with window_over(qtbot, tmp_path, docs, prepare=_prepare) as (window, project):
        panel = window.spans_panel
        first, demand, galaxy = (_span_id(window, p) for p, _label in PHRASES)

        # its editor goes (there is no span to save the typing on), no other span takes the selection or the
        # typing, and the next note is edited as before
        _edit_note(qtbot, window, galaxy, "lost")
        _elsewhere(project, f"p.delete_span({galaxy})")
        qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=5000)
        qtbot.waitUntil(lambda: not isinstance(QApplication.focusWidget(), QLineEdit))
        qtbot.wait(50)
        assert _selected_span(window) is None
        assert window.view.selected_span_id is None
        assert [s.note for s in project.spans(window.session.document.id)] == ["", ""]
        editor = _edit_note(qtbot, window, demand, "kept")
        assert editor.text() == "kept"
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: _note_in_db(project, demand) == "kept")

        # the selected span deleted elsewhere: none is selected in its place, and Delete or a label key in the
        # statement acts on no span
        assert _selected_span(window) == demand
        _elsewhere(project, f"p.delete_span({demand})")
        qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
        qtbot.wait(50)
        assert _selected_span(window) is None
        assert window.view.selected_span_id is None
        window.view.setFocus()
        qtbot.keyClick(window.view, Qt.Key.Key_Delete)
        qtbot.keyClick(window.view, Qt.Key.Key_2)
        assert [(s.id, s.label) for s in project.spans(window.session.document.id)] == [(first, "threat")]


def test_no_span_of_the_next_statement_is_selected_when_it_is_opened_while_a_note_is_typed(qtbot, tmp_path):
    """Ctrl+PgDown with the note's editor open: the statement opened had its first span selected, as if by Tab
    (the editor, released by the table's reset, handed the focus on), and label key 2 relabelled it; the note typed
    was lost (it is saved on its span first now)."""
    other = "We condemn the attack. We commit to peace."
    docs = [IncomingDocument(TEXT, "G7"), IncomingDocument(other, "other")]

    def prepare(project):
        _prepare(project)
        project.add_span(project.documents()[1].id, 0, 10, "threat")

    with window_over(qtbot, tmp_path, docs, prepare=prepare) as (window, project):
        g7 = window.session.document.id
        houthis = _span_id(window, "We call on the Houthis")
        editor = _edit_note(qtbot, window, houthis, "typed")
        qtbot.keyClick(editor, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: window.session.document.id != g7)
        qtbot.wait(50)
        assert _note_in_db(project, houthis) == "typed"  # saved on its span before the next statement showed
        assert window.undo_group.undoText() == "Edit note"  # one undoable step, as Return gives
        assert _selected_span(window) is None
        assert window.view.selected_span_id is None
        assert not isinstance(QApplication.focusWidget(), QLineEdit)
        qtbot.keyClick(window.view, Qt.Key.Key_2)
        assert [s.label for s in project.spans(window.session.document.id)] == ["threat"]
