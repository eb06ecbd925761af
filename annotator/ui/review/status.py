"""The review's lines in the window's status bar, all through :meth:`Messages.say`:

- escaped: every name in them that came from a file -- a colleague's label, their name, a file name -- goes through
  :func:`annotator.core.neutral.terminal_safe`, as the command line prints it (trial 12, F8: a label holding U+202E
  turned "Not accepted: “sanction…” is not in your codebook" backwards);
- fitted: a statement's title is cut in the middle, as the Documents list cuts it, so the line fits beside the
  permanent widgets ("0 of 5 done") instead of running into them cut mid-word (trial 12, F2);
- tied to the statement they are about: once another statement is shown, such a line goes ("Every disagreement
  in this statement is settled" stayed over the next statement's open ones, trial 12, F3).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSizeGrip, QStatusBar, QWidget

from annotator.core.neutral import terminal_safe

#: where a message's statement title goes (a private-use character: no message, name or escape holds it)
TITLE = "\ue000"
#: the status bar's own margin before a message, and what is kept free before the permanent widgets, px
LEFT_MARGIN, GAP = 6, 16
#: a title keeps at least this many characters' room, cut or not
MIN_TITLE_CHARS = 12


def room(bar: QStatusBar) -> int:
    """The width a temporary message has before the first visible permanent widget (the normal widgets hide
    while a message shows)."""
    right = bar.width()
    for child in bar.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
        if child.isVisible() and not isinstance(child, QSizeGrip) and child.width() > 0:
            right = min(right, child.x())
    return max(0, right - LEFT_MARGIN - GAP)


def fit(bar: QStatusBar, message: str, title: str | None = None) -> str:
    """``message`` escaped, its :data:`TITLE` replaced by ``title`` cut in the middle to what room is left, and
    the whole cut at the right (with "…") if it is still too wide."""
    metrics = bar.fontMetrics()
    width = room(bar)
    message = terminal_safe(message)
    if title is not None:
        head, _, tail = message.partition(TITLE)
        title = terminal_safe(title)
        left = max(width - metrics.horizontalAdvance(head + tail), metrics.averageCharWidth() * MIN_TITLE_CHARS)
        message = head + metrics.elidedText(title, Qt.TextElideMode.ElideMiddle, left) + tail
    if width <= 0:  # not laid out yet: nothing to measure against
        return message
    return metrics.elidedText(message, Qt.TextElideMode.ElideRight, width)


class Messages:
    """The review's status-bar lines of one window."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self._shown: str | None = None  # the last line said about a statement, as shown
        self._about: int | None = None  # that statement's id

    def say(self, message: str, timeout: int, *, title: str | None = None, about: int | None = None) -> str:
        """Show ``message`` (``title`` in place of :data:`TITLE`) for ``timeout`` ms (0: until replaced); with
        ``about``, the statement it speaks of: it goes once another statement is shown. Returns the line shown."""
        bar = self.window.statusBar()
        shown = fit(bar, message, title)
        bar.showMessage(shown, timeout)
        self._shown, self._about = (shown, about) if about is not None else (None, None)
        return shown

    def clear(self) -> None:
        bar = self.window.statusBar()
        if self._shown is not None and bar.currentMessage() == self._shown:
            bar.clearMessage()
        self._shown = self._about = None

    def document_shown(self, doc_id: int | None) -> None:
        """Another statement is shown: a line about the one before goes (a line about no statement stays)."""
        if self._about is not None and doc_id != self._about:
            self.clear()


def messages_of(window: Any) -> Messages:
    """The window's review :class:`Messages` (made on first use)."""
    messages = getattr(window, "_review_messages", None)
    if messages is None:
        messages = window._review_messages = Messages(window)
    return messages


def say(window: Any, message: str, timeout: int, *, title: str | None = None, about: int | None = None) -> str:
    """:meth:`Messages.say` of ``window``'s review messages."""
    return messages_of(window).say(message, timeout, title=title, about=about)
