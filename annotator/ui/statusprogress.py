"""Progress of background work shown in the window's status bar: what runs, a bar, and a Cancel button.

For work the window stays usable during (the agreement report). A progress dialog is a window of its own: showing
it took the activation from the main window, which Qt answers by repainting every widget of it in the inactive
palette, 10-20 ms of the window's thread at the moment the work starts (measured with the agreement report, issue
#14). This one is a few widgets in a bar already on screen: its first paint is the bar's, a few milliseconds.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QProgressBar, QToolButton, QWidget

from annotator.ui.text import plain


class StatusProgress(QWidget):
    """``canceled`` when its Cancel button is pressed; ``finish()`` takes it off the status bar."""

    canceled = Signal()

    def __init__(self, window: QMainWindow, text: str, name: str, tooltip: str = "") -> None:
        super().__init__(window)
        self.setObjectName(name)
        self.label = plain(QLabel(text))
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the first figures arrive
        self.bar.setMaximumWidth(160)
        self.bar.setTextVisible(False)
        self.cancel_button = QToolButton()
        self.cancel_button.setText("Cancel")
        self.cancel_button.setAutoRaise(True)
        self.cancel_button.setToolTip(tooltip or "Stop it; nothing is changed")
        self.cancel_button.clicked.connect(self.canceled)
        # no taller than what the status bar holds already (QStatusBar keeps 3 px above its items and 2 below): a
        # taller bar grew it, and the window's every widget was laid out and painted again when the work started and
        # again when it ended (20-40 ms each)
        height = max(window.statusBar().contentsRect().height() - 5, self.label.sizeHint().height())
        for widget in (self.bar, self.cancel_button):
            widget.setMaximumHeight(height)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self._window = window
        window.statusBar().insertPermanentWidget(0, self)
        self.show()

    def value(self) -> int:
        return int(self.bar.value())

    def progress(self, done: int, total: int) -> None:
        if self.bar.maximum() != total:
            self.bar.setMaximum(total)
        self.bar.setValue(done)

    def finish(self) -> None:
        self._window.statusBar().removeWidget(self)
        self.hide()
        self.deleteLater()
