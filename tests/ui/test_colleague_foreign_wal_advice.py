"""Trial 11, L3: a colleague's file with a ``-wal`` that is not its own (Review ▸ Open Colleague File…, or
``annotator agree``) was refused -- rightly -- with the advice for one's own project: "Move bob.sqlite-wal out of
the folder … or restore a backup". Their folder is theirs (a review never moves or writes their files) and the
backups are of my project: the advice is now to ask the colleague for a clean copy or an export."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from annotator.ui import filedialogs
from annotator.ui.review import controller as review_ui
from tests.reliability.test_trust import crash_wal, make, run_cli
from tests.ui.conftest import on_dialog


def colleague_with_a_foreign_wal(tmp_path: Path) -> Path:
    folder = tmp_path / "from_bob"
    folder.mkdir()
    bob = make(folder / "bob.sqlite")
    other = make(tmp_path / "other" / "p.sqlite", texts=[f"Another statement number {i}." for i in range(12)])
    wal = crash_wal(other, "p.add_span(2, 0, 7, 'threat')")
    shutil.copyfile(wal, f"{bob}-wal")  # a sync client's mix: another project's journal beside bob's file
    return bob


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def advice_for_a_colleague(message: str, bob: Path) -> None:
    assert "not this project's journal" in message, message
    assert "colleague" in message and "clean copy" in message and "export" in message, message
    assert "restore a backup" not in message and "Move bob.sqlite-wal" not in message, message


def test_review_gives_a_colleague_files_advice_for_a_foreign_wal(window, qtbot, tmp_path, monkeypatch):
    bob = colleague_with_a_foreign_wal(tmp_path)
    before = digest(bob.parent)
    review_ui.install(window)
    told: list[str] = []

    def read_and_close(box: QMessageBox) -> None:
        told.append(box.text())
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    on_dialog(QMessageBox, read_and_close)
    monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: [str(bob)])
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    advice_for_a_colleague(told[0], bob)
    assert digest(bob.parent) == before  # their folder exactly as it was


def test_agree_gives_a_colleague_files_advice_for_a_foreign_wal(tmp_path):
    bob = colleague_with_a_foreign_wal(tmp_path)
    mine = make(tmp_path / "mine.sqlite")
    before = digest(bob.parent)
    result = run_cli("agree", str(mine), str(bob))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    advice_for_a_colleague(result.stderr, bob)
    assert digest(bob.parent) == before
