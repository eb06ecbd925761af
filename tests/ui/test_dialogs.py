"""Codebook editor, import (menu and drop), export dialog, store errors: real dialogs, then the database read."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from annotator.core.codebook import codebook_to_json
from annotator.core.model import Label
from annotator.errors import ProjectFileError
from annotator.ui import filedialogs
from annotator.ui.codebook.preview import ImportPreview
from tests.ui.conftest import HOSTILE, key_select, on_dialog, spans_in_db


def close_message_boxes(found: list[str]):
    """Accept every message box that opens, remembering its text (the tests' stand-in for the user)."""

    def sweep():
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                found.append(widget.text() + "\n" + (widget.detailedText() or ""))
                widget.accept()

    timer = QTimer()
    timer.timeout.connect(sweep)
    timer.start(20)
    return timer


def test_codebook_editor_add_rename_recolour_rekey_reorder(window, project, qtbot, monkeypatch):
    from annotator.ui.codebook import dialog as codebook_dialog

    monkeypatch.setattr(codebook_dialog.QInputDialog, "getText", lambda *a, **k: ("Sanction threat", True))
    monkeypatch.setattr(codebook_dialog.QColorDialog, "getColor", lambda *a, **k: QColor("#123456"))
    opened = []

    def drive(dialog):
        opened.append(dialog)
        dialog.add_label()
        dialog.table.item(0, 0).setText("Menace")  # rename
        dialog.table.selectRow(0)
        dialog.pick_color()  # recolour
        dialog.table.cellWidget(0, 2).setCurrentIndex(dialog.table.cellWidget(0, 2).findData("9"))  # re-key
        dialog.table.item(0, 4).setText("danger to security")
        dialog.table.selectRow(3)
        dialog.move_up()  # reorder: the new label before call_to_action
        dialog.accept()

    timer = on_dialog(codebook_dialog.CodebookDialog, drive)  # noqa: F841 - kept alive while the dialog runs
    window.files.edit_codebook()
    assert opened
    labels = project.labels()
    assert [lb.key for lb in labels] == ["threat", "commitment", "sanction_threat", "call_to_action"]
    assert labels[0] == Label("threat", "Menace", "9", "#123456", "danger to security")
    assert labels[2].shortcut == "4"
    assert window.labels_bar.buttons["threat"].text().startswith("[9] Menace")
    # the new keys work at once (focus is back on the statement), and the whole edit is one undo step
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window and QApplication.focusWidget() is window.view)
    key_select(qtbot, window.view, HOSTILE.index("peace"), 5)
    qtbot.keyClick(window.view, Qt.Key.Key_9)
    assert spans_in_db(project, window.session.document.id)[0][2] == "threat"
    window.session.undo_stack.undo()
    window.session.undo_stack.undo()
    assert [lb.key for lb in project.labels()] == ["threat", "commitment", "call_to_action"]
    assert window.labels_bar.buttons["threat"].text().startswith("[1] Threat")


def test_delete_used_label_asks_and_moves_its_spans(window, project, qtbot, monkeypatch):
    from annotator.ui.codebook import dialog as codebook_dialog

    key_select(qtbot, window.view, HOSTILE.index("peace"), 5)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    asked = []

    def choose(parent, label, used, others):
        asked.append([lb.name for lb, _new in others])
        return "move", others[0][0].key  # move to the first other label

    monkeypatch.setattr(codebook_dialog, "choose_fate", choose)

    def drive(dialog):
        dialog.table.selectRow(0)
        dialog.delete_label()
        dialog.accept()

    timer = on_dialog(codebook_dialog.CodebookDialog, drive)  # noqa: F841 - kept alive while the dialog runs
    window.files.edit_codebook()
    assert asked and asked[0][0] == "Commitment"
    assert [lb.key for lb in project.labels()] == ["commitment", "call_to_action"]
    assert spans_in_db(project, window.session.document.id)[0][2] == "commitment"
    window.session.undo_stack.undo()
    assert [lb.key for lb in project.labels()][0] == "threat"
    assert spans_in_db(project, window.session.document.id)[0][2] == "threat"


