"""A newcomer's trial of Labels ▸ Import Codebook…: it replaced the codebook at once — labels without spans gone, a
kept label's shortcut given to another one, names and colours changed, no word said — and Ctrl+Z took two steps to
undo it. Now a preview lists what the file would change, Cancel changes nothing, OK applies it as one step of
Edit ▸ Undo, and a label some span uses is never removed. Also the codebook editor: a label added in the dialog is
offered as the place to move a deleted label's spans, and the Key column says why it cannot be edited.

Driven through the real menu action, Qt's file dialog with the file chosen in it, and the real preview; the
project file read after."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialogButtonBox,
    QInputDialog,
    QMessageBox,
    QPushButton,
)

from annotator.core.codebook import DEFAULT_LABELS, codebook_to_json
from annotator.core.model import IncomingDocument, Label
from annotator.core.suggest.cues import Cue
from annotator.core.variables import Variable
from annotator.store import suggest as cue_store
from annotator.store import variables as sv
from annotator.ui.codebook.dialog import CodebookDialog
from annotator.ui.codebook.preview import ImportPreview
from tests.ui.conftest import PARAGRAPH, SECOND, choose_in_file_dialog, on_dialog, window_over
from tests.ui.test_tester_codebook import _type_and_enter

CTRL = Qt.KeyboardModifier.ControlModifier
THREAT, COMMITMENT, CALL = DEFAULT_LABELS
DENIAL = Label("denial", "Denial", "4", "#cc79a7", "a statement that denies")
SPARE = Label("spare", "Spare", "6", "#e69f00", "never used")
LONG = PARAGRAPH * 60 + "They threaten the region."


def _prepare(project) -> None:
    """The project's own codebook: the default labels, Denial (shortcut 4, spans) and Spare (no span)."""
    project.set_codebook(list(DEFAULT_LABELS) + [DENIAL, SPARE])
    project.add_span(1, 0, 3, "threat")
    project.add_span(1, 4, 14, "denial")
    project.add_span(2, 0, 6, "denial")


@pytest.fixture
def opened(qtbot, tmp_path):
    docs = [IncomingDocument(LONG, "long"), IncomingDocument(SECOND, "second")]
    with window_over(qtbot, tmp_path, docs, _prepare) as (window, project):
        yield window, project


def _shared(tmp_path, labels, cues=None, variables=()) -> str:
    path = tmp_path / "shared.codebook.json"
    path.write_bytes(codebook_to_json(labels, variables, cues))
    return str(path)


def _team_file(tmp_path) -> str:
    """A colleague's codebook: Threat renamed, Commitment recoloured, Call to action described anew, Warning added
    with shortcut 4 (Denial's), a cue pattern for Threat and a variable."""
    return _shared(tmp_path, [replace(THREAT, name="Menace"), replace(COMMITMENT, color="#000000"),
                              replace(CALL, description="an appeal"), Label("warning", "Warning", "4", "#56b4e9")],
                   {"threat": [Cue("shared-threat", "phrase", "we will retaliate")]}, [Variable("joint", "bool")])


def _import(qtbot, window, path, *answers) -> list[str]:
    """Labels ▸ Import Codebook…, ``path`` chosen; each of ``answers`` acts on the preview (the lines shown are
    returned)."""
    seen: list[str] = []

    def look(answer):
        def act(dialog):
            qtbot.waitUntil(dialog.isVisible)
            seen.extend(dialog.lines())
            answer(dialog)
        return act

    timer = on_dialog(ImportPreview, *(look(a) for a in answers))  # noqa: F841 - alive while it runs
    choose_in_file_dialog(path)
    window.actions_["codebook_import"].trigger()
    return seen


def _click(qtbot, dialog, which) -> None:
    qtbot.mouseClick(dialog.buttons.button(which), Qt.MouseButton.LeftButton)


def _state(project):
    return project.labels(), project.label_counts(), cue_store.cues(project), sv.definitions(project)


def test_cancel_in_the_preview_changes_nothing(qtbot, opened, tmp_path):
    window, project = opened
    before, steps = _state(project), window.session.undo_stack.count()
    seen = _import(qtbot, window, _team_file(tmp_path),
                   lambda d: _click(qtbot, d, QDialogButtonBox.StandardButton.Cancel))
    assert seen, "no preview was shown"
    assert _state(project) == before and window.session.undo_stack.count() == steps
    assert "nothing was changed" in window.statusBar().currentMessage()


