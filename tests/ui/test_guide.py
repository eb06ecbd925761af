"""Help ▸ User Guide (a newcomer's finding: Help held only the shortcut lists and About): the README's sections for
analysts, beside the window, its pictures fitted to the text, the developers' sections left out."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextImageFormat

from annotator import paths
from annotator.ui.guide import INDENT, SKIPPED, sections

ROOT = Path(__file__).resolve().parents[2]


def _help_action(window, text):
    found = [a for a in window.menus["&Help"].actions() if a.text() == text]
    assert len(found) == 1, [a.text() for a in window.menus["&Help"].actions()]
    return found[0]


def _pictures(browser):
    found = []
    block = browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                found.append(QTextImageFormat(fmt.toImageFormat()))
            it += 1
        block = block.next()
    return found


def test_help_opens_the_guide_beside_the_window(qtbot, window):
    _help_action(window, "&User Guide").trigger()
    guide = window.guide
    qtbot.waitUntil(guide.isActiveWindow)
    assert not guide.isModal()  # the analyst reads and labels at once
    assert guide.parent() is None  # a window of its own, not a dialog held above the statement
    assert not guide.frameGeometry().intersects(window.frameGeometry()) or (
        window.screen().availableGeometry().width() - window.frameGeometry().width() < 560)  # beside, if room
    titles = [guide.contents.item(i).text() for i in range(guide.contents.count())]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    headings = [h for h in re.findall(r"^## (.+)$", readme, flags=re.M) if h not in SKIPPED]
    assert [t for t in titles if not t.startswith(INDENT)] == ["Introduction", *headings]
    assert INDENT + "Search the corpus" in titles  # a subsection, found from the contents
    assert not set(SKIPPED) & set(titles) and "Working in the window" in titles

    # the chosen section's text, chosen with the keyboard in the list
    guide.contents.setFocus()
    while guide.contents.currentItem().text() != "Working in the window":
        qtbot.keyClick(guide.contents, Qt.Key.Key_Down)
    assert guide.text.toPlainText().startswith("Working in the window")
    assert "Ctrl+Z" in guide.text.toPlainText()
    pictures = _pictures(guide.text)
    assert len(pictures) == 1  # one screenshot, drawn once (its caption spans three lines of the README)
    assert 100 <= pictures[0].width() <= guide.text.viewport().width()

    # asked again: the same guide, raised, not a second one
    _help_action(window, "&User Guide").trigger()
    assert window.guide is guide and guide.isVisible()
    qtbot.waitUntil(guide.isActiveWindow)
    qtbot.keyClick(guide.contents, Qt.Key.Key_Escape)
    assert not guide.isVisible()
    _help_action(window, "&User Guide").trigger()
    window.close()  # closing the main window closes the guide too
    assert not guide.isVisible()


def test_a_heading_in_a_code_block_is_code_and_subsections_are_entries():
    found = sections("# T\n\nintro\n\n## One\n\n```sh\n## not a heading\n```\n\n### Sub\n\nsub text\n\n"
                     "### Two\n\nmore\n\n## Performance\n\n### Run\n\nfigures\n")
    assert [title for title, _ in found] == ["Introduction", "One", INDENT + "Sub", INDENT + "Two"]
    assert "## not a heading" in found[1][1] and "sub text" in found[1][1] and "more" in found[1][1]
    assert found[2][1] == "### Sub\n\nsub text\n" and found[3][1] == "### Two\n\nmore\n"


def test_the_wheel_carries_the_guide_beside_the_pictures_it_names():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    bundled = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert bundled["README.md"] == "annotator/_data/README.md"
    assert bundled["resources"] == "annotator/_data/resources"
    assert paths.guide_file().is_file()
    for name in re.findall(r"\]\((resources/[^)]+)\)", paths.guide_file().read_text(encoding="utf-8")):
        assert (paths.guide_file().parent / name).is_file(), name


def test_an_unreadable_guide_says_so(qtbot, tmp_path):
    from annotator.ui.guide import GuideDialog

    dialog = GuideDialog(None, tmp_path / "missing.md")
    qtbot.addWidget(dialog)
    assert "could not be read" in dialog.text.toPlainText()


def test_a_new_projects_window_says_how_to_begin(qtbot, tmp_path):
    """An empty project's statement area was blank (a newcomer's finding): it names the import, its key, and the
    guide, and those are the window's real actions."""
    from PySide6.QtCore import QSettings

    from annotator.store import Project
    from annotator.ui.mainwindow import MainWindow
    from tests.ui.conftest import show_window

    project = Project.open(tmp_path / "new.sqlite", create=True, user="ana")
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    hint = window.view.placeholderText().replace("\u00a0", " ")
    assert window.view.document().isEmpty() and window.session.document is None
    assert hint.startswith("This project holds no statement yet.") and "Documents list" not in hint
    assert window.actions_["import"].text().replace("&", "") in hint
    assert window.actions_["import"].shortcut().toString() in hint
    assert "Help ▸ " + window.actions_["guide"].text().replace("&", "") in hint


def test_the_guide_sits_beside_the_window_where_the_screen_has_room(qtbot):
    from PySide6.QtWidgets import QWidget

    from annotator.ui.guide import NARROWEST, GuideDialog

    window = QWidget()
    qtbot.addWidget(window)
    screen = window.screen().availableGeometry()
    window.setGeometry(screen.left(), screen.top(), screen.width() - NARROWEST - 20, 300)
    window.show()
    qtbot.waitExposed(window)
    guide = GuideDialog(None)
    qtbot.addWidget(guide)
    guide.place_beside(window)
    assert guide.x() == window.frameGeometry().right() + 1  # to its right, narrowed to the room
    assert NARROWEST <= guide.width() <= screen.right() - window.frameGeometry().right()
    window.move(screen.right() - window.frameGeometry().width() + 1, screen.top())  # now room on the left only
    guide.place_beside(window)
    assert guide.frameGeometry().right() < window.frameGeometry().left() + 1
