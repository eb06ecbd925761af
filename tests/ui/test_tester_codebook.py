"""A newcomer's findings on the codebook and the labels bar: a codebook of 14 labels, driven through Labels ▸ Edit
Codebook (Ctrl+K) with real clicks and keys, then the window, the bar and the project read."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QInputDialog, QLineEdit, QMenu, QMessageBox, QPushButton

from annotator.ui.codebook.dialog import CodebookDialog
from annotator.ui.panels import repainting
from tests.ui.conftest import HOSTILE, key_select, on_dialog, spans_in_db

CTRL = Qt.KeyboardModifier.ControlModifier
NEW = [
    "Denial",
    "Warning",
    "Pledge",
    "Appeal",
    "Condemnation",
    "Reassurance",
    "Sanction",
    "Deterrence",
    "Alliance",
    "Dialogue",
    "Escalation",
]  # 11 more: 14 labels


def _button(dialog, text: str) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == text)


def _type_and_enter(qtbot, text: str):
    def act(dialog):
        edit = dialog.findChild(QLineEdit)
        qtbot.keyClicks(edit, text)
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    return act


def _accept_box(qtbot, seen: list[str]):
    def act(box):
        seen.append(box.text())
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    return act


def on_menu(act):
    """Run ``act(menu)`` once on the next popup menu shown (a click on a menu button waits in it)."""
    done: list[bool] = []

    def poll():
        menus = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible()]
        if menus and not done:
            done.append(True)
            timer.stop()
            act(menus[-1])

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(20)
    return timer


def _add_labels(qtbot, window, names: list[str]) -> None:
    """Ctrl+K, Add and a name typed (Enter) per label, then OK."""
    asked = on_dialog(QInputDialog, *(_type_and_enter(qtbot, n) for n in names))

    def drive(dialog):
        for _ in names:
            qtbot.mouseClick(_button(dialog, "Add"), Qt.MouseButton.LeftButton)
        box = dialog.findChild(QDialogButtonBox)
        qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    timer = on_dialog(CodebookDialog, drive)
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    assert not timer.isActive() and not asked.isActive()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")  # the "»" menu, offscreen
def test_many_labels_never_widen_the_window(window, project, qtbot):
    width = window.width()
    assert width == 1280
    _add_labels(qtbot, window, NEW)
    assert len(project.labels()) == 14
    qtbot.wait(50)  # the layout's turn
    assert window.width() == width, "the labels bar widened the window"
    assert window.minimumSizeHint().width() < width
    bar = window.labels_bar
    shown = [key for key, b in bar.buttons.items() if b.isVisible()]
    hidden = [lb.key for lb in bar.hidden_labels()]
    assert bar.more.isVisible() and hidden and len(shown) + len(hidden) == 14
    assert bar.more.geometry().right() <= bar.width()  # the "»" is on screen, in the bar
    assert all(bar.buttons[k].geometry().right() <= bar.width() for k in shown)

    # the last label, out of room, is applied from the "»" menu: the selection gets a span of it
    last = project.labels()[-1].key
    assert last in hidden
    qtbot.waitUntil(lambda: not repainting(window))  # the codebook's change shown whole (it reopens the text)
    peace = HOSTILE.index("peace")
    key_select(qtbot, window.view, peace, 5)
    assert window.view.selection_cp() == (peace, peace + 5)

    def pick(menu):
        action = next(a for a in menu.actions() if a.data() == last)
        assert "Escalation" in action.text()
        qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())

    chosen: list[str] = []
    bar.labelClicked.connect(chosen.append)
    timer = on_menu(pick)
    qtbot.mouseClick(bar.more, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not timer.isActive())
    assert chosen == [last]
    doc = window.session.document.id
    qtbot.waitUntil(lambda: [s[2] for s in spans_in_db(project, doc)] == [last])

    # undo the span and the codebook: three buttons, all shown, no "»", and the bar asks for no more room
    window.activateWindow()  # the offscreen platform may leave the closed menu the active window
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert [lb.key for lb in project.labels()] == ["threat", "commitment", "call_to_action"]
    qtbot.waitUntil(lambda: not bar.more.isVisible())
    assert all(b.isVisible() for b in bar.buttons.values()) and len(bar.buttons) == 3
    assert window.width() == width
    assert bar.sizeHint().width() < 600


def test_narrow_window_overflows_and_widens_back(window, project, qtbot):
    bar = window.labels_bar
    window.resize(700, 800)
    qtbot.waitUntil(lambda: window.width() == 700)
    _add_labels(qtbot, window, NEW[:5])
    qtbot.wait(50)  # the layout's turn
    assert window.width() == 700
    qtbot.waitUntil(lambda: bar.more.isVisible())
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: not bar.more.isVisible())  # room again: every button shown
    assert all(b.isVisible() for b in bar.buttons.values()) and len(bar.buttons) == 8


def test_labels_past_the_palette_get_distinct_colours(window, project, qtbot):
    _add_labels(qtbot, window, NEW)
    colours = [lb.color.lower() for lb in project.labels()]
    assert len(colours) == 14
    assert len(set(colours)) == 14, colours
    # and far enough apart to tell: no two closer than 40 in RGB (the palette's own closest pair is ~70)
    rgb = [QColor(c) for c in colours]
    closest = min(
        ((a.red() - b.red()) ** 2 + (a.green() - b.green()) ** 2 + (a.blue() - b.blue()) ** 2) ** 0.5
        for i, a in enumerate(rgb)
        for b in rgb[i + 1 :]
    )
    assert closest >= 40, colours
    # the buttons wear them
    icons = {
        window.labels_bar.buttons[lb.key].icon().pixmap(12, 12).toImage().pixelColor(6, 6).name()
        for lb in project.labels()
    }
    assert len(icons) == 14


def test_codebook_refuses_a_name_used_twice_ignoring_case(window, project, qtbot):
    before = project.labels()
    seen: list[str] = []
    discard = lambda box: qtbot.mouseClick(  # noqa: E731 - Cancel asks "Discard changes?" after the edits
        next(b for b in box.buttons() if b.text() == "Discard"), Qt.MouseButton.LeftButton)
    boxes = on_dialog(QMessageBox, _accept_box(qtbot, seen), _accept_box(qtbot, seen), discard)
    asked = on_dialog(QInputDialog, _type_and_enter(qtbot, "threat"))
    rows: list[int] = []
    still_open: list[bool] = []

    def drive(dialog):
        qtbot.mouseClick(_button(dialog, "Add"), Qt.MouseButton.LeftButton)  # "threat" beside "Threat"
        rows.append(dialog.table.rowCount())
        # rename Commitment to "THREAT " in the table, with the keyboard
        table = dialog.table
        table.setFocus()
        table.setCurrentCell(1, 0)
        qtbot.keyClick(table, Qt.Key.Key_F2)
        editor = next(e for e in table.viewport().findChildren(QLineEdit) if e.isVisible())
        editor.selectAll()
        qtbot.keyClicks(editor, "THREAT ")
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: table.item(1, 0).text() == "THREAT ")  # committed on the next turn
        box = dialog.findChild(QDialogButtonBox)
        qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        still_open.append(dialog.isVisible())
        qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)

    timer = on_dialog(CodebookDialog, drive)
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    assert not timer.isActive() and not asked.isActive() and not boxes.isActive()
    assert rows == [3], "the second “threat” was added"
    assert len(seen) == 2
    assert "already a label named “Threat”" in seen[0]
    assert "ignoring case" in seen[0]
    assert "not valid" in seen[1] and "used twice" in seen[1] and "Threat" in seen[1]
    assert still_open == [True]
    assert project.labels() == before


def test_labels_toolbar_at_the_side_stacks_and_overflows_downwards(window, project, qtbot):
    from PySide6.QtWidgets import QToolBar

    _add_labels(qtbot, window, NEW)
    height = window.height()
    toolbar = window.findChild(QToolBar, "labels_toolbar")
    window.addToolBar(Qt.ToolBarArea.LeftToolBarArea, toolbar)  # as the user drags it to the window's side
    window.resize(window.width(), 420)
    bar = window.labels_bar
    qtbot.waitUntil(lambda: bar.orientation == Qt.Orientation.Vertical and bar.more.isVisible())
    assert window.height() == 420 < height
    shown = [b for b in bar.buttons.values() if b.isVisible()]
    assert all(b.geometry().left() == shown[0].geometry().left() for b in shown)  # one column
    assert bar.more.geometry().bottom() <= bar.height()
    assert len(shown) + len(bar.hidden_labels()) == 14


def test_a_codebook_emptied_leaves_no_more_button(window, project, qtbot):
    """A reviewer's case: with no label left, the "»" of the last codebook stayed, over an empty menu."""
    _add_labels(qtbot, window, NEW)
    qtbot.wait(50)
    bar = window.labels_bar
    assert bar.more.isVisible()
    bar.set_labels([], {})
    assert not bar.more.isVisible() and bar.hidden_labels() == []