def test_the_preview_lists_every_change_ok_applies_it_and_one_undo_restores_the_codebook(qtbot, opened,
                                                                                          tmp_path):
    window, project = opened
    view = window.view
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum() // 2)
    place, doc = bar.value(), window.session.document.id
    before, steps = _state(project), window.session.undo_stack.count()
    seen = _import(qtbot, window, _team_file(tmp_path), lambda d: _click(qtbot, d, QDialogButtonBox.StandardButton.Ok))
    text = "\n".join(seen)
    assert "Warning — key warning, shortcut 4" in text
    assert "Threat → Menace (the key threat stays)" in text
    assert "Commitment: #0072b2 → #000000" in text and "Call to action: “a demand" in text
    # Denial has spans: kept, and the preview says its shortcut moves, and why
    assert "Denial: 4 → 5 — the file gives 4 to “Warning”" in text
    assert "Denial — 2 span(s): kept (a label in use is never removed)" in text
    assert "Spare — no span: kept" in text
    assert "Menace: the file's 1 instead of its 5 — adds shared-threat; removes threat-" in text
    assert "joint (Yes/no)" in text

    labels = {lb.key: lb for lb in project.labels()}
    assert [lb.key for lb in project.labels()] == ["threat", "commitment", "call_to_action", "warning", "denial",
                                                   "spare"]
    assert labels["threat"].name == "Menace" and labels["denial"].shortcut == "5" and labels["warning"].shortcut == "4"
    assert labels["spare"].shortcut == "6"
    assert project.label_counts() == before[1]  # no span lost or moved
    assert Cue("shared-threat", "phrase", "we will retaliate") in cue_store.cues(project)["threat"]
    assert Variable("joint", "bool") in sv.definitions(project)
    assert window.session.undo_stack.count() == steps + 1
    message = window.statusBar().currentMessage()
    assert "Imported the codebook of shared.codebook.json" in message and "1 label(s) added" in message
    # the analyst is where they were reading: same statement, same place
    assert window.session.document.id == doc and bar.value() == place

    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)  # the keys back in the statement
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # one undo: labels, cues and variables
    assert _state(project) == before
    assert window.session.undo_stack.index() == steps


def test_labels_no_span_uses_are_removed_only_when_ticked_and_a_used_one_never(qtbot, opened, tmp_path):
    window, project = opened
    before = _state(project)

    def tick_then_ok(dialog):
        box = dialog.findChild(QCheckBox, "codebook_import_remove_unused")
        assert box.isVisible() and "(1)" in box.text()  # Spare: Denial has spans, it is not offered
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
        assert "Spare — no span: removed" in dialog.lines()
        _click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)

    path = _shared(tmp_path, list(DEFAULT_LABELS))
    # not ticked (as the preview opens): Spare stays, and so nothing changes
    seen = _import(qtbot, window, path, lambda d: _click(qtbot, d, QDialogButtonBox.StandardButton.Ok))
    assert "Spare — no span: kept" in seen and "Denial — 2 span(s): kept (a label in use is never removed)" in seen
    assert _state(project) == before
    assert _import(qtbot, window, path, tick_then_ok)
    assert [lb.key for lb in project.labels()] == ["threat", "commitment", "call_to_action", "denial"]
    assert project.labels()[-1] == DENIAL  # kept whole, shortcut too: the file does not give 4 away
    window.session.undo_stack.undo()
    assert _state(project) == before


def test_a_file_the_codebook_matches_says_so_and_changes_nothing(qtbot, opened, tmp_path):
    window, project = opened
    path = _shared(tmp_path, project.labels(), cue_store.cues(project), sv.definitions(project))
    before, steps = _state(project), window.session.undo_stack.count()
    told: list[str] = []
    boxes = on_dialog(QMessageBox, lambda box: (told.append(box.text()), box.accept()))  # noqa: F841
    previews: list[object] = []
    timer = on_dialog(ImportPreview, lambda d: (previews.append(d), d.reject()), timeout_ms=2000)  # noqa: F841
    choose_in_file_dialog(path)
    window.actions_["codebook_import"].trigger()
    assert told and "is this project's already: nothing was changed" in told[0]
    assert not previews
    assert _state(project) == before and window.session.undo_stack.count() == steps


def _answer_with(qtbot, choice: str, offered: list[list[str]]):
    def act(question):
        offered.append(question.comboBoxItems())
        question.setTextValue(choice)
        qtbot.keyClick(question, Qt.Key.Key_Return)
    return act


def _add_warning_and_move_denials(qtbot, offered: list[list[str]], seen: dict[str, object] | None = None):
    """Ctrl+K's editor: Add "Warning", then Delete… Denial (2 spans) moving its spans to the new label, then OK
    (the choices the deletion offered are appended to ``offered``; the new label's key to ``seen``)."""
    def drive(dialog):
        buttons = {b.text(): b for b in dialog.findChildren(QPushButton)}
        names = on_dialog(QInputDialog, _type_and_enter(qtbot, "Warning"),  # noqa: F841
                          _answer_with(qtbot, "Move its spans to “Warning” (new)", offered))
        qtbot.mouseClick(buttons["Add"], Qt.MouseButton.LeftButton)
        if seen is not None:
            seen["key"] = dialog.table.item(dialog.table.rowCount() - 1, 1).text()
        dialog.table.selectRow(3)  # Denial: 2 spans
        qtbot.mouseClick(buttons["Delete…"], Qt.MouseButton.LeftButton)
        box = dialog.findChild(QDialogButtonBox)
        qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    return drive


