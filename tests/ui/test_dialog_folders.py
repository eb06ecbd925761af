"""Where the file dialogs start: reading and writing each in the folder last used for it. A newcomer's finding:
after a colleague's file was opened from its folder, File ▸ Export and Review ▸ Export Gold JSONL both proposed
that folder. Driven through the real File ▸ Import (Qt's dialog, a file chosen in it) and File ▸ Export (the
dialog's path typed, Export pressed); the files on disk read."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from annotator.ui.dialogs import ExportDialog
from tests.ui.conftest import choose_in_file_dialog, on_dialog


def _export_dialog(window, then) -> str:
    """File ▸ Export; ``then(dialog)`` (after the proposed path is read) accepts or cancels it."""
    proposed: list[str] = []

    def look(dialog) -> None:
        proposed.append(dialog.target.text())
        then(dialog)

    timer = on_dialog(ExportDialog, look)
    window.actions_["export"].trigger()
    timer.stop()
    return proposed[0]


def _dialog_folder(window, action: str) -> str:
    """The folder the file dialog of ``action`` opens in (the dialog cancelled)."""
    seen: list[str] = []

    def where() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()]
        if not dialogs:
            QTimer.singleShot(20, where)
            return
        seen.append(dialogs[0].directory().absolutePath())
        dialogs[0].reject()

    QTimer.singleShot(0, where)
    window.actions_[action].trigger()
    return seen[0]


def test_exports_start_where_the_last_export_went_not_where_a_file_was_read(qtbot, window, tmp_path):
    colleague = tmp_path / "from_colleague"
    colleague.mkdir()
    page = colleague / "page.txt"
    page.write_text("A statement a colleague sent, with a threat in it.", encoding="utf-8")
    before = window.session.project.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    summary = on_dialog(QMessageBox, lambda box: box.accept())  # the import's summary, read and closed
    choose_in_file_dialog(page)
    window.actions_["import"].trigger()  # a file read from the colleague's folder
    qtbot.waitUntil(lambda: window.session.project.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
                    == before + 1)
    qtbot.waitUntil(lambda: not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)
                                 and w.isVisible()])
    summary.stop()

    proposed = _export_dialog(window, lambda d: d.reject())
    assert not proposed.startswith(str(colleague)), proposed

    exports = tmp_path / "exports"
    exports.mkdir()

    def export_there(dialog) -> None:
        dialog.target.setText(str(exports / "mine.jsonl"))
        dialog.accept()

    _export_dialog(window, export_there)
    qtbot.waitUntil((exports / "mine.jsonl").exists)
    assert _export_dialog(window, lambda d: d.reject()).startswith(str(exports))  # the next export: there

    assert _dialog_folder(window, "import") == str(colleague)  # reading again: in the colleague's folder


def test_with_no_folder_chosen_yet_dialogs_start_beside_the_project(qtbot, tmp_path):
    """Two newcomers' trials: with the project in a corpus folder, File ▸ Import Folder opened in the home folder
    and File ▸ Export proposed ``~/corpus.jsonl``. With nothing chosen yet, both start where the project is."""
    from annotator.core.model import IncomingDocument
    from tests.ui.conftest import window_over

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with window_over(qtbot, corpus, [IncomingDocument("We urge calm.", "s", "t")]) as (window, project):
        assert project.path.parent == corpus
        assert _export_dialog(window, lambda d: d.reject()) == str(corpus / "p.jsonl")
        assert _dialog_folder(window, "import_folder") == str(corpus)
