"""The project dialogs list a project by any name the program makes one under: ``annotator p.annotator`` creates
the project asked for, and File ▸ Open Project, File ▸ New Project and Review ▸ Open Colleague File then hid it
(their filters were ``*.sqlite *.db``: a newcomer's finding)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QTreeView

from annotator.store import Project


def listed_in_next_file_dialog(qtbot, folder, trigger) -> set[str]:
    """The names the file dialog that ``trigger()`` opens lists in ``folder`` at its first filter, then Cancel."""
    names: set[str] = set()

    def look() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()]
        if not dialogs:
            QTimer.singleShot(20, look)
            return
        dialog = dialogs[0]
        dialog.setDirectory(str(folder))
        view = dialog.findChild(QTreeView)

        def read() -> None:
            root = view.rootIndex()
            model = view.model()
            names.update(model.index(r, 0, root).data() for r in range(model.rowCount(root)))
            if {"p.annotator", "b.sqlite3"} <= names or read.tries > 100:
                dialog.reject()
                return
            read.tries += 1
            QTimer.singleShot(20, read)

        read.tries = 0
        read()

    QTimer.singleShot(0, look)
    trigger()
    return names


def test_the_project_dialogs_list_projects_by_every_name_the_program_makes(qtbot, window, tmp_path):
    folder = tmp_path / "projects"
    folder.mkdir()
    for name in ("p.annotator", "b.sqlite3"):
        Project.open(folder / name, create=True, user="ana").close()
    (folder / "other.txt").write_text("not a project", encoding="utf-8")
    actions = [window.actions_["open"], window.actions_["new"], window.review.actions["review_open"]]
    for action in actions:
        listed = listed_in_next_file_dialog(qtbot, folder, action.trigger)
        assert {"p.annotator", "b.sqlite3"} <= listed, (action.text(), listed)
        assert "other.txt" not in listed
