"""The labels bar: one button per label, those that do not fit in a "»" menu at its end."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QMenu, QSizePolicy, QToolBar, QToolButton, QWidget

from annotator.core.model import Label
from annotator.core.neutral import terminal_safe
from annotator.ui.palette import swatch
from annotator.ui.text import plain_tooltip


class LabelsBar(QWidget):
    """One button per label: colour, name, shortcut and count in this document; the description as tooltip.

    The buttons that do not fit the bar's width go to a "»" button's menu at its end (as a toolbar's own
    extension does), so the bar never asks the window to be wider than its first button and that one: 14 labels
    made the window 1 737 px wide, and it stayed so after they were removed. A long name is elided (whole in the
    tooltip). In a toolbar moved to the window's side the buttons stack, and overflow the same way downwards."""

    labelClicked = Signal(str)
    #: the most a label's name takes on its button, in average character widths (the rest elided)
    NAME_CHARS = 28
    MARGINS = (4, 2, 4, 2)  # left, top, right, bottom
    SPACING = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[str, QToolButton] = {}
        self.labels: list[Label] = []
        self._counts: dict[str, int] | None = None  # counts to show on the next turn of the event loop
        self.orientation = Qt.Orientation.Horizontal
        self._toolbar: QToolBar | None = None
        self.more = QToolButton(self)
        self.more.setObjectName("labels_more")
        self.more.setText("»")
        self.more.setToolTip("More labels")
        self.more.setAccessibleName("More labels")
        self.more.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more.setMenu(QMenu(self.more))
        self.more.menu().aboutToShow.connect(self._fill_more)
        self.more.hide()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_labels(self, labels: list[Label], counts: dict[str, int]) -> None:
        for button in self.buttons.values():
            button.hide()
            button.deleteLater()
        self.buttons = {}
        self.labels = list(labels)
        for label in labels:
            button = QToolButton(self)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setIcon(swatch(label.color))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # clicking keeps the keyboard in the statement
            button.setAutoRaise(False)
            button.clicked.connect(lambda _=False, key=label.key: self.labelClicked.emit(key))
            self.buttons[label.key] = button
        self.set_counts(counts)
        self._place()  # also with no label at all: no "»" left from the last codebook

    def counts_later(self, counts: dict[str, int]) -> None:
        """Show ``counts`` on the next turn of the event loop (once for all the changes meanwhile): a label key
        press paints the statement, not the buttons (issue #14)."""
        if self._counts is None:
            QTimer.singleShot(0, self, self._show_counts)
        self._counts = dict(counts)

    def _show_counts(self) -> None:
        if self._counts is not None:
            self.set_counts(self._counts)

    def set_counts(self, counts: dict[str, int]) -> None:
        self._counts = None
        room = self.fontMetrics().averageCharWidth() * self.NAME_CHARS
        changed = False
        for label in self.labels:
            button = self.buttons.get(label.key)
            if button is not None:
                key = f"[{label.shortcut}] " if label.shortcut else ""
                name = button.fontMetrics().elidedText(terminal_safe(label.name), Qt.TextElideMode.ElideMiddle, room)
                n = counts.get(label.key, 0)
                text = f"{key}{name}  {n}"
                if button.text() != text:
                    button.setText(text)
                    # the number is this statement's, not the project's: after labelling 11 hits across the corpus
                    # "Call to action 1" was read as the project's count (a corpus analyst's trial). Tooltips are
                    # escaped by Qt only if they are not detected as rich text: made plain
                    shown = terminal_safe(label.name)  # a label accepted from a colleague's file: escaped
                    about = f"{shown}: {label.description}" if label.description else shown
                    button.setToolTip(plain_tooltip(f"{about}\n{n} span(s) of it in this statement"))
                    changed = True
        if changed:  # the buttons' widths may have changed: the toolbar asks again, and they are placed anew
            self.updateGeometry()
            self._place()

    # ------------------------------------------------------------------ layout
    def hidden_labels(self) -> list[Label]:
        """The labels whose buttons do not fit: in the "»" menu."""
        return [lb for lb in self.labels if lb.key in self.buttons and self.buttons[lb.key].isHidden()]

    def _horizontal(self) -> bool:
        return self.orientation == Qt.Orientation.Horizontal

    def _along(self, size: QSize) -> int:
        return size.width() if self._horizontal() else size.height()

    def _across(self, size: QSize) -> int:
        return size.height() if self._horizontal() else size.width()

    def _sized(self, along: int, across: int) -> QSize:
        left, top, right, bottom = self.MARGINS
        if self._horizontal():
            return QSize(along + left + right, across + top + bottom)
        return QSize(across + left + right, along + top + bottom)

    def _hints(self) -> list[QSize]:
        return [self.buttons[lb.key].sizeHint() for lb in self.labels if lb.key in self.buttons]

    def sizeHint(self) -> QSize:
        hints = self._hints()
        along = sum(self._along(h) for h in hints) + self.SPACING * max(0, len(hints) - 1)
        across = max([self._across(h) for h in hints] + [self._across(self.more.sizeHint())])
        return self._sized(along, across)

    def minimumSizeHint(self) -> QSize:
        """Room for the "»" button alone: whatever the codebook, the bar never widens the window."""
        hints = self._hints()
        across = max([self._across(h) for h in hints] + [self._across(self.more.sizeHint())])
        return self._sized(self._along(self.more.sizeHint()), across)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ParentChange:  # in a toolbar: follow its orientation
            self._follow_toolbar()
        return super().event(event)

    def _follow_toolbar(self) -> None:
        parent = self.parentWidget()
        toolbar = parent if isinstance(parent, QToolBar) else None
        if toolbar is self._toolbar:
            return
        if self._toolbar is not None and shiboken6.isValid(self._toolbar):
            self._toolbar.orientationChanged.disconnect(self.set_orientation)
        self._toolbar = toolbar
        if toolbar is not None:
            toolbar.orientationChanged.connect(self.set_orientation)
            self.set_orientation(toolbar.orientation())

    def set_orientation(self, orientation: Qt.Orientation) -> None:
        self.orientation = orientation
        self.setSizePolicy(*((QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
                             if self._horizontal() else (QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)))
        self.updateGeometry()
        self._place()

    def _place(self) -> None:
        """Put the buttons that fit in a row (a column), in codebook order; the rest hidden, behind "»"."""
        left, top, right, bottom = self.MARGINS
        buttons = [self.buttons[lb.key] for lb in self.labels if lb.key in self.buttons]
        hints = [b.sizeHint() for b in buttons]
        inner = self.contentsRect().adjusted(left, top, -right, -bottom)
        room = self._along(inner.size())
        needed = sum(self._along(h) for h in hints) + self.SPACING * max(0, len(hints) - 1)
        shown = len(buttons)
        if needed > room:  # keep room for "»" and fit what goes before it
            room -= self._along(self.more.sizeHint()) + self.SPACING
            used, shown = 0, 0
            for hint in hints:
                step = self._along(hint) + (self.SPACING if shown else 0)
                if used + step > room:
                    break
                used += step
                shown += 1
        at = 0
        across = self._across(inner.size())
        for i, (button, hint) in enumerate(zip(buttons, hints, strict=True)):
            if i >= shown:
                button.hide()
                continue
            length = self._along(hint)
            if self._horizontal():
                button.setGeometry(inner.left() + at, inner.top() + (across - hint.height()) // 2, length,
                                   hint.height())
            else:
                button.setGeometry(inner.left(), inner.top() + at, across, length)
            button.show()
            at += length + self.SPACING
        if shown < len(buttons):
            hint = self.more.sizeHint()
            if self._horizontal():
                self.more.setGeometry(inner.left() + at, inner.top() + (across - hint.height()) // 2,
                                      hint.width(), hint.height())
            else:
                self.more.setGeometry(inner.left(), inner.top() + at, across, hint.height())
            self.more.setToolTip(f"{len(buttons) - shown} more label(s)")
            self.more.show()
        else:
            self.more.hide()

    def _fill_more(self) -> None:
        """The "»" menu: the labels without room in the bar, as their buttons read, each applying its label."""
        menu = self.more.menu()
        menu.clear()
        for label in self.hidden_labels():
            button = self.buttons[label.key]
            action = menu.addAction(button.icon(), button.text().replace("&", "&&"))
            action.setToolTip(button.toolTip())
            action.setData(label.key)
            action.triggered.connect(lambda _=False, key=label.key: self.labelClicked.emit(key))