def test_deleting_a_used_label_offers_to_move_its_spans_first(window, project, qtbot):
    """The question chose "Delete its spans" at first, with OK focused (a newcomer's finding), then "Move its spans
    to …" (trial 14, F3): it now chooses nothing, Enter does nothing, and a move is picked. Driven through the real
    Delete… button and the real question."""
    from PySide6.QtWidgets import QInputDialog, QPushButton

    from annotator.ui.codebook import dialog as codebook_dialog

    key_select(qtbot, window.view, HOSTILE.index("peace"), 5)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    offered: list[str] = []

    def answer(question):
        offered.append(question.textValue())
        qtbot.keyClick(question, Qt.Key.Key_Return)  # nothing chosen: OK disabled
        question.setTextValue("Move its spans to “Commitment”")
        qtbot.keyClick(question, Qt.Key.Key_Return)

    def drive(dialog):
        dialog.table.selectRow(0)
        delete = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Delete…")
        question = on_dialog(QInputDialog, answer)  # noqa: F841 - kept alive while the question runs
        qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
        dialog.accept()

    timer = on_dialog(codebook_dialog.CodebookDialog, drive)  # noqa: F841 - kept alive while the dialog runs
    window.files.edit_codebook()
    assert offered == ["Choose what happens to its 1 span…"]
    assert [lb.key for lb in project.labels()] == ["commitment", "call_to_action"]
    assert spans_in_db(project, window.session.document.id)[0][2] == "commitment"


