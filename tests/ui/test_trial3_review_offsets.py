"""Review ▸ Open Colleague File asks how a doubtful doccano file counts its offsets, as File ▸ Import asks, before
the file is compared (a newcomer's finding: it was read as UTF-16 units without a question, then warned of, and the
review listed a fake boundary conflict: mine "threatens", theirs "𝐑𝐊 thre"). Driven through the real action (its
key), the file dialog answered, the question answered by a click on its button; the review read afterwards."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core import review as core
from annotator.core.model import IncomingDocument
from annotator.store import Project
from annotator.ui import filedialogs
from annotator.ui.files import offsets
from annotator.ui.review.panel import OPEN
from tests.ui.conftest import HOSTILE, SECOND

#: the question's button for each counting (its text is the text that counting marks)
CODE_POINTS, UTF16 = offsets.button_name("codepoints"), offsets.button_name("utf16")


def write(path, objects):
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects), encoding="utf-8")
    return path


def words(text, word, utf16=False):
    """``word``'s offsets in ``text``: code points, or UTF-16 units as doccano's editor counts them."""
    start = text.index(word)
    if utf16:
        start = len(text[:start].encode("utf-16-le")) // 2
    return [start, start + len(word)]


@pytest.fixture
def project(tmp_path):
    """My project: both statements, "threatens" labelled threat (overrides the conftest one: the ``window``
    fixture opens mine)."""
    p = Project.open(tmp_path / "p.sqlite", create=True, user="ana",
                     populate=[IncomingDocument(HOSTILE, "hostile"), IncomingDocument(SECOND, "second")])
    p.add_span(_doc_id(p, "hostile"), *words(HOSTILE, "threatens"), "threat")
    yield p
    p.close()


@pytest.fixture
def bob(tmp_path):
    """bob counted code points (an emoji and four mathematical letters before "threatens"): UTF-16 units fit too,
    marking "𝐑𝐊 thre", and the file does not prove which."""
    return write(tmp_path / "bob.jsonl", [
        {"id": 1, "text": HOSTILE, "label": [[*words(HOSTILE, "threatens"), "threat"]]},
        {"id": 2, "text": SECOND, "label": [[*words(SECOND, "defend"), "commitment"]]},
    ])


@pytest.fixture
def carol(tmp_path):
    """carol's file counts UTF-16 units as doccano's editor does; read as code points it would mark "tens peac":
    no doubt."""
    return write(tmp_path / "carol.jsonl", [{"id": 1, "text": HOSTILE,
                                             "label": [[*words(HOSTILE, "threatens", utf16=True), "threat"]]}])


def _visible_boxes():
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def answer(asked, button, timeout_ms=8000):
    """Click ``button`` on each question about a file's counting while it is open (the user's stand-in), noting
    (its text, its buttons) in ``asked``; ``button`` None: Cancel. The notes box (no counting buttons) is left."""
    clock = QElapsedTimer()
    clock.start()
    timer = QTimer()
    seen: list[QMessageBox] = []

    def poll():
        for box in _visible_boxes():
            names = [b.objectName() or b.text() for b in box.buttons()]
            if CODE_POINTS not in names or box in seen:
                continue
            seen.append(box)
            asked.append((box.text(), names))
            target = box.button(QMessageBox.StandardButton.Cancel) if button is None else next(
                b for b in box.buttons() if b.objectName() == button)
            target.click()
        if clock.elapsed() > timeout_ms:
            timer.stop()

    timer.timeout.connect(poll)
    timer.start(20)
    return timer


def open_answering(monkeypatch, qtbot, window, button, *paths):
    """:func:`open_colleague`, each question about a file's counting answered with ``button`` (None: Cancel); the
    questions asked, as :func:`answer` notes them."""
    asked: list[tuple[str, list[str]]] = []
    timer = answer(asked, button)
    open_colleague(monkeypatch, qtbot, window, *paths)
    timer.stop()
    return asked


def open_colleague(monkeypatch, qtbot, window, *paths):
    """Review ▸ Open Colleague File… by its key, the file dialog answered with ``paths``."""
    monkeypatch.setattr(filedialogs, "open_files", lambda *a, **k: [str(p) for p in paths])
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


def _doc_id(project, title):
    return project.conn.execute("SELECT id FROM documents WHERE title = ?", (title,)).fetchone()[0]


def test_a_doubtful_colleague_file_is_asked_about_and_compared_as_counted(window, bob, qtbot, monkeypatch):
    asked = open_answering(monkeypatch, qtbot, window, CODE_POINTS, bob)

    assert len(asked) == 1, asked
    question, buttons = asked[0]
    assert "bob.jsonl" in question and "'threatens'" in question and "'𝐑𝐊 thre'" in question, question
    assert buttons == [UTF16, CODE_POINTS, "Cancel"], buttons
    assert "Cancel opens nothing" in question, question  # the review opens, it does not import
    review = window.review
    qtbot.waitUntil(lambda: [f.name for f in review.files] == ["bob.jsonl"], timeout=5000)
    if window.session.document is None or window.session.document.title != "hostile":
        window.open_document(_doc_id(window.session.project, "hostile"))
    assert window.session.document.title == "hostile"
    items = review.review.items
    # read in code points: bob's "threatens" is mine, agreed; no fake boundary conflict with "𝐑𝐊 thre"
    assert [(HOSTILE[i.start:i.end], i.kind) for i in items] == [("threatens", core.AGREED)], items
    assert not any(r.status == OPEN for r in review.rows), review.rows
    # the file was read as chosen: no warning box repeats the doubt
    qtbot.wait(300)
    assert not _visible_boxes(), [b.text() for b in _visible_boxes()]
    assert "warning" not in window.statusBar().currentMessage()
    assert not review.files[0].notes


def test_cancel_at_the_question_opens_nothing(window, bob, qtbot, monkeypatch):
    asked = open_answering(monkeypatch, qtbot, window, None, bob)

    assert len(asked) == 1, asked
    review = window.review
    assert review.files == [] and review.review is None
    assert not review.dock.isVisible()
    status = window.statusBar().currentMessage()
    assert "bob.jsonl" in status and "cancelled" in status, status
    qtbot.wait(300)
    assert not _visible_boxes(), [b.text() for b in _visible_boxes()]


def test_only_a_doubtful_file_is_asked_about(window, bob, carol, qtbot, monkeypatch):
    asked: list[tuple[str, list[str]]] = []
    timer = answer(asked, CODE_POINTS)
    open_colleague(monkeypatch, qtbot, window, carol)  # UTF-16 units, plainly: no question
    review = window.review
    qtbot.waitUntil(lambda: [f.name for f in review.files] == ["carol.jsonl"], timeout=5000)
    assert asked == []
    carol2 = carol.with_name("carol2.jsonl")
    carol2.write_bytes(carol.read_bytes())
    open_colleague(monkeypatch, qtbot, window, carol2, bob)  # asked about bob's file only
    timer.stop()

    assert len(asked) == 1 and "bob.jsonl" in asked[0][0] and "carol" not in asked[0][0], asked
    assert [f.name for f in review.files] == ["carol.jsonl", "carol2.jsonl", "bob.jsonl"]
    for cfile in review.files:  # each read in its counting: "threatens" in all three
        spans = [s for d in cfile.documents.values() for s in d.spans if s.label == "threat"]
        assert [HOSTILE[s.start:s.end] for s in spans] == ["threatens"], (cfile.name, spans)
