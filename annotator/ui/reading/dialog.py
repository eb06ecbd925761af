"""View ▸ Reading Settings…: the statement's font, size, line spacing and line width."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFontComboBox,
    QFormLayout,
    QSpinBox,
    QWidget,
)

from annotator.ui.reading.settings import CHARS_RANGE, SIZE_RANGE, SPACING_RANGE, Reading


class ReadingDialog(QDialog):
    def __init__(self, parent: QWidget | None, reading: Reading) -> None:
        super().__init__(parent)
        self.setObjectName("reading_dialog")
        self.setWindowTitle("Reading settings")
        self._reading = reading
        self.family = QFontComboBox()
        self.family.setCurrentFont(QFont(reading.family))
        self.size = QDoubleSpinBox()
        self.size.setRange(*SIZE_RANGE)
        self.size.setSingleStep(0.5)
        self.size.setDecimals(1)
        self.size.setSuffix(" pt")
        self.size.setValue(reading.size)
        self.spacing = QDoubleSpinBox()
        self.spacing.setRange(*SPACING_RANGE)
        self.spacing.setSingleStep(0.1)
        self.spacing.setDecimals(2)
        self.spacing.setSuffix(" ×")
        self.spacing.setValue(reading.spacing)
        self.width = QSpinBox()
        self.width.setRange(*CHARS_RANGE)
        self.width.setSingleStep(10)
        self.width.setSuffix(" characters")
        self.width.setSpecialValueText("Whole width")
        self.width.setValue(reading.max_chars)
        form = QFormLayout(self)
        form.addRow("&Font:", self.family)
        form.addRow("&Size:", self.size)
        form.addRow("&Line spacing:", self.spacing)
        form.addRow("Line &width:", self.width)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore_defaults)
        form.addRow(buttons)

    def restore_defaults(self) -> None:
        default = Reading.default()
        self.family.setCurrentFont(QFont(default.family))
        self.size.setValue(default.size)
        self.spacing.setValue(default.spacing)
        self.width.setValue(default.max_chars)

    def reading(self) -> Reading:
        """The settings as the dialog shows them (the zoom step is kept)."""
        return replace(self._reading, family=self.family.currentFont().family(), size=self.size.value(),
                       spacing=round(self.spacing.value(), 2), max_chars=self.width.value())