def test_a_long_label_name_leaves_every_column_in_view(window, project, qtbot):
    """A long name, fitted whole, pushed Colour and Description behind a scroll bar, and the description wrapped
    into rows 100 px tall (a newcomer's finding): the name column is held to a share of the table."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit, QPushButton

    from annotator.ui.codebook import dialog as codebook_dialog

    long = "Statement of military readiness and deterrence posture"
    seen = {}

    def name_it(question):
        field = question.findChild(QLineEdit)
        qtbot.keyClicks(field, long)
        qtbot.keyClick(field, Qt.Key.Key_Return)

    def look(dialog):
        dialog.resize(820, 560)
        add = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Add")
        asked = on_dialog(QInputDialog, name_it)  # noqa: F841 - kept alive while the question runs
        qtbot.mouseClick(add, Qt.MouseButton.LeftButton)  # Add asks the new label's name
        t = dialog.table
        row = t.rowCount() - 1
        qtbot.wait(20)
        seen["name_text"] = t.item(row, 0).text()
        seen["scroll"] = t.horizontalScrollBar().maximum()
        seen["name"] = t.horizontalHeader().sectionSize(0)
        seen["room"] = t.viewport().width()
        seen["rows"] = [t.rowHeight(r) for r in range(row)]
        dialog.reject()

    timer = on_dialog(codebook_dialog.CodebookDialog, look)  # noqa: F841 - kept alive while the dialog runs
    boxes = on_dialog(QMessageBox, lambda box: next(b for b in box.buttons() if b.text() == "Discard").click())  # noqa: F841
    window.files.edit_codebook()
    assert seen["name_text"] == long
    assert seen["scroll"] == 0
    assert seen["name"] <= max(codebook_dialog.NAME_LEAST, seen["room"] * codebook_dialog.NAME_SHARE) + 1
    assert max(seen["rows"]) < 60  # the other labels' rows stay one or two lines


def test_cancel_codebook_changes_nothing(window, project, qtbot):
    from annotator.ui.codebook import dialog as codebook_dialog

    before = project.labels()

    def drive(dialog):
        dialog.table.item(0, 0).setText("Changed")
        dialog.reject()

    asked: list[str] = []

    def discard(box):
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == "Discard").click()

    boxes = on_dialog(QMessageBox, discard)  # noqa: F841 - "Discard changes?" comes first
    timer = on_dialog(codebook_dialog.CodebookDialog, drive)  # noqa: F841 - kept alive while the dialog runs
    window.files.edit_codebook()
    assert project.labels() == before and asked == ["Discard changes?"]


def test_codebook_export_and_import(window, project, tmp_path, monkeypatch):
    from annotator.ui import files

    target = tmp_path / "team.codebook.json"
    monkeypatch.setattr(filedialogs, "save_file", lambda *a, **k: str(target))
    window.files.export_codebook()
    data = json.loads(target.read_text())
    assert [lb["key"] for lb in data["labels"]] == ["threat", "commitment", "call_to_action"]
    shared = tmp_path / "shared.json"
    shared.write_bytes(codebook_to_json([Label("threat", "Threat", "1", "#d55e00", "x"),
                                         Label("denial", "Denial", "2", "#0072b2", "y")]))
    monkeypatch.setattr(filedialogs, "open_file", lambda *a, **k: str(shared))

    def remove_unused_then_ok(preview):  # the labels no span uses kept unless the box is ticked
        preview.remove_unused.setChecked(True)
        preview.accept()

    timer = on_dialog(ImportPreview, remove_unused_then_ok)  # noqa: F841 - alive while the preview runs
    window.files.import_codebook()
    assert [lb.key for lb in project.labels()] == ["threat", "denial"]
    bad = tmp_path / "bad.json"
    bad.write_text('{"labels": [{"key": ""}]}')
    monkeypatch.setattr(filedialogs, "open_file", lambda *a, **k: str(bad))
    shown = []
    monkeypatch.setattr(files, "error", lambda parent, title, message: shown.append(message))
    window.files.import_codebook()
    assert shown and "invalid" in shown[0]
    assert [lb.key for lb in project.labels()] == ["threat", "denial"]


def test_drop_files_imports_with_summary(window, project, qtbot, tmp_path):
    good = tmp_path / "new statement.txt"
    good.write_bytes("We urge 😀 calm.\r\n".encode())
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "spans": [{"start": 0, "end": 9, "label": "y"}]}\n')
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(good)), QUrl.fromLocalFile(str(bad))])
    found: list[str] = []
    timer = close_message_boxes(found)
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    qtbot.waitUntil(lambda: bool(found))  # the report opens after the import returns
    timer.stop()
    titles = [r.title for r in window.documents.model.rows]
    assert "new statement" in titles
    assert found and "imported 1 statement(s)" in found[0] and "rejected" in found[0] and "line 1" in found[0]
    assert "2 done" not in window.progress_label.text() and "of 3" in window.progress_label.text()


@pytest.mark.parametrize("fmt", ["jsonl", "spans", "csv", "doccano", "brat"])
def test_export_dialog_every_format(window, project, qtbot, tmp_path, fmt):
    from annotator.ui import dialogs

    key_select(qtbot, window.view, HOSTILE.index("𝐃𝐏𝐑𝐊"), 4)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    target = tmp_path / f"out-{fmt}"

    def drive(dialog):
        dialog.format.setCurrentIndex(dialog.format.findData(fmt))
        dialog.target.setText(str(target))
        dialog.accept()

    timer = on_dialog(dialogs.ExportDialog, drive)  # noqa: F841 - kept alive while the dialog runs
    window.files.export()
    assert target.exists()
    if fmt == "brat":
        ann = next(target.glob("*.ann")).read_text("utf-8")
        assert "𝐃𝐏𝐑𝐊" in ann
    else:
        assert "𝐃𝐏𝐑𝐊" in target.read_text("utf-8")
    assert "Exported" in window.statusBar().currentMessage()


def test_a_failed_export_brings_the_dialog_back_with_the_choices_made(window, tmp_path, monkeypatch):
    from annotator.ui import dialogs, files

    shown = []
    monkeypatch.setattr(files, "error", lambda _parent, title, message: shown.append(message))
    missing = tmp_path / "no such folder" / "out.csv"
    again = []

    def first(dialog):
        dialog.format.setCurrentIndex(dialog.format.findData("csv"))
        dialog.target.setText(str(missing))
        qtbot_click(dialog)

    def second(dialog):
        again.append((dialog.format.currentData(), dialog.target.text()))
        dialog.target.setText(str(tmp_path / "out.csv"))
        qtbot_click(dialog)

    timer = on_dialog(dialogs.ExportDialog, first, second)  # noqa: F841 - kept alive while the dialogs run
    window.files.export()
    assert len(shown) == 1 and "no such folder" in shown[0]
    assert again == [("csv", str(missing))]
    assert (tmp_path / "out.csv").read_text("utf-8").startswith("doc_id,")


def qtbot_click(dialog):
    """Press the dialog's Export button, as the user does."""
    from PySide6.QtWidgets import QDialogButtonBox

    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def test_export_dialog_cancel_writes_nothing(window, tmp_path):
    from annotator.ui import dialogs

    timer = on_dialog(dialogs.ExportDialog, lambda dialog: dialog.reject())  # noqa: F841
    window.files.export()
    assert list(tmp_path.glob("*.jsonl")) == []


