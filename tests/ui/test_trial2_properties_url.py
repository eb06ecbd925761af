"""The URL field of Document Properties, typed into through the real widget: an http(s) or file: address is saved
trimmed; anything else is marked (red, the reason in its tooltip and below the fields), kept as typed to be
corrected, and not saved (DESIGN.md §2.6, §3)."""

import pytest
from PySide6.QtCore import Qt

from annotator.store import variables as sv


def _type_into(qtbot, editor, text, key=Qt.Key.Key_Return):
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, key)


def _stored(project):
    """The statements' variables and the history, through the window's own connection (a second descriptor on the
    project would drop its locks: DESIGN.md §2.2)."""
    rows = project.conn.execute("SELECT id, date, issuer, url, note, updated FROM documents ORDER BY id").fetchall()
    return rows, project.history(1000)


def _marked(editor):
    return bool(editor.property("invalid")) and "#b00020" in editor.styleSheet()


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("not a url", "space"),
        ("state.gov/briefings", "https://"),
        ("javascript:alert(1)", "javascript:"),
        ("https://", "host name"),
        ("https:/www.state.gov/x", "//"),
    ],
)
def test_an_invalid_url_is_marked_explained_and_not_saved(qtbot, window, project, typed, reason):
    doc = window.session.document.id
    panel = window.properties.panel
    url = panel.editors["url"]
    before = _stored(project)
    _type_into(qtbot, url, typed)
    assert sv.fields(project, doc).url == ""
    assert _stored(project) == before  # nothing written: no value, no history
    assert not window.undo_group.canUndo()
    assert _marked(url), url.styleSheet()
    assert url.text() == typed  # kept to be corrected
    assert reason in panel.message.text() and "not" in panel.message.text()
    assert not panel.message.text().lower().startswith("url:")  # no internal field name before it (a trial)
    assert reason in url.toolTip() and panel.message.isVisibleTo(panel)
    # leaving the field with Tab does not save it either
    _type_into(qtbot, url, typed + " x", Qt.Key.Key_Tab)
    assert sv.fields(project, doc).url == "" and _marked(url)


def test_a_web_address_is_saved_trimmed_and_the_mark_goes(qtbot, window, project):
    doc = window.session.document.id
    panel = window.properties.panel
    url = panel.editors["url"]
    _type_into(qtbot, url, "https//www.state.gov")
    assert _marked(url) and sv.fields(project, doc).url == ""
    _type_into(qtbot, url, "  https://www.state.gov/joint-statement-2023/  ")
    assert sv.fields(project, doc).url == "https://www.state.gov/joint-statement-2023/"
    assert url.text() == "https://www.state.gov/joint-statement-2023/"
    assert not _marked(url) and url.toolTip() == "" and panel.message.text() == ""
    assert window.undo_group.undoText().startswith("Set URL to “https://www.state.gov/")
    _type_into(qtbot, url, "www.mofa.go.jp/press/release")  # as an address bar reads it
    assert sv.fields(project, doc).url == "https://www.mofa.go.jp/press/release"
    _type_into(qtbot, url, "file:///home/kim/statements/2023-10-26.pdf")
    assert sv.fields(project, doc).url == "file:///home/kim/statements/2023-10-26.pdf"
    _type_into(qtbot, url, "")  # emptied: no URL
    assert sv.fields(project, doc).url == ""


def test_the_mark_goes_with_the_statement_and_the_other_is_untouched(qtbot, window, project):
    first, second = (d.id for d in project.documents())
    panel = window.properties.panel
    url = panel.editors["url"]
    _type_into(qtbot, url, "<b>ftp://x</b>")
    assert _marked(url) and "<b>" not in url.toolTip().replace("&lt;b&gt;", "")  # shown literally, not bold
    window.session.open_document(second)
    qtbot.waitUntil(lambda: panel.doc_id == second)
    assert not _marked(url) and url.text() == "" and panel.message.text() == ""
    assert sv.fields(project, first).url == "" and sv.fields(project, second).url == ""


def test_the_fields_stay_where_they_are_as_the_message_comes_and_goes(qtbot, window):
    """A newcomer's trial: the fields moved about 16 px as the red line appeared, and a click aimed at the next field
    landed between two."""
    panel = window.properties.panel
    url, issuer = panel.editors["url"], panel.editors["issuer"]
    before = (url.mapTo(window, url.rect().topLeft()), issuer.mapTo(window, issuer.rect().topLeft()))
    _type_into(qtbot, url, "state.gov/briefings")
    assert panel.message.text()
    qtbot.wait(10)  # the layout settles
    assert (url.mapTo(window, url.rect().topLeft()), issuer.mapTo(window, issuer.rect().topLeft())) == before
    _type_into(qtbot, url, "https://www.state.gov/")
    assert not panel.message.text()
    qtbot.wait(10)
    assert (url.mapTo(window, url.rect().topLeft()), issuer.mapTo(window, issuer.rect().topLeft())) == before
