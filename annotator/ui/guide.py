"""Help ▸ User Guide: the README's sections for analysts, one at a time, beside the window (a newcomer's finding:
Help held only the shortcut lists and About).

The guide is the README itself (bundled in the wheel beside the resources its pictures name), so it never drifts
from what the repository says; the sections written for developers (running the tests, the benchmark tables) are
left out. Each ``## `` heading starts a section, listed with its ``### `` subsections; the text before the first is
the introduction.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QResizeEvent, QTextCursor, QTextDocument, QTextImageFormat
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator import paths

#: what the statement's place says while none is open (a new project's window was blank: a newcomer's finding)
_IMPORT = ("File\u00a0▸\u00a0Import\u00a0Files… (Ctrl+I) reads web pages, PDFs, Word files, text and JSONL, with "
           "their date and issuer. You can also drop files on this window.\n\n"
           "Help\u00a0▸\u00a0User\u00a0Guide explains the rest.")
EMPTY_PROJECT = "This project holds no statement yet.\n\nBring statements in: " + _IMPORT
EMPTY_VIEW = "No statement is open.\n\nChoose one in the Documents list, or bring more in: " + _IMPORT
#: sections for the people who build Annotator, not for its users
SKIPPED = ("Run the tests", "Performance")
#: a subsection's title in the contents, under its section's
INDENT = "    "
#: the guide's width, and the least it is narrowed to beside the window
WIDTH, NARROWEST = 900, 560


def sections(markdown: str) -> list[tuple[str, str]]:
    """(title, markdown) per ``## `` section, the text before the first ("Introduction") first, each ``### ``
    subsection after its section as its own entry (title indented; its text up to the next heading of either
    level). A heading inside a fenced code block is code, not a heading."""
    found: list[tuple[str, list[str]]] = [("Introduction", [])]
    sub: list[tuple[str, list[str]]] = []
    fenced = False
    out: list[tuple[str, list[str]]] = []

    def close_section() -> None:
        if found[-1][0] not in SKIPPED:  # with its subsections
            out.append(found[-1])
            out.extend(sub)
        sub.clear()

    for line in markdown.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            close_section()
            found.append((line[3:].strip(), [line]))
            continue
        if not fenced and line.startswith("### "):
            sub.append((INDENT + line[4:].strip(), []))
        found[-1][1].append(line)
        if sub:
            sub[-1][1].append(line)
    close_section()
    return [(title, _one_line_captions("\n".join(lines).strip() + "\n")) for title, lines in out
            if any(line.strip() for line in lines)]


def _one_line_captions(markdown: str) -> str:
    """A picture's caption on one line: Qt's reader draws the picture once per line of a caption broken over several
    (the README's are wrapped at 120 columns)."""
    return _PICTURE.sub(lambda m: "![" + " ".join(m.group(1).split()) + "](", markdown)


_PICTURE = re.compile(r"!\[([^\]]*)\]\(")


class GuideDialog(QDialog):
    """The guide's sections listed on the left, the chosen one on the right."""

    def __init__(self, parent: QWidget | None, source: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Annotator User Guide")
        source = source or paths.guide_file()
        try:
            self.parts = sections(source.read_text(encoding="utf-8"))
        except OSError as exc:
            self.parts = [("Not found", f"The guide ({source}) could not be read: {exc.strerror or exc}.\n")]
        self.contents = QListWidget(objectName="guide_sections")
        self.contents.addItems([title for title, _ in self.parts])
        self.contents.setMaximumWidth(self.contents.sizeHintForColumn(0) + 40)
        self.text = QTextBrowser(objectName="guide_text")
        self.text.setOpenLinks(False)  # the guide is read here; it neither follows nor opens links
        self.text.setSearchPaths([str(source.parent)])  # the pictures, named relative to the README
        self._widths: dict[str, int] = {}
        self.contents.currentRowChanged.connect(self._show)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.contents)
        split.addWidget(self.text)
        split.setStretchFactor(1, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(split)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(buttons)
        self.contents.setCurrentRow(0)
        screen = self.screen().availableGeometry()
        self.resize(min(WIDTH, screen.width() - 80), min(720, screen.height() - 80))

    def place_beside(self, window: QWidget) -> None:
        """To the right of ``window`` where its screen has room, else to its left, narrowed to the room down to
        :data:`NARROWEST`; else where the system puts it."""
        screen = window.screen().availableGeometry()
        frame = window.frameGeometry()
        right, left = screen.right() - frame.right(), frame.left() - screen.left()
        room = max(right, left)
        if room < NARROWEST:
            return
        self.resize(min(self.width(), room), self.height())
        x = frame.right() + 1 if right >= left else frame.left() - self.width()
        self.move(x, max(screen.top(), frame.top()))

    def _show(self, row: int) -> None:
        if 0 <= row < len(self.parts):
            self.text.setMarkdown(self.parts[row][1])
            self._fit_pictures()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_pictures()

    def _fit_pictures(self) -> None:
        """Each picture at most as wide as the text (the screenshots are wider than the dialog), in proportion."""
        room = max(100, self.text.viewport().width() - 2 * int(self.text.document().documentMargin()) - 4)
        found: list[tuple[int, int, QTextImageFormat]] = []
        block = self.text.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                part = it.fragment()
                if part.charFormat().isImageFormat():
                    found.append((part.position(), part.length(), part.charFormat().toImageFormat()))
                it += 1
            block = block.next()
        for at, length, picture in found:  # changed after the walk: a change would move the fragments walked
            natural = self._natural_width(picture.name())
            if natural:
                picture.setWidth(min(natural, room))
                cursor = QTextCursor(self.text.document())
                cursor.setPosition(at)
                cursor.setPosition(at + length, QTextCursor.MoveMode.KeepAnchor)
                cursor.setCharFormat(picture)

    def _natural_width(self, name: str) -> int:
        if name not in self._widths:
            data = self.text.loadResource(QTextDocument.ResourceType.ImageResource.value, QUrl(name))
            picture = data if isinstance(data, QImage) else QImage.fromData(data) if data else QImage()
            self._widths[name] = picture.width()
        return self._widths[name]

    def show_section(self, title: str) -> bool:
        """Show the section called ``title``; False if there is none."""
        for row, (name, _) in enumerate(self.parts):
            if name == title:
                self.contents.setCurrentRow(row)
                return True
        return False


def show_beside(window: QWidget, shown: GuideDialog | None) -> GuideDialog:
    """Help ▸ User Guide: ``shown`` (the one already made) or a new guide, beside ``window``, not over it, and
    brought forward. A window of its own: a dialog of ``window`` would be held above it, over the statement."""
    if shown is None:
        shown = GuideDialog(None)
        shown.place_beside(window)
    shown.show()
    shown.activateWindow()
    return shown