def test_store_error_is_shown_and_nothing_half_done(window, project, qtbot, monkeypatch):
    doc = window.session.document.id
    shown = []
    monkeypatch.setattr("annotator.ui.mainwindow.error", lambda parent, title, message: shown.append(message))

    def disk_full(*args, **kwargs):
        raise ProjectFileError("cannot add the span to p.sqlite: the disk is full")

    monkeypatch.setattr(project, "add_span", disk_full)
    key_select(qtbot, window.view, HOSTILE.index("peace"), 5)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert shown and "disk is full" in shown[0]
    assert project.spans(doc) == [] and window.view.spans_in_order() == []
    assert window.session.undo_stack.count() == 0 and not window.session.undo_stack.canUndo()
    monkeypatch.undo()
    qtbot.keyClick(window.view, Qt.Key.Key_1)  # work continues once the disk has room
    assert len(project.spans(doc)) == 1


def test_open_and_new_project_from_file_menu(window, tmp_path, monkeypatch):

    target = tmp_path / "second.sqlite"
    monkeypatch.setattr(filedialogs, "save_file", lambda *a, **k: str(target))
    window.files.new_project()
    assert window.session.project.path == target and window.documents.model.rows == []
    assert window.recent_projects()[0] == str(target)
    not_project = tmp_path / "x.sqlite"
    not_project.write_text("hello")
    shown = []
    monkeypatch.setattr("annotator.ui.mainwindow.error", lambda parent, title, message: shown.append(message))
    monkeypatch.setattr(filedialogs, "open_file", lambda *a, **k: str(not_project))
    window.files.open_project()
    assert shown and "not an Annotator project" in shown[0]
    assert window.session.project.path == target  # still working on the project that was open


def test_a_new_empty_project_shows_no_span_count_or_value_of_the_last_one(window, qtbot, tmp_path, monkeypatch):
    """A tester made a new project with a span selected in the old one: the Spans panel still listed it, beside an
    empty Documents list."""
    window.view.select_cp(0, 5)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert window.spans_panel.model.rowCount() >= 1
    target = tmp_path / "empty.sqlite"
    monkeypatch.setattr(filedialogs, "save_file", lambda *a, **k: str(target))
    window.files.new_project()
    assert window.session.project.path == target and window.documents.model.rows == []
    assert window.spans_panel.model.rowCount() == 0
    assert window.view.text == ""
    buttons = window.labels_bar.buttons.values()
    assert buttons and all(b.text().endswith("  0") for b in buttons), [b.text() for b in buttons]
    panel = window.properties.panel
    assert not panel.isEnabled() and panel.doc_id is None and all(v in ("", None) for v in
                                                                    (panel.value_of(n) for n in panel.editors))


