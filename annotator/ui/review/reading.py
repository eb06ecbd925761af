"""Reading a colleague file for review (``worker.choose_offsets``, ``worker.load_colleague_file``) with its progress
dialogs closed for good -- hidden and deleted -- before the caller opens anything else (an error box, the
reader's notes, the offsets question of the next file).

Trial 11, L4: "Reading past.jsonl… 0 %" showed over the error box that said the file could not be read, half
covering it. The reading's dialog is reset and hidden when the read ends and deleted *later*: once the event loop
the read was started from runs again, i.e. only after the error box's own loop has ended. A read that ended before
the window's thread came to wait for it (a small file) left its progress signal queued behind it; delivered in the
error box's loop, it set the hidden dialog's value to its minimum, which starts its "show after 300 ms" timer again,
and the dialog showed itself over the box. Here the signals still queued are delivered first, then the dialogs
are deleted at once: nothing is left that could show.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QProgressDialog, QWidget

from annotator.store import review as store
from annotator.ui.review import worker

#: the object names ``worker`` gives its reading's progress dialogs
DIALOGS = ("colleague_doubts", "colleague_progress")


def close_reading_dialogs(window: QWidget) -> None:
    """Delete the reading's progress dialogs of ``window`` (see the module docstring)."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.MetaCall)  # the ended read's last progress, still queued
    for dialog in window.findChildren(QProgressDialog):
        if dialog.objectName() in DIALOGS and shiboken6.isValid(dialog):
            dialog.reset()  # stops its timer
            dialog.hide()
            shiboken6.delete(dialog)


def choose_offsets(window: QWidget, path: Path) -> tuple[dict[Path, str] | None, str | None]:
    """:func:`worker.choose_offsets`, its reading's dialog gone once it returns (or raises ``Cancelled``)."""
    try:
        return worker.choose_offsets(window, path)
    finally:
        close_reading_dialogs(window)


def load_colleague_file(window: QWidget, path: Path, offsets: Mapping[Path, str] | None = None
                        ) -> tuple[store.ColleagueFile | None, str | None]:
    """:func:`worker.load_colleague_file`, its progress dialog gone once it returns."""
    try:
        return worker.load_colleague_file(window, path, offsets)
    finally:
        close_reading_dialogs(window)
