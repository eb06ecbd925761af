"""Trial 14, F3 and F6: Delete… on a label in use chooses nothing for the user (Enter merged all of one label's
spans into another's), one answer keeps the spans and only frees the label's key; a digit with no label says so.

Driven through the real window: Ctrl+K, the Delete… button, the question's keys; then the database read."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QInputDialog, QPushButton

from annotator.ui.codebook.dialog import CodebookDialog
from tests.ui.conftest import HOSTILE, key_select, on_dialog, spans_in_db

CTRL = Qt.KeyboardModifier.ControlModifier


def _back_in_the_statement(qtbot, window):
    """The codebook closed: the window active again with the keyboard in the statement (its keys work)."""
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window and QApplication.focusWidget() is window.view)


def _label_peace(qtbot, window):
    """"peace" labelled Threat with key 1: the label in use."""
    key_select(qtbot, window.view, HOSTILE.index("peace"), 5)
    qtbot.keyClick(window.view, Qt.Key.Key_1)


def _delete_row(qtbot, row: int, answer):
    """Ctrl+K's editor: row ``row`` selected, Delete… clicked, ``answer(question)`` run on the question asked,
    then the codebook's OK clicked."""
    def drive(dialog):
        dialog.table.selectRow(row)
        delete = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Delete…")
        asked = on_dialog(QInputDialog, answer)  # noqa: F841 - kept alive while the question runs
        qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
        box = next(b for b in dialog.findChildren(QDialogButtonBox) if b.parent() is dialog)
        qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    return drive


def test_enter_on_the_delete_question_merges_nothing_it_waits_for_a_choice(qtbot, window, project):
    _label_peace(qtbot, window)
    doc = window.session.document.id
    before = (project.labels(), spans_in_db(project, doc))
    seen: dict[str, object] = {}

    def press_enter_then_escape(question):
        ok = question.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        seen["shown"] = question.textValue()
        seen["prompt"] = question.labelText()
        seen["ok enabled"] = ok.isEnabled()
        qtbot.keyClick(question.findChild(QComboBox), Qt.Key.Key_Return)  # the old default: merged into Commitment
        qtbot.keyClick(question, Qt.Key.Key_Return)
        seen["still asking"] = question.isVisible()
        qtbot.keyClick(question, Qt.Key.Key_Escape)

    timer = on_dialog(CodebookDialog, _delete_row(qtbot, 0, press_enter_then_escape))  # noqa: F841
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    assert seen["shown"] == "Choose what happens to its 1 span…"
    assert "labels 1 span." in str(seen["prompt"]) and "Undo" in str(seen["prompt"])
    assert seen["ok enabled"] is False and seen["still asking"] is True
    assert (project.labels(), spans_in_db(project, doc)) == before  # no label gone, no span moved


def test_keeping_the_spans_frees_only_the_labels_key_and_the_freed_key_says_it_has_no_label(qtbot, window, project):
    _label_peace(qtbot, window)
    doc = window.session.document.id
    spans = spans_in_db(project, doc)
    offered: list[str] = []

    def keep(question):
        combo = question.findChild(QComboBox)
        offered.extend(combo.itemText(i) for i in range(combo.count()))
        qtbot.keyClick(combo, Qt.Key.Key_Down)  # the first answer: keep, free the key
        qtbot.keyClick(question, Qt.Key.Key_Return)

    timer = on_dialog(CodebookDialog, _delete_row(qtbot, 0, keep))  # noqa: F841
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    assert offered[:3] == ["Choose what happens to its 1 span…",
                           "Keep it and its 1 span, only free its key 1 (the label stays)", "Delete its 1 span"]
    threat = project.labels()[0]
    assert (threat.key, threat.name, threat.shortcut) == ("threat", "Threat", "")
    assert spans_in_db(project, doc) == spans
    assert window.labels_bar.buttons["threat"].text().startswith("Threat")  # no "[1]" on its button
    # key 1 has no label now: pressed over words it says so, and labels nothing
    _back_in_the_statement(qtbot, window)
    key_select(qtbot, window.view, HOSTILE.index("restraint"), 9)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert window.statusBar().currentMessage().startswith("No label on key 1 — Labels ▸ Edit Codebook…")
    assert spans_in_db(project, doc) == spans
    window.session.undo_stack.undo()  # the codebook step: key 1 is Threat's again
    assert project.labels()[0].shortcut == "1"


def test_deleting_the_spans_is_chosen_with_the_keys_and_undo_brings_them_back(qtbot, window, project):
    _label_peace(qtbot, window)
    doc = window.session.document.id
    before = (project.labels(), spans_in_db(project, doc))

    def delete_spans(question):
        combo = question.findChild(QComboBox)
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        assert question.textValue() == "Delete its 1 span"
        qtbot.keyClick(question, Qt.Key.Key_Return)

    timer = on_dialog(CodebookDialog, _delete_row(qtbot, 0, delete_spans))  # noqa: F841
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    assert [lb.key for lb in project.labels()] == ["commitment", "call_to_action"]
    assert spans_in_db(project, doc) == []
    window.session.undo_stack.undo()
    assert (project.labels(), spans_in_db(project, doc)) == before


def test_a_digit_whose_label_was_deleted_says_so_in_the_status_bar(qtbot, window, project):
    """Commitment (key 2, no span) deleted in the codebook: 2 and Ctrl+2 over words say no label has the key."""
    timer = on_dialog(CodebookDialog, _delete_row(qtbot, 1, lambda q: q.reject()))  # noqa: F841 - not asked
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    assert [lb.key for lb in project.labels()] == ["threat", "call_to_action"]
    doc = window.session.document.id
    _back_in_the_statement(qtbot, window)
    for modifier in (Qt.KeyboardModifier.NoModifier, CTRL):
        window.statusBar().clearMessage()
        key_select(qtbot, window.view, HOSTILE.index("peace"), 5)
        qtbot.keyClick(window.view, Qt.Key.Key_2, modifier)
        assert window.statusBar().currentMessage() == (
            "No label on key 2 — Labels ▸ Edit Codebook… (Ctrl+K) to give it one")
        assert spans_in_db(project, doc) == []
    qtbot.keyClick(window.view, Qt.Key.Key_3)  # a key with a label still labels
    assert [s[2] for s in spans_in_db(project, doc)] == ["call_to_action"]