def test_shortcuts_dialog_opens(window, qtbot):
    from annotator.ui.dialogs import ShortcutsDialog

    timer = on_dialog(ShortcutsDialog, lambda dialog: dialog.done(QDialog.DialogCode.Accepted))  # noqa: F841
    window.show_shortcuts()


def test_f1_lists_the_search_and_corpus_shortcuts(window, qtbot):
    """Every feature's shortcuts are in F1: the Search dock's and the Corpus menu's were missing from it."""
    from PySide6.QtWidgets import QTableWidget

    from annotator.ui.dialogs import ShortcutsDialog

    seen: list[str] = []

    def read(dialog):
        table = dialog.findChild(QTableWidget)
        seen.extend(f"{table.item(i, 0).text()} | {table.item(i, 1).text()}" for i in range(table.rowCount()))
        dialog.done(QDialog.DialogCode.Accepted)

    timer = on_dialog(ShortcutsDialog, read)  # noqa: F841
    window.show_shortcuts()
    for keys, what in (("Ctrl+Shift+F", "Search"), ("Ctrl+Shift+C", "Corpus: Label × Group Table"),
                       ("Ctrl+Shift+R", "Corpus: Retrieve Spans")):
        assert any(row.startswith(keys) and what in row for row in seen), (keys, seen)


def test_f1_gives_the_actions_the_room_the_keys_leave(window, qtbot):
    """The longest key ("Backspace (with a suggestion current, no span selected)") sized the Keys column and left
    the actions 170 px, each wrapped to three or four lines (seen on Xvfb at 11 pt)."""
    from PySide6.QtWidgets import QTableWidget

    from annotator.ui.dialogs import ShortcutsDialog

    seen: dict[str, bool] = {}

    def read(dialog):
        table = dialog.findChild(QTableWidget)
        qtbot.waitUntil(lambda: table.viewport().width() > 0)
        width = table.viewport().width()
        metrics = table.fontMetrics()
        actions = [table.item(i, 1).text() for i in range(table.rowCount())]
        seen["keys within their share"] = table.columnWidth(0) <= dialog.width() * 0.3
        seen["actions wider than keys"] = table.columnWidth(1) > table.columnWidth(0) and width > 0
        seen["every action in two lines"] = all(
            metrics.horizontalAdvance(a) <= 2 * (table.columnWidth(1) - 12) for a in actions)
        dialog.done(QDialog.DialogCode.Accepted)

    timer = on_dialog(ShortcutsDialog, read)  # noqa: F841
    window.show_shortcuts()
    assert seen == dict.fromkeys(("keys within their share", "actions wider than keys", "every action in two lines"),
                                 True)


def test_the_codebook_shows_each_description_whole(window, project, qtbot):
    """Rows kept one line tall cut a description to "a statement that something endangers, or an acto…" (seen on
    Xvfb at 11 pt): each row is now as tall as its description wrapped in its column."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QTableWidget

    from annotator.ui.codebook.dialog import CodebookDialog

    labels = project.labels()
    assert any(len(label.description) > 60 for label in labels)  # the default codebook's are a sentence or two
    fits: list[bool] = []

    def read(dialog):
        table = dialog.findChild(QTableWidget)
        dialog.resize(560, 500)  # a narrow dialog: two or three lines each
        qtbot.waitUntil(lambda: table.columnWidth(4) > 0)
        QApplication.processEvents()
        width = table.columnWidth(4) - 8  # the cell's margins
        for row in range(table.rowCount()):
            text = table.item(row, 4).text()
            needed = table.fontMetrics().boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, text)
            fits.append(table.rowHeight(row) >= needed.height())
        dialog.reject()

    timer = on_dialog(CodebookDialog, read)  # noqa: F841
    qtbot.keyClick(window.view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)  # Labels ▸ Edit Codebook
    assert fits == [True] * len(labels)
