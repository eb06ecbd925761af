"""Trial 11, L4: a colleague file that cannot be opened (Review ▸ Open Colleague File…, here a JSONL file with a
span past its text) showed its error box with the "Reading past.jsonl… 0 %" progress dialog painted over it, half
covering the message. The progress dialog is closed -- hidden, and gone -- before the error box opens, and stays
gone while the box is up, on each way opening a colleague file fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from annotator.ui import filedialogs
from annotator.ui.review import controller as review_ui
from annotator.ui.review import worker
from tests.ui.conftest import on_dialog

#: how long the error box is watched before it is closed: longer than the progress dialog's minimum duration
#: (300 ms), after which a progress dialog re-armed by a late progress signal shows itself
WATCH_MS = 900


def _progress_dialogs() -> list[QProgressDialog]:
    return [w for w in QApplication.allWidgets() if isinstance(w, QProgressDialog)]


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    past = tmp_path / "past.jsonl"
    past.write_text(json.dumps({"text": "abc", "spans": [{"start": 0, "end": 10, "label": "X"}]}) + "\n")
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "abc", "spans": [\n')
    truncated = tmp_path / "bob.sqlite"
    truncated.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    return {"past": past, "broken": broken, "truncated": truncated, "missing": tmp_path / "gone.jsonl"}


@pytest.mark.parametrize("which", ["past", "broken", "truncated", "missing"])
def test_the_progress_dialog_is_gone_before_the_error_box_opens(window, qtbot, tmp_path, monkeypatch, which):
    path = _bad_files(tmp_path)[which]
    review_ui.install(window)
    seen: dict[str, list] = {"text": [], "at_open": [], "while_up": []}  # type: ignore[type-arg]

    def read_watch_and_close(box: QMessageBox) -> None:
        seen["text"].append(box.text())
        seen["at_open"] += [(d.objectName(), d.isVisible()) for d in _progress_dialogs()]

        def look() -> None:  # while the box is up, as the user reads it
            seen["while_up"] += [(d.objectName(), d.labelText()) for d in _progress_dialogs() if d.isVisible()]

        watcher = QTimer(box)
        watcher.timeout.connect(look)
        watcher.start(20)
        QTimer.singleShot(WATCH_MS, lambda: qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok),
                                                             Qt.MouseButton.LeftButton))

    real_start = worker._LoadThread.start

    def read_at_once(thread: worker._LoadThread, *args: object) -> None:
        """The read done before the window's thread asks whether it is: a small file on an idle machine (its
        progress signal still queued, as on the tester's machine)."""
        real_start(thread, *args)
        thread.wait()

    monkeypatch.setattr(worker._LoadThread, "start", read_at_once)
    on_dialog(QMessageBox, read_watch_and_close)
    monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: [str(path)])
    window.view.setFocus()
    # pressed from within the window's event loop, as a user's key is (not from outside any loop, where what the
    # window deletes later is deleted at once)
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTimer.singleShot(0, lambda: qtbot.keyClick(window.view, Qt.Key.Key_O, ctrl_shift))
    qtbot.waitUntil(lambda: bool(seen["text"]), timeout=20_000)
    qtbot.waitUntil(lambda: not any(isinstance(w, QMessageBox) and w.isVisible()
                                    for w in QApplication.topLevelWidgets()), timeout=5_000)
    assert path.name in seen["text"][0], seen["text"]
    assert seen["at_open"] == [], f"a progress dialog was still there as the error box opened: {seen['at_open']}"
    assert seen["while_up"] == [], f"a progress dialog showed over the error box: {seen['while_up'][:3]}"
    assert not window.review.files, "nothing was opened"
