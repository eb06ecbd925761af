"""Trial 14, F7: what is being typed in Document Properties (a memo, an issuer) is not wiped when another program
changes the project. The window follows the command line "by itself" and showed the statement's fields again,
each with its saved value: a half-written memo was emptied, nothing saved, no trace. Driven through the real
fields with the real ``annotator vars`` run beside the window; what is saved is read back from the database."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.helpers import run_cli
from tests.ui.conftest import window_over
from tests.ui.test_undo_conflicts import DOCS, _value

CTRL = Qt.KeyboardModifier.ControlModifier


def _vars_beside(qtbot, window, tmp_path, project, text: str) -> None:
    """``annotator vars`` with ``text`` as its table, then the window's poll has shown what it did (the second
    statement's Issuer in the Documents list)."""
    table = tmp_path / "cli.csv"
    table.write_text(text, encoding="utf-8")
    result = run_cli("vars", project.path, table)
    assert result.returncode == 0, result.stderr
    model = window.documents.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    issuer = headers.index("Issuer")
    qtbot.waitUntil(lambda: "CLI" in str(model.index(model.row_of(2), issuer).data()), timeout=10000)
    qtbot.wait(100)


def _type(qtbot, editor, text: str) -> None:
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClick(editor, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(editor, text)


def test_an_issuer_being_typed_stays_when_the_command_line_changes_another_statement(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        doc = window.session.document.id
        issuer = window.properties.panel.editors["issuer"]
        _type(qtbot, issuer, "Korea MOFA typed")
        _vars_beside(qtbot, window, tmp_path, project, "title,issuer,memo\nsecond statement,CLI Issuer,CLI memo\n")
        assert issuer.text() == "Korea MOFA typed"  # was the saved value again: what was typed, gone
        assert issuer.hasFocus()
        qtbot.keyClick(issuer, Qt.Key.Key_Tab)  # leaving the field saves it
        assert _value(project.path, "SELECT issuer FROM documents WHERE id = ?", doc) == ("Korea MOFA typed",)
        assert _value(project.path, "SELECT issuer, note FROM documents WHERE id = 2") == ("CLI Issuer", "CLI memo")


def test_a_memo_being_written_stays_when_the_command_line_changes_this_statement_and_is_saved(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        doc = window.session.document.id
        panel = window.properties.panel
        memo = panel.editors["note"]
        _type(qtbot, memo, "Half a sentence of my memo")
        _vars_beside(qtbot, window, tmp_path, project,
                     "title,issuer\njoint statement,First CLI Issuer\nsecond statement,CLI Issuer\n")
        assert memo.toPlainText() == "Half a sentence of my memo"
        assert panel.editors["issuer"].text() == "First CLI Issuer"  # a field not typed in shows the new value
        assert panel.message.text() == ""  # the memo's saved value did not change: nothing to say
        qtbot.keyClick(memo, Qt.Key.Key_Return, CTRL)
        assert _value(project.path, "SELECT note, issuer FROM documents WHERE id = ?", doc) == (
            "Half a sentence of my memo", "First CLI Issuer")


def test_a_field_changed_under_the_typing_keeps_the_typing_and_says_so(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        doc = window.session.document.id
        panel = window.properties.panel
        issuer = panel.editors["issuer"]
        _type(qtbot, issuer, "Mine")
        _vars_beside(qtbot, window, tmp_path, project,
                     "title,issuer\njoint statement,Theirs\nsecond statement,CLI Issuer\n")
        assert issuer.text() == "Mine"
        assert "Issuer changed in the project while you typed here" in panel.message.text()
        qtbot.keyClick(issuer, Qt.Key.Key_Return)
        assert _value(project.path, "SELECT issuer FROM documents WHERE id = ?", doc) == ("Mine",)
        window.view.setFocus()
        qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # the undo gives back the command line's value
        qtbot.waitUntil(lambda: _value(project.path, "SELECT issuer FROM documents WHERE id = ?", doc) == ("Theirs",))
        assert issuer.text() == "Theirs"


def test_an_issuer_being_typed_stays_when_another_program_adds_a_variable(qtbot, tmp_path):
    """Another program adds a variable: the fields are made anew, one more of them; the typing is kept in its own."""
    from annotator.core.variables import Variable
    from annotator.store import Project
    from annotator.store import variables as sv

    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        doc = window.session.document.id
        panel = window.properties.panel
        _type(qtbot, panel.editors["issuer"], "Typed before")
        other = Project.open(project.path, user="bob")
        try:
            sv.add_variable(other, Variable("pages", "number"))
        finally:
            other.close()
        qtbot.waitUntil(lambda: "pages" in panel.editors, timeout=10000)
        issuer = panel.editors["issuer"]
        assert issuer.text() == "Typed before"
        panel.show_fields(doc, sv.fields(project, doc))  # shown again (another field saved): still kept
        assert issuer.text() == "Typed before"
        issuer.setFocus()
        qtbot.waitUntil(issuer.hasFocus)
        qtbot.keyClick(issuer, Qt.Key.Key_Return)
        assert _value(project.path, "SELECT issuer FROM documents WHERE id = ?", doc) == ("Typed before",)
