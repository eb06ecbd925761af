"""Trial 11, D2 and D3: Ctrl+Z (or Ctrl+Shift+Z) in the window never overwrites a value another writer changed
since the step (``annotator vars`` beside the window, another program's store call): the step is refused with a
message naming the statement by its title, the field, the value now and who set it, nothing in the project
changes, and the step stays where it was on the stack (Edit ▸ Undo offers it again: it was dropped, and the next
undo failed on "no document 10"). Driven through the real Document Properties fields, File ▸ Set Document
Variables…, Document ▸ Delete Statement… and Ctrl+Z / Ctrl+Shift+Z, with the real ``annotator`` command run
beside; what happened is read back from the database."""

from __future__ import annotations

import sqlite3

import orjson
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from annotator.core.model import IncomingDocument
from annotator.store import Project
from tests.helpers import content, run_cli
from tests.ui.conftest import key_select, on_dialog, type_into, window_over
from tests.ui.test_vars_file_empty_clears import _run_dialog

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
DOCS = [IncomingDocument("We condemn the launch. We commit to peace.", "joint statement"),
        IncomingDocument("We urge restraint and we warn them.", "second statement")]


def _value(path, sql, *args):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql, args).fetchone()
    finally:
        conn.close()


def _keys(qtbot, window, redo: bool = False, remove: bool = False) -> list[str]:
    """Ctrl+Z (Ctrl+Shift+Z) in the statement; the text of every message box it raised, each answered with Enter
    (its default: Keep the Step) or, with ``remove``, Alt+R (Remove It from Undo)."""
    said: list[str] = []

    def read(box: QMessageBox) -> None:
        qtbot.waitUntil(box.isActiveWindow)
        said.append(box.text())
        if remove:
            assert [b.text() for b in box.buttons()] == ["&Keep the Step", "&Remove It from Redo" if redo else
                                                         "&Remove It from Undo"]
            qtbot.keyClick(box, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
        else:
            assert box.defaultButton().text() == "&Keep the Step"
            qtbot.keyClick(box, Qt.Key.Key_Return)

    boxes = on_dialog(QMessageBox, read, read)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL | SHIFT if redo else CTRL)
    qtbot.wait(50)  # (a refused step is moved back on the stack once the event loop runs)
    boxes.stop()
    return said


def _vars(tmp_path, project, text: str) -> None:
    table = tmp_path / "cli.csv"
    table.write_text(text, encoding="utf-8")
    result = run_cli("vars", project.path, table)
    assert result.returncode == 0, result.stderr


def _last_actor(path) -> str:
    return _value(path, "SELECT actor FROM history ORDER BY id DESC LIMIT 1")[0]


