"""File dialogs that never detach the window from its project (DESIGN.md §2.2 "Lock hygiene", §7).

Qt's file dialog asks its icon provider for each listed file's icon and type, and the stock provider sniffs the
file's contents (``QMimeDatabase``) to answer: it opens and closes ``annotator.sqlite``, ``-wal`` and ``-shm``,
and closing any descriptor of a file drops every POSIX lock this process holds on it, SQLite's included. The next
command-line run would then believe it is alone, checkpoint and delete the ``-wal`` the window still writes to.

So every dialog here is Qt's own (a native one may sniff in-process too), with an icon provider that answers from
the file's name and kind alone, and it starts in the folder the user last chose (or their documents folder),
never in the user data folder that holds the default project.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QFileInfo, QSettings, QSize, QStandardPaths
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QGridLayout,
    QHeaderView,
    QListView,
    QStyle,
    QTreeView,
    QWidget,
)

from annotator import formats, paths
from annotator.store.sources import PROJECT_SUFFIXES
from annotator.ui.sizing import within_screen

#: the names a project file goes by, as a dialog's filter: the dialogs hid ``p.annotator``, which the command line
#: had made as asked (a newcomer's finding)
PROJECT_PATTERNS = " ".join(f"*{suffix}" for suffix in PROJECT_SUFFIXES)

_LAST_DIR_KEY = "dialogs/last_folder"
_SAVE_DIR_KEY = "dialogs/last_save_folder"
_SIZE_KEY = "dialogs/size"
#: a first dialog's size (within 90 % of the screen): Qt's own is about 630 x 410 px, where the names of
#: statements and colleagues' files ("2024-03-12 Joint Statement of ... .html") were cut in the middle
FIRST_SIZE = QSize(900, 560)


class PlainIcons(QAbstractFileIconProvider):
    """Icons and type names from the name and kind of a file only: nothing is opened or read."""

    def icon(self, what):  # type: ignore[no-untyped-def, override]
        style = QApplication.style()
        if isinstance(what, QFileInfo):
            if what.isDir():
                return style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
            return style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        if what == QAbstractFileIconProvider.IconType.Folder:
            return style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
        if what == QAbstractFileIconProvider.IconType.Drive:
            return style.standardIcon(QStyle.StandardPixmap.SP_DriveHDIcon)
        if what == QAbstractFileIconProvider.IconType.Computer:
            return style.standardIcon(QStyle.StandardPixmap.SP_ComputerIcon)
        return QIcon(style.standardIcon(QStyle.StandardPixmap.SP_FileIcon))

    def type(self, info: QFileInfo) -> str:  # type: ignore[override]
        if info.isDir():
            return "Folder"
        suffix = info.suffix()
        return f"{suffix.upper()} file" if suffix else "File"


_ICONS: PlainIcons | None = None


def _icons() -> PlainIcons:
    global _ICONS
    if _ICONS is None:
        _ICONS = PlainIcons()
    return _ICONS


def _settings() -> QSettings:
    return QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)


def _inside(folder: Path, parent: Path) -> bool:
    try:
        folder.resolve().relative_to(parent.resolve())
    except (ValueError, OSError):
        return False
    return True


def start_folder(saving: bool = False, beside: Path | None = None) -> str:
    """The folder the user last chose a file to read in (``saving``: to write in), else the open project's folder
    (``beside``), else their documents folder; never the user data folder. Kept apart: after a colleague's file was
    opened, every export proposed its folder (a newcomer's finding). The project's folder before the home folder:
    with a project in ``~/corpus/``, Import Folder and Export opened in ``/root`` (two newcomers' trials)."""
    data = paths.data_dir()
    last = str(_settings().value(_SAVE_DIR_KEY if saving else _LAST_DIR_KEY, "") or "")
    for candidate in (last, str(beside or ""),
                      QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation),
                      str(Path.home())):
        if candidate and os.path.isdir(candidate) and not _inside(Path(candidate), data):
            return candidate
    return str(Path.home())


def project_folder(widget: QWidget | None) -> Path | None:
    """The folder of the project open in ``widget``'s window (or a window it belongs to), if any."""
    while widget is not None:
        session = getattr(widget, "session", None)
        project = getattr(session, "project", None)
        if project is not None:
            return Path(project.path).parent
        widget = widget.parentWidget()
    return None


def remember(chosen: str | Path, saving: bool = False) -> None:
    folder = Path(chosen) if os.path.isdir(chosen) else Path(chosen).parent
    if not _inside(folder, paths.data_dir()):
        store = _settings()
        store.setValue(_SAVE_DIR_KEY if saving else _LAST_DIR_KEY, str(folder))
        store.sync()


def make_dialog(parent: QWidget | None, caption: str, mode: QFileDialog.FileMode, name_filter: str = "",
                suggested: str = "", saving: bool = False) -> QFileDialog:
    """A Qt file dialog that does not sniff files, in :func:`start_folder` (or ``suggested``'s folder); ``saving``:
    one that asks where to write."""
    dialog = QFileDialog(parent, caption)
    if saving:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setIconProvider(_icons())
    dialog.setFileMode(mode)
    if mode == QFileDialog.FileMode.Directory:
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if name_filter:
        dialog.setNameFilter(name_filter)
    folder = start_folder(saving, project_folder(parent))
    if suggested:
        suggested_path = Path(suggested)
        if suggested_path.parent != Path(".") and suggested_path.parent.is_dir() and not _inside(
                suggested_path.parent, paths.data_dir()):
            folder = str(suggested_path.parent)
        dialog.selectFile(suggested_path.name)
    dialog.setDirectory(folder)
    _lay_out(dialog)
    return dialog


def _lay_out(dialog: QFileDialog) -> None:
    """The size the user last left a dialog at (else :data:`FIRST_SIZE`, within the screen); size, type and date
    as wide as what they show, the file names all the width left, and the places on the left as wide as their
    names."""
    stored = _settings().value(_SIZE_KEY)
    # a size left on a larger screen is cut to this one; a hand-edited value that is no size is ignored
    dialog.resize(within_screen(dialog, stored if isinstance(stored, QSize) and stored.isValid() else FIRST_SIZE))
    details = dialog.findChild(QTreeView, "treeView")  # the "Detail View" of Qt's dialog
    if details is not None:
        header = details.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the name
        for column in range(1, header.count()):  # size, type ("JSONL file"), date: as wide as what they show
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    places = dialog.findChild(QListView, "sidebar")
    if places is not None and places.model() is not None and places.model().rowCount():
        places.setMinimumWidth(places.sizeHintForColumn(0) + 2 * places.frameWidth() + 4)


def _keep_size(dialog: QFileDialog) -> None:
    store = _settings()
    store.setValue(_SIZE_KEY, dialog.size())
    store.sync()


def _run(dialog: QFileDialog) -> list[str]:
    try:
        code = dialog.exec()
    finally:
        _keep_size(dialog)  # cancelled too: the size was the user's choice either way
    if code != QFileDialog.DialogCode.Accepted:
        return []
    chosen = dialog.selectedFiles()
    if chosen:
        remember(chosen[0], saving=dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave)
    return chosen


def open_files(parent: QWidget | None, caption: str, name_filter: str = "") -> list[str]:
    """The files chosen, in natural order (``s2`` before ``s10``): a selection has no order of its own, and an
    import lists its statements in this one."""
    return formats.natural_order(_run(make_dialog(parent, caption, QFileDialog.FileMode.ExistingFiles, name_filter)))


def open_file(parent: QWidget | None, caption: str, name_filter: str = "") -> str:
    chosen = _run(make_dialog(parent, caption, QFileDialog.FileMode.ExistingFile, name_filter))
    return chosen[0] if chosen else ""


def open_file_with(parent: QWidget | None, caption: str, name_filter: str, option: QWidget) -> str:
    """:func:`open_file` with ``option`` (a check box that says how the file is to be read) under the file type,
    aligned with the name and type fields; the caller reads it once the dialog is closed."""
    dialog = make_dialog(parent, caption, QFileDialog.FileMode.ExistingFile, name_filter)
    layout = dialog.layout()
    if isinstance(layout, QGridLayout):  # Qt's own dialog: its fields' column, in a row of its own under them
        layout.addWidget(option, layout.rowCount(), 1, 1, 1)
    else:  # (another layout: below all)
        layout.addWidget(option)
    chosen = _run(dialog)
    option.setParent(None)  # the caller's again, to be read: the dialog may go before it does
    return chosen[0] if chosen else ""


def existing_folder(parent: QWidget | None, caption: str, suggested: str = "") -> str:
    dialog = make_dialog(parent, caption, QFileDialog.FileMode.Directory)
    if suggested and os.path.isdir(suggested) and not _inside(Path(suggested), paths.data_dir()):
        dialog.setDirectory(suggested)
    chosen = _run(dialog)
    return chosen[0] if chosen else ""


def save_file(parent: QWidget | None, caption: str, suggested: str = "", name_filter: str = "") -> str:
    """A file name to write; ``suggested`` may be a bare name (put in :func:`start_folder`) or a full path."""
    chosen = _run(make_dialog(parent, caption, QFileDialog.FileMode.AnyFile, name_filter, suggested, saving=True))
    return chosen[0] if chosen else ""
