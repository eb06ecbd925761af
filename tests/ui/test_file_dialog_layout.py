"""The file dialogs show whole file names, and open at the size the analyst last left them.

Qt's own dialog opened at about 630 x 410 px, where a statement's file name ("2024-03-12 Joint Statement of the G7
...") was cut in the middle, a type ("JSONL file") clipped and the places on the left cut to "Co...". Driven through
the real File menu's Import Files (Ctrl+I): the dialog is Qt's, modal, inspected from inside its own event loop.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QListView, QTreeView

from annotator.ui import filedialogs

NAMES = (
    "2024-03-12 Joint Statement of the G7 Foreign Ministers on Ukraine.html",
    "2025-01-20 Communiqué du Conseil des ministres franco-allemand.txt",
    "annotations-kim.jsonl",
    "notes.txt",
)


def _open_import_dialog(window, inspect) -> None:
    """File ▸ Import Files; ``inspect(dialog, details)`` runs once the folder's files are listed, then Esc."""
    done = []

    def look() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()]
        details = dialogs[0].findChild(QTreeView, "treeView") if dialogs else None
        if details is None or details.model().rowCount(details.rootIndex()) < len(NAMES):
            QTimer.singleShot(20, look)  # Qt lists a folder in a thread of its own
            return
        try:
            inspect(dialogs[0], details)
        finally:
            done.append(True)
            QTest.keyClick(dialogs[0], Qt.Key.Key_Escape)

    QTimer.singleShot(0, look)
    window.actions_["import"].trigger()  # returns when the dialog is closed
    assert done, "the import dialog never listed the folder"


def test_the_import_dialog_shows_whole_names_and_keeps_the_size_it_was_left_at(window, tmp_path):
    folder = tmp_path / "statements"
    folder.mkdir()
    for name in NAMES:
        (folder / name).write_text("x", encoding="utf-8")
    filedialogs.remember(folder / NAMES[0])  # the dialog starts in the folder chosen last
    seen: dict[str, object] = {}

    def first(dialog, details) -> None:
        screen = window.screen().availableGeometry().size() * 0.9
        seen["size"] = dialog.size() == filedialogs.FIRST_SIZE.boundedTo(screen)
        dialog.resize(1000, 640)  # the analyst makes it larger, so the longest name fits
        QApplication.processEvents()
        seen["name"] = details.columnWidth(0) >= details.sizeHintForColumn(0)
        seen["type"] = details.columnWidth(2) >= details.sizeHintForColumn(2)
        places = dialog.findChild(QListView, "sidebar")
        seen["places"] = places.width() >= places.sizeHintForColumn(0)
        dialog.resize(700, 500)  # and leaves it at this size (this offscreen screen is 800 x 600)

    _open_import_dialog(window, first)
    assert seen == {"size": True, "name": True, "type": True, "places": True}

    def second(dialog, _details) -> None:
        seen["again"] = dialog.size()

    _open_import_dialog(window, second)  # cancelled the first time: the size is kept all the same
    assert seen["again"] == QSize(700, 500)
    assert window.session.project.documents() and len(window.session.project.documents()) == 2  # nothing imported