def test_a_label_added_in_the_codebook_editor_takes_a_deleted_labels_spans(qtbot, opened):
    window, project = opened
    before, steps = _state(project), window.session.undo_stack.count()
    offered: list[list[str]] = []
    seen: dict[str, object] = {}
    timer = on_dialog(CodebookDialog, _add_warning_and_move_denials(qtbot, offered, seen))  # noqa: F841
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    assert offered and "Move its spans to “Warning” (new)" in offered[0]
    assert seen["key"] == "warning"
    keys = [lb.key for lb in project.labels()]
    assert "denial" not in keys and "warning" in keys
    assert project.label_counts()["warning"] == 2 and "denial" not in project.label_counts()
    assert window.session.undo_stack.count() == steps + 1
    window.session.undo_stack.undo()  # one step back: Denial and its spans, no Warning
    assert _state(project) == before


def test_the_key_column_says_why_it_cannot_be_edited_and_a_new_keys_follows_its_name(qtbot, opened):
    window, project = opened
    seen: dict[str, object] = {}

    def drive(dialog):
        table = dialog.table
        seen["header"] = table.horizontalHeaderItem(1).toolTip()
        seen["cell"] = table.item(0, 1).toolTip()
        seen["editable"] = bool(table.item(0, 1).flags() & Qt.ItemFlag.ItemIsEditable)
        seen["hint"] = dialog.findChild(type(dialog.cue_title), "codebook_key_hint").text()
        names = on_dialog(QInputDialog, _type_and_enter(qtbot, "Warnin"))  # noqa: F841
        qtbot.mouseClick(next(b for b in dialog.findChildren(QPushButton) if b.text() == "Add"),
                         Qt.MouseButton.LeftButton)
        row = table.rowCount() - 1
        table.item(row, 0).setText("Warning sign")  # the typo corrected before OK: the key follows
        seen["new"] = (table.item(row, 1).text(), bool(table.item(row, 1).flags() & Qt.ItemFlag.ItemIsEditable))
        box = dialog.findChild(QDialogButtonBox)
        qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    timer = on_dialog(CodebookDialog, drive)  # noqa: F841
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    assert "what exports and the command line write" in seen["header"] and "fixed once" in seen["header"]
    assert "what exports and the command line write" in seen["cell"] and not seen["editable"]
    assert "what exports and the command line write" in seen["hint"]
    assert seen["new"] == ("warning_sign", True)
    assert "warning_sign" in [lb.key for lb in project.labels()]


def _disk_full(monkeypatch, owner, name: str) -> list[str]:
    """``owner.name`` refuses as a full disk does; the messages the window shows are returned as they come."""
    from annotator.errors import AnnotatorError
    from annotator.ui import mainwindow

    told: list[str] = []
    monkeypatch.setattr(mainwindow, "error", lambda _parent, _title, message: told.append(message))

    def refuse(*_args):
        raise AnnotatorError("disk full")

    monkeypatch.setattr(owner, name, refuse)
    return told


def test_a_refused_step_takes_back_the_whole_import(qtbot, opened, tmp_path, monkeypatch):
    """The store refuses the variable (disk full) after the labels and cues were changed: those are put back, the
    analyst is told, and Edit ▸ Undo offers nothing of it."""
    from annotator.ui.commands import SetStatus

    window, project = opened
    window.session.push(SetStatus(window.session, 2, "done"))  # a change before: it stays the one to undo
    before, steps = _state(project), window.session.undo_stack.count()
    told = _disk_full(monkeypatch, sv, "add_variable")
    _import(qtbot, window, _team_file(tmp_path), lambda d: _click(qtbot, d, QDialogButtonBox.StandardButton.Ok))
    assert told == ["disk full"]
    assert _state(project) == before
    stack = window.session.undo_stack
    assert stack.count() == steps and not stack.canRedo() and stack.undoText() == "Mark done"


def test_a_refused_move_to_a_label_added_in_the_editor_leaves_the_codebook_as_it_was(qtbot, opened, monkeypatch):
    from annotator.store import Project

    window, project = opened
    before, steps = _state(project), window.session.undo_stack.count()
    told = _disk_full(monkeypatch, Project, "delete_label")
    offered: list[list[str]] = []
    timer = on_dialog(CodebookDialog, _add_warning_and_move_denials(qtbot, offered))  # noqa: F841
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    assert offered and "Move its spans to “Warning” (new)" in offered[0]
    assert told and "disk full" in told[0]
    assert _state(project) == before  # no Warning, Denial with its shortcut and spans
    assert window.session.undo_stack.count() == steps
