"""A twelfth trial, a lead analyst adjudicating two colleagues: what the review says in the status bar, its
questions and its table (escaped, fitted, about the statement shown, after a redo too), its keyboard paths
(the colleague box, unique menu mnemonics) and why its disabled entries are disabled."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from annotator.store import statements
from annotator.ui.review import controller as review_ui
from tests.ui.conftest import on_dialog, show_window
from tests.ui.test_review_gui import ARMS, BOB, CAROL, MINE, MISSILES, SANCTION, TOLL, make, open_files

ODD = "sanction\u202e<b>x</b>"  # a colleague's label with a right-to-left override (and markup)
ODD_SHOWN = "sanction\\u202e<b>x</b>"
RAW = ("\u202e", "\u202d", "\u2066", "\x1b")


def shown_raw(text: str) -> bool:
    return any(c in text for c in RAW)


@pytest.fixture
def me(tmp_path):
    project = make(tmp_path / "ana.sqlite", "ana", MINE)
    yield project
    project.close()


def window_of(qtbot, project, tmp_path, width=1100):
    from annotator.ui.mainwindow import MainWindow

    window = MainWindow(project, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window.resize(width, 700)
    show_window(qtbot, window)
    return window, review_ui.install(window)


def message(window):
    return window.statusBar().currentMessage()


def key(qtbot, window, k, modifier=Qt.KeyboardModifier.NoModifier):
    window.view.setFocus()
    qtbot.keyClick(window.view, k, modifier)


def ito_file(tmp_path, me):
    """An export whose one span (over TOLL, in the arms statement) has a label with a bidi override, by an
    annotator whose name has one too."""
    doc = me.document(ARMS)
    start = doc.text.index(TOLL)
    path = tmp_path / "ito.jsonl"
    record = {"text": doc.text, "meta": {"title": doc.title}, "_annotator_id": "ito\u202eoti",
              "spans": [{"start": start, "end": start + len(TOLL), "label": ODD}]}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def test_a_label_with_a_bidi_control_is_shown_escaped_everywhere_the_review_names_it(qtbot, tmp_path, me,
                                                                                      monkeypatch):
    """Trial 12, F8: the accept question and the status bar read backwards from the U+202E on."""
    window, review = window_of(qtbot, me, tmp_path)
    open_files(monkeypatch, qtbot, window, ito_file(tmp_path, me))
    assert review.files
    assert not shown_raw(review.dock.windowTitle()) and "ito\\u202eoti" in review.dock.windowTitle()
    table = review.panel.table
    for _ in range(table.rowCount()):  # J to the theirs-only row
        key(qtbot, window, Qt.Key.Key_J)
        if review._row(review.current_key).theirs is not None:
            break
    row = table.currentRow()
    cells = [table.item(row, c) for c in range(table.columnCount())]
    assert ODD_SHOWN in cells[1].text()
    assert not any(shown_raw(c.text()) or shown_raw(c.toolTip()) for c in cells)
    assert not any(shown_raw(s.label) for s in review.panel.view.spans) if hasattr(review.panel.view, "spans") \
        else True

    asked = []

    def cancel(box):
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Cancel).click()

    on_dialog(QMessageBox, cancel, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    key(qtbot, window, Qt.Key.Key_A)
    assert asked and ODD_SHOWN in asked[0] and not shown_raw(asked[0])
    assert f"Not accepted: “{ODD_SHOWN}”" in message(window) and not shown_raw(message(window))

    window.activateWindow()  # back from the box (offscreen, nothing hands the window its activation back)
    qtbot.waitUntil(window.isActiveWindow)
    key(qtbot, window, Qt.Key.Key_A)
    assert ODD in {lb.key for lb in me.labels()}, message(window)  # stored as it came: only what is shown is escaped
    assert ODD_SHOWN in message(window) and not shown_raw(message(window))
    assert ODD_SHOWN in window.undo_group.undoText() and not shown_raw(window.undo_group.undoText())
    # the accepted label is the codebook's now: the window names it escaped too (labels bar, Labels menu, spans)
    button = window.labels_bar.buttons[ODD]
    assert ODD_SHOWN in button.text() and not shown_raw(button.text()) and not shown_raw(button.toolTip())
    applies = [a.text() for a in window.menus["&Labels"].actions() if "sanction" in a.text()]
    assert applies and not any(shown_raw(t) for t in applies)
    model = window.spans_panel.table.model()
    texts = [str(model.index(r, c).data(role) or "") for r in range(model.rowCount())
             for c in range(model.columnCount()) for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)]
    assert any(ODD_SHOWN in t for t in texts) and not any(shown_raw(t) for t in texts)


def test_redo_says_what_it_redid(qtbot, tmp_path, me, monkeypatch):
    """Trial 12, F1: after Ctrl+Shift+Z the status bar still said "Undone: Accept …"."""
    window, review = window_of(qtbot, me, tmp_path)
    bob = tmp_path / "bob.sqlite"
    make(bob, "bob", BOB, [SANCTION]).close()
    open_files(monkeypatch, qtbot, window, bob)
    key(qtbot, window, Qt.Key.Key_J)
    key(qtbot, window, Qt.Key.Key_R)
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    undone = message(window)
    assert undone.startswith("Undone: Keep mine over bob's")
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert message(window) == "Redone: " + undone.removeprefix("Undone: ")


def test_a_message_about_a_statement_goes_when_the_next_one_opens(qtbot, tmp_path, me, monkeypatch):
    """Trial 12, F3: "Every disagreement in this statement is settled" stayed after Ctrl+Enter opened a statement
    with open disagreements."""
    window, review = window_of(qtbot, me, tmp_path)
    carol = tmp_path / "carol.sqlite"
    make(carol, "carol", CAROL).close()
    window.open_document(MISSILES)
    open_files(monkeypatch, qtbot, window, carol)
    for _ in range(5):
        key(qtbot, window, Qt.Key.Key_J)
        key(qtbot, window, Qt.Key.Key_R)
        if message(window).startswith("Every disagreement in this statement is settled"):
            break
    assert message(window).startswith("Every disagreement in this statement is settled")
    key(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # done, on to the next
    assert window.session.document.id == ARMS and any(r.status == "open" for r in review.rows)
    assert "settled" not in message(window)


def test_a_long_title_is_cut_in_the_middle_and_the_message_fits_beside_the_progress(qtbot, tmp_path, me,
                                                                                     monkeypatch):
    """Trial 12, F2: "On to “Joint Statement by … Park J0 of 5 done": cut mid-word, run into the progress."""
    title = ("Joint Statement by U.S. Secretary of State Antony J. Blinken, Japanese Minister for Foreign Affairs "
             "Kamikawa Yoko and Republic of Korea Minister of Foreign Affairs Park Jin")
    statements.set_title(me, ARMS, title)
    window, review = window_of(qtbot, me, tmp_path, width=900)
    bob = tmp_path / "bob.sqlite"
    make(bob, "bob", BOB, [SANCTION]).close()
    window.open_document(MISSILES)
    open_files(monkeypatch, qtbot, window, bob)
    for _ in range(6):
        key(qtbot, window, Qt.Key.Key_J)
        if message(window).startswith("On to"):
            break
    said = message(window)
    assert "“Joint Statement by" in said and "Park Jin”: " in said and "…" in said, said
    assert said.endswith("open disagreement(s) with bob"), said
    bar = window.statusBar()
    assert bar.fontMetrics().horizontalAdvance(said) + 6 < window.progress_label.x(), said


def test_all_settled_with_one_colleague_says_what_the_others_have_open_and_how_to_switch(qtbot, tmp_path, me,
                                                                                          monkeypatch):
    """Trial 12, F5: "No open disagreements left with kim" said nothing of sato's; the box had no key."""
    window, review = window_of(qtbot, me, tmp_path)
    bob, carol = tmp_path / "bob.sqlite", tmp_path / "carol.sqlite"
    make(bob, "bob", BOB, [SANCTION]).close()
    make(carol, "carol", CAROL).close()
    open_files(monkeypatch, qtbot, window, bob, carol)
    assert review.colleague()[1].name == "carol"
    for _ in range(30):
        key(qtbot, window, Qt.Key.Key_J)
        if message(window).startswith("No open disagreements left"):
            break
        key(qtbot, window, Qt.Key.Key_R)
    said = message(window)
    assert said.startswith("No open disagreements left with carol; still open with bob in 2 statement(s) — "), said
    assert "Alt+O" in said and "Ctrl+F8" in said
    key(qtbot, window, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # the box's mnemonic
    assert QApplication.focusWidget() is review.panel.colleague
    key(qtbot, window, Qt.Key.Key_F8, Qt.KeyboardModifier.ControlModifier)  # Review ▸ Next Colleague
    assert review.colleague()[1].name == "bob" and review.panel.colleague.currentIndex() == 0
    key(qtbot, window, Qt.Key.Key_J)
    assert review._row(review.current_key).status == "open"


def mnemonic(text: str) -> str | None:
    i = text.replace("&&", "").find("&")
    return text.replace("&&", "")[i + 1].lower() if i >= 0 else None


def menus_of(menu: QMenu):
    yield menu
    for action in menu.actions():
        if action.menu() is not None:
            yield from menus_of(action.menu())


#: every menu of the main window, by its title in the menu bar
MENU_TITLES = ("&File", "&Edit", "&Document", "&Labels", "&Review", "&Corpus", "&Suggestions", "&View", "&Help")


def test_the_menu_bar_has_unique_mnemonics_and_the_menus_listed(qtbot, tmp_path, me):
    window, _review = window_of(qtbot, me, tmp_path)
    titles = [a.text() for a in window.menuBar().actions() if a.isVisible()]
    assert tuple(titles) == MENU_TITLES  # a new menu is walked below too
    keys = [mnemonic(t) for t in titles]
    assert len(keys) == len(set(keys)), titles


@pytest.mark.parametrize("title", MENU_TITLES)
def test_every_menu_of_the_window_has_unique_mnemonics(qtbot, tmp_path, me, title):
    """Trial 12, F6: &C was Open Colleague File and Close Review, &R Reject Theirs and Agreement Report: Alt+R, C
    only highlighted the one. Each menu of the menu bar, its submenus too."""
    window, _review = window_of(qtbot, me, tmp_path)
    top = next(a for a in window.menuBar().actions() if a.text() == title)
    for menu in menus_of(top.menu()):
        menu.aboutToShow.emit()  # menus filled as they open (recent files, …)
        texts = [a.text() for a in menu.actions() if a.isVisible() and not a.isSeparator()]
        keys = [k for k in map(mnemonic, texts) if k]
        assert len(keys) == len(set(keys)), (menu.title(), texts)


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")  # the menu, offscreen
def test_alt_r_then_a_letter_triggers_the_review_entry_at_once(qtbot, tmp_path, me, monkeypatch):
    window, review = window_of(qtbot, me, tmp_path)
    bob = tmp_path / "bob.sqlite"
    make(bob, "bob", BOB, [SANCTION]).close()
    open_files(monkeypatch, qtbot, window, bob)  # Close Review enabled: it had Open Colleague File's &C
    menu = window.menus["&Review"]
    asked = []
    review.actions["review_open"].triggered.disconnect()
    review.actions["review_open"].triggered.connect(lambda: asked.append("open"))
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, Qt.Key.Key_C)  # Open &Colleague File…, no longer shared with Close Review
    qtbot.waitUntil(lambda: not menu.isVisible())
    assert asked == ["open"]


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")  # the menu, offscreen
def test_disabled_review_entries_say_why(qtbot, tmp_path, me):
    """Trial 12, F9: after reopening the project, Export Gold JSONL and Agreement Report were greyed out with
    nothing saying why."""
    window, review = window_of(qtbot, me, tmp_path)
    for ident in ("review_gold", "review_report", "review_close", "review_next"):
        action = review.actions[ident]
        assert not action.isEnabled()
        assert "Open a colleague's file first (Review ▸ Open Colleague File…" in action.statusTip()
        assert action.toolTip() == action.statusTip()
    assert "two colleagues" in review.actions["review_accept_agreed"].statusTip()
    menu = window.menus["&Review"]
    menu.popup(window.mapToGlobal(QPoint(80, 30)))
    qtbot.waitUntil(menu.isVisible)
    gold = review.actions["review_gold"]
    for _ in range(len(menu.actions())):  # the arrows reach the disabled entry, and the status bar says why
        qtbot.keyClick(menu, Qt.Key.Key_Up)
        if menu.activeAction() is gold:
            break
    assert menu.activeAction() is gold
    assert message(window) == gold.statusTip()
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    assert QKeySequence("Ctrl+F8") in review.actions["review_next_colleague"].shortcuts()


def test_a_statement_renamed_in_its_properties_is_named_anew_in_the_review_dock(qtbot, tmp_path, me, monkeypatch):
    """Trial 12, F13: after a rename the Review dock kept the old title ("“crlf_emoji”: 4 open, …") until the
    statement was left and opened again; the Documents list and the window's title had the new one at once."""
    window, review = window_of(qtbot, me, tmp_path)
    bob = tmp_path / "bob.sqlite"
    make(bob, "bob", BOB, [SANCTION]).close()
    open_files(monkeypatch, qtbot, window, bob)
    old = window.session.document.title
    assert old in review.panel.info.text()
    qtbot.keyClick(window.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    title = window.properties.panel.editors["title"]
    qtbot.waitUntil(title.hasFocus)
    title.selectAll()
    qtbot.keyClicks(title, "crlf emoji statement")
    qtbot.keyClick(title, Qt.Key.Key_Return)
    assert window.session.document.title == "crlf emoji statement"
    assert "crlf emoji statement" in review.panel.info.text(), review.panel.info.text()
    assert old not in review.panel.info.text()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the rename undone: the old again
    assert old in review.panel.info.text(), review.panel.info.text()
