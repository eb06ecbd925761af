"""Columns for the codebook's cue-pattern editor: each line's NAME, KIND and PATTERN line up under the headings
"Name", "Kind" and "Pattern" (a newcomer's finding: the box had no headings, and a long name such as
"commitment-will-continue" pushed its kind and pattern a tab stop further than the other lines').

Display only: the text typed is the data and is never changed. A tab stops at the next column (the document's tab
positions); a separator of two spaces or more is stretched to the next column by letter spacing on its spaces (a
highlighter's format, kept by the layout, not in the text). The columns fit the widest name and kind in the editor
(a name counts once a separator follows it) and the headings. They are fit again when another label's cues are
shown (:meth:`CueColumns.fit`), when the font changes and after a change typed: on the next turn of the event loop,
never inside the text-changed signal, and without the editor's signals (a highlight is no edit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, QSignalBlocker, QSize, QTimer
from PySide6.QtGui import QFont, QFontMetricsF, QSyntaxHighlighter, QTextCharFormat, QTextDocument, QTextOption
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

from annotator.core.suggest.cues import KINDS
from annotator.ui.suggest.cues_text import SEPARATOR

TITLES = ("Name", "Kind", "Pattern")
#: the room between two columns, in spaces of the editor's font
GAP = 2
#: the least room for names, in characters of the editor's font (the headings do not jump at the first short name)
MIN_NAME = 12


@dataclass(frozen=True, slots=True)
class Columns:
    """Where the kind and the pattern start, in px from the start of a line (after the document's margin)."""

    kind: int
    pattern: int


def separators(line: str) -> list[tuple[int, int]]:
    """The (start, end) of the separators before KIND and before PATTERN in ``line``, as the codebook reads it
    (:func:`annotator.ui.suggest.cues_text.parse`: the line stripped, split at tabs or two spaces or more, twice)."""
    body = line.rstrip()
    start = len(body) - len(body.lstrip())
    if start == len(body) or body[start] == "#":
        return []
    found: list[tuple[int, int]] = []
    for match in SEPARATOR.finditer(body, start):
        found.append((match.start(), match.end()))
        if len(found) == 2:
            break
    return found


def fit(text: str, font: QFont, title_font: QFont) -> Columns:
    """The columns that hold every line of ``text`` in ``font`` and the headings in ``title_font``."""
    metrics, titles = QFontMetricsF(font), QFontMetricsF(title_font)
    gap = metrics.horizontalAdvance(" " * GAP)
    name = max(metrics.horizontalAdvance("x" * MIN_NAME), titles.horizontalAdvance(TITLES[0]))
    kind = max([metrics.horizontalAdvance(k) for k in KINDS] + [titles.horizontalAdvance(TITLES[1])])
    for line in text.splitlines():
        seps = separators(line)
        if seps:
            name = max(name, metrics.horizontalAdvance(line[:seps[0][0]]))
        if len(seps) == 2:
            kind = max(kind, metrics.horizontalAdvance(line[seps[0][1]:seps[1][0]]))
    kind_at = math.ceil(name + gap)
    return Columns(kind_at, math.ceil(kind_at + kind + gap))


class _SpacedSeparators(QSyntaxHighlighter):
    """Stretches a separator of spaces to the next column (a tab stops there by itself)."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.columns = Columns(0, 0)
        self.font = QFont()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        metrics = QFontMetricsF(self.font)
        space = metrics.horizontalAdvance(" ")
        seps = separators(text)
        for i, (start, end) in enumerate(seps):
            if "\t" in text[start:end]:
                continue
            at = (metrics.horizontalAdvance(text[:start]) if i == 0
                  else self.columns.kind + metrics.horizontalAdvance(text[seps[0][1]:start]))
            target = self.columns.kind if i == 0 else self.columns.pattern
            extra = (target - at) / (end - start) - space
            if extra > 0.01:
                stretched = QTextCharFormat()
                stretched.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
                stretched.setFontLetterSpacing(extra)
                self.setFormat(start, end - start, stretched)


class CueHeadings(QWidget):
    """"Name", "Kind" and "Pattern" above the cue editor, each where its column's text starts in the editor."""

    def __init__(self, editor: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codebook_cue_headings")
        self.editor = editor
        self.titles: list[QLabel] = []
        for text in TITLES:
            title = QLabel(text, self)
            title.setObjectName(f"codebook_cue_heading_{text.lower()}")
            title.setMargin(0)
            title.setIndent(0)
            self.titles.append(title)
        self._bold()
        self.columns = Columns(0, 0)

    def title_font(self) -> QFont:
        return self.titles[0].font()

    def _bold(self) -> None:
        bold = QFont(self.font())
        bold.setBold(True)
        for title in self.titles:
            title.setFont(bold)
            title.adjustSize()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(0, max(t.sizeHint().height() for t in self.titles))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.sizeHint()

    def place(self, columns: Columns | None = None) -> None:
        """Each heading over its column: the editor's text starts at its viewport's left, past the content offset
        (the horizontal scroll) and the document's margin."""
        if columns is not None:
            self.columns = columns
        window = self.window()
        if self.editor.window() is not window:  # not yet in the same dialog
            return
        origin = self.mapFrom(window, self.editor.viewport().mapTo(window, QPoint(0, 0)))
        left = origin.x() + self.editor.contentOffset().x() + self.editor.document().documentMargin()
        for title, x in zip(self.titles, (0, self.columns.kind, self.columns.pattern), strict=True):
            title.move(round(left + x), 0)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._bold()
            self.updateGeometry()

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.place()

    def moveEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        super().moveEvent(event)
        self.place()


class CueColumns(QObject):
    """Keeps ``editor``'s lines in columns under :attr:`headings` (put it above the editor)."""

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor)
        self.editor = editor
        self.headings = CueHeadings(editor)
        self._spaced = _SpacedSeparators(editor.document())
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self.fit)
        # a change typed may widen or narrow the columns: fit them after it, not inside the signal
        editor.textChanged.connect(self._later.start)
        editor.horizontalScrollBar().valueChanged.connect(lambda _value: self.headings.place())
        editor.installEventFilter(self)
        self.headings.installEventFilter(self)
        self.headings.setEnabled(editor.isEnabled())
        self.fit()

    def columns(self) -> Columns:
        return self.headings.columns

    def fit(self) -> None:
        """Fit the columns to the editor's text and font now (when its text is set, say)."""
        editor = self.editor
        columns = fit(editor.toPlainText(), editor.font(), self.headings.title_font())
        document = editor.document()
        option = document.defaultTextOption()
        tabs = [QTextOption.Tab(columns.kind, QTextOption.TabType.LeftTab),
                QTextOption.Tab(columns.pattern, QTextOption.TabType.LeftTab)]
        if [t.position for t in option.tabs()] != [t.position for t in tabs]:
            option.setTabs(tabs)
            document.setDefaultTextOption(option)  # the layout's tab stops: no change to the text or its undo
        if columns != self._spaced.columns or editor.font() != self._spaced.font:
            self._spaced.columns, self._spaced.font = columns, QFont(editor.font())
            with QSignalBlocker(editor):  # re-highlighting marks the layout dirty: to listeners, no text change
                self._spaced.rehighlight()
        self.headings.place(columns)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._later.start()
        elif kind in (QEvent.Type.Resize, QEvent.Type.Move, QEvent.Type.Show, QEvent.Type.LayoutRequest):
            self.headings.place()
        elif kind == QEvent.Type.EnabledChange and watched is self.editor:
            self.headings.setEnabled(self.editor.isEnabled())
        return False
