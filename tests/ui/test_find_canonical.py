"""Trial 12, F7: Find (Ctrl+F) missed a word written with a combining accent. The statement held "Cafe\u0301"
(e + U+0301, as text pasted from macOS or a PDF is), the analyst typed "Café" (precomposed U+00E9): "not found".
Now canonically equivalent text is equal and case is ignored (as in the corpus search); the match selected is the
statement's own code points, whole letters with their marks, so Esc and a label key label exactly that."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from annotator.core.model import IncomingDocument
from tests.ui.conftest import spans_in_db, window_over

CTRL = Qt.KeyboardModifier.ControlModifier
TEXT = ("Statement on the 🚀 test\r\nWe condemn the launch that threatens peace.\r\n"
        "Cafe\u0301 diplomacy continues.\r\nThe CAFÉ DIPLOMACY of the s\u0323\u0307ummit goes on.\r\n")
DECOMPOSED = TEXT.index("Cafe\u0301")
PRECOMPOSED = TEXT.index("CAFÉ")


def _type(qtbot, widget, typed: str) -> None:
    """Type ``typed`` key by key, as a keyboard (or a dead key and a letter) sends it: é as one precomposed é."""
    for ch in typed:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:  # QTest cannot click a key that is not on a US keyboard: the key event a layout with it sends
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier,
                                                         ch))


def _find(qtbot, window, typed: str) -> None:
    view = window.view
    qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_F, CTRL)
    assert window.find_bar.isVisible()
    _type(qtbot, window.find_bar.edit, typed)  # the keyboard types é precomposed
    assert window.find_bar.edit.text() == typed


def test_typed_precomposed_finds_the_decomposed_word_and_a_key_labels_it(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, [IncomingDocument(TEXT, "crlf_new")]) as (window, project):
        view, doc_id = window.view, window.session.document.id
        _find(qtbot, window, "café diplomacy")
        assert window.find_bar.status.text() == ""
        phrase = "Cafe\u0301 diplomacy"
        assert view.selection_cp() == (DECOMPOSED, DECOMPOSED + len(phrase))
        qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)  # Enter: the next one, written precomposed
        assert view.selection_cp() == (PRECOMPOSED, PRECOMPOSED + len("CAFÉ DIPLOMACY"))
        qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)  # and round again
        assert view.selection_cp() == (DECOMPOSED, DECOMPOSED + len(phrase))
        qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Escape)
        assert QApplication.focusWidget() is view
        qtbot.keyClick(view, Qt.Key.Key_1)
        assert spans_in_db(project, doc_id) == [(DECOMPOSED, DECOMPOSED + len(phrase), "threat", "")]
        assert project.spans(doc_id)[0].start == DECOMPOSED
        assert TEXT[DECOMPOSED:DECOMPOSED + len(phrase)] == phrase


def test_the_match_keeps_the_accent_with_its_letter(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, [IncomingDocument(TEXT, "crlf_new")]) as (window, project):
        view, doc_id = window.view, window.session.document.id
        _find(qtbot, window, "Café")  # the whole letter é, its mark too: 5 code points of the statement
        assert view.selection_cp() == (DECOMPOSED, DECOMPOSED + 5)
        qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Escape)
        qtbot.keyClick(view, Qt.Key.Key_2, CTRL)  # with character precision: exactly the match
        assert spans_in_db(project, doc_id) == [(DECOMPOSED, DECOMPOSED + 5, "commitment", "")]

        # "Cafe" is not "Café": the e alone would split the letter from its accent
        qtbot.keyClick(view, Qt.Key.Key_F, CTRL)
        window.find_bar.edit.clear()
        qtbot.keyClicks(window.find_bar.edit, "Cafe")
        qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
        assert window.find_bar.status.text() == "not found"
        # marks typed in another order than stored (dot below, dot above): the same letter
        window.find_bar.edit.clear()
        _type(qtbot, window.find_bar.edit, "ṩummit")
        qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
        start = TEXT.index("s\u0323\u0307ummit")
        assert view.selection_cp() == (start, start + 8)
        assert "case" in window.find_bar.edit.placeholderText()