def test_undo_of_an_issuer_edit_is_refused_over_the_value_annotator_vars_set_since(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        doc = window.session.document.id
        type_into(qtbot, window.properties.panel.editors["issuer"], "Window Issuer")
        assert _value(project.path, "SELECT issuer FROM documents WHERE id = ?", doc) == ("Window Issuer",)
        _vars(tmp_path, project, "title,issuer,memo\njoint statement,CLI Issuer,CLI memo\n")
        cli_actor = _last_actor(project.path)
        before = content(project.path)

        said = _keys(qtbot, window)  # Ctrl+Z of "Set Issuer to “Window Issuer”"
        assert content(project.path) == before  # nothing changed: the command line's value stands
        assert _value(project.path, "SELECT issuer, note FROM documents WHERE id = ?", doc) == ("CLI Issuer",
                                                                                              "CLI memo")
        assert len(said) == 1
        message = said[0]
        assert "Cannot undo “Set Issuer to “Window Issuer””" in message
        assert "the Issuer of “joint statement” is now “CLI Issuer”" in message and f"by {cli_actor}" in message
        assert "“Window Issuer” as the change left it" in message and "no document" not in message
        # the step is still there, offered again: Edit ▸ Undo tells the truth
        qtbot.waitUntil(lambda: window.undo_group.undoText() == "Set Issuer to “Window Issuer”")
        assert window.undo_group.canUndo() and not window.undo_group.canRedo()
        assert window.session.undo_stack.index() == 1

        # the other writer puts my value back: the undo, tried again, is done
        _vars(tmp_path, project, "title,issuer\njoint statement,Window Issuer\n")
        assert _keys(qtbot, window) == []
        assert _value(project.path, "SELECT issuer FROM documents WHERE id = ?", doc) == ("",)
        assert window.session.undo_stack.index() == 0 and window.undo_group.canRedo()


def test_redo_of_an_issuer_edit_is_refused_over_a_value_set_since_and_kept_to_redo(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        doc = window.session.document.id
        type_into(qtbot, window.properties.panel.editors["issuer"], "Window Issuer")
        assert _keys(qtbot, window) == []  # undone: empty again
        _vars(tmp_path, project, "title,issuer\njoint statement,CLI Issuer\n")
        said = _keys(qtbot, window, redo=True)
        assert _value(project.path, "SELECT issuer FROM documents WHERE id = ?", doc) == ("CLI Issuer",)
        assert len(said) == 1 and "Cannot redo" in said[0] and "now “CLI Issuer”" in said[0]
        assert "not done again" in said[0]
        qtbot.waitUntil(lambda: window.session.undo_stack.index() == 0)
        assert window.undo_group.redoText() == "Set Issuer to “Window Issuer”" and not window.undo_group.canUndo()


def test_undo_of_a_title_is_refused_over_the_new_title_a_vars_file_gave_since(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        doc = window.session.document.id
        type_into(qtbot, window.properties.panel.editors["title"], "My title")
        _vars(tmp_path, project, "title,new_title\nMy title,Their title\n")
        before = content(project.path)
        said = _keys(qtbot, window)
        assert content(project.path) == before
        assert _value(project.path, "SELECT title FROM documents WHERE id = ?", doc) == ("Their title",)
        assert len(said) == 1 and "the Title of “Their title” is now “Their title”" in said[0]
        assert "not “My title”" in said[0]
        qtbot.waitUntil(lambda: window.undo_group.undoText() == "Set Title to “My title”")


def test_undo_of_a_status_is_refused_when_another_writer_set_another_since(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        doc = window.session.document.id
        next(a for a in window.menus["&Document"].actions() if a.text().replace("&", "") == "Mark Skipped").trigger()
        assert project.status_of(doc) == "skipped"
        other = Project.open(project.path, user="bob")  # another program writing the project
        try:
            other.set_status(doc, "done")
        finally:
            other.close()
        said = _keys(qtbot, window)
        assert project.status_of(doc) == "done"
        assert len(said) == 1 and "the Status of “joint statement” is now “done” (set by bob at" in said[0]
        qtbot.waitUntil(lambda: window.undo_group.undoText() == "Mark skipped")


def test_undo_of_a_label_is_refused_when_the_span_was_changed_elsewhere(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        doc = window.session.document.id
        key_select(qtbot, window.view, 3, 7)
        qtbot.keyClick(window.view, Qt.Key.Key_1)
        (span,) = project.spans(doc)
        other = Project.open(project.path, user="bob")
        try:
            other.update_span(span.id, note="bob's note")
        finally:
            other.close()
        said = _keys(qtbot, window)
        assert [s.note for s in project.spans(doc)] == ["bob's note"]  # not deleted
        assert len(said) == 1 and "in “joint statement”" in said[0] and "by bob at" in said[0]
        qtbot.waitUntil(lambda: window.undo_group.undoText().startswith("Label"))


def test_undo_of_a_vars_file_is_refused_whole_over_a_value_set_since(qtbot, tmp_path):
    table = tmp_path / "mine.csv"
    table.write_text("title,issuer,date\njoint statement,FCDO,2023-07-12\nsecond statement,MOFA,\n", "utf-8")
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        _run_dialog(qtbot, window, table, tick=False)
        assert window.undo_group.undoText() == "Set Document Variables from “mine.csv”"
        _vars(tmp_path, project, "title,issuer\nsecond statement,Ministry\n")
        before = content(project.path)
        said = _keys(qtbot, window)
        assert content(project.path) == before  # nothing of the file taken back, the first statement's neither
        assert len(said) == 1 and "the Issuer of “second statement” is now “Ministry”" in said[0]
        qtbot.waitUntil(lambda: window.undo_group.undoText() == "Set Document Variables from “mine.csv”")
        _vars(tmp_path, project, "title,issuer\nsecond statement,MOFA\n")
        assert _keys(qtbot, window) == []  # tried again once the value is the file's: undone whole
        assert _value(project.path, "SELECT count(*) FROM documents WHERE issuer != '' OR date != ''") == (0,)


def test_a_refused_undo_of_delete_statement_keeps_its_step_and_the_steps_before_it(qtbot, tmp_path):
    """D3: the delete's undo refused (the command line imported the same text meanwhile) stays the step to undo;
    the label made before it is still below it, and no message names an internal id."""
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        window.open_document(project.documents()[-1].id)
        doc = window.session.document.id
        key_select(qtbot, window.view, 3, 7)
        qtbot.keyClick(window.view, Qt.Key.Key_2)
        assert len(project.spans(doc)) == 1

        def delete(box: QMessageBox) -> None:
            qtbot.waitUntil(box.isActiveWindow)
            next(b for b in box.buttons() if b.text().replace("&", "") == "Delete").click()

        timer = on_dialog(QMessageBox, delete)
        window.statements.delete_action.trigger()
        timer.stop()
        assert project.status_of(doc) is None
        source = tmp_path / "again.jsonl"
        source.write_bytes(orjson.dumps({"text": DOCS[1].text, "meta": {"title": "second-reimported"}}) + b"\n")
        result = run_cli("import", project.path, source)
        assert result.returncode == 0, result.stderr
        before = content(project.path)
        for _ in range(2):  # refused, and refused again: the same step each time, never the label under it
            said = _keys(qtbot, window)
            assert len(said) == 1 and "second-reimported" in said[0] and "no document" not in said[0]
            qtbot.waitUntil(lambda: window.undo_group.undoText() == "Delete Statement “second statement”")
            assert window.session.undo_stack.index() == 2 and not window.undo_group.canRedo()
            assert content(project.path) == before


def test_a_refused_step_inside_one_undo_step_keeps_the_whole_step_done(qtbot, tmp_path):
    """Labels ▸ Import Codebook… is one step of several changes (a label, a variable): the variable's removal is
    refused (``annotator vars`` gave it values since, which the undo would take away for good), so the whole step
    stays done -- the label it added too -- and Edit ▸ Undo offers it again."""
    from annotator.core.codebook import codebook_to_json
    from annotator.core.model import Label
    from annotator.core.variables import Variable
    from annotator.store import variables as sv
    from annotator.ui.codebook.preview import ImportPreview
    from tests.ui.conftest import choose_in_file_dialog

    shared = tmp_path / "team.codebook.json"
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        labels = project.labels() + [Label("warning", "Warning", "4", "#56b4e9")]
        shared.write_bytes(codebook_to_json(labels, [Variable("wave", "number")], None))
        timer = on_dialog(ImportPreview, lambda d: d.accept())  # noqa: F841 - alive while it runs
        choose_in_file_dialog(shared)
        window.actions_["codebook_import"].trigger()
        assert window.undo_group.undoText() == "Import codebook “team.codebook.json”"
        _vars(tmp_path, project, "title,wave\nsecond statement,7\n")
        said = _keys(qtbot, window)
        assert len(said) == 1 and "the wave of “second statement” is now “7”" in said[0]
        qtbot.waitUntil(lambda: window.session.undo_stack.index() == 1)
        assert window.undo_group.undoText() == "Import codebook “team.codebook.json”"
        assert not window.undo_group.canRedo()
        assert "warning" in [lb.key for lb in project.labels()] and "wave" in [v.name for v in
                                                                               sv.definitions(project)]
        assert sv.fields(project, project.documents()[1].id).values == {"wave": 7}
        assert "warning" in [lb.key for lb in window.session.labels]


def test_a_refused_step_removed_from_undo_lets_undo_go_on_to_the_step_before(qtbot, tmp_path):
    """The refusal asks: Keep the Step (Enter), or Remove It from Undo, whose change stays and Edit ▸ Undo goes on
    to the step before it -- the way on when the values will not come back (a delete's undo refused over a
    statement imported again: the label made before the delete is then refused too, by its statement's title)."""
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        first = window.session.document.id
        type_into(qtbot, window.properties.panel.editors["issuer"], "First Issuer")
        window.open_document(project.documents()[-1].id)
        doc = window.session.document.id
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        window.view.setFocus()
        key_select(qtbot, window.view, 3, 7)
        qtbot.keyClick(window.view, Qt.Key.Key_2)

        def delete(box: QMessageBox) -> None:
            qtbot.waitUntil(box.isActiveWindow)
            next(b for b in box.buttons() if b.text().replace("&", "") == "Delete").click()

        timer = on_dialog(QMessageBox, delete)
        window.statements.delete_action.trigger()
        timer.stop()
        source = tmp_path / "again.jsonl"
        source.write_bytes(orjson.dumps({"text": DOCS[1].text, "meta": {"title": "second-reimported"}}) + b"\n")
        assert run_cli("import", project.path, source).returncode == 0
        before = content(project.path)
        assert window.session.undo_stack.count() == 3

        said = _keys(qtbot, window, remove=True)  # the delete's undo: refused, removed
        assert len(said) == 1 and "second-reimported" in said[0]
        qtbot.waitUntil(lambda: window.session.undo_stack.count() == 2)
        assert window.session.undo_stack.index() == 2 and window.undo_group.undoText() == "Label “Commitment”"
        assert not window.undo_group.canRedo() and content(project.path) == before

        said = _keys(qtbot, window, remove=True)  # the label on the deleted statement: named by its title
        assert len(said) == 1 and "the deleted statement “second statement” is no longer in the project" in said[0]
        assert "no document" not in said[0] and f" {doc} " not in said[0]
        qtbot.waitUntil(lambda: window.session.undo_stack.count() == 1)
        assert window.undo_group.undoText() == "Set Issuer to “First Issuer”" and content(project.path) == before

        assert _keys(qtbot, window) == []  # and the step before them is undone as ever
        assert _value(project.path, "SELECT issuer FROM documents WHERE id = ?", first) == ("",)
        assert window.session.undo_stack.index() == 0 and window.undo_group.canRedo()


def test_a_refused_redo_removed_from_redo_is_not_made_and_redo_goes_on(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        doc = window.session.document.id
        type_into(qtbot, window.properties.panel.editors["issuer"], "Window Issuer")
        type_into(qtbot, window.properties.panel.editors["date"], "2024-05-06")
        assert _keys(qtbot, window) == [] and _keys(qtbot, window) == []
        _vars(tmp_path, project, "title,issuer\njoint statement,CLI Issuer\n")
        said = _keys(qtbot, window, redo=True, remove=True)
        assert len(said) == 1 and "Cannot redo" in said[0]
        qtbot.waitUntil(lambda: window.session.undo_stack.count() == 1)
        assert window.session.undo_stack.index() == 0 and not window.undo_group.canUndo()
        assert window.undo_group.redoText() == "Set Date to “2024-05-06”"
        assert _keys(qtbot, window, redo=True) == []
        assert _value(project.path, "SELECT issuer, date FROM documents WHERE id = ?", doc) == ("CLI Issuer",
                                                                                              "2024-05-06")


def _manage(qtbot, window, work) -> None:
    from annotator.ui.properties.variables_dialog import VariablesDialog

    timer = on_dialog(VariablesDialog, work)
    window.properties.manage()
    timer.stop()


def _select(dialog, name: str) -> None:
    listed = dialog.list
    row = next(r for r in range(listed.count()) if listed.item(r).text().startswith(name))
    listed.setCurrentRow(row)


def test_undo_of_deleting_a_variable_is_refused_when_annotator_vars_added_one_of_its_name(qtbot, tmp_path):
    from annotator.core.variables import Variable
    from annotator.store import variables as sv

    def prepare(project):
        sv.add_variable(project, Variable("region", "text"))
        sv.set_value(project, project.documents()[0].id, "region", "Asia")

    with window_over(qtbot, tmp_path, DOCS, prepare) as (window, project):
        def delete(dialog) -> None:
            _select(dialog, "region")
            on_dialog(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
            qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
            dialog.reject()

        _manage(qtbot, window, delete)
        assert sv.definitions(project) == [] and window.undo_group.undoText() == "Delete variable “region”"
        _vars(tmp_path, project, "title,region\nsecond statement,Europe\n")  # a new "region", a text of its own
        before = content(project.path)
        said = _keys(qtbot, window)
        assert content(project.path) == before  # Europe kept, Asia not put over it
        assert len(said) == 1 and "the project has a variable “region” again" in said[0]
        qtbot.waitUntil(lambda: window.undo_group.undoText() == "Delete variable “region”")


def test_undo_of_reordering_variables_keeps_one_annotator_vars_added_since(qtbot, tmp_path):
    from annotator.core.variables import Variable
    from annotator.store import variables as sv

    def prepare(project):
        sv.add_variable(project, Variable("region", "text"))
        sv.add_variable(project, Variable("wave", "number"))

    with window_over(qtbot, tmp_path, DOCS, prepare) as (window, project):
        def up(dialog) -> None:
            _select(dialog, "wave")
            qtbot.mouseClick(dialog.up_button, Qt.MouseButton.LeftButton)
            dialog.reject()

        _manage(qtbot, window, up)
        assert [v.name for v in sv.definitions(project)] == ["wave", "region"]
        _vars(tmp_path, project, "title,phase\nsecond statement,late\n")
        assert _keys(qtbot, window) == []  # not refused for a variable it did not know
        assert [v.name for v in sv.definitions(project)] == ["region", "wave", "phase"]
        assert _keys(qtbot, window, redo=True) == []
        assert [v.name for v in sv.definitions(project)] == ["wave", "region", "phase"]


def test_the_refused_step_is_back_in_place_as_soon_as_the_key_returns(qtbot, tmp_path):
    """No moment in which Edit ▸ Undo offers the step below: a Ctrl+Z pressed right after the refusal meets the
    refused step again, never the one under it."""
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        doc = window.session.document.id
        type_into(qtbot, window.properties.panel.editors["date"], "2024-01-02")
        type_into(qtbot, window.properties.panel.editors["issuer"], "Window Issuer")
        _vars(tmp_path, project, "title,issuer\njoint statement,CLI Issuer\n")
        said: list[str] = []
        boxes = on_dialog(QMessageBox, *[lambda box: (said.append(box.text()), box.accept())] * 2)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        window.view.setFocus()
        qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
        assert window.session.undo_stack.index() == 2  # at once, no event processed since
        assert window.undo_group.undoText() == "Set Issuer to “Window Issuer”" and not window.undo_group.canRedo()
        window.activateWindow()  # (back from the message box, as a hand clicks the window)
        qtbot.waitUntil(window.isActiveWindow)
        window.view.setFocus()
        qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
        boxes.stop()
        assert len(said) == 2 and all("“CLI Issuer”" in text for text in said)
        assert _value(project.path, "SELECT date, issuer FROM documents WHERE id = ?", doc) == ("2024-01-02",
                                                                                              "CLI Issuer")


def test_a_redo_over_a_statement_deleted_elsewhere_names_it_by_its_title(qtbot, tmp_path):
    """L5: a vars file's redo after another program deleted one of its statements: refused, the statement named by
    the title its deletion recorded, never "no document 2 in …"."""
    from annotator.store import statements

    table = tmp_path / "mine.csv"
    table.write_text("title,issuer\njoint statement,FCDO\nsecond statement,MOFA\n", "utf-8")
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        _run_dialog(qtbot, window, table, tick=False)
        assert _keys(qtbot, window) == []  # undone
        second = project.documents()[1].id
        other = Project.open(project.path, user="bob")
        try:
            statements.delete_statement(other, second)
        finally:
            other.close()
        said = _keys(qtbot, window, redo=True)
        assert len(said) == 1 and "Cannot redo “Set Document Variables from “mine.csv””" in said[0]
        assert "the deleted statement “second statement” is not in the project" in said[0], said[0]
        assert "no document" not in said[0] and str(project.path) not in said[0]
        qtbot.waitUntil(lambda: window.undo_group.redoText() == "Set Document Variables from “mine.csv”")
